// Future: a result that will exist later (asyncio's futures.py). The loop's one waiting primitive:
// a task suspends on a future, and the future's done callbacks (always scheduled through the loop,
// never called on the spot) wake it up.

import { NativePromise, apply, filter, promiseResolve, promiseThen, push } from "../runtime/intrinsics.js";
import { CancelledError, InvalidStateError } from "./exceptions.js";
import { exceptionRetrieved, exceptionUnretrieved, nextFutureId, unnumbered } from "./internal.js";
import { getRunningLoop } from "./running.js";

const PENDING = 0;
const CANCELLED = 1;
const FINISHED = 2;
const STATE_NAMES = ["pending", "cancelled", "finished"];

/**
 * @template [T=unknown]
 * @typedef {(future: Future<T>) => void} DoneCallback
 */

/**
 * @template [T=unknown] the value the future is settled with (`result()`, and what `await` gives)
 */
export class Future {
  /** @type {number} */
  #state = PENDING;
  /** @type {T | undefined} */
  #result = undefined;
  /** @type {unknown} */
  #exception = undefined;
  #hasException = false;
  /** @type {string | undefined} */
  #cancelMessage = undefined;
  /** (`any`: callbacks typed as taking a Future<T> here would make Future invariant in T, and a Future<string> not a Future<unknown>) @type {DoneCallback<any>[] | null} */
  #callbacks = null;

  /**
   * @param {import("./event-loop.js").EventLoop} [loop] default: the running loop
   * @param {string} [label] what the future stands for, shown in traces (`sleep 10 ms`, `Promise`)
   * @param {symbol} [numbering] (internal) a Task passes `unnumbered`: tasks have numbers of their own
   */
  constructor(loop, label, numbering) {
    this.loop = loop ?? getRunningLoop("a Future");
    /** Numbered per loop, so traces are reproducible (tasks are not counted: they are `Task-N`). */
    this.id = numbering === unnumbered ? 0 : this.loop[nextFutureId]();
    this.label = label;
    /**
     * Called synchronously by `cancel()` (before the done callbacks are scheduled): the owner of the
     * future stops the work behind it (a timer, a bridged read).
     * @type {(() => void) | null}
     */
    this.onCancel = null;
  }

  done() {
    return this.#state !== PENDING;
  }

  cancelled() {
    return this.#state === CANCELLED;
  }

