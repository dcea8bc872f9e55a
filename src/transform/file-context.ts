// Per-file state of the transform: the source, the names already taken, the runtime names used.
import type { NodePath, Scope } from "@babel/traverse";
import * as t from "./types.ts";
import { babelCaches } from "./babel-memory.ts";
import { takeNarrowedCrawl, type LoweredOnEntry } from "./narrow-crawl.ts";
import { babelLookup, treeLookup, type BindingLookup } from "./analyze/outer-bindings.ts";
import { isTreeBinding, referencesOf, scopeNodeOf, type AnyBinding } from "./analyze/scope-view.ts";
import { yieldStarQuote, type YieldStarQuote } from "./analyze/yield-star-quotes.ts";
import { getBinding, type ScopeFacts } from "./analyze/scope-tree.ts";
import { Strictness } from "./analyze/sloppy.ts";
import { Ancestors } from "./analyze/ancestors.ts";
import { Insertions } from "./emit/insertions.ts";
import type { MachineInfo } from "./report/metadata.ts";
import type { UntouchedParts } from "./untouched.ts";

export class FileContext {
  readonly allNames: Set<string>;
  /** For uniqueName: per base, the number its search resumes at (every `base_<2 ... n - 1>` is taken). */
  private readonly nextNumber = new Map<string, number>();
  /** The names in allNames that only renames apart put there (renamedName). */
  private readonly renamedApart = new Set<string>();
  /** Globals the file assigns to somewhere: their value can change while a machine waits. */
  readonly assignedGlobals = new Set<string>();
  /** Runtime export name -> local name in this file. */
  readonly runtimeNames = new Map<string, string>();
  /**
   * Names the transform made (uniqueName) for what it declares at the top of the program: the runtime's
   * imports and the machine classes hoisted there (emit/placement.ts). The program's list is rebuilt last
   * (insertions.ts), so while the file is lowered no scope binds them (outer-bindings.ts answers at once).
   */
  readonly madeAtTop = new Set<string>();
  readonly machines: MachineInfo[] = [];
  // What one function's lowering leaves for the lowering of the functions around it (every other fact
  // about nodes lives in the Lowering of one function: see facts.ts).
  /** What the lowering adds to statement lists, inserted in batches (emit/insertions.ts). */
  readonly insertions = new Insertions();
  /** The `let`s the transform declares to hold what one evaluation of a class or literal makes (a script moves them: emit/script-scope.ts). */
  readonly holders = new WeakSet<t.Node>();
  /**
   * Object literals whose generator methods pass their own functions, and classes with private instance
   * async or generator methods: the sequence that links those methods, to which each adds its link
   * (emit/function-objects.ts linkMethod); for a literal, the `let` that keeps it.
   */
  readonly linkSequences = new WeakMap<t.Node, { links: t.SequenceExpression; object: t.Identifier | null }>();
  /** Wrappers of lowered functions: plain function declarations now, but no Annex B functions. */
  readonly wrappers = new WeakSet<t.Node>();
  /** Which code is strict, kept per node as it is asked (analyze/sloppy.ts). */
  readonly strictness = new Strictness();
  /** Walks up from a node, with the climb out of each expression kept (analyze/ancestors.ts). */
  readonly ancestors: Ancestors = new Ancestors(this);
  /**
   * The declarators of lowered function declarations, `var f = ...` (`let` in a block) at the top of their
   * statement list (emit/function-objects.ts declareAtTop): the source's hoisted bindings, which the
   * functions lowered after them read as such (analyze/bindings.ts passableByValue).
   */
  readonly declaredAtTop = new WeakSet<t.Node>();
  /** Every name the source declares somewhere (a reference Babel cannot resolve may still mean one). */
  readonly declaredNames = new Set<string>();
  /** Functions with a direct `eval` inside (at any depth), and that call: they stay native (plugin.ts). */
  readonly evalCalls = new WeakMap<t.Node, t.CallExpression>();
  /** What the transform has to say about the file without failing: one line each, with file:line:col. */
  readonly warnings: string[] = [];
  /** Machine class bodies of inner functions: the source position where the function is created (tdz.ts). */
  readonly createdAt = new WeakMap<t.Node, number>();
  /**
   * The async functions and generators of the source, and every node around one: the plugin's walk enters
   * only these (the rest of the file holds nothing to lower).
   */
  readonly lowerable: Set<t.Node>;
  /**
   * The parts of the file the lowering leaves as they are, found before it (untouched.ts), where the caller
   * prints them as written (lowerInLastPass, print.ts); else null.
   */
  untouched: UntouchedParts | null = null;
  /** The runtime export an async function's wrapper calls: the promise driver, or the loop's coroutine. */
  asyncDriver: "runAsync" | "coroutine" = "runAsync";
  /**
   * Every state is written as it is entered (`machineInfo`, for tracers): a state that falls into the next
   * one of its try region writes it too, so the writes of `this.state` are the states a step runs in.
   */
  writesEveryState = false;
  /**
   * Nothing visits the file after the lowering (transform()'s own pass): Babel's scopes need not be kept
   * true where no lowering reads them again (emit/wrapper.ts).
   */
  lastPass = false;
  /** Whether the source calls a method that sends a function's text elsewhere (plugin.ts `sentAsSource`): read when first asked. */
  mentionsSender: boolean | undefined = undefined;
  /** Whether the source text holds the word `arguments` (plugin.ts `programArguments`): read when first asked. */
  mentionsArguments: boolean | undefined = undefined;
  /**
   * Whether the source has a `with` statement, and a `using` or `await using` declaration: the lowering never
   * makes one, and a function of a file without one needs no walk to look for one.
   */
  readonly hasWith: boolean;
  readonly hasUsing: boolean;
  /**
   * How V8 words a non-iterable at each yield* (analyze/yield-star-quotes.ts), read off the source before any
   * function is lowered; a yield* without an entry: where V8 describes the value.
   */
  readonly yieldStarQuotes: Map<t.Node, YieldStarQuote>;
  /**
   * The parts of the file Babel's crawl did not see (narrow-crawl.ts: transform()'s own pass), which hold
   * nothing the lowering reads, and which no walk with paths may enter; null: the whole file was crawled.
   */
  readonly hiddenFromCrawl: ReadonlySet<t.Node> | null;
  /**
   * The operands of `for await` that are calls of one of the file's own async generator functions that
   * nothing but its calls can reach (`ownAsyncGenerator`), read off the source before any function is
   * lowered: their loops take the operand's async iterator without the fallback to a sync one
   * (`asyncIterateOwn`, so that an app none of whose loops needs it does not carry the async-from-sync
   * iterator).
   */
  readonly ownAsyncGeneratorCalls = new WeakSet<t.Node>();
  /**
   * Where the lowering looks a name up: Babel's scopes, or, where Babel crawled only the lowered functions,
   * Babel's inside them and the scope tree outside (analyze/outer-bindings.ts).
   */
  readonly lookup: BindingLookup;
  /** The functions given their scopes when the plugin's walk comes to them (narrow-crawl.ts `hideAllButLowered`). */
  readonly onEntry: LoweredOnEntry | undefined;
  /**
   * Outermost lowered functions that the lowering reads off the scope tree, with no paths or scopes of Babel's
   * below them (plugin.ts `readableFromTree`): `onEntry` gave them none.
   */
  readonly fromTree = new Set<t.Node>();
  /** For each outermost lowered function given its scopes, the nodes Babel then keeps something for (tree-scopes.ts). */
  readonly keptByBabel = new Map<t.Node, t.Node[]>();

