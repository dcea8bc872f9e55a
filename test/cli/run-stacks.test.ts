// Stack traces under `stepwise run` read like Node's for the same program run natively: the same frames
// of the program's files (function names, or none for an anonymous function; files, lines, columns, also
// of the errors the runtime throws for the engine: an assignment to a constant, a binding used before its
// declaration), `at async f (...)` frames for the calls waiting at an await, and none of the runtime's frames
// (nor of the CommonJS loader's hook);
// `at new C` of a class whose implicit constructor runs its fields, at the class; an error of an operator at it;
// a call of a local kept in a field at the callee (`f()`) or at its `(` (`f?.()`).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { transformSync } from "esbuild";
import { describe, expect, it } from "vitest";
import { node, stepwise, workspaces } from "./helpers.ts";

const workspace = workspaces();

const PROGRAM = `async function inner(x) {
  await null;
  if (x) throw new Error("boom");
}
async function middle() {
  await inner(1);
}
async function work() {
  const v = await 1;
  await (
    middle()
  );
}
class C {
  async method() {
    await work();
  }
  static async run() {
    try {
      await new C().method();
    } catch (error) {
      console.log(error.stack);
    }
  }
}
function syncThrow() {
  throw new Error("sync");
}
async function early() {
  syncThrow();
}
async function caller() {
  await early();
}
async function constant() {
  const k = 1;
  await null;
  k = 2;
}
async function pattern() {
  const k = 1;
  await null;
  [k] = [2];
}
async function anonymous() {
  await [1].map(async () => {
    await null;
    throw new Error("anonymous");
  })[0];
}
async function defaults(callback = async () => {
  await null;
  throw new Error("named by its parameter");
}) {
  await callback();
}
async function typeofEarly() {
  try {
    typeof late;
  } catch (error) {
    console.log(error.stack);
  }
  await null;
  let late = 1;
  return late;
}
async function operators() {
  const target = null;
  const record = {};
  const fail = () => {
    throw new Error("optional call");
  };
  await null;
  try {
    fail?.();
  } catch (error) {
    console.log(error.stack);
  }
  try {
    target.x = 1;
  } catch (error) {
    console.log(error.stack);
  }
  try {
    "k" in target;
  } catch (error) {
    console.log(error.stack);
  }
  try {
    record.a.b = await 2;
  } catch (error) {
    console.log(error.stack);
  }
  return record;
}
async function fields() {
  let k = 1;
  class Point { x = k; y = missing(); }
  await null;
  k++;
  new Point();
}
async function main() {
  await C.run();
  await caller().catch((error) => console.log(error.stack));
  for (const f of [constant, pattern, anonymous, defaults, fields, typeofEarly, operators]) {
    try {
      await f();
    } catch (error) {
      console.log(error.stack);
    }
  }
}
main();
`;

// Generators and async generators: each frame named after its function, and the generator object's method
// that stepped it (`at count.next (<anonymous>)`). (Not yet as natively: the frames of a generator delegating
// to the one that threw, with `yield*`, and of the calls waiting for an async generator after an await.)
const GENERATORS = `function* count() {
  yield 1;
  throw new Error("count");
}
function* cleanup() {
  try {
    yield 1;
  } finally {
    null.f;
  }
}
function* caught() {
  try {
    yield 1;
  } catch {
    null.c;
  }
}
class Box {
  *items() {
    yield 1;
    null.m;
  }
  static *make() {
    null.s;
  }
}
async function* first() {
  null.q;
}
const show = (error) => console.log(error.stack);
async function main() {
  try {
    for (const value of count());
  } catch (error) {
    show(error);
  }
  const open = cleanup();
  open.next();
  try {
    open.return(2);
  } catch (error) {
    show(error);
  }
  const thrown = caught();
  thrown.next();
  try {
    thrown.throw(new Error("in"));
  } catch (error) {
    show(error);
  }
  try {
    [...new Box().items()];
  } catch (error) {
    show(error);
  }
  try {
    Box.make().next();
  } catch (error) {
    show(error);
  }
  await first().next().catch(show);
}
main();
`;

