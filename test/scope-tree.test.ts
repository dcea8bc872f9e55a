// src/transform/analyze/scope-tree.ts reads a file's scopes off its nodes by Babel's crawl's rules. Here it
// must give what the crawl gives (@babel/core's File, which crawls the whole file): the same scopes with the
// same parents, and in each the same bindings, each of the same kind, declaring identifier, declaration,
// constancy, references and constant violations, in the same order; and the same globals. For small inputs
// that each exercise one rule, for every JavaScript fixture and example, for programs the fuzzer generates,
// and for real code (the files of node_modules with async functions or generators, as bench/corpus.ts takes
// them, up to a cap).
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as babelCore from "@babel/core";
import type { Binding, NodePath, Scope } from "@babel/traverse";
import { parsingOf } from "../src/transform/index.ts";
import { parseAsBabelWould } from "../src/transform/prescan.ts";
import { babelCaches } from "../src/transform/babel-memory.ts";
import { buildScopeTree, getBinding, type BindingFacts, type ScopeTree } from "../src/transform/analyze/scope-tree.ts";
import { yieldStarQuote, type YieldStarQuote } from "../src/transform/analyze/yield-star-quotes.ts";
import * as t from "../src/transform/types.ts";
import { itHoldsOnEveryBody } from "./support/files.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const File = (babelCore as unknown as { File: new (options: object, input: { code: string; ast: t.File; inputMap: null }) => { path: NodePath<t.Program> } }).File;

/** Where a node is, for messages. */
const where = (node: t.Node | null | undefined) => (node ? `${node.type}@${node.loc?.start.line}:${node.loc?.start.column}` : String(node));

/** Every difference between the tree and Babel's crawl of the same tree (empty: none). */
function differences(code: string, filename: string): string[] {
  const ast = parseAsBabelWould(code, filename, parsingOf(filename));
  if (!ast) return [];
  const tree = buildScopeTree(ast.program);
  const programPath = new File({ filename: resolve(filename) }, { code, ast, inputMap: null }).path;
  const program = programPath.scope;
  const babelScopes = babelCaches().scope;
  const found: string[] = [];
  found.push(...fileDifferences(programPath, tree));
  t.traverseFast(ast.program, (node) => {
    const babel = babelScopes.get(node);
    const ours = tree.scopeOf.get(node);
    if (!babel !== !ours) return void found.push(`${where(node)}: a scope for Babel ${!!babel}, here ${!!ours}`);
    if (!babel || !ours) return;
    if ((babel.parent?.block ?? null) !== (ours.parent?.node ?? null)) found.push(`${where(node)}: parent ${where(babel.parent?.block)} / ${where(ours.parent?.node)}`);
    const lowered = babel.path.find((path) => path.isFunction() && (path.node.async === true || path.node.generator === true)) !== null;
    if (lowered !== ours.lowered) found.push(`${where(node)}: inside a lowered function ${lowered} / ${ours.lowered}`);
    const names = Object.keys(babel.bindings).sort();
    const own = [...ours.bindings.keys()].sort();
    if (names.join() !== own.join()) found.push(`${where(node)}: bindings [${names}] / [${own}]`);
    for (const name of names) {
      const binding = ours.bindings.get(name);
      if (binding) found.push(...bindingDifferences(`${where(node)} "${name}"`, babel.bindings[name], binding));
    }
  });
  const globals = Object.keys(program.globals).sort();
  if (globals.join() !== [...tree.globals.keys()].sort().join()) found.push(`globals [${globals}] / [${[...tree.globals.keys()].sort()}]`);
  else for (const name of globals) if (program.globals[name] !== tree.globals.get(name)) found.push(`global "${name}": another identifier`);
  return found;
}

