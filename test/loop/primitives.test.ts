// Queue, PriorityQueue, LifoQueue, Event, Lock, Semaphore, Barrier: tasks of one loop coordinating, with a
// virtual clock. (How they interleave, against asyncio: test/loop/asyncio/.)
import { describe, expect, it } from "vitest";
import { importLoop, loopUrl } from "./support.ts";

const L = await import(loopUrl);
const virtual = { clock: "virtual" } as const;

const program = importLoop(`
  import { Queue, QueueEmpty, QueueFull, PriorityQueue, LifoQueue, Event, Lock, Semaphore, Barrier, BrokenBarrierError, createTask, gather, sleep, getRunningLoop } from "stepwise/loop";
  export async function queue() {
    const q = new Queue(2);
    const log = [];
    async function producer() {
      for (let i = 0; i < 5; i++) { await q.put(i); log.push(\`put \${i} size \${q.qsize()}\`); }
      await q.put(null);
    }
    async function consumer() {
      const got = [];
      for (;;) { const item = await q.get(); q.taskDone(); if (item === null) return got; got.push(item); await sleep(10); }
    }
    const [, got] = await gather(producer(), consumer());
    await q.join();
    return { got, log, maxSeen: Math.max(...log.map((l) => Number(l.split(" ")[3]))) };
  }
  export async function queueErrors() {
    const q = new Queue(1);
    const out = [];
    try { q.getNowait(); } catch (e) { out.push(e instanceof QueueEmpty, e.message); }
    q.putNowait(1);
    try { q.putNowait(2); } catch (e) { out.push(e instanceof QueueFull, e.message); }
    q.getNowait(); q.taskDone();
    try { q.taskDone(); } catch (e) { out.push(e.message); }
    return out;
  }
  export async function queueCancelledGetter() {
    const q = new Queue();
    const a = createTask(q.get());
    const b = createTask(q.get());
    await sleep(1);
    q.putNowait("item");
    a.cancel(); // woken for the item, cancelled before it ran: the item goes to b
    return [await b, a.cancelled(), q.qsize()];
  }
  export async function priorityOrder() {
    const q = new PriorityQueue();
    const drain = () => { const out = []; while (!q.empty()) out.push(q.getNowait()); return out; };
    for (const item of [3n, 2.5, -1, 10n, 0]) q.putNowait(item);
    const numbers = drain();
    for (const item of [[2, "b"], [1, "z", 0], [1, "z"], [2, "a"], [1, "y", 5], [1]]) q.putNowait(item);
    const tuples = drain();
    for (const item of [[[3, 1], "c"], [[2, 9, 9], "b"], [[2, 9], "z"], [[3], "a"]]) q.putNowait(item);
    const nested = drain();
    for (const item of ["b", "B", "ab", "a", "é"]) q.putNowait(item);
    return { numbers, tuples, nested, strings: drain() };
  }
  export async function priorityErrors() {
    const out = [];
    const attempt = (f) => { try { f(); out.push("no error"); } catch (e) { out.push(e.name + ": " + e.message); } };
    const q = new PriorityQueue();
    q.putNowait(1);
    attempt(() => q.putNowait({ id: 1 }));
    attempt(() => q.putNowait("1"));
    attempt(() => q.putNowait([1]));
    attempt(() => q.putNowait(null));
    attempt(() => q.putNowait(undefined));
    // Refused, the queue is as it was.
    out.push(q.qsize(), q.getNowait());
    // A payload compared only when priorities tie (Python's classic TypeError): by put, or when a get
    // compares two siblings that never met; the queue is left as it was either way.
    const a = { id: "a" }, b = { id: "b" }, c = { id: "c" };
    q.putNowait([1, a]); q.putNowait([2, b]); q.putNowait([2, c]);
    attempt(() => q.putNowait([1, c]));
    attempt(() => q.getNowait());
    out.push(q.qsize());
    q.putNowait([0, "x"]);
    out.push(q.getNowait()[1], q.qsize());
    attempt(() => new PriorityQueue(0, { compare: "desc" }));
    const full = new PriorityQueue(1);
    full.putNowait(1);
    attempt(() => full.putNowait(0));
    return out;
  }
  export async function priorityCompare() {
    const q = new PriorityQueue(0, { compare: (x, y) => y.length - x.length });
    for (const word of ["a", "abcd", "ab", "abc"]) q.putNowait(word);
    const out = [];
    while (!q.empty()) out.push(q.getNowait());
    // Many items, in and out, against a sort.
    const numbers = new PriorityQueue();
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647);
    const put = [];
    for (let i = 0; i < 500; i++) { const n = random() % 1000; put.push(n); numbers.putNowait(n); }
    const got = [];
    for (let i = 0; i < 250; i++) got.push(numbers.getNowait());
    for (let i = 0; i < 100; i++) { const n = random() % 1000; put.push(n); numbers.putNowait(n); }
    const rest = [];
    while (!numbers.empty()) rest.push(numbers.getNowait());
    const sorted = (list) => list.every((n, i) => i === 0 || list[i - 1] <= n);
    return [out, sorted(got), sorted(rest), got.length + rest.length === put.length];
  }
  export async function lifo() {
    const q = new LifoQueue(2);
    const log = [];
    async function producer() { for (let i = 0; i < 4; i++) { await q.put(i); log.push("put " + i); } }
    const p = createTask(producer());
    await sleep(1);
    log.push("full " + q.full());
    for (let i = 0; i < 4; i++) { log.push("got " + (await q.get())); q.taskDone(); await sleep(1); }
    await q.join();
    await p;
    return log;
  }
  export async function barrier() {
    const out = [];
    const attempt = async (f) => { try { await f(); out.push("no error"); } catch (e) { out.push([e instanceof BrokenBarrierError && e instanceof Error, e.name + ": " + e.message]); } };
    await attempt(() => new Barrier(0));
    await attempt(() => new Barrier(2.5));
    await attempt(() => new Barrier("2"));
    // One party: wait() lets it through at once, without a loop iteration.
    const one = new Barrier(1);
    const loop = getRunningLoop();
    const before = loop.iteration;
    out.push(await one.wait(), await one.wait(), loop.iteration - before);
    const b = new Barrier(2);
    const waiter = createTask(b.wait());
    await sleep(1);
    out.push(b.nWaiting);
    await b.abort();
    await attempt(() => waiter);
    await attempt(() => b.wait());
    out.push(b.broken);
    await b.reset();
    out.push(b.broken, (await gather(b.wait(), b.wait())).join(","), Object.prototype.toString.call(b));
    return out;
  }
  export async function event() {
    const e = new Event();
    const log = [];
    async function waiter(name) { await e.wait(); log.push(name + " at " + getRunningLoop().time()); }
    const tasks = [createTask(waiter("a")), createTask(waiter("b"))];
    await sleep(5);
    e.set();
    await gather(...tasks);
    return [log, e.isSet(), await e.wait()];
  }
  export async function lock() {
    const l = new Lock();
    const log = [];
    async function critical(name) {
      await l.acquire();
      try { log.push(name + " in"); await sleep(10); log.push(name + " out"); } finally { l.release(); }
    }
    await gather(critical("a"), critical("b"), critical("c"));
    let error;
    try { l.release(); } catch (e) { error = e.message; }
    return [log, l.locked(), error];
  }
  export async function semaphore() {
    const s = new Semaphore(2);
    let active = 0, peak = 0;
    async function job(i) {
      await s.acquire();
      try { active++; peak = Math.max(peak, active); await sleep(10); return i; } finally { active--; s.release(); }
    }
    const results = await gather(...[1, 2, 3, 4, 5].map(job));
    let error;
    try { new Semaphore(-1); } catch (e) { error = e.message; }
    return [results, peak, s.value, getRunningLoop().time(), error];
  }
`);

