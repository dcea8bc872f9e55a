// Async generator objects: what calling an async generator function returns (the spec's
// %AsyncGeneratorPrototype% and the internal slots of its objects): a queue of requests, each settled by
// a `yield`, with the machine awaiting in between.

import { NativePromise, NativeTypeError, getPrototypeOf, isObject, noop, receiver, setPrototypeOf, shapeLike, shift } from "./intrinsics.js";
import { AWAIT, COMPLETED, DONE, Machine, REQUEST_NEXT, REQUEST_RETURN, REQUEST_THROW, RUNNING, START, SUSPENDED, YIELD, YieldingMachine, stepMachine, take } from "./machine.js";
// (constants, and a class for its type: the delegation's code comes with the instruction, `delegateAsync`,
// where a yield* is)
import { AsyncDelegation, FOR_CLOSE, FOR_DELEGATE, FOR_RETURN } from "./delegation.js";
import { awaitValue } from "./promise-driver.js";

/**
 * @typedef {{ mode: number, value: unknown, resolve: (value: unknown) => void, reject: (reason: unknown) => void }} AsyncGeneratorRequest
 *   A next/throw/return call waiting for its turn, with its promise's resolving functions.
 */

/** Base class of machines lowered from async generator functions. */
export class AsyncGeneratorMachine extends YieldingMachine {
  // (An explicit constructor: the default one of a derived class spreads its arguments, through
  // Array.prototype[Symbol.iterator], which user code may have replaced.)
  constructor() {
    super();
  }

  /** The class of the objects these machines run in (read by generator-function.js, which then imports neither kind). */
  static get $objects() {
    return AsyncGenerator;
  }
}

// An async generator object's state (the spec's [[AsyncGeneratorState]]).
const AWAITING_RETURN = 4;

// What the await in progress of an async generator is for.
/** An `await` in the body. */
const FOR_BODY = 0;
/** The operand of a `yield`, which is awaited before it is handed out. */
const FOR_YIELD = 1;
// FOR_RETURN (2): the value of a `return(v)` request received at a yield (or passed over by a yield*'s
// iterator): it is awaited, then returned from there. FOR_DELEGATE (3), FOR_CLOSE (4): a yield*'s awaits
// (delegation.js).
/** A `return(v)` request before the start or after the end: the generator only awaits v. */
const FOR_QUEUE_RETURN = 5;

/**
 * An async generator object (the spec's %AsyncGeneratorPrototype% and its internal slots). Requests
 * (next/throw/return) queue up, each with its promise; the machine runs for the first one, and every
 * `yield` settles the oldest request. Between requests the machine may await; a request that arrives
 * meanwhile waits in the queue.
 */
export class AsyncGenerator {
  /** @type {Machine} */
  #machine;
  #status = START;
  /** @type {AsyncGeneratorRequest[]} */
  #queue = [];
  /** The yield* in progress (delegation.js). @type {AsyncDelegation | null} */
  #delegate = null;
  #awaiting = FOR_BODY;
  #onFulfilled = (/** @type {unknown} */ value) => this.#settle(value, false);
  #onRejected = (/** @type {unknown} */ reason) => this.#settle(reason, true);

  /** @param {Machine} machine */
  constructor(machine) {
    this.#machine = machine;
  }

  /** @param {unknown} [value] */
  next(value) {
    return AsyncGenerator.#request(this, REQUEST_NEXT, value, "next");
  }

  /** @param {unknown} [value] */
  return(value) {
    return AsyncGenerator.#request(this, REQUEST_RETURN, value, "return");
  }

  /** @param {unknown} error */
  throw(error) {
    return AsyncGenerator.#request(this, REQUEST_THROW, error, "throw");
  }

  /**
   * AsyncGenerator.prototype.next/throw/return: a promise for the request's result, settled when the
   * generator gets to it.
   * @param {unknown} generator the `this` of the call
   * @param {number} mode
   * @param {unknown} value
   * @param {string} method
   */
  static #request(generator, mode, value, method) {
    /** @type {(value: unknown) => void} */
    let resolve = noop;
    /** @type {(reason: unknown) => void} */
    let reject = noop;
    const promise = new NativePromise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    if (!isObject(generator) || !(#machine in generator)) {
      reject(new NativeTypeError(`Method [AsyncGenerator].prototype.${method} called on incompatible receiver ${receiver(generator)}`));
      return promise;
    }
    const self = /** @type {AsyncGenerator} */ (generator);
    const status = self.#status;
    if (mode === REQUEST_THROW && status === START) self.#status = COMPLETED;
    if (self.#status === COMPLETED && mode !== REQUEST_RETURN) {
      if (mode === REQUEST_THROW) reject(value);
      else resolve({ value: undefined, done: true });
      return promise;
    }
    const queue = self.#queue;
    queue[queue.length] = { mode, value, resolve, reject };
    if (mode === REQUEST_RETURN && (status === START || status === COMPLETED)) {
      self.#status = AWAITING_RETURN;
      self.#await(value, FOR_QUEUE_RETURN);
    } else if (status === START || status === SUSPENDED) {
      self.#resume(mode, value);
    }
    return promise;
  }

  /**
   * Resumes the generator for a request (the spec's AsyncGeneratorResume, then the unwrapping of the
   * resumption at the yield it was suspended at).
   * @param {number} mode
   * @param {unknown} value
   * @returns {void}
   */
  #resume(mode, value) {
    this.#status = RUNNING;
    if (mode === REQUEST_RETURN) this.#await(value, FOR_RETURN);
    else if (this.#delegate !== null) this.#forward(mode, value);
    else this.#run(mode, value);
  }

