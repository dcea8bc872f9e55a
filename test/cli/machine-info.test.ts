// The transform's opt-in `machineInfo` option: each machine class carries its metadata (for run --trace).
import { describe, expect, it } from "vitest";
import { transform } from "../../src/transform/index.ts";

describe("machineInfo option", () => {
  it("adds a static $info field to every machine class, nested ones included", () => {
    const code = "async function outer(x) {\n  const inner = async () => { await x; };\n  await inner();\n}\nfunction* gen() { yield 1; }\n";
    const { code: out, machines } = transform(code, { filename: "m.js", machineInfo: true, runtime: "inline" });
    const classes: Record<string, { $info: unknown }> = new Function(`${out}; return { Outer, Gen };`)();
    expect(classes.Outer.$info).toEqual({
      name: "outer",
      kind: "async",
      file: "m.js",
      line: 1,
      states: [
        { line: 2, suspends: { kind: "await", operand: "inner()" }, resumes: 1 },
        { line: null, suspends: null, resumes: null },
      ],
    });
    expect((classes.Gen.$info as { states: unknown[] }).states[0]).toEqual({ line: 5, suspends: { kind: "yield", operand: "1" }, resumes: 1 });
    expect(out.match(/static \$info = /g)?.length).toBe(machines.length);
    expect(machines.length).toBe(3);
  });

  it("is off by default and must be a boolean", () => {
    expect(transform("async function f() {}", {}).code).not.toContain("$info");
    expect(() => transform("", { machineInfo: "yes" as never })).toThrow('stepwise: option "machineInfo" must be a boolean');
  });
});
