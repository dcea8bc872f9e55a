// Task: drives one coroutine's machines (asyncio's tasks.py, Task.__step and Task.__wakeup), and the
// functions built on tasks and futures: sleep, gather, shield, timeout/waitFor.

import { AWAIT, DONE } from "../runtime/index.js";
import { NativeMap, NativeNumber, NativePromise, NativeString, NativeTypeError, NativeObject, apply, getPrototypeOf, isArray, isObject, mapGet, mapSet, objectToString, pop, push, valuesOf } from "../runtime/intrinsics.js";
import { REQUEST_NEXT, REQUEST_THROW, stepMachine, take } from "../runtime/machine.js";
import { Coroutine, InlineMachine } from "./coroutine.js";
import { CancelledError, LoopError, TimeoutError } from "./exceptions.js";
import { Future, bridge } from "./futures.js";
import { nextTaskId, runningCause, runningHandle, stepOf, trackTask, unnumbered } from "./internal.js";
import { currentTask, getRunningLoop, setCurrentTask } from "./running.js";

/**
 * `await sleep(0)`: the task gives the other ready callbacks a turn and continues on the next iteration
 * (asyncio's bare `yield`), without a timer.
 * @template [T=unknown] the value it continues with
 */
export class Reschedule {
  /** @param {T} value */
  constructor(value) {
    this.value = value;
  }

  /**
   * For native code: resolves on the loop's next iteration.
   * @template [R1=T]
   * @template [R2=never]
   * @param {((value: T) => R1 | PromiseLike<R1>) | null} [onFulfilled]
   * @param {((reason: any) => R2 | PromiseLike<R2>) | null} [onRejected]
   * @returns {Promise<R1 | R2>}
   */
  then(onFulfilled, onRejected) {
    const loop = getRunningLoop("sleep(0)");
    const future = /** @type {Future<T>} */ (new Future(loop, "sleep(0)"));
    loop.callSoon(settleSleep, future, this.value);
    return future.then(onFulfilled, onRejected);
  }
}

/**
 * A task runs a coroutine: it steps the coroutine's machine until it awaits something that is not ready,
 * registers itself as a done callback of that future, and is stepped again (by the loop, as a ready
 * callback) when the future is done. A coroutine awaited by the machine runs inline: its machine is
 * pushed on the task's stack and stepped right away, and its return value or exception goes to the
 * machine below.
 * @template [T=unknown] what the coroutine returns (the task's result)
 * @extends {Future<T>}
 */
export class Task extends Future {
  /** The machines being run, outermost first; the top one is at its current await. @type {import("../runtime/index.js").Machine[]} */
  #stack = [];
  /** The future the task waits for. @type {Future | null} */
  #waiter = null;
  /** A cancellation to throw in at the next step (requested while no future could carry it). */
  #mustCancel = false;
  /** @type {string | undefined} */
  #cancelMessage = undefined;
  #started = false;
  #cancelRequests = 0;
  /** @type {(future: Future) => void} */
  #wakeup;
  /** @type {(sent: unknown, thrown: boolean, woke: string) => void} */
  #stepper;

