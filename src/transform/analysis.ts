// Which nodes suspend: an `await` (or, later, a `yield`) that belongs to the function being lowered.
// Nested functions are boundaries; everything else is searched, so that only the statements and
// expressions holding a suspension point get exploded into states.
import * as t from "@babel/types";

const memo = new WeakMap<t.Node, boolean>();

export function containsSuspend(node: t.Node | null | undefined): boolean {
  if (!node) return false;
  const known = memo.get(node);
  if (known !== undefined) return known;
  const result = computeSuspend(node);
  memo.set(node, result);
  return result;
}

function computeSuspend(node: t.Node): boolean {
  if (node.type === "AwaitExpression" || node.type === "YieldExpression") return true;
  if (t.isFunction(node)) {
    // Only a computed key of a method is evaluated outside the method's own body.
    return (node.type === "ObjectMethod" || node.type === "ClassMethod") && node.computed
      ? containsSuspend(node.key)
      : false;
  }
  if (node.type === "ClassProperty" || node.type === "ClassPrivateProperty" || node.type === "ClassAccessorProperty") {
    return "computed" in node && node.computed ? containsSuspend(node.key) : false;
  }
  if (node.type === "StaticBlock") return false;
  const keys = t.VISITOR_KEYS[node.type] ?? [];
  for (const key of keys) {
    const child = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(child)) {
      for (const item of child) if (item && typeof item === "object" && containsSuspend(item as t.Node)) return true;
    } else if (child && typeof child === "object" && containsSuspend(child as t.Node)) {
      return true;
    }
  }
  return false;
}

/** Calls `visit` on every node under `node` (itself included) that runs in the same function. */
export function walkSameFunction(node: t.Node, visit: (node: t.Node, parent: t.Node | null) => void): void {
  const go = (current: t.Node, parent: t.Node | null) => {
    visit(current, parent);
    if (t.isFunction(current) && parent !== null) return;
    for (const key of t.VISITOR_KEYS[current.type] ?? []) {
      const child = (current as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) {
        for (const item of child) if (item && typeof item === "object") go(item as t.Node, current);
      } else if (child && typeof child === "object") {
        go(child as t.Node, current);
      }
    }
  };
  go(node, null);
}
