// Babel's scopes of a lowered function made from the file's scope tree, in place of Babel's crawl of it.
//
// In transform()'s own pass over a JavaScript file, Babel's crawl of the `File` sees none of the outermost
// lowered functions (narrow-crawl.ts `hideAllButLowered`). Most have nothing lowered inside them and are
// lowered reading the tree itself, with no scopes of Babel's below them (FileContext.fromTree); the others
// (a lowered function inside, `using`, a computed key's function, `with`, a function
// declared in a block of sloppy code) get their scopes when the plugin's walk comes to them, or when their
// analysis finds it needs them. Crawling it there (`Scope#crawl`) walks it with Babel's traversal, a context and a visit per node,
// to find what analyze/scope-tree.ts has already read off the same nodes. This makes the same result from
// the tree, with a plain walk: a path for every node below the function that the crawl's walk visits, in
// Babel's cache as the crawl leaves it; a scope for every node that makes one; and for every binding of those
// scopes a `Binding` with the crawl's kind, path, identifier, constancy, references and constant violations,
// in the crawl's order (test/tree-scopes.test.ts holds it to the crawl). The lowering then reads Babel's
// scopes as before. (Most of what it costs now is Babel's cache of paths: a WeakMap entry per parent node.)
//
// What the crawl also records outside the function, references to the bindings around it and the globals it
// reads, is not made: in this pass the lookups that leave the lowered functions read the tree
// (outer-bindings.ts). Nor are the names of its bindings added to the program's `references`, which only
// Babel's `generateUid` reads: nothing in this pass makes a uid. A function declaration's own name is
// registered in the block around it, as the crawl does: the lowering replaces the declaration there
// (emit/function-objects.ts `declareAtTop`).
import type { Binding, NodePath, Scope } from "@babel/traverse";
import * as t from "./types.ts";
import { babelCaches } from "./babel-memory.ts";
import { emptyScope } from "./narrow-crawl.ts";
import type { BindingFacts, ScopeFacts, ScopeTree } from "./analyze/scope-tree.ts";
import { babelBinding } from "./babel-packages.ts";

/**
 * Babel's Binding class: not part of @babel/traverse's API (lib/scope/binding.js). Only transform()'s own pass
 * imports this module, with its own copy of Babel, never the plugin, which must load wherever Babel does.
 */
const BabelBinding = babelBinding().default as new (options: { identifier: t.Identifier; scope: Scope; path: NodePath; kind: Binding["kind"] }) => Binding;

/**
 * Gives `fn` (an outermost lowered function whose scope Babel made empty, narrow-crawl.ts `putBack`) and
 * everything below it the paths and scopes Babel's crawl of it would. Returns the nodes Babel now keeps
 * something for, `fn` first: each node with child paths in its cache, each node with a scope (what
 * babel-memory.ts `forgetFunction` releases once the function is lowered, with no walk of its own).
 */
export function scopesFromTree(fn: NodePath<t.Function>, tree: ScopeTree): t.Node[] {
  const PathClass = fn.constructor as new (hub: NodePath["hub"], parent: t.Node) => NodePath;
  const ScopeClass = fn.scope.constructor as new (path: NodePath) => Scope;
  const pathCache = babelCaches().path;
  const { hub } = fn;
  const { scopeOf } = tree;
  const fnFacts = scopeOf.get(fn.node)!;
  // The tree's scopes below the function, each with Babel's, in the walk's order (the function's first).
  const scopes: [ScopeFacts, Scope][] = [[fnFacts, fn.scope]];
  // The paths of the nodes a binding may have as its path or constant violation (an identifier's, a
  // reference's or a parameter's, is found by its parent in Babel's cache).
  const paths = new Map<t.Node, NodePath>([[fn.node, fn]]);
  const kept: t.Node[] = [fn.node];

  // Paths first, each made as NodePath.get makes it (and kept in Babel's cache, by parent node), with the scope
  // its setScope would give it.
  emptyScope(fn.scope);
  const stack: NodePath[] = [fn];
  let parentPath: NodePath = fn;
  let childPaths: Map<t.Node, NodePath> | undefined;
  const visit = (container: object, listKey: string | undefined, key: string | number, node: t.Node) => {
    if (!visitedByCrawl(node)) return;
    const parent = parentPath.node;
    if (childPaths === undefined) {
      childPaths = pathCache.get(parent);
      if (childPaths === undefined) pathCache.set(parent, (childPaths = new Map()));
      // (a node that makes a scope is kept already)
      if (parent !== fn.node && parentPath.scope.block !== parent) kept.push(parent);
    }
    let path = childPaths.get(node);
    if (path === undefined) {
      path = new PathClass(hub, parent);
      childPaths.set(node, path);
    }
    // (NodePath#setup)
    path.listKey = listKey as string;
    path.container = container as t.Node;
    path.parentPath = parentPath;
    path.key = key;
    path.node = node;
    path.type = node.type as never;
    if (BINDING_NODES.has(node.type)) paths.set(node, path);
    // (most nodes make no scope: only a scopable node or a pattern can, and only those are looked up)
    const facts = SCOPE_TYPES.has(node.type) ? scopeOf.get(node) : undefined;
    if (facts !== undefined) {
      const scope = new ScopeClass(path);
      emptyScope(scope);
      path.scope = scope;
      scopes.push([facts, scope]);
      kept.push(node);
    } else {
      // (a method's key and decorators, and a switch's discriminant, are in the scope around)
      const around = ((key === "key" || listKey === "decorators") && t.isMethod(parent)) || (key === "discriminant" && parent.type === "SwitchStatement");
      path.scope = around ? parentPath.parentPath!.scope : parentPath.scope;
    }
    stack.push(path);
  };
  while (stack.length > 0) {
    parentPath = stack.pop()!;
    childPaths = undefined;
    const parent = parentPath.node;
    const keys = t.VISITOR_KEYS[parent.type];
    if (!keys) continue;
    // (last child first: the stack gives them back in the walk's order)
    for (let k = keys.length - 1; k >= 0; k--) {
      const key = keys[k];
      const child = (parent as unknown as Record<string, t.Node | (t.Node | null)[] | null | undefined>)[key];
      if (!child) continue;
      if (Array.isArray(child)) {
        for (let i = child.length - 1; i >= 0; i--) {
          const item = child[i];
          if (item) visit(child, key, i, item);
        }
      } else if (typeof child.type === "string") {
        visit(parent, undefined, key, child);
      }
    }
  }

  // Then the bindings, scope by scope, each scope's in the order the crawl registers them.
  const made = new Map<BindingFacts, Binding>();
  for (const [facts, scope] of scopes) {
    for (const [name, binding] of facts.bindings) {
      // (a class's scope shares the binding of its declared name with the scope around)
      let babel = made.get(binding);
      if (babel === undefined) {
        // (a parameter's identifier is its function's child; the function makes the binding's scope)
        const pathOf = (node: t.Node) => paths.get(node) ?? pathCache.get(binding.scope.node)!.get(node)!;
        babel = new BabelBinding({ identifier: binding.identifier, scope, path: pathOf(binding.declaration), kind: binding.kind });
        babel.constant = binding.constant;
        babel.constantViolations = binding.violations.map(pathOf);
        const { references, referenceParents } = binding;
        const referencePaths: NodePath[] = new Array(references.length);
        for (let i = 0; i < references.length; i++) referencePaths[i] = referencePath(pathCache, references[i], referenceParents[i]);
        babel.referencePaths = referencePaths;
        babel.references = references.length;
        babel.referenced = references.length > 0;
        made.set(binding, babel);
      }
      scope.bindings[name] = babel;
    }
  }
  // (the crawl registers a function declaration's name in the block around it, as it visits the function)
  if (fn.isFunctionDeclaration()) fn.scope.parent.getBlockParent().registerDeclaration(fn);
  return kept;
}

