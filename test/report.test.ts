// The report's reading of a machine (report/metadata.ts): where a throw from each state goes is the
// runtime's own rule (src/runtime/machine.js `findHandler` over the machine's tries table). For a long table
// the report applies it to the entries around each state, found by a sweep (`throwHandlers`), not to the
// whole table per state; these hold that to the rule itself, on try statements in a row, nested in try
// blocks, in catch blocks and in finally blocks.
import { describe, expect, it } from "vitest";
import { transform } from "../src/transform/index.ts";
import { COMPLETION_THROW, FINISHED, HANDLER_CATCH, findHandler, handlerKind } from "../src/runtime/index.js";
import { parseExpression } from "@babel/parser";
import * as t from "@babel/types";
import type { Emitter } from "../src/transform/explode/emitter.ts";
import { walkStates } from "../src/transform/report/metadata.ts";

/** A try statement of each kind around an await, `depth` levels deep in its try block or its catch block. */
function tries(count: number): string {
  const kinds = [
    (body: string) => `try { ${body} } catch (e) { use(e); }`,
    (body: string) => `try { ${body} } finally { await use(); }`,
    (body: string) => `try { ${body} } catch { await use(); } finally { use(); }`,
    (body: string) => `try { await use(); } catch (e) { ${body} }`,
    (body: string) => `try { use(); } finally { ${body} }`,
  ];
  const statements: string[] = [];
  for (let i = 0; i < count; i++) {
    let body = `await use(${i});`;
    for (let depth = 0; depth <= i % 3; depth++) body = kinds[(i + depth) % kinds.length](body);
    statements.push(`  ${body}`);
  }
  return `async function many(use) {\n${statements.join("\n")}\n}\n`;
}

describe("the report's exception edges", () => {
  it.each([4, 40])("are the runtime's rule for each state, %i try statements", (count) => {
    const [machine] = transform(tries(count), { filename: "report.js" }).machines;
    if (count > 4) expect(machine.tries.length).toBeGreaterThan(8);
    for (const state of machine.states) {
      const handler = findHandler(machine.tries, state.index, COMPLETION_THROW, FINISHED);
      const expected =
        handler < 0 ? [] : [handlerKind(machine.tries[handler], state.index, COMPLETION_THROW) === HANDLER_CATCH ? { to: machine.tries[handler][1], kind: "catch" } : { to: machine.tries[handler][2], kind: "cleanup" }];
      expect(state.edges.filter((edge) => edge.kind === "catch" || edge.kind === "cleanup"), `state ${state.index}`).toEqual(expected);
    }
  });
});

describe("the report's walk of the states", () => {
  /** A machine of one state with these statements, as the walk reads an emitter. */
  const walked = (...code: string[]) => () => walkStates({ helpers: new Map(), states: [{ index: 0, body: code.map((text) => t.expressionStatement(parseExpression(text, { allowAwaitOutsideFunction: true, plugins: ["decorators"] }))), line: 1, region: null, labeled: false }] } as unknown as Emitter, null);

  it("refuses a suspension the explosion left in the step, where it is (a bug turned into one line, not into a `resume` that does not parse)", () => {
    expect(walked("f(await x)")).toThrow(/^`await` inside CallExpression is not supported yet$/);
    expect(walked("class { [await k]() {} }")).toThrow(/^`await` inside ClassMethod is not supported yet$/);
    expect(walked("class { @(await d) m() {} }")).toThrow(/^`await` inside Decorator is not supported yet$/);
  });

  it("leaves the suspensions of the functions inside alone", () => {
    expect(walked("async () => await x", "class { async m() { await x; } static { (async () => { for await (const y of x); })(); } }")).not.toThrow();
  });
});

describe("the report's operands", () => {
  it("are the source text on one line, a long one cut at 80 characters with an ellipsis", () => {
    const long = `Promise.all([${Array.from({ length: 12 }, (_, i) => `load(${i})`).join(",\n  ")}])`;
    const [machine] = transform(`async function f(load) {\n  await ${long};\n  await load(1);\n}\n`, { filename: "report.js" }).machines;
    const operands = machine.states.flatMap((state) => (state.suspends ? [state.suspends.operand] : []));
    expect(operands[0]).toBe(`${long.replace(/\s+/g, " ").slice(0, 79)}…`);
    expect(operands[1]).toBe("load(1)");
  });
});
