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

/** Every kind of branch, each with an await in it, beside functions of every kind. */
const BRANCHES = `const log = (...a) => console.log(...a);
const tick = (v) => Promise.resolve(v);
async function branches(x, y = 2) {
  let out = [];
  if (x > 1) {
    out.push(await tick("big"));
  } else if (x < 0) {
    out.push(await tick("neg"));
  } else {
    out.push("small");
  }
  if (x === 2) await tick("two");
  const t = x ? await tick("t") : "f";
  const l = x && await tick("and");
  const o = x || await tick("or");
  const n = x ?? await tick("nullish");
  switch (x) {
    case 1:
      out.push(await tick("one"));
      break;
    case 2:
      out.push("two");
    default:
      out.push(await tick("default"));
  }
  let i = 0;
  while (i < 2) {
    await tick(i);
    i++;
  }
  do {
    i--;
  } while (await tick(i > 0));
  for (const k in { a: 1, b: 2 }) out.push(await tick(k));
  if (out.length > 5) out.pop();
  return [out, t, l, o, n, x > 1 ? y : x || "none"];
}
class Box {
  async get(v) { return await tick(v); }
  *items() { yield 1; yield 2; }
  static async make() { return new Box(); }
}
const obj = {
  async m() { return await tick("m"); },
  named: async function named() { return await tick("named"); },
};
async function* agen(n) {
  for (let j = 0; j < n; j++) yield await tick(j);
}
const arrow = async (v) => (await tick(v)) * 2;
async function main() {
  log(await branches(2));
  log(await branches(1));
  log(await branches(0));
  const b = await Box.make();
  log(await b.get(3), [...b.items()], await obj.m(), await obj.named(), await arrow(4));
  for await (const v of agen(2)) log(v);
}
main();
`;

/**
 * Switches whose cases await: the dispatch of each is counted where every clause is entered as often as the
 * source's case (the second and third), and not where a case is also entered through a state the case before
 * falls into (the first: `case 2` follows an await of `case 1`).
 */
const SWITCHES = `const log = (...a) => console.log(...a);
const tick = (v) => Promise.resolve(v);
async function switches(x) {
  const out = [];
  switch (x) {
    case 1:
      out.push(await tick("one"));
    case 2:
      out.push("two");
  }
  switch (x) {
    case 1:
    case 2:
      out.push("low");
      break;
    case 3:
      out.push(await tick("three"));
      break;
    default:
      out.push("other");
  }
  let i = 0;
  switch (x) {
    case 1:
      while (i < 2) {
        out.push(await tick(i));
        i++;
      }
      break;
    case 2:
      out.push("no loop");
  }
  return out;
}
async function main() {
  for (const x of [1, 2, 3, 4]) log(await switches(x));
}
main();
`;

/** Runs the program built with these plugins; its output and its coverage of the source. */
function covered(name: string, plugins: unknown[], program = PROGRAM) {
  const file = join(dir, `${name}-source.js`);
  writeFileSync(file, program);
  const { code } = transformSync(program, { filename: file, configFile: false, babelrc: false, plugins: plugins as never })!;
  const built = join(dir, `${name}.cjs`);
  writeFileSync(built, code!);
  const dump = join(dir, `${name}.json`);
  writeFileSync(join(dir, "dump.cjs"), `process.on("exit", () => require("node:fs").writeFileSync(process.env.DUMP, JSON.stringify(globalThis.__coverage__)));\n`);
  const result = spawnSync(process.execPath, ["-r", join(dir, "dump.cjs"), built], { encoding: "utf8", env: { ...process.env, DUMP: dump } });
  const coverage = createCoverageMap(JSON.parse(readFileSync(dump, "utf8"))).fileCoverageFor(file);
  return { file, stdout: result.stdout, stderr: result.stderr, coverage };
}

type Coverage = ReturnType<typeof covered>["coverage"];
/** Each function where it is (a named one: at its name), its name, and how often it was called. */
const functionsAt = (coverage: Coverage) => Object.entries(coverage.fnMap).map(([id, fn]) => `${fn.decl.start.line}:${fn.decl.start.column} ${fn.name.replace(/_\d+\)$/, ")")} ${coverage.f[id]}`).sort();
/** Each branch: its kind and place, and how often each of its ways was taken. */
const branchesAt = (coverage: Coverage) => Object.entries(coverage.branchMap).map(([id, branch]) => `${branch.type} ${branch.loc.start.line}:${branch.loc.start.column} [${coverage.b[id]}]`).sort();

