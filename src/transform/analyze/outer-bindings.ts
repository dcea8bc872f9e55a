// Which binding a name has, seen from a place the lowering works on: Babel's scopes inside the lowered
// functions, the file's scope tree (scope-tree.ts) outside them.
//
// In transform()'s own pass over a JavaScript file, Babel's crawl sees only the async functions and
// generators (narrow-crawl.ts `hideAllButLowered`): the scopes around them are Babel's but empty, or hold
// what the lowering has declared in them so far. So a lookup goes up Babel's scopes while they are inside
// the lowered functions, or are scopes the lowering made (which the tree does not know: they bind only
// names the transform made unique in the file), and at the first scope of the source outside the lowered
// functions asks the tree. What the consumers then read of a binding outside is the source's: a binding the
// lowering of an earlier function moved (`declareAtTop`) or read again (a wrapper's crawl) reads as written.
// Elsewhere (the plugin inside @babel/core's pipeline, TypeScript, a file walked with paths before the
// lowering) the whole file is crawled, or narrowed as narrow-crawl.ts `hideFromCrawl` says, and Babel answers.
import type { Binding, NodePath, Scope } from "@babel/traverse";
import * as t from "../types.ts";
import { getBinding, type BindingFacts, type ScopeFacts, type ScopeTree } from "./scope-tree.ts";

/** A binding as Babel's crawl made it, or as the scope tree read it. */
export type AnyBinding = Binding | BindingFacts;

export interface BindingLookup {
  /** The binding `name` has in `scope` (Babel's `getBinding`). */
  binding(scope: Scope, name: string): AnyBinding | undefined;
  /** Whether some scope from `scope` up binds `name`, or the transform took it (Babel's `hasBinding(name, true)`). */
  declares(scope: Scope, name: string): boolean;
  /** The tree the lookups outside the lowered functions read, if they do. */
  readonly tree: ScopeTree | null;
}

/** Babel's scopes answer every lookup. */
export const babelLookup: BindingLookup = {
  binding: (scope, name) => scope.getBinding(name),
  declares: (scope, name) => scope.hasBinding(name, true),
  tree: null,
};

/** Babel's scopes inside the lowered functions, the tree outside them. */
export function treeLookup(tree: ScopeTree): BindingLookup {
  return {
    tree,
    binding(scope, name) {
      // (Babel's getBinding: a pattern parameter's default sees only parameters and the function's own name;
      // `arguments` is looked up no further than the nearest function but an arrow. A pattern's scope is
      // inside the function of the pattern, so the walk never leaves one for the tree.)
      let previous: NodePath | null = null;
      for (let s: Scope | undefined = scope; s; s = s.parent) {
        const facts = tree.scopeOf.get(s.block);
        if (facts !== undefined && !facts.lowered) return getBinding(facts, name);
        const binding = s.getOwnBinding(name);
        if (binding) {
          if (!(previous?.isPattern() && binding.kind !== "param" && binding.kind !== "local")) return binding;
        } else if (name === "arguments" && s.path.isFunction() && !s.path.isArrowFunctionExpression()) {
          return undefined;
        }
        previous = s.path;
      }
      return undefined;
    },
    declares(scope, name) {
      for (let s: Scope | undefined = scope; s; s = s.parent) {
        const facts = tree.scopeOf.get(s.block);
        if (facts !== undefined && !facts.lowered) {
          for (let f: ScopeFacts | null = facts; f; f = f.parent) if (f.bindings.has(name)) return true;
          break;
        }
        if (s.hasOwnBinding(name)) return true;
      }
      return scope.hasUid(name);
    },
  };
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
