// The transform's loop mode (`mode: "loop"`): options, generated code, results compared with native
// async functions, tracing, and the loop's debug-mode warnings.
import { describe, expect, it } from "vitest";
import { transform } from "../../src/transform/index.ts";
import { importLoop, importNative, loopUrl } from "./support.ts";

const L = await import(loopUrl);
const virtual = { clock: "virtual" } as const;

describe("options", () => {
  it("mode is checked", () => {
    expect(() => transform("async function f() {}", { mode: "threads" as never })).toThrow(
      'stepwise: option "mode" must be "promise" or "loop", got "threads"',
    );
  });
  it("loop mode refuses an inlined runtime", () => {
    expect(() => transform("async function f() {}", { mode: "loop", runtime: "inline" })).toThrow(
      'stepwise: option "runtime" cannot be "inline" in loop mode (the event loop is a module: use "import" or "require")',
    );
  });
  it("async wrappers call coroutine(), imported with the machine classes from @stepwise/runtime/loop; generators are unchanged", () => {
    // (exported: a module's declaration that is only ever called, or never used, needs no define call)
    const { code } = transform("export async function f(x) { await x; }\nexport function* g() { yield 1; }", { filename: "m.mjs", mode: "loop" });
    expect(code.split("\n")[0]).toBe('import { AsyncMachine, coroutine, defineAsyncFunction, GeneratorMachine, runGenerator, defineGeneratorFunction } from "@stepwise/runtime/loop";');
    expect(code).toContain("return coroutine(new F(x));");
    expect(code).toContain("return runGenerator(new G(), g);");
    const script = transform("async function f() {}\nmodule.exports = f;", { filename: "s.cjs", mode: "loop" }).code;
    expect(script.replace(/\s+/g, " ")).toContain('const { AsyncMachine, coroutine, defineAsyncFunction } = require("@stepwise/runtime/loop");');
    const custom = transform("export async function f() {}", { filename: "m.mjs", mode: "loop", runtimeModule: "./loop.js" }).code;
    expect(custom.split("\n")[0]).toBe('import { AsyncMachine, coroutine, defineAsyncFunction } from "./loop.js";');
  });
});

// Programs whose results do not depend on how tasks interleave: loop mode must compute what native does.
const differential: Record<string, string> = {
  "try/catch/finally across awaits": `
    async function step(x) { await null; if (x === 3) throw new Error("three"); return x; }
    export async function main() {
      const log = [];
      for (let i = 0; i < 5; i++) {
        try { log.push(await step(i)); if (i === 1) continue; log.push("after " + i); }
        catch (e) { log.push("caught " + e.message); }
        finally { log.push("finally " + i); if (i === 4) break; }
      }
      async function early() { try { return await step(1); } finally { log.push("early finally"); } }
      log.push(await early());
      return log;
    }`,
  "closures capture each iteration": `
    export async function main() {
      const fns = [];
      for (let i = 0; i < 3; i++) { await i; fns.push(() => i); }
      for (const [k, v] of Object.entries({ a: 1, b: 2 })) { await v; fns.push(() => k + v); }
      return fns.map((f) => f());
    }`,
  "recursion and Promise.all of calls": `
    async function fib(n) { return n < 2 ? n : (await fib(n - 1)) + (await fib(n - 2)); }
    export async function main() { return [await fib(15), await Promise.all([fib(5), fib(6), 7])]; }`,
  "rejections, thenables, errors out of nested calls": `
    async function deep(n) { if (n === 0) throw new TypeError("bottom"); return deep(n - 1); }
    export async function main() {
      const out = [];
      out.push(await { then(resolve) { resolve("thenable"); } });
      try { await Promise.reject(new RangeError("rejected")); } catch (e) { out.push(e.name + " " + e.message); }
      try { await deep(20); } catch (e) { out.push(e.name + " " + e.message); }
      const settled = await Promise.allSettled([deep(1), Promise.resolve(1)]);
      out.push(settled.map((s) => s.status));
      return out;
    }`,
  "a timer": `
    const delay = (ms, v) => new Promise((resolve) => setTimeout(() => resolve(v), ms));
    export async function main() { const a = await delay(5, "a"); const b = await Promise.race([delay(50, "slow"), delay(1, "fast")]); return a + b; }`,
  "async generators and for await": `
    async function* numbers(n) { try { for (let i = 0; i < n; i++) { await null; yield i; } } finally { await null; } }
    export async function main() {
      const out = [];
      for await (const x of numbers(5)) { out.push(x); if (x === 2) break; }
      for await (const x of [Promise.resolve("a"), "b"]) out.push(x);
      return out;
    }`,
  "the main function throws": `
    export async function main() { await null; throw new SyntaxError("from main"); }`,
};

describe("same results as native async functions", () => {
  for (const [name, code] of Object.entries(differential)) {
    it(name, async () => {
      const native = await importNative(code);
      const lowered = await importLoop(code);
      const outcome = (p: Promise<unknown>) => p.then((value) => ({ value }), (error: Error) => ({ error: `${error.name}: ${error.message}` }));
      const expected = await outcome(native.main());
      expect(await outcome(L.run(lowered.main))).toEqual(expected);
    });
  }
});

