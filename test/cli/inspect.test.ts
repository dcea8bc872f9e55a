// `stepwise inspect`, through the real bin: every format, --function, and the error exits.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { remove, stepwise, workspace } from "./helpers.ts";

const SOURCE = `async function load(url) {
  try {
    return await fetch(url);
  } catch (error) {
    log("failed", error);
  } finally {
    await close();
  }
}
function* numbers(limit) {
  for (let i = 0; i < limit; i++) yield i;
}
`;

const dir = workspace({ "load.js": SOURCE, "bad.js": "async function g() {\n  await (1 +;\n}\n", "plain.js": "const x = 1;\n", "t.ts": "async function typed(x: number): Promise<void> { await x; }\n" });
afterAll(() => remove(dir));

describe("stepwise inspect", () => {
  it("json (the default when stdout is not a terminal): versioned, with states, spans, suspensions and edges", () => {
    const result = stepwise(["inspect", "load.js"], { cwd: dir });
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc.schema).toBe("stepwise.inspect/1");
    expect(doc.file).toBe("load.js");
    expect(doc.functions.map((fn: { name: string; kind: string; line: number }) => [fn.name, fn.kind, fn.line])).toEqual([
      ["load", "async", 1],
      ["numbers", "generator", 10],
    ]);
    const load = doc.functions[0];
    expect(load.tries).toEqual([[0, 2, 3, 5]]);
    expect(load.states[0]).toEqual({
      index: 0,
      line: 3,
      span: { start: { line: 3, column: 5 }, end: { line: 3, column: 29 } },
      suspends: { kind: "await", operand: "fetch(url)" },
      returns: false,
      region: { try: 0, part: "try" },
    });
    expect(load.edges).toContainEqual({ from: 0, to: 1, kind: "resume", class: "normal" });
    expect(load.edges).toContainEqual({ from: 0, to: 2, kind: "catch", class: "exceptional" });
    expect(load.edges).toContainEqual({ from: 2, to: 5, kind: "finally", class: "finally" });
    expect(load.edges).toContainEqual({ from: 5, to: "end", kind: "return", class: "normal" });
    // A return inside the try runs the finally block first; the finally block's end carries on.
    expect(load.edges).toContainEqual({ from: 1, to: 3, kind: "finally", class: "finally" });
    expect(load.edges).not.toContainEqual({ from: 1, to: "end", kind: "return", class: "normal" });
    expect(load.edges).toContainEqual({ from: 4, to: 5, kind: "next", class: "normal" });
    expect(load.edges).toContainEqual({ from: 4, to: "end", kind: "return", class: "normal" });
  });

  it("table: one block per function", () => {
    const result = stepwise(["inspect", "load.js", "--format", "table"], { cwd: dir });
    expect(result.stdout).toContain("async function load — load.js:1  class Load, 6 states\n");
    expect(result.stdout).toContain("\n  state  lines  ends with         edges\n  0      3      await fetch(url)  → 1 resume, → 2 catch [try 0]\n");
    expect(result.stdout).toContain("\n  3      7      await close()     → 4 resume [finally 0]\n");
    expect(result.stdout).toContain("function* numbers — load.js:10");
    expect(result.stdout).not.toContain("\x1b[");
  });

  it("table: a state that neither suspends nor returns says how it goes on", () => {
    const load = stepwise(["inspect", "load.js", "--format", "table"], { cwd: dir }).stdout;
    expect(load).toContain("\n  2      4-5    (jumps)           → 5 finally, → 3 cleanup [catch 0]\n");
    // (where the completion the finally block ran for goes: on, or out of the function)
    expect(load).toContain("\n  4      -      (finally done)    → 5 next, → end return [finally 0]\n");
    expect(load).toContain("\n  0      11     (falls through)  → 1 next\n  1      11     yield i          → 3 next, → 2 resume\n  2      11     (jumps)          → 1 next\n");
    const input = "async function f(x) {\n  while (x) {\n    try { x = await x(); } catch { throw new Error(); }\n  }\n}\n";
    const branches = stepwise(["inspect", "-", "--format", "table"], { cwd: dir, input }).stdout;
    expect(branches).toContain("\n  0      2-4    (branches)       → 4 next, → 1 next\n");
    expect(branches).toContain("\n  3      3      (throws)         [catch 0]\n");
  });

  it("table is coloured when colours are forced", () => {
    const result = stepwise(["inspect", "load.js", "-f", "table"], { cwd: dir, env: { FORCE_COLOR: "1" } });
    expect(result.stdout).toContain("\x1b[");
  });

  it("--function picks one function; an unknown name is an error naming the ones there are", () => {
    const result = stepwise(["inspect", "load.js", "--function", "numbers", "-f", "json"], { cwd: dir });
    expect(JSON.parse(result.stdout).functions.map((fn: { name: string }) => fn.name)).toEqual(["numbers"]);
    const missing = stepwise(["inspect", "load.js", "--function", "nope"], { cwd: dir });
    expect(missing).toMatchObject({ code: 2, stderr: 'stepwise inspect: no async function or generator named "nope" in load.js (found: load, numbers)\n' });
  });

  it("dot and mermaid draw the graph: exceptional edges dashed, finally dotted", () => {
    const dot = stepwise(["inspect", "load.js", "-f", "dot", "--function", "load"], { cwd: dir }).stdout;
    expect(dot).toMatch(/^digraph stepwise \{/);
    expect(dot).toContain('f0_s0 -> f0_s2 [label="catch", style=dashed');
    expect(dot).toContain('f0_s2 -> f0_s5 [label="finally", style=dotted');
    expect(dot).toContain('f0_s0 [label="0 · line 3\\nawait fetch(url)"');
    const mermaid = stepwise(["inspect", "load.js", "-f", "mermaid", "--function", "load"], { cwd: dir }).stdout;
    expect(mermaid).toMatch(/^flowchart TD\n/);
    expect(mermaid).toContain("f0_s0 -.->|catch| f0_s2");
    expect(mermaid).toContain("f0_s0 ==>|resume| f0_s1");
  });

  it("svg is drawn by WebAssembly Graphviz; -o writes a file", () => {
    const result = stepwise(["inspect", "load.js", "-f", "svg", "-o", "load.svg"], { cwd: dir });
    expect(result).toMatchObject({ code: 0, stdout: "", stderr: "" });
    const svg = readFileSync(join(dir, "load.svg"), "utf8");
    expect(svg).toContain("<svg");
    expect(svg).toContain("await fetch(url)");
    // A missing folder is made, as build -o does.
    expect(stepwise(["inspect", "load.js", "-f", "dot", "-o", "graphs/new/load.dot"], { cwd: dir })).toMatchObject({ code: 0, stdout: "", stderr: "" });
    expect(readFileSync(join(dir, "graphs/new/load.dot"), "utf8")).toMatch(/^digraph/);
  });

  it("svg refuses a picture of more states than Graphviz lays out in reasonable time, in one line (exit 2); --function picks a smaller one", () => {
    const blocks = Array.from({ length: 520 }, (_, i) => `  if (x > 5) { x = await x + ${i}; } else { try { await ${i}; } catch (e) {} }\n`).join("");
    writeFileSync(join(dir, "big.js"), `async function big(x) {\n${blocks}}\nasync function small() { await 1; }\n`);
    expect(stepwise(["inspect", "big.js", "-f", "svg"], { cwd: dir })).toEqual({
      code: 2,
      stdout: "",
      stderr: "stepwise inspect: big.js has 2,603 states, more than an svg picture lays out in reasonable time (2,500): pick one function with --function, or use --format table, json, dot or mermaid\n",
    });
    expect(stepwise(["inspect", "big.js", "-f", "svg", "--function", "small"], { cwd: dir })).toMatchObject({ code: 0, stderr: "" });
  });

  it("-e CODE: the code given on the command line, named [eval] (or --filename, which picks its syntax)", () => {
    const table = stepwise(["inspect", "-e", "async function f(x) {\n  await x;\n  return 1;\n}\n", "-f", "table"], { cwd: dir });
    expect(table).toMatchObject({ code: 0, stderr: "" });
    expect(table.stdout).toMatch(/^async function f — \[eval\]:1  class F, 2 states\n/);
    const typed = JSON.parse(stepwise(["inspect", "--eval", "async function t(n: number): Promise<void> { await n; }", "--filename", "t.ts"], { cwd: dir }).stdout);
    expect(typed).toMatchObject({ file: "t.ts", functions: [{ name: "t", kind: "async" }] });
    expect(stepwise(["inspect", "-e", "async function f() { await (1 +; }"], { cwd: dir })).toMatchObject({ code: 1, stderr: expect.stringMatching(/^\[eval\]:1:32: syntax error: Unexpected token\n/) });
  });

  it("TypeScript input, and a file with no machines", () => {
    expect(JSON.parse(stepwise(["inspect", "t.ts"], { cwd: dir }).stdout).functions[0].name).toBe("typed");
    expect(stepwise(["inspect", "plain.js", "-f", "table"], { cwd: dir }).stdout).toBe("plain.js: no async functions or generators\n");
  });

  it("errors: syntax error (exit 1, with a code frame), missing file (3), bad flags (2)", () => {
    const bad = stepwise(["inspect", "bad.js"], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^bad\.js:2:13: syntax error: Unexpected token\n/);
    expect(bad.stderr).toContain("> 2 |   await (1 +;");
    const cases: [string[], number, string][] = [
      [["inspect", "missing.js"], 3, "stepwise inspect: no such file or directory: missing.js\n"],
      [["inspect", "."], 3, "stepwise inspect: is a directory: .\n"],
      [["inspect", "load.js", "bad.js"], 2, "stepwise inspect: one file at a time (got 2)\n"],
      [["inspect", "load.js", "-f", "png"], 2, 'stepwise inspect: --format must be "table", "json", "dot", "mermaid" or "svg", got "png"\n'],
      [["inspect", "load.js", "--color"], 2, "stepwise inspect: unknown option --color (see stepwise inspect --help)\n"],
      [["inspect", "load.js", "-o", "plain.js/x"], 3, "stepwise inspect: --output: not a directory: plain.js\n"],
      [["inspect", "load.js", "-o", "."], 3, "stepwise inspect: --output: is a directory: .\n"],
      [["inspect", "load.js", "--filename", "x.ts"], 2, "stepwise inspect: --filename names stdin's or -e's code; it cannot be used with an input file\n"],
      [["inspect", "-e", "1", "load.js"], 2, "stepwise inspect: -e gives the code: no input file with it (got load.js)\n"],
      [["inspect", "load.js", "--formt", "json"], 2, "stepwise inspect: unknown option --formt (did you mean --format?) (see stepwise inspect --help)\n"],
    ];
    for (const [args, code, stderr] of cases) {
      const result = stepwise(args, { cwd: dir });
      expect({ args, code: result.code, stderr: result.stderr }).toEqual({ args, code, stderr });
    }
    expect(stepwise(["inspect", "--help"]).stdout).toMatch(/^Usage: stepwise inspect/);
  });
});
