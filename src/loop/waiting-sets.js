// Waiting on several futures at once (asyncio's tasks.py `wait` and `as_completed`): `wait` until the
// first of them completes, the first fails, or all complete, and get back which are done; `asCompleted`,
// their results one by one in the order they complete.
//
// Both learn of a completion as asyncio does, through a done callback (queued by the loop, so it runs on
// the iteration after the future completed), which then wakes the waiting task (one iteration more).

import { NativeSet, NativeTypeError, SymbolIterator, apply, callIteratorMethod, isArray, isObject, push, setAdd, setClear, setDelete, setHas, setSize, valuesOf } from "../runtime/intrinsics.js";
import { DONE } from "../runtime/index.js";
import { Coroutine, InlineMachine } from "./coroutine.js";
import { LoopError, TimeoutError } from "./exceptions.js";
import { Future } from "./futures.js";
import { currentLoop, getRunningLoop } from "./running.js";
import { describeValue, ensureFuture } from "./tasks.js";
import { Waiting, remove, waiting, wakeFirst } from "./waiting.js";

/** `wait` returns as soon as any future is done (completed, failed or cancelled). */
export const FIRST_COMPLETED = "FIRST_COMPLETED";
/** `wait` returns as soon as any future fails (cancelled does not count), or when all are done. */
export const FIRST_EXCEPTION = "FIRST_EXCEPTION";
/** `wait` returns when every future is done (the default). */
export const ALL_COMPLETED = "ALL_COMPLETED";

/**
 * @typedef {{ timeout?: number | null, returnWhen?: "FIRST_COMPLETED" | "FIRST_EXCEPTION" | "ALL_COMPLETED" }} WaitOptions
 *   `timeout`: ms of loop time after which `wait` returns whatever is done by then (null or absent: no
 *   limit); `returnWhen`: FIRST_COMPLETED, FIRST_EXCEPTION or ALL_COMPLETED (the default).
 */

/**
 * Waits for the futures and tasks of `aws` (an array, a Set or any iterable) until `returnWhen` holds or
 * `timeout` ms have passed, and resolves with `[done, pending]`: two Sets of the futures given, in the
 * order given (asyncio.wait). It cancels nothing and throws no TimeoutError: what is not done is in
 * `pending`. Coroutines are refused, as asyncio 3.11 refuses them (unlike `gather`): the sets hold the
 * futures themselves, and the task a coroutine would be wrapped in is one the caller has not got, so
 * could not find in them; pass `createTask(coro)`. Returns a coroutine, as asyncio's `async def wait`
 * does: the arguments are checked when it is awaited.
 * @template {Future} F
 * @param {Iterable<F>} aws futures and tasks (not coroutines, nor promises: see above)
 * @param {WaitOptions} [options]
 * @returns {Coroutine<[done: Set<F>, pending: Set<F>]>}
 */
export function wait(aws, options = {}) {
  return new Coroutine(new Wait(aws, options.timeout, options.returnWhen === undefined ? ALL_COMPLETED : options.returnWhen));
}

/**
 * The inline coroutine behind `wait()` (asyncio's `wait` and `_wait`): a waiter future, set by the done
 * callback that sees `returnWhen` hold or by the timeout's timer; then the futures are sorted into done
 * and pending. Hand-written with the machine protocol.
 */
class Wait extends InlineMachine {
  /**
   * @param {Iterable<unknown>} aws
   * @param {number | null | undefined} timeout
   * @param {unknown} returnWhen
   */
  constructor(aws, timeout, returnWhen) {
    super();
    this.aws = aws;
    this.timeout = timeout;
    this.returnWhen = returnWhen;
    /** @type {Future[]} */
    this.futures = [];
    /** @type {import("./handles.js").TimerHandle | null} */
    this.timer = null;
    /** @type {((future: Future) => void) | null} */
    this.onDone = null;
  }

