// `stepwise build` in real projects, through the real bin: the user's Babel configuration, the
// @babel/cli flags (copy, delete, extensions, dot-files, verbose), file modes, .ts specifiers, files
// written byte for byte, module or script by the source's location, CommonJS output, the runtime warning.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { transformSync } from "@babel/core";
import stepwisePlugin from "../../src/transform/plugin.ts";
import { ASYNC, bin, node, root, stepwise, watching, workspaces } from "./helpers.ts";

const ws = workspaces();

/** A plugin that turns the identifier __WHO__ into the string "babel config". */
const DEFINE = 'module.exports = ({ types: t }) => ({ visitor: { Identifier(path) { if (path.node.name === "__WHO__") path.replaceWith(t.stringLiteral("babel config")); } } });\n';
/** A plugin that enables decorator syntax. */
const DECORATORS = 'module.exports = () => ({ manipulateOptions(_, parserOpts) { parserOpts.plugins.push(["decorators", { version: "2023-11" }]); } });\n';
const DECORATED = "function dec(v) { return v; }\n@dec class A {}\nasync function f() { await 1; }\n";
const WARNING = /stepwise build: warning: .*\n/;

describe("stepwise build in projects", () => {
  it("honours .babelrc, babel.config.json and package.json \"babel\"; --no-babelrc and --config-file choose", () => {
    const dir = ws({ "define.cjs": DEFINE, "dec.cjs": DECORATORS, "src/a.js": DECORATED, "src/b.js": "console.log(__WHO__);\n", ".babelrc": '{ "plugins": ["./dec.cjs"] }', "babel.config.json": '{ "plugins": ["./define.cjs"] }', "other.json": "{}" });
    const built = stepwise(["build", "src", "-d", "out", "--runtime", "require", "-q"], { cwd: dir });
    expect(built.stderr.replace(WARNING, "")).toBe("");
    expect(built.code).toBe(0);
    expect(readFileSync(join(dir, "out/a.js"), "utf8")).toContain("@dec\nclass A {}");
    expect(readFileSync(join(dir, "out/b.js"), "utf8")).toBe('console.log("babel config");\n');
    const noRc = stepwise(["build", "src/a.js", "--no-babelrc"], { cwd: dir });
    expect(noRc.code).toBe(1);
    expect(noRc.stderr).toContain("src/a.js:2:1: syntax error: Support for the experimental syntax 'decorators' isn't currently enabled\n  1 | function dec(v) { return v; }\n> 2 | @dec class A {}\n");
    // Babel's hint survives; the position is printed once.
    expect(noRc.stderr).toContain("Add @babel/plugin-proposal-decorators");
    expect(noRc.stderr).not.toContain("(2:1)");
    const other = stepwise(["build", "src/b.js", "--config-file", "other.json"], { cwd: dir });
    expect(other.stdout).toBe("console.log(__WHO__);\n");
    const pkg = ws({ "define.cjs": DEFINE, "package.json": '{ "babel": { "plugins": ["./define.cjs"] } }', "b.js": "console.log(__WHO__);\n" });
    expect(stepwise(["build", "b.js"], { cwd: pkg }).stdout).toBe('console.log("babel config");\n');
  });

  it("--presets and --plugins (comma-separated, repeatable, from the current directory) apply with the configuration's, in build, run, inspect and explore", () => {
    const preset = 'module.exports = () => ({ plugins: [require("./define.cjs")] });\n';
    const dir = ws({ "define.cjs": DEFINE, "dec.cjs": DECORATORS, "preset.cjs": preset, "src/a.js": "async function f() { await 1; return __WHO__; }\nf().then(console.log);\n", "src/b.js": "console.log(typeof __WHO__);\n", "src/c.js": DECORATED });
    const built = stepwise(["build", "src", "-d", "out", "-q", "--runtime", "inline", "--presets", "./preset.cjs", "--plugins", "./dec.cjs"], { cwd: dir });
    expect(built).toMatchObject({ code: 0, stderr: "" });
    expect(readFileSync(join(dir, "out/a.js"), "utf8")).toContain('return this.return("babel config");');
    expect(readFileSync(join(dir, "out/b.js"), "utf8")).toBe('console.log(typeof "babel config");\n');
    expect(readFileSync(join(dir, "out/c.js"), "utf8")).toContain("@dec\nclass A {}");
    // (without them: the decorator is not syntax the file may have)
    expect(stepwise(["build", "src/c.js"], { cwd: dir }).code).toBe(1);
    expect(stepwise(["build", "src/c.js", "--plugins=./dec.cjs", "--plugins", "./define.cjs", "--runtime", "inline"], { cwd: dir }).code).toBe(0);
    // (one twice: Babel's refusal, as @babel/cli's)
    expect(stepwise(["build", "src/c.js", "--plugins=./dec.cjs,./define.cjs", "--plugins", "./define.cjs"], { cwd: dir })).toMatchObject({ code: 2, stderr: "stepwise build: cannot load the Babel configuration: Duplicate plugin/preset detected.\n" });
    expect(stepwise(["run", "--presets", "./preset.cjs", "src/a.js"], { cwd: dir })).toMatchObject({ code: 0, stdout: "babel config\n" });
    // (the run cache tells the outputs of other plugins apart)
    expect(stepwise(["run", "src/a.js"], { cwd: dir }).stderr).toContain("ReferenceError: __WHO__ is not defined");
    expect(stepwise(["run", "--plugins=./define.cjs", "src/a.js"], { cwd: dir })).toMatchObject({ code: 0, stdout: "babel config\n" });
    expect(stepwise(["inspect", "--plugins", "./dec.cjs", "src/c.js", "-f", "json"], { cwd: dir })).toMatchObject({ code: 0, stderr: "" });
    expect(stepwise(["inspect", "src/c.js", "-f", "json"], { cwd: dir }).code).toBe(1);
    expect(stepwise(["explore", "--presets", "./preset.cjs", "src/a.js", "-o", "a.html"], { cwd: dir })).toMatchObject({ code: 0, stdout: "babel config\n" });
    const cases: [string[], number, string][] = [
      [["build", "src/a.js", "--plugins", "./define.cjs,"], 2, 'stepwise build: --plugins takes names or paths, comma-separated (@babel/plugin-transform-runtime,./my-plugin.js), got "./define.cjs,"\n'],
      [["run", "--presets", "", "src/a.js"], 2, 'stepwise run: --presets takes names or paths, comma-separated (@babel/preset-env,./my-preset.js), got ""\n'],
    ];
    for (const [args, code, stderr] of cases) expect(stepwise(args, { cwd: dir }), args.join(" ")).toMatchObject({ code, stderr });
    expect(stepwise(["build", "src/b.js", "--plugins", "./missing.cjs"], { cwd: dir })).toMatchObject({ code: 2, stderr: expect.stringMatching(/^stepwise build: cannot load the Babel configuration: Cannot find module '\.\/missing\.cjs'/) });
  });

  it("a directory build looks for the configuration files of each directory: a .babelrc below files without one still applies, in one build and on workers", () => {
    const plain = "console.log(typeof __WHO__);\n";
    const dir = ws({ "define.cjs": DEFINE, "src/a.js": plain, "src/b.js": plain.repeat(3), "src/deep/c.js": plain.repeat(2), "src/deep/.babelrc": '{ "plugins": ["../../define.cjs"] }', "src/deep/d.js": plain, "src/e/f.js": plain });
    for (const jobs of ["1", "2"]) {
      const built = stepwise(["build", "src", "-d", `out${jobs}`, "--jobs", jobs, "-q"], { cwd: dir });
      expect(built).toMatchObject({ code: 0, stderr: "" });
      for (const file of ["a.js", "b.js", "e/f.js"]) expect(readFileSync(join(dir, `out${jobs}`, file), "utf8")).toContain("typeof __WHO__");
      for (const file of ["deep/c.js", "deep/d.js"]) expect(readFileSync(join(dir, `out${jobs}`, file), "utf8")).toContain('typeof "babel config"');
    }
  });

  it("a file the configuration ignores (ignore, only) is not compiled, with or without async functions: left out, copied with --copy-files, written as it is when named; run and inspect lower it without the configuration", () => {
    const skipped = "async function f() {\n  await 1;\n  console.log(typeof __WHO__, f.toString().includes(\"runAsync\"));\n}\nf();\n";
    const dir = ws({ "define.cjs": DEFINE, "babel.config.json": '{ "plugins": ["./define.cjs"], "ignore": ["src/skip.js", "src/plain.js"] }', "src/a.js": "console.log(__WHO__);\n", "src/plain.js": "console.log(1);\n", "src/skip.js": skipped });
    const built = stepwise(["build", "src", "-d", "out", "--verbose"], { cwd: dir });
    expect(built.code).toBe(0);
    expect(built.stderr).toMatch(/^src\/a\.js -> out\/a\.js\nsrc\/plain\.js: ignored by the Babel configuration\nsrc\/skip\.js: ignored by the Babel configuration\nstepwise build: built 1 file \(0 machines, 0 states\), 2 files ignored by the Babel configuration in \d+ ms\n$/);
    expect(readdirSync(join(dir, "out"))).toEqual(["a.js"]);
    const copied = stepwise(["build", "src", "-d", "copied", "--copy-files", "--verbose"], { cwd: dir });
    expect(copied.stderr).toContain("src/skip.js -> copied/skip.js (copied: ignored by the Babel configuration)\n");
    expect(readFileSync(join(dir, "copied/skip.js"), "utf8")).toBe(skipped);
    // (--no-copy-ignored: left out as without --copy-files)
    const notCopied = stepwise(["build", "src", "-d", "uncopied", "--copy-files", "--no-copy-ignored", "-q"], { cwd: dir });
    expect(notCopied).toMatchObject({ code: 0, stderr: "" });
    expect(readdirSync(join(dir, "uncopied"))).toEqual(["a.js"]);
    expect(stepwise(["build", "src/skip.js", "-q"], { cwd: dir })).toMatchObject({ code: 0, stdout: skipped, stderr: "" });
    expect(stepwise(["run", "src/skip.js"], { cwd: dir })).toMatchObject({ code: 0, stdout: "undefined true\n", stderr: "" });
    expect(JSON.parse(stepwise(["inspect", "src/skip.js"], { cwd: dir }).stdout)).toMatchObject({ functions: [{ name: "f" }] });
  });

  it("@babel/preset-env runs in the same pass, after the lowering, and the output runs", () => {
    const dir = ws({ "babel.config.json": '{ "presets": [["@babel/preset-env", { "targets": "ie 11", "modules": false, "exclude": ["transform-async-to-generator", "transform-async-generator-functions", "transform-regenerator"] }]] }', "a.mjs": "const o = { ...{ a: 1 } };\nexport async function f() { const { a } = o; await a; return a ?? 2; }\nf().then((v) => console.log(v));\n" }, true);
    const result = stepwise(["build", "a.mjs", "-o", "out/a.mjs", "--runtime", "inline", "-q"], { cwd: dir });
    expect(result).toMatchObject({ code: 0, stderr: "" });
    const out = readFileSync(join(dir, "out/a.mjs"), "utf8");
    expect(out).toContain("/** async function f() — a.mjs:2 */");
    expect(out).not.toMatch(/ \?\? |\.\.\.\{| => /);
    expect(spawnSync(process.execPath, ["out/a.mjs"], { cwd: dir, encoding: "utf8" }).stdout).toBe("1\n");
  });

  it("warns, once per file, when preset-env's async or generator lowerings run with an inlined runtime they would break; excluded, the output runs", () => {
    const program = "async function* ag() { yield 1; }\nasync function main() {\n  for await (const v of ag()) console.log(v);\n}\nmain();\n";
    const env = (exclude: string[]) => JSON.stringify({ presets: [["@babel/preset-env", { targets: { chrome: "50" }, modules: false, exclude }]] });
    const dir = ws({ "babel.config.json": env([]), "fa.mjs": program }, true);
    expect(stepwise(["build", "fa.mjs", "-o", "out/fa.mjs", "--runtime", "inline", "-q"], { cwd: dir })).toEqual({
      code: 0,
      stdout: "",
      stderr: "fa.mjs: warning: transform-async-generator-functions, transform-async-to-generator run in the same pass and would lower the inlined runtime's own async functions and generators, which it needs native: exclude transform-async-to-generator, transform-async-generator-functions and transform-regenerator from @babel/preset-env, or import the runtime\n",
    });
    writeFileSync(join(dir, "babel.config.json"), env(["transform-async-to-generator", "transform-async-generator-functions", "transform-regenerator"]));
    expect(stepwise(["build", "fa.mjs", "-o", "out/fb.mjs", "--runtime", "inline", "-q"], { cwd: dir })).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(spawnSync(process.execPath, ["out/fb.mjs"], { cwd: dir, encoding: "utf8" }).stdout).toBe("1\n");
  });

  it("warns likewise when babel-plugin-transform-async-to-promises runs with an inlined runtime (it would turn the runtime's async functions into promise chains); an imported runtime, no warning", () => {
    const program = "async function main() {\n  await null;\n  console.log(1);\n}\nmain();\n";
    const dir = ws({ "babel.config.json": JSON.stringify({ plugins: ["babel-plugin-transform-async-to-promises"] }), "fa.mjs": program }, true);
    expect(stepwise(["build", "fa.mjs", "-o", "out/fa.mjs", "--runtime", "inline", "-q"], { cwd: dir })).toEqual({
      code: 0,
      stdout: "",
      stderr: "fa.mjs: warning: transform-async-to-promises runs in the same pass and would lower the inlined runtime's own async functions and generators, which it needs native: remove transform-async-to-promises, or import the runtime\n",
    });
    // Through a Babel configuration (babel.config.json, @babel/core), the warning goes to stderr, next to preset-env's.
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.join(" "));
    try {
      transformSync(program, { filename: join(dir, "b.mjs"), babelrc: false, configFile: false, plugins: ["babel-plugin-transform-async-to-promises", [stepwisePlugin, { runtime: "inline" }]], presets: [["@babel/preset-env", { targets: { chrome: "50" }, modules: false }]], cwd: dir });
      expect(warnings).toEqual([
        `stepwise: ${join(dir, "b.mjs")}: transform-async-to-promises, transform-async-generator-functions, transform-async-to-generator run in the same pass and would lower the inlined runtime's own async functions and generators, which it needs native: exclude transform-async-to-generator, transform-async-generator-functions and transform-regenerator from @babel/preset-env, remove transform-async-to-promises, or import the runtime`,
      ]);
      warnings.length = 0;
      transformSync(program, { filename: join(dir, "c.mjs"), babelrc: false, configFile: false, plugins: ["babel-plugin-transform-async-to-promises", stepwisePlugin], cwd: dir });
      expect(warnings).toEqual([]);
    } finally {
      console.warn = warn;
    }
  });

  it("inspect reads the project's Babel configuration too", () => {
    const dir = ws({ "dec.cjs": DECORATORS, ".babelrc": '{ "plugins": ["./dec.cjs"] }', "a.js": DECORATED });
    expect(JSON.parse(stepwise(["inspect", "a.js"], { cwd: dir }).stdout)).toMatchObject({ functions: [{ name: "f" }] });
    expect(stepwise(["inspect", "a.js", "--no-babelrc"], { cwd: dir }).code).toBe(1);
    expect(stepwise(["inspect", "a.js", "--config-file", "nope.json"], { cwd: dir })).toMatchObject({ code: 3, stderr: "stepwise inspect: --config-file: no such file or directory: nope.json\n" });
    writeFileSync(join(dir, "bad.json"), '{ "plugins": ["./nope.cjs"] }');
    expect(stepwise(["inspect", "a.js", "--config-file", "bad.json"], { cwd: dir })).toMatchObject({ code: 2, stdout: "", stderr: "stepwise inspect: cannot load the Babel configuration: Cannot find module './nope.cjs'\n" });
  });

  it("a bad Babel configuration, a missing --config-file, a plugin that refuses its options, and a plugin's error: one line naming the file, or one located error", () => {
    const dir = ws({ "a.js": "let a = 1;\n\n  debugger;\n", "boom.cjs": 'module.exports = () => ({ visitor: { DebuggerStatement(path) { throw path.buildCodeFrameError("no debugger here"); } } });\n', "bad.json": '{ "plugins": ["./nope.cjs"] }', "boom.json": '{ "plugins": ["./boom.cjs"] }' });
    expect(stepwise(["build", "a.js", "--config-file", "missing.json"], { cwd: dir })).toMatchObject({ code: 3, stderr: "stepwise build: --config-file: no such file or directory: missing.json\n" });
    expect(stepwise(["build", "a.js", "--config-file", "bad.json"], { cwd: dir })).toMatchObject({ code: 2, stderr: "stepwise build: cannot load the Babel configuration: Cannot find module './nope.cjs'\n" });
    // A plugin that refuses its options: the configuration's fault (exit 2), named, not a bug of stepwise.
    writeFileSync(join(dir, "strict.cjs"), 'module.exports = (api, options) => { if (options.colour) throw new Error("unknown option colour"); return { visitor: {} }; };\n');
    writeFileSync(join(dir, "options.json"), '{ "plugins": [["./strict.cjs", { "colour": 1 }]] }');
    expect(stepwise(["build", "a.js", "--config-file", "options.json"], { cwd: dir })).toMatchObject({ code: 2, stdout: "", stderr: "stepwise build: cannot load the Babel configuration: unknown option colour (while processing strict.cjs)\n" });
    // (a preset's error whose hint and "While processing" come on a line after its first)
    writeFileSync(join(dir, "targets.json"), '{ "presets": [["@babel/preset-env", { "targets": { "bogus": "1" } }]] }');
    symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
    expect(stepwise(["build", "a.js", "--config-file", "targets.json"], { cwd: dir })).toMatchObject({ code: 2, stdout: "", stderr: "stepwise build: cannot load the Babel configuration: @babel/helper-compilation-targets: 'bogus' is not a valid target (did you mean 'ios'?) (while processing @babel/preset-env)\n" });
    writeFileSync(join(dir, "broken.json"), "{ plugins: [ }");
    const broken = stepwise(["build", "a.js", "--config-file", "broken.json"], { cwd: dir });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^stepwise build: cannot load the Babel configuration: broken\.json: Error while parsing config - .+\n$/);
    const two = ws({ "a.js": "let a = 1;\n", "babel.config.json": "{}", "babel.config.cjs": "module.exports = {};\n", "syntax/babel.config.js": "module.exports = {{\n", "syntax/a.js": "let a = 1;\n" });
    expect(stepwise(["build", "a.js"], { cwd: two })).toMatchObject({ code: 2, stderr: expect.stringMatching(/^stepwise build: cannot load the Babel configuration: Multiple configuration files found\. Please remove one: babel\.config\.c?js(on)?, babel\.config\.c?js(on)? \(in \.\)\n$/) });
    expect(stepwise(["build", "a.js"], { cwd: join(two, "syntax") })).toMatchObject({ code: 2, stderr: "stepwise build: cannot load the Babel configuration: babel.config.js:1: Unexpected token '{'\n" });
    const boom = stepwise(["build", "a.js", "--config-file", "boom.json"], { cwd: dir });
    expect(boom.code).toBe(1);
    expect(boom.stderr).toMatch(/^a\.js:3:3: error: no debugger here\n  1 \| let a = 1;\n  2 \|\n> 3 \|   debugger;\n    \|   \^\n/);
    expect(boom.stderr.match(/no debugger here/g)).toHaveLength(1);
  });

  it("--env-name picks the configuration's env, --root-mode upward finds babel.config.* above the current folder", () => {
    const who = (word: string) => `({ types: t }) => ({ visitor: { Identifier(path) { if (path.node.name === "__WHO__") path.replaceWith(t.stringLiteral("${word}")); } } })`;
    const dir = ws({
      "babel.config.js": `module.exports = { env: { development: { plugins: [${who("development")}] }, special: { plugins: [${who("special")}] } } };\n`,
      "pkg/src/a.js": "export async function f() {\n  await null;\n  return __WHO__;\n}\n",
    });
    const built = (args: string[], cwd = join(dir, "pkg")) => stepwise(["build", "src/a.js", "-q", ...args], { cwd, env: { BABEL_ENV: "", NODE_ENV: "" } });
    // (the package's folder has no babel.config.*: by default none is read)
    expect(built([]).stdout).toContain("return this.return(__WHO__);");
    expect(built(["--root-mode", "upward"]).stdout).toContain('return this.return("development");');
    expect(built(["--root-mode", "upward", "--env-name", "special"]).stdout).toContain('return this.return("special");');
    expect(built(["--root-mode", "upward-optional"]).stdout).toContain('return this.return("development");');
    expect(stepwise(["build", "pkg/src/a.js", "-q", "--env-name", "special"], { cwd: dir }).stdout).toContain('return this.return("special");');
    const none = ws({ "a.js": "export async function f() {\n  await null;\n}\n" });
    expect(stepwise(["build", "a.js", "-q", "--root-mode", "upward-optional"], { cwd: none })).toMatchObject({ code: 0, stderr: "" });
    expect(stepwise(["build", "a.js", "--root-mode", "upward"], { cwd: none })).toMatchObject({ code: 2, stdout: "", stderr: `stepwise build: cannot load the Babel configuration: Babel was run with rootMode:"upward" but a root could not be found when searching upward from "${none}".\n` });
    expect(stepwise(["build", "a.js", "--root-mode", "sideways"], { cwd: none })).toMatchObject({ code: 2, stderr: 'stepwise build: --root-mode must be "root", "upward" or "upward-optional", got "sideways"\n' });
    expect(stepwise(["build", "a.js", "--env-name", ""], { cwd: none })).toMatchObject({ code: 2, stderr: "stepwise build: --env-name needs a name\n" });
  });

  it("--only compiles the matching files of directories (the others copied with --copy-files); --source-root is the maps' sourceRoot", () => {
    const dir = ws({ "src/a.js": ASYNC, "src/lib/b.js": ASYNC, "src/lib/c.js": ASYNC, "src/data.json": "{}" });
    expect(stepwise(["build", "src", "-d", "out", "-q", "--runtime", "inline", "--only", "src/lib/**", "--only", "a.js", "--ignore", "c.js"], { cwd: dir })).toMatchObject({ code: 0, stderr: "" });
    expect(readdirSync(join(dir, "out"), { recursive: true }).map(String).sort()).toEqual(["a.js", "lib", "lib/b.js"]);
    expect(stepwise(["build", "src", "-d", "copied", "-q", "--runtime", "inline", "--only", "b.js", "--copy-files"], { cwd: dir })).toMatchObject({ code: 0, stderr: "" });
    expect(readFileSync(join(dir, "copied/a.js"), "utf8")).toBe(ASYNC);
    expect(readFileSync(join(dir, "copied/lib/b.js"), "utf8")).toContain("extends AsyncMachine");
    expect(existsSync(join(dir, "copied/data.json"))).toBe(true);
    expect(stepwise(["build", "src", "-d", "uncopied", "-q", "--runtime", "inline", "--only", "b.js", "--copy-files", "--no-copy-ignored"], { cwd: dir })).toMatchObject({ code: 0, stderr: "" });
    expect(readdirSync(join(dir, "uncopied"), { recursive: true }).map(String).sort()).toEqual(["data.json", "lib", "lib/b.js"]);
    expect(stepwise(["build", "src/a.js", "-o", "mapped.js", "-s", "--source-root", "https://example.test/src/", "--runtime", "inline", "-q"], { cwd: dir })).toMatchObject({ code: 0, stderr: "" });
    expect(JSON.parse(readFileSync(join(dir, "mapped.js.map"), "utf8"))).toMatchObject({ sourceRoot: "https://example.test/src/", sources: ["src/a.js"] });
    expect(stepwise(["build", "src/a.js", "--source-root", "x"], { cwd: dir })).toMatchObject({ code: 2, stderr: "stepwise build: --source-root needs --source-maps\n" });
  });

  it("--ignore's files and folders are copied with --copy-files, as @babel/cli copies what it ignores, and left out with --no-copy-ignored or without --copy-files; --watch copies a new one", async () => {
    const dir = ws({ "src/a.js": ASYNC, "src/a.test.js": ASYNC, "src/fixtures/f.js": ASYNC, "src/fixtures/f.json": "{}\n", "src/fixtures/.dot.js": ASYNC });
    const tree = (out: string) => readdirSync(join(dir, out), { recursive: true }).map(String).sort();
    const ignoring = ["--ignore", "*.test.js", "--ignore", "src/fixtures"];
    const copied = stepwise(["build", "src", "-d", "copied", "--runtime", "inline", "--copy-files", "--verbose", ...ignoring], { cwd: dir });
    expect(copied.code).toBe(0);
    expect(copied.stderr).toMatch(/^src\/a\.js -> copied\/a\.js\nsrc\/a\.test\.js -> copied\/a\.test\.js \(copied\)\nsrc\/fixtures\/f\.js -> copied\/fixtures\/f\.js \(copied\)\nsrc\/fixtures\/f\.json -> copied\/fixtures\/f\.json \(copied\)\nstepwise build: built 1 file \(1 machine, 2 states\), copied 3 files in \d+ ms\n$/);
    expect(readFileSync(join(dir, "copied/fixtures/f.js"), "utf8")).toBe(ASYNC);
    expect(stepwise(["build", "src", "-d", "uncopied", "--runtime", "inline", "--copy-files", "--no-copy-ignored", "-q", ...ignoring], { cwd: dir })).toMatchObject({ code: 0, stderr: "" });
    expect(tree("uncopied")).toEqual(["a.js"]);
    expect(stepwise(["build", "src", "-d", "left", "--runtime", "inline", "-q", ...ignoring], { cwd: dir })).toMatchObject({ code: 0, stderr: "" });
    expect(tree("left")).toEqual(["a.js"]);
    const { child, exited, until, stderr } = watching(dir, ["src", "-d", "watched", "--runtime", "inline", "--copy-files", ...ignoring]);
    try {
      await until(() => stderr().includes("watching for changes"), "the watcher");
      writeFileSync(join(dir, "src/fixtures/g.js"), ASYNC);
      writeFileSync(join(dir, "src/b.js"), ASYNC);
      await until(() => existsSync(join(dir, "watched/fixtures/g.js")) && existsSync(join(dir, "watched/b.js")), "the new files");
      await until(() => stderr().includes("rebuilt src/fixtures/g.js -> watched/fixtures/g.js (copied)"), "the message");
      expect(readFileSync(join(dir, "watched/b.js"), "utf8")).toContain("extends AsyncMachine");
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
    expect(readFileSync(join(dir, "watched/fixtures/g.js"), "utf8")).toBe(ASYNC);
  });

  it("@babel/cli's other flags: -D, -f, --keep-file-extension, --relative, --source-type, --source-map-target, --source-file-name, --no-highlight-code, --skip-initial-build", async () => {
    const dir = ws({ "src/a.js": ASYNC, "src/b.ts": 'import { x } from "./c.ts";\nexport async function b(): Promise<number> { return await x; }\n', "src/c.ts": "export const x: number = 1;\n", "src/data.json": "{}\n", "pkgs/p/src/p.js": ASYNC, "pkgs/q/src/q.js": ASYNC, "m.cjs": "export async function f() { await 1; }\n", "i.js": 'import x from "y";\nasync function f() { await x; }\n' });
    const tree = (out: string) => readdirSync(join(dir, out), { recursive: true }).map(String).sort();
    // (-D is --copy-files; --keep-file-extension: a.ts stays a.ts, its specifiers as written)
    expect(stepwise(["build", "src", "-d", "kept", "-D", "--keep-file-extension", "--runtime", "inline", "-q"], { cwd: dir })).toMatchObject({ code: 0, stderr: "" });
    expect(tree("kept")).toEqual(["a.js", "b.ts", "c.ts", "data.json"]);
    expect(readFileSync(join(dir, "kept/b.ts"), "utf8")).toContain('import { x } from "./c.ts";');
    expect(readFileSync(join(dir, "kept/b.ts"), "utf8")).not.toContain(": Promise<number>");
    // (--relative: --out-dir from each input's folder)
    expect(stepwise(["build", "pkgs/p/src", "pkgs/q/src", "-d", "../lib", "--relative", "--runtime", "inline", "-q"], { cwd: dir })).toMatchObject({ code: 0, stderr: "" });
    expect(tree("pkgs")).toEqual(["p", "p/lib", "p/lib/p.js", "p/src", "p/src/p.js", "q", "q/lib", "q/lib/q.js", "q/src", "q/src/q.js"]);
    expect(stepwise(["build", "pkgs/p/src/p.js", "-d", "out", "--relative", "--runtime", "inline", "-q"], { cwd: dir }).code).toBe(0);
    expect(existsSync(join(dir, "pkgs/p/src/out/p.js"))).toBe(true);
    // (--source-type: every input parsed so)
    expect(stepwise(["build", "m.cjs", "--source-type", "module", "--runtime", "inline"], { cwd: dir })).toMatchObject({ code: 0, stdout: expect.stringMatching(/^export (var|function) f\b/m) });
    expect(stepwise(["build", "m.cjs", "--runtime", "inline"], { cwd: dir }).code).toBe(1);
    expect(stepwise(["build", "i.js", "--source-type", "script"], { cwd: dir })).toMatchObject({ code: 1, stderr: expect.stringContaining("i.js:1:1: syntax error: 'import' and 'export' may appear only with 'sourceType: \"module\"'") });
    // (the one output's map: its file and its source as named)
    expect(stepwise(["build", "src/a.js", "-o", "one.js", "-s", "--source-map-target", "bundle.js", "--source-file-name", "webpack:///a.js", "--runtime", "inline", "-q"], { cwd: dir }).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "one.js.map"), "utf8"))).toMatchObject({ file: "bundle.js", sources: ["webpack:///a.js"] });
    // (-f names stdin's code; --no-highlight-code: no colour even where forced)
    const coloured = stepwise(["build", "-f", "x.ts"], { cwd: dir, input: "const a: = 1;\n", env: { FORCE_COLOR: "1" } });
    expect(coloured).toMatchObject({ code: 1, stderr: expect.stringContaining("\x1b[") });
    expect(coloured.stderr).toContain("x.ts:1:");
    const plain = stepwise(["build", "-f", "x.ts", "--no-highlight-code"], { cwd: dir, input: "const a: = 1;\n", env: { FORCE_COLOR: "1" } });
    expect(plain.code).toBe(1);
    expect(plain.stderr).not.toContain("\x1b[");
    const cases: [string[], string][] = [
      [["build", "src", "-d", "o", "--keep-file-extension", "--out-file-extension", ".mjs"], "stepwise build: give either --keep-file-extension or --out-file-extension, not both\n"],
      [["build", "src/a.js", "--keep-file-extension"], "stepwise build: --keep-file-extension needs --out-dir\n"],
      [["build", "src/a.js", "--relative"], "stepwise build: --relative needs --out-dir\n"],
      [["build", "src", "-d", "o", "--relative", "--root-dir", "."], "stepwise build: give either --relative or --root-dir, not both (--relative puts each input's outputs in its own folder's --out-dir)\n"],
      [["build", "src/a.js", "--source-type", "esm"], 'stepwise build: --source-type must be "script", "module" or "unambiguous", got "esm"\n'],
      [["build", "src/a.js", "--source-map-target", "x.js"], "stepwise build: --source-map-target needs --source-maps\n"],
      [["build", "src", "-d", "o", "-s", "--source-file-name", "x.js"], "stepwise build: --source-file-name names the map of one output (-o or stdout), not of --out-dir's\n"],
      [["build", "src", "-d", "o", "--skip-initial-build"], "stepwise build: --skip-initial-build needs --watch\n"],
    ];
    for (const [args, stderr] of cases) expect(stepwise(args, { cwd: dir }), args.join(" ")).toMatchObject({ code: 2, stdout: "", stderr });
    // (--skip-initial-build: nothing is built until a file changes)
    const { child, exited, until, stderr } = watching(dir, ["src", "-d", "watched", "--skip-initial-build", "--runtime", "inline"]);
    try {
      await until(() => stderr().includes("watching for changes"), "the watcher");
      expect(existsSync(join(dir, "watched/a.js")) || existsSync(join(dir, "watched/b.js"))).toBe(false);
      writeFileSync(join(dir, "src/a.js"), ASYNC + "\n");
      await until(() => existsSync(join(dir, "watched/a.js")), "the changed file");
      expect(existsSync(join(dir, "watched/b.js"))).toBe(false);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  });

  it("expands an input pattern the shell left as it is, as @babel/cli does (each match an input: -d flattens, --root-dir keeps the paths)", () => {
    const dir = ws({ "src/a.js": ASYNC, "src/deep/b.js": ASYNC, "src/deep/c.json": "{}\n", "src/.d.js": ASYNC });
    const tree = (out: string) => readdirSync(join(dir, out), { recursive: true }).map(String).sort();
    expect(stepwise(["build", "src/**/*.js", "-d", "flat", "--runtime", "inline", "-q"], { cwd: dir })).toMatchObject({ code: 0, stderr: "" });
    expect(tree("flat")).toEqual(["a.js", "b.js"]);
    expect(stepwise(["build", "src/**/*.js", "-d", "kept", "--root-dir", "src", "--runtime", "inline", "-q"], { cwd: dir })).toMatchObject({ code: 0, stderr: "" });
    expect(tree("kept")).toEqual(["a.js", "deep", "deep/b.js"]);
    // (a pattern that names folders: each is a directory input; --include-dotfiles lets it match dot-files)
    expect(stepwise(["build", "sr?", "-d", "dirs", "--runtime", "inline", "-q", "--include-dotfiles"], { cwd: dir })).toMatchObject({ code: 0, stderr: "" });
    expect(tree("dirs")).toEqual([".d.js", "a.js", "deep", "deep/b.js"]);
    expect(stepwise(["build", "src/*.nope", "-d", "none"], { cwd: dir })).toMatchObject({ code: 3, stderr: "stepwise build: no such file or directory: src/*.nope\n" });
    expect(stepwise(["build", "src/**/*.js", "-o", "one.js"], { cwd: dir })).toMatchObject({ code: 2, stderr: "stepwise build: --out-file takes one input file (use --out-dir for several)\n" });
  });

  it("--copy-files, --out-file-extension, -x without dots, --include-dotfiles, --verbose", () => {
    const dir = ws({ "src/a.js": ASYNC, "src/b.ts": "export async function b() { await 1; }\n", "src/data.json": '{"k":1}\n', "src/.hidden.js": ASYNC, "src/.dir/c.js": ASYNC, "src/types.d.ts": "export {};\n" });
    const result = stepwise(["build", "src", "-d", "out", "--copy-files", "--verbose", "-x", "js,ts", "--out-file-extension", "mjs", "--runtime", "inline"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^src\/a\.js -> out\/a\.mjs\nsrc\/b\.ts -> out\/b\.mjs\nsrc\/data\.json -> out\/data\.json \(copied\)\nsrc\/types\.d\.ts -> out\/types\.d\.ts \(copied\)\nstepwise build: built 2 files \(2 machines, 4 states\), copied 2 files in \d+ ms\n$/);
    expect(readFileSync(join(dir, "out/data.json"), "utf8")).toBe('{"k":1}\n');
    // A file to copy that cannot be read: one line, exit 3, the others are still built.
    symlinkSync(join(dir, "src/nowhere.json"), join(dir, "src/link.json"));
    const dangling = stepwise(["build", "src", "-d", "out3", "--copy-files", "--runtime", "inline"], { cwd: dir });
    expect(dangling.code).toBe(3);
    expect(dangling.stderr).toMatch(/^stepwise build: no such file or directory: src\/link\.json\nstepwise build: built 2 files \(2 machines, 4 states\), copied 2 files in \d+ ms, 1 file failed\n$/);
    const dots = stepwise(["build", "src", "-d", "dots", "--include-dotfiles", "-x", ".js", "-q", "--runtime", "inline"], { cwd: dir });
    expect(dots.code).toBe(0);
    expect(readdirSync(join(dir, "dots"), { recursive: true }).sort()).toEqual([".dir", ".dir/c.js", ".hidden.js", "a.js"]);
    const cases: [string[], number, string][] = [
      [["build", "src/a.js", "--copy-files"], 2, "stepwise build: --copy-files needs --out-dir\n"],
      [["build", "src/a.js", "-o", "x.js", "--out-file-extension", ".mjs"], 2, "stepwise build: --out-file-extension needs --out-dir\n"],
      [["build", "src", "-d", "o", "--out-file-extension", "m/js"], 2, 'stepwise build: --out-file-extension takes an extension like .mjs, got "m/js"\n'],
      [["build", "src", "-d", "o", "-q", "--verbose"], 2, "stepwise build: give either --quiet or --verbose, not both\n"],
      [["build", "src/a.js", "--mode", "loop", "--runtime", "inline"], 2, "stepwise build: --runtime inline cannot be used with --mode loop (the event loop is a module: use import or require)\n"],
      [["build", "src/a.js", "--runtime", "inline", "--runtime-module", "rt"], 2, "stepwise build: --runtime-module cannot be used with --runtime inline (the runtime is written into each file, not imported)\n"],
      [["build", "src/a.js", "--module-type", "amd"], 2, 'stepwise build: --module-type must be "es" or "commonjs", got "amd"\n'],
    ];
    for (const [args, code, stderr] of cases) {
      const run = stepwise(args, { cwd: dir });
      expect({ args, code: run.code, stderr: run.stderr }).toEqual({ args, code, stderr });
    }
  });

  it("--delete-dir-on-start empties the output folder first, and refuses to delete an input", () => {
    const dir = ws({ "src/a.js": ASYNC, "out/stale.js": "old\n" });
    expect(stepwise(["build", "src", "-d", "out", "--delete-dir-on-start", "-q", "--runtime", "inline"], { cwd: dir }).code).toBe(0);
    expect(readdirSync(join(dir, "out"))).toEqual(["a.js"]);
    const refused = stepwise(["build", "src", "-d", ".", "--overwrite", "--delete-dir-on-start"], { cwd: dir });
    expect(refused).toMatchObject({ code: 2, stderr: "stepwise build: --delete-dir-on-start would delete the input src (it is inside .)\n" });
    expect(existsSync(join(dir, "src/a.js"))).toBe(true);
    const cwd = stepwise(["build", join(dir, "src"), "-d", dir, "--overwrite", "--delete-dir-on-start"], { cwd: join(dir, "out") });
    expect(cwd).toMatchObject({ code: 2, stderr: `stepwise build: --delete-dir-on-start would delete the input ${join(dir, "src")} (it is inside ${dir})\n` });
    const here = ws({ "a.js": ASYNC });
    expect(stepwise(["build", join(here, "a.js"), "-d", "..", "--delete-dir-on-start"], { cwd: join(dir, "out") })).toMatchObject({
      code: 2,
      stderr: `stepwise build: --delete-dir-on-start would delete the current directory (it is inside ${dir})\n`,
    });
    expect(existsSync(join(dir, "out/a.js"))).toBe(true);
  });

  it("keeps file modes: an executable input's output is executable; an existing output keeps its mode", () => {
    const dir = ws({ "src/cli.js": "#!/usr/bin/env node\n" + ASYNC, "src/lib.js": ASYNC, "src/run.sh": "#!/bin/sh\n" });
    chmodSync(join(dir, "src/cli.js"), 0o755);
    chmodSync(join(dir, "src/run.sh"), 0o750);
    expect(stepwise(["build", "src", "-d", "out", "-q", "--runtime", "inline", "--copy-files"], { cwd: dir }).code).toBe(0);
    expect(statSync(join(dir, "out/cli.js")).mode & 0o777).toBe(0o755);
    expect(statSync(join(dir, "out/run.sh")).mode & 0o777).toBe(0o750);
    expect(readFileSync(join(dir, "out/cli.js"), "utf8")).toMatch(/^#!\/usr\/bin\/env node\n/);
    chmodSync(join(dir, "out/lib.js"), 0o600);
    expect(stepwise(["build", "src", "-d", "out", "-q", "--runtime", "inline"], { cwd: dir }).code).toBe(0);
    expect(statSync(join(dir, "out/lib.js")).mode & 0o777).toBe(0o600);
  });

  it("rewrites relative .ts/.mts/.cts specifiers to .js/.mjs/.cjs, and the output runs", () => {
    const dir = ws({ "main.ts": 'import { two } from "./two.ts";\nexport * from "./three.mts";\nconst { four } = await import("./four.cts");\nconsole.log(await two(), four);\n', "two.ts": "export async function two(): Promise<number> { return (await 2) as number; }\n", "three.mts": "export const three = 3;\n", "four.cts": "exports.four = 4;\n" }, true);
    expect(stepwise(["build", "main.ts", "two.ts", "three.mts", "four.cts", "-d", "out", "-q"], { cwd: dir }).code).toBe(0);
    const main = readFileSync(join(dir, "out/main.js"), "utf8");
    expect(main).toContain('from "./two.js"');
    expect(main).toContain('from "./three.mjs"');
    expect(main).toContain('import("./four.cjs")');
    // The runtime resolves through the repository's package.json (a "type": "module" package named stepwise).
    const ran = spawnSync(process.execPath, ["out/main.js"], { cwd: dir, encoding: "utf8" });
    expect(ran.stderr).toBe("");
    expect(ran.stdout).toBe("2 4\n");
    // With --out-file-extension, the specifiers name the outputs as that extension names them.
    writeFileSync(join(dir, "mjs.ts"), 'import { two } from "./two.ts";\nconsole.log(await two());\n');
    expect(stepwise(["build", "mjs.ts", "two.ts", "-d", "out2", "-q", "--out-file-extension", ".mjs"], { cwd: dir }).code).toBe(0);
    expect(spawnSync(process.execPath, ["out2/mjs.mjs"], { cwd: dir, encoding: "utf8" })).toMatchObject({ stdout: "2\n", stderr: "" });
    // A .tsx file's output keeps its JSX (.jsx); declaration files are not rewritten.
    expect(stepwise(["build", "--filename", "x.ts"], { cwd: dir, input: 'import "./c.tsx";\nexport type { T } from "./t.d.ts";\nexport * from "./u.cts";\n' }).stdout).toBe('import "./c.jsx";\nexport * from "./u.cjs";\n');
  });

  it("keeps what it does not lower as written, with its .ts specifiers rewritten", () => {
    const text = 'import { a } from "./a.ts";\nimport b from \'./b.mts\'\nconst  spaced = {a:1,   b:2}\nexport async function f() {\n    return (await a) + b\n}\nexport function g() {\n    return import("./c.ts")\n}\n';
    const dir = ws({ "src/mixed.js": text });
    expect(stepwise(["build", "src", "-d", "out", "-q", "--runtime", "inline"], { cwd: dir }).code).toBe(0);
    const output = readFileSync(join(dir, "out/mixed.js"), "utf8");
    expect(output).toContain('import { a } from "./a.js";\nimport b from \'./b.mjs\';\n');
    expect(output).toContain("\nconst  spaced = {a:1,   b:2};\n");
    expect(output).toContain('export function g() {\n    return import("./c.js")\n}');
    expect(output).not.toContain(".ts");
  });

  it("writes a file with nothing to lower byte for byte (a .ts specifier rewritten in place)", () => {
    const text = '#!/usr/bin/env node\n// spacing   kept\nconst  plugins = {a:1,   b:2};\n\n\nfunction named() { return "x" }\nimport("./x.ts");\n';
    const dir = ws({ "src/plain.js": text, "src/lowered.js": ASYNC });
    // (not UTF-8: a Latin-1 "é", which reading as text would turn into U+FFFD)
    const latin = Buffer.from('var s = "caf\xe9";\n', "latin1");
    writeFileSync(join(dir, "src/latin.js"), latin);
    expect(stepwise(["build", "src", "-d", "out", "-q", "-s", "--runtime", "inline"], { cwd: dir }).code).toBe(0);
    expect(readFileSync(join(dir, "out/plain.js"), "utf8")).toBe(text.replace("./x.ts", "./x.js"));
    expect(readFileSync(join(dir, "out/latin.js")).equals(latin)).toBe(true);
    expect(existsSync(join(dir, "out/plain.js.map"))).toBe(false);
    expect(existsSync(join(dir, "out/lowered.js.map"))).toBe(true);
    // With a Babel configuration, Babel prints every file, as @babel/cli does.
    writeFileSync(join(dir, "babel.config.json"), "{}");
    expect(stepwise(["build", "src/plain.js"], { cwd: dir }).stdout).toContain("const plugins = {\n");
  });

  it("--retain-lines keeps untouched statements on their lines", () => {
    const dir = ws({ "a.js": "async function f() {\n  await 1;\n}\n\n\n\nconst marker = new Error().stack;\n" });
    const result = stepwise(["build", "a.js", "--retain-lines", "--runtime", "inline"], { cwd: dir });
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines.findIndex((line) => line.includes("const marker"))).toBeGreaterThanOrEqual(6);
    const plain = stepwise(["build", "a.js", "--runtime", "require"], { cwd: dir }).stdout.split("\n");
    const retained = stepwise(["build", "a.js", "--runtime", "require", "--retain-lines"], { cwd: dir }).stdout.split("\n");
    expect(retained.findIndex((line) => line.includes("const marker"))).toBe(6);
    expect(plain.findIndex((line) => line.includes("const marker"))).not.toBe(6);
  });

  it("--retain-lines keeps statements before and between lowered functions on their lines too, with an inlined runtime, and so does the plugin under Babel's retainLines", () => {
    const source = 'console.log(new Error("a").stack.split("\\n")[1]);\n\n\n\nasync function f() {\n  await 0;\n}\nconsole.log(new Error("b").stack.split("\\n")[1]);\nconst g = async () => { await f(); return 1; };\nconsole.log(new Error("c").stack.split("\\n")[1]);\n';
    // (in the repository, where the output's require finds the runtime)
    const dir = ws({ "a.cjs": source }, true);
    const lines = (output: string) => [...output.matchAll(/out\.cjs:(\d+):/g)].map((match) => Number(match[1]));
    for (const runtime of ["inline", "require"]) {
      expect(stepwise(["build", "a.cjs", "--retain-lines", "--runtime", runtime, "-q", "-o", "out.cjs"], { cwd: dir }).code).toBe(0);
      expect(lines(spawnSync(process.execPath, ["out.cjs"], { cwd: dir, encoding: "utf8" }).stdout), runtime).toEqual([1, 8, 10]);
    }
    const plugin = transformSync(source, { filename: join(dir, "a.cjs"), babelrc: false, configFile: false, retainLines: true, plugins: [[stepwisePlugin, { runtime: "inline" }]] })!.code!;
    writeFileSync(join(dir, "out.cjs"), plugin);
    expect(lines(spawnSync(process.execPath, ["out.cjs"], { cwd: dir, encoding: "utf8" }).stdout)).toEqual([1, 8, 10]);
  });

  it("--compact, --minified and --no-comments print every file as Babel's generator does with those options, lowered or not, TypeScript too; the outputs run", () => {
    const lowered = "/*! @license kept */\n// a comment\nasync function f(a) {\n  const b = await a;\n  return b + 1;\n}\nf(41).then((v) => console.log(\"got\", v));\n";
    const plain = "// plain\nconst   x = { a: 1 };\nconsole.log(\"plain\", x.a);\n";
    const typed = "const n: number = 2;\nasync function g(): Promise<number> {\n  return (await n) * 2;\n}\ng().then((v) => console.log(\"typed\", v));\n";
    const dir = ws({ "package.json": '{ "type": "commonjs" }', "src/a.js": lowered, "src/b.js": plain, "src/c.ts": typed }, true);
    const outputs: Record<string, string[]> = {};
    for (const [name, flags] of Object.entries({ compact: ["--compact"], auto: ["--compact", "auto"], minified: ["--minified"], none: ["--no-comments"], both: ["--compact", "true", "--no-comments"], off: ["--compact", "false"] })) {
      const built = stepwise(["build", "src", "-d", name, "--runtime", "require", "-q", ...flags], { cwd: dir });
      expect(built, name).toMatchObject({ code: 0, stderr: "" });
      outputs[name] = ["a.js", "b.js", "c.js"].map((file) => readFileSync(join(dir, name, file), "utf8"));
      for (const file of ["a.js", "b.js", "c.js"]) {
        const ran = spawnSync(process.execPath, [join(name, file)], { cwd: dir, encoding: "utf8" });
        expect(ran.stderr + ran.stdout, `${name}/${file}`).toBe({ "a.js": "got 42\n", "b.js": "plain 1\n", "c.js": "typed 4\n" }[file]);
      }
    }
    // (compact: one line but for the line comments Babel keeps; minified keeps comments too, as Babel's)
    expect(outputs.compact[1]).toBe('// plain\nconst x={a:1};console.log("plain",x.a);\n');
    expect(outputs.compact[0]).toContain("class F extends AsyncMachine{");
    expect(outputs.compact[0]).toContain("// a comment");
    expect(outputs.minified[0]).toContain("/*! @license kept */");
    expect(outputs.minified[2]).toContain("n=2;");
    // (auto: compact only past 500 KB, as Babel's default: none of these is, but each is printed whole;
    // false is the default, the code around a lowered function as written)
    expect(outputs.auto[1]).toBe('// plain\nconst x = {\n  a: 1\n};\nconsole.log("plain", x.a);\n');
    expect(outputs.off[1]).toBe(plain);
    // (no comments: not the source's, not the machines' own, but a license where not minified)
    expect(outputs.none[0]).not.toMatch(/\/\/|\/\*\*/);
    expect(outputs.none[0]).toContain("/*! @license kept */");
    expect(outputs.none[1]).toBe('const x = {\n  a: 1\n};\nconsole.log("plain", x.a);\n');
    expect(outputs.both[0]).not.toContain("\n  ");
    const bad = stepwise(["build", "src", "-d", "bad", "--compact=yes"], { cwd: dir });
    expect(bad).toMatchObject({ code: 2, stderr: 'stepwise build: --compact must be "true", "false" or "auto", got "yes"\n' });
  });

  it("module or script is decided by the source's package, not by where the output goes", () => {
    const dir = ws({ "pkg/package.json": '{ "type": "module" }', "pkg/s.js": "async function f() { await 1; }\nf();\n", "cjs/package.json": '{ "type": "commonjs" }', "cjs/s.js": "async function f() { await 1; }\nf();\n" });
    expect(stepwise(["build", "pkg/s.js", "-d", "elsewhere", "-q"], { cwd: dir }).code).toBe(0);
    expect(readFileSync(join(dir, "elsewhere/s.js"), "utf8")).toMatch(/^import \{ AsyncMachine, runAsyncOnce \} from "@stepwise\/runtime";/);
    expect(stepwise(["build", "cjs/s.js", "-d", "pkg/out", "-q"], { cwd: dir }).code).toBe(0);
    expect(readFileSync(join(dir, "pkg/out/s.js"), "utf8")).toContain('require("@stepwise/runtime")');
  });

  it("--module-type commonjs turns ES modules into CommonJS (.mjs files stay modules; `export * as` too; a warning when .js outputs land in a \"type\": \"module\" package), and the output runs", () => {
    const dir = ws({ "src/a.ts": 'import { b } from "./b.ts";\nexport async function a(): Promise<number> { return (await b()) + 1; }\nexport * as again from "./b.ts";\n', "src/b.ts": "export async function b() { return 41; }\n", "src/c.mjs": "export const c = 1;\n", "src/d.cjs": "module.exports  =  { d: 1 };\n", "main.cjs": 'const { a, again } = require("./out/a.js");\na().then((v) => console.log(v, again.b.name));\n' }, true);
    // (the folder is inside the repository, a "type": "module" package: the build says what to do)
    expect(stepwise(["build", "src", "-d", "out", "--module-type", "commonjs", "-q"], { cwd: dir })).toMatchObject({
      code: 0,
      stderr: 'stepwise build: warning: out/a.js (and 1 other output) is CommonJS in a "type": "module" package, where Node loads .js files as ES modules: put a package.json saying {"type": "commonjs"} in out, or build with --out-file-extension .cjs\n',
    });
    const a = readFileSync(join(dir, "out/a.js"), "utf8");
    expect(a).toContain('require("./b.js")');
    expect(a).toContain("var a = exports.a = (0, _runtime.defineAsyncFunction)(");
    expect(readFileSync(join(dir, "out/c.mjs"), "utf8")).toBe("export const c = 1;\n");
    // A CommonJS file with nothing to lower is already CommonJS: written byte for byte.
    expect(readFileSync(join(dir, "out/d.cjs"), "utf8")).toBe("module.exports  =  { d: 1 };\n");
    writeFileSync(join(dir, "out/package.json"), '{ "type": "commonjs" }');
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(root, join(dir, "node_modules/stepwise"));
    const ran = spawnSync(process.execPath, ["main.cjs"], { cwd: dir, encoding: "utf8" });
    expect(ran.stderr).toBe("");
    expect(ran.stdout).toBe("42 b\n");
  });

  it("says once, with the fix, when the output cannot find its runtime", () => {
    const dir = ws({ "src/a.js": ASYNC, "src/sub/b.js": ASYNC, "src/plain.js": "let x = 1;\n" });
    const result = stepwise(["build", "src", "-d", "out", "-q"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      "stepwise build: warning: @stepwise/runtime cannot be found from out (and 1 other output folder), where the output imports @stepwise/runtime: install @stepwise/runtime there, or build with --runtime inline\n",
    );
    expect(stepwise(["build", "src", "-d", "out2", "-q", "--runtime", "inline"], { cwd: dir }).stderr).toBe("");
    mkdirSync(join(dir, "node_modules/@stepwise/runtime"), { recursive: true });
    writeFileSync(join(dir, "node_modules/@stepwise/runtime/package.json"), '{ "name": "@stepwise/runtime" }');
    expect(stepwise(["build", "src", "-d", "out", "-q"], { cwd: dir }).stderr).toBe("");
  });

  it("code frames are cut to a window around the column, with control characters shown harmlessly", () => {
    const long = `let a = [${"1, ".repeat(100_000)}];\nlet b = "\x1b[31m" +;\n`;
    const dir = ws({ "long.js": long });
    const result = stepwise(["build", "long.js"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr.length).toBeLessThan(1000);
    expect(result.stderr).not.toContain("\x1b");
    expect(result.stderr).toContain('> 2 | let b = "␛[31m" +;\n');
    const wide = ws({ "wide.js": `${"x;".repeat(5000)} +;${"y;".repeat(5000)}\n` });
    const frame = stepwise(["build", "wide.js"], { cwd: wide }).stderr;
    expect(frame).toMatch(/^wide\.js:1:10003: syntax error: Unexpected token\n> 1 \| …x;x;.* \+;y;.*y…\n/);
    expect(frame.split("\n")[1].length).toBeLessThan(120);
    const caret = frame.split("\n")[2];
    expect(caret.indexOf("^")).toBe(frame.split("\n")[1].indexOf("+;") + 1);
    // A line that fits is shown whole, however far right the error is.
    const fits = ws({ "fits.js": "function someFunctionName(argumentOne, argumentTwo) { return argumentOne + argumentTwo +; }\n" });
    expect(stepwise(["build", "fits.js"], { cwd: fits }).stderr).toBe(
      "fits.js:1:89: syntax error: Unexpected token\n> 1 | function someFunctionName(argumentOne, argumentTwo) { return argumentOne + argumentTwo +; }\n    | " + " ".repeat(88) + "^\n  2 |\n",
    );
  });

  it("--watch removes a deleted source's output and says so (a deleted folder's too)", async () => {
    const dir = ws({ "src/a.js": ASYNC, "src/b.js": ASYNC, "src/sub/c.js": ASYNC, "src/sub/deeper/d.js": ASYNC });
    const { child, exited, until, stderr } = watching(dir, ["src", "-d", "out", "--runtime", "inline"]);
    try {
      await until(() => stderr().includes("watching for changes"), "the watcher");
      expect(existsSync(join(dir, "out/b.js"))).toBe(true);
      unlinkSync(join(dir, "src/b.js"));
      await until(() => !existsSync(join(dir, "out/b.js")), "the removal");
      await until(() => stderr().includes("stepwise build: removed out/b.js (src/b.js was deleted)\n"), "the message");
      // A deleted folder: its outputs, then its output folder.
      rmSync(join(dir, "src/sub"), { recursive: true });
      await until(() => !existsSync(join(dir, "out/sub")), "the folder's removal");
      // (the message is written before the folder goes, but may reach this process after the test sees it gone)
      await until(() => stderr().includes("stepwise build: removed out/sub/c.js (src/sub/c.js was deleted)\n"), "the folder's message");
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  });
});

describe("stepwise run with a Babel configuration", () => {
  it("applies the project's Babel configuration; --no-babelrc and --config-file choose", () => {
    const dir = ws({ "define.cjs": DEFINE, ".babelrc": '{ "plugins": ["./define.cjs"] }', "empty.json": "{}", "a.js": "async function f() { await 1; console.log(__WHO__); }\nf();\n" });
    expect(stepwise(["run", "a.js"], { cwd: dir })).toMatchObject({ code: 0, stdout: "babel config\n" });
    const off = stepwise(["run", "--no-babelrc", "a.js"], { cwd: dir });
    expect(off.code).toBe(1);
    expect(off.stderr).toContain("ReferenceError: __WHO__ is not defined");
    expect(stepwise(["run", "--config-file", "missing.json", "a.js"], { cwd: dir })).toMatchObject({ code: 3, stderr: "stepwise run: --config-file: no such file or directory: missing.json\n" });
    writeFileSync(join(dir, "bad.json"), '{ "plugins": ["./nope.cjs"] }');
    expect(stepwise(["run", "--config-file", "bad.json", "a.js"], { cwd: dir })).toMatchObject({ code: 2, stdout: "", stderr: "stepwise run: cannot load the Babel configuration: Cannot find module './nope.cjs'\n" });
  });

  it("@babel/preset-env with its default modules setting keeps ES modules that run loads as modules", () => {
    const dir = ws({ "babel.config.json": '{ "presets": [["@babel/preset-env", { "targets": "node 12" }]] }', "a.mjs": 'import { readFileSync } from "node:fs";\nexport async function f() { await 1; return typeof readFileSync; }\nconsole.log(await f());\n', "b.cjs": "async function g() { return (await 2) * 21; }\ng().then(console.log);\n" }, true);
    expect(stepwise(["run", "a.mjs"], { cwd: dir })).toMatchObject({ code: 0, stdout: "function\n", stderr: "" });
    expect(stepwise(["run", "b.cjs"], { cwd: dir })).toMatchObject({ code: 0, stdout: "42\n", stderr: "" });
  });
});
