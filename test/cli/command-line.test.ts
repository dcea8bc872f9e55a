// The command line as users of other CLIs expect it, through the real bin: "-" for stdin, clustered
// short flags, "did you mean", --version, --root-dir, up-front checks of output paths, and the error
// paths of `run` (trace folders, unreadable programs, Ctrl-C with a picture trace) and internal errors.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NODE24 } from "../support/node24.ts";
import { ASYNC, bin, node, openToOthers, root, stepwise, UNPRIVILEGED, workspaces } from "./helpers.ts";

const ws = workspaces();


describe("the command line", () => {
  it('"-" is stdin for build and inspect; inspect reads piped stdin with no file', () => {
    const built = stepwise(["build", "-", "--runtime", "inline"], { input: ASYNC });
    expect(built.code).toBe(0);
    expect(built.stdout).toContain("class F extends AsyncMachine");
    const inspected = stepwise(["inspect", "-", "-f", "mermaid", "--filename", "q.ts"], { input: "async function q(a: number) { await a; }\n" });
    expect(inspected.code).toBe(0);
    expect(inspected.stdout).toContain('async function q — q.ts:1');
    const piped = JSON.parse(stepwise(["inspect"], { input: ASYNC }).stdout);
    expect(piped).toMatchObject({ file: "stdin.js", functions: [{ name: "f" }] });
    expect(stepwise(["build", "-", "a.js"], { input: ASYNC })).toMatchObject({ code: 2, stderr: "stepwise build: - (stdin) cannot be combined with other inputs\n" });
  });

  it("a function left native (direct eval) is said once on stderr, as file:line:col: warning: ...; the build succeeds", () => {
    const dir = ws({ "e.js": 'async function g(x) {\n  await x;\n  return eval("x");\n}\n' });
    const result = stepwise(["build", "e.js", "-o", "out.js", "-q"], { cwd: dir });
    expect(result).toMatchObject({
      code: 0,
      stderr:
        "e.js:1:1: warning: async function g is left native: it calls eval directly (line 3), which could reach the variables a machine keeps in fields; a /* stepwise-native */ comment before it keeps it native without this warning\n",
    });
  });

  it("short flags cluster (-qs, -sq), and a flag with an optional value never swallows a file name", () => {
    const dir = ws({ "a.js": ASYNC });
    for (const cluster of ["-qs", "-sq"]) {
      const result = stepwise(["build", cluster, "a.js", "-d", `out${cluster}`, "--runtime", "inline"], { cwd: dir });
      expect({ cluster, code: result.code, stderr: result.stderr }).toEqual({ cluster, code: 0, stderr: "" });
      expect(existsSync(join(dir, `out${cluster}/a.js.map`))).toBe(true);
    }
    const valued = stepwise(["build", "a.js", "-qdout2", "--runtime", "inline"], { cwd: dir });
    expect(valued).toMatchObject({ code: 0, stderr: "" });
    expect(readdirSync(join(dir, "out2"))).toEqual(["a.js"]);
    expect(stepwise(["build", "-qz", "a.js"], { cwd: dir })).toMatchObject({ code: 2, stderr: "stepwise build: unknown option -z (see stepwise build --help)\n" });
  });

  it('typos get "did you mean"; --version names stepwise and Babel', () => {
    const cases: [string[], string][] = [
      [["buidl"], 'stepwise: unknown command "buidl" (did you mean build?) (commands: build, inspect, run, explore)\n'],
      [["inpsect"], 'stepwise: unknown command "inpsect" (did you mean inspect?) (commands: build, inspect, run, explore)\n'],
      [["--verison"], "stepwise: unknown option --verison (did you mean --version?) (see stepwise --help)\n"],
      [["build", "--out-dri", "x"], "stepwise build: unknown option --out-dri (did you mean --out-dir?) (see stepwise build --help)\n"],
      [["build", "--copyfiles"], "stepwise build: unknown option --copyfiles (did you mean --copy-files?) (see stepwise build --help)\n"],
      [["run", "--trace-fle", "x"], "stepwise run: unknown option --trace-fle (did you mean --trace-file?) (see stepwise run --help)\n"],
      [["run", "--inpsect", "x"], "stepwise run: unknown option --inpsect (did you mean --inspect?) (see stepwise run --help)\n"],
      [["build", "--zzzzzz"], "stepwise build: unknown option --zzzzzz (see stepwise build --help)\n"],
    ];
    for (const [args, stderr] of cases) {
      const result = stepwise(args);
      expect({ args, code: result.code, stderr: result.stderr }).toEqual({ args, code: 2, stderr });
    }
    for (const flag of ["-v", "-V"]) expect(stepwise([flag]).stdout).toMatch(/^stepwise \d+\.\d+\.\d+ \(@babel\/core 7\.\d+\.\d+\)\n$/);
  });

  it("--root-dir keeps each input folder's name when several go into one -d", () => {
    const dir = ws({ "lib/context.js": ASYNC, "test/context.js": ASYNC });
    const refused = stepwise(["build", "lib", "test", "-d", "out"], { cwd: dir });
    expect(refused).toMatchObject({ code: 2, stderr: "stepwise build: lib/context.js and test/context.js would both write out/context.js (--root-dir . keeps each input's path under the current directory)\n" });
    expect(stepwise(["build", "lib", "test", "-d", "out", "--root-dir", ".", "-q", "--runtime", "inline"], { cwd: dir }).code).toBe(0);
    expect(readdirSync(join(dir, "out"), { recursive: true }).sort()).toEqual(["lib", "lib/context.js", "test", "test/context.js"]);
    expect(stepwise(["build", "lib", "test", "-d", "out", "--root-dir", "lib"], { cwd: dir })).toMatchObject({ code: 2, stderr: "stepwise build: test is not inside --root-dir lib\n" });
    expect(stepwise(["build", "lib", "--root-dir", "."], { cwd: dir })).toMatchObject({ code: 2, stderr: "stepwise build: --root-dir needs --out-dir\n" });
  });

  it("two inputs of one folder whose names differ only in the extension (a.ts, a.js) get a hint that fits: --root-dir cannot tell them apart", () => {
    const dir = ws({ "col/a.ts": ASYNC, "col/a.js": ASYNC, "lib/a.js": ASYNC });
    const same = "stepwise build: col/a.js and col/a.ts would both write colout/a.js (their names differ only in the extension: rename one, or leave one out with --ignore)\n";
    expect(stepwise(["build", "col", "-d", "colout"], { cwd: dir })).toMatchObject({ code: 2, stderr: same });
    expect(stepwise(["build", "col/a.ts", "col/a.js", "-d", "colout"], { cwd: dir })).toMatchObject({ code: 2, stderr: "stepwise build: col/a.ts and col/a.js would both write colout/a.js (their names differ only in the extension: rename one, or leave one out with --ignore)\n" });
    expect(stepwise(["build", "col", "-d", "colout", "--root-dir", "."], { cwd: dir })).toMatchObject({ code: 2, stderr: same.replace(/colout\/a\.js/, "colout/col/a.js") });
    expect(stepwise(["build", "col", "-d", "colout", "--out-file-extension", ".mjs"], { cwd: dir })).toMatchObject({ code: 2, stderr: same.replace(/colout\/a\.js/, "colout/a.mjs") });
    // (where the folders differ, --root-dir is the fix)
    expect(stepwise(["build", "lib", "col/a.js", "-d", "out"], { cwd: dir }).stderr).toBe("stepwise build: lib/a.js and col/a.js would both write out/a.js (--root-dir . keeps each input's path under the current directory)\n");
    expect(stepwise(["build", "col", "-d", "colout", "--ignore", "col/a.js", "-q", "--runtime", "inline"], { cwd: dir }).code).toBe(0);
  });

  it("on Node 22.1 and later a build keeps the code V8 compiles in Node's compile cache (under TMPDIR); NODE_DISABLE_COMPILE_CACHE=1 turns it off", () => {
    const dir = ws({ "a.js": ASYNC, "tmp-on/.keep": "", "tmp-off/.keep": "" });
    const build = (tmp: string, extra: Record<string, string | undefined>) =>
      spawnSync(NODE24, [bin, "build", "a.js", "--runtime", "inline"], { cwd: dir, encoding: "utf8", env: { ...process.env, NODE_COMPILE_CACHE: undefined, TMPDIR: join(dir, tmp), ...extra } });
    const on = build("tmp-on", {});
    expect({ code: on.status, stdout: on.stdout }).toMatchObject({ code: 0, stdout: expect.stringContaining("class") });
    expect(readdirSync(join(dir, "tmp-on"))).toContain("node-compile-cache");
    expect(build("tmp-off", { NODE_DISABLE_COMPILE_CACHE: "1" }).status).toBe(0);
    expect(readdirSync(join(dir, "tmp-off"))).toEqual([".keep"]);
  });

  it("an internal error is one line asking for a report, exit 70", () => {
    // A plugin that throws a number: Babel itself fails on it (not an error of the input).
    const dir = ws({ "a.js": "let a = 1;\n", "throw.cjs": "module.exports = () => ({ visitor: { Program() { throw 42; } } });\n", "babel.config.json": '{ "plugins": ["./throw.cjs"] }' });
    const result = stepwise(["build", "a.js"], { cwd: dir });
    expect(result.code).toBe(70);
    expect(result.stderr.split("\n")[0]).toMatch(/^stepwise build: internal error: .+ \(a bug in stepwise: please report it with the command and its input; STEPWISE_DEBUG=1 prints the stack\)$/);
    expect(stepwise(["build", "a.js"], { cwd: dir, env: { STEPWISE_DEBUG: "1" } }).stderr).toMatch(/\n    at /);
    for (const command of ["inspect", "run", "explore"]) {
      const other = stepwise([command, "a.js"], { cwd: dir });
      expect({ command, code: other.code, stdout: other.stdout }).toEqual({ command, code: 70, stdout: "" });
      expect(other.stderr).toMatch(new RegExp(`^stepwise ${command}: internal error: .+ \\(a bug in stepwise: please report it with the command and its input; STEPWISE_DEBUG=1 prints the stack\\)\n$`));
    }
  });
});

