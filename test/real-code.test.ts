// Real code, lowered: third-party packages of this repository's node_modules whose code is async
// (fast-check's async properties and scheduler, tinybench's async tasks, readdirp's async generator, fdir
// and tinyglobby's promise crawls, prompts' questions (CommonJS), tinyexec's async iterable of output lines) are built with the real bin, like a user lowering their dependencies, and
// one program (real-code/scenario.mjs) runs against the published packages and against the lowered ones, on
// the machine's node and on Node 24. Node is the oracle: the complete outputs must be the same. And
// stepwise's own command line, lowered by itself (from tsc's JavaScript, and from its TypeScript sources), builds,
// inspects and traces the examples as published;
// @babel/core lowered (its gensync generators) transforms as published; Rollup, esbuild's API and Vite
// lowered bundle an app as published; functions Playwright sends to a page stay native; npm lowered (its
// own code and every dependency it ships) installs, lists, packs and removes a local package as published.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { transform } from "../src/transform/index.ts";
import { remove, root, stepwise, workspace } from "./cli/helpers.ts";
import { NODE24 } from "./support/node24.ts";

/** The packages the program uses, and their dependencies (lowered too, so that the lowered ones load them). */
const PACKAGES = ["fast-check", "pure-rand", "tinybench", "readdirp", "fdir", "tinyglobby", "picomatch", "prompts", "kleur", "sisteransi", "tinyexec"];

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "stepwise-real-code-"));
  for (const file of ["data/a/x.txt", "data/a/b/y.txt", "data/z.js"]) {
    mkdirSync(join(dir, file, ".."), { recursive: true });
    writeFileSync(join(dir, file), "");
  }
  for (const tree of ["native", "lowered"]) {
    mkdirSync(join(dir, tree, "app"), { recursive: true });
    cpSync(join(import.meta.dirname, "real-code", "scenario.mjs"), join(dir, tree, "app", "scenario.mjs"));
  }
  symlinkSync(join(root, "node_modules"), join(dir, "native", "node_modules"));
  const built = stepwise(["build", ...PACKAGES.map((name) => `node_modules/${name}`), "--root-dir", "node_modules", "-d", join(dir, "lowered", "node_modules"), "--copy-files", "--runtime", "inline", "-q"], { cwd: root });
  expect(built.stderr).toBe("");
  expect(built.code).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(node: string, tree: string): string {
  const result = spawnSync(node, [join(dir, tree, "app", "scenario.mjs"), join(dir, "data")], { cwd: join(dir, tree), encoding: "utf8", timeout: 60_000 });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return result.stdout;
}