function bindingDifferences(what: string, babel: Binding, ours: BindingFacts): string[] {
  const found: string[] = [];
  if (babel.kind !== ours.kind) found.push(`${what}: kind ${babel.kind} / ${ours.kind}`);
  if (babel.identifier !== ours.identifier) found.push(`${what}: identifier ${where(babel.identifier)} / ${where(ours.identifier)}`);
  if (babel.path.node !== ours.declaration) found.push(`${what}: declaration ${where(babel.path.node)} / ${where(ours.declaration)}`);
  if (babel.scope.block !== ours.scope.node) found.push(`${what}: scope ${where(babel.scope.block)} / ${where(ours.scope.node)}`);
  if (babel.constant !== ours.constant) found.push(`${what}: constant ${babel.constant} / ${ours.constant}`);
  const same = (a: t.Node[], b: t.Node[]) => a.length === b.length && a.every((node, i) => node === b[i]);
  const references = babel.referencePaths.map((path) => path.node);
  if (!same(references, ours.references)) found.push(`${what}: references [${references.map(where)}] / [${ours.references.map(where)}]`);
  const violations = babel.constantViolations.map((path) => path.node);
  if (!same(violations, ours.violations)) found.push(`${what}: violations [${violations.map(where)}] / [${ours.violations.map(where)}]`);
  const parents = babel.referencePaths.map((path) => path.parent!);
  if (!same(parents, ours.referenceParents)) found.push(`${what}: references' parents [${parents.map(where)}] / [${ours.referenceParents.map(where)}]`);
  // (the tree has nothing above the program)
  const grandparent = babel.path.parent?.type === "Program" ? undefined : babel.path.parentPath?.parent;
  if (ours.kind === "hoisted" && (babel.path.parent !== ours.declarationParent || grandparent !== ours.declarationGrandparent)) {
    found.push(`${what}: declared in ${where(babel.path.parent)} in ${where(babel.path.parentPath?.parent)} / ${where(ours.declarationParent)} in ${where(ours.declarationGrandparent)}`);
  }
  return found;
}

/**
 * The tree's facts of the whole file (FileContext reads them where Babel crawled only the lowered functions)
 * against the same read off the paths of the whole file crawled, as FileContext reads them elsewhere.
 */
