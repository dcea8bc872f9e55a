// transform()'s way around most of @babel/core's scope crawl of the whole file (a fifth to a quarter of the
// transform's time: a path and a traversal context for every node of the file).
//
// The lowering reads Babel's scopes inside the functions it lowers and around them, but of the code that
// has nothing to lower it reads only what that code does to the bindings around it: which it assigns (a
// binding's `constant`), which names it declares (FileContext.declaredNames, and the program scope's
// `references` that Babel's uids avoid), and, for the names the lowering asks about (a lowered function's
// own name, `require`/`module`/`exports` as globals), every reference. So before @babel/core makes its
// `File` (and crawls it), the parameters and body of each function outside every other function that holds
// nothing to lower, assigns only its own bindings and mentions none of those names are taken out of the
// tree, and the plugin puts them back first thing (`restoreInertFunctions`), before anything reads the
// tree: the crawl then does not walk them. What Babel would have recorded from them is exactly what the
// conditions leave out (the names they declare are given back to FileContext and to the program scope).
// Nothing walks those bodies with paths afterwards (the plugin's walk enters only what holds something to
// lower); where something would (FileContext's walk of paths, for a file whose scopes it cannot read), their
// scopes are crawled first (`crawlHidden`), as Babel would have.
import type { Scope } from "@babel/traverse";
import * as t from "@babel/types";

interface Hidden {
  fn: t.Function;
  params: t.Function["params"];
  body: t.Function["body"];
}

export interface HiddenSet {
  hidden: Hidden[];
  /** Every name the hidden parts declare (parameters, variables, functions, classes, catch parameters). */
  declared: Set<string>;
}

const hiddenByProgram = new WeakMap<t.Program, HiddenSet>();

/** The functions to take out, with what they declare; null when there is none. */
function findInert(program: t.Program, globalsMatter: boolean, code: string): { inert: t.Function[]; declared: Set<string> } | null {
  // Babel looks for a source map comment in every comment of the tree (and takes it out): a function with
  // one inside stays in the tree. (A comment outside a function's text is never attached to a node inside it.)
  const marks: number[] = [];
  for (let at = code.indexOf("sourceMappingURL"); at >= 0; at = code.indexOf("sourceMappingURL", at + 1)) marks.push(at);
  // Names the lowering reads every reference of (function-objects.ts onlyCalled): the names of async
  // functions and generators, and of what holds one.
  // (only those declared outside every function: a function outside every other one sees no other's names)
  const watched = new Set<string>(globalsMatter ? ["require", "module", "exports"] : []);
  const candidates: { fn: t.Function; info: FunctionInfo }[] = [];
  // Outside every function: look for the outermost functions, and the watched names.
  const stack: t.Node[] = [program];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (t.isFunction(node)) {
      const id = (node as { id?: t.Identifier | null }).id;
      if (node.async || node.generator) {
        if (id) watched.add(id.name);
      } else if (node.start != null && node.end != null && !marks.some((at) => at >= node.start! && at <= node.end!)) {
        const info = survey(node);
        if (info) candidates.push({ fn: node, info });
      }
      // (a method's key and decorators, a name, types: outside the function's own scope)
      pushChildren(node, stack, ["params", "body"]);
      continue;
    }
    if (node.type === "VariableDeclarator" && node.id.type === "Identifier" && t.isFunction(node.init) && (node.init.async || node.init.generator)) watched.add(node.id.name);
    pushChildren(node, stack);
  }
  const inert: t.Function[] = [];
  const declared = new Set<string>();
  for (const { fn, info } of candidates) {
    const [few, many] = watched.size < info.mentioned.size ? [watched, info.mentioned] : [info.mentioned, watched];
    let mentionsWatched = false;
    for (const name of few) if (many.has(name)) mentionsWatched = true;
    if (mentionsWatched) continue;
    inert.push(fn);
    for (const name of info.declared) declared.add(name);
  }
  return inert.length > 0 ? { inert, declared } : null;
}

interface FunctionInfo {
  /** Every identifier's name in its parameters and body. */
  mentioned: Set<string>;
  /** What its parameters and body declare (the names of every binding Babel would make there). */
  declared: Set<string>;
}

/**
 * One walk over the parameters and body of a function outside every other one; null if it has something to
 * lower, or Babel's scopes would record something of it the lowering reads (it assigns a binding not its
 * own), or it has TypeScript's or Flow's syntax, or it names `eval` (FileContext reads the scope of every
 * call of it).
 */