  constructor(
    readonly code: string,
    readonly basename: string,
    /** The program's path (a machine class at the top of the program goes into its list). */
    readonly program: NodePath<t.Program>,
    /**
     * Whether the output's top level is its own (a module, CommonJS), not the realm's (a script): its
     * declarations are then no global object's properties, and only the file sees them.
     */
    readonly ownTopLevel = false,
  ) {
    const narrowed = takeNarrowedCrawl(program.node);
    this.hiddenFromCrawl = narrowed?.hidden ?? null;
    this.lookup = narrowed?.tree ? treeLookup(narrowed.tree, program.scope, this.fromTree, this.madeAtTop) : babelLookup;
    this.onEntry = narrowed?.onEntry;
    // (the hidden parts' names were read before the crawl: the walk below goes around those parts)
    this.allNames = narrowed?.names ?? new Set<string>();
    const tree = this.lookup.tree;
    // (the scope tree has read all of it off the whole file: no walk of it again)
    const walk = tree ? null : walkFile(program, this.allNames, this.hiddenFromCrawl);
    const facts = walk ?? tree!.file;
    // (the scopes of what is read below, where the walk found Babel's: null where the paths decide)
    const scoped = walk?.scoped ?? null;
    this.lowerable = facts.lowerable;
    this.hasWith = facts.hasWith || narrowed?.hasWith === true;
    this.hasUsing = facts.hasUsing || narrowed?.hasUsing === true;
    this.yieldStarQuotes = facts.yieldStarQuotes;
    // (the names the hidden parts' functions and catch clauses declare, of those the lowering asks about)
    if (narrowed) for (const name of narrowed.declared) this.declaredNames.add(name);
    // (so a function that reads one is not given a class at the top of the program, out of its sight)
    if (walk) for (const name of walk.typeScriptValues) this.declaredNames.add(name);
    // (with nothing to lower, nothing reads the rest: a file without async functions or generators is left
    // without a walk of Babel's paths over it)
    if (this.lowerable.size === 0) return;
    if ((tree || scoped) && !this.hasWith && !this.allNames.has("eval")) {
      for (const [call, scope] of facts.forAwaitCalls) {
        const name = (call.callee as t.Identifier).name;
        const binding = tree ? getBinding(scope as ScopeFacts, name) : this.lookup.binding(scope as Scope, name);
        if (binding !== undefined && ownAsyncGenerator(binding, ownTopLevel)) this.ownAsyncGeneratorCalls.add(call);
      }
    }
    if (tree) {
      // The whole file's, off the tree (Babel crawled only the lowered functions).
      for (const scope of tree.scopeOf.values()) for (const name of scope.bindings.keys()) this.declaredNames.add(name);
      // (Babel's `hasBinding` counts the names of the language's globals and `arguments`, `undefined`,
      // `Infinity`, `NaN` as bound: an assignment to one of them is no global's here)
      const { globals, contextVariables } = program.scope.constructor as unknown as { globals: readonly string[]; contextVariables: readonly string[] };
      for (const name of tree.file.assignedGlobals) if (!globals.includes(name) && !contextVariables.includes(name)) this.assignedGlobals.add(name);
      for (const [fn, call] of tree.file.evalCalls) this.evalCalls.set(fn, call);
      return;
    }
    if (scoped) {
      // The same as the walk of paths below, read off the scopes Babel made for the file.
      for (const { call, scope, functions } of scoped.evalCalls) {
        if (scope.getBinding("eval")) continue;
        for (const fn of functions) if (!this.evalCalls.has(fn)) this.evalCalls.set(fn, call);
      }
      for (const scope of scoped.scopables) for (const name of Object.keys(scope.bindings)) this.declaredNames.add(name);
      for (const [target, scope] of scoped.assignments) {
        for (const name of Object.keys(t.getBindingIdentifiers(target))) if (!scope.hasBinding(name)) this.assignedGlobals.add(name);
      }
      return;
    }
    const assigned = this.assignedGlobals;
    const evalCalls = this.evalCalls;
    const declared = this.declaredNames;
    program.traverse({
      Scopable(path: NodePath) {
        for (const name of Object.keys(path.scope.bindings)) declared.add(name);
      },
      CallExpression(path: NodePath<t.CallExpression>) {
        if (!t.isIdentifier(path.node.callee, { name: "eval" }) || path.scope.getBinding("eval")) return;
        // A direct eval reads and writes the variables of every function around it.
        for (let fn = path.getFunctionParent(); fn; fn = fn.getFunctionParent()) if (!evalCalls.has(fn.node)) evalCalls.set(fn.node, path.node);
      },
      "AssignmentExpression|UpdateExpression"(path: NodePath) {
        const node = path.node as t.AssignmentExpression | t.UpdateExpression;
        const target = node.type === "AssignmentExpression" ? node.left : node.argument;
        for (const name of Object.keys(t.getBindingIdentifiers(target as t.Node))) {
          if (!path.scope.hasBinding(name)) assigned.add(name);
        }
      },
    });
  }

