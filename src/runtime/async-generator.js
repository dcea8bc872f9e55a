// Async generator objects: what calling an async generator function returns (the spec's
// %AsyncGeneratorPrototype% and the internal slots of its objects): a queue of requests, each settled by
// a `yield`, with the machine awaiting in between.

import { apply, getPrototypeOf, isObject, noop, setPrototypeOf, shapeLike } from "./intrinsics.js";
import { AWAIT, COMPLETED, DONE, Machine, REQUEST_NEXT, REQUEST_RETURN, REQUEST_THROW, RUNNING, START, SUSPENDED, YIELD, YieldingMachine, stepMachine, take } from "./machine.js";
import { awaitValue, promiseFor } from "./promise-driver.js";

/**
 * @typedef {{ mode: number, value: unknown, resolve: (value: unknown) => void, reject: (reason: unknown) => void, next: AsyncGeneratorRequest | null }} AsyncGeneratorRequest
 *   A next/throw/return call waiting for its turn, with its promise's resolving functions, and the one
 *   queued after it.
 */


// An async generator object's state (the spec's [[AsyncGeneratorState]]).
const AWAITING_RETURN = 4;

// What the await in progress of an async generator is for.
/** An `await` in the body (the machine's signal AWAIT). */
const FOR_BODY = AWAIT;
/** The operand of a `yield`, which is awaited before it is handed out (the machine's signal YIELD). */
const FOR_YIELD = YIELD;
/** The value of a `return(v)` request received at a yield: it is awaited, then returned from there. */
const FOR_RETURN = 2;
/** A `return(v)` request before the start or after the end: the generator only awaits v. */
const FOR_QUEUE_RETURN = 5;

