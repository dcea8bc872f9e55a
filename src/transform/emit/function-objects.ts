// What makes a wrapper the function object it stands for. Native async functions, generators and async
// generators are no constructors, have no `prototype` (generators: one their objects inherit from) and
// inherit from %AsyncFunction.prototype% (%GeneratorFunction.prototype%, ...). A wrapper gets there by its
// shape and one runtime call where the language creates the function:
//
//   declaration   var f = defineAsyncFunction({ f(a) { ... } }.f);   at the top of its statement list, where
//                 (let in a block)                                    the declaration was initialized
//   expression    defineAsyncFunction({ f(a) { ... } }.f)            a concise method: no constructor, no
//                                                                     `prototype`, named as the engine names it
//   arrow         defineAsyncFunction((a) => ...)                    ({ f: (a) => ... }.f where it takes a name)
//   method        static { defineAsyncMethods(this.prototype, "m"); } (object literals: around the literal)
//
// Generators call defineGeneratorFunction(fn, Machine) / defineGeneratorMethod(Machine, home, key), which also
// give them their own `prototype`; a generator's wrapper passes itself to runGenerator (its objects inherit
// from its current `prototype`), by its declared name, or by a `const` around it (`(() => { const g = ...;
// return g; })()`) where nothing else names it.
import type { NodePath } from "@babel/traverse";
import * as t from "../types.ts";
import type { FileContext } from "../file-context.ts";
import { onlyCallsOf } from "../analyze/scope-view.ts";
import { inferredName, nameBy } from "../names.ts";
import { babelCaches } from "../babel-memory.ts";
import { insertBeforeOwnStatement } from "./placement.ts";
import type { ClassElement } from "./insertions.ts";

/** How a lowered function's wrapper is made a function object of its kind (see the table above). */
export interface FunctionObjectPlan {
  shape: "declaration" | "expression" | "arrow" | "method" | "plain";
  /** The `name` the engine gives the function; null where a computed key decides it at run time. */
  name: string | null;
  /**
   * Where a computed key names the function at run time (`{ [k]: async () => {} }`, a class field
   * `[k] = function* () {}`): the key as the wrapper reads it again, kept as it was evaluated
   * (`[C_fKey = toPropertyKey(k)]`) or one read again without effect (`Symbol.iterator`); null where no
   * `let` can keep it (the function then stays nameless to the transform: a plain function).
   */
  nameKey: t.Expression | null;
  /** The name the wrapper passes itself by (generators, and expressions that use their own name). */
  self: string | null;
  /** Whether `self` is a `const` of its own around the function (nothing else names it). */
  ownSelf: boolean;
  /** A generator (sync or async) rather than an async function. */
  generator: boolean;
  /**
   * Whether anything can see the function object other than by calling it: an async function that is only
   * ever called (an IIFE, a `const` or a declaration used only as a callee), and does not read its own
   * `arguments` (whose `callee` is the function object), skips defineAsyncFunction,
   * which would cost it a prototype change each time it is created. (A generator's objects show its
   * `prototype`, which they inherit from: seen, but for a generator declared inside a function and only
   * ever called there by its name, which runLocalGenerator gives a `prototype` of its own, out of sight.)
   */
  observable: boolean;
}

/** What shapeOf decides: the plan but for the function's kind and whether anything sees it. */
type PlannedShape = Omit<FunctionObjectPlan, "generator" | "observable">;

/**
 * Decides the shape before the function is rewritten (its name depends on where it stands). `ownArguments`:
 * the function reads its own `arguments`, whose `callee` shows the function object to the body, however the
 * function is called.
 */
export function planFunctionObject(fn: NodePath<t.Function>, params: t.Function["params"], machineName: string, file: FileContext, ownArguments: boolean): FunctionObjectPlan {
  const plan = shapeOf(fn, params, machineName, file);
  const generator = fn.node.generator === true;
  const observable = ownArguments || (generator ? !localGenerator(fn, plan, file) : !onlyCalled(fn, file));
  // (fields named: a spread of the plans' several shapes takes V8's slow path)
  return { shape: plan.shape, name: plan.name, nameKey: plan.nameKey, self: plan.self, ownSelf: plan.ownSelf, generator, observable };
}

/**
 * A generator declaration inside a function (or at the top level of an output that is a module,
 * `ownTopLevel`: not the realm's, as a script's is), only ever called by its name: nothing sees the function
 * object but its calls (and its own `arguments`, whose `callee` planFunctionObject rules out), so it is not
 * made a generator function (runLocalGenerator, which the wrapper calls instead of runGenerator, gives its
 * objects their prototype of their own).
 */