  private boxCount = 0;

  /** The next box name (`$s0`, `$s1`, ...), unique in the file. */
  newBoxName = (): string => `$s${this.boxCount++}`;

  /**
   * Gives an outermost lowered function its scopes from the tree (`onEntry`), now: when the plugin's walk
   * comes to it, or later, when its analysis finds what only Babel's scopes tell (it is then no longer read
   * from the tree).
   */
  giveScopes(fn: NodePath<t.Function>): void {
    this.fromTree.delete(fn.node);
    this.keptByBabel.set(fn.node, this.onEntry!.giveScopes(fn));
  }

  private namesLikeBoxes: boolean | undefined;

  /**
   * Whether an identifier of the file may be named like a box (`$s0`): one the transform made, or one of the
   * source's. If not, no state reads a box, and emit/source-words.ts need not look for one.
   */
  mayReadBoxes(): boolean {
    if (this.boxCount > 0) return true;
    if (this.namesLikeBoxes === undefined) {
      this.namesLikeBoxes = false;
      for (const name of this.allNames) if (name.startsWith("$s") && /^\$s\d+$/.test(name)) this.namesLikeBoxes = true;
    }
    return this.namesLikeBoxes;
  }

  /**
   * A name not used anywhere in the file, based on `base`: `base`, else `base_2`, `base_3`, ... allNames only
   * grows, so the search for a base resumes above the last number it gave out: a file of a thousand functions
   * whose machine classes share a name costs a lookup or two per name, not one per function before it.
   */
  uniqueName(base: string): string {
    let candidate = base;
    if (this.allNames.has(base) || GLOBALS.has(base)) {
      let n = this.nextNumber.get(base) ?? 2;
      while (this.allNames.has((candidate = `${base}_${n}`)) || GLOBALS.has(candidate)) n++;
      this.nextNumber.set(base, n + 1);
    }
    this.allNames.add(candidate);
    return candidate;
  }

