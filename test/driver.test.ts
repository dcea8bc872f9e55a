// The promise driver beyond logs: constant stack, flat memory, unhandled rejections like native ones,
// and every way generated code can reach the runtime (import, require, inline).
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync, mkdirSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { transform } from "../src/transform/index.ts";

const root = join(import.meta.dirname, "..");
const work = mkdtempSync(join(tmpdir(), "stepwise-driver-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs a program as a child process (native, or transformed with the runtime inlined). */
function run(code: string, name: string, options: { transformed: boolean; args?: string[] }): { stdout: string; stderr: string; status: number } {
  const file = join(work, name);
  writeFileSync(file, options.transformed ? transform(code, { filename: name, runtime: "inline" }).code : code);
  try {
    const stdout = execFileSync(process.execPath, [...(options.args ?? []), file], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return { stdout, stderr: "", status: 0 };
  } catch (error) {
    const failure = error as { stdout: string; stderr: string; status: number };
    return { stdout: failure.stdout, stderr: failure.stderr, status: failure.status };
  }
}

describe("promise driver", () => {
  it("a million awaits of plain values run in constant stack and flat memory", () => {
    const code = `
      async function count(n) {
        let sum = 0;
        for (let i = 0; i < n; i++) {
          sum += await i;
          if (i === 100000) globalThis.early = process.memoryUsage().heapUsed;
        }
        return sum;
      }
      count(1000000).then((sum) => {
        globalThis.gc?.();
        const late = process.memoryUsage().heapUsed;
        console.log(sum, late - globalThis.early < 20 * 1024 * 1024 ? "flat" : "grew " + (late - globalThis.early));
      });`;
    const result = run(code, "million.js", { transformed: true, args: ["--stack-size=200", "--expose-gc"] });
    expect(result.stderr).toBe("");
    expect(result.stdout.trim()).toBe("499999500000 flat");
  });

  it("deep chains of async calls do not overflow (the driver never recurses through itself)", () => {
    const code = `
      async function depth(n) { if (n === 0) return 0; return 1 + await depth(n - 1); }
      async function synchronous(n) { return n === 0 ? 0 : 1 + await synchronous(n - 1); }
      depth(1500).then((d) => console.log("depth", d));`;
    const native = run(code, "deep-native.js", { transformed: false });
    const lowered = run(code, "deep.js", { transformed: true });
    expect(lowered.stderr).toBe("");
    expect(lowered.stdout).toBe(native.stdout);
  });

  it("an unhandled rejection surfaces like a native one (same exit code and reason)", () => {
    const code = `async function fail() { await null; throw new Error("boom"); }\nfail();\n`;
    const native = run(code, "unhandled-native.js", { transformed: false });
    const lowered = run(code, "unhandled.js", { transformed: true });
    expect(native.status).not.toBe(0);
    expect(lowered.status).toBe(native.status);
    expect(lowered.stderr).toContain("Error: boom");
    expect(native.stderr).toContain("Error: boom");
  });
});

describe("runtime delivery", () => {
  const program = `async function twice(x) { return 2 * await x; }\ntwice(21).then((v) => console.log("value", v));\n`;

  it("runtime: 'import' in an ES module resolves @stepwise/runtime", () => {
    // A throwaway package that depends on this checkout, as an installed user would.
    const app = join(work, "app-esm");
    mkdirSync(join(app, "node_modules", "@stepwise", "runtime", "src"), { recursive: true });
    cpSync(join(root, "src", "runtime"), join(app, "node_modules", "@stepwise", "runtime", "src", "runtime"), { recursive: true });
    writeFileSync(join(app, "node_modules", "@stepwise", "runtime", "package.json"), JSON.stringify({ name: "@stepwise/runtime", type: "module", exports: { ".": "./src/runtime/index.js" } }));
    writeFileSync(join(app, "main.mjs"), transform(program, { filename: "main.mjs", runtime: "import" }).code);
    writeFileSync(join(app, "main.cjs"), transform(program, { filename: "main.cjs", runtime: "require" }).code);
    expect(execFileSync(process.execPath, [join(app, "main.mjs")], { encoding: "utf8" })).toBe("value 42\n");
    expect(execFileSync(process.execPath, [join(app, "main.cjs")], { encoding: "utf8" })).toBe("value 42\n");
  });

  it("a CommonJS file with a top-level return (Node wraps it in a function) is lowered and runs as natively", () => {
    const code = [
      'const ready = require("node:fs").existsSync(__filename);',
      "if (!ready) return;",
      "async function main() {",
      "  await null;",
      '  console.log("after the return check", typeof module.exports);',
      "}",
      "main();",
      "if (ready) return;",
      'console.log("never");',
      "",
    ].join("\n");
    const native = run(code, "early-return.cjs", { transformed: false });
    expect(native).toEqual({ stdout: "after the return check object\n", stderr: "", status: 0 });
    expect(run(code, "early-return.cjs", { transformed: true })).toEqual(native);
  });

  it("runtime: 'inline' makes a self-contained file", () => {
    expect(run(program, "inline.js", { transformed: true }).stdout).toBe("value 42\n");
  });
});

describe("tracer", () => {
  it("reports each step of async machines and generators: the state entered, the signal and value on leaving", async () => {
    const runtimeUrl = new URL("../src/runtime/index.js", import.meta.url).href;
    const code = `
      async function coro(name) { await name; return name + "!"; }
      function* gen() { yield 1; }
      async function fails() { await 0; throw new Error("no"); }
      export async function main() { const it = gen(); it.next(); it.next(); await coro("a"); await fails().catch(() => {}); }`;
    const file = join(work, "traced.mjs");
    writeFileSync(file, transform(code, { filename: "traced.mjs", runtimeModule: runtimeUrl }).code);
    const runtime = await import(runtimeUrl);
    const events: string[] = [];
    const name = (machine: object) => machine.constructor.name;
    runtime.setTracer({
      enter: (machine: { state: number }, sent: unknown, thrown: boolean) => events.push(`enter ${name(machine)} ${machine.state}${thrown ? " thrown" : ""} ${String(sent)}`),
      leave: (machine: { state: number }, signal: number, value: unknown) => events.push(`leave ${name(machine)} ${signal} ${machine.state} ${value instanceof Error ? value.message : String(value)}`),
    });
    try {
      const { main } = await import(file);
      await main();
    } finally {
      runtime.setTracer(null);
    }
    const { AWAIT, YIELD, DONE, THREW } = runtime;
    expect(events).toEqual([
      "enter Main 0 undefined",
      "enter Gen 0 undefined",
      `leave Gen ${YIELD} 1 1`,
      "enter Gen 1 undefined",
      `leave Gen ${DONE} -1 undefined`,
      "enter Coro 0 undefined",
      `leave Coro ${AWAIT} 1 a`,
      `leave Main ${AWAIT} 1 [object Promise]`,
      "enter Coro 1 a",
      `leave Coro ${DONE} -1 a!`,
      "enter Main 1 a!",
      "enter Fails 0 undefined",
      `leave Fails ${AWAIT} 1 0`,
      `leave Main ${AWAIT} 2 [object Promise]`,
      "enter Fails 1 0",
      `leave Fails ${THREW} -1 no`,
      "enter Main 2 undefined",
      `leave Main ${DONE} -1 undefined`,
    ]);
  });
});
