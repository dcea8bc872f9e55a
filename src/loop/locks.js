// Synchronization primitives for tasks of one loop (asyncio's locks.py): Event, Lock, Semaphore,
// BoundedSemaphore, Condition.
// None of them blocks a thread: waiting means awaiting a future that a `set`/`release` resolves.

import { push } from "../runtime/intrinsics.js";
import { DONE } from "../runtime/index.js";
import { Coroutine, InlineMachine } from "./coroutine.js";
import { CancelledError, LoopError } from "./exceptions.js";
import { Future } from "./futures.js";
import { waitLabel } from "./internal.js";
import { getRunningLoop } from "./running.js";
import { Waiting, remove, waiting, wakeFirst } from "./waiting.js";

class EventWait extends Waiting {
  /** (explicit: a derived class's default constructor spreads its arguments through Array.prototype[Symbol.iterator]) @param {import("./waiting.js").WaitSpec} spec */
  constructor(spec) {
    super(spec);
  }
}
class LockAcquire extends Waiting {
  /** (explicit: a derived class's default constructor spreads its arguments through Array.prototype[Symbol.iterator]) @param {import("./waiting.js").WaitSpec} spec */
  constructor(spec) {
    super(spec);
  }
}
class SemaphoreAcquire extends Waiting {
  /** (explicit: a derived class's default constructor spreads its arguments through Array.prototype[Symbol.iterator]) @param {import("./waiting.js").WaitSpec} spec */
  constructor(spec) {
    super(spec);
  }
}

/** A flag tasks can wait for: `wait()` until some task calls `set()`. */
export class Event {
  #set = false;
  /** @type {Future[]} */
  #waiters = [];

  isSet() {
    return this.#set;
  }

