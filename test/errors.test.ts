// Bad input: syntax errors and unsupported constructs report file:line:col with a code frame.
import { transformSync } from "@babel/core";
import { describe, expect, it, vi } from "vitest";
import { StepwiseError, stepwisePlugin, transform, type TransformOptions } from "../src/transform/index.ts";

function failure(code: string, filename = "bad.js", options: TransformOptions = {}): StepwiseError {
  try {
    transform(code, { filename, ...options });
  } catch (error) {
    expect(error).toBeInstanceOf(StepwiseError);
    return error as StepwiseError;
  }
  throw new Error("expected the transform to fail");
}

describe("errors", () => {
  it("a syntax error names file:line:col and shows a code frame", () => {
    const error = failure("async function f() {\n  await (1 +;\n}\n");
    expect(error.message).toMatch(/^bad\.js:2:\d+: syntax error: Unexpected token/);
    expect(error.line).toBe(2);
    expect(error.message).toContain("> 2 |   await (1 +;");
    expect(error.frame).toContain("^");
  });

  it("a TypeScript syntax error in a .ts file is reported the same way", () => {
    const error = failure("async function f(x: number {\n}\n", "bad.ts");
    expect(error.message).toMatch(/^bad\.ts:1:\d+: syntax error: /);
  });

  it("an unsupported construct names itself and its location (direct eval in loop mode)", () => {
    const error = failure("async function g(x) {\n  await x;\n  return eval('x');\n}\n", "bad.js", { mode: "loop" });
    expect(error.message).toMatch(/^bad\.js:3:10: unsupported: direct `eval` in an async function/);
    expect(error.message).toContain("> 3 |   return eval('x');");
  });

  it("a merged TypeScript enum (declared twice in one block) of an async function is refused where the second one is", () => {
    const error = failure("async function f() {\n  enum E { A = 1 }\n  enum E { B = A + 1 }\n  await null;\n  return E.B;\n}\n", "merged.ts");
    expect(error.message).toMatch(/^merged\.ts:3:3: unsupported: a second declaration of `enum E` in the same block of an async function or generator \(a merged enum\)/);
  });

  it("an await in an enum member's value (set in a function of the enum's own) is refused where it is", () => {
    const error = failure("async function f(x: Promise<number>) {\n  enum E { A = await x, B }\n  return E.B;\n}\n", "awaited.ts");
    expect(error.message).toMatch(/^awaited\.ts:2:16: unsupported: `await` in the value of an enum member is not supported yet\n/);
  });

  it("in promise mode a function that calls eval directly stays native, with one warning line", () => {
    const code = "async function g(x) {\n  await x;\n  return () => eval('x');\n}\nasync function h() { await 1; }\n";
    const result = transform(code, { filename: "ev.js" });
    expect(result.warnings).toEqual([
      "ev.js:1:1: async function g is left native: it calls eval directly (line 3), which could reach the variables a machine keeps in fields; a /* stepwise-native */ comment before it keeps it native without this warning",
    ]);
    expect(result.machines.map((machine) => machine.name)).toEqual(["h"]);
    expect(result.code).toContain("async function g(x) {");
  });

  it("an async arrow that reads `arguments` at a module's top level stays native, with one warning line (unsupported in loop mode)", () => {
    const code = "export const f = async () => {\n  await 1;\n  return arguments.length;\n};\n";
    expect(transform(code, { filename: "args.mjs" }).warnings).toEqual([
      "args.mjs:1:18: async function f is left native: it reads `arguments` at a module's top level (line 3), where it names no function's arguments; a /* stepwise-native */ comment before it keeps it native without this warning",
    ]);
    // (in a CommonJS module it is Node's wrapper's, which the wrapper passes on)
    expect(transform(code.replace("export ", ""), { filename: "args.cjs" }).warnings).toEqual([]);
    expect(failure(code, "args.mjs", { mode: "loop" }).message).toMatch(/^args\.mjs:3:10: unsupported: `arguments` in an async arrow function at a module's top level/);
  });

  it("a stepwise-native comment keeps a function native, without a warning", () => {
    const code = "/* stepwise-native */ async function g() { await 1; eval(''); }\n// stepwise-native\nexport const h = async () => { await 2; };\nconst o = { /* stepwise-native */ async m() { await 3; } };\n";
    const result = transform(code, { filename: "n.js" });
    expect(result.warnings).toEqual([]);
    expect(result.machines).toEqual([]);
  });

  it("used as a plain Babel plugin, the transform prints its warnings on stderr", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      transformSync("async function g() { await 1; eval(''); }", { filename: "p.js", configFile: false, babelrc: false, plugins: [stepwisePlugin] });
      expect(warn.mock.calls).toEqual([[expect.stringMatching(/^stepwise: .*p\.js:1:1: async function g is left native: it calls eval directly \(line 1\)/)]]);
    } finally {
      warn.mockRestore();
    }
  });

  it("using and await using are lowered (fixtures/using/), and left as written in a plain function inside", () => {
    const output = transform("async function f() {\n  using r = open();\n  await using s = lock();\n  await r.read();\n}\n").code;
    expect(output).toContain("this.resources.use(open())");
    expect(output).toContain("this.resources.useAsync(lock())");
    expect(output).not.toMatch(/\busing [rs]\b/);
    expect(transform("async function f() { function g() { using r = open(); } await g(); }").code).toContain("using r = open()");
    expect(failure("async function f(x) {\n  switch (x) {\n    case 1:\n      using r = open();\n  }\n}\n").message).toMatch(/^bad\.js:4:7: syntax error: Using declaration cannot appear/);
  });

  it("a private-name method of an anonymous class that no statement of its own evaluates is refused loudly", () => {
    const words = "unsupported: a method using private names in an anonymous class that no statement of its own evaluates (in a loop's test or update, an instance field's initializer, a parameter's default value) is not supported";
    const field = failure("class A {\n  field = class {\n    #x = 1;\n    async m() { await 0; return this.#x; }\n  };\n}\n");
    expect(field.message.split("\n")[0]).toBe(`bad.js:4:5: ${words}`);
    const parameter = failure("function f(v, o = new (class { #x = v; async m() { return this.#x; } })()) { return o; }\n");
    expect(parameter.message.split("\n")[0]).toBe(`bad.js:1:40: ${words}`);
  });

  it("unknown options are refused", () => {
    expect(() => transform("", { runtime: "bogus" as never })).toThrow(/option "runtime" must be "import", "require" or "inline"/);
    expect(() => transform("", { nope: 1 } as never)).toThrow(/unknown option "nope"/);
  });
});

