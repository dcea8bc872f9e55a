// Sloppy code inside a lowered function. A machine class is strict code, so a `resume` written as its
// method would run the body of a sloppy function in strict mode: `with` and legacy octals would not parse,
// nor would `protected` or `yield` as names; writes to frozen objects would throw, an assignment to an
// undeclared name would not create a global, a nested plain function would see `this` undefined. A sloppy
// function whose body holds anything that reads or behaves differently in strict code gets a `resume` that
// is itself sloppy code: a function outside the class body, installed on its prototype
// (emit/machine-class.ts). Any other function, strict or not, keeps its `resume` in the class.
import type { NodePath, Visitor } from "@babel/traverse";
import * as t from "../types.ts";
import { forEachChild } from "../ast.ts";
import type { BindingLookup } from "./outer-bindings.ts";
import { walkBelow, type Ancestry, type WalkStep } from "./node-walk.ts";

/** Names that are identifiers in sloppy code and reserved words in strict code. */
const STRICT_RESERVED = new Set(["implements", "interface", "let", "package", "private", "protected", "public", "static", "yield"]);

/**
 * Does the body (or the parameter list) of this sloppy function behave differently as strict code? `quick`:
 * the answer of a SloppyByNodes walk already made (analyze/bindings.ts makes it with its own walk), if any.
 */
export function needsSloppyResume(fn: NodePath<t.Function>, wrappers: WeakSet<t.Node>, lookup: BindingLookup, quick?: boolean | null): boolean {
  if (quick === undefined) {
    const walk = new SloppyByNodes(wrappers, lookup);
    walkBelow(fn, (node, at) => walk.visit(node, at));
    quick = walk.answer();
  }
  if (quick !== null) return quick;
  const state: SloppyState = { fn: fn.node, wrappers, lookup, found: false };
  fn.traverse(SLOPPY_VISITOR, state);
  return state.found;
}

/**
 * SLOPPY_VISITOR's answer from a walk of the nodes below the function (analyze/node-walk.ts), without a path
 * per node: `visit` each node the walk reaches (it says "skip" and "stop" as the walk's visitor does), then
 * `answer`, null where only the walk with paths can tell (a scope Babel has not made).
 */
export class SloppyByNodes {
  private found = false;
  private undecided = false;

  constructor(
    private readonly wrappers: WeakSet<t.Node>,
    private readonly lookup: BindingLookup,
  ) {}

  answer(): boolean | null {
    return this.undecided ? null : this.found;
  }

  private hit(): WalkStep {
    this.found = true;
    return "stop";
  }

  visit(node: t.Node, at: Ancestry): WalkStep {
    switch (node.type) {
      case "ClassDeclaration":
      case "ClassExpression":
        return "skip";
      case "WithStatement":
        return this.hit();
      case "NumericLiteral":
        return /^0\d/.test((node.extra?.raw as string | undefined) ?? "") ? this.hit() : undefined;
      case "StringLiteral":
        return /\\(?:[1-9]|0\d)/.test(((node.extra?.raw as string | undefined) ?? "").replace(/\\\\/g, "")) ? this.hit() : undefined;
      case "LabeledStatement":
        return STRICT_RESERVED.has(node.label.name) ? this.hit() : undefined;
      case "UnaryExpression":
        return node.operator === "delete" && t.isIdentifier(node.argument) ? this.hit() : undefined;
      case "MemberExpression":
        if (node.object.type === "Super") return;
        return writeTargetAt(at) || t.isUnaryExpression(at.parent, { operator: "delete" }) ? this.hit() : undefined;
      case "Identifier": {
        const { name } = node;
        const parent = at.parent;
        if (STRICT_RESERVED.has(name) && !isPropertyNameIn(node, parent)) return this.hit();
        if ((name === "eval" || name === "arguments") && (t.isBinding(node, parent, at.grandparent ?? undefined) || writeTargetAt(at))) return this.hit();
        if (writeTargetAt(at)) {
          const scope = at.scope();
          if (!scope) {
            this.undecided = true;
            return "stop";
          }
          if (!this.lookup.declares(scope, name)) return this.hit();
        }
        return;
      }
    }
    if (!t.isFunction(node)) return;
    const body = node.body;
    if (t.isBlockStatement(body) && body.directives.some((d) => d.value.value === "use strict")) return "skip";
    if (node.type === "ArrowFunctionExpression") return;
    if ((node.type === "FunctionDeclaration" || node.type === "FunctionExpression") && !this.wrappers.has(node)) return this.hit();
    // (a method or a wrapper: only its own `this` and `arguments` differ)
    return usesOwnThisOrArguments(node) ? this.hit() : undefined;
  }
}

