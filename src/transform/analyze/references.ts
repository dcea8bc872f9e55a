// Which identifiers name a binding, and which binding: Babel's answer, with its gaps filled.
import type { NodePath } from "@babel/traverse";
import * as t from "@babel/types";

/** An identifier that names a binding (a use, an assignment target or a declaration), not a property name. */
export function isReference(path: NodePath<t.Identifier | t.JSXIdentifier>): boolean {
  if (!(path.isReferencedIdentifier() || (path as NodePath).isBindingIdentifier())) return false;
  return !inTypePosition(path);
}

const TYPE_EXPRESSIONS = new Set(["TSAsExpression", "TSSatisfiesExpression", "TSNonNullExpression", "TSTypeAssertion", "TSInstantiationExpression"]);

/** Inside a TypeScript type (`x: Foo`, `Array<Foo>`): a name there is not a value reference. */
function inTypePosition(path: NodePath): boolean {
  for (let p: NodePath | null = path.parentPath; p; p = p.parentPath) {
    if (p.node.type.startsWith("TS") && !TYPE_EXPRESSIONS.has(p.node.type)) return true;
    if (p.isStatement() || p.isFunction()) return false;
  }
  return false;
}

/**
 * The binding an identifier refers to. Babel gives a catch clause's destructuring pattern a scope of its
 * own and then does not find the clause's bindings from inside it; look them up in the clause.
 */
export function resolveBinding(path: NodePath<t.Identifier | t.JSXIdentifier>) {
  const scope = path.scope;
  // A function declaration's name is bound around it (Babel looks `arguments` up no further than the
  // function, which sloppy code may declare as `function arguments() {}`).
  if (path.parentPath?.isFunctionDeclaration() && path.key === "id") return scope.parent?.getBinding(path.node.name);
  if (t.isPattern(scope.block) && t.isCatchClause(scope.path.parent)) {
    return scope.parent.getOwnBinding(path.node.name) ?? scope.parent.getBinding(path.node.name);
  }
  return scope.getBinding(path.node.name);
}