// Deeper than Error.stackTraceLimit (10): a chain of calls each in a lowered function, then a chain of
// awaits; Node shows the first ten frames of each, and so must the run, though the runtime's frames it hides
// come between them.
const DEEP = `async function a1() {
  throw new Error("deep");
}
async function a2() { await a1(); }
async function a3() { await a2(); }
async function a4() { await a3(); }
async function a5() { await a4(); }
function* g1() { yield a5(); }
function s1() { return g1().next().value; }
function s2() { return s1(); }
function s3() { return s2(); }
async function leaf() {
  await null;
  throw new Error("leaf");
}
async function level(n) {
  if (n === 0) await leaf();
  else await level(n - 1);
}
const show = (error) => console.log(error.stack);
s3().catch(show).then(() => level(14)).catch(show);
`;

// A local read in its temporal dead zone as the operand of `return`, `throw`, `await` or `yield`: V8 places the
// error at the keyword; elsewhere at the name.
// (a return's, an await's or a yield's operand that calls what is not declared: V8 places the error at the
// keyword; the lowered code's at the call of the machine's it is an argument of, `this.return(`)
const UNDECLARED = `async function a() { return missing1(); }
async function b() { await null; await missing2(); }
function* d() { yield missing4(); }
async function f() { const x = await missing6(); }
async function g() {
  await null;
  return missing7();
}
async function h() { await null; return missing8?.(); }
function* i() { yield; return missing9(); }
async function j() { await null; throw missing10(); }
const k = async () => missing11();
async function m() { await null; return await missing12(); }
async function n() { await null; assigned = await missing13(); }
async function p() { await null; return 1 + await missing14(); }
var assigned;
(async () => {
  await null;
  for (const fn of [a, b, f, g, h, j, k, m, n, p]) {
    try {
      await fn();
    } catch (error) {
      console.log(error.stack);
    }
  }
  for (const gen of [d, i]) {
    try {
      const it = gen();
      it.next();
      it.next();
    } catch (error) {
      console.log(error.stack);
    }
  }
})();
`;

const DEAD_ZONE = `async function r() { await null; return late; let late = 1; }
async function t() { await null; throw late; let late = 1; }
async function a() { await null; await late; let late = 1; }
function* y() { yield 1; yield late; let late = 1; }
async function c() { await null; f(late); let late = 1; }
async function e() { await null; late; let late = 1; }
const f = () => {};
(async () => {
  for (const fn of [r, t, a, c, e]) {
    try {
      await fn();
    } catch (error) {
      console.log(error.stack);
    }
  }
  try { const g = y(); g.next(); g.next(); } catch (error) { console.log(error.stack); }
})();
`;

/** The frames of a printed stack that are in the program's folder or the engine's own, and each stack's first line. */
function frames(output: string, dir: string): string[] {
  return output.split("\n").filter((line) => !line.startsWith("    at ") || line.includes(dir) || line.endsWith("(<anonymous>)"));
}

function native(file: string, cwd: string): string {
  return spawnSync(node, [file], { cwd, encoding: "utf8" }).stdout;
}

