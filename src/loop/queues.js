// A FIFO queue between tasks (asyncio's queues.py): `put` waits while the queue is full, `get` while it
// is empty; `join` waits until every item taken has been marked done with `taskDone`.

import { push } from "../runtime/intrinsics.js";
import { Future } from "./futures.js";
import { getRunningLoop } from "./running.js";
import { Waiting, remove, waiting, wakeFirst } from "./waiting.js";

/** The taken items at the front of a queue's array are dropped once there are more than this many... */
const COMPACT_MIN_TAKEN = 1024;
/** ...and they are more than this share of the array. */
const COMPACT_TAKEN_SHARE = 0.5;

class QueueGet extends Waiting {
  /** (explicit: a derived class's default constructor spreads its arguments through Array.prototype[Symbol.iterator]) @param {import("./waiting.js").WaitSpec} spec */
  constructor(spec) {
    super(spec);
  }
}
class QueuePut extends Waiting {
  /** (explicit: a derived class's default constructor spreads its arguments through Array.prototype[Symbol.iterator]) @param {import("./waiting.js").WaitSpec} spec */
  constructor(spec) {
    super(spec);
  }
}
class QueueJoin extends Waiting {
  /** (explicit: a derived class's default constructor spreads its arguments through Array.prototype[Symbol.iterator]) @param {import("./waiting.js").WaitSpec} spec */
  constructor(spec) {
    super(spec);
  }
}

/** `getNowait()` on an empty queue. */
export class QueueEmpty extends Error {
  constructor() {
    super("stepwise: the queue is empty");
    this.name = "QueueEmpty";
  }
}

/** `putNowait()` on a full queue. */
export class QueueFull extends Error {
  /** @param {number} maxsize */
  constructor(maxsize) {
    super(`stepwise: the queue is full (maxsize ${maxsize})`);
    this.name = "QueueFull";
  }
}

/** @template T */
export class Queue {
  /** @type {T[]} */
  #items = [];
  #head = 0;
  /** @type {Future[]} */
  #getters = [];
  /** @type {Future[]} */
  #putters = [];
  #unfinished = 0;
  /** Tasks in join(), woken when no item is unfinished. @type {Future[]} */
  #joiners = [];

  /** @param {number} [maxsize] 0 (the default) for no limit */
  constructor(maxsize = 0) {
    this.maxsize = maxsize;
  }

  qsize() {
    return this.#items.length - this.#head;
  }

  empty() {
    return this.qsize() === 0;
  }

  full() {
    return this.maxsize > 0 && this.qsize() >= this.maxsize;
  }

  /** @param {T} item */
  putNowait(item) {
    if (this.full()) throw new QueueFull(this.maxsize);
    push(this.#items, item);
    this.#unfinished++;
    wakeFirst(this.#getters);
  }

  /** @returns {T} */
  getNowait() {
    if (this.empty()) throw new QueueEmpty();
    const item = this.#items[this.#head];
    this.#items[this.#head++] = /** @type {any} */ (undefined);
    if (this.#head > COMPACT_MIN_TAKEN && this.#head > this.#items.length * COMPACT_TAKEN_SHARE) {
      const items = this.#items;
      /** @type {T[]} */
      const kept = [];
      for (let i = this.#head; i < items.length; i++) push(kept, items[i]);
      this.#items = kept;
      this.#head = 0;
    }
    wakeFirst(this.#putters);
    return item;
  }

  /**
   * Puts `item` at the end, waiting while the queue is full.
   * @param {T} item
   */
  put(item) {
    return waiting(QueuePut, {
      ready: (woken) => {
        if (woken !== null) remove(this.#putters, woken);
        return !this.full();
      },
      take: () => this.putNowait(item),
      waiter: () => this.#wait(this.#putters, "Queue.put"),
      abandon: (waiter) => {
        remove(this.#putters, waiter);
        // Woken for a free slot but cancelled: let the next putter have it.
        if (!this.full() && waiter.done() && !waiter.cancelled()) wakeFirst(this.#putters);
      },
    });
  }

  /** Takes the first item, waiting while the queue is empty. */
  get() {
    return waiting(QueueGet, {
      ready: (woken) => {
        if (woken !== null) remove(this.#getters, woken);
        return !this.empty();
      },
      take: () => this.getNowait(),
      waiter: () => this.#wait(this.#getters, "Queue.get"),
      abandon: (waiter) => {
        remove(this.#getters, waiter);
        // Woken for an item but cancelled: the item stays queued for the next getter.
        if (!this.empty() && waiter.done() && !waiter.cancelled()) wakeFirst(this.#getters);
      },
    });
  }

  /** Marks one item taken with `get` as processed (for `join`). */
  taskDone() {
    if (this.#unfinished <= 0) throw new RangeError("stepwise: Queue.taskDone() called more times than there were items");
    this.#unfinished--;
    if (this.#unfinished === 0) {
      const joiners = this.#joiners;
      this.#joiners = [];
      for (let i = 0; i < joiners.length; i++) if (!joiners[i].done()) joiners[i].setResult(undefined);
    }
  }

  /** Resolves (with undefined) once every item put has been marked done. */
  join() {
    return waiting(QueueJoin, {
      // Woken when the count reached 0: done, even if an item was put before this task ran.
      ready: (woken) => woken !== null || this.#unfinished === 0,
      take: () => undefined,
      waiter: () => {
        const waiter = new Future(getRunningLoop("Queue.join"), "Queue.join");
        push(this.#joiners, waiter);
        return waiter;
      },
      abandon: (waiter) => remove(this.#joiners, waiter),
    });
  }

  /**
   * @param {Future[]} list
   * @param {string} label
   */
  #wait(list, label) {
    const waiter = new Future(getRunningLoop(label), label);
    push(list, waiter);
    return waiter;
  }
}
