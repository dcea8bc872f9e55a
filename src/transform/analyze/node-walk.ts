// A walk over the nodes below a path, without making a path for each: for the analyses that read a node, its
// ancestors and, now and then, its scope. Babel's own walk makes (or re-finds) a path and its context for
// every node it visits, which for the few facts these analyses need cost more than the rest of them. The
// scopes are Babel's, or, below a function read from the scope tree (FileContext.fromTree), the tree's.
import type { NodePath } from "@babel/traverse";
import { babelCaches } from "../babel-memory.ts";
import * as t from "../types.ts";
import type { ScopeTree } from "./scope-tree.ts";
import type { AnyScope } from "./scope-view.ts";

/** What the visitor says: go on into the node's children, skip them, or stop the whole walk. */
export type WalkStep = void | "skip" | "stop";

/** Where the walk is: the visited node's ancestors from the walk's root path down, and its key in each. */
export class Ancestry {
  /** The nodes from the root path's node down to the visited node's parent. */
  readonly nodes: t.Node[] = [];
  /** The key (or list key) of each node in its parent: keys[i] is the key of nodes[i]; keys[0] of the root. */
  readonly keys: string[] = [];
  /** The key of the visited node in its parent. */
  key = "";
  /** Set when a scope was asked for that Babel has not made (the caller then walks with paths instead). */
  missingScope = false;
  /**
   * The scope of nodes[i], once asked for while nodes[i] is where the walk is (undefined: not yet; walkBelow
   * clears an entry when it puts another node at that depth): each identifier's scope is its nearest
   * scope-making ancestor's, which the walk then looks up in Babel's caches once, not once per identifier.
   */
  readonly scopes: (AnyScope | null | undefined)[] = [];

  constructor(
    readonly root: NodePath,
    /** The tree whose scopes these are (null: Babel's). */
    readonly tree: ScopeTree | null = null,
  ) {}

  get parent(): t.Node {
    return this.nodes[this.nodes.length - 1];
  }

  /** The node's grandparent (above the root: the root path's parent). */
  get grandparent(): t.Node | null {
    return this.ancestor(2);
  }

  /** The node's ancestor `n` levels up (1: its parent), above the root through the root's paths; null past the top. */
  ancestor(n: number): t.Node | null {
    const nodes = this.nodes;
    if (n <= nodes.length) return nodes[nodes.length - n];
    let path: NodePath | null = this.root;
    for (let i = nodes.length; i < n && path; i++) path = path.parentPath;
    return path?.node ?? null;
  }

  /**
   * The scope Babel's path for the visited node would have (NodePath#setScope): the node's own for a scope
   * (none here: an identifier or expression), else its parent's, its grandparent's for a method's key or
   * decorators and a switch's discriminant, read off the scopes Babel made when it walked these nodes.
   */
  scope(): AnyScope | null {
    return this.scopeOfChild(this.nodes.length, this.key);
  }

  /** The scope of a child (key `key`) of nodes[depth - 1]. */
  private scopeOfChild(depth: number, key: string): AnyScope | null {
    const parent = this.nodes[depth - 1];
    if (depth >= 2 && (((key === "key" || key === "decorators") && t.isMethod(parent)) || (key === "discriminant" && parent.type === "SwitchStatement"))) {
      return this.scopeAt(depth - 2);
    }
    return this.scopeAt(depth - 1);
  }

  /** The scope of nodes[index]. */
  private scopeAt(index: number): AnyScope | null {
    if (index === 0) return this.tree === null ? this.root.scope : this.ownScope(this.root.node, this.root.parent!);
    const known = this.scopes[index];
    if (known !== undefined) return known;
    const node = this.nodes[index];
    const scope = t.isScope(node, this.nodes[index - 1]) ? this.ownScope(node, this.nodes[index - 1]) : this.scopeOfChild(index, this.keys[index]);
    this.scopes[index] = scope;
    return scope;
  }

  /**
   * The scope Babel made for a node that makes one (`parent`: its parent), if it is the scope of the path
   * Babel's walk would find for the node where it now is (else missingScope: a node moved since); or the
   * tree's for the node.
   */
  ownScope(node: t.Node, parent: t.Node): AnyScope | null {
    if (this.tree !== null) {
      const facts = this.tree.scopeOf.get(node);
      if (facts !== undefined) return facts;
      this.missingScope = true;
      return null;
    }
    const { scope: scopes, path: paths } = babelCaches();
    const scope = scopes.get(node);
    if (scope && paths.get(parent)?.get(node) === scope.path) return scope;
    this.missingScope = true;
    return null;
  }
}

/**
 * Visits every node below `root` (not `root` itself), in the order Babel's traversal does, depth first: the
 * visitor reads where it is from `at`. Iterative: as deep as the parser goes. `tree`: the scopes `at` gives
 * are this tree's (below a function read from it), not Babel's.
 */
export function walkBelow(root: NodePath, visit: (node: t.Node, at: Ancestry) => WalkStep, tree: ScopeTree | null = null): Ancestry {
  const at = new Ancestry(root, tree);
  const nodes = at.nodes;
  const keys = at.keys;
  const scopes = at.scopes;
  // Nodes to visit, each with its key and its depth (the length `nodes` has while it is visited).
  const stack: t.Node[] = [];
  const stackKeys: string[] = [];
  const depths: number[] = [];
  const pushChildren = (node: t.Node, depth: number) => {
    const visitorKeys = t.VISITOR_KEYS[node.type];
    if (!visitorKeys) return;
    for (let k = visitorKeys.length - 1; k >= 0; k--) {
      const child = (node as unknown as Record<string, t.Node | (t.Node | null)[] | null | undefined>)[visitorKeys[k]];
      if (!child) continue;
      if (Array.isArray(child)) {
        for (let i = child.length - 1; i >= 0; i--) {
          const item = child[i];
          if (!item) continue;
          stack.push(item);
          stackKeys.push(visitorKeys[k]);
          depths.push(depth);
        }
      } else if (typeof child.type === "string") {
        stack.push(child);
        stackKeys.push(visitorKeys[k]);
        depths.push(depth);
      }
    }
  };
  nodes.push(root.node);
  keys.push(String(root.listKey ?? root.key ?? ""));
  pushChildren(root.node, 1);
  while (stack.length > 0) {
    const node = stack.pop()!;
    const key = stackKeys.pop()!;
    const depth = depths.pop()!;
    // (setting an array's length costs a call into the runtime even when it stays the same: most steps go
    // one level down, where it does)
    if (nodes.length !== depth) {
      nodes.length = depth;
      keys.length = depth;
    }
    at.key = key;
    const step = visit(node, at);
    if (step === "stop") break;
    if (step === "skip") continue;
    nodes.push(node);
    keys.push(key);
    if (scopes.length > depth) scopes[depth] = undefined;
    pushChildren(node, depth + 1);
  }
  return at;
}