function localGenerator(fn: NodePath<t.Function>, plan: PlannedShape, file: FileContext): boolean {
  if (plan.shape !== "declaration" || plan.ownSelf || plan.self === null || (fn.getFunctionParent() === null && !(file.ownTopLevel && fn.parentPath.isProgram()))) return false;
  return onlyCalled(fn, file);
}

/**
 * Whether the function object is only ever called: an IIFE, or a binding that never changes used only as a
 * callee (a declaration: in a block, or at a top level of the output's own, `ownTopLevel`).
 */
function onlyCalled(fn: NodePath<t.Function>, file: FileContext): boolean {
  const node = fn.node;
  const parent = fn.parentPath;
  const isCallee = (path: NodePath) => (path.parentPath?.isCallExpression() || path.parentPath?.isOptionalCallExpression()) && (path.parent as t.CallExpression).callee === path.node;
  const onlyCalledBy = (name: string, scope: NodePath["scope"]) => {
    const binding = file.lookup.binding(scope, name);
    return binding !== undefined && binding.constant && onlyCallsOf(binding);
  };
  if ((t.isFunctionExpression(node) || t.isArrowFunctionExpression(node)) && isCallee(fn)) {
    return !t.isFunctionExpression(node) || !node.id || onlyCalledBy(node.id.name, fn.scope);
  }
  if (parent.isVariableDeclarator() && parent.node.init === node && t.isIdentifier(parent.node.id) && !(t.isFunctionExpression(node) && node.id)) {
    // (a script's top-level bindings are the global object's, which anyone can read)
    return !(parent.parentPath.parentPath?.isProgram() && parent.scope.path.isProgram() && (parent.scope.path.node as t.Program).sourceType !== "module") && onlyCalledBy(parent.node.id.name, parent.scope);
  }
  if (t.isFunctionDeclaration(node) && node.id && (parent.isBlockStatement() || (parent.isProgram() && file.ownTopLevel))) return onlyCalledBy(node.id.name, parent.scope);
  return false;
}

function shapeOf(fn: NodePath<t.Function>, params: t.Function["params"], machineName: string, file: FileContext): PlannedShape {
  const node = fn.node;
  const shadowed = (name: string) => params.some((param) => Object.keys(t.getBindingIdentifiers(param)).includes(name));
  const ownSelf = (name: string) => (t.isValidIdentifier(name) && !shadowed(name) ? name : file.uniqueName(`${selfBase(name)}Self`));
  if (fn.isArrowFunctionExpression()) {
    const name = inferredName(fn);
    return { shape: "arrow", name, nameKey: name === null ? namingKey(fn, machineName, file) : null, self: null, ownSelf: false };
  }
  if (fn.isObjectMethod() || fn.isClassMethod() || fn.isClassPrivateMethod()) return { shape: "method", name: null, nameKey: null, self: null, ownSelf: false };
  if (t.isFunctionDeclaration(node) && !node.id && fn.parentPath.isExportDefaultDeclaration()) {
    // `export default function* () {}` declares a function the engine names "default", bound to no name of
    // the module's: it gets one, for its hoisted `var` (`export { _default as default }`) to bind.
    node.id = t.identifier(file.uniqueName("_default"));
    return { shape: "declaration", name: "default", nameKey: null, self: node.generator ? node.id.name : null, ownSelf: false };
  }
  if (t.isFunctionDeclaration(node) && node.id && declarationList(fn)) {
    const name = node.id.name;
    if (!node.generator) return { shape: "declaration", name, nameKey: null, self: null, ownSelf: false };
    // Passing itself by its declared name holds while that name stays the function.
    const byName = !shadowed(name) && fn.scope.parent !== undefined && file.lookup.binding(fn.scope.parent, name)?.constant === true;
    return { shape: "declaration", name, nameKey: null, self: byName ? name : ownSelf(name), ownSelf: !byName };
  }
  if (t.isFunctionExpression(node)) {
    const name = node.id ? node.id.name : inferredName(fn);
    // (Under a computed key the engine names the function at run time, by the key kept for the wrapper to
    // read: where none can be kept, it stays a plain function.)
    const nameKey = name === null ? namingKey(fn, machineName, file) : null;
    if (name === null && nameKey === null) return { shape: "plain", name, nameKey, self: null, ownSelf: false };
    // An async expression passes itself only if it uses its own name (installWrapper checks).
    const self = node.generator || node.id ? ownSelf(node.id?.name ?? name ?? "") : null;
    return { shape: "expression", name, nameKey, self, ownSelf: self !== null };
  }
  return { shape: "plain", name: null, nameKey: null, self: null, ownSelf: false };
}

