// How the trace describes values (src/cli/trace/describe.ts): at most 80 characters, a cut one ending
// with "…" and its full text kept beside it.
import { describe as group, expect, it } from "vitest";
import { describe, describeFully } from "../../src/cli/trace/describe.ts";

group("trace value descriptions", () => {
  it("cuts a long description with an ellipsis, and keeps the full text of a cut one", () => {
    const message = `the disk is full: ${"x".repeat(100)} (errno 28)`;
    const error = new Error(message);
    expect(describe(error)).toHaveLength(80);
    expect(describe(error)).toBe(`Error: ${message}`.slice(0, 79) + "…");
    expect(describeFully(error)).toEqual({ text: describe(error), full: `Error: ${message}` });
    const long = { first: "a".repeat(30), second: "b".repeat(30), third: "c".repeat(30) };
    expect(describe(long).endsWith("…")).toBe(true);
    expect(describeFully(long).full).toBe("{ first: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', second: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', third: 'cccccccccccccccccccccccccccccc' }");
    // A string: cut at 40 characters inside its quotes.
    expect(describeFully("s".repeat(50))).toEqual({ text: JSON.stringify(`${"s".repeat(40)}…`), full: JSON.stringify("s".repeat(50)) });
    // Short ones have no full text; a full text has at most 1,000 characters.
    expect(describeFully(new Error("no"))).toEqual({ text: "Error: no" });
    expect(describeFully("a…")).toEqual({ text: '"a…"' });
    expect(describeFully(new Error("y".repeat(5000))).full).toHaveLength(1000);
    // A rejected promise on one line (inspect breaks it before the error), without the error's stack.
    const rejected = Promise.reject(new Error("no"));
    rejected.catch(() => {});
    expect(describe(rejected)).toBe("Promise { <rejected> Error: no }");
  });
});
