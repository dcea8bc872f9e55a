// Names: of functions, of machine classes, and the names the engine gives anonymous functions and classes.
import type { NodePath } from "@babel/traverse";
import * as t from "./types.ts";
import { MACHINE_MEMBERS as RUNTIME_MEMBERS } from "../runtime/index.js";

/**
 * Names a field of the generated machine must not take: every member the runtime's machine classes give
 * it (read off the runtime itself), the inputs the wrapper fills (emit/machine-class.ts, which the
 * runtime reads: `this.thisArg`, `this.superGet`, ...), and `__proto__`. A local of such a name is stored
 * in a field of another name (`step_1`).
 */
export const MACHINE_MEMBERS: ReadonlySet<string> = new Set([
  ...RUNTIME_MEMBERS,
  "thisArg", "arguments", "$params", "newTarget", "superGet", "superSet", "superCall",
  "__proto__",
]);

/**
 * An expression that takes its name from what it is assigned to (`const f = () => {}`), also inside
 * TypeScript's expressions around it (`(() => {}) as T`, `x!`, `<T>x`, `satisfies`), which are erased: the
 * engine names what is left, as it names a function in parentheses.
 */
export function isAnonymousFunction(node: t.Node): boolean {
  node = withoutTypeWrappers(node);
  return t.isArrowFunctionExpression(node) || ((t.isFunctionExpression(node) || t.isClassExpression(node)) && !node.id);
}

/** The expression inside TypeScript's expressions around it (and parentheses kept as nodes), which are erased. */
export function withoutTypeWrappers(node: t.Node): t.Node {
  while (TYPE_WRAPPERS.has(node.type) || node.type === "ParenthesizedExpression") node = (node as t.TSAsExpression).expression;
  return node;
}

/**
 * The node that stands for the function where it is, and the path of what holds it: the function, unless
 * TypeScript's expressions are around it (`(async () => {}) as T`), which the engine never sees.
 */
function standingOf(fn: NodePath<t.Function>): { node: t.Node; holder: NodePath | null } {
  let node: t.Node = fn.node;
  let holder: NodePath | null = fn.parentPath;
  while (holder && (TYPE_WRAPPERS.has(holder.node.type) || holder.node.type === "ParenthesizedExpression")) {
    node = holder.node;
    holder = holder.parentPath;
  }
  return { node, holder };
}


/** `{ [name]: value }[name]`: the value, named as the property would name it (an anonymous function or class). */
export function nameBy(value: t.Expression, key: t.Expression | string, computed = false): t.Expression {
  const keyNode = typeof key === "string" ? t.identifier(key) : key;
  const read = typeof key === "string" ? t.identifier(key) : t.cloneNode(key);
  return t.memberExpression(t.objectExpression([t.objectProperty(keyNode, value, computed)]), read, computed || typeof key !== "string");
}

/** `(a = () => {})` names the function `a`; kept when the default moves into an expression. */
export function named(value: t.Expression, target: t.Node): t.Expression {
  return isAnonymousFunction(value) && t.isIdentifier(target) ? nameBy(value, target.name) : value;
}

/** `{ [key]: class {} }` names the class by the key: kept in a temp first, it is named the same way. */
export function namedByKey(value: t.Expression, key: t.Expression, computed: boolean): t.Expression {
  return isAnonymousFunction(value) ? nameBy(value, key, computed) : value;
}

/**
 * The `name` the engine gives an anonymous function expression from where it stands (`const f = ...`,
 * `{ f: ... }`, `f = ...`, a default), "" where nothing names it, or null where a computed key names it
 * at run time.
 */
export function inferredName(fn: NodePath<t.Function>): string | null {
  const { node, holder } = standingOf(fn);
  if (holder === null) return "";
  const parent = holder.node;
  const keyName = (key: t.Node, computed: boolean): string | null => {
    if (computed) return null;
    if (t.isIdentifier(key)) return key.name;
    if (t.isStringLiteral(key)) return key.value;
    if (t.isNumericLiteral(key)) return String(key.value);
    if (t.isPrivateName(key)) return `#${key.id.name}`;
    return null;
  };
  if (t.isVariableDeclarator(parent) && parent.init === node && t.isIdentifier(parent.id)) return parent.id.name;
  // (`export default (async () => {})`: parentheses name it too)
  if (t.isExportDefaultDeclaration(parent)) return "default";
  if (t.isAssignmentExpression(parent) && parent.right === node && t.isIdentifier(parent.left) && parent.operator !== "=" && !["&&=", "||=", "??="].includes(parent.operator)) return "";
  if (t.isAssignmentExpression(parent) && parent.right === node && t.isIdentifier(parent.left)) return parent.left.name;
  if (t.isAssignmentPattern(parent) && parent.right === node && t.isIdentifier(parent.left)) return parent.left.name;
  if (t.isObjectProperty(parent) && parent.value === node) {
    const name = keyName(parent.key, parent.computed);
    return name === "__proto__" && !parent.computed ? "" : name;
  }
  if ((t.isClassProperty(parent) || t.isClassPrivateProperty(parent)) && parent.value === node) {
    return keyName(parent.key, t.isClassProperty(parent) && parent.computed);
  }
  return "";
}