describe("babel-plugin-istanbul in the same pass", () => {
  const inline = [stepwisePlugin, { runtime: "inline" }];
  // (istanbul instruments the files under its cwd)
  const coverage = [istanbul, { cwd: dir }];
  const alone = covered("istanbul", [coverage]);

  /** What coverage after the lowering must keep of the source's. */
  function expectCoverageAlike(after: ReturnType<typeof covered>, alone: ReturnType<typeof covered>) {
    expect(after.stderr).toBe("");
    expect(after.stdout).toBe(alone.stdout);
    // The functions where the source has them (a named one at its name): each lowered one by its wrapper,
    // every one called as often.
    expect(functionsAt(after.coverage)).toEqual(functionsAt(alone.coverage));
    // No branch made up: the jumps of a lowered loop or `if` are no branches of the source's. The branches the
    // lowering keeps as written count as natively; one whose ways await is a jump between states, not counted.
    const branches = branchesAt(alone.coverage);
    for (const branch of branchesAt(after.coverage)) expect(branches).toContain(branch);
    // Every line with a statement after the lowering has one in the source or an await (`return
    // this.await(...)` is where its await is: V8 stops there when stepping), run or not run alike (not as
    // often: a loop's test runs once more than its statement). A `try`, a loop or an `if` whose body awaits is
    // a state table or jumps after the lowering: its line may have none. The lines never run are the same.
    const lines: Record<string, number> = alone.coverage.getLineCoverage();
    const lowered: Record<string, number> = after.coverage.getLineCoverage();
    const source = readFileSync(after.file, "utf8").split("\n");
    expect(Object.keys(lowered).filter((line) => !(line in lines) && !source[Number(line) - 1].includes("await"))).toEqual([]);
    expect(Object.keys(lowered).length).toBeGreaterThan(Object.keys(lines).length * 0.85);
    const common = Object.keys(lowered).filter((line) => line in lines);
    expect(Object.fromEntries(common.map((line) => [line, lowered[line] > 0]))).toEqual(Object.fromEntries(common.map((line) => [line, lines[line] > 0])));
    expect(after.coverage.getUncoveredLines()).toEqual(alone.coverage.getUncoveredLines());
  }

  it("after stepwise (babel-jest's order): the program runs as natively, every source function and line counted as it ran", () => {
    const after = covered("after", [inline, coverage]);
    expect(alone.stdout).toBe("caught negative -1\ntotal 12 [ 0, 1, 2 ]\n");
    expectCoverageAlike(after, alone);
    // (here every branch is kept as written)
    expect(branchesAt(after.coverage)).toEqual(branchesAt(alone.coverage));
  });

  it("after stepwise: branches that await, loops, functions of every kind", () => {
    const native = covered("branches-istanbul", [coverage], BRANCHES);
    expect(native.stdout).toContain("[ [ 'big', 'two', 'default', 'a', 'b' ], 't', 'and', 2, 2, 2 ]");
    const after = covered("branches-after", [inline, coverage], BRANCHES);
    expectCoverageAlike(after, native);
    // (the branches without an await, kept as written, in a function lowered; and the `if`s whose body
    // stays in the test's state up to its await, written as the source's `if` again, with or without `else`)
    expect(branchesAt(after.coverage)).toEqual(["binary-expr 36:39 [2,1]", "cond-expr 36:27 [1,2]", "if 12:2 [1,2]", "if 35:2 [0,3]", "if 5:2 [1,2]", "if 7:9 [0,2]", "switch 17:2 [1,1,2]"]);
  });

  it("after stepwise: a switch whose cases await is counted where each case is entered as often as natively", () => {
    const native = covered("switches-istanbul", [coverage], SWITCHES);
    expect(native.stdout).toBe("[ 'one', 'two', 'low', 0, 1 ]\n[ 'two', 'low', 'no loop' ]\n[ 'three' ]\n[ 'other' ]\n");
    const after = covered("switches-after", [inline, coverage], SWITCHES);
    expectCoverageAlike(after, native);
    expect(branchesAt(after.coverage).filter((branch) => branch.startsWith("switch"))).toEqual(["switch 11:2 [1,2,1,1]", "switch 23:2 [1,1]"]);
    expect(branchesAt(native.coverage).filter((branch) => branch.startsWith("switch"))).toEqual(["switch 11:2 [1,2,1,1]", "switch 23:2 [1,1]", "switch 5:2 [1,2]"]);
  });

  it("before stepwise: it instruments the source as written, and the lowering keeps its counters", () => {
    const before = covered("before", [coverage, inline]);
    expect(before.stdout).toBe(alone.stdout);
    expect(before.coverage.toSummary().toJSON()).toEqual(alone.coverage.toSummary().toJSON());
  });
});