describe("stepwise run: stack traces", () => {
  for (const [name, file] of [["CommonJS", "main.js"], ["an ES module", "main.mjs"]] as const) {
    it(`the same frames as natively, in ${name}`, () => {
      const dir = workspace({ "package.json": "{}", [file]: PROGRAM });
      const run = stepwise(["run", file], { cwd: dir });
      expect(run.stderr).toBe("");
      const expected = frames(native(file, dir), dir);
      expect(expected.some((line) => line.includes("at async C.method"))).toBe(true);
      expect(frames(run.stdout, dir)).toEqual(expected);
      expect(run.stdout).not.toMatch(/runtime|resume|advance|\$onFulfilled|run-require/);
    });
  }
  it("names the original file where the program's file has a source map of its own (an earlier step's), as node --enable-source-maps does", () => {
    const ts = 'async function main(x: number): Promise<void> {\n  await null;\n  throw new Error("boom " + x);\n}\nmain(1).catch((e) => console.log(e.stack));\n';
    const built = transformSync(ts, { loader: "ts", sourcemap: "inline", sourcefile: "orig.ts", format: "cjs" }).code;
    const dir = workspace({ "package.json": "{}", "gen/mid.js": built });
    const run = stepwise(["run", "--no-cache", "gen/mid.js"], { cwd: dir });
    expect(run.stderr).toBe("");
    expect(run.stdout.split("\n")[1]).toBe(`    at main (${join(dir, "gen/orig.ts")}:3:9)`);
    expect(spawnSync(node, ["--enable-source-maps", "gen/mid.js"], { cwd: dir, encoding: "utf8" }).stdout).toContain(`(${join(dir, "gen/orig.ts")}:3:9)`);
  });
  it("names a generator's frames after its function, with the method that stepped it", () => {
    const dir = workspace({ "package.json": "{}", "main.js": GENERATORS });
    const run = stepwise(["run", "main.js"], { cwd: dir });
    expect(run.stderr).toBe("");
    const expected = frames(native("main.js", dir), dir);
    expect(expected).toContain("    at count.next (<anonymous>)");
    expect(expected.some((line) => line.startsWith("    at Box.items ("))).toBe(true);
    expect(frames(run.stdout, dir)).toEqual(expected);
    expect(run.stdout).not.toMatch(/resume|run-require/);
  });
  it("shows as many of the program's frames as Node, up to Error.stackTraceLimit", () => {
    const dir = workspace({ "package.json": "{}", "main.js": DEEP });
    const run = stepwise(["run", "main.js"], { cwd: dir });
    expect(run.stderr).toBe("");
    const expected = frames(native("main.js", dir), dir);
    expect(expected).toContain(`    at s1 (${join(dir, "main.js")}:9:29)`);
    expect(expected.filter((line) => line.startsWith("    at async level"))).toHaveLength(9);
    expect(frames(run.stdout, dir)).toEqual(expected);
  });
  it("places the error of an operand calling what is not declared at its return, await or yield as V8 does", () => {
    const dir = workspace({ "package.json": "{}", "main.js": UNDECLARED });
    const run = stepwise(["run", "main.js"], { cwd: dir });
    expect(run.stderr).toBe("");
    const expected = frames(native("main.js", dir), dir);
    expect(expected).toContain(`    at g (${join(dir, "main.js")}:7:3)`);
    expect(frames(run.stdout, dir)).toEqual(expected);
  });
  it("places a dead zone's error at return, throw, await and yield as V8 does", () => {
    const dir = workspace({ "package.json": "{}", "main.js": DEAD_ZONE });
    const run = stepwise(["run", "main.js"], { cwd: dir });
    expect(run.stderr).toBe("");
    const expected = frames(native("main.js", dir), dir);
    expect(expected).toContain(`    at r (${join(dir, "main.js")}:1:34)`);
    expect(frames(run.stdout, dir)).toEqual(expected);
  });
  it("leaves Error as Babel found it, whether the program's files come from the cache or not", () => {
    const PROBE = "console.log(Error.stackTraceLimit, Error.prepareStackTrace?.name);\n";
    const dir = workspace({ "package.json": "{}", "main.js": PROBE, "module.mjs": PROBE });
    const runs = ["main.js", "module.mjs"].flatMap((file) => [["run", "--no-cache", file], ["run", file], ["run", file]]).map((args) => stepwise(args, { cwd: dir }));
    expect(runs.map((run) => run.stderr)).toEqual(runs.map(() => ""));
    // (V8 collects four times the program's limit, the runtime's frames counting: see run-stacks.ts)
    expect(runs.map((run) => run.stdout)).toEqual(runs.map(() => "40 \n"));
  });
});
