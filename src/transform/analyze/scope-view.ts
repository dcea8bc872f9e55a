// A scope of a lowered function as its analysis reads it: one of Babel's (`Scope`, made by Babel's crawl, or
// from the scope tree by tree-scopes.ts), or the scope tree's own (`ScopeFacts`, for a function read from the
// tree without Babel's paths and scopes: FileContext.fromTree). Each fact the analysis reads of a scope or a
// binding of either kind is read here, once.
import type { Binding, Scope } from "@babel/traverse";
import * as t from "../types.ts";
import type { BindingFacts, ScopeFacts } from "./scope-tree.ts";

export type AnyScope = Scope | ScopeFacts;

/** A binding as Babel's crawl made it (or tree-scopes.ts from the tree), or as the scope tree read it. */
export type AnyBinding = Binding | BindingFacts;

/** A scope of the tree's (Babel's have no `lowered`). */
export function isTreeScope(scope: AnyScope): scope is ScopeFacts {
  return "lowered" in scope;
}

/** The node that makes the scope. */
export function blockOf(scope: AnyScope): t.Node {
  return isTreeScope(scope) ? scope.node : scope.block;
}

/** The scope around it (none around the program's). */
export function parentOf(scope: AnyScope): AnyScope | undefined {
  return isTreeScope(scope) ? (scope.parent ?? undefined) : scope.parent;
}

/** The binding the scope itself declares for `name`, if any. */
export function ownBinding(scope: AnyScope, name: string): AnyBinding | undefined {
  return isTreeScope(scope) ? scope.bindings.get(name) : scope.getOwnBinding(name);
}

/** Each binding the scope declares, in the order it was declared. */
export function forEachBinding(scope: AnyScope, each: (name: string, binding: AnyBinding) => void): void {
  if (isTreeScope(scope)) scope.bindings.forEach((binding, name) => each(name, binding));
  // (for...in: Object.entries' arrays were much of what the analysis allocated)
  else for (const name in scope.bindings) each(name, scope.bindings[name]);
}

/** The names the scope declares (a copy: renaming one changes the scope's bindings). */
export function ownNames(scope: AnyScope): string[] {
  return isTreeScope(scope) ? [...scope.bindings.keys()] : Object.keys(scope.bindings);
}

/** The scope's binding `name` is `fresh` from now on (its references renamed by the caller). */
export function renameOwn(scope: AnyScope, binding: AnyBinding, name: string, fresh: string): void {
  if (isTreeScope(scope)) {
    scope.bindings.delete(name);
    scope.bindings.set(fresh, binding as BindingFacts);
  } else {
    scope.removeOwnBinding(name);
    scope.bindings[fresh] = binding as Scope["bindings"][string];
  }
  if (isTreeBinding(binding)) binding.name = fresh;
  binding.identifier.name = fresh;
}

/** The node the binding has as its declaration (Babel's `binding.path`). */
export function declarationOf(binding: AnyBinding): t.Node {
  return isTreeBinding(binding) ? binding.declaration : binding.path.node;
}

/** What may change the binding: assignments, updates, `delete`s, for-in/of heads, declarations again. */
export function violationsOf(binding: AnyBinding): t.Node[] {
  return isTreeBinding(binding) ? binding.violations : binding.constantViolations.map((path) => path.node);
}

export function isTreeBinding(binding: AnyBinding): binding is BindingFacts {
  return "referenceParents" in binding;
}

/** The node of the scope that declares the binding. */
export function scopeNodeOf(binding: AnyBinding): t.Node {
  return isTreeBinding(binding) ? binding.scope.node : binding.scope.block;
}

/** The identifiers (and export declarations) that refer to the binding, each with its parent. */
export function referencesOf(binding: AnyBinding): { node: t.Node; parent: t.Node }[] {
  if (isTreeBinding(binding)) return binding.references.map((node, i) => ({ node, parent: binding.referenceParents[i] }));
  return binding.referencePaths.map((path) => ({ node: path.node, parent: path.parent! }));
}

/** Every reference is the callee of a call: the binding's value is never passed on. */
export function onlyCallsOf(binding: AnyBinding): boolean {
  return referencesOf(binding).every(({ node, parent }) => (parent.type === "CallExpression" || parent.type === "OptionalCallExpression") && parent.callee === node);
}

/**
 * The binding is a function declaration of a function's body (`hoisted`), or the `var` the lowering made of
 * one (`declaredAtTop`: its declarator, first in the same list).
 */
export function declaredInFunctionBody(binding: AnyBinding, declaredAtTop: WeakSet<t.Node>): boolean {
  if (isTreeBinding(binding)) {
    return binding.kind === "hoisted" && binding.declarationParent?.type === "BlockStatement" && binding.declarationGrandparent !== undefined && t.isFunction(binding.declarationGrandparent);
  }
  if (binding.kind === "hoisted") return binding.path.parentPath?.isBlockStatement() === true && binding.path.parentPath.parentPath?.isFunction() === true;
  if (declaredAtTop.has(binding.path.node)) return binding.path.parentPath?.parentPath?.isBlockStatement() === true && binding.path.parentPath.parentPath.parentPath?.isFunction() === true;
  return false;
}
