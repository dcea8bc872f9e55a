// The runtime package's CommonJS build (scripts/build-cjs.mjs) and the exports that choose it: Node itself
// takes the ES modules for `import` and `require()` alike ("module-sync", first), so a program has one
// runtime instance; loaders that cannot require an ES module (Jest, whose babel-jest turns generated
// imports into `require`; Node run with require(esm) off; a bundler bundling a `require`) take the .cjs
// files, the same code. Checked on the packed tarballs, on Node 20, 22 and 24.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { NODE22, NODE24 } from "../support/nodes.ts";
import { consumer, pack, root, type Consumer, type Packed } from "./consumer.ts";

const NODES = [
  ["Node 20", process.execPath],
  ["Node 22", NODE22],
  ["Node 24", NODE24],
] as const;
/** Node's switch for require(esm) (on by default from 20.19 and 22.12; Node 24 keeps this name as an alias of --no-require-module). */
const NO_REQUIRE_ESM = "--no-experimental-require-module";
const SPECIFIERS = ["@stepwise/runtime", "@stepwise/runtime/loop", "stepwise/runtime", "stepwise/loop"];

let packed: Packed;
/** The packed compiler and runtime, with the compiler's dependencies (its bin builds the programs). */
let app: Consumer;
/** `stepwise build --runtime require` (the installed bin) of PROGRAM and LOOP_PROGRAM into out/. */
let built: ReturnType<typeof spawn>[];
beforeAll(() => {
  packed = pack();
  app = consumer(packed, { withDependencies: true });
  app.write("src/app.js", PROGRAM);
  app.write("src/loop.js", LOOP_PROGRAM);
  const bin = join("node_modules", "stepwise", "dist", "cli", "main.js");
  built = [
    spawn(process.execPath, [bin, "build", "src/app.js", "-o", "out/app.js", "--runtime", "require", "-q"], app.dir),
    spawn(process.execPath, [bin, "build", "src/loop.js", "-o", "out/loop.js", "--runtime", "require", "--mode", "loop", "-q"], app.dir),
  ];
}, 120_000);
afterAll(() => {
  app?.dispose();
  if (packed) rmSync(packed.dir, { recursive: true, force: true });
});