/** isWriteTarget for the node the walk is at. */
function writeTargetAt(at: Ancestry): boolean {
  const nodes = at.nodes;
  let key = at.key;
  for (let i = nodes.length - 1; i >= 0; i--) {
    const parent = nodes[i];
    switch (parent.type) {
      case "AssignmentExpression":
        return key === "left";
      case "UpdateExpression":
        return true;
      case "ForInStatement":
      case "ForOfStatement":
        return key === "left";
      case "ArrayPattern":
      case "RestElement":
      case "ObjectPattern":
        break;
      case "ObjectProperty":
        if (!(i > 0 ? t.isObjectPattern(nodes[i - 1]) : t.isObjectPattern(at.root.parent))) return false;
        if (key !== "value") return false;
        break;
      case "AssignmentPattern":
        if (key !== "left") return false;
        break;
      default:
        return false;
    }
    key = at.keys[i];
  }
  return false;
}

interface SloppyState {
  fn: t.Function;
  wrappers: WeakSet<t.Node>;
  lookup: BindingLookup;
  found: boolean;
}

function hit(path: NodePath, state: SloppyState): void {
  state.found = true;
  path.stop();
}

/** What reads or behaves differently in strict code; made once (Babel prepares a visitor object the first time it walks with it). */
const SLOPPY_VISITOR: Visitor<SloppyState> = {
  // Class bodies and functions of their own "use strict" are strict wherever they stand.
  Class(path) {
    path.skip();
  },
  Function(path, state) {
    if (path.node === state.fn) return;
    const body = path.node.body;
    if (t.isBlockStatement(body) && body.directives.some((d) => d.value.value === "use strict")) {
      path.skip();
      return;
    }
    if (path.isArrowFunctionExpression()) return;
    // A plain function is sloppy code with sloppy own properties (`caller`, `arguments`); a lowered
    // function's wrapper or a method only differs through its own `this` and `arguments`.
    if ((path.isFunctionDeclaration() || path.isFunctionExpression()) && !state.wrappers.has(path.node)) return hit(path, state);
    if (usesOwnThisOrArguments(path.node)) hit(path, state);
  },
  WithStatement: hit,
  NumericLiteral(path, state) {
    // `010`, `08`: a legacy octal (or decimal with a leading zero) literal.
    const raw = (path.node.extra?.raw as string | undefined) ?? "";
    if (/^0\d/.test(raw)) hit(path, state);
  },
  StringLiteral(path, state) {
    // `"\101"`, `"\0"` followed by a digit, `"\8"`: escapes strict code refuses.
    const raw = ((path.node.extra?.raw as string | undefined) ?? "").replace(/\\\\/g, "");
    if (/\\(?:[1-9]|0\d)/.test(raw)) hit(path, state);
  },
  Identifier(path, state) {
    const { name } = path.node;
    if (STRICT_RESERVED.has(name) && !isPropertyName(path)) return hit(path, state);
    if ((name === "eval" || name === "arguments") && (path.isBindingIdentifier() || isWriteTarget(path))) return hit(path, state);
    // An assignment to an undeclared name creates a global (strict code throws a ReferenceError).
    if (isWriteTarget(path) && !state.lookup.declares(path.scope, name)) hit(path, state);
  },
  LabeledStatement(path, state) {
    if (STRICT_RESERVED.has(path.node.label.name)) hit(path, state);
  },
  MemberExpression(path, state) {
    // A property write that fails (frozen, read-only, a getter only, a primitive) does nothing silently;
    // `delete` of a non-configurable property returns false.
    if (path.node.object.type === "Super") return;
    if (isWriteTarget(path) || path.parentPath.isUnaryExpression({ operator: "delete" })) hit(path, state);
  },
  UnaryExpression(path, state) {
    if (path.node.operator === "delete" && t.isIdentifier(path.node.argument)) hit(path, state);
  },
};

/**
 * Which code is strict, by Babel's rules (`NodePath#isInStrictMode`: a module, a class, a `"use strict"`
 * directive of a function or script around it), with the answer kept for every node on the way up: Babel's
 * walks up to the program each time, which made a file of functions nested thousands deep, or a chain of
 * thousands of `.then(async ...)`, quadratic. One per file (FileContext): the lowering never changes whether
 * the code around a function it has yet to lower is strict (it lowers the innermost first, and what it makes
 * around a function, an arrow's body given a block, has no directive).
 */
