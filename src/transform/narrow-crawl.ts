// What Babel's crawl of the whole file need not see, in transform()'s own pass (index.ts lowerInLastPass).
//
// In a JavaScript file that is everything (`hideAllButLowered`): the file's scope tree
// (analyze/scope-tree.ts) answers every lookup outside the lowered functions (analyze/outer-bindings.ts), and
// each outermost lowered function is crawled when the plugin's walk comes to it. What follows is the
// narrowing of a TypeScript file (`hideFromCrawl`), whose declarations the tree does not know.
//
// Making @babel/core's File crawls the whole file: a path for every node, a scope for every block, every
// reference and assignment resolved. The lowering reads only some of that: the scopes of the functions it
// lowers (all of their nodes), and of what is around them, and there only the bindings of the names the
// lowered functions use. So before the File is made, the parts of the file that cannot change any fact the
// lowering reads are swapped out of the tree (each for a childless placeholder the crawl does not visit), and
// put back right after it: the crawl then walks the lowered functions, what is around them, and whatever
// declares or assigns a name they use or mentions a lowered function's name, and little else (on the
// real-code corpus, 26% of the nodes of a file with something to lower, the lowered functions being 16%).
//
// Which facts, and why they come out as before (the consumers: docs/architecture.md, "What the transform's
// targets need"):
// - `asked`: every name a lowered function uses (identifiers inside async functions and generators, but
//   property names), the names a declarator gives to one, and the names the lowering looks up itself
//   (`undefined`, `arguments`, `Symbol`, `eval`, `require`, `module`, `exports`, and names like its own
//   `$s0`). Every scope lookup the lowering makes, and every binding whose references, constant violations
//   or `constant` it reads, is by one of these names (bindings of other names are never read; FileContext's
//   `declaredNames` and `assignedGlobals` are read for these names only; the program's `globals` for
//   require/module/exports only).
// - Of a binding of an asked name, the lowering reads its declarations and constant violations (`constant`,
//   where and how it is declared), and its references only for a lowered function's own name (is it only
//   ever called?) and the names it looks up itself (`referencesRead`). So an identifier that only reads its
//   binding (a place listed in `onlyReads`) of any other asked name keeps nothing visible.
// - A part stays visible if it has an identifier of an asked name that may resolve outside the hidden code:
//   one that no function (nor catch clause) around it declares, where "declares" counts only what surely makes
//   a binding of Babel's in that function's own scope (its parameters, its own name as an expression, the
//   declarations of its body's statement list; a catch clause's parameter, but not for a `var` inside the
//   clause, which Babel binds in the function). Such an identifier resolves to the same binding as with the
//   whole file crawled: every declaration of its name that it could resolve to is visible too (visible
//   itself, or one of those a function around it surely makes). So the bindings the lowering reads keep every
//   assignment and declaration they had, and every reference where their references are read.
// - A function or catch clause that stays visible keeps the declarations it was counted as making, so that
//   the identifiers inside it that were called its own (and did not keep anything visible) still resolve
//   inside it (not to an asked binding further out) wherever they stay visible.
// - A direct `eval` is always visible (FileContext marks every function around it); so is an identifier
//   `arguments` outside any non-arrow function of the hidden code.
// - The names the hidden code declares in its functions and catch clauses go to FileContext's
//   `declaredNames` from here (where asked); every identifier's name goes to `allNames` from here.
// - Nothing walks into a hidden part with paths afterwards: the plugin's walk and the rebuilt statement
//   lists only make the path of a part's root (which gets an empty scope of its own here, where it is a
//   scope, rather than Babel crawling it when it makes the path), and `hasMappedArguments`
//   (analyze/bindings.ts), the one walk with paths through a function around a lowered one, skips them.
import type { NodePath, Scope } from "@babel/traverse";
import * as t from "./types.ts";
import { babelCaches } from "./babel-memory.ts";
import { isLowered, type ScopeTree } from "./analyze/scope-tree.ts";

