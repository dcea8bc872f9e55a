// Which identifiers name a binding, and which binding: Babel's answer, with its gaps filled.
import type { NodePath } from "@babel/traverse";
import * as t from "../types.ts";
import type { BindingLookup } from "./outer-bindings.ts";
import { blockOf, ownBinding, parentOf, type AnyBinding, type AnyScope } from "./scope-view.ts";

/**
 * An identifier of a lowered function that names a binding, as analyze/bindings.ts's survey found it: read
 * off a walk of the nodes (node-walk.ts), or off a path where the survey walked with paths.
 */
export interface Reference {
  node: t.Identifier | t.JSXIdentifier;
  /** The scope Babel's path for the identifier has (the tree's, in a function read from it). */
  scope: AnyScope;
  /** It is the name of the function declaration it belongs to (bound around the declaration). */
  namesDeclaration: boolean;
  /**
   * It is inside a function nested in the lowered one (its function parent is not the lowered function), or
   * inside an instance field's initializer, which runs whenever the class is constructed, as a method would.
   */
  nested: boolean;
  /** The shorthand property whose value it is (`{ x }`, a pattern's `{ x = 1 }`): renamed, it is written out. */
  shorthand: t.ObjectProperty | null;
  /** Its path, where the survey walked with paths (a function with `with`, which crossesWith reads). */
  path?: NodePath<t.Identifier | t.JSXIdentifier>;
}

/** The shorthand property whose value an identifier is, itself or as the target of a default (`parent`, `grandparent`: its own). */
export function shorthandOf(node: t.Node, parent: t.Node, grandparent: t.Node | null | undefined): t.ObjectProperty | null {
  if (parent.type === "ObjectProperty") return parent.shorthand && parent.value === node ? parent : null;
  if (parent.type !== "AssignmentPattern" || parent.left !== node || grandparent?.type !== "ObjectProperty") return null;
  return grandparent.shorthand && grandparent.value === parent ? grandparent : null;
}

/** An identifier that names a binding (a use, an assignment target or a declaration), not a property name. */
export function isReference(path: NodePath<t.Identifier | t.JSXIdentifier>): boolean {
  if (!(path.isReferencedIdentifier() || (path as NodePath).isBindingIdentifier())) return false;
  return !inTypePosition(path);
}

/**
 * isReference for a node, from its ancestors (`ancestors`: the root's node down to the node's parent;
 * `grandparent`: the parent's parent, above the root too), as Babel's isReferencedIdentifier and
 * isBindingIdentifier read them. `outsideTypes`: what the walk below one root has found of its ancestors,
 * kept for the next identifier (`outsideType`).
 */
export function isReferenceNode(node: t.Identifier | t.JSXIdentifier, ancestors: readonly t.Node[], grandparent: t.Node | null, outsideTypes: Map<t.Node, boolean>): boolean {
  const parent = ancestors[ancestors.length - 1];
  const gp = grandparent ?? undefined;
  let named: boolean;
  if (node.type === "Identifier") named = t.isReferenced(node, parent, gp) || t.isBinding(node, parent, gp);
  else named = (t.isJSXMemberExpression(parent) || !t.react.isCompatTag(node.name)) && t.isReferenced(node, parent, gp);
  return named && outsideType(ancestors, outsideTypes);
}

/**
 * Whether the nearest statement or function around the node whose ancestors these are comes before any
 * TypeScript type (inTypePosition, for nodes). The answer holds for every ancestor passed on the way up, and
 * is kept for each in `known`: the identifiers of one long expression (a 5,000-term `await a + await b + ...`)
 * each walked up its whole depth.
 */