describe("real third-party async code, lowered", () => {
  it("the packages were lowered: their async functions and generators are machines", () => {
    const machines = (file: string) => readFileSync(join(dir, "lowered", "node_modules", file), "utf8").match(/ extends (Async|Generator|AsyncGenerator)Machine \{/g)?.length ?? 0;
    expect(machines("fast-check/lib/fast-check.js")).toBeGreaterThan(20);
    expect(machines("tinybench/dist/index.js")).toBeGreaterThan(5);
    expect(machines("readdirp/index.js")).toBeGreaterThan(0);
  });

  for (const [oracle, node] of [["node " + process.versions.node, process.execPath], ["Node 24", NODE24]] as const) {
    it(`runs as the published packages do (${oracle})`, () => {
      const native = run(node, "native");
      expect(native).toContain("done\n");
      expect(run(node, "lowered")).toBe(native);
    }, 60_000);
  }
});

/**
 * A new temporary folder whose node_modules holds the packages `lowered` (names as under node_modules)
 * built by the real bin, as a user lowers their dependencies, and links to every other package of this
 * repository's node_modules: the lowered packages load the published ones.
 */
function withLowered(lowered: string[]): string {
  const work = mkdtempSync(join(tmpdir(), "stepwise-lowered-"));
  const modules = join(work, "node_modules");
  const built = stepwise(["build", ...lowered.map((name) => `node_modules/${name}`), "--root-dir", "node_modules", "-d", modules, "--copy-files", "--runtime", "inline", "-q"], { cwd: root });
  expect(built).toMatchObject({ code: 0, stderr: "" });
  const link = (name: string) => {
    if (lowered.includes(name)) return;
    if (!name.startsWith("@") || name.includes("/")) return symlinkSync(join(root, "node_modules", name), join(modules, name));
    mkdirSync(join(modules, name), { recursive: true });
    for (const entry of readdirSync(join(root, "node_modules", name))) link(`${name}/${entry}`);
  };
  for (const entry of readdirSync(join(root, "node_modules"))) link(entry);
  return work;
}

// stepwise's own command line is async code too (its build, run and inspect commands, the worker pool, the
// module hooks): lowered by itself, it must do what it does as published. Twice: from the JavaScript tsc
// built (dist), and from its TypeScript sources (src, 15,000 lines: types stripped by the build's own
// TypeScript pass, the `.ts` specifiers rewritten, the runtime's JavaScript copied), as a TypeScript
// project building itself with `stepwise build` in place of tsc.
describe("stepwise lowered by itself", () => {
  let self = "";
  beforeAll(() => {
    self = mkdtempSync(join(tmpdir(), "stepwise-self-"));
    const built = stepwise(["build", "dist", "-d", join(self, "dist"), "--runtime", "inline", "-q"], { cwd: root });
    expect(built).toMatchObject({ code: 0, stderr: "" });
    const fromTypeScript = stepwise(["build", "src", "-d", join(self, "ts", "dist"), "--copy-files", "--runtime", "inline", "-q"], { cwd: root });
    expect(fromTypeScript).toMatchObject({ code: 0, stderr: "" });
    for (const at of [self, join(self, "ts")]) {
      cpSync(join(root, "package.json"), join(at, "package.json"));
      symlinkSync(join(root, "node_modules"), join(at, "node_modules"));
    }
  }, 60_000);
  afterAll(() => rmSync(self, { recursive: true, force: true }));

  /** The command line of `dist` (the published one, or the lowered one) run from the checkout. */
  const cli = (dist: string, args: string[]) => {
    const result = spawnSync(process.execPath, [join(dist, "cli", "main.js"), ...args], { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, timeout: 60_000 });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr.replace(/ in \d+ ms/, "") };
  };
  const published = join(root, "dist");
  const lowered = () => [join(self, "dist"), join(self, "ts", "dist")];

  it("its machines are in the built CLI", () => {
    for (const dist of lowered()) expect(readFileSync(join(dist, "cli", "build.js"), "utf8")).toMatch(/ extends AsyncMachine \{/);
  });

  it("builds the examples byte for byte as the published CLI does, and inspects and traces them the same", () => {
    const built = cli(published, ["build", "examples", "-d", join(self, "out-published")]);
    expect(built.code).toBe(0);
    const files = spawnSync("find", [".", "-type", "f"], { cwd: join(self, "out-published"), encoding: "utf8" }).stdout.split("\n").filter(Boolean).sort();
    expect(files.length).toBeGreaterThan(5);
    for (const [i, dist] of lowered().entries()) {
      expect(cli(dist, ["build", "examples", "-d", join(self, `out-lowered-${i}`)])).toEqual(built);
      for (const file of files) expect(readFileSync(join(self, `out-lowered-${i}`, file), "utf8"), file).toBe(readFileSync(join(self, "out-published", file), "utf8"));
    }
    for (const args of [["inspect", "examples/question.js", "-f", "mermaid"], ["run", "examples/question.js", "--trace"]]) {
      const expected = cli(published, args);
      expect(expected.code).toBe(0);
      for (const dist of lowered()) expect(cli(dist, args), dist).toEqual(expected);
    }
  }, 120_000);
});

// @babel/core drives all of its work through gensync, on generators (`yield*` all the way down): lowered,
// it must transform, report errors and load options as the published one does, synchronously and not.
describe("@babel/core lowered (gensync's generators)", () => {
  let work = "";
  beforeAll(() => {
    work = withLowered(["@babel/core"]);
    writeFileSync(
      join(work, "use.cjs"),
      `const babel = require(process.argv[2]);
const { readFileSync } = require("node:fs");
const options = (filename, extra) => ({ filename, babelrc: false, configFile: false, presets: ["@babel/preset-typescript"], ...extra });
(async () => {
  for (const file of ${JSON.stringify(["src/cli/build.ts", "src/transform/plugin.ts", "examples/question.js"].map((file) => join(root, file)))}) {
    const code = readFileSync(file, "utf8");
    const sync = babel.transformSync(code, options(file, { plugins: ["@babel/plugin-transform-modules-commonjs"] }));
    const async = await babel.transformAsync(code, options(file, { sourceMaps: true }));
    console.log(sync.code, async.code, JSON.stringify(async.map));
  }
  try { babel.transformSync("let x = ;", options("bad.js")); } catch (error) { console.log(error.message); }
  await babel.transformAsync("let x = ;", options("bad.js")).catch((error) => console.log(error.message));
  const loaded = await babel.loadOptionsAsync(options("x.ts"));
  console.log(loaded.plugins.map((plugin) => plugin.key).join());
})();
`,
    );
  }, 60_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("its generators are machines, and it does what the published one does", () => {
    expect(readFileSync(join(work, "node_modules", "@babel", "core", "lib", "transformation", "index.js"), "utf8")).toMatch(/ extends GeneratorMachine \{/);
    // (each from its own folder, whose node_modules the presets are found in)
    // (an error names its file from the folder: the folder is left out)
    const use = (cwd: string) => {
      const result = spawnSync(process.execPath, [join(work, "use.cjs"), join(cwd, "node_modules", "@babel", "core")], { cwd, encoding: "utf8", timeout: 60_000 });
      return { code: result.status, stdout: result.stdout.replaceAll(cwd, "<folder>"), stderr: result.stderr };
    };
    const published = use(root);
    expect(published).toMatchObject({ code: 0, stderr: "" });
    expect(published.stdout).toContain("<folder>/bad.js: Unexpected token (1:8)");
    expect(use(work)).toEqual(published);
  }, 60_000);
});

// Playwright (like Puppeteer, Selenium and TestCafe) sends a function's source text to the page: a function
// passed straight to `evaluate` and its kin stays native (plugin.ts `sentAsSource`), and so does every
// function inside it, while the program's own functions are lowered.
const CHROMIUM = process.env.STEPWISE_CHROMIUM ?? "/usr/bin/chromium";
describe("functions Playwright sends to a page", () => {
  const PROGRAM = `import { chromium } from "playwright-core";
const browser = await chromium.launch({ executablePath: ${JSON.stringify(CHROMIUM)} });
const out = [];
const local = async (v) => { await null; return "local " + v; };
async function title() { await null; return document.title || "untitled"; }
const tagOf = async (element) => { await null; return element.tagName; };
try {
  const page = await browser.newPage();
  await page.addInitScript(() => { window.ready = (async () => { await null; return "init"; })(); });
  await page.goto('data:text/html,<p id="x">text</p>');
  out.push(await page.evaluate(async () => { await new Promise((resolve) => setTimeout(resolve, 5)); return 1 + 1; }));
  out.push(await page.evaluate(() => { const inner = async () => (await 2) * 3; return inner(); }));
  out.push(await page.evaluate(() => window.ready));
  out.push(await page.$eval("#x", async (element) => { await null; return element.textContent; }));
  out.push(await page.locator("#x").evaluate(async (element) => { await null; return element.id; }));
  out.push(await (await page.waitForFunction(async () => { await null; return document.readyState; })).jsonValue());
  out.push(await page.evaluate(title));
  out.push(await page.$eval("#x", tagOf));
  out.push(await local(out.length));
} finally {
  await browser.close();
}
console.log(out.join("\\n"));
`;

  it("only the program's own function is a machine", () => {
    expect(transform(PROGRAM, { filename: "page.mjs" }).machines.map((machine) => machine.name)).toEqual(["local"]);
  });

  it("a function sent by its name stays native, with every function inside it; one the program only calls is lowered", () => {
    const machines = (code: string, filename = "page.mjs") => transform(code, { filename }).machines.map((machine) => machine.name);
    const main = "export async function main(page) { return PAGE; }";
    const sent = (declare: string, call: string) => `${declare}\n${main.replace("PAGE", call)}`;
    for (const filename of ["page.mjs", "page.ts", "page.js"]) {
      expect(machines(sent("async function check() { await null; }", "page.evaluate(check)"), filename)).toEqual(["main"]);
      expect(machines(sent("const check = async (element) => element.id;", 'page.$eval("#x", check)'), filename)).toEqual(["main"]);
      expect(machines(sent("let check;\ncheck = async () => 1;", "page.waitForFunction(check)"), filename)).toEqual(["main"]);
      expect(machines(sent("const check = async () => 1;", "page?.evaluate?.(check, 1)"), filename)).toEqual(["main"]);
      expect(machines(sent("function outer() { const inner = async () => 1; return inner(); }", "page.evaluate(outer)"), filename)).toEqual(["main"]);
      expect(machines("export async function main(page) { const check = async () => { await null; }; return page.evaluate(check); }", filename)).toEqual(["main"]);
      // (passed elsewhere, or only called: lowered)
      expect(machines(sent("const check = async () => 1;", "page.other(check)"), filename)).toEqual(["check", "main"]);
      expect(machines(sent("async function check() {}", "(await check(), page.evaluate(() => 1))"), filename)).toEqual(["check", "main"]);
    }
  });

  it.skipIf(!existsSync(CHROMIUM) && !process.env.CI)("runs under stepwise run as natively (Chromium)", () => {
    const dir = workspace({ "page.mjs": PROGRAM }, true);
    try {
      const native = spawnSync(process.execPath, ["page.mjs"], { cwd: dir, encoding: "utf8", timeout: 60_000 });
      expect(native).toMatchObject({ status: 0, stderr: "" });
      expect(native.stdout).toBe("2\n6\ninit\ntext\nx\ncomplete\nuntitled\nP\nlocal 8\n");
      expect(stepwise(["run", "page.mjs"], { cwd: dir })).toEqual({ code: 0, stdout: native.stdout, stderr: "" });
    } finally {
      remove(dir);
    }
  }, 60_000);
});

// Bundlers are async code through and through (plugin hooks, the file system, esbuild's service, Vite's
// build pipeline): Rollup's and esbuild's JavaScript APIs and Vite, lowered, bundle an app (a dynamic
// import, a plugin with async hooks, a generator, errors) as the published ones do.
describe("rollup, esbuild and vite lowered", () => {
  let work = "";
  beforeAll(() => {
    work = withLowered(["rollup", "esbuild", "vite"]);
    const files: Record<string, string> = {
      "app/index.html": '<!doctype html><html><body><div id="app"></div><script type="module" src="/main.js"></script></body></html>\n',
      "app/main.js": 'import { helper } from "./helper.js";\nexport async function main() {\n  const lazy = await import("./lazy.js");\n  return helper(lazy.default);\n}\nexport function* numbers() {\n  yield* [1, 2];\n}\nmain().then((v) => { document.getElementById("app").textContent = v; });\n',
      "app/helper.js": 'export const helper = (v) => "value " + (v + 40);\nexport const unused = () => "tree-shaken";\n',
      "app/lazy.js": "export default 2;\n",
      "bundle.mjs": `import { createRequire } from "node:module";
const require = createRequire(process.argv[2] + "/");
const rollup = require("rollup");
const esbuild = require("esbuild");
const { build } = await import(require.resolve("vite"));
const out = [];
const plugin = { name: "p", async resolveId() { await null; return null; }, async transform(code) { await new Promise((resolve) => setTimeout(resolve, 1)); return code.replace("+ 40", "+ 41"); } };
const bundle = await rollup.rollup({ input: "app/main.js", plugins: [plugin] });
for (const chunk of (await bundle.generate({ format: "es" })).output) out.push(chunk.fileName, chunk.code);
await bundle.close();
await rollup.rollup({ input: "app/missing.js" }).catch((error) => out.push("rollup: " + error.code));
out.push((await esbuild.build({ entryPoints: ["app/main.js"], bundle: true, write: false, format: "esm", minify: true, logLevel: "silent" })).outputFiles[0].text);
out.push((await esbuild.transform("const x: number = await 1", { loader: "ts", format: "esm" })).code);
await esbuild.build({ entryPoints: ["app/nope.js"], write: false, logLevel: "silent" }).catch((error) => out.push("esbuild: " + error.errors.length));
const context = await esbuild.context({ entryPoints: ["app/helper.js"], write: false });
out.push((await context.rebuild()).outputFiles.length);
await context.dispose();
const result = await build({ root: "app", logLevel: "silent", build: { write: false, minify: false } });
for (const output of [result].flat().flatMap((r) => r.output)) out.push(output.fileName, String(output.code ?? output.source));
esbuild.stop();
console.log(out.join("\\n---\\n"));
`,
    };
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(work, name, ".."), { recursive: true });
      writeFileSync(join(work, name), text);
    }
  }, 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("their async functions are machines, and they bundle the app as the published ones do", () => {
    expect(readFileSync(join(work, "node_modules", "rollup", "dist", "shared", "rollup.js"), "utf8")).toMatch(/ extends AsyncMachine \{/);
    expect(readFileSync(join(work, "node_modules", "esbuild", "lib", "main.js"), "utf8")).toMatch(/ extends AsyncMachine \{/);
    const bundle = (modules: string) => {
      const result = spawnSync(process.execPath, ["bundle.mjs", modules], { cwd: work, encoding: "utf8", timeout: 60_000 });
      return { code: result.status, stdout: result.stdout, stderr: result.stderr };
    };
    const published = bundle(join(root, "node_modules"));
    expect(published).toMatchObject({ code: 0, stderr: "" });
    expect(published.stdout).toContain("rollup: UNRESOLVED_ENTRY");
    expect(published.stdout).toContain("value ");
    expect(published.stdout).toContain("\n---\nindex.html\n---\n");
    expect(bundle(join(work, "node_modules"))).toEqual(published);
  }, 60_000);
});

// npm as the running Node ships it: its lib/ and every package it bundles (arborist, pacote, cacache, ...:
// promise-heavy code, streams, a worker of child processes), 1,100 files, lowered by the real bin as a user
// lowers a whole program with its dependencies. Each command runs in a fresh copy of one small project
// (a local `file:` dependency: nothing leaves the machine), with the published npm and then the lowered one;
// what each prints and the project's files after it must be the same.
const NPM = join(dirname(process.execPath), "..", "lib", "node_modules", "npm");
describe("npm lowered, with everything it ships", () => {
  let work = "";
  beforeAll(() => {
    if (!existsSync(NPM)) return;
    work = mkdtempSync(join(tmpdir(), "stepwise-npm-"));
    // (npm's folder is inside a node_modules: its build takes every node_modules below it, docs/cli.md)
    const built = stepwise(["build", NPM, "-d", join(work, "npm"), "--copy-files", "--runtime", "inline", "-q"], { cwd: root });
    expect(built).toMatchObject({ code: 0, stderr: "" });
  }, 120_000);
  afterAll(() => work && rmSync(work, { recursive: true, force: true }));

  /** Each command's exit code, output (times taken out) and the project's files after it, run by the npm in `npm`. */
  const session = (npm: string) => {
    const project = join(work, "project");
    const cache = join(work, "cache");
    const steps = [["install", "--offline"], ["ls", "--all", "--json"], ["explain", "dep"], ["pack", "--dry-run", "--json"], ["run", "hello"], ["version", "patch", "--no-git-tag-version"], ["uninstall", "dep", "--offline"]];
    const env = { ...process.env, npm_config_cache: cache, npm_config_update_notifier: "false", npm_config_audit: "false", npm_config_fund: "false" };
    const snapshot = (dir: string, files: Record<string, string> = {}) => {
      for (const entry of readdirSync(dir)) {
        const path = join(dir, entry);
        const stat = lstatSync(path);
        if (stat.isDirectory()) snapshot(path, files);
        else files[relative(project, path)] = stat.isSymbolicLink() ? `-> ${readlinkSync(path)}` : readFileSync(path, "utf8");
      }
      return files;
    };
    return steps.map((args) => {
      rmSync(project, { recursive: true, force: true });
      rmSync(cache, { recursive: true, force: true });
      mkdirSync(join(project, "dep"), { recursive: true });
      writeFileSync(join(project, "dep", "package.json"), JSON.stringify({ name: "dep", version: "1.2.3", main: "index.js", license: "MIT" }));
      writeFileSync(join(project, "dep", "index.js"), "module.exports = 42;\n");
      writeFileSync(join(project, "package.json"), JSON.stringify({ name: "app", version: "0.1.0", license: "MIT", scripts: { hello: "echo hello from a script" }, dependencies: { dep: "file:./dep" } }, null, 2));
      const npmCli = (command: string[]) => spawnSync(process.execPath, [join(npm, "bin", "npm-cli.js"), ...command], { cwd: project, env, encoding: "utf8", timeout: 60_000 });
      // (every command but the install runs in a project the install has set up)
      if (args[0] !== "install") expect(npmCli(["install", "--offline"]).status).toBe(0);
      const result = npmCli(args);
      const untimed = (text: string) => text.replace(/ in \d+m?s\b/g, " in <time>");
      return { command: args.join(" "), code: result.status, stdout: untimed(result.stdout), stderr: untimed(result.stderr), files: snapshot(project) };
    });
  };

  it.skipIf(!existsSync(NPM) && !process.env.CI)("installs, lists, explains, packs, runs a script, versions and uninstalls as the published npm does", () => {
    const machines = readFileSync(join(work, "npm", "node_modules", "@npmcli", "arborist", "lib", "arborist", "reify.js"), "utf8").match(/ extends \w*Machine \{/g)?.length ?? 0;
    expect(machines).toBeGreaterThan(5);
    const published = session(NPM);
    expect(published.map((step) => step.code)).toEqual(published.map(() => 0));
    expect(published[0].stdout).toContain("added 1 package in <time>");
    expect(published[1].files["node_modules/dep"]).toBe("-> ../dep");
    expect(session(join(work, "npm"))).toEqual(published);
  }, 180_000);
});