  /**
   * @param {unknown} sent
   * @param {boolean} thrown
   */
  step(sent, thrown) {
    if (this.state === 0) {
      if (thrown) {
        this.finished();
        throw sent;
      }
      let futures;
      try {
        futures = this.#check();
      } catch (error) {
        this.finished();
        throw error;
      }
      return this.await(this.#start(futures), 1);
    }
    // Woken (by a completion or the timer) or cancelled: either way the callbacks go (asyncio's finally).
    this.finished();
    if (this.timer !== null) this.timer.cancel();
    const futures = this.futures;
    const onDone = /** @type {(future: Future) => void} */ (this.onDone);
    for (let i = 0; i < futures.length; i++) futures[i].removeDoneCallback(onDone);
    if (thrown) throw sent;
    /** @type {Set<Future>} */
    const done = new NativeSet();
    /** @type {Set<Future>} */
    const pending = new NativeSet();
    for (let i = 0; i < futures.length; i++) apply(setAdd, futures[i].done() ? done : pending, [futures[i]]);
    this.$value = [done, pending];
    return DONE;
  }

  /** The futures to wait for, each once, or the error asyncio raises for these arguments. */
  #check() {
    const items = distinctItems(this.aws, "wait()");
    if (items.length === 0) throw new RangeError("stepwise: wait() of an empty set of tasks/futures");
    const returnWhen = this.returnWhen;
    if (returnWhen !== FIRST_COMPLETED && returnWhen !== FIRST_EXCEPTION && returnWhen !== ALL_COMPLETED) {
      const shown = typeof returnWhen === "string" ? `"${returnWhen}"` : describeValue(returnWhen);
      throw new RangeError(`stepwise: wait(): invalid returnWhen value ${shown} (FIRST_COMPLETED, FIRST_EXCEPTION or ALL_COMPLETED)`);
    }
    const timeout = this.timeout;
    if (timeout !== null && timeout !== undefined && typeof timeout !== "number") {
      throw new NativeTypeError(`stepwise: wait(): the timeout is a number of milliseconds or null, got ${describeValue(timeout)}`);
    }
    const loop = getRunningLoop("wait");
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (item instanceof Future) {
        if (item.loop !== loop) throw new LoopError(`stepwise: ${item.describe()} belongs to another event loop`);
        continue;
      }
      if (item instanceof Coroutine) {
        throw new NativeTypeError(`stepwise: wait() takes tasks, not coroutines (got ${item.describe()}): pass createTask(coro), and keep the task to find it in the sets wait() resolves to`);
      }
      if (isObject(item) && typeof (/** @type {any} */ (item).then) === "function") {
        throw new NativeTypeError(`stepwise: wait() takes futures and tasks, not ${describeValue(item)}: pass ensureFuture(promise), and keep the future to find it in the sets wait() resolves to`);
      }
      throw new NativeTypeError(`stepwise: wait() takes futures and tasks, not ${describeValue(item)}`);
    }
    return /** @type {Future[]} */ (items);
  }

  /**
   * Arms the callbacks and the timer; returns the future the task waits for.
   * @param {Future[]} futures
   */
  #start(futures) {
    const loop = futures[0].loop;
    const returnWhen = this.returnWhen;
    const waiter = new Future(loop, `wait ${returnWhen} of ${futures.length}`);
    this.futures = futures;
    const timeout = this.timeout;
    if (timeout !== null && timeout !== undefined) this.timer = loop.callLater(timeout, expireWait, waiter);
    let counter = futures.length;
    const onWaitedDone = (/** @type {Future} */ future) => {
      counter--;
      if (counter <= 0 || returnWhen === FIRST_COMPLETED || (returnWhen === FIRST_EXCEPTION && readFailure(future))) {
        if (this.timer !== null) this.timer.cancel();
        if (!waiter.done()) waiter.setResult(undefined);
      }
    };
    this.onDone = onWaitedDone;
    for (let i = 0; i < futures.length; i++) futures[i].addDoneCallback(onWaitedDone);
    return waiter;
  }
}

/**
 * Under FIRST_EXCEPTION: did `future` fail? Its failure is read, so it counts as retrieved (never
 * reported at close), as asyncio's `_on_completion` reads it with `exception()`; only while futures
 * remain, as there (when the last one completes, `wait` returns without looking).
 * @param {Future} future
 */
function readFailure(future) {
  if (future.cancelled() || !future.failed()) return false;
  future.exception();
  return true;
}

/**
 * The timer of `wait(aws, { timeout })`: wake the task, which returns what is done by now.
 * @param {Future} waiter
 */
function expireWait(waiter) {
  if (!waiter.done()) waiter.setResult(undefined);
}

/**
 * The items of `aws` (an array, a Set, or any iterable, read with the iterator protocol), each once, in
 * order (asyncio makes a set of them); a future or coroutine given alone, or anything not iterable, is
 * refused as asyncio refuses it.
 * @param {unknown} aws
 * @param {string} what
 * @returns {unknown[]}
 */
