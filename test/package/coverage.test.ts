// stepwise beside a coverage tool: babel-plugin-istanbul, which Jest's `--coverage` (babel-jest adds it
// after the project's plugins) and nyc's documented configuration run in the same Babel pass. After the
// lowering it instruments the generated classes, which must neither stop it (the dispatch `switch` is not
// the source's, and its cases must not look like a switch of the source's to count) nor hide the source's
// functions and lines; before the lowering it instruments the source as written.
import { transformSync } from "@babel/core";
import istanbul from "babel-plugin-istanbul";
import { createCoverageMap } from "istanbul-lib-coverage";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import stepwisePlugin from "../../src/transform/plugin.ts";

const dir = mkdtempSync(join(tmpdir(), "stepwise-coverage-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PROGRAM = `const log = (...a) => console.log(...a);
async function fetchAll(items) {
  let total = 0;
  for (const item of items) {
    try {
      if (item < 0) throw new RangeError("negative " + item);
      total += await item;
    } catch (e) {
      log("caught", e.message);
    } finally {
      total *= 2;
    }
  }
  return total;
}
function* count(n) {
  for (let i = 0; i < n; i++) yield i;
  if (n > 100) {
    log("never");
  }
}
async function never() {
  await null;
  return "not called";
}
fetchAll([1, -1, 2]).then((total) => log("total", total, [...count(3)]));
`;

/** Runs the program built with these plugins; its output and its coverage of the source. */
function covered(name: string, plugins: unknown[]) {
  const file = join(dir, "program.js");
  writeFileSync(file, PROGRAM);
  const { code } = transformSync(PROGRAM, { filename: file, configFile: false, babelrc: false, plugins: plugins as never })!;
  const built = join(dir, `${name}.cjs`);
  writeFileSync(built, code!);
  const dump = join(dir, `${name}.json`);
  writeFileSync(join(dir, "dump.cjs"), `process.on("exit", () => require("node:fs").writeFileSync(process.env.DUMP, JSON.stringify(globalThis.__coverage__)));\n`);
  const result = spawnSync(process.execPath, ["-r", join(dir, "dump.cjs"), built], { encoding: "utf8", env: { ...process.env, DUMP: dump } });
  const coverage = createCoverageMap(JSON.parse(readFileSync(dump, "utf8"))).fileCoverageFor(file);
  return { stdout: result.stdout, stderr: result.stderr, coverage };
}

describe("babel-plugin-istanbul in the same pass", () => {
  const inline = [stepwisePlugin, { runtime: "inline" }];
  // (istanbul instruments the files under its cwd)
  const coverage = [istanbul, { cwd: dir }];
  const alone = covered("istanbul", [coverage]);

  it("after stepwise (babel-jest's order): the program runs as natively, every source function and line counted as it ran", () => {
    const after = covered("after", [inline, coverage]);
    expect(after.stderr).toBe("");
    expect(after.stdout).toBe(alone.stdout);
    expect(alone.stdout).toBe("caught negative -1\ntotal 12 [ 0, 1, 2 ]\n");
    // The functions where the source has them: each lowered one by its wrapper (at the same place), every one
    // called as often (`never` not at all).
    const functionsAt = (coverage: typeof alone.coverage) => Object.entries(coverage.fnMap).map(([id, fn]) => `${fn.decl.start.line}: ${coverage.f[id]}`).sort();
    expect(functionsAt(after.coverage)).toEqual(functionsAt(alone.coverage));
    // Each line that has a statement in both is run as often (a try statement is a state table after the
    // lowering, no statement: its line has none).
    const lines: Record<string, number> = alone.coverage.getLineCoverage();
    const lowered: Record<string, number> = after.coverage.getLineCoverage();
    const common = Object.keys(lines).filter((line) => line in lowered);
    expect(common.length).toBeGreaterThan(Object.keys(lines).length - 3);
    expect(Object.fromEntries(common.map((line) => [line, lowered[line] > 0]))).toEqual(Object.fromEntries(common.map((line) => [line, lines[line] > 0])));
    expect(after.coverage.getUncoveredLines()).toEqual(alone.coverage.getUncoveredLines());
  });

  it("before stepwise: it instruments the source as written, and the lowering keeps its counters", () => {
    const before = covered("before", [coverage, inline]);
    expect(before.stdout).toBe(alone.stdout);
    expect(before.coverage.toSummary().toJSON()).toEqual(alone.coverage.toSummary().toJSON());
  });
});