/**
 * The name the function is known by: its own, the variable or property it is assigned to, or `anonymous`.
 * A class's method is `Class.method`, as V8's stack traces name it (`C.#run`, `C.[Symbol.iterator]` for a
 * computed key, described by its source).
 */
export function functionName(fn: NodePath<t.Function>): string {
  return knownName(fn) ?? "anonymous";
}

/** The name the function is known by, or null for one known by none (V8's frames of it show no name). */
export function knownName(fn: NodePath<t.Function>): string | null {
  const node = fn.node;
  if ((t.isFunctionDeclaration(node) || t.isFunctionExpression(node)) && node.id) return node.id.name;
  if (t.isObjectMethod(node)) return methodKey(node);
  if (t.isClassMethod(node) || t.isClassPrivateMethod(node)) {
    const owner = className(fn);
    return owner === null ? methodKey(node) : `${owner}.${methodKey(node)}`;
  }
  const { node: standing, holder: parent } = standingOf(fn);
  if (parent?.isVariableDeclarator() && t.isIdentifier(parent.node.id)) return parent.node.id.name;
  if (parent?.isAssignmentExpression()) {
    const left = parent.node.left;
    if (t.isIdentifier(left)) return left.name;
    if (t.isMemberExpression(left) && t.isIdentifier(left.property) && !left.computed) return left.property.name;
  }
  if ((parent?.isObjectProperty() || parent?.isClassProperty()) && t.isIdentifier(parent.node.key)) return parent.node.key.name;
  // (a default value: `(cb = async () => {})`, `[f = function* () {}] = list`)
  if (parent?.isAssignmentPattern() && parent.node.right === standing && t.isIdentifier(parent.node.left)) return parent.node.left.name;
  return null;
}

/** A method's key as the program writes it: `run`, `#run`, `"a b"`, `[Symbol.iterator]`, `[key]`. */
function methodKey(node: t.ObjectMethod | t.ClassMethod | t.ClassPrivateMethod): string {
  const key = node.key;
  if (t.isPrivateName(key)) return `#${key.id.name}`;
  if (t.isIdentifier(key) && !node.computed) return key.name;
  if (t.isStringLiteral(key)) return key.value;
  if (t.isNumericLiteral(key)) return String(key.value);
  return `[${describeKey(key)}]`;
}

/** A computed key's expression, short: `Symbol.iterator`, `key`, `"a" + b` is `computed`. */
function describeKey(key: t.Node): string {
  if (t.isIdentifier(key)) return key.name;
  if (t.isMemberExpression(key) && !key.computed && t.isIdentifier(key.property)) {
    const object = describeKey(key.object);
    return object === "computed" ? "computed" : `${object}.${key.property.name}`;
  }
  if (t.isStringLiteral(key)) return JSON.stringify(key.value);
  return "computed";
}

/** The name of a method's class: its own, or the variable it is assigned to; null for an anonymous class. */
function className(fn: NodePath<t.Function>): string | null {
  const cls = fn.findParent((p) => p.isClass()) as NodePath<t.Class> | null;
  return cls?.node.id?.name ?? (cls?.parentPath?.isVariableDeclarator() && t.isIdentifier(cls.parentPath.node.id) ? cls.parentPath.node.id.name : null);
}

const PLAIN_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function machineClassName(fn: NodePath<t.Function>, name: string): string {
  const pascal = (text: string) =>
    // (a plain identifier, the usual case, only has its first letter raised: three replaces cost more than the rest of the naming)
    PLAIN_NAME.test(text) ? text[0].toUpperCase() + text.slice(1) : text.replace(/[^A-Za-z0-9_$]/g, "_").replace(/^[^A-Za-z_$]/, "_$&").replace(/^./, (c) => c.toUpperCase());
  const node = fn.node;
  if (t.isClassMethod(node) || t.isClassPrivateMethod(node)) {
    // `C.[Symbol.iterator]` → C_Symbol_iterator
    const key = methodKey(node).replace(/^#/, "").replace(/[^A-Za-z0-9_$]+/g, "_").replace(/^_+|_+$/g, "") || "method";
    return `${pascal(className(fn) ?? "Class")}_${key}`;
  }
  // A capitalized function (a component, a constructor-like name) keeps its name: its class says what it is.
  const pascalName = pascal(name);
  return pascalName === name ? `${name}Machine` : pascalName;
}

/** Spaces the description of a function's head evens out: a run of them, one other than " ", one before `,` or `)`. */
const UNEVEN_SPACE = /\s\s|[^\S ]| [,)]/;