describe("module code", () => {
  it("top-level await in a module is left as written; async functions around it are lowered", () => {
    const { code } = transform("const v = await Promise.resolve(1);\nexport async function f() { return await v; }\n", { filename: "m.mjs" });
    expect(code).toContain("const v = await Promise.resolve(1);");
    expect(code).toContain('import { AsyncMachine, runAsyncOnce, defineAsyncFunction } from "@stepwise/runtime";');
    expect(code).toMatch(/export var f = defineAsyncFunction\(\{\n  f\(\) \{\n    return runAsyncOnce\(new F\(\)\);/);
  });

  it("reports the machines it made", () => {
    const { machines } = transform("async function a() { await 1; await 2; }\nconst b = async () => { try { await 3; } finally {} };\n");
    expect(machines.map((m) => [m.name, m.className, m.line, m.states.length, m.tries.length])).toEqual([
      ["a", "A", 1, 3, 0],
      ["b", "B", 2, 4, 1],
    ]);
  });
});

describe("machine metadata", () => {
  it("states carry their line, what they await or yield, and their edges", () => {
    const code = `async function coro(name) {\n  console.log("before", name);\n  try { await sleep(0); } catch (e) { return 1 }\n  console.log("after", name);\n}\nfunction* gen() { yield 1; yield* other(); }\n`;
    const [coro, gen] = transform(code).machines;
    expect(coro.states.map((s) => [s.index, s.line, s.suspends?.operand ?? null, s.returns, s.edges.map((e) => `${e.kind}:${e.to}`)])).toEqual([
      [0, 2, null, false, ["next:1"]],
      [1, 3, "sleep(0)", false, ["resume:2", "catch:3"]],
      [2, null, null, false, ["next:4", "catch:3"]],
      [3, 3, null, true, []],
      [4, 4, null, true, []],
    ]);
    expect(gen.kind).toBe("generator");
    expect(gen.states.map((s) => s.suspends)).toEqual([
      { kind: "yield", operand: "1" },
      { kind: "yield*", operand: "other()" },
      null,
    ]);
  });

  it("a for-await loop awaits `next() of <iterable>` at each step and `return() of <iterable>` when left early", () => {
    const code = "async function* lines(source) {\n  for await (const chunk of source) yield chunk;\n  return 'eof';\n}\n";
    const [machine] = transform(code, { filename: "lines.js" }).machines;
    expect(machine.kind).toBe("async-generator");
    const suspends = machine.states.map((state) => state.suspends?.operand ?? null).filter((operand) => operand !== null);
    expect(suspends).toEqual(["next() of source", "chunk", "return() of source", "'eof'"]);
    const close = machine.states.find((state) => state.suspends?.operand === "return() of source")!;
    expect(close.edges).toEqual([{ to: close.index + 1, kind: "resume" }]);
  });
});
