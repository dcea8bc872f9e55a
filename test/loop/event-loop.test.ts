// The event loop (src/loop/): the loop itself, futures, tasks, cancellation and the functions built on
// them, run with a virtual clock; programs are lowered in loop mode by the transform.
import { describe, expect, it } from "vitest";
import { importLoop, loopUrl } from "./support.ts";

const L = await import(loopUrl);
const virtual = { clock: "virtual" } as const;

describe("EventLoop", () => {
  it("runs FIFO; an iteration runs only the callbacks that were ready when it began", async () => {
    const loop = new L.EventLoop(virtual);
    const log: string[] = [];
    loop.callSoon(() => {
      log.push(`a@${loop.iteration}`);
      loop.callSoon(() => log.push(`c@${loop.iteration}`));
    });
    loop.callSoon((x: string) => log.push(`${x}@${loop.iteration}`), "b");
    const done = loop.createFuture();
    loop.callSoon(() => loop.callSoon(() => done.setResult("ok")));
    expect(await loop.runUntilComplete(done)).toBe("ok");
    expect(log).toEqual(["a@1", "b@1", "c@2"]);
    loop.close();
  });

  it("fires timers in time order, ties in creation order; a cancelled timer never fires; virtual time jumps", async () => {
    const loop = new L.EventLoop(virtual);
    const log: string[] = [];
    loop.callLater(30, () => log.push(`30@${loop.time()}`));
    loop.callLater(10, () => log.push(`10a@${loop.time()}`));
    loop.callLater(10, () => log.push(`10b@${loop.time()}`));
    loop.callLater(20, () => log.push("never")).cancel();
    const done = loop.createFuture();
    loop.callAt(60_000, () => done.setResult(loop.time()));
    const started = performance.now();
    expect(await loop.runUntilComplete(done)).toBe(60_000);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(log).toEqual(["10a@10", "10b@10", "30@30"]);
    loop.close();
  });

  it("wakes up for a callback scheduled from outside an iteration (a host event) and for a real timer", async () => {
    const loop = new L.EventLoop();
    const done = loop.createFuture();
    setTimeout(() => loop.callSoon(() => done.setResult("host")), 5);
    expect(await loop.runUntilComplete(done)).toBe("host");
    const timed = loop.createFuture();
    const start = loop.time();
    loop.callLater(15, () => timed.setResult(loop.time() - start));
    expect(await loop.runUntilComplete(timed)).toBeGreaterThanOrEqual(14);
    loop.close();
  });

  it("a timer beyond the host's longest delay (2^31-1 ms) does not make the host timer overflow", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on("warning", onWarning);
    const loop = new L.EventLoop();
    const far = loop.callLater(2 ** 33, () => {});
    const done = loop.createFuture();
    setTimeout(() => loop.callSoon(() => done.setResult(1)), 20);
    await loop.runUntilComplete(done);
    far.cancel();
    loop.close();
    await new Promise((resolve) => setImmediate(resolve));
    process.off("warning", onWarning);
    expect(warnings).not.toContain("TimeoutOverflowWarning");
  });

  it("reports an exception thrown by a callback and goes on", async () => {
    const warnings: string[] = [];
    const loop = new L.EventLoop({ ...virtual, warn: (m: string) => warnings.push(m) });
    const done = loop.createFuture();
    loop.callSoon(function failing() {
      throw new Error("boom");
    });
    loop.callSoon(() => done.setResult(1));
    await loop.runUntilComplete(done);
    expect(warnings[0]).toMatch(/^stepwise: exception in callback failing: Error: boom/);
    loop.close();
  });

  it("refuses misuse: closed loop, running twice, another loop running, no running loop", async () => {
    const loop = new L.EventLoop(virtual);
    loop.close();
    expect(() => loop.callSoon(() => {})).toThrow("stepwise: the event loop is closed");
    await expect(loop.runUntilComplete(null)).rejects.toThrow("stepwise: the event loop is closed");
    const a = new L.EventLoop(virtual);
    const fa = a.createFuture();
    const first = a.runUntilComplete(fa);
    await expect(a.runUntilComplete(fa)).rejects.toThrow("stepwise: the event loop is already running");
    const b = new L.EventLoop(virtual);
    await expect(b.runUntilComplete(b.createFuture())).rejects.toThrow("stepwise: another event loop is running (one loop runs at a time)");
    expect(() => a.close()).toThrow("stepwise: cannot close a running event loop");
    fa.setResult(0);
    await first;
    a.close();
    expect(() => L.sleep(1)).toThrow("stepwise: no running event loop (sleep needs one: call it from a task, inside run())");
    expect(() => new L.Future()).toThrow("stepwise: no running event loop (a Future needs one");
  });
});

