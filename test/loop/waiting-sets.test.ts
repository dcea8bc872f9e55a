// wait and asCompleted (src/loop/waiting-sets.js) beyond what test/loop/asyncio/ compares with asyncio: the
// iterables they take, their timeouts on the virtual clock, asCompleted starting when first iterated, and
// every error a caller can meet, word for word.
import { describe, expect, it } from "vitest";
import { importLoop, loopUrl } from "./support.ts";

const L = await import(loopUrl);
const virtual = { clock: "virtual" } as const;

const program = importLoop(`
  import { EventLoop, Future, createTask, ensureFuture, sleep, wait, asCompleted, getRunningLoop, FIRST_COMPLETED } from "stepwise/loop";
  async function after(ms, value) { await sleep(ms); return value; }
  async function idle() {}
  const names = (set) => [...set].map((f) => f.name);
  export async function iterables() {
    const loop = getRunningLoop();
    const [a, b, c] = [createTask(after(30, "a"), { name: "a" }), createTask(after(10, "b"), { name: "b" }), createTask(after(20, "c"), { name: "c" })];
    const out = [];
    // A Set; the sets keep the order the futures were given in.
    let [done, pending] = await wait(new Set([a, b, c]), { returnWhen: FIRST_COMPLETED });
    out.push([names(done), names(pending), loop.time()]);
    // Any iterable, each future once.
    function* twice() { yield c; yield a; yield c; }
    [done, pending] = await wait(twice(), { timeout: 15 });
    out.push([names(done), names(pending), loop.time()]);
    [done, pending] = await wait([c, a, b]);
    out.push([names(done), names(pending), loop.time()]);
    // A timeout of 0 returns on the next iterations, without waiting for a pending future (not cancelled).
    const slow = createTask(after(100, "slow"), { name: "slow" });
    [done, pending] = await wait([slow], { timeout: 0 });
    out.push([names(done), names(pending), loop.time(), slow.cancelled()]);
    // A timeout of null is no timeout.
    [done, pending] = await wait([slow], { timeout: null });
    out.push([names(done), loop.time()]);
    return out;
  }
  export async function completed() {
    const loop = getRunningLoop();
    const out = [];
    // Nothing happens before the first next(): the coroutine is not run, no timer is armed.
    const coro = after(5, "coro");
    const iterator = asCompleted([coro, Promise.resolve("promise"), after(1, "first")], { timeout: 50 });
    out.push(coro.started, iterator[Symbol.iterator]() === iterator);
    const first = iterator.next();
    out.push(coro.started);
    const awaitables = [first.value, iterator.next().value, iterator.next().value];
    out.push(iterator.next().done, iterator.next().done);
    for (const next of awaitables) out.push(await next);
    out.push(loop.time());
    // An awaitable woken for a completion, then cancelled before it ran: the completion goes to the next.
    // (cancelled by a done callback of x's task that runs right after asCompleted's, which woke tx)
    const xTask = createTask(after(10, "x"));
    const [x, y] = asCompleted([xTask, after(20, "y")]);
    const tx = createTask((async () => await x)());
    const ty = createTask((async () => await y)());
    xTask.addDoneCallback(() => tx.cancel());
    out.push(await ty, tx.cancelled(), loop.time());
    return out;
  }
  export async function completedAsync() {
    const loop = getRunningLoop();
    const out = [];
    // for await hands out the futures themselves, done: the task given, the task made for a coroutine, the
    // future a promise was bridged to.
    const a = createTask(after(30, "a"), { name: "a" });
    const iterator = asCompleted([a, after(10, "coro"), Promise.resolve("promise")]);
    out.push(iterator[Symbol.asyncIterator]() !== iterator);
    for await (const future of iterator) out.push([future === a, future.constructor.name, future.done(), future.result(), loop.time()]);
    // (the timeout throws from the loop, after the futures done before it)
    try {
      for await (const future of asCompleted([after(5, "fast"), sleep(50)], { timeout: 10 })) out.push(future.result());
    } catch (e) {
      out.push(e.name + ": " + e.message, loop.time());
    }
    return out;
  }
  export async function errors() {
    const out = [];
    const attempt = async (f) => { try { await f(); out.push("no error"); } catch (e) { out.push(e.name + ": " + e.message); } };
    const t = createTask(idle());
    await attempt(() => wait([]));
    await attempt(() => wait(new Set()));
    await attempt(() => wait([t], { returnWhen: "FIRST" }));
    await attempt(() => wait([t], { returnWhen: 3 }));
    await attempt(() => wait(t));
    await attempt(() => wait(5));
    await attempt(() => wait(undefined));
    const alone = idle();
    await attempt(() => wait(alone)); alone.close();
    const coro = idle();
    await attempt(() => wait([t, coro])); coro.close();
    await attempt(() => wait([Promise.resolve(1)]));
    await attempt(() => wait([1]));
    await attempt(() => wait([new Future(new EventLoop())]));
    await attempt(() => wait([t], { timeout: "1" }));
    // (checked when awaited, as asyncio's async def wait: the call alone throws nothing)
    const unawaited = wait([]);
    out.push(unawaited.constructor.name);
    unawaited.close();
    await attempt(() => { for (const next of asCompleted(t)) {} });
    await attempt(() => { for (const next of asCompleted(7)) {} });
    await attempt(() => { for (const next of asCompleted([1])) {} });
    await attempt(() => { for (const next of asCompleted([new Future(new EventLoop())])) {} });
    await attempt(() => { for (const next of asCompleted([t], { timeout: "1" })) {} });
    await attempt(async () => { for (const next of asCompleted([sleep(50), ensureFuture(after(5, 1))], { timeout: 10 })) out.push(await next); });
    return out;
  }
`);