/** `node args...` in `cwd` on the Node binary given (the project's Consumer.node runs the tests' own Node). */
function spawn(nodeBinary: string, args: string[], cwd: string) {
  const result = spawnSync(nodeBinary, args, { cwd, encoding: "utf8", timeout: 60_000, env: { ...process.env, NODE_OPTIONS: "" } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Built by `stepwise build --runtime require`: async functions, generators, async generators, for await, a rejection. */
const PROGRAM = `"use strict";
const { setTimeout: sleep } = require("node:timers/promises");
async function main(names) {
  const log = [];
  async function worker(name) {
    log.push(name + " before");
    await sleep(1);
    log.push(name + " after");
  }
  await Promise.all(names.map(worker));
  function* numbered() {
    for (const [i, line] of log.entries()) yield i + ":" + line;
  }
  async function* ticks(n) {
    for (let i = 0; i < n; i++) { await null; yield i; }
  }
  const seen = [];
  for await (const t of ticks(3)) seen.push(t);
  try { await Promise.reject(new Error("boom")); } catch (error) { seen.push(error.message); }
  return [...numbered(), seen.join()];
}
main(["a", "b"]).then((value) => {
  console.log(JSON.stringify(value));
  console.log(require.resolve("@stepwise/runtime").endsWith(".cjs") ? "the CommonJS runtime" : "the ES runtime");
});
`;
const PROGRAM_OUTPUT = '["0:a before","1:b before","2:a after","3:b after","0,1,2,boom"]\n';

/** Loop mode, debug mode on: the warning names the program's line, past the loop's own frames (import.meta.url in the CommonJS build). */
const LOOP_PROGRAM = `"use strict";
const { run, sleep, createTask, gather, VirtualClock } = require("@stepwise/runtime/loop");
async function child(name, ms, order) { await sleep(ms); order.push(name); return name; }
async function forgotten() {}
async function main() {
  const order = [];
  const result = await gather(createTask(child("a", 50, order)), createTask(child("b", 10, order)));
  forgotten();
  return [result.join(), order.join()];
}
run(main, { clock: new VirtualClock(), debug: true, warn: (message) => console.log(message) }).then((value) => console.log(value.join(" / ")));
`;

describe("the runtime's CommonJS build", () => {
  it("is built and shipped: a .cjs twin of every ES module, strict, requiring only its twins and Node's modules", () => {
    for (const dir of ["runtime", "loop"]) {
      for (const file of packed.runtimeFiles.filter((name) => name.startsWith(`dist/${dir}/`) && name.endsWith(".js"))) {
        expect(packed.runtimeFiles).toContain(file.replace(/\.js$/, ".cjs"));
        const text = readFileSync(join(app.dir, "node_modules", "@stepwise", "runtime", file.replace(/\.js$/, ".cjs")), "utf8");
        expect(text.startsWith('"use strict";\n')).toBe(true);
        for (const [, specifier] of text.matchAll(/\brequire\(([^)]*)\)/g)) expect(specifier).toMatch(/^"(\.\.?\/(runtime\/)?[\w-]+\.cjs|node:[\w/]+)"$/);
        expect(text).not.toMatch(/^\s*(import|export)\s/m);
      }
    }
  });

  it("the same modules as the ES build: the same exports, of the same kinds and names, and one instance between the runtime and the loop", () => {
    const compare = `
const esm = {}, cjs = {};
for (const name of ${JSON.stringify(SPECIFIERS)}) { esm[name] = await import(name); cjs[name] = require(name); }
const differ = [];
for (const name in esm) {
  const a = esm[name], b = cjs[name];
  if (Object.keys(a).sort().join() !== Object.keys(b).filter((key) => key !== "__esModule").sort().join()) differ.push(name + ": keys");
  for (const key of Object.keys(a)) {
    if (typeof a[key] !== typeof b[key]) differ.push(name + "." + key + ": typeof");
    else if (typeof a[key] === "function" && a[key].name !== b[key].name) differ.push(name + "." + key + ": name " + b[key].name);
    else if (typeof a[key] !== "function" && typeof a[key] !== "object" && typeof a[key] !== "symbol" && a[key] !== b[key]) differ.push(name + "." + key + ": value");
  }
}
const r = cjs["@stepwise/runtime"], l = cjs["@stepwise/runtime/loop"];
console.log(JSON.stringify({
  differ,
  exports: Object.keys(esm["@stepwise/runtime/loop"]).length,
  cjs: ${JSON.stringify(SPECIFIERS)}.map((name) => require.resolve(name).endsWith(".cjs")),
  one: [l.AsyncMachine === r.AsyncMachine, l.setTracer === r.setTracer, cjs["stepwise/runtime"] === r, cjs["stepwise/loop"] === l],
}));
`;
    app.write("compare.mjs", `import { createRequire } from "node:module";\nconst require = createRequire(import.meta.url);\n${compare}`);
    const ran = spawn(process.execPath, [NO_REQUIRE_ESM, "compare.mjs"], app.dir);
    expect(ran.stderr).toBe("");
    const answer = JSON.parse(ran.stdout);
    expect(answer).toEqual({ differ: [], exports: answer.exports, cjs: [true, true, true, true], one: [true, true, true, true] });
    expect(answer.exports).toBeGreaterThan(100);
  });

  it("stepwise build --runtime require lowered the programs the next tests run: one require of the runtime", () => {
    expect(built).toEqual([{ code: 0, stdout: "", stderr: "" }, { code: 0, stdout: "", stderr: "" }]);
    const out = app.read("out/app.js");
    expect(out.match(/require\("@stepwise\/runtime"\)/g)).toHaveLength(1);
    expect(out.replace(/\/\*\*.*\*\//g, "")).not.toMatch(/async |function\*|await /);
    expect(app.read("out/loop.js").match(/require\("@stepwise\/runtime\/loop"\)/g)).toHaveLength(2); // the program's own, and the generated one
  });

  for (const [name, nodeBinary] of NODES) {
    it(`${name} with require(esm) off (${NO_REQUIRE_ESM}): require("@stepwise/runtime") takes the CommonJS build, and programs built with --runtime require run on it`, () => {
      // With require(esm) off, Node cannot load the ES runtime from CommonJS at all: the .cjs files are what runs.
      const loaded = spawn(nodeBinary, [NO_REQUIRE_ESM, "-e", `const r = require("@stepwise/runtime"), l = require("@stepwise/runtime/loop"), sr = require("stepwise/runtime"), sl = require("stepwise/loop"); console.log(require.resolve("@stepwise/runtime").slice(-22), typeof r.runAsync, typeof l.EventLoop, l.AsyncMachine === r.AsyncMachine, sr.setTracer === r.setTracer, sl.EventLoop === l.EventLoop)`], app.dir);
      expect(loaded).toMatchObject({ code: 0, stdout: "dist/runtime/index.cjs function function true true true\n", stderr: "" });
      expect(spawn(nodeBinary, [NO_REQUIRE_ESM, "out/app.js"], app.dir)).toMatchObject({ code: 0, stdout: PROGRAM_OUTPUT + "the CommonJS runtime\n", stderr: "" });
      const loop = spawn(nodeBinary, [NO_REQUIRE_ESM, "out/loop.js"], app.dir);
      expect(loop.stderr).toBe("");
      expect(loop.stdout).toMatch(/^stepwise: coroutine Forgotten was never awaited \(created at Main\.resume \(.*[\\/]out[\\/]loop\.js:\d+:\d+\)\)\na,b \/ b,a\n$/);
      // And with require(esm) on (the default), the same programs run on the ES runtime.
      expect(spawn(nodeBinary, ["out/app.js"], app.dir)).toMatchObject({ code: 0, stdout: PROGRAM_OUTPUT + "the ES runtime\n", stderr: "" });
      expect(spawn(nodeBinary, ["out/loop.js"], app.dir)).toMatchObject({ code: 0, stdout: loop.stdout, stderr: "" });
    });

    it(`${name}, as it comes: require() and import give the one ES module instance ("module-sync")`, () => {
      app.write(
        "same.mjs",
        `import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const same = [];
for (const name of ${JSON.stringify(SPECIFIERS)}) same.push(require(name) === (await import(name)), require.resolve(name).endsWith(".js"));
const { setTracer } = require("@stepwise/runtime");
const { getTracer } = await import("stepwise/loop");
const tracer = { enter() {}, leave() {} };
setTracer(tracer);
same.push(getTracer() === tracer);
console.log(same.join());
`,
      );
      expect(spawn(nodeBinary, ["same.mjs"], app.dir)).toMatchObject({ code: 0, stdout: Array(9).fill("true").join() + "\n", stderr: "" });
    });
  }

  it("bundlers: esbuild takes the ES modules for an import (tree-shaken: npm run size measures it) and the CommonJS build for a require", async () => {
    const bundled = async (contents: string) => {
      const result = await build({ stdin: { contents, resolveDir: app.dir, loader: "js" }, bundle: true, write: false, metafile: true, platform: "neutral", format: "esm", external: ["node:*"], logLevel: "silent" });
      return Object.keys(result.metafile!.inputs).filter((file) => file.includes("@stepwise/runtime")).map((file) => file.replace(/^.*@stepwise\/runtime\//, ""));
    };
    const imported = await bundled(`import { runAsync } from "@stepwise/runtime"; console.log(runAsync);`);
    expect(imported).toContain("dist/runtime/promise-driver.js");
    expect(imported.filter((file) => file.endsWith(".cjs"))).toEqual([]);
    const required = await bundled(`const { runAsync } = require("@stepwise/runtime"); console.log(runAsync);`);
    expect(required).toContain("dist/runtime/index.cjs");
    expect(required.filter((file) => file.endsWith(".js"))).toEqual([]);
  });
});