describe("docs/cli.md", () => {
  it("documents every long option each command's --help lists", () => {
    const docs = readFileSync(join(root, "docs/cli.md"), "utf8");
    for (const command of ["build", "inspect", "run"]) {
      const help = stepwise([command, "--help"]).stdout;
      const options = [...new Set(help.match(/--[a-z][\w-]*/g))].filter((option) => option !== "--help");
      expect(options.length).toBeGreaterThan(2);
      // (a sanity check of the pattern: a made-up option is not found)
      expect(new RegExp(`[\\s\`/,]--no-such-flag(?![\\w-])`).test(docs)).toBe(false);
      expect({ command, missing: options.filter((option) => !new RegExp(`[\\s\`/,]${option}(?![\\w-])`).test(docs)) }).toEqual({ command, missing: [] });
    }
  });
});

describe("stepwise run error paths", () => {
  it("--trace-file into a missing folder makes it; a file in the way refuses before running", () => {
    const dir = ws({ "main.js": 'console.log("ran");\n', file: "" });
    const made = stepwise(["run", "--trace=json", "--trace-file", "new/dir/t.jsonl", "main.js"], { cwd: dir });
    expect(made).toMatchObject({ code: 0, stdout: "ran\n" });
    expect(readFileSync(join(dir, "new/dir/t.jsonl"), "utf8")).toContain('"type":"start"');
    const refused = stepwise(["run", "--trace=html", "--trace-file", "file/t.html", "main.js"], { cwd: dir });
    expect(refused).toMatchObject({ code: 3, stdout: "", stderr: "stepwise run: --trace-file: not a directory: file\n" });
    expect(stepwise(["run", "--trace=svg", "--trace-file", ".", "main.js"], { cwd: dir })).toMatchObject({ code: 3, stdout: "", stderr: "stepwise run: --trace-file: is a directory: .\n" });
  });

  it("-e, -p and stdin run code as node -e, -p and - do: lowered, named [eval] or [stdin], with the program's arguments, its format told by its syntax or --input-type; --trace traces it", () => {
    const dir = ws({ "helper.cjs": "exports.twice = async (x) => 2 * (await x);\n" });
    const code = 'async function f(x) { await null; return require("./helper.cjs").twice(x); }\nf(21).then((v) => console.log(v, typeof f, __filename, process.argv.slice(1)));\n';
    const natively = spawnSync(node, ["-e", code, "a", "--b"], { cwd: dir, encoding: "utf8" });
    expect(natively.stdout).toBe("42 function [eval] [ 'a', '--b' ]\n");
    expect(stepwise(["run", "-e", code, "a", "--b"], { cwd: dir })).toMatchObject({ code: 0, stdout: natively.stdout, stderr: "" });
    expect(stepwise(["run", "--eval", code, "--", "a", "--b"], { cwd: dir })).toMatchObject({ code: 0, stdout: natively.stdout });
    // (-p prints the value; `-pe`, `-p -e` alike; an async function without an await settles at once)
    const printed = "async function f() { return 1; }\nf();\n";
    expect(spawnSync(node, ["-p", printed], { encoding: "utf8" }).stdout).toBe("Promise { 1 }\n");
    for (const flags of [["-p", printed], ["-pe", printed], ["-p", "-e", printed], ["--print", printed]]) expect(stepwise(["run", ...flags], { cwd: dir }), flags.join(" ")).toMatchObject({ code: 0, stdout: "Promise { 1 }\n" });
    // (stdin: "-", or no file with stdin not a terminal; an ES module by its syntax, as Node tells it)
    const piped = 'async function* g() { yield 1; yield 2; }\nfor await (const x of g()) console.log(x, typeof require, import.meta.url.endsWith("/[eval1]"));\n';
    const pipedNatively = spawnSync(node, ["-"], { cwd: dir, input: piped, encoding: "utf8" }).stdout;
    expect(pipedNatively).toBe("1 undefined true\n2 undefined true\n");
    expect(stepwise(["run", "-"], { cwd: dir, input: piped })).toMatchObject({ code: 0, stdout: pipedNatively, stderr: "" });
    expect(stepwise(["run"], { cwd: dir, input: piped })).toMatchObject({ code: 0, stdout: pipedNatively });
    expect(stepwise(["run", "-", "x"], { cwd: dir, input: "console.log(__filename, process.argv.slice(1));\n" })).toMatchObject({ code: 0, stdout: "[stdin] [ '-', 'x' ]\n" });
    // (its functions are lowered: the trace sees them)
    const traced = stepwise(["run", "--trace", "-e", "async function f() { await 1; return 2; }\nf().then(console.log);\n"], { cwd: dir });
    expect(traced).toMatchObject({ code: 0, stdout: "2\n" });
    expect(traced.stderr).toContain("tracing [eval]");
    expect(traced.stderr).toContain("f#1 starts in state 0 ([eval]:1)");
    // (an error: as Node reports it, its position the lowered code's)
    const failed = stepwise(["run", "-e", 'async function f() { await 1; throw new Error("boom"); }\nf();\n'], { cwd: dir });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^\[eval\]:\d+\n.*throw new Error\("boom"\);\n[\s\S]*\nError: boom\n    at f \(\[eval\]:\d+:\d+\)\n/);
    const cases: [string[], string][] = [
      [["run", "-p"], "stepwise run: option -p needs the code to run (see stepwise run --help)\n"],
      [["run", "-e"], "stepwise run: option -e needs a value (see stepwise run --help)\n"],
      [["run", "--input-type=module-typescript", "-e", "1"], "stepwise run: --input-type=module-typescript is not supported (module or commonjs: TypeScript code runs from its file)\n"],
    ];
    for (const [args, stderr] of cases) expect(stepwise(args, { cwd: dir }), args.join(" ")).toMatchObject({ code: 2, stdout: "", stderr });
    // (a syntax error: one line and a frame, exit 1)
    expect(stepwise(["run", "-e", "await ("], { cwd: dir })).toMatchObject({ code: 1, stdout: "" });
  });

  it.runIf(existsSync("/usr/bin/script"))("run and explore with no program and stdin a terminal say what to give, exit 2", () => {
    for (const [command, message] of [
      ["run", "stepwise run: no program to run (usage: stepwise run [options] <file> [args...], -e CODE, or code on stdin)"],
      ["explore", "stepwise explore: no program to explore (usage: stepwise explore [options] <file> [args...], -e CODE, or code on stdin)"],
    ]) {
      // (script gives the command a terminal)
      const result = spawnSync("/usr/bin/script", ["-qec", `${node} ${bin} ${command}`, "/dev/null"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      expect(result.stdout.replace(/\r/g, ""), command).toBe(`${message}\n`);
      expect(result.status, command).toBe(2);
    }
  });

  it.skipIf(UNPRIVILEGED === null)("an unreadable program exits 3 with one line (so does an unreadable file for inspect and explore)", () => {
    const dir = openToOthers(ws({ "main.js": 'console.log("ran");\n' }));
    chmodSync(join(dir, "main.js"), 0);
    for (const command of ["run", "inspect", "explore"]) {
      expect(stepwise([command, "main.js"], { cwd: dir, as: UNPRIVILEGED })).toMatchObject({ code: 3, stdout: "", stderr: `stepwise ${command}: permission denied: main.js\n` });
    }
  });

  /** The bin started in `dir`, its output gathered as it comes; `until(text)` waits for a line of it. */
  function started(args: string[], dir: string) {
    const child = spawn(node, [bin, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: "1" }, stdio: ["pipe", "pipe", "pipe"] });
    const out = { stdout: "", stderr: "" };
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out.stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (out.stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const until = async (seen: () => boolean) => {
      for (const at = Date.now(); !seen(); await new Promise((r) => setTimeout(r, 50))) {
        if (Date.now() - at > 20_000) throw new Error(`timed out; stderr: ${out.stderr}`);
      }
    };
    return { child, out, exited, until };
  }

  it("Ctrl-C during run --trace=svg writes the trace recorded so far and says so", async () => {
    const dir = ws({ "main.js": 'async function tick() { await null; }\nsetInterval(tick, 5);\ntick().then(() => console.log("ready"));\n' });
    const { child, out, exited, until } = started(["run", "--trace=svg", "main.js"], dir);
    await until(() => out.stdout.includes("ready"));
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    expect(out.stderr).toBe("stepwise run: interrupted; the trace so far written to stepwise-trace.svg\n");
    expect(readFileSync(join(dir, "stepwise-trace.svg"), "utf8")).toMatch(/^<svg|<\?xml/);
  });

  it("a traced program busy in a loop that never yields: a second SIGINT kills it, and the page or picture shows what it did", async () => {
    const dir = ws({ "spin.js": 'async function spin() { await null; console.log("spinning"); for (;;) {} }\nspin();\n' });
    for (const command of [["run", "--trace=svg", "spin.js"], ["explore", "spin.js", "-o", "spin.html"]]) {
      const { child, out, exited, until } = started(command, dir);
      await until(() => out.stdout.includes("spinning"));
      child.kill("SIGINT");
      // (the program's handler never runs: after a second, stepwise says so, and a second SIGINT kills it)
      await until(() => out.stderr.includes("has not ended"));
      expect(out.stderr).toBe(`stepwise ${command[0]}: the program has not ended on SIGINT (busy in a loop that never yields?); Ctrl-C again kills it\n`);
      child.kill("SIGINT");
      const code = await exited;
      if (command[0] === "run") {
        expect(code).toBe(130);
        expect(out.stderr).toContain("stepwise run: the program was killed (exit code 130); the trace so far written to stepwise-trace.svg\n");
      } else {
        expect(code).toBe(0);
        expect(out.stderr).toContain("stepwise explore: the program was killed (exit code 130); exploring what it did\n");
        expect(readFileSync(join(dir, "spin.html"), "utf8")).toMatch(/^<!doctype html>/);
      }
    }
  });

  it("the text trace's summary gets its plurals right", () => {
    const dir = ws({ "main.js": "async function f() {}\nf();\n" });
    const result = stepwise(["run", "--trace", "main.js"], { cwd: dir });
    expect(result.stderr).toContain("stepwise run: 1 step of 1 call in 1 macrotask; exit code 0\n");
  });
});
