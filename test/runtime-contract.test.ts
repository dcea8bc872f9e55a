// The contract between generated code, drivers and tools, as the runtime exports it (src/runtime/machine.js).
import { describe, expect, it } from "vitest";
import * as runtime from "../src/runtime/index.js";
import { transform } from "../src/transform/index.ts";
import { runtimeImport } from "../src/transform/emit/runtime-import.ts";
import generateModule from "@babel/generator";
import * as t from "@babel/types";
import { runInNewContext } from "node:vm";

const generate = ((generateModule as unknown as { default?: unknown }).default ?? generateModule) as (node: t.Node) => { code: string };

const { COMPLETION_JUMP, COMPLETION_RETURN, COMPLETION_THROW, FINISHED, findHandler, handlerKind } = runtime;

describe("runtime contract", () => {
  it("signals, completion kinds and request modes are distinct numbers, named once", () => {
    const signals = Object.values(runtime.SIGNALS);
    expect(new Set(signals).size).toBe(signals.length);
    expect(runtime.SIGNALS).toEqual({ AWAIT: runtime.AWAIT, DONE: runtime.DONE, CONTINUE: runtime.CONTINUE, YIELD: runtime.YIELD, DELEGATE: runtime.DELEGATE, STARTED: runtime.STARTED, THREW: runtime.THREW });
    expect(Object.values(runtime.COMPLETION_KINDS).sort()).toEqual([0, 1, 2]);
    expect(Object.values(runtime.REQUEST_MODES).sort()).toEqual([0, 1, 2]);
    expect(Object.isFrozen(runtime.SIGNALS) && Object.isFrozen(runtime.COMPLETION_KINDS) && Object.isFrozen(runtime.REQUEST_MODES)).toBe(true);
  });

  it("the tries table: innermost region, catch or cleanup", () => {
    // An outer try/catch/finally; a try/finally inside its try block; a try/catch inside its catch block.
    const tries = [
      [0, 5, 7, 9], // try 0..4, catch 5..6, finally 7..8
      [1, -1, 3, 4], // try 1..2, finally 3
      [5, 6, -1, 7], // inside the outer catch: try 5, catch 6
    ] as const;
    const table = tries as unknown as [number, number, number, number][];
    const at = (state: number, kind: number, target = FINISHED) => {
      const entry = findHandler(table, state, kind, target);
      return entry < 0 ? null : [entry, handlerKind(table[entry], state, kind)];
    };
    expect(at(0, COMPLETION_THROW)).toEqual([0, "catch"]);
    expect(at(2, COMPLETION_THROW)).toEqual([1, "cleanup"]);
    expect(at(3, COMPLETION_THROW)).toEqual([0, "catch"]); // a throw in a finally block goes outward
    expect(at(5, COMPLETION_THROW)).toEqual([2, "catch"]);
    expect(at(6, COMPLETION_THROW)).toEqual([0, "cleanup"]);
    expect(at(7, COMPLETION_THROW)).toBeNull();
    expect(at(2, COMPLETION_RETURN)).toEqual([1, "cleanup"]);
    expect(at(4, COMPLETION_RETURN)).toEqual([0, "cleanup"]);
    expect(at(8, COMPLETION_RETURN)).toBeNull();
    expect(at(2, COMPLETION_JUMP, 0)).toEqual([1, "cleanup"]); // leaves the inner try, stays in the outer one
    expect(at(1, COMPLETION_JUMP, 2)).toBeNull(); // stays inside the inner try
  });

  it("MACHINE_MEMBERS names what every machine inherits, fields included", () => {
    const members = runtime.MACHINE_MEMBERS;
    expect(Object.isFrozen(members)).toBe(true);
    for (const name of ["state", "$value", "$pending", "$quiet", "await", "yield", "return", "jump", "finish", "step", "constructor"]) {
      expect(members).toContain(name);
    }
    for (const Base of [runtime.AsyncMachine, runtime.GeneratorMachine, runtime.AsyncGeneratorMachine]) {
      for (let proto = Base.prototype; proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
        for (const name of Object.getOwnPropertyNames(proto)) expect(members).toContain(name);
      }
      for (const name of Object.keys(new Base())) expect(members).toContain(name);
    }
  });

  it("the inline runtime is what the file uses of it, as a bundler would keep it", () => {
    const asyncOnly = transform("async function f() { await 1; }", { runtime: "inline" }).code;
    for (const name of ["class Machine", "class AsyncMachine", "function defineAsyncFunction", "const NativePromise"]) expect(asyncOnly).toContain(name);
    // what only generators, async generators, iteration, `using` and the loop's contract need is left out
    for (const name of ["class Generator", "class AsyncGenerator", "function iterate", "function checkInitialized", "MACHINE_MEMBERS", "SuppressedError", "const mapGet"]) {
      expect(asyncOnly).not.toContain(name);
    }
    const all = transform("function* g() { yield 1; } async function* h() { for (const x of g()) yield x; }", { runtime: "inline" }).code;
    for (const name of ["class Generator", "class AsyncGenerator", "function iterate", "setPrototypeOf(Generator.prototype"]) expect(all).toContain(name);
    for (const code of [asyncOnly, all]) expect(code).not.toMatch(/^\s*(import|export)\b/m);
    // the object the runtime's function returns holds what the file imports, no more
    expect(asyncOnly).toMatch(/return \{\s*AsyncMachine,\s*defineAsyncFunction,\s*runAsyncOnce\s*\};/);
  });

  it("every name the runtime exports works inlined alone, with only what it needs", () => {
    // Each export as the only import of a file: the shaken runtime must evaluate, and the name must be what
    // the whole runtime's is (a function, a class, a frozen table), with the same own keys.
    const exported = Object.keys(runtime).filter((name) => name !== "default");
    for (const name of exported) {
      const code = runtimeImport("inline", new Map([[name, name]]), "@stepwise/runtime");
      const program = generate(t.program([code, t.expressionStatement(t.identifier(name))])).code;
      const value = runInNewContext(program, { console });
      const original = (runtime as Record<string, unknown>)[name];
      expect(typeof value, name).toBe(typeof original);
      if (typeof original === "object" && original !== null) expect(Object.keys(value as object), name).toEqual(Object.keys(original));
    }
  });
});
