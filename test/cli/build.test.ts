// `stepwise build`, through the real bin: outputs, flags, refusals, error exits and their messages.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { transformSync } from "esbuild";
import { describe, expect, it } from "vitest";
import { ASYNC, bin, node, openToOthers, root, stepwise, UNPRIVILEGED, watching, workspaces } from "./helpers.ts";

const ws = workspaces();

const TS = 'interface Box { value: number }\nasync function f(box: Box): Promise<number> {\n  const y: number = await box.value;\n  return y + 1;\n}\nf({ value: 41 }).then((v: number) => console.log("ts", v));\n';
const BAD = "async function g() {\n  await (1 +;\n}\n";

describe("stepwise build", () => {
  it("mirrors a directory tree into --out-dir, renames TypeScript outputs, and prints a summary", () => {
    const dir = ws({ "src/a.js": ASYNC, "src/sub/b.ts": TS, "src/sub/types.d.ts": "export {};\n", "src/readme.txt": "x", "src/node_modules/x.js": ASYNC });
    const result = stepwise(["build", "src", "-d", "out"], { cwd: dir });
    expect(result.stderr).toMatch(/^stepwise build: built 2 files \(2 machines, 4 states\) in \d+ ms\n/);
    expect(result.code).toBe(0);
    expect(readdirSync(join(dir, "out"), { recursive: true }).sort()).toEqual(["a.js", "sub", "sub/b.js"]);
    const b = readFileSync(join(dir, "out/sub/b.js"), "utf8");
    expect(b).toContain("class F extends AsyncMachine");
    expect(b).not.toMatch(/interface|: number/);
  });

  it("takes a package's own node_modules with it where the input is dependencies (a node_modules folder or inside one)", () => {
    const dir = ws({
      "node_modules/pkg/index.js": ASYNC,
      "node_modules/pkg/node_modules/inner/index.js": ASYNC,
      "node_modules/pkg/node_modules/inner/package.json": "{}",
      "node_modules/other/index.js": ASYNC,
      "src/a.js": ASYNC,
      "src/node_modules/x.js": ASYNC,
    });
    const listing = (out: string) => readdirSync(join(dir, out), { recursive: true }).map(String).sort();
    expect(stepwise(["build", "node_modules/pkg", "-d", "pkg-out", "--copy-files", "--runtime", "inline", "-q"], { cwd: dir })).toMatchObject({ code: 0, stderr: "" });
    expect(listing("pkg-out")).toEqual(["index.js", "node_modules", "node_modules/inner", "node_modules/inner/index.js", "node_modules/inner/package.json"]);
    expect(readFileSync(join(dir, "pkg-out/node_modules/inner/index.js"), "utf8")).toContain("extends AsyncMachine");
    expect(stepwise(["build", "node_modules", "-d", "all-out", "--runtime", "inline", "-q"], { cwd: dir })).toMatchObject({ code: 0, stderr: "" });
    expect(listing("all-out").filter((path) => path.endsWith(".js"))).toEqual(["other/index.js", "pkg/index.js", "pkg/node_modules/inner/index.js"]);
    // (a project's own node_modules stays out of its build)
    expect(stepwise(["build", "src", "-d", "src-out", "--runtime", "inline", "-q"], { cwd: dir })).toMatchObject({ code: 0, stderr: "" });
    expect(listing("src-out")).toEqual(["a.js"]);
  });

  it("turns TypeScript into runnable JavaScript (types stripped by Babel's preset)", () => {
    const dir = ws({ "t.ts": TS, "u.mts": "export async function u(): Promise<string> { return (await 'ok') as string; }\nconsole.log(await u());\n" }, true);
    expect(stepwise(["build", "t.ts", "u.mts", "-d", "out", "--quiet"], { cwd: dir }).code).toBe(0);
    // The default runtime import, "@stepwise/runtime", resolves through the package's exports.
    const ran = spawnSync(process.execPath, ["out/t.js"], { cwd: dir, encoding: "utf8" });
    expect(ran.stderr).toBe("");
    expect(ran.stdout).toBe("ts 42\n");
    expect(spawnSync(process.execPath, ["out/u.mjs"], { cwd: dir, encoding: "utf8" }).stdout).toBe("ok\n");
  });

  it("reads stdin and writes stdout when no input is given (--filename picks the syntax)", () => {
    const result = stepwise(["build", "--filename", "x.ts", "--runtime", "inline"], { input: "async function h(a: number) { await a; }\n" });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("class H extends AsyncMachine");
    expect(result.stdout).toContain("stepwise runtime, inlined");
    expect(result.stderr).toBe("");
  });

  it("--no-generators leaves function* and async function* native and still lowers async functions", () => {
    const input = "function* g() { yield 1; }\nasync function* h() { yield 2; }\nasync function f() { await 3; }\n";
    const lowered = stepwise(["build", "--runtime", "require"], { input });
    expect(lowered.stdout).toContain("class G extends GeneratorMachine");
    const kept = stepwise(["build", "--runtime", "require", "--no-generators"], { input });
    expect(kept.code).toBe(0);
    expect(kept.stdout).toContain("function* g() {");
    expect(kept.stdout).toContain("async function* h() {");
    expect(kept.stdout).toContain("class F extends AsyncMachine");
    expect(kept.stdout).not.toContain("GeneratorMachine");
  });

  it("writes one file with -o; --source-maps true writes a .map file, inline a comment, both both", () => {
    const dir = ws({ "a.js": ASYNC });
    expect(stepwise(["build", "a.js", "-o", "out/a.js", "--source-maps"], { cwd: dir }).code).toBe(0);
    const code = readFileSync(join(dir, "out/a.js"), "utf8");
    expect(code).toMatch(/\n\/\/# sourceMappingURL=a\.js\.map\n$/);
    const map = JSON.parse(readFileSync(join(dir, "out/a.js.map"), "utf8"));
    expect(map.sources).toEqual(["../a.js"]);
    expect(map.sourcesContent).toEqual([ASYNC]);
    expect(stepwise(["build", "a.js", "-o", "inline.js", "-s", "inline"], { cwd: dir }).code).toBe(0);
    expect(readFileSync(join(dir, "inline.js"), "utf8")).toMatch(/\/\/# sourceMappingURL=data:application\/json;charset=utf-8;base64,/);
    expect(existsSync(join(dir, "inline.js.map"))).toBe(false);
    expect(stepwise(["build", "a.js", "-o", "both.js", "--source-maps=both"], { cwd: dir }).code).toBe(0);
    expect(readFileSync(join(dir, "both.js"), "utf8")).toContain("sourceMappingURL=data:");
    expect(existsSync(join(dir, "both.js.map"))).toBe(true);
  });

  it("to stdout, -s (any kind) is an inline map, for a named file and for stdin alike", () => {
    const dir = ws({ "a.js": ASYNC });
    const inlineMap = /\n\/\/# sourceMappingURL=data:application\/json;charset=utf-8;base64,([^\n]+)\n$/;
    for (const kind of [[], ["true"], ["both"], ["inline"]]) {
      for (const [args, input] of [[["a.js"], undefined], [["a.js", "-o", "-"], undefined], [[], ASYNC], [["-"], ASYNC], [["-", "-o", "-"], ASYNC]] as const) {
        const result = stepwise(["build", ...args, "-s", ...kind, "-q", "--runtime", "inline"], { cwd: dir, input });
        expect({ args, kind, code: result.code, stderr: result.stderr }).toEqual({ args, kind, code: 0, stderr: "" });
        const map = JSON.parse(Buffer.from(inlineMap.exec(result.stdout)![1], "base64").toString());
        expect(map.sources).toEqual([args[0] === "a.js" ? "a.js" : "stdin.js"]);
      }
    }
    expect(existsSync(join(dir, "a.js.map"))).toBe(false);
    // ("-o -" is stdout: no file named "-")
    expect(existsSync(join(dir, "-"))).toBe(false);
  });

  it("a .tsx file's output is .jsx while its JSX stays, .js once the Babel configuration compiles it (and its importers name it so)", () => {
    const files = {
      "src/main.tsx": 'import { view } from "./view.tsx";\nasync function main(): Promise<void> {\n  console.log(await view());\n}\nmain();\n',
      "src/view.tsx": 'const h = (tag: string) => `<${tag}>`;\nexport async function view() {\n  await null;\n  return <b />;\n}\n',
    };
    const kept = ws(files, true);
    expect(stepwise(["build", "src", "-d", "out", "-q", "--runtime", "inline"], { cwd: kept })).toMatchObject({ code: 0, stderr: "" });
    expect(readdirSync(join(kept, "out")).sort()).toEqual(["main.jsx", "view.jsx"]);
    expect(readFileSync(join(kept, "out/main.jsx"), "utf8")).toContain('from "./view.jsx"');
    const compiled = ws({ ...files, "babel.config.json": '{ "presets": [["@babel/preset-react", { "pragma": "h" }]] }', "out/package.json": '{ "type": "module" }' }, true);
    expect(stepwise(["build", "src", "-d", "out", "-q", "--runtime", "inline"], { cwd: compiled })).toMatchObject({ code: 0, stderr: "" });
    expect(readdirSync(join(compiled, "out")).sort()).toEqual(["main.js", "package.json", "view.js"]);
    expect(readFileSync(join(compiled, "out/main.js"), "utf8")).toContain('from "./view.js"');
    expect(spawnSync(process.execPath, ["out/main.js"], { cwd: compiled, encoding: "utf8" })).toMatchObject({ status: 0, stdout: "<b>\n", stderr: "" });
    // (a file named on the command line, and --out-file-extension, which names every output)
    expect(stepwise(["build", "src/view.tsx", "-d", "one", "-q", "--runtime", "inline"], { cwd: compiled }).code).toBe(0);
    expect(readdirSync(join(compiled, "one"))).toEqual(["view.js"]);
    expect(stepwise(["build", "src", "-d", "ext", "-q", "--runtime", "inline", "--out-file-extension", ".jsx"], { cwd: compiled }).code).toBe(0);
    expect(readdirSync(join(compiled, "ext")).sort()).toEqual(["main.jsx", "view.jsx"]);
    expect(readFileSync(join(compiled, "ext/main.jsx"), "utf8")).toContain('from "./view.jsx"');
  });

  it("applies the options of a stepwise/babel entry of the Babel configuration (the command line's win), and refuses bad ones as the plugin does", () => {
    const dir = ws({ "a.js": "function* g() {\n  yield 1;\n}\nasync function f() {\n  await 1;\n}\n", "r.js": ASYNC });
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(root, join(dir, "node_modules/stepwise"));
    const config = (options: object) => writeFileSync(join(dir, "babel.config.json"), JSON.stringify({ plugins: [["stepwise/babel", options]] }));
    config({ generators: false, mode: "loop" });
    const applied = stepwise(["build", "a.js", "-q"], { cwd: dir });
    expect(applied).toMatchObject({ code: 0, stderr: "" });
    expect(applied.stdout).toContain("function* g() {");
    expect(applied.stdout).toContain('require("@stepwise/runtime/loop")');
    const overridden = stepwise(["build", "a.js", "-q", "--mode", "promise"], { cwd: dir }).stdout;
    expect(overridden).toContain('require("@stepwise/runtime")');
    expect(overridden).toContain("function* g() {");
    config({ runtime: "inline" });
    expect(stepwise(["build", "a.js", "-q"], { cwd: dir }).stdout).toContain("stepwise runtime, inlined");
    expect(stepwise(["build", "a.js", "-q", "--runtime", "require"], { cwd: dir }).stdout).not.toContain("stepwise runtime, inlined");
    config({ generators: "no" });
    const refusal = 'cannot load the Babel configuration: babel.config.json: stepwise: option "generators" must be a boolean, got "no" (while processing stepwise/babel)\n';
    expect(stepwise(["build", "a.js"], { cwd: dir })).toMatchObject({ code: 2, stdout: "", stderr: `stepwise build: ${refusal}` });
    expect(stepwise(["run", "r.js"], { cwd: dir })).toMatchObject({ code: 2, stdout: "", stderr: `stepwise run: ${refusal}` });
    config({ mode: "loop", runtime: "inline" });
    expect(stepwise(["build", "a.js"], { cwd: dir })).toMatchObject({
      code: 2,
      stderr: 'stepwise build: cannot load the Babel configuration: babel.config.json: stepwise: option "runtime" cannot be "inline" in loop mode (the event loop is a module: use "import" or "require") (while processing stepwise/babel)\n',
    });
  });

  it("chains the input's own source map (inline, or a .map file) into the output's: its sources are named from the output", () => {
    const ts = 'async function main(x: number): Promise<void> {\n  await null;\n  throw new Error("boom " + x);\n}\nmain(1).catch((e) => console.log(e.stack));\n';
    const inline = transformSync(ts, { loader: "ts", sourcemap: "inline", sourcefile: "orig.ts", format: "esm" }).code;
    const external = transformSync(ts, { loader: "ts", sourcemap: "external", sourcefile: "orig.ts", format: "esm" });
    const dir = ws({ "gen/mid.js": inline, "gen/ext.js": `${external.code}//# sourceMappingURL=ext.js.map\n`, "gen/ext.js.map": external.map, "babel.config.json": "{}" });
    const sources = (file: string) => JSON.parse(readFileSync(join(dir, file), "utf8")).sources;
    for (const args of [["gen/mid.js", "-o", "out/mid.js"], ["gen/ext.js", "-o", "out/ext.js"], ["gen/mid.js", "-o", "out/lines.js", "--retain-lines"], ["gen/mid.js", "-o", "out/config.js", "--config-file", "babel.config.json"]]) {
      expect(stepwise(["build", ...args, "-s", "-q", "--runtime", "inline"], { cwd: dir })).toMatchObject({ code: 0, stderr: "" });
      expect(sources(`${args[2]}.map`)).toEqual(["../gen/orig.ts"]);
    }
    // (no input map comment is left in the output)
    expect(readFileSync(join(dir, "out/mid.js"), "utf8").match(/sourceMappingURL/g)).toEqual(["sourceMappingURL"]);
    const ran = spawnSync(process.execPath, ["--enable-source-maps", "out/ext.js"], { cwd: dir, encoding: "utf8" });
    expect(ran.stdout).toContain(`(${join(dir, "gen/orig.ts")}:3:9)`);
    // stdin: the sources named from the current directory
    const piped = stepwise(["build", "-s", "inline", "--filename", "gen/mid.js", "--runtime", "inline"], { cwd: dir, input: inline });
    expect(piped.code).toBe(0);
    const comment = /\/\/# sourceMappingURL=data:application\/json;charset=utf-8;base64,(.*)\n$/.exec(piped.stdout)![1];
    expect(JSON.parse(Buffer.from(comment, "base64").toString()).sources).toEqual(["gen/orig.ts"]);
  });

  it("the sourceMappingURL comment and the map's sources are URLs: a file name's space, # and % are escaped, and Node follows them", () => {
    const code = 'async function f() {\n  await null;\n  throw new Error("x");\n}\nf().catch((e) => console.log(e.stack));\n';
    const dir = ws({ "sp/e f#1%.js": code });
    expect(stepwise(["build", "sp", "-d", "spout", "-s", "-q", "--runtime", "inline"], { cwd: dir })).toMatchObject({ code: 0, stderr: "" });
    expect(readFileSync(join(dir, "spout/e f#1%.js"), "utf8")).toMatch(/\n\/\/# sourceMappingURL=e%20f%231%25\.js\.map\n$/);
    expect(JSON.parse(readFileSync(join(dir, "spout/e f#1%.js.map"), "utf8")).sources).toEqual(["../sp/e f%231%25.js"]);
    const ran = spawnSync(process.execPath, ["--enable-source-maps", "spout/e f#1%.js"], { cwd: dir, encoding: "utf8" });
    expect(ran.stdout).toContain(`(${join(dir, "sp/e f#1%.js")}:3:9)`);
  });

  it("an input map comment whose map cannot be read is one warning line; the output maps to the input itself", () => {
    const code = "async function f() {\n  await 1;\n}\n";
    const dir = ws({ "gone.js": `${code}//# sourceMappingURL=gone.js.map\n`, "bad.js": `${code}//# sourceMappingURL=bad.js.map\n`, "bad.js.map": "{nope", "garbled.js": `${code}//# sourceMappingURL=data:application/json;base64,AAAA\n` });
    const cases: [string, string][] = [
      ["gone.js", "gone.js:4:1: warning: its source map gone.js.map is not used (no such file): the output's map goes back to gone.js itself\n"],
      ["bad.js", "bad.js:4:1: warning: its source map bad.js.map is not used (not JSON): the output's map goes back to bad.js itself\n"],
      ["garbled.js", "garbled.js:4:1: warning: its inline source map is not used (not base64-encoded JSON): the output's map goes back to garbled.js itself\n"],
    ];
    for (const [file, warning] of cases) {
      expect(stepwise(["build", file, "-o", `out/${file}`, "-s", "-q", "--runtime", "inline"], { cwd: dir })).toMatchObject({ code: 0, stderr: warning });
      expect(JSON.parse(readFileSync(join(dir, `out/${file}.map`), "utf8")).sources).toEqual([`../${file}`]);
    }
    // (without maps asked for, the input's map does not matter)
    expect(stepwise(["build", "gone.js", "-o", "out/plain.js", "-q", "--runtime", "inline"], { cwd: dir })).toMatchObject({ code: 0, stderr: "" });
  });

  it("--extensions and --ignore choose the files of a directory", () => {
    const dir = ws({ "src/a.js": ASYNC, "src/b.ts": TS, "src/c.test.js": ASYNC, "src/skip/d.js": ASYNC });
    const result = stepwise(["build", "src", "-d", "out", "--extensions", ".js", "--ignore", "*.test.js", "--ignore", "src/skip/**"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(readdirSync(join(dir, "out"), { recursive: true })).toEqual(["a.js"]);
  });

  it("--runtime and --runtime-module choose how the output reaches the runtime", () => {
    const dir = ws({ "a.mjs": "export async function f() { await 1; }\n" });
    const result = stepwise(["build", "a.mjs", "--runtime-module", "my-runtime"], { cwd: dir });
    expect(result.stdout).toMatch(/^import \{ AsyncMachine, runAsyncOnce, defineAsyncFunction \} from "my-runtime";/);
    expect(stepwise(["build", "a.mjs", "--runtime", "require"], { cwd: dir }).stdout).toMatch(/require\("@stepwise\/runtime"\)/);
  });

  it("--mode promise is the default; --mode loop lowers for the event loop (@stepwise/runtime/loop)", () => {
    const dir = ws({ "a.js": ASYNC });
    expect(stepwise(["build", "a.js", "--mode", "promise"], { cwd: dir }).stdout).toContain('require("@stepwise/runtime")');
    const loop = stepwise(["build", "a.js", "--mode", "loop"], { cwd: dir });
    expect(loop.code).toBe(0);
    expect(loop.stdout).toContain('require("@stepwise/runtime/loop")');
    expect(stepwise(["build", "a.js", "--mode", "fast"], { cwd: dir }).stderr).toBe('stepwise build: --mode must be "promise" or "loop", got "fast"\n');
  });

  it("a syntax error prints file:line:col with a code frame, exits 1, and writes nothing for that file", () => {
    const dir = ws({ "src/a.js": ASYNC, "src/b.js": BAD, "src/c.js": ASYNC });
    const result = stepwise(["build", "src", "-d", "out"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("src/b.js:2:13: syntax error: Unexpected token\n");
    expect(result.stderr).toContain("> 2 |   await (1 +;");
    expect(result.stderr).toMatch(/built 2 files \(2 machines, 4 states\) in \d+ ms, 1 file failed\n/);
    expect(readdirSync(join(dir, "out")).sort()).toEqual(["a.js", "c.js"]);
  });

  it("an error of the TypeScript preset, which reads the lowered code, is at its line and column in the source", () => {
    // (the lowered code has the machine's class above the import: 40 lines further down)
    // (in an ES module, where TypeScript's CommonJS syntax has no meaning)
    const dir = ws({ "esm.mts": 'async function f() { await 1; return fs.sep; }\nimport fs = require("fs");\nf();\nexport {};\n' });
    const result = stepwise(["build", "esm.mts", "-o", "out.mjs"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr.split("\n")[0]).toBe("esm.mts:2:1: error: `import fs = require(...);` is only supported when compiling modules to CommonJS.");
    expect(result.stderr).toContain('> 2 | import fs = require("fs");');
  });

  it("a TypeScript wrapper around an update's target (`(x as number)--`) is erased, and the output reads again", () => {
    const dir = ws({ "upd.ts": "async function f() {\n  let x: any = 1;\n  await null;\n  (x as number)--;\n  return x;\n}\nf().then(console.log);\n" });
    const result = stepwise(["build", "upd.ts", "-o", "out.js"], { cwd: dir });
    expect(result.stderr).not.toContain("error");
    expect(result.code).toBe(0);
    expect(readFileSync(join(dir, "out.js"), "utf8")).toContain("this.x--;");
  });

  it("a failed rebuild leaves the earlier output intact and no temporary file", () => {
    const dir = ws({ "src/a.js": ASYNC });
    expect(stepwise(["build", "src", "-d", "out", "-q"], { cwd: dir }).code).toBe(0);
    const before = readFileSync(join(dir, "out/a.js"), "utf8");
    writeFileSync(join(dir, "src/a.js"), BAD);
    expect(stepwise(["build", "src", "-d", "out", "-q"], { cwd: dir }).code).toBe(1);
    expect(readFileSync(join(dir, "out/a.js"), "utf8")).toBe(before);
    expect(readdirSync(join(dir, "out"))).toEqual(["a.js"]);
  });

  it.skipIf(UNPRIVILEGED === null)("an unwritable output exits 3 with one line, leaving no partial file", () => {
    const dir = openToOthers(ws({ "a.js": ASYNC, "out/keep": "" }));
    chmodSync(join(dir, "out"), 0o555);
    const result = stepwise(["build", "a.js", "-d", "out"], { cwd: dir, as: UNPRIVILEGED });
    chmodSync(join(dir, "out"), 0o700);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^stepwise build: cannot write out\/a\.js: permission denied/);
  });

  it("refuses to write over an input or into an input directory unless --overwrite", () => {
    const dir = ws({ "src/a.js": ASYNC, "b.js": ASYNC });
    const over = stepwise(["build", "b.js", "-o", "b.js"], { cwd: dir });
    expect(over).toMatchObject({ code: 2, stderr: "stepwise build: refusing to write over the input b.js (pass --overwrite to allow it)\n" });
    const into = stepwise(["build", "src", "-d", "src/out"], { cwd: dir });
    expect(into).toMatchObject({ code: 2, stderr: "stepwise build: refusing to write into the input directory src (pass --overwrite to allow it)\n" });
    const beside = stepwise(["build", "src/a.js", "-d", "src"], { cwd: dir });
    expect(beside.code).toBe(2);
    expect(readFileSync(join(dir, "b.js"), "utf8")).toBe(ASYNC);
    expect(stepwise(["build", "b.js", "-o", "b.js", "--overwrite", "-q"], { cwd: dir }).code).toBe(0);
    expect(readFileSync(join(dir, "b.js"), "utf8")).toContain("class F extends AsyncMachine");
    expect(stepwise(["build", "src", "-d", "src/out", "--overwrite", "-q"], { cwd: dir }).code).toBe(0);
    expect(existsSync(join(dir, "src/out/a.js"))).toBe(true);
  });

  it("bad command lines get one clear line each and exit 2; missing inputs exit 3", () => {
    const dir = ws({ "a.js": ASYNC, "src/b.js": ASYNC });
    const cases: [string[], number, string][] = [
      [["build", "--frob"], 2, "stepwise build: unknown option --frob (see stepwise build --help)\n"],
      [["build", "a.js", "-d"], 2, "stepwise build: option --out-dir needs a value (see stepwise build --help)\n"],
      [["build", "missing.js", "-d", "out"], 3, "stepwise build: no such file or directory: missing.js\n"],
      [["build", "a.js", "-d", "out", "-o", "x.js"], 2, "stepwise build: give either --out-dir or --out-file, not both\n"],
      [["build", "src"], 2, "stepwise build: src is a directory: give --out-dir\n"],
      [["build", "src", "-o", "x.js"], 2, "stepwise build: --out-file takes one input file; src is a directory (use --out-dir)\n"],
      [["build", "a.js", "src/b.js"], 2, "stepwise build: several inputs need --out-dir\n"],
      [["build", "a.js", "--watch"], 2, "stepwise build: --watch needs --out-dir or --out-file\n"],
      [["build", "a.js", "--watch", "-o", "-"], 2, "stepwise build: --watch needs --out-dir or --out-file (a file, not stdout)\n"],
      [["build", "src", "--copy-files", "--no-copy-ignored"], 2, "stepwise build: --copy-files needs --out-dir\n"],
      [["build", "a.js", "--no-copy-ignored"], 2, "stepwise build: --no-copy-ignored needs --out-dir\n"],
      [["build", "a.js", "--source-maps=sometimes"], 2, 'stepwise build: --source-maps must be "inline", "true" or "both", got "sometimes"\n'],
      [["build", "a.js", "--runtime", "fetch"], 2, 'stepwise build: --runtime must be "import", "require" or "inline", got "fetch"\n'],
      [["build", "a.js", "-x", "*.js"], 2, 'stepwise build: --extensions takes extensions like .js,.ts or js,ts, got "*.js"\n'],
      [["build", "src", "-d", "out", "-x", ""], 2, "stepwise build: --extensions takes extensions like .js,.ts or js,ts, got none\n"],
      [["build", "src", "-d", "out", "--extensions=js,,ts"], 2, 'stepwise build: --extensions takes extensions like .js,.ts or js,ts, got an empty one in "js,,ts"\n'],
      [["build", "src", "-d", "out", "-x", "js,"], 2, 'stepwise build: --extensions takes extensions like .js,.ts or js,ts, got an empty one in "js,"\n'],
      [["build", "a.js", "--filename", "x.ts"], 2, "stepwise build: --filename names stdin's code; it cannot be used with input files\n"],
      [["build", "-d", "out"], 2, "stepwise build: --out-dir needs input files or directories\n"],
      [["frob"], 2, 'stepwise: unknown command "frob" (commands: build, inspect, run, explore)\n'],
      [["--frob"], 2, "stepwise: unknown option --frob (see stepwise --help)\n"],
    ];
    for (const [args, code, stderr] of cases) {
      const result = stepwise(args, { cwd: dir });
      expect({ args, code: result.code, stderr: result.stderr }).toEqual({ args, code, stderr });
    }
  });

  it("an output path that cannot be created exits 3 with one line", () => {
    const dir = ws({ "a.js": ASYNC, "file": "" });
    const result = stepwise(["build", "a.js", "-o", "file/a.js"], { cwd: dir });
    expect(result).toMatchObject({ code: 3, stderr: "stepwise build: --out-file: not a directory: file\n" });
    expect(stepwise(["build", "a.js", "-d", "file"], { cwd: dir })).toMatchObject({ code: 3, stderr: "stepwise build: --out-dir: not a directory: file\n" });
    // (the file in the way is named, not the folder below it)
    expect(stepwise(["build", "a.js", "-d", "file/sub/deeper"], { cwd: dir })).toMatchObject({ code: 3, stderr: "stepwise build: --out-dir: not a directory: file\n" });
    expect(stepwise(["build", "a.js", "-o", "."], { cwd: dir })).toMatchObject({ code: 3, stderr: "stepwise build: --out-file: is a directory: .\n" });
  });

  it("an input that cannot be read (a dangling link) exits 3 with one line; the other files are built", () => {
    const dir = ws({ "src/a.js": ASYNC });
    symlinkSync(join(dir, "src/nowhere.js"), join(dir, "src/link.js"));
    const result = stepwise(["build", "src", "-d", "out"], { cwd: dir });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^stepwise build: no such file or directory: src\/link\.js\nstepwise build: built 1 file/);
    expect(readdirSync(join(dir, "out"))).toEqual(["a.js"]);
  });

  it.skipIf(UNPRIVILEGED === null)("an unreadable input exits 3 with one line", () => {
    const dir = openToOthers(ws({ "a.js": ASYNC }));
    chmodSync(join(dir, "a.js"), 0);
    const result = stepwise(["build", "a.js"], { cwd: dir, as: UNPRIVILEGED });
    expect(result).toMatchObject({ code: 3, stderr: "stepwise build: permission denied: a.js\n" });
  });

  it("--watch rebuilds a changed file and a new one, and stops on SIGTERM", async () => {
    const dir = ws({ "src/a.js": ASYNC });
    const { child, exited, until, stderr } = watching(dir, ["src", "-d", "out"]);
    try {
      await until(() => stderr().includes("watching for changes"), "the watcher");
      expect(readFileSync(join(dir, "out/a.js"), "utf8")).toContain("class F");
      writeFileSync(join(dir, "src/a.js"), "async function changed() { await 1; }\n");
      await until(() => readFileSync(join(dir, "out/a.js"), "utf8").includes("class Changed"), "the rebuild");
      mkdirSync(join(dir, "src/new"));
      writeFileSync(join(dir, "src/new/b.ts"), "async function added(x: number) { await x; }\n");
      await until(() => existsSync(join(dir, "out/new/b.js")), "the new file");
      expect(stderr()).toMatch(/stepwise build: rebuilt src\/a\.js -> out\/a\.js \(2 states\) in \d+ ms/);
      writeFileSync(join(dir, "src/a.js"), BAD);
      await until(() => stderr().includes("src/a.js:2:13: syntax error"), "the error");
      expect(readFileSync(join(dir, "out/a.js"), "utf8")).toContain("class Changed");
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  });

  it("--watch rebuilds the files of dependencies it was given (an input inside node_modules), their own node_modules too", async () => {
    const dir = ws({ "node_modules/pkg/index.js": ASYNC, "node_modules/pkg/node_modules/inner/index.js": ASYNC });
    const { child, exited, until, stderr } = watching(dir, ["node_modules/pkg", "-d", "out", "--runtime", "inline"]);
    try {
      await until(() => stderr().includes("watching for changes"), "the watcher");
      writeFileSync(join(dir, "node_modules/pkg/index.js"), "async function changed() { await 1; }\n");
      await until(() => readFileSync(join(dir, "out/index.js"), "utf8").includes("class Changed"), "the rebuild");
      writeFileSync(join(dir, "node_modules/pkg/node_modules/inner/index.js"), "async function inner() { await 1; }\n");
      await until(() => readFileSync(join(dir, "out/node_modules/inner/index.js"), "utf8").includes("class Inner"), "the nested rebuild");
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  });

  it("--help, --version", () => {
    expect(stepwise(["build", "--help"]).stdout).toMatch(/^Usage: stepwise build/);
    expect(stepwise(["--help"]).stdout).toMatch(/^Usage: stepwise <command>/);
    expect(stepwise([]).code).toBe(2);
    expect(stepwise(["--version"]).stdout).toMatch(/^stepwise \d+\.\d+\.\d+ \(@babel\/core 7\.\d+\.\d+\)\n$/);
  });

  it("shows a progress line on a terminal when building several files", () => {
    const hasScript = spawnSync("script", ["--version"]).status === 0;
    if (!hasScript) return;
    const dir = ws({ "src/a.js": ASYNC, "src/b.js": ASYNC, "src/c.js": ASYNC });
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(join(import.meta.dirname, "../../dist/cli/main.js"))} build src -d out`;
    const tty = spawnSync("script", ["-qec", command, "/dev/null"], { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(tty.stdout).toContain("[1/3] src/a.js");
    expect(tty.stdout).toContain("[3/3] src/c.js");
    expect(tty.stdout).toMatch(/built 3 files/);
  });
});