function distinctItems(aws, what) {
  if (aws instanceof Future || aws instanceof Coroutine || aws === null || aws === undefined || typeof (/** @type {any} */ (aws)[SymbolIterator]) !== "function") {
    throw new NativeTypeError(`stepwise: ${what} takes an iterable of futures (an array, a Set), not ${describeValue(aws)}`);
  }
  /** @type {Set<unknown>} */
  const seen = new NativeSet();
  /** @type {unknown[]} */
  const items = [];
  const add = (/** @type {unknown} */ item) => {
    if (apply(setHas, seen, [item])) return;
    apply(setAdd, seen, [item]);
    push(items, item);
  };
  if (isArray(aws)) {
    for (let i = 0; i < aws.length; i++) add(aws[i]);
  } else if (aws instanceof NativeSet) {
    const values = valuesOf(/** @type {Set<unknown>} */ (aws));
    for (let i = 0; i < values.length; i++) add(values[i]);
  } else {
    const iterator = callIteratorMethod(/** @type {any} */ (aws)[SymbolIterator], aws, []);
    if (!isObject(iterator)) throw new NativeTypeError(`stepwise: ${what}: the iterator is not an object`);
    const next = /** @type {any} */ (iterator).next;
    for (;;) {
      const result = callIteratorMethod(next, iterator, []);
      if (!isObject(result)) throw new NativeTypeError(`stepwise: ${what}: the iterator result is not an object`);
      if (/** @type {any} */ (result).done) break;
      add(/** @type {any} */ (result).value);
    }
  }
  return items;
}

/**
 * The awaitables of `aws` in the order they complete (asyncio's `as_completed`): an iterator of as many
 * awaitables as there are distinct ones in `aws`, the first resolving to the first result (or throwing the
 * first error), and so on; after `timeout` ms (if given), those not resolved yet throw a TimeoutError (the
 * work goes on: nothing is cancelled).
 *
 *     for (const next of asCompleted(tasks)) { const result = await next; }
 *
 * Iterated with `for await` (asyncio 3.13's `async for`), it hands out the futures themselves as they
 * complete, already done: those given, the task made for a coroutine, the future a promise was bridged
 * to; the timeout throws its TimeoutError from the loop.
 *
 *     for await (const task of asCompleted(tasks)) { const result = task.result(); }
 *
 * Unlike `wait`, it takes coroutines (run in new tasks) and promises, as `gather` does. Like asyncio
 * 3.11's (a generator), it starts when first iterated: tasks are made and the timeout starts then.
 * @template {PromiseLike<unknown>} E
 * @param {Iterable<E>} aws coroutines (what async functions return in loop mode, which TypeScript types
 *   as promises), futures, tasks or promises
 * @param {{ timeout?: number | null }} [options]
 * @returns {IterableIterator<Coroutine<Awaited<E>>> & AsyncIterable<CompletedFuture<E>>}
 */
export function asCompleted(aws, options = {}) {
  return /** @type {IterableIterator<Coroutine<Awaited<E>>> & AsyncIterable<CompletedFuture<E>>} */ (
    /** @type {unknown} */ (new AsCompletedIterator(aws, options.timeout))
  );
}

/**
 * What `for await (const future of asCompleted(aws))` hands out for an awaitable of `aws`: the future
 * itself (a future or task given), the task made for a coroutine, or the future a promise was bridged
 * to, already done. (Its `then` is left out of the type: TypeScript types what `for await` hands out as
 * awaited, which it is not; `future.result()` reads the value.)
 * @template E
 * @typedef {(E extends Future<any> ? E : Future<Awaited<E>>) & { then: never }} CompletedFuture
 */

/** What `asCompleted` shares with the awaitables it hands out: the futures completed, in order. */
class Completions {
  /** Completed futures, in completion order; null for each one still pending when the timeout passed. @type {(Future | null)[]} */
  items = [];
  /** How many of `items` were taken. */
  head = 0;
  /** Tasks waiting for the next completion (asyncio's queue getters). @type {Future[]} */
  getters = [];

  /** @param {Future | null} item */
  put(item) {
    push(this.items, item);
    wakeFirst(this.getters);
  }

  empty() {
    return this.head === this.items.length;
  }
}

class AsCompletedIterator {
  /** @type {unknown} */
  #aws;
  /** @type {number | null | undefined} */
  #timeout;
  #started = false;
  /** How many awaitables are still to hand out. */
  #left = 0;
  #completions = new Completions();

  /**
   * @param {unknown} aws
   * @param {number | null | undefined} timeout
   */
  constructor(aws, timeout) {
    this.#aws = aws;
    this.#timeout = timeout;
  }

  [Symbol.iterator]() {
    return this;
  }

  /** @returns {IteratorResult<Coroutine, undefined>} */
  next() {
    return this.#handOutAnother() ? { value: this.#nextCompleted((future) => future.result()), done: false } : { value: undefined, done: true };
  }