describe("async generators in loop mode", () => {
  it("run on their own driver and await the loop's futures and coroutines", async () => {
    const { main } = await importLoop(`
      import { sleep, getRunningLoop } from "stepwise/loop";
      async function double(x) { await sleep(1); return x * 2; }
      async function* ticks(n) { for (let i = 0; i < n; i++) { await sleep(5); yield await double(i); } }
      export async function main() {
        const out = [];
        for await (const t of ticks(4)) out.push([t, getRunningLoop().time()]);
        return out;
      }`);
    expect(await L.run(main, virtual)).toEqual([[0, 6], [2, 12], [4, 18], [6, 24]]);
  });
});

describe("tracing", () => {
  it("loop events and the runtime tracer's steps, for the same run", async () => {
    const { main } = await importLoop(`
      import { sleep, createTask } from "stepwise/loop";
      async function child() { await sleep(5); return "child"; }
      export async function main() { const t = createTask(child()); return await t; }`);
    const events: string[] = [];
    const steps: string[] = [];
    const previous = L.setTracer({
      enter: (m: { state: number }, sent: unknown) => steps.push(`enter ${m.constructor.name} ${m.state} ${String(sent)}`),
      leave: (m: { state: number }, signal: number) => steps.push(`leave ${m.constructor.name} ${signal} ${m.state}`),
    });
    try {
      await L.run(main, {
        ...virtual,
        trace: (e: any) => events.push(Object.entries(e).map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : v}`).join(" ")),
      });
    } finally {
      L.setTracer(previous);
    }
    expect(events).toEqual([
      "kind=task iteration=0 task=Task-1 coroutine=Main cause=null",
      "kind=enqueue iteration=0 handle=1 callback=Task-1 step cause=null",
      "kind=iteration iteration=1 time=0 ready=1 timers=0",
      "kind=step iteration=1 handle=1 task=Task-1 machine=Main state=0 thrown=false woke=start cause=null",
      "kind=task iteration=1 task=Task-2 coroutine=Child cause=Task-1",
      "kind=enqueue iteration=1 handle=2 callback=Task-2 step cause=Task-1",
      "kind=suspend iteration=1 task=Task-1 machine=Main state=1 awaiting=Task-2",
      "kind=iteration iteration=2 time=0 ready=1 timers=0",
      "kind=step iteration=2 handle=2 task=Task-2 machine=Child state=0 thrown=false woke=start cause=Task-1",
      "kind=schedule iteration=2 time=0 timer=1 handle=3 when=5 delay=5 callback=settleSleep cause=Task-2",
      "kind=suspend iteration=2 task=Task-2 machine=Child state=1 awaiting=Future-1 (sleep 5 ms)",
      "kind=iteration iteration=3 time=5 ready=1 timers=0",
      "kind=timer iteration=3 time=5 timer=1 handle=3 when=5 callback=settleSleep",
      "kind=callback iteration=3 handle=3 callback=settleSleep",
      "kind=enqueue iteration=3 handle=4 callback=Task-2 wakeup cause=timer 1",
      "kind=iteration iteration=4 time=5 ready=1 timers=0",
      "kind=step iteration=4 handle=4 task=Task-2 machine=Child state=1 thrown=false woke=Future-1 (sleep 5 ms) cause=timer 1",
      "kind=done iteration=4 task=Task-2 outcome=result value=child",
      "kind=enqueue iteration=4 handle=5 callback=Task-1 wakeup cause=Task-2",
      "kind=iteration iteration=5 time=5 ready=1 timers=0",
      "kind=step iteration=5 handle=5 task=Task-1 machine=Main state=1 thrown=false woke=Task-2 cause=Task-2",
      "kind=done iteration=5 task=Task-1 outcome=result value=child",
      "kind=enqueue iteration=5 handle=6 callback=stopLoop cause=Task-1",
      "kind=iteration iteration=6 time=5 ready=1 timers=0",
      "kind=callback iteration=6 handle=6 callback=stopLoop",
      "kind=close iteration=6",
    ]);
    expect(steps).toEqual([
      "enter Main 0 undefined",
      `leave Main ${L.AWAIT} 1`,
      "enter Child 0 undefined",
      `leave Child ${L.AWAIT} 1`,
      "enter Child 1 undefined",
      `leave Child ${L.DONE} -1`,
      "enter Main 1 child",
      `leave Main ${L.DONE} -1`,
    ]);
  });
});

describe("debug mode", () => {
  it("warns about coroutines never awaited, task exceptions never retrieved and slow callbacks", async () => {
    const { main } = await importLoop(`
      import { createTask, sleep } from "stepwise/loop";
      async function forgotten() {}
      async function fails() { throw new Error("nobody looks"); }
      export async function main() {
        forgotten();
        createTask(fails());
        const start = Date.now();
        while (Date.now() - start < 30) {}
        await sleep(1);
      }`);
    const warnings: string[] = [];
    await L.run(main, { debug: true, slowCallbackMs: 20, warn: (m: string) => warnings.push(m) });
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(/^stepwise: callback Task-1 step took \d+\.\d ms \(slow callback threshold: 20 ms\)$/);
    expect(warnings[1]).toBe("stepwise: Task exception was never retrieved: Task-2: Error: nobody looks");
    expect(warnings[2]).toMatch(/^stepwise: coroutine Forgotten was never awaited \(created at Main\.resume \(.*program-\d+\.mjs:\d+:\d+\)\)$/);
  });
});