/**
 * The computed key of the property or class field whose value the function is, as the wrapper can read it
 * again where it is defined (`{ [key]: wrapper }[key]` names it as the engine does): kept where it is
 * evaluated, or null where no `let` can hold it.
 */
function namingKey(fn: NodePath<t.Function>, machineName: string, file: FileContext): t.Expression | null {
  const property = fn.parentPath;
  if (!(property.isObjectProperty() || property.isClassProperty()) || !property.node.computed || property.node.value !== fn.node) return null;
  const owner = property.isClassProperty() ? property.parentPath.parentPath! : property.parentPath;
  return reusableKey(property.node.key, property.scope, file) ?? keptKey(property.node, () => letBefore(owner, `${machineName}Key`, file), file);
}

function selfBase(name: string): string {
  const base = name.replace(/\W/g, "") || "anonymous";
  return /^\d/.test(base) ? `_${base}` : base;
}

/**
 * The statement list a declaration is hoisted in (`var`/`let` at its top), or null (a switch case). A
 * TypeScript namespace's block is one (the TypeScript preset makes it a function's body, its exported
 * `var` a property of the namespace).
 */
function declarationList(fn: NodePath<t.Function>): NodePath | null {
  const statement = fn.parentPath.isExportDeclaration() ? fn.parentPath : fn;
  const list = statement.parentPath;
  return list && (list.isProgram() || list.isBlockStatement() || list.isStaticBlock() || list.isTSModuleBlock()) && statement.listKey === "body" ? list : null;
}

/** Whether makeFunctionObject puts something else in the function's place (whose scopes it then makes). */
export function replacesFunction(plan: FunctionObjectPlan): boolean {
  switch (plan.shape) {
    case "arrow":
      return plan.observable && (plan.name !== null || plan.nameKey !== null);
    case "expression":
      // (an expression only ever called stays as it is: its `this` is the caller's, as the method's would be)
      return plan.observable;
    case "declaration":
      return true;
    default:
      return false;
  }
}

/**
 * Makes the wrapper (already rewritten in place) the function object its plan says: replaces the function
 * with its defining expression, or a declaration with a hoisted `var`/`let`. `scopesRead`: Babel's scopes
 * of what replaces it are read afterwards (see scopeReplacement).
 */
export function makeFunctionObject(fn: NodePath<t.Function>, plan: FunctionObjectPlan, machineRef: t.Expression, file: FileContext, scopesRead: boolean): void {
  if (!replacesFunction(plan)) return;
  const node = fn.node;
  const define = (value: t.Expression) =>
    !plan.observable
      ? value
      : plan.generator
      ? t.callExpression(t.identifier(file.runtimeName("defineGeneratorFunction")), [value, t.cloneNode(machineRef)])
      : t.callExpression(t.identifier(file.runtimeName("defineAsyncFunction")), [value]);
  switch (plan.shape) {
    case "arrow": {
      const arrow = node as t.ArrowFunctionExpression;
      const named =
        plan.name === null
          ? nameBy(arrow, t.cloneNode(plan.nameKey!), true)
          : plan.name === ""
          ? arrow
          : t.isValidIdentifier(plan.name, false)
          ? nameBy(arrow, plan.name)
          : nameBy(arrow, t.stringLiteral(plan.name), true);
      const [replacement] = fn.replaceWith(define(named));
      if (scopesRead) scopeReplacement(replacement);
      return;
    }
    case "expression":
    case "declaration": {
      const key = plan.name === null ? t.cloneNode(plan.nameKey!) : propertyKey(plan.name);
      const computed = plan.name === null || !t.isIdentifier(key);
      const method = t.objectMethod("method", key, node.params as t.ObjectMethod["params"], node.body as t.BlockStatement, computed);
      // (where the source function is: a debugger, and a coverage tool that runs after the lowering, see it
      // there; a named function at its name, where such a tool places the function itself)
      const id = "id" in node ? node.id : null;
      method.loc = id?.loc && node.loc ? { ...node.loc, start: id.loc.start } : node.loc;
      // (and by its name: such a tool names a function by its `id`, a slot the parser leaves null in a
      // method and Babel neither prints, visits nor copies there)
      if (id) (method as t.ObjectMethod & { id?: t.Identifier }).id = Object.assign(t.identifier(id.name), { loc: id.loc });
      file.wrappers.add(method);
      let value: t.Expression = define(t.memberExpression(t.objectExpression([method]), t.cloneNode(key), computed));
      if (plan.ownSelf) {
        value = t.callExpression(t.arrowFunctionExpression([], t.blockStatement([
          t.variableDeclaration("const", [t.variableDeclarator(t.identifier(plan.self!), value)]),
          t.returnStatement(t.identifier(plan.self!)),
        ])), []);
      }
      const [replacement] = plan.shape === "expression" ? fn.replaceWith(value) : [declareAtTop(fn as NodePath<t.FunctionDeclaration>, value, file)];
      if (scopesRead) scopeReplacement(replacement);
      return;
    }
    default:
      return;
  }
}

