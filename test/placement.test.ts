// Where a function's machine class lives (emit/placement.ts, docs/lowering.md "Functions inside functions"):
// at the top of the program when the function sees nothing around it but values that cannot change, which
// it is passed by value; inside the code that creates it otherwise. The differential fixtures prove either
// placement runs as native; these pin which one a function gets, whichever of the functions involved is
// lowered first.
import { describe, expect, it } from "vitest";
import { transform } from "../src/transform/index.ts";

/** The machine classes declared at the top of the program, and those declared inside other code. */
function placements(code: string): { top: string[]; inside: string[] } {
  const output = transform(code, { filename: "placement.js", runtime: "import" }).code;
  const top: string[] = [];
  const inside: string[] = [];
  for (const match of output.matchAll(/^( *)class (\w+) extends \w*Machine/gm)) (match[1] === "" ? top : inside).push(match[2]);
  return { top, inside };
}

describe("machine class placement", () => {
  it("a function capturing a function declaration of the body around it is hoisted, lowered before it or after it", () => {
    const lowered = placements(`function outer() {
  async function F() { return 1; }
  const g = async () => F();
  return g;
}`);
    expect(lowered.inside).toEqual([]);
    const notYet = placements(`function outer() {
  const g = async () => F();
  async function F() { return 1; }
  return g;
}`);
    expect(notYet.inside).toEqual([]);
  });

  it("one capturing a declaration that is assigned stays inside, lowered before it or after it", () => {
    for (const code of [
      `function outer() {
  async function F() { return 1; }
  const g = async () => F();
  F = null;
  return g;
}`,
      `function outer() {
  const g = async () => F();
  async function F() { return 1; }
  F = null;
  return g;
}`,
    ]) {
      expect(placements(code).inside).toEqual(["G"]);
    }
  });

  it("one capturing a declaration of a block stays inside (its `let` is not initialized before the block)", () => {
    expect(placements(`function outer() {
  {
    async function F() { return 1; }
    var g = async () => F();
  }
  return g;
}`).inside).toEqual(["G"]);
  });

  it("the machines a class keeps in its body come in the order of their methods", () => {
    const output = transform(`class Store {
  #items = new Map();
  async put(k, v) { await 0; this.#items.set(k, v); }
  async *entries() { yield* this.#items; }
  static async open() { const s = new Store(); await s.put("init", 0); return s; }
}`, { filename: "store.js", runtime: "import" }).code;
    expect([...output.matchAll(/static #(\w+) = class/g)].map((match) => match[1])).toEqual(["Store_put", "Store_entries", "Store_open"]);
  });
});