  /**
   * Await, as the spec's: PromiseResolve the operand, then react to it.
   * @param {unknown} value
   * @param {number} purpose
   * @returns {void}
   */
  #await(value, purpose) {
    this.#awaiting = purpose;
    try {
      awaitValue(value, this.#onFulfilled, this.#onRejected);
    } catch (error) {
      this.#settle(error, true);
    }
  }

  /**
   * The outcome of the await in progress.
   * @param {unknown} value
   * @param {boolean} thrown
   * @returns {void}
   */
  #settle(value, thrown) {
    switch (this.#awaiting) {
      case FOR_BODY: {
        const machine = this.#machine;
        if (machine.$quiet) {
          machine.$quiet = false;
          thrown = false;
        }
        return this.#run(thrown ? REQUEST_THROW : REQUEST_NEXT, value);
      }
      case FOR_YIELD:
        // A rejected operand throws at the yield; otherwise the value is handed out.
        return thrown ? this.#run(REQUEST_THROW, value) : this.#yielded(value);
      case FOR_RETURN:
        if (this.#delegate !== null) return this.#forward(thrown ? REQUEST_THROW : REQUEST_RETURN, value);
        return this.#run(thrown ? REQUEST_THROW : REQUEST_RETURN, value);
      case FOR_DELEGATE: {
        // The delegate's awaited result: a value to hand out as it is (not awaited again), or the end.
        const delegate = /** @type {AsyncDelegation} */ (this.#delegate);
        if (delegate.settled(value, thrown)) return this.#yielded(delegate.value);
        this.#delegate = null;
        return this.#run(delegate.mode, delegate.value);
      }
      case FOR_CLOSE: {
        const delegate = /** @type {AsyncDelegation} */ (this.#delegate);
        this.#delegate = null;
        return this.#run(REQUEST_THROW, delegate.closed(value, thrown));
      }
      default:
        this.#status = COMPLETED;
        this.#complete(value, thrown, true);
        return this.#drain();
    }
  }

  /**
   * Runs the machine until it awaits, yields or finishes.
   * @param {number} mode REQUEST_NEXT, REQUEST_THROW or REQUEST_RETURN
   * @param {unknown} value
   * @returns {void}
   */
  #run(mode, value) {
    const machine = this.#machine;
    let signal;
    try {
      signal = stepMachine(machine, mode, value);
    } catch (error) {
      this.#status = COMPLETED;
      this.#complete(error, true, true);
      return this.#drain();
    }
    if (signal === AWAIT) return this.#await(take(machine), FOR_BODY);
    if (signal === YIELD) return this.#await(take(machine), FOR_YIELD);
    if (signal === DONE) {
      this.#status = COMPLETED;
      this.#complete(take(machine), false, true);
      return this.#drain();
    }
    // DELEGATE: the machine's yield* got the iterator (`delegateAsync`, delegation.js).
    this.#delegate = /** @type {AsyncDelegation} */ (take(machine));
    this.#forward(REQUEST_NEXT, undefined);
  }

  /**
   * AsyncGeneratorYield: the oldest request gets `{ value, done: false }`; the next one in the queue
   * resumes the generator at once, or it stays suspended until a request comes.
   * @param {unknown} value
   * @returns {void}
   */
  #yielded(value) {
    this.#complete(value, false, false);
    const request = this.#queue[0];
    if (request === undefined) this.#status = SUSPENDED;
    else this.#resume(request.mode, request.value);
  }

  /**
   * One step of `yield*`: the request goes to the delegate, whose result is awaited (or, when it has no
   * `return`/`throw` for it, the delegation is over).
   * @param {number} mode
   * @param {unknown} value
   * @returns {void}
   */
  #forward(mode, value) {
    const delegate = /** @type {AsyncDelegation} */ (this.#delegate);
    const next = delegate.forward(mode, value);
    // (FOR_CLOSE keeps it until the close settles: its error comes from there)
    if (next === FOR_DELEGATE || next === FOR_CLOSE) return this.#await(delegate.value, next);
    this.#delegate = null;
    if (next === FOR_RETURN) return this.#await(delegate.value, FOR_RETURN);
    this.#run(delegate.mode, delegate.value);
  }

  /**
   * AsyncGeneratorCompleteStep: settles the oldest request.
   * @param {unknown} value
   * @param {boolean} thrown
   * @param {boolean} done
   * @returns {void}
   */
  #complete(value, thrown, done) {
    const queue = this.#queue;
    const request = /** @type {AsyncGeneratorRequest} */ (queue[0]);
    // (It mostly holds this one request: a fresh array is cheaper than shifting one.)
    if (queue.length === 1) this.#queue = [];
    else shift(queue);
    if (thrown) request.reject(value);
    else request.resolve({ value, done });
  }

  /**
   * AsyncGeneratorDrainQueue: the generator is completed; the requests still queued are answered.
   * @returns {void}
   */
  #drain() {
    // (#complete may replace the queue's array: it is read again each time.)
    for (let queue = this.#queue; queue.length > 0; queue = this.#queue) {
      const request = queue[0];
      if (request.mode === REQUEST_RETURN) {
        this.#status = AWAITING_RETURN;
        return this.#await(request.value, FOR_QUEUE_RETURN);
      }
      // a `next` gets `{ value: undefined, done: true }`, a `throw` its own error back
      this.#complete(request.mode === REQUEST_THROW ? request.value : undefined, request.mode === REQUEST_THROW, true);
    }
  }
}

// %AsyncGeneratorPrototype% inherits from %AsyncIteratorPrototype% (whose [Symbol.asyncIterator] returns this).
setPrototypeOf(AsyncGenerator.prototype, getPrototypeOf(getPrototypeOf(async function* () {}.prototype)));
shapeLike(AsyncGenerator.prototype, getPrototypeOf(async function* () {}), "AsyncGenerator");