/** A method key for `name`: an identifier where it can be one, else a string. */
function propertyKey(name: string): t.Identifier | t.StringLiteral {
  return t.isValidIdentifier(name, false) ? t.identifier(name) : t.stringLiteral(name);
}

/**
 * `async function f() {}` becomes `var f = ...` (`let` in a block) at the top of its statement list, where
 * the declaration was initialized; an export keeps its name (`export var f`, `export { f as default }`).
 */
function declareAtTop(fn: NodePath<t.FunctionDeclaration>, value: t.Expression, file: FileContext): NodePath {
  const name = fn.node.id!.name;
  const list = declarationList(fn)!;
  const exported = fn.parentPath.isExportDeclaration() ? fn.parentPath : null;
  // (a namespace exports only a `const` to the TypeScript preset: at the top of its block, before anything
  // of it runs, as the declaration was initialized)
  const kind = list.isBlockStatement() && !list.parentPath.isFunction() ? "let" : list.isStaticBlock() ? "let" : exported && list.isTSModuleBlock() ? "const" : "var";
  const declaration = t.variableDeclaration(kind, [t.variableDeclarator(t.identifier(name), value)]);
  let statement: NodePath;
  const source = (exported ?? fn).parentPath!.scope.getBinding(name);
  source?.scope.removeOwnBinding(name);
  if (exported?.isExportDefaultDeclaration()) {
    t.inheritsComments(declaration, exported.node);
    t.removeComments(exported.node);
    [statement] = exported.insertBefore(declaration);
    exported.replaceWith(t.exportNamedDeclaration(null, [t.exportSpecifier(t.identifier(name), t.identifier("default"))]));
  } else if (exported) {
    [statement] = exported.replaceWith(t.exportNamedDeclaration(declaration, []));
  } else if (file.lastPass) {
    statement = replaceInLastPass(fn, declaration);
  } else {
    // (replaceWith moves the function's comments onto the declaration)
    [statement] = fn.replaceWith(declaration);
  }
  if (file.lastPass && statement.isVariableDeclaration()) registerUncached(statement, declaration);
  else statement.scope.registerDeclaration(statement);
  // The new binding is the source's: what refers to the function's name and what changes it (another
  // declaration of the name, an assignment) stay the binding's, for the lowering of the functions that
  // read it later (is it `constant`, only ever called?). Without them a declaration assigned elsewhere
  // looked constant to them, and a second declaration of the name only called.
  file.declaredAtTop.add(declaration.declarations[0]);
  const declared = source && statement.scope.getOwnBinding(name);
  if (declared && declared !== source) {
    for (const violation of source.constantViolations) declared.reassign(violation);
    for (const reference of source.referencePaths) declared.reference(reference);
  }
  file.insertions.hoist(statement);
  return statement;
}

/**
 * Makes Babel's paths for what replaced a function, and so scopes for the functions in it (the wrapper, moved
 * or remade as a method, and an arrow around it), as the next walk with paths would. The analysis of the
 * function around this one walks nodes and reads the scopes Babel has (analyze/node-walk.ts): without
 * these it would find none and walk it again with paths.
 *
 * Each scope made crawls itself, and the crawl asks for the scope around again and again (`Scope#parent`, for
 * the program and for every name it looks up), which Babel finds by a walk up the paths to the next one that
 * makes a scope: through every call and member of a `.then(async ...)` chain before this link, for each
 * link. The replacement's path already knows that scope (its own, set when it replaced the function), so
 * while the replacement is walked its parent is that scope's path: the walk up stops there, at the same
 * scope. (A replacement that makes a scope itself was crawled by `replaceWith`.)
 */
function scopeReplacement(replacement: NodePath): void {
  if (replacement.isScope()) {
    replacement.traverse(MAKE_PATHS);
    return;
  }
  const parentPath = replacement.parentPath;
  replacement.parentPath = replacement.scope.path;
  try {
    replacement.traverse(MAKE_PATHS);
  } finally {
    replacement.parentPath = parentPath;
  }
}

