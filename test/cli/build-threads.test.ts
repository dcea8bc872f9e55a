// `stepwise build` on worker threads (--jobs), and code nested deeper than the main thread's stack allows:
// generated programs that Node runs natively, built and run, their output compared with the native run.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { transform } from "../../src/transform/index.ts";
import { ASYNC, bin, workspaces } from "./helpers.ts";

const ws = workspaces();

/** Deep programs Node runs natively (each prints one line). */
export const DEEP = {
  /** 2,000 nested blocks, an await at the bottom. */
  "blocks.js": `async function f(b) { let x = 0; ${"{ x += 1; ".repeat(2000)} x += await b; ${"}".repeat(2000)} return x; }\nf(Promise.resolve(2)).then((v) => console.log("blocks", v));\n`,
  /** `a + await b + a + ...`, 5,000 terms. */
  "sum.js": `const a = 1, b = Promise.resolve(2);\nasync function f() { return a${" + await b + a".repeat(2500)}; }\nf().then((v) => console.log("sum", v));\n`,
  /** 3,000 branches of `else if`, each awaiting. */
  "elseif.js": `async function f(k, b) { let r = 0; if (k === -1) r = -1; ${Array.from({ length: 3000 }, (_, i) => `else if (k === ${i}) r = ${i} + await b;`).join(" ")} return r; }\nPromise.all([f(0, 1), f(2999, 2), f(3000, 3)]).then((v) => console.log("elseif", v.join()));\n`,
  /** A 5,000-case switch whose cases await. */
  "switch.js": `async function f(k, b) { let r = 0; switch (k) { ${Array.from({ length: 5000 }, (_, i) => `case ${i}: r += await b; break;`).join(" ")} default: r = -1; } return r; }\nPromise.all([f(0, 1), f(4999, 2), f(5000, 3)]).then((v) => console.log("switch", v.join()));\n`,
};

function run(args: string[], cwd: string, timeout = 240_000) {
  const result = spawnSync(process.execPath, args, { cwd, encoding: "utf8", timeout, env: { ...process.env, NO_COLOR: "1" } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("stepwise build on threads", () => {
  it("--jobs N writes what one thread writes, with the same messages in the same order", () => {
    const files: Record<string, string> = { "bad.js": "async function g() {\n  await (1 +;\n}\n", "evil.js": "async function e() { eval('1'); await 1; }\n", "plain.js": "export const x = 1;\n" };
    for (let i = 0; i < 8; i++) files[`m${i}.js`] = ASYNC.replace(/f\b/g, `f${i}`);
    const dir = ws(Object.fromEntries(Object.entries(files).map(([name, text]) => [`src/${name}`, text])));
    const one = run([bin, "build", "src", "-d", "out1", "--jobs", "1", "--runtime", "inline"], dir);
    const three = run([bin, "build", "src", "-d", "out3", "-j", "3", "--runtime", "inline"], dir);
    expect(one.code).toBe(1);
    expect(three.code).toBe(1);
    const messages = (text: string) => text.replace(/ in \d+ ms/, "");
    expect(messages(three.stderr)).toBe(messages(one.stderr));
    expect(one.stderr).toMatch(/bad\.js:2:\d+: syntax error/);
    expect(one.stderr).toMatch(/evil\.js:1:1: warning: async function e is left native/);
    const outputs = (out: string) => readdirSync(join(dir, out)).sort().map((name) => [name, readFileSync(join(dir, out, name), "utf8")]);
    expect(outputs("out3")).toEqual(outputs("out1"));
    expect(outputs("out1").map(([name]) => name)).not.toContain("bad.js");
  }, 240_000);

  it("--jobs takes a positive whole number", () => {
    const dir = ws({ "a.js": ASYNC });
    for (const bad of ["0", "-1", "two", "1.5"]) {
      const result = run([bin, "build", "a.js", `--jobs=${bad}`], dir);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(`stepwise build: --jobs takes a positive whole number, got "${bad}"\n`);
    }
  }, 120_000);

  it("builds code nested deeper than the main thread's stack allows, and the output runs as the source does", () => {
    const dir = ws(Object.fromEntries(Object.entries(DEEP).map(([name, text]) => [`src/${name}`, text])));
    const built = run([bin, "build", "src", "-d", "out", "--runtime", "inline", "--jobs", "2"], dir);
    expect(built.stderr).toMatch(/^stepwise build: built 4 files \(4 machines, \d+ states\)/);
    expect(built.code).toBe(0);
    for (const name of Object.keys(DEEP)) {
      const native = run([join("src", name)], dir);
      const lowered = run([join("out", name)], dir);
      expect(native.stderr).toBe("");
      expect(lowered.stderr).toBe("");
      expect(lowered.stdout).toBe(native.stdout);
    }
    // On one thread each file is compiled here first, and again on a worker when the stack runs out: the same
    // worker for the four of them (build-worker.ts DeepLane), each output what the build on two threads wrote.
    const one = run([bin, "build", "src", "-d", "out1", "--runtime", "inline", "--jobs", "1"], dir);
    expect(one.stderr).toMatch(/^stepwise build: built 4 files \(4 machines, \d+ states\)/);
    expect(one.code).toBe(0);
    for (const name of Object.keys(DEEP)) expect(readFileSync(join(dir, "out1", name), "utf8")).toBe(readFileSync(join(dir, "out", name), "utf8"));
    // One file alone, the same way.
    const alone = run([bin, "build", "src/blocks.js", "-o", "blocks.out.js", "--runtime", "inline"], dir);
    expect(alone.code).toBe(0);
    expect(run(["blocks.out.js"], dir).stdout).toBe("blocks 2002\n");
  }, 600_000);

  it("stepwise run compiles code nested deeper than its stack allows on a thread with a larger one, CommonJS and ES modules", () => {
    const all = Object.keys(DEEP).map((name) => `require("./${name}");`).join("\n");
    const dir = ws({ ...Object.fromEntries(Object.entries(DEEP).map(([name, text]) => [`src/${name}`, text])), "src/all.js": `${all}\n`, "src/blocks.mjs": DEEP["blocks.js"] });
    const lines = (text: string) => text.split("\n").filter(Boolean).sort();
    const native = run([join("src", "all.js")], dir);
    expect(native.stderr).toBe("");
    expect(lines(native.stdout)).toHaveLength(4);
    // (--no-cache: compiled now, not taken from an earlier run's cache)
    const lowered = run([bin, "run", "--no-cache", join("src", "all.js")], dir);
    expect(lowered.stderr).toBe("");
    expect(lowered.code).toBe(0);
    expect(lines(lowered.stdout)).toEqual(lines(native.stdout));
    const module = run([bin, "run", "--no-cache", join("src", "blocks.mjs")], dir);
    expect(module.stderr).toBe("");
    expect(module.stdout).toBe("blocks 2002\n");
  }, 600_000);

  it("transform() reports a stack that ran out in one line with file:line:col, never a stack trace", () => {
    const code = `async function f(b) { ${"{ ".repeat(20000)} await b; ${"}".repeat(20000)} }\n`;
    let error: Error | undefined;
    try {
      transform(code, { filename: "deep.js" });
    } catch (caught) {
      error = caught as Error;
    }
    expect(error?.name).toBe("StepwiseError");
    const [first] = error!.message.split("\n");
    expect(first).toMatch(/^deep\.js:1:\d+: too deeply nested: .*the stack ran out \(Maximum call stack size exceeded\)/);
    expect(error!.message).not.toMatch(/^\s+at /m);
  });
});
