// Plugin options: validation messages, `generators: false`, and the runtime delivery in modules and scripts.
import { describe, expect, it } from "vitest";
import { transformSync } from "@babel/core";
import { transform } from "../../src/transform/index.ts";
import stepwisePlugin from "../../src/transform/plugin.ts";
import { runProgram } from "../support/harness.ts";
import { join, relative } from "node:path";
import { root } from "./consumer.ts";

const mixed = `
function* count(n) { for (let i = 0; i < n; i++) yield i; }
async function* ticks(n) { for (let i = 0; i < n; i++) { await null; yield i; } }
async function main() {
  const seen = [...count(3)];
  for await (const t of ticks(2)) seen.push("t" + t);
  const v = await Promise.resolve("inner");
  const inner = function* () { yield v; };
  return seen.concat([...(await (async () => [...inner()])())]);
}
main().then((v) => console.log(JSON.stringify(v)), (e) => console.log("error", e));
`;

describe("plugin options", () => {
  it("refuses unknown and ill-typed options with a message naming the option", () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ generator: false }, 'stepwise: unknown option "generator" (known: generators, machineInfo, mode, runtime, runtimeModule)'],
      [{ generators: "no" }, 'stepwise: option "generators" must be a boolean, got "no"'],
      [{ machineInfo: 1 }, 'stepwise: option "machineInfo" must be a boolean, got 1'],
      [{ mode: "threads" }, 'stepwise: option "mode" must be "promise" or "loop", got "threads"'],
      [{ runtime: "bundle" }, 'stepwise: option "runtime" must be "import", "require" or "inline", got "bundle"'],
      [{ runtimeModule: 3 }, 'stepwise: option "runtimeModule" must be a string, got 3'],
      [{ mode: "loop", runtime: "inline" }, 'stepwise: option "runtime" cannot be "inline" in loop mode'],
    ];
    for (const [options, message] of cases) {
      // (transform() knows three options more, its own)
      expect(() => transform("async function f() {}", options as never)).toThrow(message.replace("(known: generators, machineInfo, mode, runtime, runtimeModule)", "(known: filename, generators, machineInfo, mode, runtime, runtimeModule, sourceMaps, sourceType)"));
      // Through Babel's own option handling, as a consumer's babel.config.json would pass them.
      expect(() => transformSync("async function f() {}", { configFile: false, babelrc: false, plugins: [[stepwisePlugin, options]] })).toThrow(message);
    }
  });

  it("transform() refuses ill-typed options of its own as the plugin's", () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ sourceType: "esm" }, 'stepwise: option "sourceType" must be "module", "script" or "unambiguous", got "esm"'],
      [{ sourceMaps: "inline" }, 'stepwise: option "sourceMaps" must be a boolean, got "inline"'],
      [{ filename: 3 }, 'stepwise: option "filename" must be a string, got 3'],
    ];
    for (const [options, message] of cases) expect(() => transform("async function f() {}", options as never)).toThrow(message);
  });

  it("generators: true (the default) lowers function* and async function*", () => {
    const { code, machines } = transform(mixed);
    expect(machines.map((m) => `${m.name}:${m.kind}`).sort()).toEqual(["anonymous:async", "count:generator", "inner:generator", "main:async", "ticks:async-generator"].sort());
    expect(code.replace(/\/\*\*.*\*\//g, "")).not.toMatch(/function\s*\*|async /);
  });

  it("generators: false leaves every generator native (async generators too) and still lowers async functions", async () => {
    const { code, machines } = transform(mixed, { runtime: "inline", generators: false });
    expect(machines.map((m) => `${m.name}:${m.kind}`).sort()).toEqual(["anonymous:async", "main:async"]);
    expect(code).toContain("function* count(n)");
    expect(code).toContain("async function* ticks(n)");
    expect(code).toMatch(/const inner = function\* \(\) \{\n\s*yield /);
    const native = await runProgram(mixed, "mixed.js");
    const lowered = await runProgram(code, "mixed.js");
    expect(native.log).toEqual(['[0,1,2,"t0","t1","inner"]']);
    expect(lowered.log).toEqual(native.log);
  });

  it("the default runtime delivery follows the file: import in a module, require in a script", () => {
    expect(transform("export async function f() {}", { filename: "m.js" }).code).toContain('import { AsyncMachine, runAsync, defineAsyncFunction } from "@stepwise/runtime";');
    expect(transform("async function f() {}", { filename: "s.js" }).code).toContain('const {\n  AsyncMachine,\n  runAsync,\n  defineAsyncFunction\n} = require("@stepwise/runtime");');
    // (exported: a module's declaration that is only ever called, or never used, needs no define call)
    expect(transform("export async function f() {}", { filename: "s.mjs" }).code).toContain('import { AsyncMachine, runAsync, defineAsyncFunction } from "@stepwise/runtime";');
    expect(transform("async function f() {}", { filename: "s.cjs" }).code).toContain('require("@stepwise/runtime")');
  });

  it("a file Babel parses as a module (its default) that is CommonJS all the same gets require", () => {
    const babel = (code: string, filename: string) =>
      transformSync(code, { filename, configFile: false, babelrc: false, sourceType: "module", plugins: [stepwisePlugin] })!.code!;
    expect(babel("async function f() {}\nmodule.exports = f;", "/p/a.js")).toContain('require("@stepwise/runtime")');
    expect(babel("const x = require('x');\nasync function f() {}", "/p/a.js")).toContain('require("@stepwise/runtime")');
    expect(babel("async function f() {}", "/p/a.cjs")).toContain('require("@stepwise/runtime")');
    expect(babel("async function f() {}", "/p/a.js")).toContain('from "@stepwise/runtime"');
    expect(babel("export async function f() {}\nconst r = typeof require;", "/p/a.js")).toContain('from "@stepwise/runtime"');
    expect(babel("function require() {}\nasync function f() {}", "/p/a.js")).toContain('from "@stepwise/runtime"');
  });

  it("an explicit runtime is honoured whatever the file is: require in a module, import in a script", () => {
    const requireInModule = transform("export async function f() {}", { filename: "m.mjs", runtime: "require" }).code;
    expect(requireInModule).toMatch(/^const \{\n  AsyncMachine,\n  runAsync,\n  defineAsyncFunction\n\} = require\("@stepwise\/runtime"\);\n/);
    // (the output imports the runtime, a module: f, never used, needs no define call)
    const importInScript = transform("async function f() {}", { filename: "s.cjs", runtime: "import" }).code;
    expect(importInScript).toMatch(/^import \{ AsyncMachine, runAsync \} from "@stepwise\/runtime";/);
  });

  it("the runtime and the event loop are never lowered, when a build runs Babel over them", () => {
    const files = ["src/runtime/index.js", "src/loop/tasks.js", "node_modules/stepwise/dist/runtime/index.js", "node_modules/@stepwise/runtime/dist/loop/tasks.js", "packages/runtime/dist/runtime/generator.js", "node_modules/@stepwise/runtime/dist/runtime/generator.cjs", "node_modules/stepwise/dist/loop/index.cjs"];
    // (a name relative to the current directory too)
    for (const filename of [...files.map((file) => join(root, file)), relative(process.cwd(), join(root, "src/runtime/index.js"))]) {
      const source = "export function* keys(o) { for (const k in o) yield k; }\nexport async function f() { await 1; }\n";
      const result = transformSync(source, { filename, configFile: false, babelrc: false, plugins: [stepwisePlugin] })!;
      expect(result.code).toContain("export function* keys(o)");
      expect(result.code).not.toContain("stepwise/runtime");
    }
  });

  it("runtime imports are added once per file, however many functions use them", () => {
    const source = "export async function a() { await 1; }\nexport async function b() { await 2; }\nexport function* c() { yield 1; }\nexport const d = async () => { for await (const x of []) {} };\n";
    const { code } = transform(source, { filename: "m.mjs" });
    expect(code.match(/from "@stepwise\/runtime"/g)).toHaveLength(1);
    const script = transform(source.replaceAll("export ", ""), { filename: "s.cjs" }).code;
    expect(script.match(/require\("@stepwise\/runtime"\)/g)).toHaveLength(1);
  });
});
