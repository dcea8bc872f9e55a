// The event-loop examples run as their first line says (from examples/, `stepwise run --mode loop FILE
// --trace`), stop by themselves, and print what they are meant to show.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { examples, headerCommand, stepwise } from "./helpers.ts";

const loopExamples = readdirSync(join(examples, "loop")).filter((name) => name.endsWith(".js"));

describe("examples/loop/", () => {
  it("every example's header command is `run --mode loop loop/NAME --trace` (options before the file)", () => {
    for (const name of loopExamples) {
      const args = headerCommand(join(examples, "loop", name));
      expect(args.slice(0, 4)).toEqual(["run", "--mode", "loop", `loop/${name}`]);
    }
  });

  it("question.js: two coroutines take turns", async () => {
    const run = await stepwise(headerCommand(join(examples, "loop/question.js")));
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("before a\nbefore b\nafter a\nafter b\n");
    expect(run.stderr).toMatch(/\n⟳ loop iteration 3 at \d+(\.\d)? ms: 2 ready\n/);
  });

  it("echo.js: a server on 127.0.0.1 (a free port) echoes three clients, then closes; everything on one loop", async () => {
    const run = await stepwise(headerCommand(join(examples, "loop/echo.js")));
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("[ 'hello 0', 'hello 1', 'hello 2' ]\n");
    expect(run.stderr).toMatch(/Future-\d+ \(listen 127\.0\.0\.1:0\)/);
    expect(run.stderr).toMatch(/Future-\d+ \(connect 127\.0\.0\.1:\d+\)/);
    expect(run.stderr).toContain("loop: callback readReady");
    expect(run.stderr).toContain("loop: loop closed");
  });

  it("crawler.js: crawls the site it serves itself on 127.0.0.1", async () => {
    const run = await stepwise(headerCommand(join(examples, "loop/crawler.js")));
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("200 /\n200 /a\n200 /b\n200 /c\n404 /missing\n");
    // Every connection goes to the local server.
    const connects = [...run.stderr.matchAll(/\(connect ([^)]*)\)/g)].map((match) => match[1]);
    expect(connects.length).toBeGreaterThanOrEqual(5);
    for (const target of connects) expect(target).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it("read-file.js: the read completes on the host, the task resumes with the contents", async () => {
    const run = await stepwise(headerCommand(join(examples, "loop/read-file.js")));
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("read 10 lines\n");
    expect(run.stderr).toContain("loop: callback fileDone");
  });

  it("cancel.js: a timeout cancels the sleep, the finally block runs, the caller gets a TimeoutError", async () => {
    const run = await stepwise(headerCommand(join(examples, "loop/cancel.js")));
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("cleaning up\nTimeoutError stepwise: timed out after 10 ms\n");
    expect(run.stderr).toContain("loop: timer 1 due at 10 ms: expireTimeout");
  });

  // Timing: "late" means more than 200 ms late, against a 400 ms block; a retry absorbs a starved machine.
  it("blocking.js: while one task blocks the thread, the other task's due timer waits", { retry: 2 }, async () => {
    const run = await stepwise(headerCommand(join(examples, "loop/blocking.js")));
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        "tick 1: on time",
        "tick 2: on time",
        "worker: blocks the thread (a synchronous read, then 400 ms)",
        "worker: done",
        "tick 3: late by more than 200 ms: the loop was blocked",
        "tick 4: on time",
        "",
      ].join("\n"),
    );
    // The worker's step runs from its resumption to its return with nothing else in between.
    const lines = run.stderr.split("\n");
    const from = lines.findIndex((line) => /▶ worker#\d+ resumes in state 1/.test(line));
    expect(lines[from + 1]).toMatch(/✓ worker#\d+ returns undefined/);
  });

  it("toy-loop.js: the loop from scratch drives the lowered machines", async () => {
    const run = await stepwise(headerCommand(join(examples, "loop/toy-loop.js")));
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`[  0 ms] select(0) -> []
[  0 ms] main waits in state 1 of Main
[  0 ms] select(0) -> []
[  0 ms] Task a waits in state 1 of Client
[  0 ms] Task b waits in state 1 of Client
[ 10 ms] select(15) -> [a]
[ 10 ms] select(0) -> []
[ 10 ms] a got "hello"
[ 15 ms] select(5) -> []
[ 15 ms] select(0) -> []
[ 15 ms] main woke from sleep(15)
[ 15 ms] main waits in state 3 of Main
[ 30 ms] select(Infinity) -> [b]
[ 30 ms] select(0) -> []
[ 30 ms] b got "world"
[ 30 ms] select(0) -> []
[ 30 ms] total 10
`);
  });
});