function survey(fn: t.Function): FunctionInfo | null {
  const mentioned = new Set<string>();
  const declared = new Set<string>();
  const assigned = new Set<string>();
  // The function's own bindings, which every assignment inside it reaches rather than one around it: its
  // parameters, its name (a function expression's), its `var`s and the declarations of its body's list.
  const own = new Set<string>();
  const addIds = (node: t.Node | null | undefined, set: Set<string>) => {
    if (!node) return;
    if (node.type === "Identifier") set.add(node.name);
    else for (const name of Object.keys(t.getBindingIdentifiers(node))) set.add(name);
  };
  for (const param of fn.params) {
    addIds(param, own);
    addIds(param, declared);
  }
  if (fn.type === "FunctionExpression" && fn.id) {
    own.add(fn.id.name);
    declared.add(fn.id.name);
  }
  if (fn.body.type === "BlockStatement") {
    for (const statement of fn.body.body) {
      if (statement.type === "FunctionDeclaration" || statement.type === "ClassDeclaration") addIds(statement.id, own);
      else if (statement.type === "VariableDeclaration") for (const declarator of statement.declarations) addIds(declarator.id, own);
    }
  }
  // (an assignment in a parameter's default value is outside the body's declarations: left alone)
  const paramStack: t.Node[] = fn.params.slice();
  while (paramStack.length > 0) {
    const node = paramStack.pop()!;
    if (node.type === "AssignmentExpression" || node.type === "UpdateExpression") return null;
    pushChildren(node, paramStack);
  }
  // The nodes to visit, and for each whether it is inside a function nested in this one (whose `var`s are
  // not this one's).
  const stack: t.Node[] = [...fn.params, fn.body];
  const nestedFlags: boolean[] = stack.map(() => false);
  while (stack.length > 0) {
    const node = stack.pop()!;
    const nested = nestedFlags.pop()!;
    const type = node.type;
    switch (type) {
      case "Identifier":
      case "JSXIdentifier":
        if (node.name === "eval") return null;
        mentioned.add(node.name);
        // (a type annotation or decorators below it are walked: types are left to Babel)
        if (node.type === "JSXIdentifier" || (!node.typeAnnotation && !node.decorators)) continue;
        break;
      case "AssignmentExpression":
        addIds(node.left, assigned);
        break;
      case "UpdateExpression":
        addIds(node.argument, assigned);
        break;
      case "ForInStatement":
      case "ForOfStatement":
        if (node.left.type !== "VariableDeclaration") addIds(node.left, assigned);
        break;
      case "VariableDeclaration":
        if (!nested && node.kind === "var") for (const declarator of node.declarations) addIds(declarator.id, own);
        break;
      case "VariableDeclarator":
        addIds(node.id, declared);
        break;
      case "CatchClause":
        addIds(node.param, declared);
        break;
      case "ClassDeclaration":
      case "ClassExpression":
        if (node.id) declared.add(node.id.name);
        break;
      case "FunctionDeclaration":
      case "FunctionExpression":
      case "ArrowFunctionExpression":
      case "ObjectMethod":
      case "ClassMethod":
      case "ClassPrivateMethod": {
        if (node.async || node.generator) return null;
        const id = (node as { id?: t.Identifier | null }).id;
        if (id) declared.add(id.name);
        for (const param of node.params) addIds(param, declared);
        break;
      }
      default:
        // (TypeScript and Flow declare bindings of kinds of their own: such a function is left to Babel)
        if (isTypeSyntax(type)) return null;
    }
    const inner = nested || t.isFunction(node);
    const keys = t.VISITOR_KEYS[type];
    if (!keys) continue;
    for (const key of keys) {
      const child = (node as unknown as Record<string, t.Node | (t.Node | null)[] | null | undefined>)[key];
      if (!child) continue;
      if (Array.isArray(child)) {
        for (const item of child) {
          if (!item) continue;
          stack.push(item);
          nestedFlags.push(inner);
        }
      } else if (typeof child.type === "string") {
        stack.push(child);
        nestedFlags.push(inner);
      }
    }
  }
  for (const name of assigned) if (!own.has(name)) return null;
  return { mentioned, declared };
}

const typeSyntax = new Map<string, boolean>();

/** A node of TypeScript's or Flow's syntax. */
function isTypeSyntax(type: string): boolean {
  let known = typeSyntax.get(type);
  if (known === undefined) typeSyntax.set(type, (known = /^(TS|Declare|Flow|Type|Interface|Opaque|Enum)/.test(type)));
  return known;
}

function pushChildren(node: t.Node, stack: t.Node[], except?: string[]): void {
  const keys = t.VISITOR_KEYS[node.type];
  if (!keys) return;
  for (let k = keys.length - 1; k >= 0; k--) {
    if (except?.includes(keys[k])) continue;
    const child = (node as unknown as Record<string, t.Node | (t.Node | null)[] | null | undefined>)[keys[k]];
    if (!child) continue;
    if (Array.isArray(child)) {
      for (let i = child.length - 1; i >= 0; i--) if (child[i]) stack.push(child[i]!);
    } else if (typeof child.type === "string") stack.push(child);
  }
}

/**
 * Takes the inert functions' parameters and bodies out of the tree, until the plugin puts them back
 * (`restoreInertFunctions`). `globalsMatter`: the plugin will look for `require`, `module` and `exports`
 * among the file's globals (a module without import or export, and no `runtime` option).
 */
export function hideInertFunctions(file: t.File, code: string, globalsMatter: boolean): void {
  const found = findInert(file.program, globalsMatter, code);
  if (!found) return;
  const hidden = found.inert.map((fn) => {
    const entry: Hidden = { fn, params: fn.params, body: fn.body };
    fn.params = [];
    fn.body = t.blockStatement([]);
    return entry;
  });
  hiddenByProgram.set(file.program, { hidden, declared: found.declared });
}

/**
 * Puts back what `hideInertFunctions` took out, and records the names it declares in the program scope as
 * Babel's crawl would have (its uids avoid them). Returns the hidden functions and what they declare, or null.
 */
export function restoreInertFunctions(program: t.Program, programScope: Scope): HiddenSet | null {
  const set = hiddenByProgram.get(program);
  if (!set) return null;
  hiddenByProgram.delete(program);
  for (const { fn, params, body } of set.hidden) {
    fn.params = params;
    fn.body = body;
  }
  const references = (programScope as unknown as { references: Record<string, boolean> }).references;
  for (const name of set.declared) references[name] = true;
  return set;
}

/** The hidden functions' scopes crawled now, as Babel's crawl of the file would have (for a walk of paths over them). */
export function crawlHidden(set: HiddenSet, scopeOf: WeakMap<t.Node, Scope>): void {
  for (const { fn } of set.hidden) scopeOf.get(fn)?.crawl();
}