/**
 * `async function coro(name) — question.js:1`: the source text of the function's head, without its
 * TypeScript types (the machine class is JavaScript), and where it is. Read before the lowering changes
 * the function.
 */
export function describeFunction(fn: NodePath<t.Function>, code: string, basename: string): string {
  const node = fn.node;
  const start = node.start ?? 0;
  const bodyStart = node.body.start ?? start;
  // A class's method is named with its class: `async C.run()`, `*C.[Symbol.iterator]()`.
  const method = t.isClassMethod(node) || t.isClassPrivateMethod(node) ? node : null;
  const owner = method && className(fn);
  const keyStart = !method ? -1 : method.computed ? code.lastIndexOf("[", method.key.start ?? 0) : (method.key.start ?? -1);
  const keyAt = owner === null ? -1 : keyStart;
  const ranges = typeRanges(node, bodyStart, code, keyStart);
  if (keyAt >= start) ranges.push([keyAt, keyAt]);
  ranges.sort((a, b) => a[0] - b[0]);
  let text = "";
  let at = start;
  for (const [from, to] of ranges) {
    text += code.slice(at, from) + (from === keyAt && to === keyAt ? `${owner}.` : "");
    at = to;
  }
  const written = text + code.slice(at, bodyStart);
  // (most heads are written on one line with single spaces, where the two replaces change nothing)
  let head = (UNEVEN_SPACE.test(written) ? written.replace(/\s+/g, " ").replace(/ ([,)])/g, "$1") : written).trim();
  if (t.isArrowFunctionExpression(node)) head = head.replace(/\s*=>\s*$/, " =>");
  if (head.length > 100) head = head.slice(0, 97) + "...";
  return `${head.replace(/\*\//g, "* /")} — ${basename}:${node.loc?.start.line ?? "?"}`;
}

/** TypeScript's expressions around a JavaScript one (`x as T`, `x satisfies T`, `x!`, `<T>x`, `f<T>`): the JavaScript one stays. */
const TYPE_WRAPPERS = new Set(["TSAsExpression", "TSSatisfiesExpression", "TSNonNullExpression", "TSTypeAssertion", "TSInstantiationExpression"]);

/** A method's TypeScript-only modifiers, written before its key. */
const TYPE_MODIFIERS = /\b(?:public|protected|private|override)\s+/g;

/**
 * Where the TypeScript-only parts of a function's head are, in order: annotations, type parameters, a
 * parameter's `?`, the types of a default's `as`, `satisfies`, `!` or `<T>`, a method's `private` or
 * `override` (`keyStart`: where the method's key starts, -1 for a function).
 */
function typeRanges(node: t.Function, end: number, code: string, keyStart: number): [number, number][] {
  const ranges: [number, number][] = [];
  // TypeScript's `this` parameter (`f(this: T, a)`) is a type too, with the comma after it.
  const [first, second] = node.params;
  const thisParam = t.isIdentifier(first) && first.name === "this" ? first : null;
  if (thisParam && thisParam.start != null && thisParam.end != null) ranges.push([thisParam.start, second?.start ?? thisParam.end]);
  const method = node as t.ClassMethod;
  if (keyStart >= 0 && (method.accessibility || method.override)) {
    // (between the decorators, if any, and the key)
    const from = Math.max(node.start ?? 0, ...(method.decorators ?? []).map((decorator) => decorator.end ?? 0));
    for (const match of code.slice(from, keyStart).matchAll(TYPE_MODIFIERS)) ranges.push([from + match.index, from + match.index + match[0].length]);
  }
  const visit = (inner: t.Node) => {
    if ((inner.start ?? 0) >= end || inner === thisParam) return;
    if (inner.type.startsWith("TS") && inner.start != null && inner.end != null) {
      const expression = TYPE_WRAPPERS.has(inner.type) ? (inner as t.TSAsExpression).expression : null;
      if (expression?.start == null || expression.end == null) {
        ranges.push([inner.start, inner.end]);
        return;
      }
      // (`<T>x`: the type is before the expression; the others': after it)
      if (expression.start > inner.start) ranges.push([inner.start, expression.start]);
      if (inner.end > expression.end) ranges.push([expression.end, inner.end]);
      visit(expression);
      return;
    }
    // An optional parameter's `?` (`b?: string`), right after its name.
    if (inner.type === "Identifier" && inner.optional && inner.start != null) {
      const mark = code.indexOf("?", inner.start + inner.name.length);
      if (mark >= 0 && mark < (inner.end ?? mark)) ranges.push([mark, mark + 1]);
    }
    for (const key of t.VISITOR_KEYS[inner.type] ?? []) {
      if (key === "body" && inner === node) continue;
      const child = (inner as unknown as Record<string, t.Node | t.Node[] | null>)[key];
      for (const each of Array.isArray(child) ? child : child ? [child] : []) if (each) visit(each);
    }
  };
  visit(node);
  return ranges.sort((a, b) => a[0] - b[0]);
}