function outsideType(ancestors: readonly t.Node[], known: Map<t.Node, boolean>): boolean {
  let answer = true;
  let i = ancestors.length - 1;
  for (; i >= 0; i--) {
    const ancestor = ancestors[i];
    const kept = known.get(ancestor);
    if (kept !== undefined) {
      answer = kept;
      break;
    }
    // (an enum member's value is an expression, evaluated where the enum is)
    if (ancestor.type === "TSEnumMember") break;
    if (ancestor.type.startsWith("TS") && !TYPE_EXPRESSIONS.has(ancestor.type)) {
      answer = false;
      break;
    }
    // (NodePath#isStatement: a declaration that is a for loop's head is not one)
    if (t.isStatement(ancestor)) {
      const above = ancestors[i - 1];
      const head = ancestor.type === "VariableDeclaration" && above !== undefined &&
        ((t.isForXStatement(above) && above.left === ancestor) || (above.type === "ForStatement" && above.init === ancestor));
      if (!head) break;
    }
    if (t.isFunction(ancestor)) break;
  }
  for (let j = ancestors.length - 1; j > i; j--) known.set(ancestors[j], answer);
  return answer;
}

const TYPE_EXPRESSIONS = new Set(["TSAsExpression", "TSSatisfiesExpression", "TSNonNullExpression", "TSTypeAssertion", "TSInstantiationExpression"]);

/** Inside a TypeScript type (`x: Foo`, `Array<Foo>`): a name there is not a value reference. */
function inTypePosition(path: NodePath): boolean {
  for (let p: NodePath | null = path.parentPath; p; p = p.parentPath) {
    if (p.node.type === "TSEnumMember") return false;
    if (p.node.type.startsWith("TS") && !TYPE_EXPRESSIONS.has(p.node.type)) return true;
    if (p.isStatement() || p.isFunction()) return false;
  }
  return false;
}

/** The Reference of a path (the survey's walk with paths). */
export function referenceOf(path: NodePath<t.Identifier | t.JSXIdentifier>, fn: NodePath<t.Function>): Reference {
  return {
    node: path.node,
    scope: path.scope,
    namesDeclaration: path.parentPath.isFunctionDeclaration() && path.key === "id",
    nested: path.getFunctionParent() !== fn || inFieldInitializer(path, fn),
    shorthand: shorthandOf(path.node, path.parent, path.parentPath.parent),
    path,
  };
}

/**
 * The value of an instance field (`x = i`, `#x = i`, `accessor x = i`): evaluated each time the class is
 * constructed, maybe long after the function moved on, as a closure over the scopes around the class.
 * (A static field's runs once, as the class is defined.)
 */
export function isFieldInitializer(key: string, parent: t.Node): boolean {
  return key === "value" && (parent.type === "ClassProperty" || parent.type === "ClassPrivateProperty" || parent.type === "ClassAccessorProperty") && !parent.static;
}

/** The path is inside an instance field's initializer in `fn`'s own code (not in a function nested in it). */
function inFieldInitializer(path: NodePath, fn: NodePath<t.Function>): boolean {
  for (let p: NodePath = path; p.parentPath && p.node !== fn.node && !p.isFunction(); p = p.parentPath) {
    if (isFieldInitializer(String(p.key), p.parent)) return true;
  }
  return false;
}

/**
 * The binding an identifier refers to. Babel gives a catch clause's destructuring pattern a scope of its
 * own and then does not find the clause's bindings from inside it; look them up in the clause.
 */
export function resolveBinding(reference: Pick<Reference, "node" | "scope" | "namesDeclaration">, lookup: BindingLookup): AnyBinding | undefined {
  const { scope, node } = reference;
  // (the scope around is read only where it is needed: Babel's `Scope#parent` walks up the paths to it, as
  // many as there are between a `.then(async ...)` of a long chain and the function around the chain)
  // A function declaration's name is bound around it (Babel looks `arguments` up no further than the
  // function, which sloppy code may declare as `function arguments() {}`).
  if (reference.namesDeclaration) {
    const parent = parentOf(scope);
    return parent ? lookup.binding(parent, node.name) : undefined;
  }
  // (the pattern's scope is inside the clause's)
  if (t.isPattern(blockOf(scope))) {
    const parent = parentOf(scope);
    if (parent && t.isCatchClause(blockOf(parent))) return ownBinding(parent, node.name) ?? lookup.binding(parent, node.name);
  }
  return lookup.binding(scope, node.name);
}