/** What the crawl did not see, for FileContext. */
export interface NarrowedCrawl {
  /** The roots of the parts hidden from the crawl. */
  hidden: Set<t.Node>;
  /** Every identifier's name in the file (FileContext.allNames). */
  names: Set<string>;
  /** Asked names that some function or catch clause of the hidden parts declares (FileContext.declaredNames). */
  declared: Set<string>;
  hasWith: boolean;
  hasUsing: boolean;
  /**
   * The file's scopes read off its nodes, where Babel crawled only the lowered functions
   * (`hideAllButLowered`): the lookups outside them read it (analyze/outer-bindings.ts).
   */
  tree?: ScopeTree;
  /**
   * The outermost async functions and generators, which the File's crawl did not see either, and what gives
   * one its scopes when the plugin's walk comes to it (plugin.ts), just before it and what is inside it are
   * lowered: tree-scopes.ts, from the tree, as Babel's crawl of it would. (Most need none: they are lowered
   * reading the tree itself, FileContext.fromTree.)
   */
  onEntry?: LoweredOnEntry;
}

export interface LoweredOnEntry {
  functions: ReadonlySet<t.Node>;
  /** Returns the nodes Babel then keeps something for (tree-scopes.ts). */
  giveScopes(fn: NodePath<t.Function>): t.Node[];
}

const narrowed = new WeakMap<t.Program, NarrowedCrawl>();

/**
 * What lowerInLastPass hid from the crawl of this program, once it is put back (none: the whole file was
 * crawled). Taken: the entry goes, as it is read (a WeakMap entry whose value refers to the file's tree keeps
 * the tree through the young generation's collections: babel-memory.ts `forgettingWhatBabelIsGiven`).
 */
export function takeNarrowedCrawl(program: t.Program): NarrowedCrawl | undefined {
  const crawl = narrowed.get(program);
  narrowed.delete(program);
  return crawl;
}

/** A part swapped out of the tree: where it goes back. */
interface HiddenPart {
  node: t.Node;
  parent: t.Node;
  /** The parent's parent (the File for the program's statements). */
  grandparent: t.Node;
  key: string;
  /** Its index in the list `parent[key]`, or -1. */
  index: number;
  placeholder: t.Node;
  /** Whether the plugin's walk, or a rebuilt statement list, will make its path: its parent is lowerable. */
  reached: boolean;
}

export interface Hidden {
  ast: t.File;
  parts: HiddenPart[];
  info: NarrowedCrawl;
}

/** Names the lowering looks up without the source naming them inside a lowered function. */
const ALWAYS_ASKED = ["undefined", "arguments", "Symbol", "eval", "require", "module", "exports"];

/**
 * Swaps the parts of the file the lowering reads nothing of out of the tree, before the File is made (and
 * crawled); `putBack` restores them. Null if nothing would be hidden.
 */
export function hideFromCrawl(ast: t.File): Hidden | null {
  const first = firstWalk(ast.program);
  const plan = planHiding(ast, first);
  if (plan.parts.length === 0) return null;
  swapOut(plan.parts);
  return {
    ast,
    parts: plan.parts,
    info: { hidden: new Set(plan.parts.map((part) => part.node)), names: first.names, declared: plan.declared, hasWith: first.hasWith, hasUsing: first.hasUsing },
  };
}

/**
 * Swaps out of the tree everything but the nodes around the async functions and generators (of those, every
 * child but the identifiers), before the File is made: what the lowering reads outside the lowered
 * functions it reads off the scope tree of the file instead (analyze/outer-bindings.ts), which also gives
 * FileContext the names, `with`s, assignments of globals and direct `eval`s of the whole file. The
 * outermost lowered functions are swapped out too, and each read from the tree (FileContext.fromTree) or
 * given its scopes (`giveScopes`: tree-scopes.ts) as the plugin's walk comes to it: then the paths made of one are dropped once it is lowered
 * (babel-memory.ts), before those of the next are made, rather than all living until the last is lowered.
 * JavaScript only (the tree knows no TypeScript declarations). Null if nothing would be hidden.
 */
