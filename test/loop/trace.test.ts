// The loop's trace events (#18): what enters the ready queue and from where, timers scheduled, fired
// and cancelled, tasks created, what woke a task (a primitive names itself: Barrier.wait, wait(),
// asCompleted); their one-line text (formatEvent); and that a loop without a tracer records nothing.
import { describe, expect, it } from "vitest";
import { importLoop, loopUrl } from "./support.ts";

const L = await import(loopUrl);
const virtual = { clock: "virtual" } as const;

type Event = { kind: string } & Record<string, unknown>;

function recorder() {
  const events: Event[] = [];
  return { events, trace: (event: Event) => events.push(event), lines: () => events.map((event) => L.formatEvent(event)) };
}

describe("the loop's trace", () => {
  it("numbers the handles it queues and runs, says who queued them, and lists a timer that never fires while it is pending", async () => {
    const { events, trace, lines } = recorder();
    const loop = new L.EventLoop({ ...virtual, trace });
    const never = loop.callLater(1000, function never() {});
    const done = loop.createFuture("done");
    loop.callSoon(function first() {
      loop.callSoon(function second() {
        never.cancel();
        done.setResult(1);
      });
    });
    loop.fromHost(function dataArrived() {});
    await loop.runUntilComplete(done);
    loop.close();
    expect(lines()).toEqual([
      "  timer 1 scheduled for 1000 ms (in 1000 ms): never",
      "  queued: first",
      "  host event queued: dataArrived",
      "iteration 1: 2 ready, 1 timer waiting",
      "  callback first",
      "  queued: second",
      "  callback dataArrived",
      "iteration 2: 1 ready, 1 timer waiting",
      "  callback second",
      "  timer 1 cancelled (was due at 1000 ms): never",
      "  queued: stopLoop",
      "iteration 3: 1 ready",
      "  callback stopLoop",
      "loop closed",
    ]);
    const queued = events.filter((event) => event.kind === "enqueue" || event.kind === "host" || event.kind === "schedule");
    expect(queued.map((event) => [event.kind, event.handle, event.cause ?? null])).toEqual([
      ["schedule", 1, null],
      ["enqueue", 2, null],
      ["host", 3, null],
      ["enqueue", 4, "callback first"],
      ["enqueue", 5, "callback second"],
    ]);
    // Each callback that runs names the handle that was queued.
    expect(events.filter((event) => event.kind === "callback").map((event) => event.handle)).toEqual([2, 3, 4, 5]);
  });

  it("a task's creation, its first step, what woke it (the timer of its sleep) and a cancelled timeout's timer", async () => {
    const { main } = await importLoop(`
      import { createTask, sleep, timeout } from "stepwise/loop";
      async function child() { await sleep(5); return "child"; }
      export async function main() {
        const t = createTask(child());
        await timeout(100, t);
        return await t;
      }`);
    const { events, lines } = recorder();
    expect(await L.run(main, { ...virtual, trace: (event: Event) => events.push(event) })).toBe("child");
    expect(lines()).toEqual([
      "  Task-1 created for coroutine Main",
      "  queued: Task-1 step",
      "iteration 1: 1 ready",
      "  Task-1: Main resumes in state 0 (first step)",
      "  Task-2 created for coroutine Child",
      "  queued: Task-2 step",
      "  Task-1: Timeout resumes in state 0 (called inline)",
      "  timer 1 scheduled for 100 ms (in 100 ms): expireTimeout",
      "  Task-1: Timeout suspends before state 1, awaiting Task-2",
      "iteration 2: 1 ready, 1 timer waiting",
      "  Task-2: Child resumes in state 0 (first step)",
      "  timer 2 scheduled for 5 ms (in 5 ms): settleSleep",
      "  Task-2: Child suspends before state 1, awaiting Future-1 (sleep 5 ms)",
      "iteration 3: 1 ready, 1 timer waiting",
      "  timer 2 due at 5 ms: settleSleep",
      "  callback settleSleep",
      "  queued: Task-2 wakeup",
      "iteration 4: 1 ready, 1 timer waiting",
      "  Task-2: Child resumes in state 1 (woken by Future-1 (sleep 5 ms), set by timer 2)",
      "  Task-2: done, returned \"child\"",
      "  queued: Task-1 wakeup",
      "iteration 5: 1 ready, 1 timer waiting",
      "  Task-1: Timeout resumes in state 1 (woken by Task-2)",
      "  timer 1 cancelled (was due at 100 ms): expireTimeout",
      "  Task-1: Main resumes in state 1 (Timeout returned)",
      "  Task-1: Main resumes in state 2 (Task-2, already done)",
      "  Task-1: done, returned \"child\"",
      "  queued: stopLoop",
      "iteration 6: 1 ready",
      "  callback stopLoop",
      "loop closed",
    ]);
    const steps = events.filter((event) => event.kind === "step");
    // The wake-up step runs in the handle the timer's callback queued.
    const wakeup = events.find((event) => event.kind === "enqueue" && event.callback === "Task-2 wakeup")!;
    expect(steps.find((event) => event.woke === "Future-1 (sleep 5 ms)")).toMatchObject({ handle: wakeup.handle, cause: "timer 2" });
    expect(events.find((event) => event.kind === "task" && event.task === "Task-2")).toMatchObject({ coroutine: "Child", cause: "Task-1" });
  });

  it("an await of a plain value says so; tasks and futures are numbered apart (Task-N, Future-N)", async () => {
    const { main } = await importLoop(`
      import { sleep } from "stepwise/loop";
      async function pair() { return [1, 2]; }
      export async function main() { await 1; await sleep(1); await pair(); }`);
    const { events, lines } = recorder();
    await L.run(main, { ...virtual, trace: (event: Event) => events.push(event) });
    expect(lines()).toContain("  Task-1: Main resumes in state 1 (awaited a plain value: no wait)");
    expect(lines()).toContain("  Task-1: Main suspends before state 2, awaiting Future-1 (sleep 1 ms)");
    // An inline coroutine that returns an object (not awaitable) returned it: the caller awaited no plain value.
    expect(lines()).toContain("  Task-1: Main resumes in state 3 (Pair returned)");
  });

  it("a task woken by a Barrier or a PriorityQueue says so: their waits' futures are named after them", async () => {
    const { main } = await importLoop(`
      import { createTask, sleep, Barrier, PriorityQueue } from "stepwise/loop";
      export async function main() {
        const barrier = new Barrier(2);
        const other = createTask(barrier.wait());
        await sleep(0);
        await barrier.wait();
        await other;
        const q = new PriorityQueue(1);
        const getter = createTask(q.get());
        await sleep(0);
        q.putNowait(1);
        await q.put(0);
        return await getter;
      }`);
    const { trace, lines } = recorder();
    expect(await L.run(main, { ...virtual, trace })).toBe(1);
    const text = lines();
    expect(text).toContain("  Task-2 created for coroutine BarrierWait");
    expect(text).toContain("  Task-2: ConditionWait suspends before state 1, awaiting Future-1 (Barrier.wait)");
    expect(text).toContain("  Task-2: ConditionWait resumes in state 1 (woken by Future-1 (Barrier.wait), set by Task-1)");
    expect(text).toContain("  Task-2: BarrierWait resumes in state 3 (ConditionWaitFor returned)");
    expect(text).toContain("  Task-3: QueueGet suspends before state 1, awaiting Future-2 (PriorityQueue.get)");
    expect(text).toContain("  Task-1: QueuePut suspends before state 1, awaiting Future-3 (PriorityQueue.put)");
    expect(text).toContain("  Task-3: QueueGet resumes in state 1 (woken by Future-2 (PriorityQueue.get), set by Task-1)");
    expect(text).toContain("  Task-1: QueuePut resumes in state 1 (woken by Future-3 (PriorityQueue.put), set by Task-3)");
  });

  it("a task woken by wait() or asCompleted says so: the done callback that saw a completion set their future", async () => {
    const { main } = await importLoop(`
      import { createTask, sleep, wait, asCompleted, FIRST_COMPLETED } from "stepwise/loop";
      async function child() { await sleep(5); return "child"; }
      export async function main() {
        const t = createTask(child());
        const [done] = await wait([t], { returnWhen: FIRST_COMPLETED, timeout: 100 });
        for (const next of asCompleted([child()])) await next;
        return done.size;
      }`);
    const { trace, lines } = recorder();
    expect(await L.run(main, { ...virtual, trace })).toBe(1);
    expect(lines().slice(4, 27)).toEqual([
      "  Task-2 created for coroutine Child",
      "  queued: Task-2 step",
      "  Task-1: Wait resumes in state 0 (called inline)",
      "  timer 1 scheduled for 100 ms (in 100 ms): expireWait",
      "  Task-1: Wait suspends before state 1, awaiting Future-1 (wait FIRST_COMPLETED of 1)",
      "iteration 2: 1 ready, 1 timer waiting",
      "  Task-2: Child resumes in state 0 (first step)",
      "  timer 2 scheduled for 5 ms (in 5 ms): settleSleep",
      "  Task-2: Child suspends before state 1, awaiting Future-2 (sleep 5 ms)",
      "iteration 3: 1 ready, 1 timer waiting",
      "  timer 2 due at 5 ms: settleSleep",
      "  callback settleSleep",
      "  queued: Task-2 wakeup",
      "iteration 4: 1 ready, 1 timer waiting",
      "  Task-2: Child resumes in state 1 (woken by Future-2 (sleep 5 ms), set by timer 2)",
      "  Task-2: done, returned \"child\"",
      "  queued: onWaitedDone",
      "iteration 5: 1 ready, 1 timer waiting",
      "  callback onWaitedDone",
      "  timer 1 cancelled (was due at 100 ms): expireWait",
      "  queued: Task-1 wakeup",
      "iteration 6: 1 ready",
      "  Task-1: Wait resumes in state 1 (woken by Future-1 (wait FIRST_COMPLETED of 1), set by callback onWaitedDone)",
    ]);
    expect(lines()).toContain("  Task-1: Main resumes in state 1 (Wait returned)");
    expect(lines()).toContain("  Task-1: AsCompletedNext suspends before state 1, awaiting Future-3 (asCompleted)");
    expect(lines()).toContain("  queued: onAsCompletedDone");
    expect(lines()).toContain("  Task-1: AsCompletedNext resumes in state 1 (woken by Future-3 (asCompleted), set by callback onAsCompletedDone)");
  });

  it("loop time on the real clock is shown with one decimal", () => {
    expect(L.formatMs(12)).toBe("12");
    expect(L.formatMs(12.34567)).toBe("12.3");
    expect(L.formatEvent({ kind: "wait", iteration: 3, time: 1.5, until: 1003.14159 })).toBe("loop waits for the host or a timer at 1003.1 ms");
    expect(L.formatEvent({ kind: "timer", iteration: 3, time: 2, timer: 4, handle: 9, when: 1.23456, callback: "f" })).toBe("  timer 4 due at 1.2 ms: f");
  });

  it("without a tracer nothing is recorded on the handles (the trace costs nothing then)", async () => {
    const loop = new L.EventLoop(virtual);
    const handle = loop.callSoon(() => {});
    const timer = loop.callLater(5, () => {});
    expect(handle.cause).toBe(null);
    expect(timer.cause).toBe(null);
    const done = loop.createFuture();
    loop.callSoon(() => done.setResult(0));
    await loop.runUntilComplete(done);
    loop.close();
  });
});
