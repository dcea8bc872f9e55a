// The walks up with the climb out of each expression kept (analyze/ancestors.ts), which the lowering takes from
// every function it lowers (where its class goes, whether it runs once, the function around it, the one that
// gives an arrow its `this`), must answer what a walk a step at a time answers: asked of every node of a
// file in the order the lowering asks (innermost functions first), with what each walk kept used by the next.
import { describe, expect, it } from "vitest";
import { parse } from "@babel/parser";
import traverseModule, { type NodePath, type Visitor } from "@babel/traverse";
import type * as t from "@babel/types";
import { Ancestors } from "../src/transform/analyze/ancestors.ts";

const traverse = ((traverseModule as unknown as { default?: unknown }).default ?? traverseModule) as (root: t.Node, visitor: Visitor) => void;

/** The first path at or above `path` whose parent is not an expression other than a function or class, a step at a time. */
function outOfExpressionByStep(path: NodePath): NodePath {
  let at = path;
  while (at.parentPath && at.parentPath.isExpression() && !at.parentPath.isFunction() && !at.parentPath.isClass()) at = at.parentPath;
  return at;
}

/** Every node's answers both ways, asked as nodes are left (the innermost first). */
function mismatches(code: string, lastPass: boolean): string[] {
  const ast = parse(code, { sourceType: "module", plugins: ["jsx", "typescript"] });
  const ancestors = new Ancestors({ lastPass });
  const found: string[] = [];
  const where = (path: NodePath) => `${path.type} at ${path.node.loc?.start.line}:${path.node.loc?.start.column}`;
  traverse(ast, {
    exit(path: NodePath) {
      if (ancestors.outOfExpression(path) !== (lastPass ? outOfExpressionByStep(path) : path)) found.push(`outOfExpression of ${where(path)}`);
      if (ancestors.functionParent(path) !== path.getFunctionParent()) found.push(`functionParent of ${where(path)}`);
      const owner = path.findParent((p) => p.isFunction() && !p.isArrowFunctionExpression());
      if (ancestors.thisFunction(path) !== owner) found.push(`thisFunction of ${where(path)}`);
    },
  });
  return found;
}

const CODE = `
async function f(p) {
  return p.then(async (v0) => { await v0; return 0; })
    .then(async (v1) => [v1, () => this, { m() { return async () => this; } }])
    .then((v2) => v2 ?? (v2 = new (class { x = async () => 1; })()), ...[1, 2]);
}
const g = (use) => use(async (v) => use(async (w) => use(async (x) => [v, w, x, this])));
class C extends B {
  constructor() { super(); const a = async () => await (() => this)(); a(); }
  static { label: for (const x of [1, async () => 2]) if (x) { ({ a: [x] } = { a: [async function* () {}] }); } }
  [async () => 1]() {}
}
export default async (a = async () => a) => <div>{async () => (1 as number)}</div>;
`;

describe("walks up with the climb out of each expression kept", () => {
  it("answer what a walk a step at a time answers, asked innermost first", () => {
    expect(mismatches(CODE, true)).toEqual([]);
  });

  it("keep nothing outside transform()'s own pass (another plugin may move an expression)", () => {
    expect(mismatches(CODE, false)).toEqual([]);
  });

  it("answer at once for a long chain of calls once one link has climbed it", () => {
    const links = Array.from({ length: 300 }, (_, i) => `.then(async (v${i}) => v${i})`).join("");
    expect(mismatches(`async function f(p) { return p${links}; }`, true)).toEqual([]);
  });
});