export function hideAllButLowered(ast: t.File, tree: ScopeTree, giveScopes: (fn: NodePath<t.Function>) => t.Node[]): Hidden | null {
  const { lowerable } = tree.file;
  const parts: HiddenPart[] = [];
  const functions = new Set<t.Node>();
  // (the lowerable nodes below the program, each with its parent: the File for the program)
  const stack: [t.Node, t.Node][] = [[ast.program, ast]];
  while (stack.length > 0) {
    const [node, parent] = stack.pop()!;
    for (const key of t.VISITOR_KEYS[node.type] ?? []) {
      const child = (node as unknown as Slots)[key];
      if (!child) continue;
      const list = Array.isArray(child) ? child : null;
      for (let i = 0; i < (list ? list.length : 1); i++) {
        const item = list ? list[i] : (child as t.Node);
        if (!item || typeof item.type !== "string") continue;
        if (lowerable.has(item)) {
          // (an async function or generator is hidden too, and given its scopes whole later)
          if (isLowered(item)) functions.add(item);
          else {
            stack.push([item, node]);
            continue;
          }
        }
        // (an identifier, a leaf, a type annotation the crawl skips: nothing gained)
        if (item.type === "Identifier" || item.type === "JSXIdentifier" || item.type === "TSTypeAnnotation" || item.type === "Directive") continue;
        if ((t.VISITOR_KEYS[item.type]?.length ?? 0) === 0) continue;
        parts.push({ node: item, parent: node, grandparent: parent, key, index: list ? i : -1, placeholder: { type: "Noop" } as t.Node, reached: true });
      }
    }
  }
  if (parts.length === 0) return null;
  swapOut(parts);
  const { names, hasWith, hasUsing } = tree.file;
  return { ast, parts, info: { hidden: new Set(parts.map((part) => part.node).filter((node) => !functions.has(node))), names, declared: new Set(), hasWith, hasUsing, tree, onEntry: { functions, giveScopes } } };
}

/** What Scope#init and the crawl's reset leave in a scope, without the crawl: no bindings yet. */
export function emptyScope(scope: Scope): void {
  const fields = scope as unknown as Record<string, unknown>;
  fields.inited = true;
  fields.references = Object.create(null);
  fields.uids = Object.create(null);
  fields.bindings = Object.create(null);
  fields.globals = Object.create(null);
  fields.data = Object.create(null);
}

/** Puts each part's placeholder in its place. */
function swapOut(parts: readonly HiddenPart[]): void {
  for (const part of parts) {
    if (part.index >= 0) (part.parent as unknown as Record<string, t.Node[]>)[part.key][part.index] = part.placeholder;
    else (part.parent as unknown as Record<string, t.Node>)[part.key] = part.placeholder;
  }
}

/**
 * Puts the hidden parts back once the File is made (`program`: its path; null if making it failed). A part's
 * root that is a scope, where the plugin's walk will make its path, gets its path and an empty scope now:
 * Babel would otherwise crawl the part when it makes the path.
 */
export function putBack(hidden: Hidden, program: NodePath<t.Program> | null): void {
  for (const part of hidden.parts) {
    if (part.index >= 0) (part.parent as unknown as Record<string, t.Node[]>)[part.key][part.index] = part.node;
    else (part.parent as unknown as Record<string, t.Node>)[part.key] = part.node;
  }
  if (!program) return;
  // (the lookups outside the lowered functions must read the tree, whatever happens to Babel's scopes below)
  if (hidden.info.tree) narrowed.set(hidden.ast.program, hidden.info);
  const caches = babelCaches();
  // (another copy of @babel/traverse than the one that crawled the file: its caches are not the file's, and
  // FileContext, without what is recorded here, walks the whole file with paths as it does elsewhere)
  if (caches.scope.get(program.node) !== program.scope) return;
  const Path = program.constructor as unknown as { get(options: object): NodePath };
  const ScopeClass = program.scope.constructor as new (path: NodePath) => Scope;
  for (const part of hidden.parts) {
    const paths = caches.path.get(part.parent);
    // (a placeholder the crawl made a path for: a parameter, which Babel's Function visitor asks for)
    const stale = paths?.get(part.placeholder);
    if (stale) {
      paths!.delete(part.placeholder);
      stale.node = part.node;
      stale.type = part.node.type as never;
      paths!.set(part.node, stale);
    }
    if (!part.reached || !t.isScope(part.node, part.parent)) continue;
    const parentPath = caches.path.get(part.grandparent)?.get(part.parent);
    if (!parentPath) continue;
    const container = part.index >= 0 ? (part.parent as unknown as Record<string, t.Node[]>)[part.key] : part.parent;
    const path = stale ?? Path.get({ parentPath, parent: part.parent, container, listKey: part.index >= 0 ? part.key : undefined, key: part.index >= 0 ? part.index : part.key });
    const scope = new ScopeClass(path);
    // (no bindings: nothing reads them, nothing walks into the part; a lowered function gets its own later)
    if (!(scope as Scope & { inited: boolean }).inited) emptyScope(scope);
  }
  narrowed.set(hidden.ast.program, hidden.info);
}

