// Coroutine objects: what calling an async function returns in loop mode (`mode: "loop"`).
//
// As in Python, a coroutine is inert: calling the function binds its arguments into a machine and runs
// nothing. It runs when a task drives it (`createTask(coro)`, `run(coro)`) or when another coroutine
// awaits it, in which case it runs inline, inside the awaiting task, with no trip through the scheduler:
// the task keeps a stack of machines, the awaited one on top (CPython does the same with `yield from`
// chains of suspended frames).

import { NativePromise, apply, promiseReject, promiseThen } from "../runtime/intrinsics.js";
import { AsyncMachine } from "../runtime/index.js";
import { LoopError } from "./exceptions.js";
import { coroutineCreated, coroutineStarted } from "./internal.js";
import { currentLoop } from "./running.js";

/**
 * @template [T=unknown] what the coroutine returns when it is run (the async function's return value).
 * TypeScript types a call of an async function as `Promise<T>`, so every API of the loop that takes a
 * coroutine takes a `Promise<T>` too (at run time, in loop mode, it is this `Coroutine<T>`).
 */
export class Coroutine {
  /** @type {import("../runtime/index.js").Machine} */
  #machine;
  #claimed = false;

  /** @param {import("../runtime/index.js").Machine} machine */
  constructor(machine) {
    this.#machine = machine;
    const loop = currentLoop();
    if (loop !== null && loop.debug) loop[coroutineCreated](this);
  }

  /** The function's name, as its machine class spells it (`Coro`). */
  get name() {
    return this.#machine.constructor.name;
  }

  /** True once a task or an `await` has taken the coroutine. */
  get started() {
    return this.#claimed;
  }

  /**
   * Hands the machine to whoever runs it; a coroutine runs once.
   * @returns {import("../runtime/index.js").Machine}
   */
  claim() {
    if (this.#claimed) throw new LoopError(`stepwise: coroutine ${this.name} is already awaited or running (a coroutine can be awaited once)`);
    this.#claimed = true;
    const loop = currentLoop();
    if (loop !== null && loop.debug) loop[coroutineStarted](this);
    return this.#machine;
  }

  /** Marks the coroutine as never to be run (it will not be reported as never awaited). */
  close() {
    if (!this.#claimed) {
      this.#claimed = true;
      const loop = currentLoop();
      if (loop !== null && loop.debug) loop[coroutineStarted](this);
    }
  }

  /**
   * Native code (`await coro` in a function that is not lowered, `Promise.resolve(coro)`) runs the
   * coroutine in a task of the running loop and waits for it.
   * @template [R1=T]
   * @template [R2=never]
   * @param {((value: T) => R1 | PromiseLike<R1>) | null} [onFulfilled]
   * @param {((reason: any) => R2 | PromiseLike<R2>) | null} [onRejected]
   * @returns {Promise<R1 | R2>}
   */
  then(onFulfilled, onRejected) {
    const loop = currentLoop();
    if (loop === null) {
      return apply(promiseThen, apply(promiseReject, NativePromise, [new LoopError(`stepwise: coroutine ${this.name} awaited outside a running event loop (use run())`)]), [onFulfilled, onRejected]);
    }
    /** @type {import("./tasks.js").Task<T>} */
    let task;
    try {
      task = loop.createTask(this);
    } catch (error) {
      return apply(promiseThen, apply(promiseReject, NativePromise, [error]), [onFulfilled, onRejected]); // already awaited or running
    }
    return task.then(onFulfilled, onRejected);
  }

  describe() {
    return `coroutine ${this.name}`;
  }

  get [Symbol.toStringTag]() {
    return "Coroutine";
  }
}

/**
 * The wrapper of an async function in loop mode: `function coro(name) { return coroutine(new Coro(name)); }`.
 * @param {import("../runtime/index.js").Machine} machine
 */
export function coroutine(machine) {
  return new Coroutine(machine);
}

/**
 * Base of the loop's own hand-written coroutines (timeout, task groups, waiting on primitives): machines
 * that implement `step(sent, thrown)` directly with the protocol the transform targets, so they run
 * inline in the awaiting task like any lowered async function.
 */
export class InlineMachine extends AsyncMachine {
  // (An explicit constructor: a derived class's default one spreads its arguments through
  // Array.prototype[Symbol.iterator], which user code may have replaced.)
  constructor() {
    super();
  }

  /** Marks the machine finished (`step` will not be called again). */
  finished() {
    this.state = -1;
  }
}