  /** Sets the flag and wakes every waiter. */
  set() {
    if (this.#set) return;
    this.#set = true;
    const waiters = this.#waiters;
    for (let i = 0; i < waiters.length; i++) if (!waiters[i].done()) waiters[i].setResult(undefined);
    this.#waiters.length = 0;
  }

  clear() {
    this.#set = false;
  }

  /**
   * Resolves (with true) once the flag is set; at once if it is.
   * @returns {Coroutine<true>}
   */
  wait() {
    return waiting(EventWait, {
      // Woken by set(): true, even if the flag was cleared again before this task ran.
      ready: (woken) => woken !== null || this.#set,
      take: () => true,
      waiter: () => {
        const waiter = new Future(getRunningLoop("Event.wait"), "Event.wait");
        push(this.#waiters, waiter);
        return waiter;
      },
      abandon: (waiter) => remove(this.#waiters, waiter),
    });
  }
}

/**
 * A mutual-exclusion lock: `await lock.acquire()`, then `lock.release()` in a `finally`.
 * Fair: waiters acquire in the order they came.
 */
export class Lock {
  #locked = false;
  /** @type {Future[]} */
  #waiters = [];

  locked() {
    return this.#locked;
  }

  /**
   * Resolves (with true) once the lock is taken.
   * @returns {Coroutine<true>}
   */
  acquire() {
    return waiting(LockAcquire, {
      // Woken by release(); or, arriving, free with nobody queued (a newcomer does not overtake a woken waiter).
      ready: (woken) => woken !== null || (!this.#locked && allCancelled(this.#waiters)),
      take: (woken) => {
        if (woken !== null) remove(this.#waiters, woken);
        this.#locked = true;
        return true;
      },
      waiter: () => {
        const waiter = new Future(getRunningLoop("Lock.acquire"), "Lock.acquire");
        push(this.#waiters, waiter);
        return waiter;
      },
      abandon: (waiter) => {
        remove(this.#waiters, waiter);
        // Cancelled, woken or not: if the lock is free, the turn passes to the next in line.
        if (!this.#locked) wakeHead(this.#waiters);
      },
    });
  }

  release() {
    if (!this.#locked) throw new LoopError("stepwise: Lock.release() of a lock that is not acquired");
    this.#locked = false;
    wakeHead(this.#waiters);
  }
}

/**
 * Wakes the first waiter in line, only if it is still pending (asyncio's Lock._wake_up_first): one that
 * was cancelled passes the turn on itself when its task runs, so a release never wakes two, who would
 * both hold the lock.
 * @param {Future[]} waiters
 */
function wakeHead(waiters) {
  if (waiters.length > 0 && !waiters[0].done()) waiters[0].setResult(undefined);
}

/** A counter of available slots: `acquire()` takes one (waiting while there are none), `release()` returns it. */
export class Semaphore {
  #value;
  /** @type {Future[]} */
  #waiters = [];

  /** @param {number} [value] */
  constructor(value = 1) {
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`stepwise: Semaphore initial value must be a non-negative integer, got ${value}`);
    this.#value = value;
  }

  get value() {
    return this.#value;
  }

  /** No slot for a newcomer: none free, or tasks waiting (even one woken that has not run yet). */
  locked() {
    return this.#value === 0 || !allCancelled(this.#waiters);
  }

  /**
   * Resolves (with true) once a slot is taken.
   * @returns {Coroutine<true>}
   */
  acquire() {
    return waiting(SemaphoreAcquire, {
      // A waiter woken by release() was handed its slot (counted off when woken); a newcomer takes a free
      // one only if nobody waits, so it does not overtake a woken waiter (asyncio 3.11's fairness).
      ready: (woken) => woken !== null || !this.locked(),
      take: (woken) => {
        if (woken === null) this.#value--;
        else {
          remove(this.#waiters, woken);
          if (this.#value > 0) this.#wakeNext();
        }
        return true;
      },
      waiter: () => {
        const waiter = new Future(getRunningLoop("Semaphore.acquire"), "Semaphore.acquire");
        push(this.#waiters, waiter);
        return waiter;
      },
      abandon: (waiter) => {
        remove(this.#waiters, waiter);
        // Handed a slot, then cancelled: give it back.
        if (waiter.done() && !waiter.cancelled()) this.release();
      },
    });
  }

  release() {
    this.#value++;
    this.#wakeNext();
  }

  /** Hands a free slot to the first waiter not woken yet (asyncio's _wake_up_next); it stays listed until it runs. */
  #wakeNext() {
    if (wakeFirst(this.#waiters)) this.#value--;
  }
}

/** @param {Future[]} waiters */
function allCancelled(waiters) {
  for (let i = 0; i < waiters.length; i++) if (!waiters[i].cancelled()) return false;
  return true;
}


/** A Semaphore that refuses to be released above its initial value (asyncio's BoundedSemaphore). */
export class BoundedSemaphore extends Semaphore {
  #bound;

  /** @param {number} [value] */
  constructor(value = 1) {
    super(value);
    this.#bound = value;
  }

  release() {
    if (this.value >= this.#bound) throw new RangeError("stepwise: BoundedSemaphore released too many times");
    super.release();
  }
}

/**
 * A condition variable: tasks holding its lock `wait()` (the lock released meanwhile) until another
 * task holding it calls `notify(n)` or `notifyAll()` (asyncio's Condition). `wait()` takes the lock
 * again before it returns, even when cancelled.
 */
export class Condition {
  /** Notifiable waiters, in arrival order. @type {Future[]} */
  #waiters = [];
  /** The label of its waits' futures: a primitive built on a condition (Barrier) names itself. */
  [waitLabel] = "Condition.wait";

  /** @param {Lock} [lock] a lock of its own by default */
  constructor(lock = new Lock()) {
    this.lock = lock;
  }

  locked() {
    return this.lock.locked();
  }

  /**
   * Takes the condition's lock: resolves with true.
   * @returns {Coroutine<true>}
   */
  acquire() {
    return this.lock.acquire();
  }

  release() {
    this.lock.release();
  }

  /**
   * Releases the lock, waits to be notified, takes the lock again; resolves with true.
   * @returns {Coroutine<true>}
   */
  wait() {
    return new Coroutine(new ConditionWait(this, this.#waiters));
  }

  /**
   * Waits until `predicate()` is truthy (checked now, then after each notification); resolves with its value.
   * @template T
   * @param {() => T} predicate
   * @returns {Coroutine<Exclude<T, false | 0 | 0n | "" | null | undefined>>}
   */
  waitFor(predicate) {
    return new Coroutine(new ConditionWaitFor(this, predicate));
  }

  /**
   * Wakes up to `n` waiting tasks (each takes the lock again before its wait returns).
   * @param {number} [n]
   */
  notify(n = 1) {
    if (!this.locked()) throw new LoopError("stepwise: Condition.notify() of a lock that is not acquired");
    let woken = 0;
    const waiters = this.#waiters;
    for (let i = 0; i < waiters.length && woken < n; i++) {
      if (!waiters[i].done()) {
        woken++;
        waiters[i].setResult(false);
      }
    }
  }

  notifyAll() {
    this.notify(this.#waiters.length);
  }
}

const WAIT_START = 0;
const NOTIFIED = 1;
const REACQUIRED = 2;

/**
 * The inline coroutine behind `condition.wait()`, written by hand with the machine protocol (`step`
 * returns AWAIT or DONE): release, wait for a notification, take the lock again, retrying while that
 * is cancelled, and only then throw (a cancellation met on the way wins, as in asyncio's).
 */
class ConditionWait extends InlineMachine {
  /**
   * @param {Condition} condition
   * @param {Future[]} waiters the condition's notifiable waiters
   */
  constructor(condition, waiters) {
    super();
    this.condition = condition;
    this.waiters = waiters;
    /** @type {Future | null} */
    this.waiter = null;
    /** What ended the wait, if it did not end by a notification. @type {{ error: unknown } | null} */
    this.failure = null;
    this.cancelled = false;
  }

  /**
   * @param {unknown} sent
   * @param {boolean} thrown
   */
  step(sent, thrown) {
    const condition = this.condition;
    if (this.state === WAIT_START) {
      if (thrown) {
        this.finished();
        throw sent;
      }
      if (!condition.locked()) {
        this.finished();
        throw new LoopError("stepwise: Condition.wait() of a lock that is not acquired");
      }
      condition.release();
      this.waiter = new Future(getRunningLoop("Condition.wait"), condition[waitLabel]);
      push(this.waiters, this.waiter);
      return this.await(this.waiter, NOTIFIED);
    }
    if (this.state === NOTIFIED) {
      remove(this.waiters, /** @type {Future} */ (this.waiter));
      if (thrown) this.failure = { error: sent };
      return this.await(condition.acquire(), REACQUIRED);
    }
    if (thrown) {
      if (!(sent instanceof CancelledError)) {
        this.finished();
        throw sent;
      }
      this.cancelled = true;
      return this.await(condition.acquire(), REACQUIRED);
    }
    this.finished();
    if (this.cancelled) throw new CancelledError("stepwise: Condition.wait() was cancelled while taking the lock again");
    if (this.failure !== null) throw this.failure.error;
    this.$value = true;
    return DONE;
  }
}

/** The inline coroutine behind `condition.waitFor(predicate)`: wait until the predicate holds. */
class ConditionWaitFor extends InlineMachine {
  /**
   * @param {Condition} condition
   * @param {() => unknown} predicate
   */
  constructor(condition, predicate) {
    super();
    this.condition = condition;
    this.predicate = predicate;
  }

  /**
   * @param {unknown} sent
   * @param {boolean} thrown
   */
  step(sent, thrown) {
    if (thrown) {
      this.finished();
      throw sent;
    }
    const result = this.predicate();
    if (result) {
      this.finished();
      this.$value = result;
      return DONE;
    }
    return this.await(this.condition.wait(), 1);
  }
}
