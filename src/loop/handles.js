// Callbacks the loop will run (asyncio's events.Handle and TimerHandle), and the heap of timers.

import { apply, filter, pop, push } from "../runtime/intrinsics.js";
import { stepOf, timerCancelled } from "./internal.js";

/** A callback on the ready queue: `fn(...args)`, unless cancelled before its turn. */
export class Handle {
  /**
   * @param {(...args: any[]) => void} fn
   * @param {unknown[]} args
   * @param {number} [id] numbered per loop (traces name the handles they queue and run by it)
   */
  constructor(fn, args, id = 0) {
    this.fn = fn;
    this.args = args;
    this.cancelled = false;
    this.id = id;
    /** True for a host event (`fromHost`). */
    this.host = false;
    /** With a tracer: what queued it (`timer 2`, `host fileDone`, `Task-1`), else null. @type {string | null} */
    this.cause = null;
  }

  cancel() {
    this.cancelled = true;
  }

  run() {
    const { fn, args } = this;
    switch (args.length) {
      case 0:
        return fn();
      case 1:
        return fn(args[0]);
      default:
        return apply(fn, undefined, args);
    }
  }

  /**
   * A short description for traces and warnings: the callback's name (`Task-1 step` for a task).
   * @returns {string}
   */
  get label() {
    return /** @type {any} */ (this.fn).taskLabel ?? (this.fn.name || "anonymous callback");
  }

  /**
   * Who this handle is, as the cause of what it queues: `Task-1`, `host fileDone`, `callback stopLoop`.
   * @returns {string}
   */
  get agent() {
    const task = /** @type {any} */ (this.fn)[stepOf];
    if (task !== undefined) return task.describe();
    return `${this.host ? "host" : "callback"} ${this.label}`;
  }
}

/** A callback due at `when` (loop time, ms). Timers due at the same time run in the order they were made. */
export class TimerHandle extends Handle {
  /**
   * @param {number} when
   * @param {number} seq
   * @param {(...args: any[]) => void} fn
   * @param {unknown[]} args
   * @param {import("./event-loop.js").EventLoop | null} owner counts cancelled timers still in the heap
   * @param {number} [id]
   */
  constructor(when, seq, fn, args, owner, id = 0) {
    super(fn, args, id);
    this.when = when;
    this.seq = seq;
    /** True while in the heap. */
    this.scheduled = false;
    this.owner = owner;
  }

  cancel() {
    if (!this.cancelled && this.scheduled && this.owner) this.owner[timerCancelled](this);
    super.cancel();
  }

  /** Timers are numbered from 1 per loop, in the order they were made: `timer 2`. */
  get number() {
    return this.seq + 1;
  }

  get agent() {
    return `timer ${this.seq + 1}`;
  }
}

/** @param {TimerHandle} a @param {TimerHandle} b */
function before(a, b) {
  return a.when < b.when || (a.when === b.when && a.seq < b.seq);
}

/**
 * A binary min-heap of timers ordered by (when, creation order), as asyncio keeps `_scheduled`, but for
 * timers of one `when`: asyncio's heap compares `when` alone, so they come out in no fixed order; here in
 * the order they were made.
 */
export class TimerHeap {
  constructor() {
    /** @type {TimerHandle[]} */
    this.items = [];
  }

  get size() {
    return this.items.length;
  }

  /** @returns {TimerHandle | undefined} */
  peek() {
    return this.items[0];
  }

  /** @param {TimerHandle} timer */
  push(timer) {
    const items = this.items;
    let i = items.length;
    push(items, timer);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(timer, items[parent])) break;
      items[i] = items[parent];
      i = parent;
    }
    items[i] = timer;
  }

  /** @returns {TimerHandle | undefined} */
  pop() {
    const items = this.items;
    const top = items[0];
    const last = pop(items);
    if (items.length > 0 && last !== undefined) this.#siftDown(last, 0);
    return top;
  }

  /**
   * @param {TimerHandle} item
   * @param {number} i
   */
  #siftDown(item, i) {
    const items = this.items;
    const n = items.length;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && before(items[child + 1], items[child])) child++;
      if (!before(items[child], item)) break;
      items[i] = items[child];
      i = child;
    }
    items[i] = item;
  }

  /** Drops cancelled timers and rebuilds the heap (when they make up most of it). */
  compact() {
    const kept = filter(this.items, (timer) => {
      if (timer.cancelled) timer.scheduled = false;
      return !timer.cancelled;
    });
    this.items = [];
    for (let i = 0; i < kept.length; i++) this.push(kept[i]);
  }
}
