// Small AST helpers every phase uses.
import * as t from "./types.ts";
import type { FactsStore } from "./facts.ts";

/** Calls `visit` with each child node of `node` and the key it is under, in the order of Babel's visitor keys. */
export function forEachChild(node: t.Node, visit: (child: t.Node, key: string) => void): void {
  const keys = t.VISITOR_KEYS[node.type];
  if (!keys) return;
  for (const key of keys) {
    const child = (node as unknown as Record<string, t.Node | (t.Node | null)[] | null | undefined>)[key];
    if (!child) continue;
    if (Array.isArray(child)) {
      for (const item of child) if (item) visit(item, key);
    } else if (typeof child.type === "string") visit(child, key);
  }
}

/** Visits a node and everything under it (Babel's traverseFast, but through every child key). */
export function walkAll(node: t.Node, visit: (node: t.Node) => void): void {
  visit(node);
  for (const key of t.VISITOR_KEYS[node.type] ?? []) {
    const child = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(child)) {
      for (const item of child) if (item && typeof item === "object") walkAll(item as t.Node, visit);
    } else if (child && typeof child === "object") {
      walkAll(child as t.Node, visit);
    }
  }
}

/** A JSX element's name as the expression it evaluates (`<Comp.Item>`: `Comp.Item`), keeping what the analysis knows of it. */
export function jsxNameToExpression(facts: FactsStore, name: t.JSXIdentifier | t.JSXMemberExpression): t.Expression {
  if (name.type === "JSXMemberExpression") return t.memberExpression(jsxNameToExpression(facts, name.object), t.identifier(name.property.name));
  return facts.carryOver(name, name.name === "this" ? t.thisExpression() : t.identifier(name.name));
}

/** `this.Comp` as the name of a JSX element: `<this.Comp />`. */
export function toJSXName(facts: FactsStore, expr: t.Expression): t.JSXIdentifier | t.JSXMemberExpression {
  if (t.isThisExpression(expr)) return t.jsxIdentifier("this");
  if (t.isIdentifier(expr)) return facts.carryOver(expr, t.jsxIdentifier(expr.name));
  if (t.isMemberExpression(expr) && !expr.computed && t.isIdentifier(expr.property)) {
    return t.jsxMemberExpression(toJSXName(facts, expr.object as t.Expression), t.jsxIdentifier(expr.property.name));
  }
  throw new Error(`stepwise: a JSX element cannot be named by ${expr.type}`);
}

/**
 * Whether a statement declares something its block scopes: a `let`/`const`, a class or a function (types
 * compared directly: this runs on every statement of every state).
 */
export function declaresInBlock(statement: t.Statement): boolean {
  return statement.type === "VariableDeclaration" ? statement.kind === "let" || statement.kind === "const" : statement.type === "ClassDeclaration" || statement.type === "FunctionDeclaration";
}

/** A parameter as a plain target: its type annotation dropped. */
export function stripTypes<T extends t.Node>(node: T): T {
  const copy = node as T & { typeAnnotation?: unknown };
  if (copy.typeAnnotation) copy.typeAnnotation = null;
  return copy;
}

export type LogicalOperator = "&&" | "||" | "??";

/** The operator of `x op= v` without its `=`: a logical one (which assigns only if needed) or a binary one. */
export function compoundOperator(operator: string): { logical: LogicalOperator; binary?: undefined } | { binary: t.BinaryExpression["operator"]; logical?: undefined } {
  const op = operator.slice(0, -1);
  return op === "&&" || op === "||" || op === "??" ? { logical: op } : { binary: op as t.BinaryExpression["operator"] };
}

/**
 * `target op= right` spelled out with `read` (the target's current value) and `write` (what stores a value):
 * `read() && write(right)` for a logical operator, `write(read() + right)` for the others.
 */
export function desugarCompound(operator: string, read: () => t.Expression, right: t.Expression, write: (value: t.Expression) => t.Expression): t.Expression {
  const { logical, binary } = compoundOperator(operator);
  return logical ? t.logicalExpression(logical, read(), write(right)) : write(t.binaryExpression(binary!, read(), right));
}
