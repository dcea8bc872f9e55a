// The packed packages, installed into throwaway projects the way a user installs them: `plugins:
// ["stepwise/babel"]` in babel.config.json (ESM and CommonJS projects), the transformed code running
// with the runtime package alone installed (npm installs it from its tarball, offline: it has no
// dependencies), the programmatic API from both module systems, the type declarations, and the
// tarballs' contents and manifests.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { transform } from "../../src/transform/index.ts";
import { consumer, pack, root, type Consumer, type Packed } from "./consumer.ts";

let packed: Packed;
const projects: Consumer[] = [];
function project(...args: Parameters<typeof consumer>[1][]): Consumer {
  const made = consumer(packed, args[0]);
  projects.push(made);
  return made;
}

beforeAll(() => {
  packed = pack();
});
afterAll(() => {
  for (const made of projects) made.dispose();
  if (packed) rmSync(packed.dir, { recursive: true, force: true });
});

/** Transforms every file named through Babel, as configured by the project's babel.config.*; writes out/. */
const BUILD = `
const { transformFileSync } = require("@babel/core");
const { mkdirSync, writeFileSync } = require("node:fs");
const { basename, join } = require("node:path");
mkdirSync("out", { recursive: true });
for (const file of process.argv.slice(2)) {
  const result = transformFileSync(file);
  writeFileSync(join("out", basename(file)), result.code);
}
`;

const ESM_APP = `import { setTimeout as sleep } from "node:timers/promises";

export async function main(names) {
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
  return [...numbered()];
}
`;
const ESM_MAIN = `import { main } from "./app.js";
console.log(JSON.stringify(await main(["a", "b"])));
`;
const EXPECTED = '["0:a before","1:b before","2:a after","3:b after"]\n';