describe("Queue", () => {
  it("put waits while full, get while empty; join waits for taskDone", async () => {
    const { queue } = await program;
    const result = await L.run(queue, virtual);
    expect(result.got).toEqual([0, 1, 2, 3, 4]);
    expect(result.maxSeen).toBeLessThanOrEqual(2);
  });
  it("errors", async () => {
    const { queueErrors } = await program;
    expect(await L.run(queueErrors, virtual)).toEqual([
      true,
      "stepwise: the queue is empty",
      true,
      "stepwise: the queue is full (maxsize 1)",
      "stepwise: Queue.taskDone() called more times than there were items",
    ]);
  });
  it("a getter cancelled after it was woken passes the item on", async () => {
    const { queueCancelledGetter } = await program;
    expect(await L.run(queueCancelledGetter, virtual)).toEqual(["item", true, 0]);
  });
});

describe("PriorityQueue, LifoQueue", () => {
  it("orders numbers and bigints, arrays as tuples (element by element, a prefix first), strings by UTF-16 code units", async () => {
    const { priorityOrder } = await program;
    expect(await L.run(priorityOrder, virtual)).toEqual({
      numbers: [-1, 0, 2.5, 3n, 10n],
      tuples: [[1], [1, "y", 5], [1, "z"], [1, "z", 0], [2, "a"], [2, "b"]],
      nested: [[[2, 9], "z"], [[2, 9, 9], "b"], [[3], "a"], [[3, 1], "c"]],
      strings: ["B", "a", "ab", "b", "é"],
    });
  });
  it("refuses what it cannot order, leaving the queue as it was (a put or a get)", async () => {
    const { priorityErrors } = await program;
    const order = (what: string) => `TypeError: stepwise: PriorityQueue cannot order ${what}: it orders numbers, strings and arrays of them (as Python orders tuples); give it a compare option`;
    expect(await L.run(priorityErrors, virtual)).toEqual([
      order("an object ([object Object]) and number 1"),
      order('string "1" and number 1'),
      order("an array and number 1"),
      order("null and number 1"),
      order("undefined and number 1"),
      1,
      1,
      order("an object ([object Object]) and an object ([object Object])"),
      order("an object ([object Object]) and an object ([object Object])"),
      3,
      "x",
      3,
      "TypeError: stepwise: PriorityQueue's compare option is a function, got string \"desc\"",
      "QueueFull: stepwise: the queue is full (maxsize 1)",
    ]);
  });
  it("a compare option orders anything; the heap hands out in order through many puts and gets", async () => {
    const { priorityCompare } = await program;
    expect(await L.run(priorityCompare, virtual)).toEqual([["abcd", "abc", "ab", "a"], true, true, true]);
  });
  it("LifoQueue: the newest first; put waits while full; join", async () => {
    const { lifo } = await program;
    expect(await L.run(lifo, virtual)).toEqual(["put 0", "put 1", "full true", "got 1", "put 2", "got 2", "put 3", "got 3", "got 0"]);
  });
});

