// What the transform lets Babel forget: in a pass that nothing follows (FileContext.lastPass), as it goes;
// after any run over a file, all it was given of the file.
//
// @babel/core crawls the whole file before any plugin runs: a path for every node, a scope for every block,
// a binding for every declaration. Babel keeps a node's child paths in a WeakMap keyed by the node, so they
// live as long as the node does; and the crawl's own lists of every reference and assignment of the file stay
// reachable from each path it visited (`path.state` is the state of the last traversal that visited it). A
// lowered function's statements live on in the output, moved into its machine class, so without this every
// path and scope of the input lived until the output was printed: at the end of the lowering of the scaling
// bench's 1 MB file, 160 of the heap's 300 MB (the rest is the trees, input and output).
//
// And once a run over a file is over (a last pass, or @babel/core's pipeline), every entry Babel's caches
// were given during it goes (`forgettingWhatBabelIsGiven`): an entry left, though nothing reads it, kept the
// file alive through the young generation's collections that followed.
import type { NodePath, Scope } from "@babel/traverse";
import { babelTraverse } from "./babel-packages.ts";
import * as t from "./types.ts";

interface BabelCaches {
  /** Parent node -> its child nodes' paths. */
  path: WeakMap<t.Node, Map<t.Node, NodePath>>;
  scope: WeakMap<t.Node, Scope>;
}

/**
 * Babel's caches of paths and scopes by node (the traversal function's `cache`). Read each time: Babel's
 * `cache.clear()` replaces them.
 */
export function babelCaches(): BabelCaches {
  return (babelTraverse().default as unknown as { cache: BabelCaches }).cache;
}

/**
 * Empties the lists of @babel/core's crawl of the whole file (every reference, assignment and constant
 * violation, as paths), which nothing reads once the crawl is done: otherwise any path of the input that
 * survives keeps all of them, and with them every path of the file. They are found through the program's
 * statements' paths, which no traversal has visited since the crawl when the plugin's Program visitor starts.
 */
export function forgetFileCrawl(program: NodePath<t.Program>): void {
  const paths = babelCaches().path.get(program.node);
  if (!paths) return;
  for (const path of paths.values()) {
    const state = path.state as Record<string, unknown> | null;
    // (only a state of the crawl's shape: anything else belongs to a traversal that is not over)
    if (state && Array.isArray(state.references) && Array.isArray(state.constantViolations) && Array.isArray(state.assignments)) {
      state.references.length = 0;
      state.constantViolations.length = 0;
      state.assignments.length = 0;
    }
    return;
  }
}

/**
 * The nodes of a function that Babel may keep something for, before it is lowered: what `forgetFunction`
 * releases afterwards. The function first, then, in the order of a walk, every node with a child (Babel keeps
 * a node's child paths by the node) or a scope of its own (a scopable node, or a parameter's pattern, to
 * which Babel gives one); not the names and literals, about half the nodes, which have neither, and whose
 * lookups in Babel's caches were most of forgetting them.
 */
export function nodesOf(fn: t.Function): t.Node[] {
  const nodes: t.Node[] = [];
  collectKept(fn, nodes);
  return nodes;
}

function collectKept(node: t.Node, nodes: t.Node[]): void {
  const keys = t.VISITOR_KEYS[node.type];
  if (keys === undefined) return;
  let parent = false;
  for (const key of keys) {
    const child = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(child) ? child.length > 0 : child) {
      parent = true;
      break;
    }
  }
  if (parent || t.isScopable(node) || t.isPattern(node)) nodes.push(node);
  if (!parent) return;
  for (const key of keys) {
    const child = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(child)) {
      for (const item of child) if (item) collectKept(item as t.Node, nodes);
    } else if (child) {
      collectKept(child as t.Node, nodes);
    }
  }
}

/**
 * Releases what Babel knows of a lowered function that nothing reads again (one inside no other function,
 * in a last pass: its wrapper keeps the scope Babel made for the function, emit/wrapper.ts): the paths below
 * each of its former nodes, and the scopes of its blocks, emptied (a path that survives, held by a binding of
 * the program's, still refers to its scope; the function's own is the wrapper's). Its nodes moved into the
 * machine class otherwise keep their paths, and through them the function's scopes, bindings and every other
 * path of its body. Babel makes new paths if anything asks for them.
 */