  /**
   * A new name for a flattened block binding of one function that clashes (analyze/bindings.ts): the first of
   * `name_1`, `name_2`, ... that no identifier of the file is named, but for what other functions' renames
   * gave out (`renamedApart`: each is a local or a field of its own function's machine, out of this one's
   * sight), and that `taken` refuses (the function's own names). So each function numbers its renames from 1,
   * whatever the functions before it took. `resume`: the caller's, one per function, where the search for a
   * name stopped last (what `taken` refuses only grows within a function).
   */
  renamedName(name: string, taken: (candidate: string) => boolean, resume: Map<string, number>): string {
    let n = resume.get(name) ?? 1;
    let candidate = `${name}_${n}`;
    while ((this.allNames.has(candidate) && !this.renamedApart.has(candidate)) || taken(candidate)) candidate = `${name}_${++n}`;
    resume.set(name, n + 1);
    if (!this.allNames.has(candidate)) {
      this.allNames.add(candidate);
      this.renamedApart.add(candidate);
    }
    return candidate;
  }

  /** The source text of a node, on one line, at most `max` characters (for generated nodes: an identifier's name, or "…"). */
  sourceText(node: t.Node, max = 80): string {
    const text = node.start != null && node.end != null ? this.code.slice(node.start, node.end) : "";
    const line = (text || (t.isIdentifier(node) ? node.name : "…")).replace(/\s+/g, " ");
    // (a cut text says so: the inspect table, the graph and the trace show it as the operand)
    return line.length > max ? `${line.slice(0, max - 1)}…` : line;
  }

  runtimeName(exported: string): string {
    let local = this.runtimeNames.get(exported);
    if (!local) {
      local = this.uniqueName(exported);
      this.runtimeNames.set(exported, local);
      this.madeAtTop.add(local);
    }
    return local;
  }
}

interface FileWalk {
  /** The async functions and generators, and every node around one. */
  lowerable: Set<t.Node>;
  /**
   * The scope (as Babel's paths would give it) of every Scopable node below the program, and of every
   * assignment's or update's target; null if some scope node has no scope of Babel's (then the paths decide).
   */
  scoped: {
    scopables: Scope[];
    assignments: [t.Node, Scope][];
    /** Calls of a function named `eval`, each with its scope and the functions around it, innermost first. */
    evalCalls: { call: t.CallExpression; scope: Scope; functions: t.Node[] }[];
  } | null;
  hasWith: boolean;
  hasUsing: boolean;
  yieldStarQuotes: Map<t.Node, YieldStarQuote>;
  /** The operands of `for await` that call a name, each with the loop's scope (none where scopes are unknown). */
  forAwaitCalls: [t.CallExpression, Scope][];
  /**
   * The names TypeScript's enums and namespaces declare below the top of the program: values at run time
   * (once the TypeScript preset has compiled them), which Babel's scopes do not count as bindings.
   */
  typeScriptValues: string[];
}

