// How big the output grows with the input: temps are reused from statement to statement, so a long
// function gets a few temp fields, not one per await (issue 16, part 4).
import { describe, expect, it } from "vitest";
import { transform } from "../src/transform/index.ts";
import { runBoth } from "./support/harness.ts";

/** An async function of `n` statements that each keep a value across an await (four shapes in turn). */
function manyAwaits(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    if (i % 4 === 0) lines.push(`  total += await step(${i});`);
    else if (i % 4 === 1) lines.push(`  log("step ${i}", total, await step(${i}));`);
    else if (i % 4 === 2) lines.push(`  const v${i} = { at: ${i}, value: await step(${i}) };`);
    else lines.push(`  results.push(await step(v${i - 1}.value + ${i}));`);
  }
  return [
    "async function many(step, log, results) {",
    "  let total = 0;",
    ...lines,
    "  return total;",
    "}",
    "const results = [];",
    "many(async (i) => i, (...args) => args.length, results).then((total) => console.log(total, results.length, results.at(-1)));",
    "",
  ].join("\n");
}

/** The temp fields the machine's constructor declares (`this.$0 = undefined`, ...). */
function tempFields(code: string): string[] {
  return [...code.matchAll(/this\.(\$\d+) = undefined;/g)].map((match) => match[1]);
}

describe("output size", () => {
  it("a function with 500 awaits gets a small constant number of temp fields", () => {
    const small = tempFields(transform(manyAwaits(500), { filename: "many.js" }).code);
    const large = tempFields(transform(manyAwaits(1000), { filename: "many.js" }).code);
    expect(small.length).toBeGreaterThan(0);
    expect(small.length).toBeLessThanOrEqual(2);
    expect(large).toEqual(small);
  });

  it("a temp whose value never crosses an await is a const of its state, or `sent` itself", () => {
    const keyed = transform('"use strict";\nasync function f(o, key, value) {\n  o[await key()] = value();\n}\n', { filename: "keyed.js" }).code;
    expect(keyed).toMatch(/this\.o\[sent\] = /);
    expect(tempFields(keyed)).toEqual([]);
    const pattern = transform('"use strict";\nasync function f(src, key) {\n  let a;\n  ({ [await key()]: a } = src());\n  return a;\n}\n', { filename: "pattern.js" }).code;
    expect(pattern).toMatch(/const \$1 = toPropertyKey\(sent\);\n\s*a = this\.\$0\[\$1\];/);
    expect(tempFields(pattern)).toEqual(["$0"]);
  });

  it("a local used by several states that no await separates from its uses is a `let` of resume, not a field", () => {
    const code = transform(
      [
        "async function f(items, n) {",
        "  const out = [];",
        "  for (const item of items) {",
        "    const value = item * 10;",
        "    if (value > n) out.push(await value);",
        "    else out.push(-value);",
        "  }",
        "  let stage = 'start';",
        "  try {",
        "    stage = 'trying';",
        "    await out.pop();",
        "  } catch (e) {",
        "    console.log(stage);",
        "  }",
        "  return out;",
        "}",
      ].join("\n"),
      { filename: "between.js" },
    ).code;
    // `value` is set in the loop's state and read in the else branch's, with no await in between (`item`
    // stays a `const` of its one state); `out` is read after every await, and `stage` in the catch block,
    // where the runtime enters resume anew
    expect(code).toMatch(/resume\(sent\) \{\n\s*\/\/ locals that never live across an await\n\s*let value;\n/);
    expect(code).not.toMatch(/this\.value\b/);
    expect(code).toMatch(/ value = item \* 10;[^]* this\.out\.push\(-value\);/);
    for (const field of ["out", "stage"]) expect(code).toContain(`this.${field} = undefined;`);
  });

  it("a binding declared below a function is read after the await unless the function may run before the declaration", () => {
    // Nothing but declarations runs before `log` is: main cannot run earlier, so `log` cannot be in its dead zone.
    const below = (between: string) =>
      transform(`const fs = require("fs");\nasync function main(x) {\n  log(x, await x);\n}\nclass Box { static size = 1; }\n${between}const log = (...a) => console.log(...a);\nmain(1);\n`, { filename: "below.js" }).code;
    expect(tempFields(below(""))).toEqual([]);
    expect(below("")).toMatch(/\blog\(this\.x, sent\)/);
    // A call before the declaration may run main: `log` is read before the await, into a temp, as the source reads it.
    for (const between of ["main(0);\n", "const early = main(0);\n", "class Early { static started = main(0); }\n", "const { a } = { get a() { return main(0); } };\n"]) {
      expect(tempFields(below(between)), between).toEqual(["$0"]);
    }
  });

  it("the function with reused temps runs as natively", async () => {
    const { native, transformed, code } = await runBoth(manyAwaits(500), "many.js");
    expect(transformed, `transformed output:\n${code}`).toEqual(native);
    expect(native.length).toBe(1);
  });
});
