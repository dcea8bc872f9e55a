// transform()'s own pass hides from Babel's crawl the parts of a file the lowering reads nothing of
// (src/transform/narrow-crawl.ts). Each input here has what the lowering reads about a binding or a name in
// code of the kind that is hidden (outside the lowered functions), and must come out as from @babel/core's
// route, whose crawl sees the whole file: the same program, machines and warnings. Each also checks which parts the
// narrowing hides, so that the case stays one where hiding is at stake.
import { describe, expect, it } from "vitest";
import { parse } from "@babel/parser";
import generateModule from "@babel/generator";
import { parsingOf, transform, type TransformOptions } from "../src/transform/index.ts";
import { hideFromCrawl, putBack } from "../src/transform/narrow-crawl.ts";
import { normalized, throughBabelCore } from "./support/full-crawl.ts";

const generate = ((generateModule as unknown as { default?: unknown }).default ?? generateModule) as (node: object) => { code: string };

/** The source of each part hidden from the crawl. */
function hiddenParts(code: string, filename: string): string[] {
  const parsing = parsingOf(filename);
  const ast = parse(code, { sourceType: parsing.sourceType, ...parsing.parserOpts });
  const hidden = hideFromCrawl(ast);
  if (!hidden) return [];
  putBack(hidden, null);
  return hidden.parts.map((part) => generate(part.node).code.replace(/\s+/g, " "));
}

function sameAsFullCrawl(code: string, filename = "input.js", options: TransformOptions = {}) {
  const narrowed = transform(code, { filename, ...options });
  const full = throughBabelCore(code, filename, options);
  // (transform() prints what the lowering leaves as it was as written, print.ts: the same program)
  expect(normalized(narrowed.code, filename)).toBe(normalized(full.code!, filename));
  expect(narrowed.machines).toEqual(full.machines);
  expect(narrowed.warnings).toEqual(full.warnings);
  return narrowed.code;
}

describe("the crawl of transform()'s own pass", () => {
  it("sees every use of a lowered function's name (only called, or not)", () => {
    // `run`'s one use that is not a call is inside another function: visible, so `run` is observable.
    const code = `
const run = async () => { await null; return 1; };
function expose() { return run; }
function unrelated(a) { const list = [a, 2]; return list.map((x) => x * 2); }
run();
`;
    // (a module: a script's top-level bindings are the global object's, never only called)
    const output = sameAsFullCrawl(code, "input.mjs");
    expect(output).toContain("defineAsyncFunction");
    const hidden = hiddenParts(code, "input.mjs");
    expect(hidden.some((part) => part.startsWith("function unrelated"))).toBe(true);
    expect(hidden.some((part) => part.includes("expose"))).toBe(false);
    // The same with no other use: only ever called, the wrapper is a plain arrow.
    expect(sameAsFullCrawl(code.replace("return run;", "return 1;"), "input.mjs")).not.toContain("defineAsyncFunction");
  });

  it("sees a free `require` anywhere (the runtime is then required, not imported)", () => {
    const code = `
async function main() { await null; }
function load(name) { if (name) { return require(name); } return null; }
function local(require) { return require("x"); }
`;
    // (a module without import or export: CommonJS if it uses `require`, `module` or `exports` freely)
    const output = sameAsFullCrawl(code, "input.mjs");
    expect(output).toMatch(/require\("@stepwise\/runtime"\)/);
    // A `require` bound by a function of its own says nothing of the file: that function is hidden.
    expect(hiddenParts(code, "input.mjs").some((part) => part.startsWith("function local"))).toBe(true);
    const bound = `
async function main() { await null; }
function local(require) { return require("x"); }
`;
    expect(sameAsFullCrawl(bound, "input.mjs")).toMatch(/^import /);
  });

  it("sees an assignment to a binding a lowered function reads, also inside other functions", () => {
    const code = `
let x = 1;
const g = async () => { await null; return x; };
function bump() { x = 2; }
function shadow(x) { x = 3; return () => x; }
export { g, bump, shadow };
`;
    sameAsFullCrawl(code, "input.mjs");
    const hidden = hiddenParts(code, "input.mjs");
    // (a function's own `x` is its own: hidden)
    expect(hidden.some((part) => part.includes("x = 3"))).toBe(true);
    expect(hidden.some((part) => part.includes("x = 2"))).toBe(false);
  });

  it("hides what only reads a binding a lowered function uses, but not what assigns or deletes it", () => {
    // `x`'s references outside `g` are read by nothing (only whether it is constant, and where it is
    // declared): a part that only reads it is hidden; one that assigns it (in any form) stays. `g`'s own
    // name is another matter: whether something but a call uses it decides its function object.
    const code = `
let x = 1;
var y = 2;
const g = async () => { await null; return x + y; };
function reads() { return [x, x.length, -x, { value: x }, \`\${x}\`]; }
function destructures() { ({ value: x } = { value: 3 }); }
function counts() { y++; }
function forgets() { delete y; }
`;
    // (a script: `delete` of a name is sloppy code)
    sameAsFullCrawl(code);
    const hidden = hiddenParts(code, "input.js");
    expect(hidden.some((part) => part.startsWith("function reads"))).toBe(true);
    for (const name of ["destructures", "counts", "forgets"]) expect(hidden.some((part) => part.startsWith(`function ${name}`))).toBe(false);
    // (with the assignments gone, `x` and `y` never change: the same output as the whole file crawled)
    sameAsFullCrawl(code.replace(/^function (destructures|counts|forgets).*$/gm, ""));
  });

  it("keeps what is around a lowered function exact: `arguments` of a sloppy function, a direct eval", () => {
    sameAsFullCrawl(`
function outer(a) {
  const first = () => arguments[0];
  const g = async () => { await null; return a + first(); };
  return g;
}
function viaEval(b) {
  function inner() { return eval("b"); }
  return async () => { await null; return b + inner(); };
}
`);
  });

  it("counts the names the hidden functions declare (a name the lowered function cannot resolve)", () => {
    const code = `
async function g() { await null; return zz; }
function other(zz) { return zz + 1; }
`;
    sameAsFullCrawl(code);
    expect(hiddenParts(code, "input.js").some((part) => part.startsWith("function other"))).toBe(true);
  });

  it("keeps a catch clause's `var` where Babel binds it (here the program's)", () => {
    // (a program's binding is no capture: the class can live at the top of the program)
    const code = `
try { throw 1; } catch (e) { var e = 2; }
function wrap() { return async () => { await null; return e; }; }
function elsewhere() { try { throw 1; } catch (e) { return e; } }
`;
    sameAsFullCrawl(code);
    expect(hiddenParts(code, "input.js").some((part) => part.startsWith("function elsewhere"))).toBe(true);
  });

  it("keeps the declarations of a function that stays visible (its own names resolve in it)", () => {
    // \`h\` stays visible (it calls \`g\`); its \`x = g()\` assigns its own \`x\`, not the program's, which stays
    // constant for \`g\` (read after the await without being saved first).
    const code = `
let x = 1;
const g = async () => x + (await null);
function h() { var x; x = g(); return x; }
export { h };
`;
    sameAsFullCrawl(code, "input.mjs");
    expect(hiddenParts(code, "input.mjs").some((part) => part.startsWith("var x"))).toBe(false);
  });

  it("counts the names hidden functions declare, for a nested lowered function", () => {
    // (\`zz\` is declared somewhere, so the class of the arrow stays inside \`wrap\`)
    sameAsFullCrawl(`
function wrap() { return async () => { await null; return zz; }; }
function other(zz) { return zz + 1; }
`);
  });

  it("gives the same output as the whole file crawled for a script with an inlined runtime", () => {
    sameAsFullCrawl(
      `
var total = 0;
function add(n) { total += n; }
async function* numbers() { yield 1; add(await 2); }
`,
      "input.cjs",
      { runtime: "inline" },
    );
  });
});