// The engine's %AsyncGeneratorPrototype% methods: called on a receiver that is not one of these objects,
// they reject with the engine's own TypeError (`Method [AsyncGenerator].prototype.next called on
// incompatible receiver #<Object>`), which no reads of the receiver's could reproduce exactly.
const { next: nativeNext, return: nativeReturn, throw: nativeThrow } = getPrototypeOf(async function* () {}.prototype);

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
  /**
   * The oldest request waiting, linked to the next ones (no array: a program may give Array.prototype an
   * index setter, and [[Set]] on an array's new index would call it). @type {AsyncGeneratorRequest | null}
   */
  #queue = null;
  /** The newest request. @type {AsyncGeneratorRequest | null} */
  #last = null;
  #awaiting = FOR_BODY;
  #onFulfilled = (/** @type {unknown} */ value) => this.#settle(value, false);
  #onRejected = (/** @type {unknown} */ reason) => this.#settle(reason, true);

  /** @param {Machine} machine */
  constructor(machine) {
    this.#machine = machine;
  }

  /** @param {unknown} [value] */
  next(value) {
    return AsyncGenerator.#request(this, REQUEST_NEXT, value, nativeNext);
  }

  /** @param {unknown} [value] */
  return(value) {
    return AsyncGenerator.#request(this, REQUEST_RETURN, value, nativeReturn);
  }

  /** @param {unknown} error */
  throw(error) {
    return AsyncGenerator.#request(this, REQUEST_THROW, error, nativeThrow);
  }

  /**
   * AsyncGenerator.prototype.next/throw/return: a promise for the request's result, settled when the
   * generator gets to it.
   * @param {unknown} generator the `this` of the call
   * @param {number} mode
   * @param {unknown} value
   * @param {Function} native the engine's own method, which answers a receiver that is not one of these objects
   */
  static #request(generator, mode, value, native) {
    // (Anything else gets the engine's answer: a promise rejected with its TypeError, in its words.)
    if (!isObject(generator) || !(#machine in generator)) return apply(native, generator, [value]);
    /** @type {AsyncGeneratorRequest} */
    const request = { mode, value, resolve: noop, reject: noop, next: null };
    const promise = promiseFor(request);
    const self = /** @type {AsyncGenerator} */ (generator);
    const status = self.#status;
    if (mode === REQUEST_THROW && status === START) self.#status = COMPLETED;
    if (self.#status === COMPLETED && mode !== REQUEST_RETURN) {
      if (mode === REQUEST_THROW) request.reject(value);
      else request.resolve({ value: undefined, done: true });
      return promise;
    }
    if (self.#last === null) self.#queue = request;
    else self.#last.next = request;
    self.#last = request;
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
        return this.#run(thrown ? REQUEST_THROW : REQUEST_RETURN, value);
      default:
        // FOR_QUEUE_RETURN
        return this.#completed(value, thrown);
    }
  }

  /**
   * Runs the machine until it awaits, yields or finishes. (A yield* in progress is the machine's business:
   * delegation.js's AsyncDelegation answers its steps, awaits through AWAIT, and hands out the iterator's
   * values through DELEGATE.)
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
      return this.#completed(error, true);
    }
    // (AWAIT and YIELD are the purposes of their awaits: FOR_BODY, FOR_YIELD.)
    if (signal === AWAIT || signal === YIELD) return this.#await(take(machine), signal);
    if (signal === DONE) return this.#completed(take(machine), false);
    // DELEGATE: a yield*'s iterator gave an unfinished result, whose value is handed out as it is (not
    // awaited again): the delegation's `value`.
    this.#yielded(/** @type {{ value: unknown }} */ (take(machine)).value);
  }

  /**
   * AsyncGeneratorYield: the oldest request gets `{ value, done: false }`; the next one in the queue
   * resumes the generator at once, or it stays suspended until a request comes.
   * @param {unknown} value
   * @returns {void}
   */
  #yielded(value) {
    this.#complete(value, false, false);
    const request = this.#queue;
    if (request === null) this.#status = SUSPENDED;
    else this.#resume(request.mode, request.value);
  }

  /**
   * The generator is completed (it returned or threw, or a queued `return(v)` request's value settled):
   * the oldest request is settled with the outcome, and the requests still queued answered
   * (AsyncGeneratorCompleteStep, then AsyncGeneratorDrainQueue).
   * @param {unknown} value
   * @param {boolean} thrown
   * @returns {void}
   */
  #completed(value, thrown) {
    this.#status = COMPLETED;
    this.#complete(value, thrown, true);
    for (let request = this.#queue; request !== null; request = this.#queue) {
      if (request.mode === REQUEST_RETURN) {
        this.#status = AWAITING_RETURN;
        return this.#await(request.value, FOR_QUEUE_RETURN);
      }
      // a `next` gets `{ value: undefined, done: true }`, a `throw` its own error back
      this.#complete(request.mode === REQUEST_THROW ? request.value : undefined, request.mode === REQUEST_THROW, true);
    }
  }

  /**
   * AsyncGeneratorCompleteStep: settles the oldest request.
   * @param {unknown} value
   * @param {boolean} thrown
   * @param {boolean} done
   * @returns {void}
   */
  #complete(value, thrown, done) {
    const request = /** @type {AsyncGeneratorRequest} */ (this.#queue);
    this.#queue = request.next;
    if (request.next === null) this.#last = null;
    if (thrown) request.reject(value);
    else request.resolve({ value, done });
  }
}

// %AsyncGeneratorPrototype% inherits from %AsyncIteratorPrototype% (whose [Symbol.asyncIterator] returns this).
setPrototypeOf(AsyncGenerator.prototype, getPrototypeOf(getPrototypeOf(async function* () {}.prototype)));
shapeLike(AsyncGenerator.prototype, getPrototypeOf(async function* () {}), "AsyncGenerator");

/** Base class of machines lowered from async generator functions. */
export class AsyncGeneratorMachine extends YieldingMachine {
  // (An explicit constructor: the default one of a derived class spreads its arguments, through
  // Array.prototype[Symbol.iterator], which user code may have replaced.)
  constructor() {
    super();
  }

  /** The class of the objects these machines run in (read by generator-function.js, which then imports neither kind). */
  static $objects = AsyncGenerator;
}