/**
 * One walk over the whole file, iterative (as deep as the parser goes), without paths: every identifier's
 * name into `names`, the nodes to lower and those around them, and the scopes of what FileContext reads.
 * It goes around the parts hidden from the crawl (`hidden`), which have no scopes of Babel's, and whose names
 * are already in `names` (narrow-crawl.ts). Not where the scope tree read the whole file: it has all of this
 * (`FileFacts`).
 * Each node's scope is found as NodePath#setScope finds it: its own if it is a scope (one Babel made when it
 * crawled the file), else its parent's, or its grandparent's for a method's key or decorators and a
 * switch's discriminant.
 */
function walkFile(program: NodePath<t.Program>, names: Set<string>, hidden: ReadonlySet<t.Node> | null): FileWalk {
  const root = program.node;
  const scopeOf = babelCaches().scope;
  // (another copy of @babel/traverse than the one that crawled the file: its cache is not the file's)
  let scopesKnown = scopeOf.get(root) === program.scope;
  const lowerable = new Set<t.Node>();
  let hasWith = false;
  let hasUsing = false;
  const yieldStarQuotes = new Map<t.Node, YieldStarQuote>();
  const forAwaitCalls: [t.CallExpression, Scope][] = [];
  const typeScriptValues: string[] = [];
  const scopables: Scope[] = [];
  const assignments: [t.Node, Scope][] = [];
  const evalCalls: NonNullable<FileWalk["scoped"]>["evalCalls"] = [];
  /** The nodes from the root down to the one being visited, and their scopes. */
  const ancestors: t.Node[] = [];
  const ancestorScopes: Scope[] = [];
  // Nodes to visit, each with the key it has in its parent; a number: the walk is back up at that depth.
  const stack: (t.Node | number)[] = [root];
  const keys: string[] = [""];
  while (stack.length > 0) {
    const item = stack.pop()!;
    const key = keys.pop()!;
    if (typeof item === "number") {
      ancestors.length = item;
      ancestorScopes.length = item;
      continue;
    }
    const node = item;
    const depth = ancestors.length;
    let scope: Scope | undefined;
    if (depth === 0) scope = program.scope;
    else if (scopesKnown) {
      const parent = ancestors[depth - 1];
      if (t.isScope(node, parent)) scope = scopeOf.get(node);
      else if (depth >= 2 && (((key === "key" || key === "decorators") && t.isMethod(parent)) || (key === "discriminant" && parent.type === "SwitchStatement"))) scope = ancestorScopes[depth - 2];
      else scope = ancestorScopes[depth - 1];
      if (!scope) scopesKnown = false;
      else if (t.isScopable(node)) scopables.push(scope);
      else if (node.type === "AssignmentExpression") assignments.push([node.left, scope]);
      else if (node.type === "UpdateExpression") assignments.push([node.argument, scope]);
      else if (node.type === "CallExpression" && node.callee.type === "Identifier" && node.callee.name === "eval") {
        evalCalls.push({ call: node, scope, functions: ancestors.filter((ancestor) => t.isFunction(ancestor)).reverse() });
      }
    }
    if (node.type === "Identifier") names.add(node.name);
    else if (node.type === "WithStatement") hasWith = true;
    else if ((node.type === "TSEnumDeclaration" || node.type === "TSModuleDeclaration") && !node.declare && node.id.type === "Identifier" && !atTopOfProgram(ancestors) && ancestors[depth - 1].type !== "TSModuleDeclaration") {
      typeScriptValues.push(node.id.name);
    }
    else if (node.type === "ForOfStatement" && node.await && node.right.type === "CallExpression" && node.right.callee.type === "Identifier" && scopesKnown) forAwaitCalls.push([node.right, scope!]);
    else if (node.type === "VariableDeclaration" && (node.kind === "using" || node.kind === "await using")) hasUsing = true;
    else if (node.type === "YieldExpression" && node.delegate) {
      let fn = depth - 1;
      while (fn > 0 && !t.isFunction(ancestors[fn])) fn--;
      const quote = yieldStarQuote([...ancestors.slice(fn), node], (ancestors[fn] as t.Function).async ?? false);
      if (quote !== undefined) yieldStarQuotes.set(node, quote);
    } else if (t.isFunction(node) && (node.async || node.generator)) {
      lowerable.add(node);
      for (let i = depth - 1; i >= 0 && !lowerable.has(ancestors[i]); i--) lowerable.add(ancestors[i]);
    }
    const visitorKeys = t.VISITOR_KEYS[node.type];
    if (!visitorKeys) continue;
    stack.push(depth);
    keys.push("");
    ancestors.push(node);
    ancestorScopes.push(scope!);
    // (an identifier with nothing below it, two in five nodes, gives its name and nothing else: its scope is
    // its parent's, known when the parent's is; it is read here rather than pushed)
    for (let k = visitorKeys.length - 1; k >= 0; k--) {
      const child = (node as unknown as Record<string, t.Node | (t.Node | null)[] | null | undefined>)[visitorKeys[k]];
      if (!child) continue;
      if (Array.isArray(child)) {
        for (let i = child.length - 1; i >= 0; i--) {
          const item = child[i];
          if (!item || (hidden !== null && hidden.has(item))) continue;
          if (item.type === "Identifier" && item.typeAnnotation == null && item.decorators == null) names.add(item.name);
          else {
            stack.push(item);
            keys.push(visitorKeys[k]);
          }
        }
      } else if (hidden !== null && hidden.has(child)) continue;
      else if (child.type === "Identifier" && child.typeAnnotation == null && child.decorators == null) names.add(child.name);
      else if (typeof child.type === "string") {
        stack.push(child);
        keys.push(visitorKeys[k]);
      }
    }
  }
  return { lowerable, scoped: scopesKnown ? { scopables, assignments, evalCalls } : null, hasWith, hasUsing, yieldStarQuotes, forAwaitCalls, typeScriptValues };
}

