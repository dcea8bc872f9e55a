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
    expect(pattern).toMatch(/const \$1 = toPropertyKey\(sent\);\n\s*this\.a = this\.\$0\[\$1\];/);
    expect(tempFields(pattern)).toEqual(["$0"]);
  });

  it("the function with reused temps runs as natively", async () => {
    const { native, transformed, code } = await runBoth(manyAwaits(500), "many.js");
    expect(transformed, `transformed output:\n${code}`).toEqual(native);
    expect(native.length).toBe(1);
  });
});
