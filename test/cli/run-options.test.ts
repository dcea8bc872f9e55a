// `stepwise run` with Node's options (before the file, as with node), --watch, and the transform cache.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bin, node, remove, stepwise, stepwiseAsync, workspaces } from "./helpers.ts";

const workspace = workspaces();

/** Every file under a folder (the cache's entries). */
function entries(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name) : [];
}

describe("stepwise run: Node's options", () => {
  const dir = workspace({
    "package.json": "{}",
    "node_modules/cond/package.json": JSON.stringify({ name: "cond", exports: { ".": { dev: "./dev.js", default: "./prod.js" } } }),
    "node_modules/cond/dev.js": 'module.exports = "dev";\n',
    "node_modules/cond/prod.js": 'module.exports = "prod";\n',
    "setup.ts": "async function tag(): Promise<string> {\n  return String(await 'setup');\n}\n(globalThis as any).setupLowered = tag.toString().includes('runAsync');\n",
    "early.mjs": "globalThis.early = 'imported';\n",
    "main.js": 'async function main() {\n  console.log(require("cond"), await import("cond").then((m) => m.default), globalThis.setupLowered, globalThis.early ?? "-", process.argv.slice(2).join(" "));\n}\nmain();\n',
  });

  it("--conditions, --require (transformed too), --import go to Node; the program's arguments follow the file", () => {
    expect(stepwise(["run", "main.js", "--conditions", "dev"], { cwd: dir })).toEqual({ code: 0, stdout: "prod prod undefined - --conditions dev\n", stderr: "" });
    expect(stepwise(["run", "--conditions", "dev", "-r", "./setup.ts", "--import=./early.mjs", "main.js", "x"], { cwd: dir })).toEqual({ code: 0, stdout: "dev dev true imported x\n", stderr: "" });
    expect(stepwise(["run", "-C=dev", "--no-warnings", "--enable-source-maps", "--stack-trace-limit=5", "main.js"], { cwd: dir })).toEqual({ code: 0, stdout: "dev dev undefined - \n", stderr: "" });
  });

  it("--test runs node's test runner, whose test processes are transformed too; a hashbang stays first", () => {
    const dir = workspace({
      "package.json": "{}",
      "t/a.test.js": '#!/usr/bin/env node\nconst test = require("node:test");\nconst assert = require("node:assert");\nasync function f() {\n  return await 1;\n}\ntest("lowered", async () => {\n  assert.equal(await f(), 1);\n  assert.ok(f.toString().includes("runAsync"));\n});\n',
    });
    const result = stepwise(["run", "--test", "t/a.test.js"], { cwd: dir });
    // (Node 20's reporter here is TAP, `# pass 1`; Node 24's is spec, `ℹ pass 1`)
    expect(result.stdout).toMatch(/^[#ℹ] pass 1\n[#ℹ] fail 0$/m);
    expect(result.code).toBe(0);
  });

  it("--inspect starts the inspector", () => {
    const result = stepwise(["run", "--inspect=0", "main.js"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^Debugger listening on ws:/);
  });

  it("options that would undo stepwise's setup, and unknown ones, are one line, exit 2", () => {
    expect(stepwise(["run", "--loader", "x.mjs", "main.js"], { cwd: dir })).toEqual({ code: 2, stdout: "", stderr: "stepwise run: node option --loader cannot be used: stepwise installs its own module hooks and source maps\n" });
    expect(stepwise(["run", "--no-cahce", "main.js"], { cwd: dir })).toEqual({ code: 2, stdout: "", stderr: "stepwise run: unknown option --no-cahce (did you mean --no-cache?) (see stepwise run --help)\n" });
    expect(stepwise(["run", "--conditions"], { cwd: dir })).toEqual({ code: 2, stdout: "", stderr: "stepwise run: option --conditions needs a value (see stepwise run --help)\n" });
  });
});

describe("stepwise run --watch", () => {
  it("reruns when the program or a file it imports changes", async () => {
    const dir = workspace({ "package.json": "{}", "main.mjs": 'import { v } from "./dep.ts";\nconsole.log("value", await v());\n', "dep.ts": "export async function v(): Promise<number> {\n  return 1;\n}\n" });
    const child = spawn(node, [bin, "run", "--watch", "main.mjs"], { cwd: dir, env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
    const until = async (text: string) => {
      for (const started = Date.now(); !stdout.includes(text); await new Promise((r) => setTimeout(r, 50))) {
        if (Date.now() - started > 30_000) throw new Error(`timed out waiting for ${text}; stdout: ${stdout}`);
      }
    };
    try {
      await until("value 1\n");
      await new Promise((r) => setTimeout(r, 300));
      writeFileSync(join(dir, "dep.ts"), "export async function v(): Promise<number> {\n  return 2;\n}\n");
      await until("value 2\n");
      await new Promise((r) => setTimeout(r, 300));
      writeFileSync(join(dir, "main.mjs"), 'import { v } from "./dep.ts";\nconsole.log("main", await v());\n');
      await until("main 2\n");
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).not.toBeUndefined();
  });
});

describe("stepwise run: the transform cache", () => {
  it("a second run reads the transformed files from the cache; --no-cache reads and writes none; concurrent runs share it", async () => {
    const cache = mkdtempSync(join(tmpdir(), "stepwise-cache-"));
    try {
      const dir = workspace({ "package.json": "{}", "main.mjs": 'import c from "./c.cjs";\nimport { t } from "./t.ts";\nconsole.log(await c(), await t());\n', "c.cjs": "module.exports = async function c() {\n  return await 1;\n};\n", "t.ts": "export async function t(): Promise<number> {\n  return await 2;\n}\n" });
      const env = { STEPWISE_CACHE_DIR: cache };
      expect(stepwise(["run", "--no-cache", "main.mjs"], { cwd: dir, env })).toEqual({ code: 0, stdout: "1 2\n", stderr: "" });
      expect(entries(cache)).toEqual([]);
      const runs = await Promise.all([1, 2, 3, 4].map(() => stepwiseAsync(["run", "main.mjs"], { cwd: dir, env })));
      for (const run of runs) expect(run).toEqual({ code: 0, stdout: "1 2\n", stderr: "" });
      expect(entries(cache).length).toBe(3);
      expect(entries(cache).some((name) => name.endsWith(".tmp"))).toBe(false);
      // A changed file is a new entry; the old ones stay valid for their content.
      writeFileSync(join(dir, "t.ts"), "export async function t(): Promise<number> {\n  return await 3;\n}\n");
      expect(stepwise(["run", "main.mjs"], { cwd: dir, env })).toEqual({ code: 0, stdout: "1 3\n", stderr: "" });
      expect(entries(cache).length).toBe(4);
    } finally {
      remove(cache);
    }
  });

  it("an entry compiled with a plugin of the configuration is not used once the plugin's file changes", () => {
    const cache = mkdtempSync(join(tmpdir(), "stepwise-cache-"));
    try {
      // (a plugin of the project's own, named by a JSON configuration whose text does not change)
      const plugin = (word: string) => `module.exports = ({ types: t }) => ({ visitor: { Program: { exit(path) { path.pushContainer("body", t.expressionStatement(t.callExpression(t.identifier("log"), [t.stringLiteral(${JSON.stringify(word)})]))); } } } });\n`;
      const dir = workspace({ "package.json": "{}", "babel.config.json": '{ "plugins": ["./plugin.cjs"] }', "plugin.cjs": plugin("first"), "main.js": "const log = (x) => console.log(x);\nasync function f() {\n  return await 1;\n}\nf().then(log);\n" });
      const env = { STEPWISE_CACHE_DIR: cache };
      expect(stepwise(["run", "main.js"], { cwd: dir, env })).toEqual({ code: 0, stdout: "first\n1\n", stderr: "" });
      expect(stepwise(["run", "main.js"], { cwd: dir, env })).toEqual({ code: 0, stdout: "first\n1\n", stderr: "" });
      writeFileSync(join(dir, "plugin.cjs"), plugin("second"));
      expect(stepwise(["run", "main.js"], { cwd: dir, env })).toEqual({ code: 0, stdout: "second\n1\n", stderr: "" });
      expect(entries(cache).length).toBe(1);
    } finally {
      remove(cache);
    }
  });

  it("--env-name and --root-mode choose the configuration as for build; the cache keeps their outputs apart and sees the root's file change", () => {
    const cache = mkdtempSync(join(tmpdir(), "stepwise-cache-"));
    try {
      const who = (word: string) => `({ types: t }) => ({ visitor: { Identifier(path) { if (path.node.name === "__WHO__") path.replaceWith(t.stringLiteral(${JSON.stringify(word)})); } } })`;
      const config = (word: string) => `module.exports = { plugins: [${who(word)}], env: { special: { plugins: [${who("special")}] } } };\n`;
      const dir = workspace({ "babel.config.js": config("root"), "pkg/package.json": "{}", "pkg/main.js": "async function f() {\n  await null;\n  return typeof __WHO__ === 'string' ? __WHO__ : 'none';\n}\nf().then(console.log);\n" });
      const run = (...args: string[]) => stepwise(["run", ...args, "main.js"], { cwd: join(dir, "pkg"), env: { STEPWISE_CACHE_DIR: cache, BABEL_ENV: "", NODE_ENV: "" } });
      expect(run()).toEqual({ code: 0, stdout: "none\n", stderr: "" });
      expect(run("--root-mode", "upward")).toEqual({ code: 0, stdout: "root\n", stderr: "" });
      writeFileSync(join(dir, "babel.config.js"), config("root, changed"));
      expect(run("--root-mode=upward")).toEqual({ code: 0, stdout: "root, changed\n", stderr: "" });
      // (the root's plugin first: the env's sees no __WHO__ left)
      writeFileSync(join(dir, "babel.config.js"), `module.exports = { env: { special: { plugins: [${who("special")}] } } };\n`);
      expect(run("--root-mode", "upward", "--env-name", "special")).toEqual({ code: 0, stdout: "special\n", stderr: "" });
      expect(run("--root-mode", "upward")).toEqual({ code: 0, stdout: "none\n", stderr: "" });
      expect(run("--root-mode", "sideways")).toEqual({ code: 2, stdout: "", stderr: 'stepwise run: --root-mode must be "root", "upward" or "upward-optional", got "sideways"\n' });
      const inspected = stepwise(["inspect", "main.js", "-f", "json", "--root-mode", "upward", "--env-name", "special"], { cwd: join(dir, "pkg") });
      expect(JSON.parse(inspected.stdout).functions.map((fn: { name: string }) => fn.name)).toEqual(["f"]);
    } finally {
      remove(cache);
    }
  });

  it("lives in node_modules/.cache/stepwise of the project when it has a node_modules", () => {
    const dir = workspace({ "package.json": "{}", "node_modules/.keep": "", "main.js": "async function f() {\n  return await 1;\n}\nf().then(console.log);\n" });
    const result = stepwise(["run", "main.js"], { cwd: dir, env: { STEPWISE_CACHE_DIR: "" } });
    expect(result).toEqual({ code: 0, stdout: "1\n", stderr: "" });
    expect(entries(join(dir, "node_modules", ".cache", "stepwise")).length).toBe(1);
  });
});