// In a JavaScript file Babel crawls only the lowered functions, and every lookup that leaves them reads the
// file's scope tree (src/transform/analyze/outer-bindings.ts). Each case has an answer that only code
// outside the lowered functions gives, and must come out as with the whole file crawled.
describe("the lookups outside the lowered functions (the scope tree)", () => {
  it("`arguments` an outer function declares, and an outer parameter mapped to `arguments`", () => {
    sameAsFullCrawl(`
function outer() { var arguments = [1]; return async () => arguments[0] + (await null); }
function mapped(a) { arguments[0] = 2; return async () => a + (await null); }
function keyed(a) { return [{ [arguments.length]() {} }, async () => a + (await null)]; }
function plain(a) { return async () => a + (await null); }
`);
  });

  it("a direct eval in a function around a lowered one, and one a binding named eval hides", () => {
    sameAsFullCrawl(`
function around(code) { eval(code); return async () => (await null, code); }
function hidden(eval, code) { eval(code); return async () => (await null, code); }
`);
  });

  it("a free require outside the lowered functions makes a module without import or export CommonJS", () => {
    const code = sameAsFullCrawl(`
const fs = require("fs");
async function read() { return (await null, fs); }
`, "input.js");
    expect(code).toContain('require("@stepwise/runtime")');
  });

  it("an own async generator called by a for await, assigned globals, and a generator passing itself by name", () => {
    sameAsFullCrawl(`
async function* ticks() { yield 1; }
async function main() { for await (const t of ticks()) log(t); }
function later() { counter = 1; counter++; }
async function reads() { return counter + (await null); }
function holder() { function* self() { yield self; } return self; }
function changes() { function* again() { yield 1; } again = null; return again; }
`, "input.mjs");
  });

  it("Symbol an outer scope declares, and a sloppy assignment to a name an outer function declares", () => {
    sameAsFullCrawl(`
function withSymbol(Symbol) { return { async *[Symbol.iterator]() { yield await 1; } }; }
function declares() { var declared; return async () => { declared = await 1; undeclared = 2; }; }
`);
  });
});