interface FirstWalk {
  names: Set<string>;
  asked: Set<string>;
  /**
   * The asked names whose bindings' references (not only declarations and assignments) the lowering reads:
   * a lowered function's own name (is it only ever called? `onlyCalled`, `ownAsyncGenerator`), and the
   * names it looks up itself (a free `require` is one of the program's `globals`).
   */
  referencesRead: Set<string>;
  /** The async functions and generators, and every node around one (FileContext.lowerable). */
  lowerable: Set<t.Node>;
  hasWith: boolean;
  hasUsing: boolean;
  /** How many nodes the walk pushed (those it read in place, identifiers, aside): a bound of planHiding's. */
  nodeCount: number;
}

type Slots = Record<string, t.Node | (t.Node | null)[] | null | undefined>;

/**
 * Whether an identifier at this place is neither a reference nor a binding for Babel (so the crawl makes
 * nothing of it): a property name, a label, an import's or export's outside name.
 */
function unnamed(parent: t.Node | undefined, key: string): boolean {
  if (!parent) return false;
  switch (parent.type) {
    case "MemberExpression":
    case "OptionalMemberExpression":
      return key === "property" && !parent.computed;
    case "ObjectProperty":
    case "ObjectMethod":
    case "ClassProperty":
    case "ClassMethod":
    case "ClassAccessorProperty":
    case "ClassPrivateProperty":
    case "ClassPrivateMethod":
      return key === "key" && !(parent as { computed?: boolean }).computed;
    case "PrivateName":
    case "MetaProperty":
      return true;
    case "JSXAttribute":
      return key === "name";
    default:
      return false;
  }
}

/** Labels and the outside names of imports and exports: not bindings for the crawl (names the lowering may still ask). */
function unboundLabel(parent: t.Node, key: string): boolean {
  switch (parent.type) {
    case "LabeledStatement":
    case "BreakStatement":
    case "ContinueStatement":
      return key === "label";
    case "ImportSpecifier":
      return key === "imported";
    case "ExportSpecifier":
    case "ExportNamespaceSpecifier":
    case "ExportDefaultSpecifier":
      return key === "exported";
    default:
      return false;
  }
}

/**
 * Whether an identifier at this place (`key` of `parent`, under `grandparent`) only reads its binding: a
 * reference for Babel's crawl, neither a declaration nor a constant violation. Only places that are surely
 * that are listed (anything else counts as possibly declaring or assigning).
 */
