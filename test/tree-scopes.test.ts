// src/transform/tree-scopes.ts gives an outermost lowered function the paths and scopes Babel's crawl of it
// would, from the file's scope tree. Here, for each such function of a file (as transform()'s own pass hides
// them from the File's crawl, narrow-crawl.ts), what it makes must be what the crawl makes of the same
// function: for every node below it, the scope of its path; for every scope, its bindings in the same order
// (the lowering iterates them), each with the same kind, identifier, declaration, constancy, references and
// constant violations in the same order. For every JavaScript fixture and example, programs the fuzzer
// generates and real code from node_modules.
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as babelCore from "@babel/core";
import type { NodePath, Scope } from "@babel/traverse";
import { parsingOf } from "../src/transform/index.ts";
import { parseAsBabelWould } from "../src/transform/prescan.ts";
import { babelCaches } from "../src/transform/babel-memory.ts";
import { buildScopeTree } from "../src/transform/analyze/scope-tree.ts";
import { hideAllButLowered, putBack } from "../src/transform/narrow-crawl.ts";
import { scopesFromTree } from "../src/transform/tree-scopes.ts";
import * as t from "../src/transform/types.ts";
import { itHoldsOnEveryBody } from "./support/files.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const File = (babelCore as unknown as { File: new (options: object, input: { code: string; ast: t.File; inputMap: null }) => { path: NodePath<t.Program> } }).File;

const where = (node: t.Node | null | undefined) => (node ? `${node.type}@${node.loc?.start.line}:${node.loc?.start.column}` : String(node));

/** Every node below `fn` with its parent, in the order of a walk. */
function below(fn: t.Node): [t.Node, t.Node][] {
  const found: [t.Node, t.Node][] = [];
  const stack: t.Node[] = [fn];
  while (stack.length > 0) {
    const parent = stack.pop()!;
    const children: t.Node[] = [];
    for (const key of t.VISITOR_KEYS[parent.type] ?? []) {
      const child = (parent as unknown as Record<string, t.Node | (t.Node | null)[] | null>)[key];
      for (const item of Array.isArray(child) ? child : [child]) if (item && typeof item.type === "string") children.push(item);
    }
    for (const child of children) found.push([child, parent]);
    stack.push(...children.reverse());
  }
  return found;
}

/** What Babel now knows of `fn` and the nodes below it, as lines to compare. */
function describeScopes(fn: NodePath<t.Function>): string[] {
  const { path: paths, scope: scopes } = babelCaches();
  const lines: string[] = [];
  const describeScope = (scope: Scope) => {
    lines.push(`scope of ${where(scope.block)}`);
    for (const name in scope.bindings) {
      const binding = scope.bindings[name];
      const nodes = (list: NodePath[]) => list.map((path) => where(path.node)).join(" ");
      lines.push(
        `  ${name}: ${binding.kind} ${where(binding.identifier)} in ${where(binding.path.node)} of ${where(binding.scope.block)}, ${binding.constant ? "constant" : "changes"}, ` +
          `${binding.references} references [${nodes(binding.referencePaths)}], violations [${nodes(binding.constantViolations)}]`,
      );
    }
  };
  describeScope(fn.scope);
  for (const [node, parent] of below(fn.node)) {
    const path = paths.get(parent)?.get(node);
    if (!path) {
      lines.push(`${where(node)}: no path`);
      continue;
    }
    // (an identifier with no scope of its own: the scope its path has)
    lines.push(`${where(node)} in ${where(path.scope?.block)}`);
    const scope = scopes.get(node);
    if (scope && scope.path === path) describeScope(scope);
  }
  return lines;
}

/**
 * For each outermost lowered function of the file: the scopes made from the tree against the crawl's, as lines
 * that differ (and a line if fewer than `expected` functions were compared).
 */
function differences(code: string, filename: string, expected = 0): string[] {
  const ast = parseAsBabelWould(code, filename, parsingOf(filename));
  if (!ast) return [];
  const tree = buildScopeTree(ast.program);
  const hidden = hideAllButLowered(ast, tree, () => []);
  if (!hidden) return [];
  let program: NodePath<t.Program> | null = null;
  try {
    program = new File({ filename: resolve(filename) }, { code, ast, inputMap: null }).path;
  } finally {
    putBack(hidden, program);
  }
  const functions: NodePath<t.Function>[] = [];
  program!.traverse({
    Function(path) {
      if (!hidden.info.onEntry?.functions.has(path.node)) return;
      functions.push(path);
      path.skip();
    },
  });
  const found: string[] = [];
  if (functions.length < expected) found.push(`${functions.length} lowered functions compared, ${expected} expected`);
  for (const fn of functions) {
    const kept = new Set(scopesFromTree(fn, tree));
    const fromTree = describeScopes(fn);
    // The crawl's, from nothing: what the tree made forgotten (as babel-memory.ts forgets a function).
    const { path: paths, scope: scopes } = babelCaches();
    // (what it says Babel keeps something for is all there is to forget of it)
    for (const [node] of below(fn.node)) {
      if ((paths.has(node) || scopes.has(node)) && !kept.has(node)) found.push(`${where(fn.node)}: Babel keeps something for a ${node.type} at ${where(node)} not listed`);
    }
    for (const [node] of below(fn.node)) {
      paths.delete(node);
      scopes.delete(node);
    }
    paths.delete(fn.node);
    fn.scope.crawl();
    const crawled = describeScopes(fn);
    for (let i = 0; i < Math.max(fromTree.length, crawled.length); i++) {
      if (fromTree[i] !== crawled[i]) {
        found.push(`${where(fn.node)}, line ${i}: ${fromTree[i]} / crawl: ${crawled[i]}`);
        break;
      }
    }
  }
  return found;
}

describe("scopes made from the tree: the same as Babel's crawl of each lowered function", () => {
  it("a small case of each kind of binding", () => {
    const code = `
      async function f(a, { b, c = a }, ...d) {
        var v = 1;
        let [x, y = v] = d;
        for (var i = 0; i < 2; i++) { const k = i; function inner() { return k; } await inner(); }
        for (const e of d) x += e;
        try { await x; } catch ({ message }) { v = message; }
        class C { m() { return C; } }
        label: { break label; }
        switch (a) { case 1: let s = 1; await s; }
        return (function named() { return named; })() + x + y + b + c + new C().m();
      }
      const g = function* () { let z = yield; z++; delete z; };
      class K { async method(q = () => q) { return this; } static { (async () => { var inside; })(); } }
    `;
    expect(differences(code, "input.js", 3)).toEqual([]);
  });

  it("JSX names (a .jsx file)", () => {
    const code = `
      import Item from "./item.js";
      export async function* list(items, Wrapper = "div") {
        const Local = (props) => <span {...props} />;
        for await (const item of items) yield <Wrapper key={item.id}><Item.Row value={item} /><Local x={Wrapper} /></Wrapper>;
      }
    `;
    expect(differences(code, "input.jsx", 1)).toEqual([]);
  });

  itHoldsOnEveryBody(root, differences, 20261205);
});
