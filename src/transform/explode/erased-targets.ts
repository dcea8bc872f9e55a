// TypeScript's expressions around an assignment's target (`(x as T)--`, `(y!) = v`, `[(z as T)] = list`,
// `for ((o as T).p of xs)`), taken away before the function is analyzed. They are erased (tsc's output and
// the TypeScript preset's assign the target alone), but the analysis and the rewriting would read the
// target inside one as a read: a `const` that became a field not refused, a read-before-declaration check
// made the target (`checkInitialized(...) = 1`), and Babel's printer prints `(x as T)--` as `x as T--`, which
// does not parse again.
import type { NodePath } from "@babel/traverse";
import * as t from "../types.ts";
import { withoutTypeWrappers } from "../names.ts";

const WRAPPERS = new Set(["TSAsExpression", "TSSatisfiesExpression", "TSNonNullExpression", "TSTypeAssertion", "ParenthesizedExpression"]);

/** Takes the wrappers away from every target of `fn` (its functions' too); true if there was one. */
export function eraseTargetWrappers(fn: NodePath<t.Function>, basename: string): boolean {
  if (!/\.[cm]?tsx?$/.test(basename)) return false;
  let changed = false;
  const target = (node: t.Node): t.Node => {
    if (WRAPPERS.has(node.type)) {
      changed = true;
      node = withoutTypeWrappers(node);
    }
    pattern(node);
    return node;
  };
  // (inside a pattern: its elements, values, defaults' targets and rest)
  const pattern = (node: t.Node): void => {
    if (node.type === "ArrayPattern") {
      node.elements = node.elements.map((element) => (element ? (target(element) as typeof element) : element));
    } else if (node.type === "ObjectPattern") {
      for (const property of node.properties) {
        if (property.type === "RestElement") property.argument = target(property.argument) as typeof property.argument;
        else property.value = target(property.value) as typeof property.value;
      }
    } else if (node.type === "AssignmentPattern") {
      node.left = target(node.left) as typeof node.left;
    } else if (node.type === "RestElement") {
      node.argument = target(node.argument) as typeof node.argument;
    }
  };
  t.traverseFast(fn.node, (node) => {
    if (node.type === "UpdateExpression") node.argument = target(node.argument) as t.Expression;
    else if (node.type === "AssignmentExpression") node.left = target(node.left) as t.LVal;
    else if ((node.type === "ForOfStatement" || node.type === "ForInStatement") && node.left.type !== "VariableDeclaration") node.left = target(node.left) as t.LVal;
  });
  return changed;
}