describe("Future", () => {
  it("holds a result, an exception or a cancellation; done callbacks go through the loop", async () => {
    const loop = new L.EventLoop(virtual);
    const future = loop.createFuture("test");
    expect(() => future.result()).toThrow(L.InvalidStateError);
    expect(() => future.result()).toThrow("stepwise: Future-1 (test) is pending: its result is not ready");
    expect(() => future.exception()).toThrow("stepwise: Future-1 (test) is pending: its exception is not set");
    const seen: string[] = [];
    const callback = () => seen.push("removed");
    future.addDoneCallback((f: any) => seen.push(`done ${f.result()}`));
    future.addDoneCallback(callback);
    expect(future.removeDoneCallback(callback)).toBe(1);
    future.setResult(7);
    expect(seen).toEqual([]); // scheduled, not called
    expect(() => future.setResult(8)).toThrow("stepwise: Future-1 (test) is already finished: cannot set its result");
    expect(() => future.setException(new Error("x"))).toThrow("stepwise: Future-1 (test) is already finished: cannot set its exception");
    expect(future.cancel()).toBe(false);
    const cancelled = loop.createFuture();
    expect(cancelled.cancel("no longer needed")).toBe(true);
    expect(cancelled.cancelled()).toBe(true);
    expect(() => cancelled.result()).toThrow(L.CancelledError);
    expect(() => cancelled.result()).toThrow("no longer needed");
    expect(() => cancelled.setResult(1)).toThrow("stepwise: Future-2 is already cancelled: cannot set its result");
    const failed = loop.createFuture();
    failed.setException(new RangeError("bad"));
    expect(failed.exception()).toBeInstanceOf(RangeError);
    await loop.runUntilComplete(future);
    expect(seen).toEqual(["done 7"]);
    loop.close();
  });

  it("warns at close about an exception nobody retrieved", async () => {
    const warnings: string[] = [];
    const loop = new L.EventLoop({ ...virtual, warn: (m: string) => warnings.push(m) });
    loop.createFuture().setException(new Error("lost"));
    const read = loop.createFuture();
    read.setException(new Error("read"));
    read.exception();
    loop.close();
    expect(warnings).toEqual(["stepwise: Future exception was never retrieved: Future-1: Error: lost"]);
  });
});

