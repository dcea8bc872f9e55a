// `stepwise run` on CommonJS programs (Node 20): CommonJS files are transformed through Node's CommonJS
// loader (run-require.ts), so they get Node's real `require` — require.cache, require.extensions,
// require(esm) of "module-sync" exports — and test runners and mocking libraries work as natively.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { NODE24 } from "../support/node24.ts";
import { node, NODES, stepwise, workspaces } from "./helpers.ts";

const workspace = workspaces();


/** node:test's report without its timings. */
// (TAP's `duration_ms: 1.2` and `# duration_ms 1.2`; the spec reporter's `(1.2ms)` and `ℹ duration_ms 1.2`)
const untimed = (text: string) => text.replace(/duration_ms:? [\d.]+|\([\d.]+ms\)/g, "duration");

function native(file: string, cwd: string, on = node): { code: number | null; stdout: string } {
  const result = spawnSync(on, [file], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: result.status, stdout: result.stdout };
}

// A package whose "module-sync" export is an ES module (Node 20.19+ requires it natively), a
// proxyquire-like helper that deletes from require.cache, and a mocha-like one that adds an extension.
const PACKAGES = {
  "package.json": JSON.stringify({ name: "app", private: true }),
  "node_modules/dep/package.json": JSON.stringify({ name: "dep", version: "1.0.0", exports: { ".": { "module-sync": "./index.mjs", default: "./index.js" } } }),
  "node_modules/dep/index.js": 'module.exports = { kind: "cjs" };\n',
  "node_modules/dep/index.mjs": 'export const kind = "esm";\n',
  "node_modules/fresh/index.js": `"use strict";
// proxyquire's way: load a module anew with some of its requires replaced.
module.exports = function fresh(request, parent, stubs) {
  const path = require("node:module").createRequire(parent).resolve(request);
  delete require.cache[path];
  const Module = require("node:module");
  const load = Module._load;
  Module._load = function (name, ...rest) { return name in stubs ? stubs[name] : load.call(this, name, ...rest); };
  try { return require(path); } finally { Module._load = load; delete require.cache[path]; }
};
`,
  "node_modules/textext/index.js": `"use strict";
require.extensions[".txt"] = (module, filename) => { module.exports = require("node:fs").readFileSync(filename, "utf8").trim(); };
`,
  "lib/counter.js": `let count = 0;
const dep = require("dep");
exports.next = async function next() { await null; return [++count, dep.kind]; };
`,
  "lib/greeting.txt": "hello\n",
  "test/counter.test.js": `const test = require("node:test");
const assert = require("node:assert");
const fresh = require("fresh");
require("textext");
test("counts, with a fresh module each time", async () => {
  const counter = require("../lib/counter.js");
  assert.deepEqual(await counter.next(), [1, "esm"]);
  assert.deepEqual(await counter.next(), [2, "esm"]);
  const stubbed = fresh("../lib/counter.js", __filename, { dep: { kind: "stub" } });
  assert.deepEqual(await stubbed.next(), [1, "stub"]);
  assert.equal(typeof require.cache, "object");
  assert.equal(require("../lib/greeting.txt"), "hello");
});
`,
};

