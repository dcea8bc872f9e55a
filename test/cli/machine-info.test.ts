// The transform's opt-in `machineInfo` option: each machine class carries its metadata (for run --trace).
import { describe, expect, it } from "vitest";
import { transform } from "../../src/transform/index.ts";

describe("machineInfo option", () => {
  it("adds a static $info field to every machine class, nested ones included", () => {
    const code = "async function outer(x) {\n  const inner = async () => { await x; };\n  await inner();\n}\nfunction* gen() { yield 1; }\n";
    const { code: out, machines } = transform(code, { filename: "m.js", machineInfo: true, runtime: "inline" });
    // (a script's machine classes are properties of its namespace: docs/lowering.md, "Scripts")
    const namespace = /^var (\$stepwise_\w+) =/m.exec(out)![1];
    const classes: Record<string, { $info: unknown }> = new Function(`${out}; return { Outer: ${namespace}.Outer, Gen: ${namespace}.Gen };`)();
    expect(classes.Outer.$info).toEqual({
      name: "outer",
      kind: "async",
      file: "m.js",
      line: 1,
      states: [
        // at: where the operand starts (line, 0-based column), for stack traces' `at async outer (m.js:3:3)`
        { line: 2, suspends: { kind: "await", operand: "inner()" }, resumes: 1, at: [3, 8] },
        { line: null, suspends: null, resumes: null },
      ],
    });
    expect((classes.Gen.$info as { states: unknown[] }).states[0]).toEqual({ line: 5, suspends: { kind: "yield", operand: "1" }, resumes: 1, at: [5, 24] });
    expect(out.match(/static \$info = /g)?.length).toBe(machines.length);
    expect(machines.length).toBe(3);
  });

  it("names a class's methods Class.method, a computed key by its source, and gives their classes meaningful names", () => {
    const code = "class C {\n  async run() {}\n  static async make() {}\n  async #hide() {}\n  *[Symbol.iterator]() {}\n  async [key]() {}\n}\nconst o = { async m() {} };\n";
    const { machines } = transform(code, { filename: "c.js" });
    expect(machines.map((machine) => [machine.name, machine.className])).toEqual([
      ["C.run", "C_run"],
      ["C.make", "C_make"],
      ["C.#hide", "C_hide"],
      ["C.[Symbol.iterator]", "C_Symbol_iterator"],
      ["C.[key]", "C_key"],
      ["m", "M"],
    ]);
  });

  it("is off by default and must be a boolean", () => {
    expect(transform("async function f() {}", {}).code).not.toContain("$info");
    expect(() => transform("", { machineInfo: "yes" as never })).toThrow('stepwise: option "machineInfo" must be a boolean');
  });
});