describe("tasks", () => {
  it("run coroutines; await of a coroutine runs it inline, with no trip through the scheduler", async () => {
    const { main } = await importLoop(`
      import { sleep, currentTask, getRunningLoop } from "stepwise/loop";
      async function leaf(x) { return x * 2; }
      async function middle(x) { const a = await leaf(x); const b = await leaf(a); return [a, b, currentTask().frames().length]; }
      export async function main() {
        const loop = getRunningLoop();
        const before = loop.iteration;
        const result = await middle(1);
        const inline = loop.iteration - before;
        await sleep(0);
        return { result, inline, afterSleep: loop.iteration - before };
      }`);
    expect(await L.run(main, virtual)).toEqual({ result: [2, 4, 2], inline: 0, afterSleep: 1 });
  });

  it("a deep chain of awaited coroutines runs on the task's stack of machines, not the JavaScript stack", async () => {
    const { depth } = await importLoop(`export async function depth(n) { return n === 0 ? 0 : 1 + (await depth(n - 1)); }`);
    expect(await L.run(() => depth(200_000), virtual)).toBe(200_000);
  });

  it("bridge native promises and thenables; native code can await futures and coroutines", async () => {
    const { main } = await importLoop(`
      import { sleep } from "stepwise/loop";
      async function twice(x) { await sleep(5); return x * 2; }
      export async function main() {
        const a = await Promise.resolve(1);
        const b = await { then(resolve) { resolve(2); } };
        const c = await new Promise((resolve) => setTimeout(() => resolve(3), 1));
        let d;
        try { await Promise.reject(new Error("rejected")); } catch (e) { d = e.message; }
        const e = await (async () => await twice(10))(); // a lowered arrow is a coroutine too
        const native = new Function("twice", "sleep", "return async () => (await twice(20)) + (await sleep(1, 1)) + (await sleep(0, 0))");
        const f = await native(twice, sleep)(); // native async code awaiting a coroutine and futures
        return [a, b, c, d, e, f];
      }`);
    expect(await L.run(main)).toEqual([1, 2, 3, "rejected", 20, 41]);
  });

  it("a thenable's `then` is called in a promise job, as await calls it: even one that settles at once leaves the task waiting an iteration", async () => {
    const { main } = await importLoop(`
      import { getRunningLoop } from "stepwise/loop";
      export async function main() {
        const log = [];
        const thenable = { then(resolve) { log.push("then called"); resolve("v"); } };
        const before = getRunningLoop().iteration;
        log.push(await thenable);
        log.push(getRunningLoop().iteration - before);
        Promise.resolve().then(() => log.push("a job queued before the await"));
        log.push(await { then(resolve) { log.push("then called"); resolve("w"); } });
        return log;
      }`);
    expect(await L.run(main, virtual)).toEqual(["then called", "v", 1, "a job queued before the await", "then called", "w"]);
  });

  it("run() makes the loop the running one before it calls main: a main left native may use it from its first line", async () => {
    // (native code, as a program run by plain node has it: its body runs at once, up to its first await)
    const main = async () => {
      const both = L.gather(L.sleep(10, "a"), L.sleep(5, "b"));
      await L.sleep(5);
      return ["slept", await both, L.getRunningLoop().time()];
    };
    await expect(L.run(main, virtual)).resolves.toEqual(["slept", ["a", "b"], 10]);
  });

  it("refuse misuse with clear errors", async () => {
    const { main } = await importLoop(`
      import { createTask, currentTask, Task } from "stepwise/loop";
      async function work() { return 1; }
      export async function main() {
        const errors = [];
        const coro = work();
        await coro;
        try { await coro; } catch (e) { errors.push(e.message); }
        try { await currentTask(); } catch (e) { errors.push(e.message); }
        try { createTask(() => 1); } catch (e) { errors.push(e.message); }
        try { currentTask().setResult(1); } catch (e) { errors.push(e.message); }
        return errors;
      }`);
    expect(await L.run(main, virtual)).toEqual([
      "stepwise: coroutine Work is already awaited or running (a coroutine can be awaited once)",
      "stepwise: Task-1 cannot await itself",
      "stepwise: a Task runs a coroutine (what an async function returns in loop mode), got function (anonymous)",
      "stepwise: Task-1: a task sets its own result (setResult is not available)",
    ]);
  });

  it("adopt a returned promise or coroutine, as an async function's return does", async () => {
    const { main } = await importLoop(`
      async function inner() { return 5; }
      async function viaPromise() { return Promise.resolve(4); }
      async function viaCoroutine() { return inner(); }
      export async function main() { return [await viaPromise(), await viaCoroutine()]; }`);
    expect(await L.run(main, virtual)).toEqual([4, 5]);
  });

  it("run's result is main's result, main's error its rejection; leftover tasks are cancelled at the end", async () => {
    const { main, failing } = await importLoop(`
      import { createTask, sleep } from "stepwise/loop";
      export const log = [];
      async function forever() { try { await sleep(1e9); } finally { log.push("cleaned up"); } }
      export async function main() { createTask(forever()); await sleep(1); return log; }
      export async function failing() { await sleep(1); throw new TypeError("main failed"); }`);
    expect(await L.run(main, virtual)).toEqual(["cleaned up"]);
    await expect(L.run(failing, virtual)).rejects.toThrow("main failed");
  });
});