function onlyReads(parent: t.Node, key: string, grandparent: t.Node | null): boolean {
  switch (parent.type) {
    case "MemberExpression":
    case "OptionalMemberExpression":
      return key === "object" || (key === "property" && parent.computed);
    case "CallExpression":
    case "OptionalCallExpression":
    case "NewExpression":
    case "BinaryExpression":
    case "LogicalExpression":
    case "ConditionalExpression":
    case "ReturnStatement":
    case "ThrowStatement":
    case "ExpressionStatement":
    case "IfStatement":
    case "WhileStatement":
    case "DoWhileStatement":
    case "SwitchStatement":
    case "SwitchCase":
    case "SequenceExpression":
    case "TemplateLiteral":
    case "TaggedTemplateExpression":
    case "AwaitExpression":
    case "YieldExpression":
    case "ArrayExpression":
    case "SpreadElement":
    case "SpreadProperty":
    case "ParenthesizedExpression":
      return true;
    case "UnaryExpression":
      // (`delete x` is a constant violation for Babel)
      return parent.operator !== "delete";
    case "VariableDeclarator":
      return key === "init";
    case "AssignmentExpression":
    case "AssignmentPattern":
      return key === "right";
    case "ForStatement":
      return key === "test" || key === "update";
    case "ForInStatement":
    case "ForOfStatement":
      return key === "right";
    case "ObjectProperty":
      // (a value of an object literal; in a pattern it is a target)
      return key === "value" && grandparent?.type === "ObjectExpression";
    default:
      return false;
  }
}

/** A name the lowering gives its own variables (boxes, temps): a source identifier so named is asked. */
const OWN_NAME = /^\$s?\d+$/;

/** Every name; the lowerable nodes; the asked names (used inside lowerable functions). */
function firstWalk(root: t.Program): FirstWalk {
  const names = new Set<string>();
  const asked = new Set<string>(ALWAYS_ASKED);
  const referencesRead = new Set<string>(ALWAYS_ASKED);
  const lowerable = new Set<t.Node>();
  let hasWith = false;
  let hasUsing = false;
  const ancestors: t.Node[] = [];
  const stack: (t.Node | number)[] = [root];
  const keys: string[] = [""];
  // Depth of the outermost async function or generator the walk is in; -1: none.
  let inside = -1;
  let count = 0;
  while (stack.length > 0) {
    const item = stack.pop()!;
    const key = keys.pop()!;
    if (typeof item === "number") {
      ancestors.length = item;
      if (item <= inside) inside = -1;
      continue;
    }
    const node = item;
    count++;
    const depth = ancestors.length;
    const parent = ancestors[depth - 1];
    if (node.type === "Identifier") {
      names.add(node.name);
      if ((inside >= 0 && !unnamed(parent, key)) || (node.name.charCodeAt(0) === 36 && OWN_NAME.test(node.name))) asked.add(node.name);
    } else if (node.type === "JSXIdentifier") {
      if (inside >= 0 && !unnamed(parent, key)) asked.add(node.name);
    } else if (node.type === "WithStatement") hasWith = true;
    else if (node.type === "VariableDeclaration" && (node.kind === "using" || node.kind === "await using")) hasUsing = true;
    else if (t.isFunction(node) && (node.async || node.generator)) {
      lowerable.add(node);
      for (let i = depth - 1; i >= 0 && !lowerable.has(ancestors[i]); i--) lowerable.add(ancestors[i]);
      if (inside < 0) inside = depth;
      // (`const f = async () => {}`: the lowering asks whether `f` is only ever called)
      if (parent?.type === "VariableDeclarator" && parent.init === node && parent.id.type === "Identifier") {
        asked.add(parent.id.name);
        referencesRead.add(parent.id.name);
      }
      if ((node.type === "FunctionDeclaration" || node.type === "FunctionExpression") && node.id) referencesRead.add(node.id.name);
    }
    const visitorKeys = t.VISITOR_KEYS[node.type];
    if (!visitorKeys) continue;
    stack.push(depth);
    keys.push("");
    ancestors.push(node);
    const inFunction = inside >= 0;
    for (let k = visitorKeys.length - 1; k >= 0; k--) {
      const childKey = visitorKeys[k];
      const child = (node as unknown as Slots)[childKey];
      if (!child) continue;
      const list = Array.isArray(child) ? child : null;
      for (let i = list ? list.length - 1 : 0; i >= 0; i--) {
        const item = list ? list[i] : (child as t.Node);
        if (!item || typeof item.type !== "string") continue;
        // (an identifier with nothing below it, two in five nodes, is read here rather than pushed)
        if (item.type === "Identifier" && item.typeAnnotation == null && item.decorators == null) {
          const name = item.name;
          names.add(name);
          if ((inFunction && !unnamed(node, childKey)) || (name.charCodeAt(0) === 36 && OWN_NAME.test(name))) asked.add(name);
          continue;
        }
        stack.push(item);
        keys.push(childKey);
      }
    }
  }
  return { names, asked, referencesRead, lowerable, hasWith, hasUsing, nodeCount: count };
}

