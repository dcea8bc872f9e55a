// In transform()'s own pass over a JavaScript file, an outermost lowered function with nothing lowered inside
// it is read off the file's scope tree, with no paths or scopes of Babel's below it (FileContext.fromTree):
// its bindings, renames, temporal dead zones and `arguments` come from the tree's scopes, and what only
// Babel's scopes tell (a function declared in a block of sloppy code) gives it Babel's scopes after all.
// Each case must come out as from @babel/core's route, whose crawl sees the whole file and which reads
// Babel's scopes throughout; each also says whether the function was given Babel's scopes (tree-scopes.ts
// `scopesFromTree`), so that it stays a case of the route it is meant to test. (Every fixture goes through
// this route in the differential tests.)
import { describe, expect, it, vi } from "vitest";
import { transform } from "../src/transform/index.ts";
import { normalized, throughBabelCore } from "./support/full-crawl.ts";

const given = vi.hoisted(() => ({ scopes: 0 }));
vi.mock("../src/transform/tree-scopes.ts", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../src/transform/tree-scopes.ts")>();
  return {
    ...actual,
    scopesFromTree: (...args: Parameters<typeof actual.scopesFromTree>) => {
      given.scopes++;
      return actual.scopesFromTree(...args);
    },
  };
});

/** transform()'s output, checked against the whole file crawled; `scopesGiven`: how many functions got Babel's scopes. */
function sameAsFullCrawl(code: string, filename: string, scopesGiven: number): string {
  given.scopes = 0;
  const fromTree = transform(code, { filename });
  expect(given.scopes).toBe(scopesGiven);
  const full = throughBabelCore(code, filename);
  expect(normalized(fromTree.code, filename)).toBe(normalized(full.code, filename));
  expect(fromTree.machines).toEqual(full.machines);
  expect(fromTree.warnings).toEqual(full.warnings);
  return fromTree.code;
}

describe("a lowered function read from the scope tree", () => {
  it("checks the accesses that may come before a declaration: hoisted functions, switch cases, loop heads, parameters, a class's own name", () => {
    const output = sameAsFullCrawl(
      `
export async function hoisted() { g(); await 0; let x = 1; function g() { return x; } return x; }
export async function cases(k) {
  switch (k) { case 0: await 0; let y = 1; return y; case 1: y = 2; return y; }
}
export async function head(list) { for (const v of (await list, [1])) { let w = v; await w; } }
export async function params(a = b, b = 1) { await a; return b; }
export async function named() { await 0; class K { m() { return K; } } return new K().m(); }
export async function later() { const read = () => z; await 0; const z = 1; return read(); }
export async function* generated(flag) { if (flag) return x; let x = await 1; yield x; return x; }
`,
      "input.mjs",
      0,
    );
    // (g reads x before its declaration ran; so does case 1's y, and a default its later parameter)
    expect(output).toContain('checkInitialized(machine.x, "x")');
    expect(output).toContain('checkInitialized(this.y, "y")');
    // (an async generator's `return x` awaits x, read before its `let`)
    expect(output.match(/checkInitialized\(this\.x, "x"\)/g)?.length).toBeGreaterThan(0);
  });

  it("finds where a closure among many, in a long body, is made: before the declaration it reads or after", () => {
    // (more than a few statements and closures: the list's item around an access and the closure around it
    // are found by binary searches, tdz.ts \`itemsAround\` and \`inRanges\`)
    const statement = (i: number) =>
      i === 20 ? "  let late = await 20;" : i > 20 && i % 2 === 1 ? `  function g${i}() { return late + ${i}; }` : `  use(() => late + ${i}); await ${i};`;
    const output = sameAsFullCrawl(`export async function many(use) {\n${Array.from({ length: 40 }, (_, i) => statement(i)).join("\n")}\n  return late;\n}\n`, "input.mjs", 0);
    // (the closures made before the declaration read \`late\` checked, and so do the functions declared after
    // it, which exist from the start of the body; the arrows made after it read it plainly)
    expect(output.match(/checkInitialized\((this|machine)\.late, "late"\)/g)).toHaveLength(30);
    expect(output).toContain("() => this.late + 22");
  });

  it("renames block bindings apart, writing a shorthand property out, and reads a catch clause's pattern", () => {
    const output = sameAsFullCrawl(
      `
export async function blocks() { { let a = 1; await a; } { let a = 2; await a; return { a }; } }
export async function caught() { try { await 0; } catch ({ message, stack: [first] = [] }) { return message + first; } }
`,
      "input.mjs",
      0,
    );
    expect(output).toContain("a: this.a_1");
  });

  it("maps a sloppy function's `arguments` to its parameters, and reads a named expression's own name", () => {
    sameAsFullCrawl(
      `
async function mapped(a) { a = 2; await 0; return arguments[0]; }
var self = (async function named() { await 0; return named; })();
var g = { *[Symbol.iterator](Symbol) { yield Symbol; } };
`,
      "input.js",
      0,
    );
  });

  it("is given Babel's scopes for a function declared in a block of sloppy code (Annex B), and for one with a lowered function inside", () => {
    sameAsFullCrawl(
      `
async function annexB() { { function h() { return 1; } } await 0; return h(); }
async function strictOne() { "use strict"; { function h() { return 1; } } await 0; return typeof h; }
async function outer() { const inner = async () => 1; return await inner(); }
`,
      "input.js",
      2,
    );
  });
});