  /**
   * `for await`'s iterator: each `next()` an awaitable of the next future completed (asyncio 3.13's
   * `__anext__`), the end a result at once.
   * @returns {AsyncIterator<Future, undefined>}
   */
  [Symbol.asyncIterator]() {
    // (typed as a promise's iterator, for `for await` in TypeScript: the coroutine is a thenable, which a
    // lowered loop awaits on the loop as asyncio's `async for` does)
    return /** @type {AsyncIterator<Future, undefined>} */ (/** @type {unknown} */ ({
      next: () => (this.#handOutAnother() ? this.#nextCompleted((future) => ({ value: future, done: false })) : { value: undefined, done: true }),
      [Symbol.asyncIterator]() {
        return this;
      },
    }));
  }

  /** Whether another completion is to hand out (counting it out); the first call starts the work. */
  #handOutAnother() {
    if (!this.#started) {
      this.#started = true;
      this.#left = this.#start();
    }
    if (this.#left === 0) return false;
    this.#left--;
    return true;
  }

  /**
   * The awaitable of the next completion: what `take` makes of the future that completed (asyncio's
   * `_wait_for_one`), or the TimeoutError.
   * @param {(future: Future) => unknown} take
   * @returns {Coroutine}
   */
  #nextCompleted(take) {
    const completions = this.#completions;
    return waiting(AsCompletedNext, {
      ready: (woken) => {
        if (woken !== null) remove(completions.getters, woken);
        return !completions.empty();
      },
      take: () => {
        const future = completions.items[completions.head];
        completions.items[completions.head++] = null;
        if (future === null) throw new TimeoutError(`stepwise: asCompleted() timed out after ${this.#timeout} ms`);
        return take(future);
      },
      waiter: () => {
        const waiter = new Future(getRunningLoop("asCompleted"), "asCompleted");
        push(completions.getters, waiter);
        return waiter;
      },
      abandon: (waiter) => {
        remove(completions.getters, waiter);
        // Woken for a completion but cancelled: the next awaitable waiting gets it.
        if (!completions.empty() && waiter.done() && !waiter.cancelled()) wakeFirst(completions.getters);
      },
    });
  }

  /** Makes the futures (tasks for coroutines), arms their callbacks and the timer; returns how many. */
  #start() {
    if (this.#timeout !== null && this.#timeout !== undefined && typeof this.#timeout !== "number") {
      throw new NativeTypeError(`stepwise: asCompleted(): the timeout is a number of milliseconds or null, got ${describeValue(this.#timeout)}`);
    }
    const items = distinctItems(this.#aws, "asCompleted()");
    if (items.length === 0) return 0;
    // The running loop, as asyncio's (outside one, that of the first future given): a future of another
    // loop is refused.
    let loop = currentLoop();
    for (let i = 0; i < items.length && loop === null; i++) if (items[i] instanceof Future) loop = /** @type {Future} */ (items[i]).loop;
    if (loop === null) loop = getRunningLoop("asCompleted");
    /** @type {Future[]} */
    const futures = [];
    for (let i = 0; i < items.length; i++) push(futures, ensureFuture(/** @type {PromiseLike<unknown>} */ (items[i]), loop));
    const count = futures.length;
    /** The futures not completed yet (asyncio's todo). @type {Set<Future>} */
    const todo = new NativeSet();
    for (let i = 0; i < count; i++) apply(setAdd, todo, [futures[i]]);
    const completions = this.#completions;
    /** @type {import("./handles.js").TimerHandle | null} */
    let timer = null;
    const onAsCompletedDone = (/** @type {Future} */ future) => {
      if (apply(setSize, todo, []) === 0) return; // the timeout came first
      apply(setDelete, todo, [future]);
      completions.put(future);
      if (apply(setSize, todo, []) === 0 && timer !== null) timer.cancel();
    };
    // One TimeoutError for each future still pending, after those completed before.
    const expireAsCompleted = () => {
      const left = valuesOf(todo);
      for (let i = 0; i < left.length; i++) {
        left[i].removeDoneCallback(onAsCompletedDone);
        completions.put(null);
      }
      apply(setClear, todo, []);
    };
    for (let i = 0; i < count; i++) futures[i].addDoneCallback(onAsCompletedDone);
    const timeout = this.#timeout;
    if (timeout !== null && timeout !== undefined) timer = loop.callLater(timeout, expireAsCompleted);
    return count;
  }
}

/** The inline coroutine of each awaitable `asCompleted` hands out (asyncio's `_wait_for_one`), named for traces. */
class AsCompletedNext extends Waiting {
  /** (explicit: a derived class's default constructor spreads its arguments through Array.prototype[Symbol.iterator]) @param {import("./waiting.js").WaitSpec} spec */
  constructor(spec) {
    super(spec);
  }
}
