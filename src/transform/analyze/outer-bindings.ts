// Which binding a name has, seen from a place the lowering works on: Babel's scopes inside the lowered
// functions, the file's scope tree (scope-tree.ts) outside them.
//
// In transform()'s own pass over a JavaScript file, Babel's crawl sees only the async functions and
// generators (narrow-crawl.ts `hideAllButLowered`): the scopes around them are Babel's but empty, or hold
// what the lowering has declared in them so far. So a lookup goes up Babel's scopes while they are inside
// the lowered functions, or are scopes the lowering made (which the tree does not know: they bind only
// names the transform made unique in the file), and at the first scope of the source outside the lowered
// functions asks the tree. An outermost lowered function read from the tree (FileContext.fromTree) has no
// scopes of Babel's below it, only its own, empty: its analysis asks with the tree's scopes, and a lookup
// from its own scope of Babel's reads the tree's for it. What the consumers then read of a binding outside is the source's: a binding the
// lowering of an earlier function moved (`declareAtTop`) or read again (a wrapper's crawl) reads as written.
// Elsewhere (the plugin inside @babel/core's pipeline, TypeScript, a file walked with paths before the
// lowering) the whole file is crawled, or narrowed as narrow-crawl.ts `hideFromCrawl` says, and Babel answers.
import type { NodePath, Scope } from "@babel/traverse";
import type * as t from "../types.ts";
import { getBinding, type ScopeFacts, type ScopeTree } from "./scope-tree.ts";
import { isTreeScope, type AnyBinding, type AnyScope } from "./scope-view.ts";

export interface BindingLookup {
  /** The binding `name` has in `scope` (Babel's `getBinding`). */
  binding(scope: AnyScope, name: string): AnyBinding | undefined;
  /** Whether some scope from `scope` up binds `name`, or the transform took it (Babel's `hasBinding(name, true)`). */
  declares(scope: AnyScope, name: string): boolean;
  /** The tree the lookups outside the lowered functions read, if they do. */
  readonly tree: ScopeTree | null;
}

/** Babel's scopes answer every lookup (no scope of the tree's comes here: only a tree's lookup reads one). */
export const babelLookup: BindingLookup = {
  binding: (scope, name) => (scope as Scope).getBinding(name),
  declares: (scope, name) => (scope as Scope).hasBinding(name, true),
  tree: null,
};

/**
 * Babel's scopes inside the lowered functions, the tree outside them, and inside the functions read from the
 * tree (`fromTree`, FileContext.fromTree: they have no scopes of Babel's but their own, empty). `program`:
 * Babel's scope of the program, which holds the names the transform took (`hasUid`); `madeAtTop`: those of
 * them it declares at the top of the program (FileContext.madeAtTop).
 */
export function treeLookup(tree: ScopeTree, program: Scope, fromTree: ReadonlySet<t.Node>, madeAtTop: ReadonlySet<string>): BindingLookup {
  // The tree's scope for a scope of Babel's where the tree answers (null: Babel's answers).
  const treeScope = (s: Scope): ScopeFacts | null => {
    const facts = tree.scopeOf.get(s.block);
    return facts !== undefined && (!facts.lowered || fromTree.has(s.block)) ? facts : null;
  };
  return {
    tree,
    binding(scope, name) {
      // (a name the transform made for the program's list is bound by no scope yet, and the tree knows none of
      // them: the walk would end at the tree with nothing, through every scope between, as deep as the code)
      if (madeAtTop.has(name)) return undefined;
      if (isTreeScope(scope)) return getBinding(scope, name);
      // (Babel's getBinding: a pattern parameter's default sees only parameters and the function's own name;
      // `arguments` is looked up no further than the nearest function but an arrow. A pattern's scope is
      // inside the function of the pattern, so the walk never leaves one for the tree.)
      let previous: NodePath | null = null;
      for (let s: Scope | undefined = scope; s; s = s.parent) {
        const facts = treeScope(s);
        if (facts !== null) return getBinding(facts, name);
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
      let facts: ScopeFacts | null = isTreeScope(scope) ? scope : null;
      for (let s: Scope | undefined = facts === null ? (scope as Scope) : undefined; s; s = s.parent) {
        facts = treeScope(s);
        if (facts !== null) break;
        if (s.hasOwnBinding(name)) return true;
      }
      for (let f = facts; f; f = f.parent) if (f.bindings.has(name)) return true;
      return program.hasUid(name);
    },
  };
}