/** A function or catch clause of the hidden code, with the names it surely binds in its own scope. */
interface Frame {
  names: Set<string>;
  /** `arguments` inside it is its own (a function but an arrow). */
  ownArguments: boolean;
  catchClause: boolean;
  parent: Frame | null;
  /** Its node's index in the plan's node list. */
  index: number;
  /** The nodes (indices) that make those bindings: kept visible if the frame is. */
  declaring: number[];
}

// How a node relates to the declarations of a frame (Stack.mode, bits).
/** A node of a declaring pattern (a parameter, a catch clause's parameter, a declarator's id). */
const PATTERN = 1;
/** A declaration statement of a frame's body (its declarators declare). */
const DECLARATION = 2;
/** A declarator of such a declaration (its id declares). */
const DECLARATOR = 3;
/** A function or class declaration of a frame's body (its id declares). */
const SINGLE = 4;
/** The body of a frame's function (its statements may declare). */
const BODY = 5;
const ROLE = 7;
/** Inside the id of a `var` declarator: a catch clause's parameter does not bind it. */
const VAR_ID = 8;
/** A declarator of a `var` declaration. */
const VAR_DECLARATOR = 16;

/** The keys of a pattern through which its bound names are reached (Babel's getBindingIdentifiers). */
function patternKey(node: t.Node, key: string): boolean {
  switch (node.type) {
    case "ObjectPattern":
      return key === "properties";
    case "ObjectProperty":
      return key === "value";
    case "ArrayPattern":
      return key === "elements";
    case "AssignmentPattern":
      return key === "left";
    case "RestElement":
      return key === "argument";
    default:
      return false;
  }
}

/** The names a pattern binds, as Babel's getOuterBindingIdentifiers finds them. */
function patternNames(node: t.Node | null | undefined, names: Set<string>): void {
  if (!node) return;
  switch (node.type) {
    case "Identifier":
      names.add(node.name);
      return;
    case "ObjectPattern":
      for (const property of node.properties) patternNames(property.type === "RestElement" ? property.argument : (property.value as t.Node), names);
      return;
    case "ArrayPattern":
      for (const element of node.elements) patternNames(element, names);
      return;
    case "AssignmentPattern":
      patternNames(node.left, names);
      return;
    case "RestElement":
      patternNames(node.argument, names);
      return;
    default:
      return;
  }
}

/** Whether a statement of a function's body is a declaration Babel binds in the function's scope. */
function declaresInBody(statement: t.Statement): boolean {
  return statement.type === "VariableDeclaration" || (statement.type === "FunctionDeclaration" && statement.id != null) || (statement.type === "ClassDeclaration" && statement.id != null && !statement.declare);
}

function frameNames(node: t.Function | t.CatchClause): Set<string> {
  const names = new Set<string>();
  if (node.type === "CatchClause") {
    patternNames(node.param, names);
    return names;
  }
  for (const param of node.params) patternNames(param, names);
  if (node.type === "FunctionExpression" && node.id) names.add(node.id.name);
  if (node.body.type === "BlockStatement") {
    for (const statement of node.body.body) {
      if (!declaresInBody(statement)) continue;
      if (statement.type === "VariableDeclaration") for (const declarator of statement.declarations) patternNames(declarator.id, names);
      else names.add((statement as t.FunctionDeclaration | t.ClassDeclaration).id!.name);
    }
  }
  return names;
}

/** The children of a function evaluated outside its scope: a declaration's name, a method's key and decorators. */
function outsideFrame(node: t.Node, key: string): boolean {
  if (node.type === "FunctionDeclaration") return key === "id";
  if (node.type === "ObjectMethod" || node.type === "ClassMethod" || node.type === "ClassPrivateMethod") return key === "key" || key === "decorators";
  return false;
}

