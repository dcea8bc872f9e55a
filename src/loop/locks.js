// Synchronization primitives for tasks of one loop (asyncio's locks.py): Event, Lock, Semaphore.
// None of them blocks a thread: waiting means awaiting a future that a `set`/`release` resolves.

import { push, shift } from "../runtime/intrinsics.js";
import { LoopError } from "./exceptions.js";
import { Future } from "./futures.js";
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

  /** Resolves (with true) once the flag is set; at once if it is. */
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
        // We were woken to take the lock but were cancelled instead: pass the turn on.
        if (!this.#locked) wakeFirst(this.#waiters);
      },
    });
  }

  release() {
    if (!this.#locked) throw new LoopError("stepwise: Lock.release() of a lock that is not acquired");
    this.#locked = false;
    wakeFirst(this.#waiters);
  }
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

  locked() {
    return this.#value === 0 || !allDone(this.#waiters);
  }

  acquire() {
    return waiting(SemaphoreAcquire, {
      // A waiter woken by release() was handed the slot; a newcomer takes a free one.
      ready: (woken) => woken !== null || this.#value > 0,
      take: (woken) => {
        if (woken === null) this.#value--;
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
    while (this.#waiters.length > 0) {
      const waiter = /** @type {Future} */ (shift(this.#waiters));
      if (!waiter.done()) {
        waiter.setResult(undefined); // the slot goes to this waiter directly
        return;
      }
    }
    this.#value++;
  }
}

/** @param {Future[]} waiters */
function allCancelled(waiters) {
  for (let i = 0; i < waiters.length; i++) if (!waiters[i].cancelled()) return false;
  return true;
}

/** @param {Future[]} waiters */
function allDone(waiters) {
  for (let i = 0; i < waiters.length; i++) if (!waiters[i].done()) return false;
  return true;
}