describe("the packed tarball", () => {
  it("ships only what users need: the built code and declarations, no sources, tests or maps", () => {
    expect(packed.files).toContain("package.json");
    expect(packed.files).toContain("README.md");
    const other = packed.files.filter((file) => !file.startsWith("dist/") && file !== "package.json" && file !== "README.md");
    expect(other).toEqual([]);
    expect(packed.files.filter((file) => file.endsWith(".map") || file.includes("example"))).toEqual([]);
    for (const entry of ["transform/index", "transform/babel", "runtime/index", "loop/index"]) {
      expect(packed.files).toContain(`dist/${entry}.js`);
      expect(packed.files).toContain(`dist/${entry}.d.ts`);
    }
    expect(packed.files).toContain("dist/cli/main.js");
    // The runtime is not in the compiler twice: stepwise/runtime and stepwise/loop re-export the runtime
    // package (index.cjs: its CommonJS build, for loaders without require(esm)).
    expect(packed.files.filter((file) => /^dist\/(runtime|loop)\//.test(file))).toEqual([
      "dist/loop/index.cjs",
      "dist/loop/index.d.ts",
      "dist/loop/index.js",
      "dist/runtime/index.cjs",
      "dist/runtime/index.d.ts",
      "dist/runtime/index.js",
    ]);
  });

  it("the runtime package ships the runtime and the loop as written, with their declarations and CommonJS twins, and nothing else", () => {
    const runtime = packed.runtimeFiles;
    expect(runtime.filter((file) => !file.startsWith("dist/"))).toEqual(["README.md", "package.json"]);
    expect(runtime.filter((file) => !/^dist\/(runtime|loop)\/[\w-]+\.(js|cjs|d\.ts)$/.test(file) && file.startsWith("dist/"))).toEqual([]);
    let shipped = 0;
    for (const dir of ["runtime", "loop"]) {
      for (const name of readdirSync(join(root, "src", dir)).filter((file) => file.endsWith(".js"))) {
        expect(runtime).toContain(`dist/${dir}/${name}`);
        expect(runtime).toContain(`dist/${dir}/${name.replace(/\.js$/, ".d.ts")}`);
        expect(runtime).toContain(`dist/${dir}/${name.replace(/\.js$/, ".cjs")}`);
        shipped += 3;
      }
    }
    expect(runtime.filter((file) => file.startsWith("dist/"))).toHaveLength(shipped);
  });

  it("the manifests: the compiler depends on the runtime package at its version; no install scripts in either (no prepare)", () => {
    const manifest = (tarball: string) => JSON.parse(execFileSync("tar", ["-xzOf", tarball, "package/package.json"], { encoding: "utf8" }));
    const compiler = manifest(packed.tarball);
    const runtime = manifest(packed.runtimeTarball);
    expect(runtime.name).toBe("@stepwise/runtime");
    expect(compiler.dependencies["@stepwise/runtime"]).toBe(runtime.version);
    expect(runtime.dependencies ?? {}).toEqual({});
    expect(runtime.sideEffects).toBe(false);
    // Node takes the ES module for import and require() alike ("module-sync", first after "types"); loaders
    // without require(esm) take the CommonJS build; the rest (bundlers' imports) the ES module.
    const conditions = (entry: string) => ({ types: `./dist/${entry}/index.d.ts`, "module-sync": `./dist/${entry}/index.js`, require: `./dist/${entry}/index.cjs`, default: `./dist/${entry}/index.js` });
    for (const [exports, names] of [[runtime.exports, { ".": "runtime", "./loop": "loop" }], [compiler.exports, { "./runtime": "runtime", "./loop": "loop" }]] as const) {
      for (const [subpath, entry] of Object.entries(names)) {
        expect(exports[subpath]).toEqual(conditions(entry));
        expect(Object.keys(exports[subpath])).toEqual(["types", "module-sync", "require", "default"]);
      }
    }
    for (const scripts of [compiler.scripts ?? {}, runtime.scripts ?? {}]) {
      for (const name of ["preinstall", "install", "postinstall", "prepare"]) expect(scripts).not.toHaveProperty(name);
    }
  });

  it("the runtime package installed alone with npm, from its tarball, offline: exactly one package, and lowered code runs on it", () => {
    const dir = mkdtempSync(join(tmpdir(), "stepwise-runtime-alone-"));
    try {
      writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
      execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", packed.runtimeTarball], { cwd: dir, encoding: "utf8", timeout: 120_000, stdio: ["ignore", "pipe", "pipe"] });
      const lock = JSON.parse(readFileSync(join(dir, "package-lock.json"), "utf8")) as { packages: Record<string, { dependencies?: object }> };
      expect(Object.keys(lock.packages)).toEqual(["", "node_modules/@stepwise/runtime"]);
      expect(readdirSync(join(dir, "node_modules")).filter((name) => !name.startsWith("."))).toEqual(["@stepwise"]);
      const app = transform(ESM_APP, { filename: "app.js" }).code;
      expect(app).toMatch(/^import .* from "@stepwise\/runtime";$/m);
      writeFileSync(join(dir, "app.js"), app);
      writeFileSync(join(dir, "main.js"), ESM_MAIN);
      const loop = transform(`import { run, sleep } from "@stepwise/runtime/loop";\nasync function main() { await sleep(0); console.log("loop"); }\nrun(main);\n`, { filename: "loop.js", mode: "loop" }).code;
      writeFileSync(join(dir, "loop.js"), loop);
      const env = { ...process.env, NODE_OPTIONS: "" };
      expect(execFileSync(process.execPath, ["main.js"], { cwd: dir, encoding: "utf8", env })).toBe(EXPECTED);
      expect(execFileSync(process.execPath, ["loop.js"], { cwd: dir, encoding: "utf8", env })).toBe("loop\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('plugins: ["stepwise/babel"] in an ES module project: one runtime import per file, and the output runs with the runtime package alone installed', () => {
    const app = project({ packageJson: { type: "module" }, withDependencies: true });
    app.write("babel.config.json", JSON.stringify({ plugins: ["stepwise/babel"] }));
    app.write("build.cjs", BUILD);
    app.write("src/app.js", ESM_APP);
    app.write("src/main.js", ESM_MAIN);
    const built = app.node(["build.cjs", "src/app.js", "src/main.js"]);
    expect(built.stderr).toBe("");
    expect(built.code).toBe(0);
    const out = app.read("out/app.js");
    expect(out.match(/^import .* from "@stepwise\/runtime";$/gm)).toHaveLength(1);
    expect(out.replace(/\/\*\*.*\*\//g, "")).not.toMatch(/async |function\*|await /);
    expect(app.read("out/main.js")).toBe(ESM_MAIN.trimEnd()); // nothing to lower: untouched, no import added

    // A project that only runs the output has the runtime package and nothing else: it has no dependencies.
    const bare = project({ packageJson: { type: "module" }, compiler: false });
    bare.write("app.js", out);
    bare.write("main.js", app.read("out/main.js"));
    const ran = bare.node(["main.js"]);
    expect(ran.stderr).toBe("");
    expect(ran.stdout).toBe(EXPECTED);
  });

  it("a CommonJS project (babel.config.js, options): require(\"@stepwise/runtime\") works, with no warning", () => {
    const app = project({ withDependencies: true });
    app.write("babel.config.js", `module.exports = { plugins: [["stepwise/babel", { generators: false }]] };\n`);
    app.write("build.js", BUILD);
    app.write(
      "src/app.js",
      `const { setTimeout: sleep } = require("node:timers/promises");
async function main(names) {
  const log = [];
  await Promise.all(names.map(async (name) => { log.push(name + " before"); await sleep(1); log.push(name + " after"); }));
  function* numbered() { for (const [i, line] of log.entries()) yield i + ":" + line; }
  return [...numbered()];
}
module.exports = { main };
`,
    );
    app.write("src/main.js", `require("./app.js").main(["a", "b"]).then((v) => console.log(JSON.stringify(v)));\n`);
    const built = app.node(["build.js", "src/app.js", "src/main.js"]);
    expect(built.stderr).toBe("");
    const out = app.read("out/app.js");
    // Babel parses every file as a module by default; this one is CommonJS all the same, so require.
    expect(out.match(/require\("@stepwise\/runtime"\)/g)).toHaveLength(1);
    expect(out).not.toMatch(/^import /m);
    expect(out).toContain("function* numbered()"); // generators: false
    const bare = project({ compiler: false });
    bare.write("app.js", out);
    bare.write("main.js", app.read("out/main.js"));
    const ran = bare.node(["main.js"]);
    expect(ran.stderr).toBe("");
    expect(ran.stdout).toBe(EXPECTED);
    // Every entry point of the runtime side loads from CommonJS (require of an ES module, Node >= 20.19):
    // the runtime package's, and the compiler's re-exports of it (the same instances).
    const loaded = bare.node(["-e", `const r = require("@stepwise/runtime"), l = require("@stepwise/runtime/loop"); console.log(typeof r.runAsync, typeof l.EventLoop, l.AsyncMachine === r.AsyncMachine)`]);
    expect(loaded).toMatchObject({ stdout: "function function true\n", stderr: "" });
    const both = project();
    const again = both.node(["-e", `const r = require("@stepwise/runtime"), l = require("@stepwise/runtime/loop"), sr = require("stepwise/runtime"), sl = require("stepwise/loop"); console.log(sr.runAsync === r.runAsync, sr.setTracer === r.setTracer, sl.EventLoop === l.EventLoop, sl.AsyncMachine === r.AsyncMachine)`]);
    expect(again).toMatchObject({ stdout: "true true true true\n", stderr: "" });
  });

  it("mode: \"loop\" from babel.config.json: the output runs on @stepwise/runtime/loop, which stepwise/loop re-exports", () => {
    const app = project({ packageJson: { type: "module" }, withDependencies: true });
    app.write("babel.config.json", JSON.stringify({ plugins: [["stepwise/babel", { mode: "loop" }]] }));
    app.write("build.cjs", BUILD);
    app.write(
      "src/main.js",
      `import { createTask, run, sleep } from "stepwise/loop";
async function coro(name) { console.log("before", name); await sleep(0); console.log("after", name); }
async function main() { const a = createTask(coro("a")); const b = createTask(coro("b")); await a; await b; }
run(main);
`,
    );
    const built = app.node(["build.cjs", "src/main.js"]);
    expect(built.stderr).toBe("");
    // The program's own import of stepwise/loop and the generated one of the runtime package: one loop.
    expect(app.read("out/main.js").match(/from "stepwise\/loop";$/gm)).toHaveLength(1);
    expect(app.read("out/main.js").match(/from "@stepwise\/runtime\/loop";$/gm)).toHaveLength(1);
    const bare = project({ packageJson: { type: "module" } });
    bare.write("main.js", app.read("out/main.js"));
    expect(bare.node(["main.js"])).toMatchObject({ stdout: "before a\nbefore b\nafter a\nafter b\n", stderr: "" });
  });

  it("an unknown or ill-typed option in babel.config.json fails the build with a clear message", () => {
    const app = project({ packageJson: { type: "module" }, withDependencies: true });
    app.write("build.cjs", BUILD);
    app.write("src/app.js", ESM_APP);
    app.write("babel.config.json", JSON.stringify({ plugins: [["stepwise/babel", { generator: false }]] }));
    let built = app.node(["build.cjs", "src/app.js"]);
    expect(built.code).toBe(1);
    expect(built.stderr).toContain('stepwise: unknown option "generator" (known: generators, machineInfo, mode, runtime, runtimeModule)');
    app.write("babel.config.json", JSON.stringify({ plugins: [["stepwise/babel", { mode: "threads" }]] }));
    built = app.node(["build.cjs", "src/app.js"]);
    expect(built.stderr).toContain('stepwise: option "mode" must be "promise" or "loop", got "threads"');
  });

  it("the programmatic API from an ES module and from CommonJS: code, map and machines", () => {
    const app = project({ withDependencies: true });
    const script = (load: string) => `${load}
const { code, map, machines } = transform("async function f(x) {\\n  await x;\\n  return x;\\n}\\n", { filename: "f.js", sourceMaps: true, runtime: "require" });
console.log(JSON.stringify({ lowered: code.includes("class F extends AsyncMachine"), sources: map.sources, machines: machines.map((m) => [m.name, m.kind, m.states.length]) }));
`;
    app.write("esm.mjs", script(`import { transform } from "stepwise";`));
    app.write("cjs.cjs", script(`const { transform } = require("stepwise");`));
    const expected = JSON.stringify({ lowered: true, sources: ["f.js"], machines: [["f", "async", 2]] }) + "\n";
    expect(app.node(["esm.mjs"])).toMatchObject({ stdout: expected, stderr: "" });
    expect(app.node(["cjs.cjs"])).toMatchObject({ stdout: expected, stderr: "" });
  });

  it("the README's programmatic API example (examples/build/api.mjs) runs and prints what the README shows", () => {
    const example = readFileSync(join(root, "examples", "build", "api.mjs"), "utf8");
    const readme = readFileSync(join(root, "README.md"), "utf8");
    expect(readme).toContain("```js\n" + example + "```\n\nprints\n\n```text\n");
    const printed = readme.split("```js\n" + example + "```\n\nprints\n\n```text\n")[1].split("```")[0];
    const app = project({ packageJson: { type: "module" }, withDependencies: true });
    app.write("api.mjs", example);
    expect(app.node(["api.mjs"])).toMatchObject({ stdout: printed, stderr: "" });
  });

  it("the type declarations: API, plugin options, runtime and loop, checked by tsc without skipLibCheck", () => {
    const app = project({ packageJson: { type: "module" }, withDependencies: true, links: ["typescript", "@types/node"] });
    app.write(
      "tsconfig.json",
      JSON.stringify({ compilerOptions: { strict: true, module: "nodenext", moduleResolution: "nodenext", target: "es2022", noEmit: true, skipLibCheck: false, types: ["node"] }, files: ["check.ts"] }),
    );
    app.write(
      "check.ts",
      `import { transform, StepwiseError, type MachineInfo, type TransformOptions, type TransformResult } from "stepwise";
import stepwise, { type StepwiseOptions } from "stepwise/babel";
import { AsyncMachine, runAsync, setTracer } from "stepwise/runtime";
import { EventLoop, run, sleep } from "stepwise/loop";
import { GeneratorMachine, runGenerator } from "@stepwise/runtime";
import { Task, gather } from "@stepwise/runtime/loop";
import { Coroutine, Event, Future, Lock, Queue, asCompleted, createTask, ensureFuture, openConnection, readFile, shield, taskGroup, timeout, wait, waitFor, type TaskGroup } from "stepwise/loop";

const options: StepwiseOptions = { mode: "loop", generators: false, runtime: "require", runtimeModule: "x" };
// @ts-expect-error not a mode
const badMode: StepwiseOptions = { mode: "threads" };
// @ts-expect-error not a runtime delivery
const badRuntime: TransformOptions = { runtime: "bundle" };
const result: TransformResult = transform("async function f() {}", { ...options, filename: "f.js", sourceMaps: true });
const machines: MachineInfo[] = result.machines;
const code: string = result.code;
const states: number = machines[0].states.length;
const plugin: (api: any, options?: Record<string, unknown>) => { name?: string } = stepwise;
const error: Error = new StepwiseError("syntax error", "x", "f.js", "", { line: 1, column: 0 });
const promise: Promise<unknown> = runAsync(new (class extends AsyncMachine {})());
setTracer(null);
const loop = new EventLoop();
const generator: unknown = runGenerator(new (class extends GeneratorMachine {})());
const tasks: unknown = gather;
void [badMode, badRuntime, code, states, plugin, error, promise, loop, run, sleep, generator, tasks, Task];

// The README's programmatic example: with sourceMaps: true the map is there, typed.
const { map } = transform("async function coro(name) {\\n  await sleep(0);\\n}\\n", { filename: "coro.js", sourceMaps: true, runtime: "import", mode: "promise", generators: true });
console.log(map.sources, map.mappings.length > 0);
const version: 3 = map.version;
const contents: (string | null)[] | undefined = map.sourcesContent;
// @ts-expect-error without sourceMaps: true there may be no map
console.log(transform("f()").map.sources);

// A loop-mode program as it is written in TypeScript: the checker types an async function's call as a
// Promise (a Coroutine at run time), and the loop's API takes it so and carries its result type through.
async function work(name: string, ms: number): Promise<string> {
  await sleep(ms);
  return name;
}

async function main(): Promise<number> {
  const t = createTask(work("a", 1));
  const task: Task<string> = t;
  const s: string = await t;
  // @ts-expect-error the task's result is a string
  const wrongResult: number = await t;
  // @ts-expect-error a task runs a coroutine (an async function's call), not a number
  createTask(42);
  const slept: undefined = await sleep(1);
  const later: string = await sleep(1, "later");
  const soon: number = await sleep(0, 7);

  const q = new Queue<number>();
  await q.put(1);
  // @ts-expect-error a Queue<number> takes numbers
  await q.put("one");
  const n: number = await q.get();
  // @ts-expect-error a Queue<number> gives numbers
  const w: { nope: true } = await q.get();
  await q.join();

  const text: string = await readFile("check.ts", "utf8");
  const bytes: Buffer = await readFile("check.ts");
  // @ts-expect-error readFile with an encoding gives a string
  const wrong: Date = await readFile("x", "utf8");

  const timed: string = await timeout(10, work("b", 1));
  const unlimited: Coroutine<string> = timeout(null, work("c", 1));
  const waited: string = await waitFor(work("d", 1), 10);
  const shielded: string = await shield(work("e", 1));
  const future: Future<string> = ensureFuture(work("f", 1));
  const [x, y, z]: [string, number, string] = await gather(work("g", 1), sleep(1, 2), t);
  const same: string[] = await gather(...["h", "i"].map((name) => work(name, 1)));
  const outcomes: [unknown, unknown] = await gather(work("j", 1), t, { returnExceptions: true });
  // @ts-expect-error gather's results are typed in order
  const swapped: [number, string] = await gather(work("k", 1), sleep(1, 2));

  const made = new EventLoop().createFuture<number>();
  made.setResult(1);
  // @ts-expect-error a Future<number> is set with a number
  made.setResult("1");
  const got: number = made.result();

  const event = new Event();
  event.set();
  const isSet: true = await event.wait();
  // @ts-expect-error Event.wait() resolves with true
  const b: Date = await new Event().wait();
  const lock = new Lock();
  const acquired: boolean = await lock.acquire();
  lock.release();

  const grouped: number = await taskGroup(async (group: TaskGroup) => {
    const child: Task<string> = group.createTask(work("l", 1));
    const other = group.createTask(timeout(5, work("m", 1)));
    return (await child).length + (await other).length;
  });
  const [done, pending] = await wait([t, createTask(work("n", 1))], { timeout: 5 });
  const finished: Set<Task<string>> = done;
  // @ts-expect-error wait() takes futures and tasks, not coroutines (it throws a TypeError for one)
  await wait([work("o", 1)]);
  for (const next of asCompleted([work("p", 1), work("q", 2)])) {
    const first: string = await next;
  }
  for await (const completed of asCompleted([t, work("r", 1)])) {
    const result: string = completed.result();
  }
  return s.length + n;
}

async function client(port: number): Promise<string> {
  const [reader, writer] = await openConnection("localhost", port);
  writer.write("ping\\n");
  await writer.drain();
  const line: Buffer = await reader.readLine();
  const exactly: Buffer = await reader.readExactly(2);
  writer.close();
  await writer.waitClosed();
  return line.toString("utf8") + exactly.length;
}

const ran: Promise<number> = run(main);
const one: number = await run(async () => 1);
const named: number = await run(main());
// @ts-expect-error run() resolves with main's result
const r: Date = await run(main);
const virtual: string = await new EventLoop({ clock: "virtual" }).run(() => client(1));
`,
    );
    const checked = app.node([join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "."]);
    expect(checked.stdout + checked.stderr).toBe("");
    expect(checked.code).toBe(0);
  });

  it("the stepwise bin runs from the installed package", () => {
    const app = project({ withDependencies: true });
    const built = app.node(["node_modules/stepwise/dist/cli/main.js", "build", "--filename", "f.js"], { input: "async function f() { await 1; }\n" });
    expect(built.stderr).toBe("");
    expect(built.stdout).toContain("class F extends AsyncMachine");
  });
});
