// docs/how-it-works.md shows the examples of examples/loop/ as they are, runs them from examples/ as
// their header says, and draws its figures with stepwise's own renderers (regenerate: npm run explain).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIGURES, render } from "../../scripts/update-figures.ts";
import { blocks, exampleFile, expected, generatedKinds, pythonVersion, runPython } from "./blocks.ts";
import { root } from "./helpers.ts";

const doc = readFileSync(join(root, "docs/how-it-works.md"), "utf8");
const all = blocks(doc);

describe("docs/how-it-works.md", () => {
  it("every program it runs is a file in examples/loop/ with its command on the first line", () => {
    const inputs = all.filter((b) => b.lang === "js" && (b.info[0] === "input" || b.info[0] === "example"));
    expect(inputs.length).toBeGreaterThan(4);
    for (const block of inputs) {
      const name = block.info[0] === "input" ? `loop/${block.info[1]}` : block.info[1];
      expect(block.body, name).toBe(exampleFile(name));
      // (The toy loop drives machines itself, past the runtime's tracer: --trace would show no steps.)
      const trace = name === "loop/toy-loop.js" ? "" : " --trace";
      expect(block.body.split("\n")[0]).toBe(`// Run from examples/: npx stepwise run --mode loop ${name}${trace}`);
    }
  });

  for (const block of all.filter(generatedKinds)) {
    const title = block.info.join(" ");
    if (title === "python-frame") continue;
    // (loop/blocking.js prints "late" or "on time" by the clock: a retry absorbs a starved machine.)
    it(title, { retry: title.includes("blocking") ? 2 : 0, timeout: 60_000 }, async () => expect(await expected(block, all)).toBe(block.body));
  }

  it("its figures are those stepwise draws now, and it shows each one", () => {
    for (const figure of FIGURES) {
      const path = join(root, "docs/figures", figure.file);
      expect(existsSync(path), figure.file).toBe(true);
      expect(render(figure), figure.file).toBe(readFileSync(path, "utf8"));
      expect(doc).toContain(`(figures/${figure.file})`);
    }
  }, 120_000);
});

describe("the same programs with asyncio", () => {
  const noPython = pythonVersion() === null;
  for (const block of all.filter((b) => b.lang === "python" && b.info[0] === "same-output")) {
    it.skipIf(noPython)(`python: ${block.info[1]}${noPython ? " (skipped: python3 is not installed)" : ""}`, { retry: 2 }, () => {
      const output = all.find((b) => b.lang === "text" && b.info[0] === "output" && b.info[1] === block.info[1]);
      expect(output, `a text output ${block.info[1]} block`).toBeDefined();
      const run = runPython(block.body);
      expect(run.stderr).toBe("");
      expect(run.stdout).toBe(output!.body);
    });
  }
});

// The frame of a suspended coroutine, in CPython: the doc shows one version's output; any python3 from
// 3.8 on must print the same facts, with the await compiled its version's way.
const python = pythonVersion();
const why = python === null ? "python3 is not installed" : python[0] === 3 && python[1] < 8 ? `python ${python.join(".")} is older than 3.8` : null;

describe("CPython's suspended coroutine", () => {
  it.skipIf(why !== null)(`the doc's Python block prints what it says${why ? ` (skipped: ${why})` : ""}`, () => {
    const code = all.find((b) => b.lang === "python" && b.info[0] === "frame")!;
    const shown = all.find((b) => b.lang === "text" && b.info[0] === "python-frame")!;
    const run = runPython(code.body);
    expect(run.stderr).toBe("");
    const [major, minor] = python!;
    const lines = run.stdout.split("\n");
    expect(lines[0]).toBe(`Python ${major}.${minor}`);
    const modern = major > 3 || minor >= 11;
    // 3.11+: `await` is a SEND/YIELD_VALUE loop and the frame stops at YIELD_VALUE; up to 3.10 it is YIELD_FROM.
    expect(lines.find((l) => l.startsWith("line 5 compiles to"))).toMatch(modern ? /GET_AWAITABLE LOAD_CONST SEND YIELD_VALUE/ : /GET_AWAITABLE LOAD_CONST YIELD_FROM/);
    expect(lines.find((l) => l.startsWith("suspended at"))).toMatch(modern ? /^suspended at YIELD_VALUE/ : /^suspended at YIELD_FROM/);
    // The same facts on every version: the locals, the chain of awaits down to the yield, Task in C.
    for (const fact of ["before a", "f_locals {'name': 'a'}", "cr_await sleep -> __sleep0", "Task is the C implementation: True", "after a"]) {
      expect(lines).toContain(fact);
    }
    // On the version the doc shows, exactly what it shows.
    if (shown.body.startsWith(`Python ${major}.${minor}\n`)) expect(run.stdout).toBe(shown.body);
  });
});