describe("stepwise run: CommonJS", () => {
  // (on Node 24 and 22 too, where the module hooks run in the program's thread: run-hooks.ts)
  it.each(NODES)("a node:test suite using require.cache, require.extensions and a module-sync dependency runs as natively (%s)", (_, on) => {
    const dir = workspace(PACKAGES);
    const run = stepwise(["run", "test/counter.test.js"], { cwd: dir, node: on });
    expect(run.stderr).toBe("");
    // (Node 20's reporter here is TAP, `# pass 1`; Node 24's is spec, `ℹ pass 1`)
    expect(run.stdout).toMatch(/^[#ℹ] pass 1$/m);
    expect(run.code).toBe(0);
    expect(untimed(run.stdout)).toBe(untimed(native("test/counter.test.js", dir, on).stdout));
    // and the CommonJS files were lowered
    const check = workspace({ ...PACKAGES, "check.js": 'console.log(require("./lib/counter.js").next.toString().includes("runAsync"));\n' });
    expect(stepwise(["run", "check.js"], { cwd: check, node: on })).toEqual({ code: 0, stdout: "true\n", stderr: "" });
  });

  it.each(NODES)("a CommonJS main file runs as Node runs it, not through the ES module loader: its nextTick callbacks before its microtasks, a top-level throw an uncaught exception, module.parent, new.target and return at the top, Node's frames below it (%s)", (_, on) => {
    const dir = workspace({
      "package.json": "{}",
      "main.js": `process.nextTick(() => console.log("tick"));
Promise.resolve().then(() => console.log("microtask"));
(async () => { await null; console.log("await"); })();
console.log(module.parent, require("node:async_hooks").executionAsyncId(), typeof new.target);
const arrow = async () => { await null; return new.target; };
arrow().then((value) => console.log("arrow", value));
process.on("uncaughtException", (error, origin) => console.log(origin, error.message));
// (Node's frames below the file's, \`Object..js\` for its loader of JavaScript on Node 22 and 24)
console.log(new Error("here").stack);
if (process.argv[2] === "return") return console.log("returned");
throw new Error("top");
`,
    });
    for (const args of [[], ["return"]]) {
      const expected = spawnSync(on, ["main.js", ...args], { cwd: dir, encoding: "utf8" });
      expect(expected.stdout).toContain("tick\nmicrotask\nawait\n");
      expect(stepwise(["run", "main.js", ...args], { cwd: dir, node: on })).toEqual({ code: expected.status, stdout: expected.stdout, stderr: expected.stderr });
    }
  });

  it.each(NODES)("TypeScript in CommonJS: require finds .ts files (also as ./x.js), ES modules import .cts files, require() loads .mts files (%s)", (_, on) => {
    const dir = workspace({
      "package.json": "{}",
      "main.cts": `const { g } = require("./u.js");
const t = require("./t.cjs");
const e = require("./e.mts");
async function main(): Promise<void> {
  console.log(await g(), await t.f(), await e.h(), typeof require.cache);
}
main();
`,
      "u.ts": "export async function g(): Promise<number> {\n  await null;\n  return 5;\n}\n",
      "t.cts": "const x: number = 1;\nexports.f = async function f() {\n  await null;\n  return x + 1;\n};\n",
      "e.mts": "export async function h(): Promise<string> {\n  return String(await 3);\n}\n",
      "m.mjs": 'import t from "./t.cts";\nimport { g } from "./u.ts";\nconsole.log(await t.f(), await g(), t.f.toString().includes("runAsync"));\n',
    });
    expect(stepwise(["run", "main.cts"], { cwd: dir, node: on })).toEqual({ code: 0, stdout: "5 2 3 object\n", stderr: "" });
    expect(stepwise(["run", "m.mjs"], { cwd: dir, node: on })).toEqual({ code: 0, stdout: "2 5 true\n", stderr: "" });
  });

  it("TypeScript's CommonJS syntax (import x = require(), export =) in .cts and .ts files, with enums, namespaces and parameter properties, runs and builds as Node 24 with --experimental-transform-types runs it", () => {
    const dir = workspace({
      "package.json": "{}",
      "lib.cts": `import path = require("node:path");
import events = require("node:events");
enum Level { Low = 1, High = 5 }
namespace Limits { export const max = Level.High * 2; }
class Counter extends events.EventEmitter {
  constructor(private step: number) { super(); }
  async count(to: number): Promise<number> {
    let n = 0;
    while (n < to) { n += await this.step; this.emit("tick", n); }
    return n;
  }
}
async function describe(): Promise<string> {
  const counter = new Counter(2);
  const ticks: number[] = [];
  counter.on("tick", (n: number) => ticks.push(n));
  return \`\${path.basename("/a/b.txt")} \${Level[5]} \${Limits.max} \${await counter.count(5)} \${ticks.join(",")}\`;
}
export = describe;
`,
      // (and a .ts file, which outside a "module" package is CommonJS when that is its only module syntax)
      "util.ts": 'import os = require("node:os");\nconst topThis = this === module.exports;\nasync function eol(): Promise<string> { await null; return `${os.EOL.length} ${topThis}`; }\nexport = eol;\n',
      "main.cts": 'import describe = require("./lib.cts");\nimport eol = require("./util.ts");\ndescribe().then(async (text: string) => console.log(text, typeof module.exports, await eol()));\n',
    });
    const native = spawnSync(NODE24, ["--experimental-transform-types", "--disable-warning=ExperimentalWarning", "main.cts"], { cwd: dir, encoding: "utf8" });
    expect(native.stderr).toBe("");
    expect(native.stdout).toBe("b.txt High 10 6 2,4,6 object 1 true\n");
    expect(stepwise(["run", "main.cts"], { cwd: dir })).toEqual({ code: 0, stdout: native.stdout, stderr: "" });
    // (built: CommonJS, with the runtime inlined, run by plain node)
    expect(stepwise(["build", "lib.cts", "main.cts", "util.ts", "-d", "out", "--runtime", "inline", "-q"], { cwd: dir })).toMatchObject({ code: 0, stderr: "" });
    expect(spawnSync(process.execPath, ["out/main.cjs"], { cwd: dir, encoding: "utf8" }).stdout).toBe("b.txt High 10 6 2,4,6 object 1 true\n");
  });

  it("a .ts file in a package without a type is a module by the syntax only a module has, as Node 24 tells it: import.meta or a top-level await, not a dynamic import() nor a type-only import or export", () => {
    const dir = workspace({
      "package.json": "{}",
      "meta.ts": "const f = async (x: number): Promise<number> => { await null; return x + 1; };\nf(1).then((v) => console.log('meta', v, typeof import.meta.url, typeof require));\n",
      "tla.ts": "const x: number = await Promise.resolve(4);\nconsole.log('tla', x, typeof require);\n",
      "dynamic.ts": "import('./tla.ts').then(() => console.log('dynamic', typeof require, typeof module));\n",
      "plain.ts": "const importer = { run: (): string => typeof require };\nimporter.run();\nconsole.log('plain', importer.run());\n",
      // (type-only imports and exports are stripped with the types: no module syntax)
      "types.ts": "export type T = number;\nexport interface I { a: T }\n",
      "typed.ts": "import type { T } from './types.ts';\nexport type U = T;\nexport declare const d: number;\nconst path = require('node:path');\nasync function f(x: T): Promise<string> { await null; return path.basename(__filename) + x; }\nf(1).then((v) => console.log('typed', v));\n",
      "typedTla.ts": "import type { T } from './types.ts';\nconst x: T = await Promise.resolve(4);\nconsole.log('typed tla', x, typeof require);\n",
    });
    expect(stepwise(["run", "meta.ts"], { cwd: dir })).toEqual({ code: 0, stdout: "meta 2 string undefined\n", stderr: "" });
    expect(stepwise(["run", "tla.ts"], { cwd: dir })).toEqual({ code: 0, stdout: "tla 4 undefined\n", stderr: "" });
    expect(stepwise(["run", "dynamic.ts"], { cwd: dir })).toEqual({ code: 0, stdout: "tla 4 undefined\ndynamic function object\n", stderr: "" });
    expect(stepwise(["run", "plain.ts"], { cwd: dir })).toEqual({ code: 0, stdout: "plain function\n", stderr: "" });
    for (const [file, stdout] of [["typed.ts", "typed typed.ts1\n"], ["typedTla.ts", "typed tla 4 undefined\n"]]) {
      expect(spawnSync(NODE24, [file], { cwd: dir, encoding: "utf8" }).stdout).toBe(stdout);
      expect(stepwise(["run", file], { cwd: dir })).toEqual({ code: 0, stdout, stderr: "" });
    }
  });

  it("a .ts file with decorators that the project's Babel configuration compiles is told a module by its `export {}` (the syntax is parsed with decorators), and one whose syntax does not parse by its lines", () => {
    // (a configuration that parses decorators, either proposal's, and takes them away: enough to run)
    const plugin = (syntax: string) => `module.exports = { plugins: [() => ({ manipulateOptions(_, parser) { parser.plugins.push(${JSON.stringify(syntax)}); }, visitor: { Decorator(path) { path.remove(); } } })] };\n`;
    const program = "function log(target: any, context?: any) { return target; }\n@log\nclass A { @log async m() { await null; return 1; } }\nnew A().m().then((v) => console.log('decorated', v, typeof require));\nexport {};\n";
    for (const syntax of ["decorators", "decorators-legacy"]) {
      const dir = workspace({ "package.json": "{}", "babel.config.cjs": plugin(syntax), "d.ts": program });
      expect(stepwise(["run", "d.ts"], { cwd: dir }), syntax).toEqual({ code: 0, stdout: "decorated 1 undefined\n", stderr: "" });
    }
    // (syntax the detection does not parse, which the configuration compiles: V8 intrinsics)
    const odd = "module.exports = { plugins: [() => ({ manipulateOptions(_, parser) { parser.plugins.push('v8intrinsic'); }, visitor: { V8IntrinsicIdentifier(path) { path.replaceWith({ type: 'Identifier', name: 'String' }); } } })] };\n";
    const dir = workspace({ "package.json": "{}", "babel.config.cjs": odd, "i.ts": "const s: string = %DebugPrint(1);\nexport const t = async () => { await null; return s; };\nt().then((v) => console.log('intrinsic', v, typeof require));\n" });
    expect(stepwise(["run", "i.ts"], { cwd: dir })).toEqual({ code: 0, stdout: "intrinsic 1 undefined\n", stderr: "" });
  });

  it.each(NODES)("a .js or .ts file no package type names is told by its parsed syntax, as Node tells it: declarations anywhere on a line, not text in strings, comments, namespaces or declare module blocks (%s)", (_, on) => {
    const dir = workspace({
      "package.json": "{}",
      "detected.js": 'import os from "node:os";\nconst f = async () => { await null; return typeof os.EOL; };\nconsole.log("detected", await f(), typeof require);\n',
      "midline.ts": "const a: number = 1; export { a };\nconsole.log('midline', typeof require);\n",
      "strict.ts": '"use strict"; import os from "node:os";\nconsole.log("strict", typeof require, typeof os);\n',
      "template.ts": "const s = `\nimport this text\n`;\n/*\n export is described here\n*/\nasync function f(): Promise<number> { await null; return s.length; }\nf().then((n) => console.log('template', n, typeof require));\n",
      "ambient.ts": 'declare module "foo" {\n  export const a: number;\n}\nexport default interface Foo { a: number }\nconsole.log("ambient", typeof require);\n',
      "cjs/package.json": '{ "type": "commonjs" }',
      "cjs/typed.ts": "const n: number = 1;\nconsole.log('typed commonjs', n, typeof require);\n",
    });
    // (Node warns of a module in a package without a type, as natively: the process id aside)
    const unwarned = (text: string) => text.replace(/^\(node:\d+\) \[MODULE_TYPELESS_PACKAGE_JSON\][^]*?--trace-warnings \.\.\.` to show where the warning was created\)\n/m, "");
    for (const file of ["detected.js", "midline.ts", "strict.ts", "template.ts", "ambient.ts", "cjs/typed.ts"]) {
      // (Node 20 has no type stripping: the answers are Node 24's)
      const stdout = spawnSync(NODE24, [file], { cwd: dir, encoding: "utf8" }).stdout;
      expect(stdout, file).not.toBe("");
      const run = stepwise(["run", file], { cwd: dir, node: on });
      expect({ ...run, stderr: unwarned(run.stderr) }, file).toEqual({ code: 0, stdout, stderr: "" });
    }
    // (and one in no package at all)
    const loose = workspace({ "loose.js": "const x = await Promise.resolve(1);\nconsole.log('loose', x);\n" });
    expect(stepwise(["run", "loose.js"], { cwd: loose, node: on })).toEqual({ code: 0, stdout: "loose 1\n", stderr: "" });
  });

  it("a .ts file's imports go only where they are type-only, as Node 24 strips types: an import whose names are unread, or read as types only, still runs its module", () => {
    const dir = workspace({
      "package.json": '{ "type": "module" }',
      "side.ts": 'console.log("side ran");\nexport const value = 1;\nexport interface Shape { a: number }\n',
      "other.ts": 'console.log("other ran");\nexport type T = number;\n',
      "gone.ts": 'console.log("gone ran");\nexport type G = number;\n',
      "main.ts": 'import { value } from "./side.ts";\nimport { type T } from "./other.ts";\nimport type { G } from "./gone.ts";\nasync function f(): Promise<void> { await null; console.log("main"); }\nf();\n',
    });
    const expected = spawnSync(NODE24, ["main.ts"], { cwd: dir, encoding: "utf8" });
    expect(expected.stdout).toBe("side ran\nother ran\nmain\n");
    expect(stepwise(["run", "main.ts"], { cwd: dir })).toEqual({ code: 0, stdout: expected.stdout, stderr: "" });
  });

  it.each(NODES)("a require of a missing file fails with Node's own error, its header Node's loader, not stepwise's hook (%s)", (_, on) => {
    const dir = workspace({ "package.json": "{}", "miss.js": 'require("./nope");\n', "typed.ts": 'export const t = 1;\n', "both.js": 'console.log(require("./typed.js").t);\n' });
    const expected = spawnSync(on, ["miss.js"], { cwd: dir, encoding: "utf8" });
    const run = stepwise(["run", "miss.js"], { cwd: dir, node: on });
    expect(run.code).toBe(expected.status);
    expect(run.stderr.split("\n").slice(0, 5)).toEqual(expected.stderr.split("\n").slice(0, 5));
    // (and ./x.js still finds x.ts)
    expect(stepwise(["run", "both.js"], { cwd: dir, node: on })).toEqual({ code: 0, stdout: "1\n", stderr: "" });
  });

  it("a process the program forks (fork, node --test's workers) runs transformed too", () => {
    const dir = workspace({
      "main.js": `const { fork } = require("node:child_process");
async function f() { await null; }
if (process.argv[2] === "child") console.log("child", f.toString().includes("runAsync"));
else fork(__filename, ["child"]).on("exit", (code) => console.log("parent", f.toString().includes("runAsync"), code));
`,
    });
    expect(stepwise(["run", "main.js"], { cwd: dir })).toEqual({ code: 0, stdout: "child true\nparent true 0\n", stderr: "" });
  });

  it("a syntax error in a required file: file:line:col, a code frame, exit 1", () => {
    const dir = workspace({ "main.js": 'require("./bad.js");\n', "bad.js": "async function g() {\n  await (1 +;\n}\n" });
    const result = stepwise(["run", "main.js"], { cwd: dir });
    expect(result.stderr).toMatch(/^bad\.js:2:\d+: syntax error/);
    expect(result.code).toBe(1);
  });
});