describe("cancellation", () => {
  const program = importLoop(`
    import { createTask, sleep, CancelledError, currentTask } from "stepwise/loop";
    export const log = [];
    async function worker() {
      try {
        await sleep(1000);
        log.push("not reached");
      } finally {
        log.push("finally");
      }
    }
    async function stubborn() {
      try { await sleep(1000); } catch (e) { log.push(\`caught \${e.name}: \${e.message}\`); }
      await sleep(10);
      return "went on";
    }
    async function waiter(task) { return await task; }
    async function neverStarts() { log.push("started"); }
    export async function basic() {
      const t = createTask(worker());
      await sleep(1);
      t.cancel("stop");
      try { await t; } catch (e) { log.push(\`awaiting it: \${e.name}: \${e.message}\`); }
      log.push(\`cancelled: \${t.cancelled()}\`);
      return log;
    }
    export async function caught() {
      const t = createTask(stubborn());
      await sleep(1);
      t.cancel("please");
      return [await t, t.cancelled(), log];
    }
    export async function chain() {
      const inner = createTask(worker(), { name: "inner" });
      const outer = createTask(waiter(inner), { name: "outer" });
      await sleep(1);
      outer.cancel();
      await sleep(1);
      return [outer.cancelled(), inner.cancelled(), log];
    }
    export async function beforeStart() {
      const t = createTask(neverStarts());
      t.cancel();
      await sleep(1);
      return [t.cancelled(), log];
    }
    export async function self() {
      currentTask().cancel("myself");
      try { await sleep(5); } catch (e) { return e.message; }
    }`);

  it("throws a CancelledError in at the current await; finally blocks run", async () => {
    const { basic } = await program;
    expect(await L.run(basic, virtual)).toEqual(["finally", "awaiting it: CancelledError: stop", "cancelled: true"]);
  });

  it("can be caught: the machine goes on", async () => {
    const { caught, log } = await program;
    log.length = 0;
    expect(await L.run(caught, virtual)).toEqual(["went on", false, ["caught CancelledError: please"]]);
  });

  it("cancelling a task cancels what it awaits", async () => {
    const { chain, log } = await program;
    log.length = 0;
    expect(await L.run(chain, virtual)).toEqual([true, true, ["finally"]]);
  });

  it("a task cancelled before it starts never runs; a task can cancel itself", async () => {
    const { beforeStart, self, log } = await program;
    log.length = 0;
    expect(await L.run(beforeStart, virtual)).toEqual([true, []]);
    expect(await L.run(self, virtual)).toBe("myself");
  });

  it("CancelledError reads well", () => {
    const error = new L.CancelledError();
    expect(error.name).toBe("CancelledError");
    expect(error.message).toBe("the task was cancelled");
  });
});