/** The types of the nodes that may make a scope (Babel's `isScope`: a scopable node, a parameter's pattern). */
const SCOPE_TYPES = new Set<string>([...(t.FLIPPED_ALIAS_KEYS.Scopable ?? []), ...(t.FLIPPED_ALIAS_KEYS.Pattern ?? [])]);

/**
 * The nodes a binding may have as its path (Babel's `binding.path`: a declarator, function, class, catch
 * clause, pattern parameter, import specifier) or as a constant violation (those declared again, and
 * assignments, updates, `delete`s, for-in/of statements), but identifiers.
 */
const BINDING_NODES = new Set<string>([
  "VariableDeclarator", "FunctionDeclaration", "FunctionExpression", "ClassDeclaration", "ClassExpression", "CatchClause",
  "ObjectPattern", "ArrayPattern", "AssignmentPattern", "RestElement", "ImportSpecifier", "ImportDefaultSpecifier", "ImportNamespaceSpecifier",
  "AssignmentExpression", "UpdateExpression", "UnaryExpression", "ForInStatement", "ForOfStatement",
]);

/**
 * The node types the crawl's visitor has a function for (its `collectorVisitor`, and `Scope` for every
 * scopable node): `ReferencedIdentifier` is an Identifier's or a JSXIdentifier's.
 */
const CRAWL_TYPES = new Set<string>(["Identifier", "JSXIdentifier", "ForStatement", "ImportDeclaration", "TSImportEqualsDeclaration", "LabeledStatement", "AssignmentExpression", "UpdateExpression", "UnaryExpression", "CatchClause", "ClassExpression", "TSTypeAnnotation"]);
for (const alias of ["Declaration", "ForXStatement", "ExportDeclaration", "BlockScoped", "Function", "Scopable"]) for (const type of t.FLIPPED_ALIAS_KEYS[alias] ?? []) CRAWL_TYPES.add(type);

/**
 * Whether the crawl's walk makes a path for the node (Babel's TraversalContext#shouldVisit): its visitor has a
 * function for the type, or the node has a child key set (an empty list counts).
 */
function visitedByCrawl(node: t.Node): boolean {
  if (CRAWL_TYPES.has(node.type)) return true;
  const keys = t.VISITOR_KEYS[node.type];
  if (keys === undefined) return false;
  for (const key of keys) if ((node as unknown as Record<string, unknown>)[key]) return true;
  return false;
}

/**
 * The path made for a reference, found by the parent the tree lists for it: or, where an async generator's
 * `return x` became `return await x` (explode/function-body.ts `awaitReturnValues`, which leaves the tree's
 * list as it was), under the `await` put between.
 */
function referencePath(pathCache: WeakMap<t.Node, Map<t.Node, NodePath>>, reference: t.Node, parent: t.Node): NodePath {
  const byParent = pathCache.get(parent);
  const path = byParent?.get(reference);
  if (path !== undefined) return path;
  const awaited = parent.type === "ReturnStatement" ? parent.argument : null;
  if (awaited?.type === "AwaitExpression" && awaited.argument === reference) {
    const found = pathCache.get(awaited)?.get(reference);
    if (found !== undefined) return found;
  }
  throw new Error(`stepwise: no path for a reference to ${(reference as t.Identifier).name}`);
}