/** A visitor with nothing to do: the walk itself makes the paths (made once: Babel prepares a visitor the first time it walks with it). */
const MAKE_PATHS = {};

/**
 * What `fn.replaceWith(declaration)` does, in a last pass: the function's comments moved onto the
 * declaration, the node replaced in its list and in Babel's cache of paths, the path's type and scope now
 * the declaration's. Without what no reader needs there (replaceWith was half of declareAtTop): the
 * validation of the list's new item, Babel's debug message, and the requeue of the path into the traversal,
 * which would only visit it to skip it (nothing to lower in it; no traversal follows the pass).
 */
function replaceInLastPass(fn: NodePath<t.FunctionDeclaration>, declaration: t.VariableDeclaration): NodePath<t.VariableDeclaration> {
  const old = fn.node;
  moveComments(declaration, old);
  babelCaches().path.get(fn.parent)?.set(declaration, fn).delete(old);
  const path = fn as unknown as NodePath<t.VariableDeclaration>;
  path.node = declaration;
  (path.container as t.Statement[])[path.key as number] = declaration;
  path.type = "VariableDeclaration";
  // (setScope's answer for a statement that makes no scope: the nearest scope above it)
  let above: NodePath | null = fn.parentPath;
  while (above && !above.scope) above = above.parentPath;
  path.scope = above!.scope;
  return path;
}

/** t.inheritsComments(to, from) and t.removeComments(from), without a Set and two arrays per key when neither has comments. */
function moveComments(to: t.Node, from: t.Node): void {
  for (const key of ["trailingComments", "leadingComments", "innerComments"] as const) {
    const own = to[key];
    const moved = from[key];
    to[key] = (own && own.length > 0) || (moved && moved.length > 0) ? Array.from(new Set([...(own ?? []), ...(moved ?? [])])) : [];
    from[key] = null;
  }
}

/**
 * What `scope.registerDeclaration` does for the new declaration, with the declarator's path made outside
 * Babel's cache of paths. The cache is a WeakMap keyed by the parent node, with an entry for every node of
 * the file the crawl saw and many deleted since (babel-memory.ts): a new key was one insertion per function
 * into a table full of deleted entries, which V8 rehashed every few hundred insertions (the binding's
 * bookkeeping was 7% of the lowering, most of it those rehashes). Only in a last pass: no traversal follows
 * that would make the cached path of the same node beside this one.
 */
function registerUncached(statement: NodePath<t.VariableDeclaration>, declaration: t.VariableDeclaration): void {
  // (NodePath.get's setup, without the cache; the class is the statement's, whichever copy of Babel made it)
  const Path = statement.constructor as new (hub: NodePath["hub"], parent: t.Node) => NodePath<t.VariableDeclarator>;
  const declarator = new Path(statement.hub, declaration);
  declarator.listKey = "declarations";
  declarator.container = declaration.declarations;
  declarator.parentPath = statement;
  declarator.key = 0;
  declarator.node = declaration.declarations[0];
  declarator.type = "VariableDeclarator";
  statement.scope.registerBinding(declaration.kind as "var" | "let", declarator);
}

/**
 * A method is made a function of its kind once the class or the object literal exists: an async method by
 * defineAsyncMethods, a generator method by defineGeneratorMethod, which also gives it a `prototype` of
 * its own and tells the machine class which function it runs for. From a static block that runs before
 * the class's other static elements, or around the object literal (`defineAsyncMethods({ ... }, "key")`).
 *
 * What the link needs, it gets where the class or literal is evaluated (`let`s before that statement):
 * - a computed key (other than `Symbol.iterator`/`Symbol.asyncIterator`, which can be read again) is kept
 *   as it is evaluated: `[C_mKey = toPropertyKey(expr)]`, the key the engine uses, converted once;
 * - a generator method of a class or object literal evaluated more than once (made by a function), whose
 *   machine class is shared by every evaluation, passes its own function to runGenerator: `C_genSelf`
 *   (a literal's is read off the literal, kept in `o_genObject`);
 * - a private static method is reached as `this.#m`, a private instance method at the first instance of
 *   its class (linkPrivateInstanceMethod).
 * Returns the name the wrapper passes itself by, if it needs one.
 */