  /**
   * @param {Coroutine<T> | Promise<T>} coro a coroutine: what an async function returns in loop mode
   *   (which TypeScript types as a Promise)
   * @param {{ name?: string, loop?: import("./event-loop.js").EventLoop }} [options]
   */
  constructor(coro, options = {}) {
    if (!(coro instanceof Coroutine)) {
      throw new NativeTypeError(`stepwise: a Task runs a coroutine (what an async function returns in loop mode), got ${describeValue(coro)}`);
    }
    super(options.loop ?? getRunningLoop("createTask"), undefined, unnumbered);
    this.name = options.name ?? `Task-${this.loop[nextTaskId]()}`;
    /** The coroutine's name (its machine class). */
    this.coroutineName = coro.name;
    push(this.#stack, coro.claim());
    const wakeup = (/** @type {Future} */ future) => this.#wake(future);
    const stepper = (/** @type {unknown} */ sent, /** @type {boolean} */ thrown, /** @type {string} */ woke) => this.#step(sent, thrown, woke);
    /** @type {any} */ (wakeup).isTaskStep = true;
    /** @type {any} */ (stepper).isTaskStep = true;
    /** @type {any} */ (wakeup).taskLabel = `${this.name} wakeup`;
    /** @type {any} */ (stepper).taskLabel = `${this.name} step`;
    /** @type {any} */ (wakeup)[stepOf] = this;
    /** @type {any} */ (stepper)[stepOf] = this;
    this.#wakeup = wakeup;
    this.#stepper = stepper;
    this.loop[trackTask](this, true);
    const trace = this.loop.tracer;
    if (trace !== null) trace({ kind: "task", iteration: this.loop.iteration, task: this.name, coroutine: coro.name, cause: this.loop[runningCause]() });
    this.loop.callSoon(stepper, undefined, false, "start");
  }

  /**
   * Requests cancellation: the future the task waits for is cancelled, which wakes the task with a
   * CancelledError thrown in at its `await`; if it waits for nothing right now, the error is thrown in
   * at its next step. Returns false if the task is done.
   * @param {string} [message]
   */
  cancel(message) {
    if (this.done()) return false;
    this.#cancelRequests++;
    if (this.#waiter !== null && this.#waiter.cancel(message)) return true;
    this.#mustCancel = true;
    this.#cancelMessage = message;
    return true;
  }

  /** How many cancellations were requested and not withdrawn with `uncancel()`. */
  cancelling() {
    return this.#cancelRequests;
  }

  /** Withdraws one cancellation request (timeouts and task groups that caught their own); returns the rest. */
  uncancel() {
    if (this.#cancelRequests > 0) this.#cancelRequests--;
    return this.#cancelRequests;
  }

  /** @param {unknown} _value */
  setResult(_value) {
    throw new LoopError(`stepwise: ${this.describe()}: a task sets its own result (setResult is not available)`);
  }

  /** @param {unknown} _error */
  setException(_error) {
    throw new LoopError(`stepwise: ${this.describe()}: a task sets its own exception (setException is not available)`);
  }

  /**
   * The future the task is waiting for, if any.
   * @returns {Future | null}
   */
  get waitingFor() {
    return this.#waiter;
  }

  /** The machines of the task, outermost first, with the state each will continue in. */
  frames() {
    const stack = this.#stack;
    /** @type {{ machine: string, state: number }[]} */
    const frames = [];
    for (let i = 0; i < stack.length; i++) push(frames, { machine: stack[i].constructor.name, state: stack[i].state });
    return frames;
  }

  describe() {
    return /^Task-\d+$/.test(this.name) ? this.name : `Task ${this.name}`;
  }

  get [Symbol.toStringTag]() {
    return "Task";
  }

  /** @param {Future} future */
  #wake(future) {
    if (this.done()) return;
    let sent;
    let thrown = false;
    try {
      sent = future.result();
    } catch (error) {
      sent = error;
      thrown = true;
    }
    this.#step(sent, thrown, `${future.describe()}${future.cancelled() ? ", cancelled" : thrown ? ", failed" : ""}`);
  }

  /**
   * @param {unknown} sent
   * @param {boolean} thrown
   * @param {string} woke what woke the task, for the trace
   */
  #step(sent, thrown, woke) {
    if (this.done()) return;
    if (this.#mustCancel) {
      this.#mustCancel = false;
      // (a CancelledError already thrown in, the awaited future's, is kept: it carries the first cancel's
      // message, as asyncio's __step keeps it)
      if (!thrown || !(sent instanceof CancelledError)) {
        sent = new CancelledError(this.#cancelMessage ?? `${this.describe()} was cancelled`);
        thrown = true;
        woke = "cancel";
      }
    }
    this.#waiter = null;
    if (!this.#started) {
      this.#started = true;
      // Cancelled before it ran: the body never starts (no try block is active yet).
      if (thrown) {
        this.#stack.length = 0;
        return this.#finish(sent, true);
      }
    }
    const previous = setCurrentTask(this);
    try {
      this.#run(sent, thrown, woke);
    } finally {
      setCurrentTask(previous);
    }
  }

  /**
   * Steps the machine on top of the stack until the task must wait.
   * @param {unknown} sent
   * @param {boolean} thrown
   * @param {string} woke
   */
  #run(sent, thrown, woke) {
    const stack = this.#stack;
    const loop = this.loop;
    const trace = loop.tracer;
    /** With a tracer: the handle this step runs in, and who queued it. */
    const running = trace !== null ? loop[runningHandle]() : null;
    const handle = running === null ? 0 : running.id;
    /** Only the first step of this run was woken by the handle (the others continue inline). */
    let cause = running === null ? null : running.cause;
    for (;;) {
      if (stack.length === 0) return this.#finish(sent, thrown);
      const machine = stack[stack.length - 1];
      if (machine.$quiet) {
        // The machine wants the outcome either way (closing an iterator after a throw).
        machine.$quiet = false;
        thrown = false;
      }
      if (trace !== null) {
        trace({ kind: "step", iteration: loop.iteration, handle, task: this.name, machine: machine.constructor.name, state: machine.state, thrown, woke, cause });
        cause = null;
      }
      let signal;
      try {
        signal = stepMachine(machine, thrown ? REQUEST_THROW : REQUEST_NEXT, sent);
      } catch (error) {
        pop(stack);
        sent = error;
        thrown = true;
        woke = `${machine.constructor.name} threw`;
        continue;
      }
      const value = take(machine);
      if (signal === DONE) {
        pop(stack);
        woke = `${machine.constructor.name} returned`;
        // A returned promise, future or coroutine is adopted (as an async function's return does):
        // awaited on behalf of the caller below.
        if (!isObject(value)) {
          sent = value;
          thrown = false;
          continue;
        }
      } else if (signal !== AWAIT) {
        sent = new LoopError(`stepwise: ${machine.constructor.name} is not an async machine (it signalled ${signal})`);
        thrown = true;
        pop(stack);
        continue;
      }
      // await value: a coroutine runs inline and sleep(0) takes one iteration (both without a future);
      // anything else awaitable has a future to wait for, and a plain value is ready.
      if (value instanceof Coroutine) {
        try {
          push(stack, value.claim());
        } catch (error) {
          sent = error;
          thrown = true;
          continue;
        }
        sent = undefined;
        thrown = false;
        woke = "call";
        continue;
      }
      if (value instanceof Reschedule) {
        if (trace !== null) this.#traceSuspend("sleep(0)");
        loop.callSoon(this.#stepper, value.value, false, "sleep(0)");
        return;
      }
      let future;
      try {
        future = toFuture(value, loop);
      } catch (error) {
        sent = error;
        thrown = true;
        continue;
      }
      if (future === null) {
        // A plain value is ready: no suspension. (An object a machine returned, `[done, pending]`, is its
        // return value: the trace says the machine returned, as for a primitive.)
        sent = value;
        thrown = false;
        if (signal !== DONE) woke = "value";
        continue;
      }
      if (future.loop !== loop) {
        sent = new LoopError(`stepwise: ${future.describe()} belongs to another event loop than ${this.describe()}`);
        thrown = true;
        continue;
      }
      if (future === this) {
        sent = new LoopError(`stepwise: ${this.describe()} cannot await itself`);
        thrown = true;
        continue;
      }
      if (future.done()) {
        // A done future is not waited for (Future.__await__ yields only while pending).
        woke = `${future.describe()}, already done`;
        try {
          sent = future.result();
          thrown = false;
        } catch (error) {
          sent = error;
          thrown = true;
        }
        continue;
      }
      this.#waiter = future;
      future.addDoneCallback(this.#wakeup);
      if (trace !== null) this.#traceSuspend(future.describe());
      if (this.#mustCancel && future.cancel(this.#cancelMessage)) this.#mustCancel = false;
      return;
    }
  }

  /** @param {string} awaiting */
  #traceSuspend(awaiting) {
    const trace = /** @type {(event: import("./event-loop.js").LoopEvent) => void} */ (this.loop.tracer);
    const top = this.#stack[this.#stack.length - 1];
    trace({
      kind: "suspend",
      iteration: this.loop.iteration,
      task: this.name,
      machine: top ? top.constructor.name : this.coroutineName,
      state: top ? top.state : -1,
      awaiting,
    });
  }

  /**
   * @param {unknown} value
   * @param {boolean} thrown
   */
  #finish(value, thrown) {
    this.loop[trackTask](this, false);
    /** @type {"result" | "exception" | "cancelled"} */
    const outcome = thrown ? (value instanceof CancelledError ? "cancelled" : "exception") : this.#mustCancel ? "cancelled" : "result";
    // Traced before the future completes: what its completion queues (done callbacks) follows.
    const trace = this.loop.tracer;
    if (trace !== null) trace({ kind: "done", iteration: this.loop.iteration, task: this.name, outcome, value });
    if (thrown && outcome === "cancelled") super.cancel(/** @type {CancelledError} */ (value).message);
    else if (thrown) super.setException(value);
    else if (outcome === "cancelled") {
      // Cancelled during its last step, after it could no longer throw: cancelled all the same.
      this.#mustCancel = false;
      super.cancel(this.#cancelMessage);
    } else super.setResult(/** @type {T} */ (value));
  }
}

/**
 * The awaitable protocol, the one place that knows what can be awaited: the future behind `value`, or null
 * for a value that is not awaitable (an `await` takes it as it is). A future is its own; a coroutine runs
 * in a new task; `sleep(0)` gets a future settled on the next iteration; a promise or any thenable is
 * bridged (its `then` read once; a getter that throws, throws). New futures go on `loop` (default: the
 * running loop).
 * @param {unknown} value
 * @param {import("./event-loop.js").EventLoop} [loop]
 * @returns {Future | null}
 */
export function toFuture(value, loop) {
  if (value instanceof Future) return value;
  if (!isObject(value)) return null;
  if (value instanceof Coroutine) return new Task(value, { loop: loop ?? getRunningLoop("ensureFuture") });
  if (value instanceof Reschedule) {
    const target = loop ?? getRunningLoop("ensureFuture");
    const future = new Future(target, "sleep(0)");
    target.callSoon(settleSleep, future, value.value);
    return future;
  }
  const then = /** @type {any} */ (value).then;
  if (typeof then !== "function") return null;
  return bridge(loop ?? getRunningLoop("ensureFuture"), value, then);
}

/** @param {unknown} value */
export function describeValue(value) {
  if (value instanceof Future || value instanceof Coroutine) return value.describe();
  if (value instanceof NativePromise) return "a Promise";
  if (typeof value === "function") return `function ${value.name || "(anonymous)"}`;
  if (value === null || value === undefined) return NativeString(value);
  if (isArray(value)) return "an array";
  if (typeof value === "object") return `an object (${apply(objectToString, value, [])})`;
  if (typeof value === "string") return `string "${value}"`;
  return `${typeof value} ${NativeString(value)}`;
}

/**
 * Creates a task on the running loop.
 * @template T
 * @param {Coroutine<T> | Promise<T>} coro a coroutine: what an async function returns in loop mode
 *   (which TypeScript types as a Promise)
 * @param {{ name?: string }} [options]
 * @returns {Task<T>}
 */
export function createTask(coro, options = {}) {
  return new Task(coro, { ...options, loop: getRunningLoop("createTask") });
}

/**
 * The future behind an awaitable: a future as is, a coroutine wrapped in a task, a promise or thenable
 * bridged.
 * @template T
 * @param {PromiseLike<T>} awaitable
 * @param {import("./event-loop.js").EventLoop} [loop]
 * @returns {Future<T>}
 */
export function ensureFuture(awaitable, loop) {
  const future = /** @type {Future<T> | null} */ (toFuture(awaitable, loop));
  if (future === null) throw new NativeTypeError(`stepwise: ${describeValue(awaitable)} is not awaitable (expected a coroutine, a Future or a promise)`);
  if (loop && future.loop !== loop) throw new LoopError(`stepwise: ${future.describe()} belongs to another event loop`);
  return future;
}

/**
 * Suspends the current task for `ms` milliseconds of loop time, then continues with `value`.
 * `sleep(0)` lets every other ready callback run first (one loop iteration).
 * @template [T=undefined]
 * @param {number} [ms]
 * @param {T} [value]
 * @returns {Future<T> | Reschedule<T>}
 */
export function sleep(ms = 0, value = undefined) {
  const loop = getRunningLoop("sleep");
  if (!(ms > 0)) return new Reschedule(/** @type {T} */ (value));
  const future = /** @type {Future<T>} */ (new Future(loop, `sleep ${ms} ms`));
  const timer = loop.callLater(ms, settleSleep, future, value);
  future.onCancel = () => timer.cancel();
  return future;
}

/**
 * @param {Future} future
 * @param {unknown} value
 */
function settleSleep(future, value) {
  if (!future.done()) future.setResult(value);
}

/**
 * The future `gather` returns: cancelling it cancels the children.
 * @extends {Future<unknown[]>}
 */
class GatheringFuture extends Future {
  /**
   * @param {import("./event-loop.js").EventLoop} loop
   * @param {Future[]} children
   */
  constructor(loop, children) {
    super(loop, `gather of ${children.length}`);
    this.children = children;
    this.cancelRequested = false;
  }

  /** @param {string} [message] */
  cancel(message) {
    if (this.done()) return false;
    let any = false;
    const children = this.children;
    for (let i = 0; i < children.length; i++) if (children[i].cancel(message)) any = true;
    // The outer future ends once the children have seen their cancellation.
    if (any) this.cancelRequested = true;
    return any;
  }
}

/**
 * What `gather(...args)` resolves to: the results of `args` in order (a plain value is its own result).
 * @template {readonly unknown[]} A
 * @typedef {{ -readonly [K in keyof A]: Awaited<A[K]> }} GatherResults
 */

/**
 * Runs awaitables concurrently (coroutines become tasks) and resolves with their results in order. The
 * first failure fails the gather (the others go on running); with `{ returnExceptions: true }` as the
 * last argument, errors are results. Cancelling the gather cancels every child.
 * @template {readonly unknown[]} A
 * @overload
 * @param {...[...A, { returnExceptions?: false }]} args awaitables (and plain values), then the options
 * @returns {Future<GatherResults<A>>}
 */
/**
 * Runs awaitables concurrently; with `{ returnExceptions: true }`, what each child threw is its result
 * (so any result may be an error: each is `unknown`).
 * @template {readonly unknown[]} A
 * @overload
 * @param {...[...A, { returnExceptions: boolean }]} args awaitables (and plain values), then the options
 * @returns {Future<{ -readonly [K in keyof A]: unknown }>}
 */
/**
 * Runs awaitables concurrently (coroutines become tasks) and resolves with their results in order.
 * @template {readonly unknown[]} A
 * @overload
 * @param {...A} args awaitables (and plain values)
 * @returns {Future<GatherResults<A>>}
 */
/**
 * @param {...unknown} args awaitables, optionally followed by `{ returnExceptions: boolean }`
 * @returns {Future<unknown[]>}
 */
export function gather(...args) {
  let returnExceptions = false;
  const last = args[args.length - 1];
  if (isObject(last) && getPrototypeOf(last) === NativeObject.prototype && typeof (/** @type {any} */ (last).then) !== "function") {
    pop(args);
    returnExceptions = !!(/** @type {any} */ (last).returnExceptions);
  }
  /** @type {Future | undefined} */
  let first;
  for (let i = 0; i < args.length && first === undefined; i++) if (args[i] instanceof Future) first = /** @type {Future} */ (args[i]);
  const loop = first?.loop ?? getRunningLoop("gather");
  /** @type {Map<unknown, Future>} */
  const futures = new NativeMap();
  /** @type {Future[]} */
  const children = [];
  for (let i = 0; i < args.length; i++) push(children, childFuture(args[i]));
  /** @param {unknown} arg */
  function childFuture(arg) {
    const known = apply(mapGet, futures, [arg]);
    if (known !== undefined) return known;
    let future = toFuture(arg, loop);
    if (future === null) {
      // A plain value is its own result (as in Promise.all).
      future = new Future(loop);
      future.setResult(arg);
    } else if (future.loop !== loop) {
      throw new LoopError(`stepwise: ${future.describe()} belongs to another event loop`);
    }
    apply(mapSet, futures, [arg, future]);
    return future;
  }
  const outer = new GatheringFuture(loop, children);
  if (children.length === 0) {
    outer.setResult([]);
    return outer;
  }
  const distinct = valuesOf(futures);
  let remaining = distinct.length;
  const onChildDone = (/** @type {Future} */ child) => {
    remaining--;
    if (outer.done()) {
      if (!child.cancelled()) child.exception(); // retrieved: the gather has already failed
      return;
    }
    if (!returnExceptions) {
      if (child.cancelled()) return outer.setException(child.cancelledError());
      if (child.failed()) return outer.setException(child.exception());
    }
    if (remaining > 0) return;
    if (outer.cancelRequested) {
      // The cancellation of the last child, with the message it was given (asyncio's gather takes it from
      // the last child as well).
      const last = children[children.length - 1];
      outer.setException(last.cancelled() ? last.cancelledError() : new CancelledError("the gather was cancelled"));
      return;
    }
    /** @type {unknown[]} */
    const results = [];
    for (let i = 0; i < children.length; i++) {
      const c = children[i];
      push(results, c.cancelled() ? c.cancelledError() : c.failed() ? c.exception() : c.result());
    }
    outer.setResult(results);
  };
  for (let i = 0; i < distinct.length; i++) distinct[i].addDoneCallback(onChildDone);
  return outer;
}

/**
 * Protects an awaitable from cancellation: cancelling the task that awaits the shield cancels only the
 * shield; the work inside goes on.
 * @template T
 * @param {PromiseLike<T>} awaitable
 * @returns {Future<T>}
 */
export function shield(awaitable) {
  const inner = ensureFuture(awaitable);
  if (inner.done()) return inner;
  const outer = /** @type {Future<T>} */ (new Future(inner.loop, `shield of ${inner.describe()}`));
  const innerDone = () => {
    if (outer.cancelled()) {
      if (!inner.cancelled()) inner.exception(); // nobody else will read it
      return;
    }
    if (inner.cancelled()) outer.cancel();
    else if (inner.failed()) outer.setException(inner.exception());
    else outer.setResult(inner.result());
  };
  inner.addDoneCallback(innerDone);
  // The shield cancelled first: the inner future is on its own, and an error it ends with is reported as
  // never retrieved unless someone else reads it (asyncio's _outer_done_callback).
  outer.addDoneCallback(() => {
    if (!inner.done()) inner.removeDoneCallback(innerDone);
  });
  return outer;
}

/**
 * The inline coroutine behind `timeout(ms, awaitable)`: it arms a timer that cancels the current task,
 * awaits the awaitable in that task, and turns its own cancellation into a TimeoutError. Written by hand
 * with the machine protocol the transform targets (`step` returns AWAIT or DONE).
 */
class Timeout extends InlineMachine {
  /**
   * @param {number | null | undefined} ms
   * @param {unknown} awaitable
   */
  constructor(ms, awaitable) {
    super();
    this.ms = ms;
    this.awaitable = awaitable;
    /** @type {Task | null} */
    this.task = null;
    /** The expiry: a timer, or a ready callback for a deadline already past. @type {import("./handles.js").Handle | null} */
    this.timer = null;
    this.expired = false;
    this.cancelling = 0;
  }

  /**
   * @param {unknown} sent
   * @param {boolean} thrown
   */
  step(sent, thrown) {
    if (this.state === 0) {
      const task = currentTask();
      if (task === null) throw new LoopError("stepwise: timeout() must be awaited inside a task");
      if (thrown) {
        this.finished();
        throw sent;
      }
      this.task = task;
      this.cancelling = task.cancelling();
      // A deadline already past expires before anything else runs, as asyncio's reschedule calls it soon;
      // none (null, or left out) never does, as asyncio's None.
      if (this.ms != null) {
        const ms = NativeNumber(this.ms);
        this.timer = ms > 0 ? task.loop.callLater(ms, expireTimeout, this) : task.loop.callSoon(expireTimeout, this);
      }
      return this.await(this.awaitable, 1);
    }
    this.finished();
    if (this.timer !== null) this.timer.cancel();
    // Once the timer fired, its cancellation is withdrawn however the awaitable ended (it may have caught
    // it); it becomes a TimeoutError only if it ended the awaitable and no other cancellation is pending
    // (asyncio's Timeout.__aexit__).
    if (this.expired && /** @type {Task} */ (this.task).uncancel() <= this.cancelling && thrown && sent instanceof CancelledError) {
      throw new TimeoutError(`stepwise: timed out after ${this.ms} ms`, { cause: sent });
    }
    if (thrown) throw sent;
    this.$value = sent;
    return DONE;
  }
}

/** @param {Timeout} machine */
function expireTimeout(machine) {
  machine.expired = true;
  /** @type {Task} */ (machine.task).cancel();
}

/**
 * Awaits `awaitable` inside the current task; if it is not done within `ms` milliseconds, the task is
 * cancelled at its current await and the CancelledError becomes a TimeoutError (asyncio.timeout). With
 * `ms` null (or left out) there is no deadline.
 * @template T
 * @param {number | null | undefined} ms
 * @param {PromiseLike<T>} awaitable
 * @returns {Coroutine<T>}
 */
export function timeout(ms, awaitable) {
  return new Coroutine(new Timeout(ms, awaitable));
}

/**
 * `timeout` with the arguments the other way round (asyncio.wait_for): no deadline with `ms` null or
 * left out.
 * @template T
 * @param {PromiseLike<T>} awaitable
 * @param {number | null} [ms]
 * @returns {Coroutine<T>}
 */
export function waitFor(awaitable, ms) {
  return timeout(ms, awaitable);
}