function fileDifferences(program: NodePath<t.Program>, tree: ScopeTree): string[] {
  const names = new Set<string>();
  const lowerable = new Set<t.Node>();
  let hasWith = false;
  let hasUsing = false;
  const assigned = new Set<string>();
  const evalCalls = new Map<t.Node, t.CallExpression>();
  const readsArguments = new Set<t.Node>();
  const yieldStarQuotes = new Map<t.Node, YieldStarQuote>();
  const forAwaitCalls: string[] = [];
  program.traverse({
    YieldExpression(path) {
      if (!path.node.delegate) return;
      const fn = path.getFunctionParent()!;
      const nodes: t.Node[] = [path.node];
      for (let p: NodePath | null = path.parentPath; p && p !== fn.parentPath; p = p.parentPath) nodes.unshift(p.node);
      const quote = yieldStarQuote(nodes, fn.node.async === true);
      if (quote !== undefined) yieldStarQuotes.set(path.node, quote);
    },
    ForOfStatement(path) {
      const { right } = path.node;
      if (path.node.await && right.type === "CallExpression" && right.callee.type === "Identifier") forAwaitCalls.push(`${where(right)} in ${where(path.scope.block)}`);
    },
    Identifier(path) {
      names.add(path.node.name);
      if (path.node.name !== "arguments" || !path.isReferencedIdentifier() || path.scope.getBinding("arguments")) return;
      // (by scopes: a method's computed key reads the `arguments` of the function around the method)
      for (let scope: Scope | undefined = path.scope; scope; scope = scope.parent) {
        if (scope.path.isFunction() && !scope.path.isArrowFunctionExpression()) return void readsArguments.add(scope.block);
      }
    },
    Function(path) {
      if (!path.node.async && !path.node.generator) return;
      for (let p: NodePath | null = path; p && !lowerable.has(p.node); p = p.parentPath) lowerable.add(p.node);
    },
    WithStatement() {
      hasWith = true;
    },
    VariableDeclaration(path) {
      if (path.node.kind === "using" || path.node.kind === "await using") hasUsing = true;
    },
    CallExpression(path) {
      if (!t.isIdentifier(path.node.callee, { name: "eval" }) || path.scope.getBinding("eval")) return;
      for (let fn = path.getFunctionParent(); fn; fn = fn.getFunctionParent()) if (!evalCalls.has(fn.node)) evalCalls.set(fn.node, path.node);
    },
    "AssignmentExpression|UpdateExpression"(path: NodePath) {
      const node = path.node as t.AssignmentExpression | t.UpdateExpression;
      const target = node.type === "AssignmentExpression" ? node.left : node.argument;
      for (const name of Object.keys(t.getBindingIdentifiers(target as t.Node))) if (!path.scope.hasBinding(name, true)) assigned.add(name);
    },
  });
  const found: string[] = [];
  const sameSet = (what: string, a: Set<unknown>, b: Set<unknown>) => {
    if (a.size !== b.size || [...a].some((x) => !b.has(x))) found.push(`${what}: [${[...a].map((x) => (typeof x === "string" ? x : where(x as t.Node)))}] / [${[...b].map((x) => (typeof x === "string" ? x : where(x as t.Node)))}]`);
  };
  const file = tree.file;
  sameSet("names", names, file.names);
  sameSet("lowerable", lowerable, file.lowerable);
  sameSet("functions reading their arguments", readsArguments, file.readsArguments);
  sameSet("assigned globals", assigned, file.assignedGlobals);
  if (hasWith !== file.hasWith || hasUsing !== file.hasUsing) found.push(`with ${hasWith} / ${file.hasWith}, using ${hasUsing} / ${file.hasUsing}`);
  const calls = (map: Map<t.Node, t.Node>) => [...map].map(([fn, call]) => `${where(fn)}:${where(call)}`).join();
  if (calls(evalCalls) !== calls(file.evalCalls)) found.push(`eval calls [${calls(evalCalls)}] / [${calls(file.evalCalls)}]`);
  const quotes = (map: Map<t.Node, YieldStarQuote>) => [...map].map(([node, quote]) => `${where(node)}:${quote}`).join();
  if (quotes(yieldStarQuotes) !== quotes(file.yieldStarQuotes)) found.push(`yield* quotes [${quotes(yieldStarQuotes)}] / [${quotes(file.yieldStarQuotes)}]`);
  const loops = file.forAwaitCalls.map(([call, scope]) => `${where(call)} in ${where(scope.node)}`);
  if (forAwaitCalls.join() !== loops.join()) found.push(`for await calls [${forAwaitCalls}] / [${loops}]`);
  return found;
}

function treeOf(code: string, filename = "input.js"): ScopeTree {
  return buildScopeTree(parseAsBabelWould(code, filename, parsingOf(filename))!.program);
}

/** The binding `name` has where the identifier `name` first appears after `marker` in the source. */
function bindingAt(tree: ScopeTree, code: string, marker: string, name: string): BindingFacts | undefined {
  const at = code.indexOf(marker);
  let found: BindingFacts | undefined;
  const visit = (scope: ScopeTree["program"]) => {
    for (const binding of scope.bindings.values()) {
      if (binding.name === name && binding.identifier.start! >= at && (!found || binding.identifier.start! < found.identifier.start!)) found = binding;
    }
  };
  for (const scope of tree.scopeOf.values()) visit(scope);
  return found;
}


