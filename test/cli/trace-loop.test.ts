// `stepwise run --mode loop --trace`: a truthful timeline (#19). ⏸ only when the task really waits, what
// woke each step, the two clocks explained, one naming scheme, loop time formatted; and the pictures
// (svg, html) with the loop's own lanes.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { remove, root, stepwise, workspace } from "./helpers.ts";

const examples = join(root, "examples");
const dir = workspace(
  {
    "waits.mjs": `import { createTask, run, sleep } from "stepwise/loop";
async function child() { return 1; }
async function main() {
  const t = createTask(child());
  await sleep(1);
  await t;
  await 5;
}
run(main, { clock: "virtual" });
`,
  },
  true,
);
afterAll(() => remove(dir));

describe("run --mode loop --trace", () => {
  it("cancel.js, line by line: inline calls and real waits told apart, what woke each step, the legend and both clocks", () => {
    const run = stepwise(["run", "loop/cancel.js", "--trace"], { cwd: examples });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("cleaning up\nTimeoutError stepwise: timed out after 10 ms\n");
    expect(run.stderr.split("\n")).toEqual([
      "stepwise run: tracing loop/cancel.js in loop mode (lines without ┊ or a mark are the program's output)",
      "  ▶ a machine runs a step; ⏸ its task really waits; ↳ an await that does not wait (an inline call, a done future, a plain value)",
      "  two clocks: ⟳ loop iteration N is a turn of stepwise's event loop (its ready queue; loop time in ms);",
      "    ┄┄ Node macrotask N ┄┄ is a turn of Node's own event loop, which gives stepwise's loop its iterations (setImmediate, setTimeout)",
      "  names: main#1 is call 1 of main (calls numbered as the trace meets them); Task-N, Future-N and timer N are the loop's, each numbered per loop",
      "┄┄ main: the program's first run ┄┄",
      "┊ loop: Task-1 created for coroutine Main",
      "┊ loop: queued: Task-1 step",
      "┄┄ Node macrotask 1: immediate ┄┄",
      "⟳ loop iteration 1 at 0 ms: 1 ready",
      "┊ ▶ main#1 starts in state 0 (loop/cancel.js:14) [Task-1, first step]",
      "┊ ↳ main#1 awaits timeout(10, slow()) = coroutine Timeout: runs it inline, no wait, then state 1",
      "┊ ▶ Timeout#2 starts in state 0 [Task-1, called inline]",
      "┊ loop: timer 1 scheduled for 10 ms (in 10 ms): expireTimeout",
      "┊ ↳ Timeout#2 awaits coroutine Slow: runs it inline, no wait, then state 1",
      "┊ ▶ slow#3 starts in state 0 (loop/cancel.js:6) [Task-1, called inline]",
      "┊ loop: timer 2 scheduled for 1000 ms (in 1000 ms): settleSleep",
      "┊ ⏸ slow#3 awaits sleep(1000) = Future-1 (sleep 1000 ms), then state 1: Task-1 waits",
      "┄┄ Node macrotask 2: immediate ┄┄",
      "⟳ loop iteration 2 at 10 ms: 1 ready, 1 timer waiting",
      "┊ loop: timer 1 due at 10 ms: expireTimeout",
      "┊ loop: callback expireTimeout",
      "┊ loop: timer 2 cancelled (was due at 1000 ms): settleSleep",
      "┊ loop: queued: Task-1 wakeup",
      "┄┄ Node macrotask 3: immediate ┄┄",
      "⟳ loop iteration 3 at 10 ms: 1 ready",
      "┊ ▶ slow#3 resumes in state 1 thrown CancelledError: Future-1 (sleep 1000 ms) was cancelled [Task-1, woken by Future-1 (sleep 1000 ms), cancelled by timer 1]",
      "┊ ✗ slow#3 (states 1 → 2) throws CancelledError: Future-1 (sleep 1000 ms) was cancelled",
      "┊ ▶ Timeout#2 resumes in state 1 thrown CancelledError: Future-1 (sleep 1000 ms) was cancelled [Task-1, slow#3 threw]",
      "┊ ✗ Timeout#2 throws TimeoutError: stepwise: timed out after 10 ms",
      "┊ ▶ main#1 resumes in state 1 thrown TimeoutError: stepwise: timed out after 10 ms [Task-1, Timeout#2 threw]",
      "┊ ✓ main#1 (states 1 → 2 → 3) returns undefined",
      "┊ loop: Task-1: done, returned",
      "┊ loop: queued: stopLoop",
      "┄┄ Node macrotask 4: immediate ┄┄",
      "⟳ loop iteration 4 at 10 ms: 1 ready",
      "┊ loop: callback stopLoop",
      "┄┄ Node macrotask 5: immediate ┄┄",
      "┊ · microtask 2",
      "┊ loop: loop closed",
      "stepwise run: 6 steps of 3 calls in 6 macrotasks of Node; exit code 0",
      "",
    ]);
  });

  it("an await of a task already done, or of a plain value, does not wait; a sleep's step says which timer woke it", () => {
    const run = stepwise(["run", "waits.mjs", "--trace"], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stderr.split("\n");
    expect(lines).toContain("┊ ⏸ main#1 awaits sleep(1) = Future-1 (sleep 1 ms), then state 1: Task-1 waits");
    expect(lines).toContain("┊ ▶ main#1 resumes in state 1 (waits.mjs:6) with undefined [Task-1, woken by Future-1 (sleep 1 ms), set by timer 1]");
    expect(lines).toContain("┊ ↳ main#1 awaits t = Task-2: already done, no wait, then state 2");
    expect(lines).toContain("┊ ▶ main#1 resumes in state 2 (waits.mjs:7) with 1 [Task-1, no wait: Task-2 was already done]");
    expect(lines).toContain("┊ ↳ main#1 awaits 5 = 5: not awaitable, no wait, then state 3");
    expect(lines).toContain("┊ ▶ main#1 resumes in state 3 with 5 [Task-1, no wait: a plain value]");
    // Only the real wait is a ⏸.
    expect(lines.filter((line) => line.includes("⏸ main#1"))).toHaveLength(1);
  });

  it("the real clock's loop time has one decimal", () => {
    const run = stepwise(["run", "loop/read-file.js", "--trace"], { cwd: examples });
    expect(run.code).toBe(0);
    const iterations = run.stderr.split("\n").filter((line) => line.startsWith("⟳ loop iteration"));
    expect(iterations.length).toBeGreaterThan(2);
    for (const line of iterations) expect(line).toMatch(/^⟳ loop iteration \d+ at \d+(\.\d)? ms: /);
    expect(run.stderr).not.toMatch(/\d\.\d{2,} ms/);
    expect(run.stderr).toContain("┊ loop: host event queued: fileDone");
    expect(run.stderr).toMatch(/set by host fileDone\]/);
  });

  it("--trace=svg draws the loop's lanes: the ready queue, the host, each timer (fired ●, cancelled ✕)", () => {
    const svgFile = join(dir, "cancel.svg");
    const svg = stepwise(["run", "--trace=svg", "--trace-file", svgFile, "loop/cancel.js"], { cwd: examples });
    expect(svg.code, svg.stderr).toBe(0);
    const picture = readFileSync(svgFile, "utf8");
    for (const lane of [">ready queue<", ">host<", ">timer 1: expireTimeo…<", ">timer 2: settleSleep<", ">main#1<", ">slow#3<"]) expect(picture).toContain(lane);
    expect(picture).toContain("due 1000 ms, cancelled");
    expect(picture).toContain("due 10 ms, fired");
    expect(picture).toContain("⟳ 3");
    // main#1's await of the timeout coroutine did not wait: a pale dashed box.
    expect(picture).toMatch(/stroke-dasharray="4,2"\/><text[^>]*>s0 → ↳ timeout\(10, slow\(\)\) \(no wait\)|s0 → ↳ timeout\(10, sl…/);
    const htmlFile = join(dir, "cancel.html");
    const html = stepwise(["run", "--trace=html", "--trace-file", htmlFile, "loop/cancel.js"], { cwd: examples });
    expect(html.code, html.stderr).toBe(0);
    const page = readFileSync(htmlFile, "utf8");
    expect(page).toContain("Loop mode: the lanes at the top are stepwise's event loop.");
    expect(page).toContain("<td>loop: timer 2 cancelled (was due at 1000 ms): settleSleep</td>");
    expect(page).toContain("<td>⟳ loop iteration 2: 1 ready, 1 timer waiting</td>");
  });
});