/** Whether an identifier of this name, here, is bound by a frame around it (in the hidden code). */
function boundByFrame(name: string, frame: Frame | null, varId: boolean): boolean {
  for (let f = frame; f; f = f.parent) {
    if (f.catchClause && varId) continue;
    if (f.names.has(name)) return true;
    if (f.ownArguments && name === "arguments") return true;
  }
  return false;
}

/**
 * Which parts to hide: a walk over the file outside the lowerable functions, marking what must stay visible
 * (`kept`: the lowerable nodes, and every node on the way to an identifier that may resolve outside the hidden
 * code, and the declarations of the frames kept visible); a part is a node that is not kept, under one that is.
 */
function planHiding(ast: t.File, first: FirstWalk): { parts: HiddenPart[]; declared: Set<string> } {
  const { asked, referencesRead, lowerable } = first;
  // Every node outside the lowerable functions but the identifiers and leaves, by index (a node's index is
  // larger than its parent's): the node, its parent's index, its key (and index) in the parent, the frame
  // around it, its relation to that frame's declarations (a mode) and the frame that relation is to.
  // (the numbers in typed arrays, sized once: no growing, nothing for the collector to scan)
  const nodes: t.Node[] = [ast.program];
  const size = first.nodeCount + 1;
  const parents = new Int32Array(size);
  parents[0] = -1;
  const slotKeys: string[] = ["program"];
  const slotIndices = new Int32Array(size);
  slotIndices[0] = -1;
  const nodeFrames: (Frame | null)[] = [null];
  const modes = new Uint8Array(size);
  const owners: (Frame | null)[] = [null];
  const kept = new Uint8Array(size);
  kept[0] = 1;
  const frames: Frame[] = [];
  const keepUp = (index: number) => {
    for (let i = index; i >= 0 && kept[i] === 0; i = parents[i]) kept[i] = 1;
  };
  /** An identifier child of node `parentIndex`: keeps its parent visible if it may resolve outside the hidden code. */
  const identifier = (id: t.Identifier | t.JSXIdentifier, parentIndex: number, key: string, frame: Frame | null, mode: number) => {
    const name = id.name;
    const parent = nodes[parentIndex];
    if (name === "eval" ? !unnamed(parent, key) : asked.has(name) && !unnamed(parent, key) && !unboundLabel(parent, key) && !(id.type === "Identifier" && !referencesRead.has(name) && onlyReads(parent, key, parentIndex === 0 ? null : nodes[parents[parentIndex]])) && !boundByFrame(name, frame, (mode & VAR_ID) !== 0)) {
      keepUp(parentIndex);
    }
  };
  const stack: number[] = [0];
  while (stack.length > 0) {
    const index = stack.pop()!;
    const node = nodes[index];
    const frame = nodeFrames[index];
    const mode = modes[index];
    const owner = owners[index];
    const isLowerable = lowerable.has(node);
    if (isLowerable) keepUp(index);
    if (owner !== null && (mode & ROLE) !== BODY) owner.declaring.push(index);
    if (node.type === "Identifier" || node.type === "JSXIdentifier") identifier(node, parents[index], slotKeys[index], frame, mode);
    // An async function or generator: lowered, all of it seen by the crawl.
    if (isLowerable && t.isFunction(node) && (node.async || node.generator)) continue;
    const visitorKeys = t.VISITOR_KEYS[node.type];
    if (!visitorKeys || visitorKeys.length === 0) continue;
    let own: Frame | null = null;
    if (!isLowerable && (t.isFunction(node) || node.type === "CatchClause")) {
      own = { names: frameNames(node), ownArguments: node.type !== "ArrowFunctionExpression" && node.type !== "CatchClause", catchClause: node.type === "CatchClause", parent: frame, index, declaring: [] };
      frames.push(own);
    }
    const role = mode & ROLE;
    for (let k = visitorKeys.length - 1; k >= 0; k--) {
      const childKey = visitorKeys[k];
      const child = (node as unknown as Slots)[childKey];
      if (!child) continue;
      const childFrame = own !== null && !outsideFrame(node, childKey) ? own : frame;
      // The child's relation to a frame's declarations.
      let childMode = 0;
      let childOwner: Frame | null = null;
      if (own !== null && (childKey === "params" || (own.catchClause && childKey === "param"))) {
        childMode = PATTERN;
        childOwner = own;
      } else if (own !== null && childKey === "body" && !own.catchClause && !Array.isArray(child) && child.type === "BlockStatement") {
        childMode = BODY;
        childOwner = own;
      } else if (role === PATTERN && patternKey(node, childKey)) {
        childMode = PATTERN;
        childOwner = owner;
      } else if (role === DECLARATION && childKey === "declarations") {
        childMode = DECLARATOR;
        childOwner = owner;
      } else if (role === DECLARATOR && childKey === "id") {
        childMode = PATTERN;
        childOwner = owner;
      }
      if ((mode & VAR_ID) !== 0 || ((mode & VAR_DECLARATOR) !== 0 && childKey === "id")) childMode |= VAR_ID;
      if (node.type === "VariableDeclaration" && node.kind === "var" && childKey === "declarations") childMode |= VAR_DECLARATOR;
      const list = Array.isArray(child) ? child : null;
      for (let i = list ? list.length - 1 : 0; i >= 0; i--) {
        const item = list ? list[i] : (child as t.Node);
        if (!item || typeof item.type !== "string") continue;
        // (an identifier with nothing below it, two in five nodes, is never hidden: it is looked at here; a
        // leaf the crawl does not visit is left alone)
        if ((item.type === "Identifier" && item.typeAnnotation == null && item.decorators == null) || item.type === "JSXIdentifier") {
          identifier(item, index, childKey, childFrame, childMode);
          continue;
        }
        const itemKeys = t.VISITOR_KEYS[item.type];
        if (!itemKeys || itemKeys.length === 0) continue;
        let itemMode = childMode;
        let itemOwner = childOwner;
        // (a statement of a frame's body that declares)
        if (role === BODY && list !== null && childKey === "body" && declaresInBody(item as t.Statement)) {
          itemMode = (itemMode & ~ROLE) | (item.type === "VariableDeclaration" ? DECLARATION : SINGLE);
          itemOwner = owner;
        }
        const at = nodes.length;
        stack.push(at);
        nodes.push(item);
        parents[at] = index;
        slotKeys.push(childKey);
        slotIndices[at] = list ? i : -1;
        nodeFrames.push(childFrame);
        modes[at] = itemMode;
        owners.push(itemOwner);
      }
    }
  }
  // Frames kept visible keep their declarations; inner frames first (their indices are larger), as keeping
  // an inner frame's declarations keeps the frames around it.
  const declared = new Set<string>();
  for (let f = frames.length - 1; f >= 0; f--) {
    const frame = frames[f];
    for (const name of frame.names) if (asked.has(name)) declared.add(name);
    if (kept[frame.index] === 0) continue;
    for (const index of frame.declaring) keepUp(index);
  }
  const parts: HiddenPart[] = [];
  for (let i = 1; i < nodes.length; i++) {
    if (kept[i] !== 0 || kept[parents[i]] === 0) continue;
    const node = nodes[i];
    // (an identifier, a leaf, a type annotation the crawl skips: nothing gained)
    if (node.type === "Identifier" || node.type === "JSXIdentifier" || node.type === "TSTypeAnnotation" || node.type === "Directive") continue;
    const visitorKeys = t.VISITOR_KEYS[node.type];
    if (!visitorKeys || visitorKeys.length === 0) continue;
    const parent = nodes[parents[i]];
    const grandparent = parents[i] === 0 ? ast : nodes[parents[parents[i]]];
    parts.push({ node, parent, grandparent, key: slotKeys[i], index: slotIndices[i], placeholder: { type: "Noop" } as t.Node, reached: lowerable.has(parent) });
  }
  return { parts, declared };
}