describe("Barrier", () => {
  it("parties must be an integer > 0; a broken barrier says why; reset repairs it", async () => {
    const { barrier } = await program;
    expect(await L.run(barrier, virtual)).toEqual([
      [false, "RangeError: stepwise: Barrier parties must be an integer > 0, got number 0"],
      [false, "RangeError: stepwise: Barrier parties must be an integer > 0, got number 2.5"],
      [false, 'RangeError: stepwise: Barrier parties must be an integer > 0, got string "2"'],
      0,
      0,
      0,
      1,
      [true, "BrokenBarrierError: stepwise: the barrier was aborted or reset while this task waited"],
      [true, "BrokenBarrierError: stepwise: the barrier is broken (aborted)"],
      true,
      false,
      "0,1",
      "[object Barrier]",
    ]);
  });
});

describe("Event, Lock, Semaphore", () => {
  it("Event wakes every waiter", async () => {
    const { event } = await program;
    expect(await L.run(event, virtual)).toEqual([["a at 5", "b at 5"], true, true]);
  });
  it("Lock: one holder at a time, in arrival order; releasing an unlocked lock throws", async () => {
    const { lock } = await program;
    expect(await L.run(lock, virtual)).toEqual([
      ["a in", "a out", "b in", "b out", "c in", "c out"],
      false,
      "stepwise: Lock.release() of a lock that is not acquired",
    ]);
  });
  it("Semaphore bounds concurrency", async () => {
    const { semaphore } = await program;
    expect(await L.run(semaphore, virtual)).toEqual([
      [1, 2, 3, 4, 5],
      2,
      2,
      30,
      "stepwise: Semaphore initial value must be a non-negative integer, got -1",
    ]);
  });
});