describe("scope tree: the crawl's rules, one at a time", () => {
  const cases: [string, string, string?][] = [
    ["var hoists to the function, let stays in its block", "function f() { { var a = 1; let b = 2; } return a; }"],
    ["a var of a for head and of a for-in/of head", "function f(o) { for (var i = 0; i < 3; i++) {} for (var k in o) {} for (var v of []) {} return [i, k, v]; }"],
    ["let and const heads, and an identifier head (a constant violation)", "let x; for (let i = 0; i < 1; i++) {} for (const k in {}) {} for (x of [1]) {} for ([x] of [[1]]) {}"],
    ["a var with an initializer in a loop is not constant; without one it is", "for (;;) { var a = 1; var b; function c() {} break; }"],
    ["declared twice", "var a = 1; var a = 2; function f() {} var f; function g(p) { var p; }"],
    ["function declarations in blocks, and classes", "{ function f() {} class C { m() { return C; } } } if (1) function g() {}"],
    ["a class's scope shares its name's binding; a class expression's own name", "class A { static a = A; } const B = class Inner { m() { return Inner; } };"],
    ["a function expression's own name; parameters; arguments", "const f = function g(a, { b } = {}, ...c) { return [g, a, b, c, arguments]; }; const h = () => arguments;"],
    ["pattern parameters see only parameters in their defaults", "let y = 1; function f({ a = y } = {}, [b = a] = []) { var y = 2; return a + b + y; }"],
    ["catch parameters, and a var inside a catch", "try {} catch ({ message: e }) { var e2 = e; } try {} catch (err) { let x = err; }"],
    ["assignments, updates, delete and globals", "let a = 1; a = 2; a++; [a] = [3]; ({ a } = {}); undeclared = 1; delete globalThis.x; this.y = 1;"],
    ["method keys and decorators belong to the scope outside the method", "const k = 'm'; class C { [k]() { const k = 1; return k; } static [k + 1] = k; }"],
    ["a switch's discriminant is outside the switch's scope", "const x = 1; switch (x) { case 1: { const x = 2; } }"],
    ["labels are no bindings; static blocks are functions for var", "a: for (;;) break a; class C { static { var s = 1; } }"],
    ["JSX names: components are references, tags are not", "const Item = 1; const ns = { A: 1 }; const e = <div><Item /><ns.A x={Item} /></div>;", "input.jsx"],
    ["ESM: imports, exports referencing their declarations", "import a, { b as c } from 'm'; import * as ns from 'n'; export const d = a; export function e() { return c + ns; } export default class {}", "input.mjs"],
    ["using declarations are const", "function f() { using a = null; return a; }"],
    ["sloppy code: block functions, with, implicit globals", "with ({}) { x = 1; } if (1) { function g() {} } g();", "input.cjs"],
  ];
  for (const [name, code, filename = "input.js"] of cases) {
    it(name, () => {
      expect(differences(code, filename)).toEqual([]);
    });
  }

  it("reads the facts the cases are about", () => {
    const loop = "for (;;) { var a = 1; var b; function c() {} break; }";
    const tree = treeOf(loop);
    expect([...tree.program.bindings.values()].map((b) => [b.name, b.kind, b.constant])).toEqual([
      ["a", "var", false],
      ["b", "var", true],
    ]);
    const pattern = "let y = 1; function f({ a = y } = {}) { var y = 2; return a; }";
    const patternTree = treeOf(pattern);
    // `y` in the default is the outer one: the function's own `y` is not a parameter.
    const outer = bindingAt(patternTree, pattern, "let y", "y")!;
    expect(outer.references).toHaveLength(1);
    const switched = "const x = 1; switch (x) { case 1: { const x = 2; } }";
    expect(bindingAt(treeOf(switched), switched, "const x", "x")!.references).toHaveLength(1);
    const args = treeOf("const h = () => arguments; function f() { return () => arguments; }");
    expect([...args.globals.keys()]).toEqual(["arguments"]);
    expect(getBinding(args.program, "h")?.kind).toBe("const");
  });
});

describe("scope tree: the same as Babel's crawl on whole files", () => {
  itHoldsOnEveryBody(root, differences, 20261204);
});