describe("wait", () => {
  it("takes any iterable of futures, each once; the sets keep the order given; a timeout cancels nothing", async () => {
    const { iterables } = await program;
    expect(await L.run(iterables, virtual)).toEqual([
      [["b"], ["a", "c"], 10],
      [["c"], ["a"], 25],
      [["c", "a", "b"], [], 30],
      [[], ["slow"], 30, false],
      [["slow"], 130],
    ]);
  });
});

describe("asCompleted", () => {
  it("starts when first iterated; takes coroutines and promises; a completion an awaitable was woken for goes to the next if it is cancelled", async () => {
    const { completed } = await program;
    expect(await L.run(completed, virtual)).toEqual([false, true, true, true, true, "promise", "first", "coro", 5, "x", true, 15]);
  });
});

describe("asCompleted with for await (asyncio 3.13's async for)", () => {
  it("hands out each future as it completes, already done; the timeout throws from the loop", async () => {
    const { completedAsync } = await program;
    expect(await L.run(completedAsync, virtual)).toEqual([
      true,
      [false, "Future", true, "promise", 0],
      [false, "Task", true, "coro", 10],
      [true, "Task", true, "a", 30],
      "fast",
      "TimeoutError: stepwise: asCompleted() timed out after 10 ms",
      40,
    ]);
  });
});

describe("wait and asCompleted: errors", () => {
  it("every refusal, in asyncio's order and words (RangeError for ValueError)", async () => {
    const { errors } = await program;
    const notIterable = (what: string, value: string) => `TypeError: stepwise: ${what} takes an iterable of futures (an array, a Set), not ${value}`;
    expect(await L.run(errors, virtual)).toEqual([
      "RangeError: stepwise: wait() of an empty set of tasks/futures",
      "RangeError: stepwise: wait() of an empty set of tasks/futures",
      'RangeError: stepwise: wait(): invalid returnWhen value "FIRST" (FIRST_COMPLETED, FIRST_EXCEPTION or ALL_COMPLETED)',
      "RangeError: stepwise: wait(): invalid returnWhen value number 3 (FIRST_COMPLETED, FIRST_EXCEPTION or ALL_COMPLETED)",
      notIterable("wait()", "Task-2"),
      notIterable("wait()", "number 5"),
      notIterable("wait()", "undefined"),
      notIterable("wait()", "coroutine Idle"),
      "TypeError: stepwise: wait() takes tasks, not coroutines (got coroutine Idle): pass createTask(coro), and keep the task to find it in the sets wait() resolves to",
      "TypeError: stepwise: wait() takes futures and tasks, not a Promise: pass ensureFuture(promise), and keep the future to find it in the sets wait() resolves to",
      "TypeError: stepwise: wait() takes futures and tasks, not number 1",
      "LoopError: stepwise: Future-1 belongs to another event loop",
      'TypeError: stepwise: wait(): the timeout is a number of milliseconds or null, got string "1"',
      "Coroutine",
      notIterable("asCompleted()", "Task-2"),
      notIterable("asCompleted()", "number 7"),
      "TypeError: stepwise: number 1 is not awaitable (expected a coroutine, a Future or a promise)",
      "LoopError: stepwise: Future-1 belongs to another event loop",
      'TypeError: stepwise: asCompleted(): the timeout is a number of milliseconds or null, got string "1"',
      1,
      "TimeoutError: stepwise: asCompleted() timed out after 10 ms",
    ]);
  });
});
