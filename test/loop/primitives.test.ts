// Queue, Event, Lock, Semaphore: tasks of one loop coordinating, with a virtual clock.
import { describe, expect, it } from "vitest";
import { importLoop, loopUrl } from "./support.ts";

const L = await import(loopUrl);
const virtual = { clock: "virtual" } as const;

const program = importLoop(`
  import { Queue, QueueEmpty, QueueFull, Event, Lock, Semaphore, createTask, gather, sleep, getRunningLoop } from "stepwise/loop";
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