/** Whether the node below `ancestors` is a statement of the program (or exported there). */
function atTopOfProgram(ancestors: readonly t.Node[]): boolean {
  const depth = ancestors.length;
  return depth === 1 || (depth === 2 && ancestors[1].type === "ExportNamedDeclaration");
}

/**
 * Whether a binding is an async generator function declaration that nothing but its own calls can reach:
 * never assigned, every reference a call's callee, not `arguments.callee` inside (no `arguments` at all),
 * not a property of the global object (a script's top level, unless the output's is its own), not a
 * block's (Annex B gives a sloppy block's function a second binding). Calling it makes the runtime's
 * async generator objects (or the engine's, where it stays native), which inherit from its `prototype`,
 * an object only its objects reach, then from %AsyncGeneratorPrototype% and %AsyncIteratorPrototype%,
 * whose [Symbol.asyncIterator] returns the object: a `for await` over such a call needs no fallback to a
 * sync iterator, unless the program takes that method away from one of those prototypes and puts a
 * [Symbol.iterator] there (docs/lowering.md, known differences).
 */
function ownAsyncGenerator(binding: AnyBinding, ownTopLevel: boolean): boolean {
  const node = isTreeBinding(binding) ? binding.declaration : binding.path.node;
  if (binding.kind !== "hoisted" || node.type !== "FunctionDeclaration" || !node.async || !node.generator || !binding.constant) return false;
  const around = isTreeBinding(binding) ? binding.declarationParent : binding.path.parent;
  if (around && t.isExportDeclaration(around)) return false;
  const home = scopeNodeOf(binding);
  if (!(t.isFunction(home) || (home.type === "Program" && ownTopLevel))) return false;
  for (const { node: reference, parent } of referencesOf(binding)) {
    if (parent.type !== "CallExpression" || parent.callee !== reference) return false;
  }
  let mentionsArguments = false;
  t.traverseFast(node.body, (inner) => {
    if (inner.type === "Identifier" && inner.name === "arguments") mentionsArguments = true;
  });
  return !mentionsArguments;
}

/** Global names a generated class must never shadow. */
const GLOBALS = new Set(Object.getOwnPropertyNames(globalThis).concat(["Promise", "Symbol", "Reflect", "Object", "Array", "Error", "TypeError"]));