describe("gather, shield, timeout, waitFor", () => {
  const program = importLoop(`
    import { gather, shield, sleep, timeout, waitFor, createTask, TimeoutError } from "stepwise/loop";
    async function after(ms, value, fail) { await sleep(ms); if (fail) throw new Error(value); return value; }
    export async function gathered() {
      const ok = await gather(after(30, "a"), after(10, "b"), Promise.resolve("c"), 4);
      let failed;
      try { await gather(after(5, "x"), after(1, "boom", true)); } catch (e) { failed = e.message; }
      const settled = await gather(after(5, "x"), after(1, "boom", true), { returnExceptions: true });
      return [ok, failed, settled.map((r) => (r instanceof Error ? "Error " + r.message : r))];
    }
    export async function cancelGather() {
      const children = [createTask(after(100, 1)), createTask(after(100, 2))];
      const g = createTask((async () => await gather(...children))());
      await sleep(1);
      g.cancel();
      await sleep(1);
      return [g.cancelled(), children.map((c) => c.cancelled())];
    }
    export async function noLimit() {
      // (no deadline: asyncio's timeout(None) and wait_for(aw, None))
      return [await timeout(null, after(10, "a")), await waitFor(after(10, "b")), await waitFor(after(10, "c"), null)];
    }
    export async function timeouts() {
      const out = [];
      out.push(await timeout(50, after(10, "in time")));
      try { await timeout(5, after(100, "late")); } catch (e) { out.push(\`\${e.name}: \${e.message}\`, e instanceof TimeoutError, e.cause.name); }
      try { await waitFor(after(100, "late"), 20); } catch (e) { out.push(e.message); }
      const slow = createTask(after(100, "x"));
      try { await waitFor(slow, 1); } catch (e) { out.push(\`task cancelled: \${slow.cancelled()}\`); }
      return out;
    }
    export async function outerCancelNotTimeout() {
      const t = createTask((async () => await timeout(1000, sleep(500)))());
      await sleep(1);
      t.cancel("outer");
      try { await t; } catch (e) { return \`\${e.name}: \${e.message}\`; }
    }
    export async function shielded() {
      const inner = createTask(after(20, "inner result"));
      const t = createTask((async () => await shield(inner))());
      await sleep(1);
      t.cancel();
      await sleep(1);
      return [t.cancelled(), inner.done(), await inner];
    }`);

  it("gather: results in order; the first failure; returnExceptions", async () => {
    const { gathered } = await program;
    expect(await L.run(gathered, virtual)).toEqual([["a", "b", "c", 4], "boom", ["x", "Error boom"]]);
  });

  it("cancelling a gather cancels its children", async () => {
    const { cancelGather } = await program;
    expect(await L.run(cancelGather, virtual)).toEqual([true, [true, true]]);
  });

  it("timeout/waitFor: a TimeoutError once the deadline passes, the work inside cancelled", async () => {
    const { timeouts } = await program;
    expect(await L.run(timeouts, virtual)).toEqual([
      "in time",
      "TimeoutError: stepwise: timed out after 5 ms",
      true,
      "CancelledError",
      "stepwise: timed out after 20 ms",
      "task cancelled: true",
    ]);
  });

  it("timeout/waitFor with no deadline (null, or left out) wait as long as the work takes", async () => {
    const { noLimit } = await program;
    expect(await L.run(noLimit, virtual)).toEqual(["a", "b", "c"]);
  });

  it("a cancellation from outside stays a cancellation inside a timeout", async () => {
    const { outerCancelNotTimeout } = await program;
    expect(await L.run(outerCancelNotTimeout, virtual)).toBe("CancelledError: outer");
  });

  it("shield: cancelling the awaiting task leaves the work inside running", async () => {
    const { shielded } = await program;
    expect(await L.run(shielded, virtual)).toEqual([true, false, "inner result"]);
  });
});

describe("TaskGroup", () => {
  const program = importLoop(`
    import { taskGroup, sleep, TaskGroupError } from "stepwise/loop";
    export const log = [];
    async function child(name, ms, fail) {
      try { await sleep(ms); if (fail) throw new Error(name + " failed"); log.push(name + " done"); return name; }
      catch (e) { log.push(name + " " + e.name); throw e; }
    }
    export async function ok() {
      const tasks = [];
      const result = await taskGroup(async (group) => {
        tasks.push(group.createTask(child("a", 10)), group.createTask(child("b", 5)));
        return "body";
      });
      return [result, tasks.map((t) => t.result())];
    }
    export async function failing() {
      log.length = 0;
      try {
        await taskGroup(async (group) => {
          group.createTask(child("a", 100));
          group.createTask(child("b", 5, true));
          await sleep(1000);
          log.push("body not reached");
        });
      } catch (e) {
        return [e instanceof TaskGroupError, e.name, e.message, e.errors.map((x) => x.message), log];
      }
    }
    export async function late() {
      let saved;
      await taskGroup(async (group) => { saved = group; });
      try { saved.createTask(child("x", 1)); } catch (e) { return e.message; }
    }`);

  it("waits for every child; the body's result is the group's", async () => {
    const { ok } = await program;
    expect(await L.run(ok, virtual)).toEqual(["body", ["a", "b"]]);
  });

  it("a failing child cancels its siblings and the body; the group throws every failure", async () => {
    const { failing } = await program;
    expect(await L.run(failing, virtual)).toEqual([
      true,
      "TaskGroupError",
      "stepwise: 1 unhandled error in a TaskGroup (first: Error: b failed)",
      ["b failed"],
      ["b Error", "a CancelledError"],
    ]);
  });

  it("refuses new children once finished", async () => {
    const { late } = await program;
    expect(await L.run(late, virtual)).toBe("stepwise: the TaskGroup is finished");
  });
});
