// Queues between tasks (asyncio's queues.py): `put` waits while the queue is full, `get` while it is
// empty; `join` waits until every item taken has been marked done with `taskDone`. A Queue hands items out
// first in, first out; a PriorityQueue smallest first (a binary heap, as Python's heapq); a LifoQueue last
// in, first out. They differ only in how they store the items (asyncio's `_init`, `_put`, `_get`).

import { NativeTypeError, isArray, pop, push } from "../runtime/intrinsics.js";
import { Future } from "./futures.js";
import { queueStorage } from "./internal.js";
import { getRunningLoop } from "./running.js";
import { describeValue } from "./tasks.js";
import { Waiting, remove, waiting, wakeFirst } from "./waiting.js";

/** The taken items at the front of a queue's array are dropped once there are more than this many... */
const COMPACT_MIN_TAKEN = 1024;
/** ...and they are more than this share of the array. */
const COMPACT_TAKEN_SHARE = 0.5;

/**
 * Where a queue keeps its items: `put` one, `get` the next (never called empty), `size`; `kind` names
 * the queue in traces (`PriorityQueue.get`).
 * @template T
 * @typedef {{ kind: string, size(): number, put(item: T): void, get(): T }} QueueStorage
 */

/**
 * First in, first out: an array read from a moving head (compacted now and then), not shifted.
 * @template T
 * @implements {QueueStorage<T>}
 */
class Fifo {
  kind = "Queue";
  /** @type {T[]} */
  items = [];
  head = 0;

  size() {
    return this.items.length - this.head;
  }

  /** @param {T} item */
  put(item) {
    push(this.items, item);
  }

  get() {
    const item = this.items[this.head];
    this.items[this.head++] = /** @type {any} */ (undefined);
    if (this.head > COMPACT_MIN_TAKEN && this.head > this.items.length * COMPACT_TAKEN_SHARE) {
      const items = this.items;
      /** @type {T[]} */
      const kept = [];
      for (let i = this.head; i < items.length; i++) push(kept, items[i]);
      this.items = kept;
      this.head = 0;
    }
    return item;
  }
}

/**
 * Last in, first out (asyncio's LifoQueue: a list, appended to and popped).
 * @template T
 * @implements {QueueStorage<T>}
 */
class Stack {
  kind = "LifoQueue";
  /** @type {T[]} */
  items = [];

  size() {
    return this.items.length;
  }

  /** @param {T} item */
  put(item) {
    push(this.items, item);
  }

  get() {
    return /** @type {T} */ (pop(this.items));
  }
}

/**
 * Smallest first: a binary min-heap, heapq's algorithm (heappush's sift toward the root; heappop's sift of
 * the last item down to a leaf along the smaller children, then back up), so that items the order calls
 * equal come out in the order Python's would. `less(a, b)` is Python's `a < b`.
 * Unlike heapq, every comparison is made before the heap is changed: an order that throws (items it
 * cannot compare) leaves the queue as it was.
 * @template T
 * @implements {QueueStorage<T>}
 */
class Heap {
  kind = "PriorityQueue";
  /** @type {T[]} */
  items = [];

  /** @param {(a: T, b: T) => boolean} less */
  constructor(less) {
    this.less = less;
  }

  size() {
    return this.items.length;
  }