export function forgetFunction(nodes: readonly t.Node[]): void {
  forget(nodes, new Set([nodes[0]]));
}

/**
 * Releases what Babel knows of the program's statements that hold nothing to lower, in a last pass, once
 * FileContext has read the scopes: no lowering looks inside them (the scopes a lowered function sees are its
 * own and those around it, and what is around it is lowerable), yet their paths and scopes, reachable from the
 * program's bindings, would otherwise live to the end.
 */
export function forgetStatements(program: t.Program, lowerable: ReadonlySet<t.Node>, hidden: ReadonlySet<t.Node> | null = null): void {
  const nodes: t.Node[] = [];
  // (the statements themselves keep their scopes, emptied: the plugin's walk still passes each one, and a
  // path whose scope is not cached gets a new one, crawled again)
  const statements = new Set(program.body.filter((statement) => !lowerable.has(statement)));
  // (Babel knows nothing below the root of a part hidden from its crawl: narrow-crawl.ts)
  const enter = hidden === null ? (node: t.Node) => void nodes.push(node) : (node: t.Node) => (nodes.push(node), hidden.has(node) ? t.traverseFast.skip : undefined);
  for (const statement of statements) t.traverseFast(statement, enter);
  forget(nodes, statements);
}

function forget(nodes: readonly t.Node[], keepScopeOf: ReadonlySet<t.Node>): void {
  const caches = babelCaches();
  for (const node of nodes) {
    caches.path.delete(node);
    const scope = caches.scope.get(node);
    if (!scope) continue;
    // (a block's scope goes, and holds its path, and that path all the paths above it)
    if (!keepScopeOf.has(node)) caches.scope.delete(node);
    // Its bindings go too (they hold paths), in place: a new object written into a scope that a surviving path
    // may still hold would be a young object referred to from the old generation, kept by every scavenge
    // until a full collection (emptying with new objects cost 80 MB of peak RSS on the 3 MB file).
    for (const name of Object.keys(scope.bindings)) delete scope.bindings[name];
  }
}

/**
 * Runs `run` (a last pass over a file, or @babel/core's whole pipeline over one), then deletes every entry
 * Babel's caches of paths and scopes were given while it ran: what Babel was given of the file goes with it.
 *
 * Why every one: Babel's caches are WeakMaps that live as long as Babel does, and V8's young-generation
 * collections keep an entry's value while its key is young, whether anything else refers to the key or not.
 * A path refers to its node, and through its parent paths and the File to the whole tree: one entry left kept
 * the file's input and output trees through every young collection after the transform, until they were
 * promoted and an old-generation collection came (docs/performance.md, "Session 30"). Which nodes get one is
 * Babel's to decide (a crawl, a traversal, a replacement), and many are replaced by the lowering afterwards,
 * so they are recorded as they are set rather than looked for. (A run inside another records nothing: the
 * outer one's recording deletes them.)
 */
export function forgettingWhatBabelIsGiven<T>(run: () => T): T {
  if (recording) return run();
  recording = true;
  const caches = babelCaches();
  const keys: t.Node[] = [];
  const restores = [caches.path, caches.scope].map((cache) => {
    // (an own property of the two objects Babel's cache module sets entries in, for the length of the run)
    const own = Object.getOwnPropertyDescriptor(cache, "set");
    const set = cache.set as (key: t.Node, value: unknown) => unknown;
    Object.defineProperty(cache, "set", {
      configurable: true,
      writable: true,
      value(this: WeakMap<t.Node, unknown>, key: t.Node, value: unknown) {
        keys.push(key);
        return set.call(this, key, value);
      },
    });
    return () => (own ? Object.defineProperty(cache, "set", own) : delete (cache as { set?: unknown }).set);
  });
  try {
    return run();
  } finally {
    for (const restore of restores) restore();
    recording = false;
    for (const key of keys) {
      caches.path.delete(key);
      caches.scope.delete(key);
    }
  }
}

let recording = false;