export function linkMethod(fn: NodePath<t.Function>, machineRef: t.Expression, machineName: string, sharedMachine: boolean, file: FileContext): t.Identifier | null {
  if (!(fn.isClassMethod() || fn.isObjectMethod() || fn.isClassPrivateMethod())) return null;
  const method = fn.node as t.ClassMethod | t.ObjectMethod | t.ClassPrivateMethod;
  if (method.kind !== "method") return null;
  const owner = fn.parentPath.isClassBody() ? (fn.parentPath.parentPath as NodePath<t.Class>) : (fn.parentPath as NodePath<t.ObjectExpression>);
  const declareLet = (suffix: string) => letBefore(owner, `${machineName}${suffix}`, file);
  // (what this method puts in front of its class's elements: emit/insertions.ts)
  const front = () => file.insertions.classFront(fn.parentPath as NodePath<t.ClassBody>, method);
  if (t.isClassPrivateMethod(method)) {
    if (!method.static) return linkPrivateInstanceMethod(method, owner as NodePath<t.Class>, machineRef, declareLet, front, file);
    const linked = privateLink(method, machineRef, declareLet, file);
    if (!linked) return null;
    insertLink(front(), machineRef, linked.link);
    return linked.self;
  }
  const elements = fn.parentPath.isClassBody() ? fn.parentPath.node.body : objectLiteral(fn.parentPath.node, method as t.ObjectMethod)?.properties;
  if (elements && replacedLater(method as t.ClassMethod | t.ObjectMethod, elements)) return null;
  const key = methodKey(fn as NodePath<t.ClassMethod | t.ObjectMethod>, file) ?? keptKey(method as t.ClassMethod | t.ObjectMethod, () => declareLet("Key"), file);
  if (!key) return null;
  if (t.isClassMethod(method)) {
    const helper = file.runtimeName(method.generator ? "defineGeneratorMethod" : "defineAsyncMethods");
    const home = method.static ? t.thisExpression() : t.memberExpression(t.thisExpression(), t.identifier("prototype"));
    const link = t.callExpression(t.identifier(helper), method.generator ? [t.cloneNode(machineRef), home, key] : [home, key]);
    const self = method.generator && sharedMachine ? declareLet("Self") : null;
    insertLink(front(), machineRef, self ? t.assignmentExpression("=", t.cloneNode(self), link) : link);
    return self;
  }
  const literal = fn.parentPath as NodePath<t.ObjectExpression>;
  if (method.generator && sharedMachine) {
    // `(o_gObject = { *g() {...} }, o_gSelf = defineGeneratorMethod(G, o_gObject, "g"), o_gObject)`: one
    // sequence per literal, to which its other such methods add their links.
    const node = objectLiteral(literal.node, method as t.ObjectMethod);
    const linked = node && file.linkSequences.get(node);
    const self = declareLet("Self");
    const object = self && (linked?.object ?? declareLet("Object"));
    if (node && self && object) {
      const link = t.assignmentExpression("=", t.cloneNode(self), t.callExpression(t.identifier(file.runtimeName("defineGeneratorMethod")), [t.cloneNode(machineRef), t.cloneNode(object), key]));
      if (linked) linked.links.expressions.splice(linked.links.expressions.length - 1, 0, link);
      else {
        // (the literal's node may be the call an earlier method's link wrapped it in: wrapped too)
        wrapInPlace(literal.node, (inner) => {
          const links = t.sequenceExpression([t.assignmentExpression("=", t.cloneNode(object), inner), link, t.cloneNode(object)]);
          file.linkSequences.set(node, { links, object });
          return links;
        });
      }
      return self;
    }
  }
  const define = file.runtimeName(method.generator ? "defineGeneratorMethods" : "defineAsyncMethods");
  const added = method.generator ? [t.cloneNode(machineRef), key] : [key];
  const current = literal.node as t.Expression;
  if (t.isCallExpression(current) && t.isIdentifier(current.callee, { name: define })) current.arguments.push(...added);
  else wrapInPlace(current, (inner) => t.callExpression(t.identifier(define), [inner, ...added]));
  return null;
}

/**
 * Wraps an expression where it stands, whatever paths say: the node object becomes the wrapper, and the
 * wrapper gets the expression as a copy. A literal's links are added this way because a `let` they need
 * may have given an arrow's expression body a block (placement.ts insertBeforeOwnStatement), which leaves
 * the literal's path pointing at the arrow's old body; the literal's node is where it is in any case.
 * Later methods of the literal see the wrapper as their parent's node (objectLiteral finds the literal).
 */
