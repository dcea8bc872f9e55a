// Scripts share one top level per realm (a browser's <script>s, vm.runInContext): a lowered script adds
// one global name, `var $stepwise_<hash>` (emit/script-scope.ts), and several lowered scripts with the
// runtime inlined run side by side, as their sources do.
import vm from "node:vm";
import { readFileSync } from "node:fs";
import { parse } from "@babel/parser";
import * as t from "@babel/types";
import { describe, expect, it } from "vitest";
import { transform } from "../src/transform/index.ts";
import { join } from "node:path";
import { fixturesRoot } from "./support/fixtures.ts";
import { runnable } from "./support/harness.ts";

/** Runs scripts one after the other in one new context; the log once their promises and timers are done. */
async function runScripts(scripts: { code: string; filename: string }[], lowered: boolean): Promise<string[]> {
  const log: string[] = [];
  const context = vm.createContext({ console: { log: (...args: unknown[]) => log.push(args.map(String).join(" ")) }, setTimeout });
  for (const { code, filename } of scripts) {
    const source = lowered ? transform(code, { filename, runtime: "inline" }).code : code;
    try {
      vm.runInContext(source, context, { filename });
    } catch (error) {
      log.push(`${filename} threw ${(error as Error).name}: ${(error as Error).message}`);
    }
  }
  // (every program here settles within a few turns of the event loop)
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  return log;
}

async function expectNative(scripts: { code: string; filename: string }[]): Promise<string[]> {
  const native = await runScripts(scripts, false);
  expect(await runScripts(scripts, true)).toEqual(native);
  return native;
}

const a = {
  filename: "a.js",
  code: `async function load(x) { await null; return "a:" + x; }
function* count(n) { for (let i = 0; i < n; i++) yield i; }
var fromA = async () => [...count(3)].join();`,
};
const b = {
  filename: "b.js",
  code: `async function save(x) { return "b:" + await load(x); }
const o = { async m() { return typeof AsyncMachine + " " + typeof runAsync; } };
save(1).then(console.log);
fromA().then(console.log);
o.m().then(console.log);`,
};

describe("scripts in one realm", () => {
  it("two lowered scripts with the runtime inlined run side by side, each reaching the other's functions", async () => {
    expect(await expectNative([a, b])).toEqual(["0,1,2", "undefined undefined", "b:a:1"]);
  });

  it("a script adds one global name, a var: its runtime and machine classes are not global lexical names", () => {
    const { code } = transform(a.code, { filename: a.filename, runtime: "inline" });
    const context = vm.createContext({});
    vm.runInContext(code, context);
    const added = Object.keys(context).filter((name) => !["load", "count", "fromA"].includes(name));
    expect(added).toEqual([expect.stringMatching(/^\$stepwise_[0-9a-f]{8}$/)]);
    for (const name of ["AsyncMachine", "runAsync", "Load", "Count", "FromA"]) expect(vm.runInContext(`typeof ${name}`, context)).toBe("undefined");
  });

  it("the same script runs twice when its source may (functions and vars only)", async () => {
    expect(await expectNative([a, a, { filename: "c.js", code: "load(2).then(console.log);" }])).toEqual(["a:2"]);
  });

  it("a script declaring a lexical name fails the second time, natively as lowered", async () => {
    const lexical = { filename: "l.js", code: "let x = 1;\nasync function f() { await x; }\nconsole.log(x);" };
    expect(await expectNative([lexical, lexical])).toEqual(["1", "l.js threw SyntaxError: Identifier 'x' has already been declared"]);
  });

  it("a function declaration is there for other scripts when its own script throws before reaching it", async () => {
    const early = { filename: "early.js", code: `throw new Error("early");\nasync function late() { await null; return "late"; }` };
    expect(await expectNative([early, { filename: "next.js", code: "late().then(console.log);" }])).toEqual(["early.js threw Error: early", "late"]);
  });

  it("modules and CommonJS keep the runtime and classes at their top level", () => {
    for (const [options, header] of [
      [{ filename: "m.mjs", runtime: "inline" }, /^\/\/ stepwise runtime, inlined\nconst \{/],
      [{ filename: "c.cjs", runtime: "inline" }, /^\/\/ stepwise runtime, inlined\nconst \{/],
      [{ filename: "s.js", runtime: "require" }, /^const \{[^}]*\} = require\("@stepwise\/runtime"\);/],
    ] as const) {
      const { code } = transform("async function f() { await 1; }", options);
      expect(code).toMatch(header);
      expect(code).toMatch(/^class F extends AsyncMachine/m);
      expect(code).not.toContain("$stepwise_");
    }
  });

  // (every fixture would take minutes: these have every kind of top-level declaration the transform makes,
  // found so over all of them: machine classes, sloppy `resume`s, computed keys, methods' own functions)
  const varied = ["async-generators/forms-declarations-expressions.js", "functions/class-computed-keys.js", "generators/computed-key-prototype.js", "generators/class-methods.js", "names/global-scope-generated-names.js", "sloppy-mode/sloppy-resume-placements.js"];
  it("fixtures that are scripts declare no top-level name their sources do not, but the namespace", () => {
    for (const name of varied) {
      const source = readFileSync(join(fixturesRoot, name), "utf8");
      const output = runnable(transform(source, { filename: name, runtime: "inline" }).code, name);
      const before = topLevelNames(runnable(source, name));
      if (before === null) continue;
      const added = [...topLevelNames(output)!].filter((declared) => !before.has(declared));
      expect(added.length <= 1 && added.every((declared) => /^\$stepwise_[0-9a-f]{8}$/.test(declared)), `${name}: ${added.join(", ")}`).toBe(true);
    }
  });
});

/** The names a script declares at its top level; null for a module. */
function topLevelNames(code: string): Set<string> | null {
  let program: t.Program;
  try {
    program = parse(code, { sourceType: "script", allowReturnOutsideFunction: true, plugins: ["explicitResourceManagement"] }).program;
  } catch {
    return null;
  }
  const names = new Set<string>();
  for (const statement of program.body) {
    if (t.isDeclaration(statement)) for (const declared of Object.keys(t.getOuterBindingIdentifiers(statement))) names.add(declared);
  }
  return names;
}