  /**
   * The result; throws the exception, a CancelledError if cancelled, an InvalidStateError if not done.
   * @returns {T}
   */
  result() {
    if (this.#state === CANCELLED) throw this.cancelledError();
    if (this.#state === PENDING) throw new InvalidStateError(`stepwise: ${this.describe()} is pending: its result is not ready`);
    if (this.#hasException) {
      this.loop[exceptionRetrieved](this);
      throw this.#exception;
    }
    return /** @type {T} */ (this.#result);
  }

  /** The exception (undefined when the future has a result); throws like `result()` when cancelled or pending. */
  exception() {
    if (this.#state === CANCELLED) throw this.cancelledError();
    if (this.#state === PENDING) throw new InvalidStateError(`stepwise: ${this.describe()} is pending: its exception is not set`);
    if (this.#hasException) this.loop[exceptionRetrieved](this);
    return this.#exception;
  }

  /** True when the future ended with an exception (reading it this way does not count as retrieving it). */
  failed() {
    return this.#hasException;
  }

  /** The error a cancelled future raises (a fresh one each time, carrying the cancel message). */
  cancelledError() {
    return new CancelledError(this.#cancelMessage ?? `${this.describe()} was cancelled`);
  }

  /** @param {T} value */
  setResult(value) {
    if (this.#state !== PENDING) throw this.#alreadyDone("result");
    this.#result = value;
    this.#state = FINISHED;
    this.#scheduleCallbacks();
  }

  /** @param {unknown} error */
  setException(error) {
    if (this.#state !== PENDING) throw this.#alreadyDone("exception");
    this.#exception = error;
    this.#hasException = true;
    this.#state = FINISHED;
    this.loop[exceptionUnretrieved](this);
    this.#scheduleCallbacks();
  }

  /**
   * Cancels the future if it is pending: its done callbacks are scheduled and its result becomes a
   * CancelledError. Returns false if it was already done.
   * @param {string} [message]
   */
  cancel(message) {
    if (this.#state !== PENDING) return false;
    this.#state = CANCELLED;
    this.#cancelMessage = message;
    const onCancel = this.onCancel;
    if (onCancel !== null) {
      this.onCancel = null;
      onCancel();
    }
    this.#scheduleCallbacks();
    return true;
  }

  /**
   * `fn(future)` runs (through the loop's ready queue) once the future is done; at once (on the next
   * iteration) if it already is.
   * @param {DoneCallback<T>} fn
   */
  addDoneCallback(fn) {
    if (this.#state !== PENDING) this.loop.callSoon(fn, this);
    else if (this.#callbacks === null) this.#callbacks = [fn];
    else push(this.#callbacks, fn);
  }

  /**
   * Removes every registration of `fn`; returns how many there were.
   * @param {DoneCallback<T>} fn
   */
  removeDoneCallback(fn) {
    const callbacks = this.#callbacks;
    if (callbacks === null) return 0;
    const kept = filter(callbacks, (callback) => callback !== fn);
    this.#callbacks = kept;
    return callbacks.length - kept.length;
  }

  #scheduleCallbacks() {
    const callbacks = this.#callbacks;
    if (callbacks === null) return;
    this.#callbacks = null;
    for (let i = 0; i < callbacks.length; i++) this.loop.callSoon(callbacks[i], this);
  }

  /** @param {string} what */
  #alreadyDone(what) {
    return new InvalidStateError(`stepwise: ${this.describe()} is already ${STATE_NAMES[this.#state]}: cannot set its ${what}`);
  }

  /**
   * Lets native code (`await future` in a function that is not lowered, `Promise.resolve(future)`) wait
   * for the future: a native promise settled from a done callback.
   * @template [R1=T]
   * @template [R2=never]
   * @param {((value: T) => R1 | PromiseLike<R1>) | null} [onFulfilled]
   * @param {((reason: any) => R2 | PromiseLike<R2>) | null} [onRejected]
   * @returns {Promise<R1 | R2>}
   */
  then(onFulfilled, onRejected) {
    /** @type {Promise<T>} */
    const promise = new NativePromise((resolve, reject) => {
      this.addDoneCallback((future) => {
        try {
          resolve(future.result());
        } catch (error) {
          reject(error);
        }
      });
    });
    return apply(promiseThen, promise, [onFulfilled, onRejected]);
  }

  /** A short description for traces and messages: `Future-3 (sleep 10 ms)`. */
  describe() {
    return `Future-${this.id}${this.label ? ` (${this.label})` : ""}`;
  }

  get [Symbol.toStringTag]() {
    return "Future";
  }
}

/**
 * A pending future settled later by `then` on a native promise or thenable: the bridge from the host's
 * promise jobs into the loop. The settlement runs in a promise job, outside the loop; it only marks the
 * future done, and the loop learns about it through the ready queue, like any completion. A thenable's
 * `then` is called in a promise job too, as `await` calls it (NewPromiseResolveThenableJob), so even one
 * that settles as it is called leaves the task waiting until a later iteration; a native promise's own
 * `then` is called at once, which only registers the reactions.
 * @param {import("./event-loop.js").EventLoop} loop
 * @param {any} thenable
 * @param {Function} then its `then` method, already read
 */
export function bridge(loop, thenable, then) {
  const future = new Future(loop, thenable instanceof NativePromise ? "Promise" : "thenable");
  let called = false;
  const subscribe = () => {
    try {
      apply(then, thenable, [
        (/** @type {unknown} */ value) => {
          if (called) return;
          called = true;
          if (!future.done() && !loop.isClosed()) future.setResult(value);
        },
        (/** @type {unknown} */ error) => {
          if (called) return;
          called = true;
          if (!future.done() && !loop.isClosed()) future.setException(error);
        },
      ]);
    } catch (error) {
      if (!called && !future.done() && !loop.isClosed()) {
        called = true;
        future.setException(error);
      }
    }
  };
  if (then === promiseThen && thenable instanceof NativePromise) subscribe();
  else apply(promiseThen, apply(promiseResolve, NativePromise, [undefined]), [subscribe]);
  return future;
}