function wrapInPlace(node: t.Expression, wrap: (inner: t.Expression) => t.Expression): void {
  const inner = { ...node } as t.Expression;
  const outer = wrap(inner) as unknown as Record<string, unknown>;
  // (the wrapper is where the expression is: a coverage tool that instruments the output counts a
  // declaration's initializer by its place)
  outer.loc ??= inner.loc;
  const target = node as unknown as Record<string, unknown>;
  for (const key of Object.keys(target)) delete target[key];
  Object.assign(target, outer);
}

/**
 * A private instance method exists only on instances: it is the same function on every instance of one
 * evaluation of its class, installed before the instance's fields are defined. So the first field of the
 * class links them, at the first instance, guarded by a `let` of that evaluation: no code can reach an
 * instance's private method before its first field's initializer runs.
 *   let C_linked;
 *   class C { #C_linked = C_linked ??= (C_genSelf = defineGeneratorFunction(this.#gen, C.#C_gen), true); ... }
 * (Its cost: one private field per instance, and the guard's test at each construction.)
 */
function linkPrivateInstanceMethod(method: t.ClassPrivateMethod, owner: NodePath<t.Class>, machineRef: t.Expression, declareLet: (suffix: string) => t.Identifier | null, front: () => ClassElement[], file: FileContext): t.Identifier | null {
  let linked = file.linkSequences.get(owner.node);
  if (!linked) {
    const name = file.uniqueName(`${owner.node.id?.name ?? "class"}_linked`);
    const guard = t.variableDeclaration("let", [t.variableDeclarator(t.identifier(name))]);
    file.holders.add(guard);
    if (!insertBeforeOwnStatement(owner, guard, file)) return null;
    linked = { links: t.sequenceExpression([t.booleanLiteral(true)]), object: null };
    file.linkSequences.set(owner.node, linked);
    const field = t.classPrivateProperty(t.privateName(t.identifier(name)), t.assignmentExpression("??=", t.identifier(name), linked.links));
    t.addComment(field, "leading", " links the private async and generator methods to their kinds, once per class, at its first instance", true);
    front().unshift(field);
  }
  const link = privateLink(method, machineRef, declareLet, file);
  if (!link) return null;
  linked.links.expressions.splice(linked.links.expressions.length - 1, 0, link.link);
  return link.self;
}

/**
 * A private method's link, reached through `this` (the class, or its first instance): `defineAsyncFunction(this.#m)`,
 * or `C_mSelf = defineGeneratorFunction(this.#m, machine)` with the name a generator method passes itself by.
 * null when no `let` can hold that name.
 */
function privateLink(method: t.ClassPrivateMethod, machineRef: t.Expression, declareLet: (suffix: string) => t.Identifier | null, file: FileContext): { link: t.Expression; self: t.Identifier | null } | null {
  const self = method.generator ? declareLet("Self") : null;
  if (method.generator && !self) return null;
  const own = t.memberExpression(t.thisExpression(), t.cloneNode(method.key));
  const define = method.generator
    ? t.callExpression(t.identifier(file.runtimeName("defineGeneratorFunction")), [own, t.cloneNode(machineRef)])
    : t.callExpression(t.identifier(file.runtimeName("defineAsyncFunction")), [own]);
  return { link: self ? t.assignmentExpression("=", t.cloneNode(self), define) : define, self };
}

/**
 * The object literal a method belongs to, from what its path's parent stands for now: the literal, or the
 * links wrapped around it by its earlier methods (`defineAsyncMethods(literal, ...)`, `(o = literal, ...)`).
 */
function objectLiteral(node: t.Node, method: t.ObjectMethod): t.ObjectExpression | null {
  for (;;) {
    if (t.isObjectExpression(node)) return node.properties.includes(method) ? node : null;
    if (t.isCallExpression(node) && node.arguments.length > 0) node = node.arguments[0];
    else if (t.isSequenceExpression(node) && t.isAssignmentExpression(node.expressions[0])) node = node.expressions[0].right;
    else return null;
  }
}

/**
 * A static block with the link, among what the method puts in front of its class's elements (`front`): after
 * the element that holds the machine class (a private field or a static block), if any.
 */
function insertLink(front: ClassElement[], machineRef: t.Expression, link: t.Expression): void {
  const holder = front.findIndex((element) => holdsMachine(element, machineRef));
  front.splice(holder + 1, 0, t.staticBlock([t.expressionStatement(link)]));
}

/**
 * A `let` named after `base` before the statement that evaluates `owner` (a class or an object literal),
 * to hold what one evaluation of it makes; null where that statement may evaluate it more than once.
 */
