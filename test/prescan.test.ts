// src/transform/prescan.ts's hasLowerable, given the source text, enters only the nodes whose text holds an
// `async` or a `*`. It must answer as the walk of every node does: for each shape of async function and
// generator, for text where the words are only in strings, comments and names, and for every body the scope
// analyses are checked on (fixtures and examples, fuzzer programs, real code from node_modules).
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parsingOf } from "../src/transform/index.ts";
import { hasLowerable, parseAsBabelWould } from "../src/transform/prescan.ts";
import { itHoldsOnEveryBody } from "./support/files.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

/** The two answers, where they differ (empty: none). */
function differences(code: string, filename: string): string[] {
  const ast = parseAsBabelWould(code, filename, parsingOf(filename));
  if (!ast) return [];
  const walked = hasLowerable(ast);
  return hasLowerable(ast, code) === walked ? [] : [`with the text: ${!walked}, walking every node: ${walked}`];
}

const lowerable = (code: string, filename = "input.js") => {
  const ast = parseAsBabelWould(code, filename, parsingOf(filename))!;
  return hasLowerable(ast, code);
};

describe("hasLowerable with the source text", () => {
  it("finds every shape of async function and generator", () => {
    for (const code of [
      "async function f() {}",
      "export default async function () {}",
      "x = async () => 1;",
      "x = async x => 1;",
      "o = { async m() {} };",
      "o = { *m() {} };",
      "o = { async *m() {} };",
      "class C { static async m() {} }",
      "class C { static *[Symbol.iterator]() {} }",
      "function /* a comment */ * g() {}",
      "f(function*\n() {});",
      "if (a) { b(); } else { while (c) { d(() => { class E { async m() { await 1; } } }); } }",
    ]) expect(lowerable(code), code).toBe(true);
    expect(lowerable("class C { public async m(): Promise<void> {} }", "input.ts")).toBe(true);
  });

  it("is not misled by the words in strings, comments, names and products", () => {
    for (const code of [
      "",
      "const async = require('async'); async.each([], () => {});",
      "/** An async helper */ function f(a, b) { return a * b ** 2; }",
      "x = 'async function f() {}'; y = `function* ${a * b}`;",
      "async(x); x = async; x *= 2;",
      "class C { async() {} get async() { return 1; } }",
    ]) expect(lowerable(code), code).toBe(false);
  });

  itHoldsOnEveryBody(root, differences, 20261205);
});