export class Strictness {
  /** Whether the code inside a node is strict (a function's, class's or program's own code counted). */
  private readonly inside = new WeakMap<t.Node, boolean>();

  /** Whether the function's own code is strict (its own directive counts). */
  isStrictFunction(fn: NodePath<t.Function>): boolean {
    return hasUseStrict(fn.node) || this.isInStrictMode(fn);
  }

  /** Whether the code at `path` is strict (Babel's `path.isInStrictMode()`). */
  isInStrictMode(path: NodePath): boolean {
    // (the nodes above whose answer is not known yet, innermost first)
    const unknown: t.Node[] = [];
    let strict = false;
    for (let at: NodePath | null = path.isProgram() ? path : path.parentPath; at; at = at.parentPath) {
      const node = at.node;
      const known = this.inside.get(node);
      if (known !== undefined) {
        strict = known;
        break;
      }
      unknown.push(node);
      if ((t.isProgram(node) && node.sourceType === "module") || t.isClass(node) || hasUseStrict(node)) {
        strict = true;
        break;
      }
    }
    for (const node of unknown) this.inside.set(node, strict);
    return strict;
  }
}

/** Whether a program, or a function's block body, has a `"use strict"` directive. */
function hasUseStrict(node: t.Node): boolean {
  const body = t.isProgram(node) ? node : t.isFunction(node) ? node.body : null;
  if (!t.isProgram(body) && !t.isBlockStatement(body)) return false;
  return body.directives.some((directive) => directive.value.value === "use strict");
}

/** A non-computed property name or key (`o.static`, `{ static: 1 }`), which strict code allows too. */
function isPropertyName(path: NodePath<t.Identifier>): boolean {
  return isPropertyNameIn(path.node, path.parent);
}

function isPropertyNameIn(node: t.Identifier, parent: t.Node): boolean {
  if ((t.isMemberExpression(parent) || t.isOptionalMemberExpression(parent)) && parent.property === node) return !parent.computed;
  if ((t.isObjectProperty(parent) || t.isObjectMethod(parent) || t.isClassProperty(parent) || t.isClassMethod(parent) || t.isClassAccessorProperty(parent)) && parent.key === node) {
    // `{ static }` (shorthand) is a reference too.
    return !parent.computed && !(t.isObjectProperty(parent) && parent.shorthand);
  }
  if (t.isMetaProperty(parent)) return true;
  return false;
}

/** The target of an assignment, update, for-in/of head or destructuring assignment (not a declaration). */
function isWriteTarget(path: NodePath): boolean {
  let child: NodePath = path;
  for (let parent = path.parentPath; parent; child = parent, parent = parent.parentPath) {
    if (parent.isAssignmentExpression()) return child.key === "left";
    if (parent.isUpdateExpression()) return true;
    if (parent.isForInStatement() || parent.isForOfStatement()) return child.key === "left";
    if (parent.isArrayPattern() || parent.isRestElement()) continue;
    if (parent.isObjectProperty() && parent.parentPath?.isObjectPattern()) {
      if (child.key !== "value") return false;
      continue;
    }
    if (parent.isObjectPattern()) continue;
    if (parent.isAssignmentPattern()) {
      if (child.key !== "left") return false;
      continue;
    }
    return false;
  }
  return false;
}

/**
 * A method or wrapper whose own `this` or `arguments` is used (arrows inside see through): what Babel's
 * traversal below the function finds, not entering other functions or classes.
 */
function usesOwnThisOrArguments(fn: t.Function): boolean {
  // (a loop with its own stack, as deep as the parser goes: each node with its parent and grandparent)
  const stack: [t.Node, t.Node, t.Node | null][] = [];
  const pushChildren = (node: t.Node, parent: t.Node | null) => forEachChild(node, (child) => void stack.push([child, node, parent]));
  pushChildren(fn, null);
  while (stack.length > 0) {
    const [node, parent, grandparent] = stack.pop()!;
    if ((t.isFunction(node) && node.type !== "ArrowFunctionExpression") || t.isClass(node)) continue;
    if (node.type === "ThisExpression") return true;
    if (node.type === "Identifier" && node.name === "arguments" && t.isReferenced(node, parent, grandparent ?? undefined)) return true;
    pushChildren(node, parent);
  }
  return false;
}