function letBefore(owner: NodePath, base: string, file: FileContext): t.Identifier | null {
  const name = file.uniqueName(base);
  const holder = t.variableDeclaration("let", [t.variableDeclarator(t.identifier(name))]);
  file.holders.add(holder);
  return insertBeforeOwnStatement(owner, holder, file) ? t.identifier(name) : null;
}

/** A computed key kept as it is evaluated, `[C_mKey = toPropertyKey(expr)]`, where a `let` can hold it. */
function keptKey(member: t.ClassMethod | t.ObjectMethod | t.ObjectProperty | t.ClassProperty, declare: () => t.Identifier | null, file: FileContext): t.Identifier | null {
  if (!member.computed) return null;
  const holder = declare();
  if (!holder) return null;
  member.key = t.assignmentExpression("=", t.cloneNode(holder), t.callExpression(t.identifier(file.runtimeName("toPropertyKey")), [member.key as t.Expression]));
  return holder;
}

/**
 * Whether a later element of the method's class or object literal certainly replaces it: one defined under
 * the same written-out key on the same object (a method, an accessor, a property). Nothing can reach the
 * method then, and a link would change what replaced it (`{ async f() {}, f: g }` would make `g` an async
 * function, `{ *m() {}, m: C }` replace `C.prototype`). A computed key or a spread after it may replace it
 * too, which only running the code can tell: that method is linked, to whatever holds its key.
 */
function replacedLater(method: t.ClassMethod | t.ObjectMethod, elements: readonly t.Node[]): boolean {
  const key = writtenKey(method);
  if (key === null) return false;
  for (let i = elements.indexOf(method) + 1; i < elements.length; i++) {
    const element = elements[i];
    const sameObject = t.isClassMethod(element) || t.isClassAccessorProperty(element)
      ? element.static === (method as t.ClassMethod).static
      : t.isObjectMethod(element) || (t.isObjectProperty(element) && !definesPrototype(element));
    if (sameObject && writtenKey(element as t.ClassMethod | t.ClassAccessorProperty | t.ObjectMember) === key) return true;
  }
  return false;
}

/** `__proto__: value` in an object literal, which sets the literal's prototype and defines no property. */
function definesPrototype(property: t.ObjectProperty): boolean {
  return !property.computed && !property.shorthand && writtenKey(property) === "__proto__";
}

/** The key an element is defined under when it is written out (not computed), as the engine converts it. */
function writtenKey(element: t.ClassMethod | t.ClassAccessorProperty | t.ObjectMember): string | null {
  const { key, computed } = element;
  if (computed) return null;
  if (t.isIdentifier(key)) return key.name;
  if (t.isStringLiteral(key)) return key.value;
  if (t.isNumericLiteral(key)) return String(key.value);
  if (t.isBigIntLiteral(key)) return String(BigInt(key.value));
  return null;
}

/** The key a method is defined under, as an expression the runtime can look it up by, if it has one. */
function methodKey(fn: NodePath<t.ClassMethod | t.ObjectMethod>, file: FileContext): t.Expression | null {
  const { key, computed } = fn.node;
  if (!computed) {
    if (t.isIdentifier(key)) return t.stringLiteral(key.name);
    if (t.isStringLiteral(key) || t.isNumericLiteral(key) || t.isBigIntLiteral(key)) return t.cloneNode(key);
    return null;
  }
  return reusableKey(key, fn.scope, file);
}

/** A computed key that can be read again without effects, `[Symbol.iterator]` or `[Symbol.asyncIterator]`, as a copy; else null. */
function reusableKey(key: t.Node, scope: NodePath["scope"], file: FileContext): t.Expression | null {
  const wellKnown = t.isMemberExpression(key) && !key.computed && t.isIdentifier(key.object, { name: "Symbol" }) && t.isIdentifier(key.property);
  if (wellKnown && ["iterator", "asyncIterator"].includes((key.property as t.Identifier).name) && !file.lookup.binding(scope, "Symbol")) return t.cloneNode(key);
  return null;
}

/** Whether a class element is the private field or the static block that stores this machine class. */
function holdsMachine(element: t.Node, machineRef: t.Expression): boolean {
  if (t.isMemberExpression(machineRef) && t.isPrivateName(machineRef.property)) {
    return t.isClassPrivateProperty(element) && element.key.id.name === machineRef.property.id.name;
  }
  if (!t.isIdentifier(machineRef) || !t.isStaticBlock(element)) return false;
  const [statement] = element.body;
  return t.isExpressionStatement(statement) && t.isAssignmentExpression(statement.expression) && t.isIdentifier(statement.expression.left, { name: machineRef.name });
}
