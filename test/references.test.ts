// Which identifiers name a binding, read off a walk of the nodes (analyze/references.ts `isReferenceNode`,
// which the survey of analyze/bindings.ts asks for every identifier below a lowered function), must be Babel's
// answer read off paths (`isReference`): with what one identifier's walk up found kept for the next
// identifier, as the survey keeps it, in the walk's order.
import { describe, expect, it } from "vitest";
import { parse } from "@babel/parser";
import traverseModule, { type NodePath, type Visitor } from "@babel/traverse";
import type * as t from "@babel/types";
import { isReference, isReferenceNode } from "../src/transform/analyze/references.ts";

const traverse = ((traverseModule as unknown as { default?: unknown }).default ?? traverseModule) as (root: t.Node, visitor: Visitor) => void;

/** Each identifier's answer both ways, in the order of the walk. */
function answers(code: string, typescript: boolean): { name: string; line: number; byPath: boolean; byNodes: boolean }[] {
  const ast = parse(code, { sourceType: "module", plugins: typescript ? ["typescript"] : ["jsx"] });
  const kept = new Map<t.Node, boolean>();
  const found: { name: string; line: number; byPath: boolean; byNodes: boolean }[] = [];
  const visit = (path: NodePath<t.Identifier | t.JSXIdentifier>) => {
    // (the ancestors from the program down to the parent, as the survey's walk has them)
    const ancestors = path.getAncestry().slice(1).reverse().map((ancestor) => ancestor.node).filter((node) => node.type !== "File");
    const grandparent = path.parentPath?.parent ?? null;
    found.push({ name: path.node.name, line: path.node.loc!.start.line, byPath: isReference(path), byNodes: isReferenceNode(path.node, ancestors, grandparent, kept) });
  };
  traverse(ast, { Identifier: visit, JSXIdentifier: visit });
  return found;
}

const TYPESCRIPT = `
export async function f(x: number, y: Map<string, typeof x>): Promise<typeof y> {
  enum E { A = x + y.size, B = A * 2 }
  const z = (x as unknown as number) + (y satisfies Map<string, number>).size + x!;
  let w: { a: typeof z; b: Array<typeof w> } = { a: z, b: [] };
  for (const k of [x, z]) type T = typeof k;
  namespace N { export const inner = x + z; }
  type F = (a: typeof x, b?: E) => typeof N.inner;
  class C<T extends typeof x> implements I<typeof z> { m(p: T = x as T): T { return p ?? (z as T); } }
  interface I<U> { v: U; f(q: typeof z): void }
  const g = <V,>(v: V): V => v;
  return g<typeof y>(y);
}
`;

const JAVASCRIPT = `
export async function f(x, { y = x, z: [w = y] }) {
  for (let i = 0, j = i; i < j; i++) label: for (const k in x) continue label;
  const o = { x, y: x.y, [z]: w, m() { return this.x; } };
  class C { #p = x; static q = y; get r() { return this.#p; } }
  const el = <Item value={x} {...o}><Inner.Part key={w} /></Item>;
  return await import.meta.url, new.target, el, o?.x ?? C;
}
`;

describe("isReferenceNode keeps Babel's answer, with what it found kept per ancestor", () => {
  for (const [label, code, typescript] of [["TypeScript", TYPESCRIPT, true], ["JavaScript with JSX", JAVASCRIPT, false]] as const) {
    it(label, () => {
      const found = answers(code, typescript);
      expect(found.length).toBeGreaterThan(40);
      const differ = found.filter((answer) => answer.byPath !== answer.byNodes);
      expect(differ).toEqual([]);
      // (both answers occur: names in types are no references)
      expect(found.some((answer) => !answer.byPath)).toBe(true);
      expect(found.some((answer) => answer.byPath)).toBe(true);
    });
  }

  it("a long expression's identifiers, each answered once from its parent's kept answer", () => {
    const code = `async function f(a) { return ${Array.from({ length: 300 }, () => "await a").join(" + ")}; }`;
    const found = answers(code, false);
    expect(found.filter((answer) => answer.name === "a").every((answer) => answer.byPath && answer.byNodes)).toBe(true);
  });
});