  /** @param {T} item */
  put(item) {
    const heap = this.items;
    // Where the new last item comes to rest on its way up (heapq's _siftdown from the end)...
    let pos = heap.length;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      if (!this.less(item, heap[parent])) break;
      pos = parent;
    }
    // ...then the parents on the way move down a level.
    let hole = heap.length;
    while (hole > pos) {
      const parent = (hole - 1) >> 1;
      heap[hole] = heap[parent];
      hole = parent;
    }
    heap[pos] = item;
  }

  get() {
    const heap = this.items;
    const last = heap.length - 1;
    const smallest = heap[0];
    if (last === 0) {
      heap.length = 0;
      return smallest;
    }
    const item = heap[last];
    // heapq's _siftup of the last item from the root, over the heap without it: the path of smaller
    // children down to a leaf (right unless left < right)...
    /** @type {number[]} */
    const path = [0];
    let child = 1;
    while (child < last) {
      const right = child + 1;
      if (right < last && !this.less(heap[child], heap[right])) child = right;
      push(path, child);
      child = 2 * child + 1;
    }
    // ...whose items would each move up a level; then the item sinks back from the leaf while it is less
    // than what is above it (its _siftdown): it rests at path[k].
    let k = path.length - 1;
    while (k > 0 && this.less(item, heap[path[k]])) k--;
    for (let i = 0; i < k; i++) heap[path[i]] = heap[path[i + 1]];
    heap[path[k]] = item;
    heap.length = last;
    return smallest;
  }
}

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
  /** @type {QueueStorage<T>} */
  #items;
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
    this.#items = this[queueStorage]();
  }

  /**
   * How the queue stores its items: in arrival order (PriorityQueue and LifoQueue store them otherwise).
   * @returns {QueueStorage<T>}
   */
  [queueStorage]() {
    return new Fifo();
  }

  qsize() {
    return this.#items.size();
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
    this.#items.put(item);
    this.#unfinished++;
    wakeFirst(this.#getters);
  }

  /** @returns {T} */
  getNowait() {
    if (this.empty()) throw new QueueEmpty();
    const item = this.#items.get();
    wakeFirst(this.#putters);
    return item;
  }

  /**
   * Puts `item` at the end, waiting while the queue is full.
   * @param {T} item
   * @returns {import("./coroutine.js").Coroutine<void>}
   */
  put(item) {
    return waiting(QueuePut, {
      ready: (woken) => {
        if (woken !== null) remove(this.#putters, woken);
        return !this.full();
      },
      take: () => this.putNowait(item),
      waiter: () => this.#wait(this.#putters, "put"),
      abandon: (waiter) => {
        remove(this.#putters, waiter);
        // Woken for a free slot but cancelled: let the next putter have it.
        if (!this.full() && waiter.done() && !waiter.cancelled()) wakeFirst(this.#putters);
      },
    });
  }

  /**
   * Takes the first item, waiting while the queue is empty.
   * @returns {import("./coroutine.js").Coroutine<T>}
   */
  get() {
    return waiting(QueueGet, {
      ready: (woken) => {
        if (woken !== null) remove(this.#getters, woken);
        return !this.empty();
      },
      take: () => this.getNowait(),
      waiter: () => this.#wait(this.#getters, "get"),
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

  /**
   * Resolves (with undefined) once every item put has been marked done.
   * @returns {import("./coroutine.js").Coroutine<void>}
   */
  join() {
    return waiting(QueueJoin, {
      // Woken when the count reached 0: done, even if an item was put before this task ran.
      ready: (woken) => woken !== null || this.#unfinished === 0,
      take: () => undefined,
      waiter: () => {
        return this.#wait(this.#joiners, "join");
      },
      abandon: (waiter) => remove(this.#joiners, waiter),
    });
  }

  /**
   * A waiter for `list`, named for traces by the queue's kind and the operation (`PriorityQueue.get`).
   * @param {Future[]} list
   * @param {string} operation
   */
  #wait(list, operation) {
    const label = `${this.#items.kind}.${operation}`;
    const waiter = new Future(getRunningLoop(label), label);
    push(list, waiter);
    return waiter;
  }
}

/**
 * A queue that hands out its smallest item first (asyncio's PriorityQueue, a heap). Python orders items
 * with `<`; here, by default: numbers and bigints by `<`, strings by `<` (UTF-16 code units), arrays
 * element by element as Python compares tuples (the first elements that differ decide; a prefix comes
 * first), so `[priority, data]` entries work as in Python. Items of other kinds, or of kinds that do not
 * compare (a number and a string), make `put` throw a TypeError, as Python's `<` does; the option
 * `compare(a, b)` (negative when `a` comes first, as for Array.prototype.sort) orders anything. Items
 * that compare equal come out in the order Python's heapq would give them, not necessarily the order
 * they were put in (add a counter to the entries, `[priority, count, data]`, for that).
 * @template T
 * @extends {Queue<T>}
 */
export class PriorityQueue extends Queue {
  /** @type {((a: T, b: T) => number) | null} */
  #compare;

  /**
   * @param {number} [maxsize] 0 (the default) for no limit
   * @param {{ compare?: (a: T, b: T) => number }} [options]
   */
  constructor(maxsize = 0, options = {}) {
    super(maxsize);
    const compare = options.compare;
    if (compare !== undefined && typeof compare !== "function") {
      throw new NativeTypeError(`stepwise: PriorityQueue's compare option is a function, got ${describeValue(compare)}`);
    }
    this.#compare = compare ?? null;
  }

  /** @returns {QueueStorage<T>} */
  [queueStorage]() {
    // (read when items are compared: the constructor sets #compare after the Queue constructor made the heap)
    return new Heap((a, b) => (this.#compare === null ? pythonOrder(a, b) : this.#compare(a, b)) < 0);
  }
}

/**
 * A queue that hands out the item put last first (asyncio's LifoQueue, a stack).
 * @template T
 * @extends {Queue<T>}
 */
export class LifoQueue extends Queue {
  /** @param {number} [maxsize] 0 (the default) for no limit */
  constructor(maxsize = 0) {
    super(maxsize);
  }

  /** @returns {QueueStorage<T>} */
  [queueStorage]() {
    return new Stack();
  }
}

/**
 * A PriorityQueue's default order, Python's `<` for the values JavaScript has in common with it: numbers
 * (and bigints) and strings by `<`, arrays as tuples (element by element, then by length). Negative if
 * `a` comes first, positive if `b` does, 0 if neither (equal, or NaN); a TypeError for values it cannot
 * order.
 * @param {unknown} a
 * @param {unknown} b
 * @returns {number}
 */
function pythonOrder(a, b) {
  if (a === b) return 0;
  const ta = typeof a;
  const tb = typeof b;
  if ((ta === "number" || ta === "bigint") && (tb === "number" || tb === "bigint")) {
    return /** @type {number} */ (a) < /** @type {number} */ (b) ? -1 : /** @type {number} */ (b) < /** @type {number} */ (a) ? 1 : 0;
  }
  if (ta === "string" && tb === "string") return /** @type {string} */ (a) < /** @type {string} */ (b) ? -1 : 1;
  if (isArray(a) && isArray(b)) {
    const length = a.length < b.length ? a.length : b.length;
    for (let i = 0; i < length; i++) {
      const order = pythonOrder(a[i], b[i]);
      if (order !== 0) return order;
    }
    return a.length - b.length;
  }
  throw new NativeTypeError(
    `stepwise: PriorityQueue cannot order ${describeValue(a)} and ${describeValue(b)}: it orders numbers, strings and arrays of them (as Python orders tuples); give it a compare option`,
  );
}
