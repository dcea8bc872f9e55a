// Rewriting the states once storage is decided: references to bindings that live in fields become
// `this.name` (or `machine.name` in nested functions, `$s0.name` for boxed ones), with the TDZ checks the
// analysis asked for; `this`, `arguments`, `new.target` and `super` of the source become what the machine
// received from its wrapper; the placeholders the exploder left (scope entries, Annex B evaluations) are
// resolved.
import * as t from "../types.ts";
import { desugarCompound, toJSXName, walkAll } from "../ast.ts";
import type { State } from "../explode/emitter.ts";
import type { AnnexBFunction, BindingInfo, FactsStore } from "../facts.ts";
import { isAnonymousFunction, nameBy } from "../names.ts";
import { quote } from "../explode/source-text.ts";
import { keepSourceWords } from "./source-words.ts";

export interface RewriteContext {
  /** Name of the alias of the machine that nested ordinary functions use (`const machine = this`). */
  machineAlias: string;
  usedAlias: boolean;
  /**
   * The bindings code of a scope of its own reaches through that alias (`machine.key` in a static block,
   * which runs at once but whose `this` is its class): they keep their fields (emit/storage.ts
   * `resumeLocalCandidates`), since the walk that finds the fields' mentions does not look into such code.
   */
  readThroughAlias: Set<BindingInfo>;
  /** Depth of nested functions around the node being rewritten. */
  closureDepth: number;
  /** Boxes the current state's closures capture: `const $s0 = this.$s0;` opens the state. */
  snapshots: Set<string>;
  /** The source function is strict code (assigning to its own name throws rather than doing nothing). */
  strict: boolean;
  /** The runtime's UNINITIALIZED marker. */
  uninitialized: () => t.Expression;
  /** A function of the runtime (`checkInitialized`, `superUpdate`, ...), imported by name. */
  runtime: (name: string) => t.Identifier;
  /** A name no code of the file uses (a kept catch clause's parameter, when its pattern moves into the body). */
  uniqueName: (base: string) => string;
  /** Where the operator after a node of the source starts (past spaces, comments and closing parentheses). */
  operatorAfter: (node: t.Node) => t.SourceLocation | null | undefined;
  /** Where the arguments of an optional call open in the source, past the `?.` after its callee. */
  optionalArgumentsAfter: (callee: t.Node) => t.SourceLocation | null | undefined;
  /** `this` of the source arrives as a function to call (FunctionAnalysis.lazyThis). */
  lazyThis: boolean;
  facts: FactsStore;
  /**
   * Inside a `with` statement (sloppy code): the fields named there that are declared outside it, by the
   * name the source gives them. Such a name is looked up on the `with` object first, so the references stay
   * names, and the outermost `with` is wrapped in one more whose object reaches the fields by that name
   * (`withFrame`).
   */
  withFields?: Map<string, BindingInfo> | null;
  /** How the body of that `with` uses those names (`withFrame`). */
  withUses?: WithUses | null;
}

/** How the body of a `with` uses the fields it names: what `withFrame` and `restoreCalleeValues` need. */
interface WithUses {
  /** Names called (`f()`). */
  calls: Set<string>;
  /** Names used other than as a callee or deleted (`g`, `g = 1`), and those references as rewritten. */
  values: Set<string>;
  references: Set<t.Identifier>;
  /** Whether the body deletes one (`delete x`). */
  deletes: boolean;
  /** The name being rewritten as a callee, or as deleted. */
  callee: t.Node | null;
  deleted: t.Node | null;
}

function fieldOf(info: BindingInfo, foreign: boolean, cx: RewriteContext): t.MemberExpression {
  if (info.box) {
    if (cx.closureDepth > 0) {
      cx.snapshots.add(info.box);
      return t.memberExpression(t.identifier(info.box), t.identifier(info.name));
    }
    return t.memberExpression(t.memberExpression(t.thisExpression(), t.identifier(info.box)), t.identifier(info.name));
  }
  if (foreign) {
    cx.usedAlias = true;
    cx.readThroughAlias.add(info);
  }
  return t.memberExpression(foreign ? t.identifier(cx.machineAlias) : t.thisExpression(), t.identifier(info.field));
}

function annexBAssignment(annex: AnnexBFunction, foreign: boolean, cx: RewriteContext): t.Statement {
  const value = annex.inner && annex.inner.storage !== "local" ? fieldOf(annex.inner, foreign, cx) : t.identifier(annex.inner?.name ?? annex.innerName);
  return t.expressionStatement(t.assignmentExpression("=", fieldOf(annex.outer, foreign, cx), value));
}


const own = (name: string) => t.memberExpression(t.thisExpression(), t.identifier(name));

/** The source function's `this`: `this.thisArg`, or `this.thisArg()` where it is read lazily. */
function sourceThis(cx: RewriteContext): t.Expression {
  return cx.lazyThis ? t.callExpression(own("thisArg"), []) : own("thisArg");
}

function isField(cx: RewriteContext, node: t.Node | null | undefined): boolean {
  const storage = cx.facts.binding(node)?.storage;
  return storage === "field" || storage === "boxed";
}

/**
 * Whether a declaration of `kind` assigns the binding a name of it stands for rather than declaring it
 * where it stands: a field; or (Annex B, sloppy code) the catch parameter a `var` in the catch block
 * names, which the var's initializer assigns while the var it declares is the function's.
 */
function assignedNotDeclared(cx: RewriteContext, kind: t.VariableDeclaration["kind"], id: t.Node): boolean {
  return isField(cx, id) || (kind === "var" && cx.facts.binding(id)?.kind === "let");
}

/** Whether a declaration assigns a binding of one of its names (assignedNotDeclared). */
function assignsAny(cx: RewriteContext, declaration: t.VariableDeclaration): boolean {
  for (const declarator of declaration.declarations) {
    if (declarator.id.type === "Identifier") {
      if (assignedNotDeclared(cx, declaration.kind, declarator.id)) return true;
      continue;
    }
    const ids = t.getBindingIdentifiers(declarator.id);
    for (const name in ids) if (assignedNotDeclared(cx, declaration.kind, ids[name])) return true;
  }
  return false;
}

/** Rewrites every state's statements. */
export function rewriteStates(states: State[], cx: RewriteContext): void {
  for (const state of states) {
    cx.snapshots.clear();
    state.body = rewriteStatements(state.body, false, cx);
    if (cx.snapshots.size === 0) continue;
    // Closures created in this state capture the boxes of the current loop iteration.
    const snapshots = [...cx.snapshots].sort().map((box) =>
      t.variableDeclaration("const", [t.variableDeclarator(t.identifier(box), t.memberExpression(t.thisExpression(), t.identifier(box)))]),
    );
    state.body.unshift(...snapshots);
  }
}

/** A list of statements rewritten (a new list: a statement may become none or several). */
function rewriteStatements(list: t.Statement[], foreign: boolean, cx: RewriteContext): t.Statement[] {
  const rewritten: t.Statement[] = [];
  for (const statement of list) {
    const replaced = rewriteStatement(statement, foreign, cx);
    if (Array.isArray(replaced)) for (const each of replaced) rewritten.push(each);
    else rewritten.push(replaced);
  }
  return rewritten;
}

/** Where one statement is expected: the statements that replace it, in a block if they are not one. */
function asStatement(replaced: t.Statement | t.Statement[]): t.Statement {
  return !Array.isArray(replaced) ? replaced : replaced.length === 1 ? replaced[0] : t.blockStatement(replaced);
}

/**
 * A statement rewritten: what replaces it, or a list of statements where it becomes none or several (most
 * stay one statement, returned without a list: this runs for every statement of the states).
 */
function rewriteStatement(statement: t.Statement, foreign: boolean, cx: RewriteContext): t.Statement | t.Statement[] {
  if (statement.type === "LabeledStatement") {
    // A labelled function declaration (sloppy code) is a declaration as any: its label has nothing to break out of.
    let inner: t.Statement = statement;
    while (inner.type === "LabeledStatement") inner = inner.body;
    if (inner.type === "FunctionDeclaration") return rewriteStatement(inner, foreign, cx);
  }
  const record = cx.facts.get(statement);
  const evaluation = record?.annexBEvaluation;
  if (evaluation) return [annexBAssignment(evaluation, foreign, cx)];
  const annex = t.isFunctionDeclaration(statement) ? record?.annexB : undefined;
  if (annex && !annex.positioned) {
    // In a block kept as written the declaration stands where it is evaluated: the copy follows it.
    annex.positioned = true;
    const replaced = rewriteStatement(statement, foreign, cx);
    return [...(Array.isArray(replaced) ? replaced : [replaced]), annexBAssignment(annex, foreign, cx)];
  }
  const reset = record?.resets;
  if (reset) {
    // A local keeps the engine's own TDZ; a field holds the marker until its declaration runs.
    return reset
      .filter((info) => info.storage !== "local")
      .map((info) => t.expressionStatement(t.assignmentExpression("=", fieldOf(info, foreign, cx), cx.uninitialized())));
  }
  if (t.isVariableDeclaration(statement)) {
    if (assignsAny(cx, statement)) {
      const rewritten: t.Statement[] = [];
      for (const declarator of statement.declarations) {
        for (const each of rewriteDeclarator(statement.kind, declarator, foreign, cx)) {
          // (the assignment is the declaration's statement: a debugger stops at it, a coverage tool counts it)
          each.loc ??= statement.loc;
          rewritten.push(each);
        }
      }
      return withCommentsOf(statement, rewritten);
    }
  }
  if (t.isFunctionDeclaration(statement) && statement.id && isField(cx, statement.id)) {
    const info = cx.facts.binding(statement.id)!;
    const fn = rewriteNode(t.functionExpression(null, statement.params, statement.body, statement.generator, statement.async), foreign, cx);
    // Keep the function's own name (the source's, if it was renamed) without tagging it as the field.
    (fn as t.FunctionExpression).id = t.identifier(info.sourceName);
    return withCommentsOf(statement, [t.expressionStatement(t.assignmentExpression("=", fieldOf(info, foreign, cx), fn as t.Expression))]);
  }
  if (t.isClassDeclaration(statement) && statement.id && isField(cx, statement.id)) {
    const info = cx.facts.binding(statement.id)!;
    // Inside its body the name is the class's own binding, set before static fields run: not the field.
    // The class keeps the source's name, also where the binding had to be renamed.
    walkAll(statement.body, (node) => {
      if (cx.facts.binding(node) !== info) return;
      cx.facts.set(node, "binding", undefined);
      if (t.isIdentifier(node) || t.isJSXIdentifier(node)) node.name = info.sourceName;
    });
    const cls = rewriteNode(t.classExpression(t.identifier(info.sourceName), statement.superClass, statement.body, statement.decorators), foreign, cx);
    // (mapped to the declaration: the engine places a class's implicit constructor, `at new C`, at its start)
    cls.loc = statement.loc;
    return withCommentsOf(statement, [t.expressionStatement(t.assignmentExpression("=", fieldOf(info, foreign, cx), cls as t.Expression))]);
  }
  return rewriteNode(statement, foreign, cx) as t.Statement;
}

/** The statements a declaration became, with its comments (t.carryComments). */
function withCommentsOf(statement: t.Statement, rewritten: t.Statement[]): t.Statement[] {
  if (rewritten.length > 0) t.carryComments(statement, rewritten[0], rewritten[rewritten.length - 1]);
  return rewritten;
}

/** One declarator of a declaration that declares a field: the statements it becomes. */
function rewriteDeclarator(kind: t.VariableDeclaration["kind"], declarator: t.VariableDeclarator, foreign: boolean, cx: RewriteContext): t.Statement[] {
  // (a plain name, the usual declarator, without the object of getBindingIdentifiers)
  const names = declarator.id.type === "Identifier" ? [declarator.id] : Object.values(t.getBindingIdentifiers(declarator.id));
  // A declarator whose bindings all stay locals keeps its declaration (`const a = 1, b = await x`).
  if (!names.some((id) => assignedNotDeclared(cx, kind, id))) {
    return [t.variableDeclaration(kind, [rewriteNode(declarator, foreign, cx) as t.VariableDeclarator])];
  }
  // A pattern binding locals and fields at once: the locals are declared first, then it assigns.
  const locals = names.filter((name) => !assignedNotDeclared(cx, kind, name)).map((name) => t.variableDeclarator(t.identifier(name.name)));
  const declareLocals: t.Statement[] = locals.length > 0 ? [t.variableDeclaration(kind === "var" ? "var" : "let", locals)] : [];
  const target = rewriteNode(declarator.id, foreign, cx) as t.LVal;
  if (declarator.init) {
    const init = rewriteNode(declarator.init, foreign, cx) as t.Expression;
    const info = cx.facts.binding(declarator.id);
    if (info && isAnonymousFunction(declarator.init)) {
      // An anonymous function or class takes its name from the declaration: keep that name.
      if (info.name === info.sourceName) {
        return [
          t.variableDeclaration("const", [t.variableDeclarator(t.identifier(info.name), init)]),
          t.expressionStatement(t.assignmentExpression("=", target, t.identifier(info.name))),
        ];
      }
      return [t.expressionStatement(t.assignmentExpression("=", target, nameBy(init, info.sourceName)))];
    }
    return [...declareLocals, t.expressionStatement(t.assignmentExpression("=", target, init))];
  }
  // `let x;` gives a fresh `undefined` each time it runs; `var x;` does nothing where it stands.
  if (kind === "var") return [];
  return [t.expressionStatement(t.assignmentExpression("=", target, t.identifier("undefined")))];
}

function rewriteNode(node: t.Node, foreign: boolean, cx: RewriteContext): t.Node {
  const record = cx.facts.get(node);
  const info = record?.binding;
  if (info && info.storage !== "local" && cx.withFields && node.type === "Identifier" && record.throughWith) {
    cx.withFields.set(info.sourceName, info);
    const uses = cx.withUses!;
    const name = Object.assign(t.identifier(info.sourceName), { start: node.start, end: node.end, loc: node.loc });
    if (uses.callee === node) uses.calls.add(info.sourceName);
    else if (uses.deleted !== node) {
      uses.values.add(info.sourceName);
      uses.references.add(name);
    }
    return name;
  }
  if (info && info.storage !== "local") {
    // The field keeps the identifier's place in the source (metadata quotes it; source maps point at it).
    const field: t.Node = node.type === "JSXIdentifier" ? toJSXName(cx.facts, fieldOf(info, foreign, cx)) : fieldOf(info, foreign, cx);
    field.start = node.start;
    field.end = node.end;
    field.loc = node.loc;
    if (info.uninitialized && record.checkedRead) return checkInitialized(field as t.Expression, info, cx, record.checkedAt);
    if (record.constantTarget && node.type === "Identifier") return refusingTarget(field as t.MemberExpression, info, cx);
    if (info.uninitialized && record.checkedTarget && node.type === "Identifier") return checkedTarget(field as t.MemberExpression, info, cx);
    return field;
  }

  switch (node.type) {
    case "ThisExpression":
      return foreign || !record?.userThis ? node : sourceThis(cx);
    case "JSXIdentifier":
      // (`<this.Comp />`: the name's `this` is the source function's)
      return foreign || !record?.userThis ? node : toJSXName(cx.facts, sourceThis(cx));
    case "Identifier":
      if (!foreign && node.name === "arguments" && !info && record?.outerStable !== undefined) return own("arguments");
      return node;
    case "UnaryExpression":
      if (node.operator === "delete" && t.isMemberExpression(node.argument) && node.argument.object.type === "Super" && !foreign) {
        // The engine evaluates the key, then refuses: a ReferenceError.
        const refuse = t.callExpression(cx.runtime("superDelete"), []);
        return node.argument.computed ? t.sequenceExpression([superKey(node.argument, foreign, cx), refuse]) : refuse;
      }
      if (node.operator === "delete" && t.isIdentifier(node.argument)) {
        // Only sloppy code deletes a name, and its `resume` is sloppy too (analyze/sloppy.ts): the name is
        // looked up as written, but a variable of the function, which may be a field now, is never deleted.
        const record = cx.facts.get(node.argument);
        if (record?.binding && record.throughWith && cx.withUses) {
          // Inside `with`, a name the object has deletes the object's property; the variable's own stays
          // (the frame that stands for the fields cannot lose its accessors: see `withFrame`).
          cx.withUses.deletes = true;
          cx.withUses.deleted = node.argument;
          node.argument = rewriteNode(node.argument, foreign, cx) as t.Identifier;
          cx.withUses.deleted = null;
          return node;
        }
        if (record?.binding) return t.booleanLiteral(false);
        return node;
      }
      if (node.operator === "typeof" && node.argument.type === "Identifier" && cx.facts.get(node.argument)?.checkedRead) {
        // The engine places the error of `typeof x` in x's temporal dead zone at the `typeof`, not at x.
        const argument = rewriteNode(node.argument, foreign, cx) as t.Expression;
        if (argument.type === "CallExpression") argument.loc = node.loc;
        node.argument = argument;
        return node;
      }
      break;
    case "VariableDeclarator":
      if (!foreign && node.id.type === "ArrayPattern" && node.init?.type === "Identifier" && isField(cx, node.init)) {
        // `const [a] = ids` kept as written: V8 quotes a name it destructures (`ids is not iterable`), not the
        // field read in its place; the class tells runtime/messages.js which field it is (`sourceTemps`).
        const source = cx.facts.binding(node.init)!.sourceName;
        rewriteChildren(node, foreign, cx);
        const init = node.init as t.Expression;
        if (t.isMemberExpression(init) && t.isThisExpression(init.object)) quote(init, source);
        return node;
      }
      break;
    case "MetaProperty":
      return !foreign && node.meta.name === "new" ? own("newTarget") : node;
    case "MemberExpression":
      if (node.object.type === "Super" && !foreign && record?.superTarget) {
        // A destructuring target: an object whose `value` setter writes through super.
        return t.memberExpression(t.callExpression(cx.runtime("superTarget"), [t.thisExpression(), superKey(node, foreign, cx)]), t.identifier("value"));
      }
      if (node.object.type === "Super" && !foreign) return t.callExpression(own("superGet"), [superKey(node, foreign, cx)]);
      node.object = rewriteNode(node.object, foreign, cx) as t.Expression;
      if (node.computed) node.property = rewriteNode(node.property, foreign, cx) as t.Expression;
      return node;
    case "CallExpression":
    case "OptionalCallExpression":
    case "TaggedTemplateExpression": {
      // A local called as a function must not become a method call on the machine: `(0, this.f)()`.
      const callee = node.type === "TaggedTemplateExpression" ? node.tag : node.callee;
      if (isField(cx, callee)) {
        if (cx.withUses) cx.withUses.callee = callee;
        const member = rewriteNode(callee, foreign, cx) as t.Expression;
        if (cx.withUses) cx.withUses.callee = null;
        if (t.isIdentifier(member)) {
          // Inside `with` the name is looked up as written (see `withFrame`): called as written, it is the
          // object's method called on the object, or the function's variable called on `undefined`.
          if (node.type === "TaggedTemplateExpression") node.tag = member;
          else node.callee = member;
          rewriteChildren(node, foreign, cx, node.type === "TaggedTemplateExpression" ? ["quasi"] : ["arguments"]);
          return node;
        }
        const detached = t.sequenceExpression([t.numericLiteral(0), member]);
        // The engine places a call of `(0, this.f)` at the `(` after it, a call of `f` at `f` and one of `f?.()` at
        // its `(`: what the printer writes after a node maps to the node's end, so the callee ends there.
        const end = !callee.loc ? null : node.type === "CallExpression" ? callee.loc.start : node.type === "OptionalCallExpression" ? cx.optionalArgumentsAfter(callee)?.start : null;
        if (end) detached.loc = { ...callee.loc!, end };
        if (node.type === "TaggedTemplateExpression") node.tag = detached;
        else node.callee = detached;
        rewriteChildren(node, foreign, cx, node.type === "TaggedTemplateExpression" ? ["quasi"] : ["arguments"]);
        return node;
      }
      const superCallee = node.type === "TaggedTemplateExpression" ? node.tag : node.callee;
      if (node.type !== "CallExpression" && t.isMemberExpression(superCallee) && superCallee.object.type === "Super" && !foreign) {
        // `super.m?.()` and super.tag`...` call the method with this function's `this`.
        const method = t.callExpression(own("superGet"), [superKey(superCallee, foreign, cx)]);
        if (node.type === "TaggedTemplateExpression") {
          node.tag = t.callExpression(cx.runtime("bindMethod"), [method, sourceThis(cx)]);
          rewriteChildren(node, foreign, cx, ["quasi"]);
          return node;
        }
        const args = node.arguments.map((arg) => rewriteNode(arg, foreign, cx) as t.Expression);
        if (!node.optional) return t.callExpression(cx.runtime("callMethod"), [method, sourceThis(cx), ...args]);
        // `super.m?.()`: nothing is called (nor are the arguments evaluated) when the method is missing.
        return t.optionalCallExpression(t.optionalMemberExpression(method, t.identifier("call"), false, true), [sourceThis(cx), ...args], false);
      }
      if (node.type !== "CallExpression") break;
      if (node.callee.type === "Super" && !foreign) {
        const args = node.arguments.map((arg) => rewriteNode(arg, foreign, cx) as t.Expression);
        return t.callExpression(own("superCall"), args);
      }
      if (t.isMemberExpression(node.callee) && node.callee.object.type === "Super" && !foreign) {
        const method = t.callExpression(own("superGet"), [superKey(node.callee, foreign, cx)]);
        const args = node.arguments.map((arg) => rewriteNode(arg, foreign, cx) as t.Expression);
        return t.callExpression(cx.runtime("callMethod"), [method, sourceThis(cx), ...args]);
      }
      break;
    }
    case "UpdateExpression":
    case "AssignmentExpression": {
      const written = node.type === "UpdateExpression" ? node.argument : node.left;
      // Inside `with`, a name assigned is the object's property or the field (whose setter checks).
      if (cx.withFields && t.isIdentifier(written) && isField(cx, written) && cx.facts.get(written)?.throughWith) break;
      const writtenFacts = cx.facts.get(written);
      const writtenInfo = writtenFacts?.binding;
      if (writtenInfo && writtenInfo.uninitialized && writtenInfo.storage !== "local" && writtenFacts.checkedWrite) {
        return checkedWrite(node, writtenInfo, foreign, cx);
      }
      if (node.type === "UpdateExpression" && t.isMemberExpression(node.argument) && node.argument.object.type === "Super" && !foreign) {
        // `super.x++`: read through super, ToNumeric, write back through super.
        const args = [t.thisExpression(), superKey(node.argument, foreign, cx), t.booleanLiteral(node.prefix), t.numericLiteral(node.operator === "++" ? 1 : -1)];
        return t.callExpression(cx.runtime("superUpdate"), args);
      }
      // Assigning to a `const` that became a field must still throw.
      const target = node.type === "UpdateExpression" ? node.argument : node.left;
      const info = cx.facts.binding(target);
      if (info && info.kind === "local" && !cx.strict) {
        // Sloppy code: assigning to a function expression's own name does nothing but yield the value.
        const current = fieldOf(info, foreign, cx);
        if (node.type === "UpdateExpression") {
          return node.prefix ? t.binaryExpression("+", t.unaryExpression("+", current), t.numericLiteral(node.operator === "++" ? 1 : -1)) : t.unaryExpression("+", current);
        }
        const right = rewriteNode(node.right, foreign, cx) as t.Expression;
        if (node.operator === "=") return right;
        return desugarCompound(node.operator, () => current, right, (value) => value);
      }
      if (info && info.storage !== "local" && (info.kind === "const" || info.kind === "local")) {
        // What the assignment evaluates still runs (reading the old value, the right side); then it throws.
        const thrower = refusal(node, info, cx);
        const current = () => fieldOf(info, foreign, cx);
        if (node.type === "UpdateExpression") return t.sequenceExpression([t.unaryExpression("+", current()), thrower]);
        const right = rewriteNode(node.right, foreign, cx) as t.Expression;
        if (node.operator === "=") return t.sequenceExpression([right, thrower]);
        return desugarCompound(node.operator, current, right, (value) => t.sequenceExpression([value, thrower]));
      }
      if (node.type === "UpdateExpression") break;
      if (t.isMemberExpression(node.left) && node.left.object.type === "Super" && !foreign) {
        const right = rewriteNode(node.right, foreign, cx) as t.Expression;
        if (node.operator === "=") return t.callExpression(own("superSet"), [superKey(node.left, foreign, cx), right]);
        if (node.left.computed && !t.isLiteral(node.left.property)) {
          // The key is evaluated once and the right side after the read: the runtime reads, combines, writes.
          const args = [t.thisExpression(), superKey(node.left, foreign, cx), t.stringLiteral(node.operator), t.arrowFunctionExpression([], right)];
          return t.callExpression(cx.runtime("superAssign"), args);
        }
        // `super.x += v` reads through super and writes through super; `super.x ??= v` writes only if needed.
        const member = node.left;
        const read = () => t.callExpression(own("superGet"), [superKey(member, foreign, cx)]);
        return desugarCompound(node.operator, read, right, (value) => t.callExpression(own("superSet"), [superKey(member, foreign, cx), value]));
      }
      break;
    }
    case "AssignmentPattern": {
      // `{ k = class {} }`: the default is named `k`, also when k becomes a field (`this.k = ...` would not name it).
      const target = cx.facts.binding(node.left);
      if (target && target.storage !== "local" && isAnonymousFunction(node.right)) {
        node.right = nameBy(node.right, target.sourceName);
      }
      break;
    }
    case "ObjectProperty":
      if (node.shorthand && isField(cx, node.value)) {
        node.shorthand = false;
        // `{ __proto__ }` defines an own property; `{ __proto__: v }` would set the prototype.
        if (t.isIdentifier(node.key, { name: "__proto__" })) {
          node.key = t.stringLiteral("__proto__");
          node.computed = true;
        }
      }
      if (node.computed) node.key = rewriteNode(node.key, foreign, cx) as t.Expression;
      node.value = rewriteNode(node.value, foreign, cx) as t.Expression;
      return node;
    case "ClassMethod":
    case "ClassPrivateMethod":
    case "ObjectMethod":
      if ("computed" in node && node.computed) node.key = rewriteNode(node.key, foreign, cx) as t.Expression;
      cx.closureDepth++;
      rewriteChildren(node, true, cx, ["params", "body"]);
      cx.closureDepth--;
      return node;
    case "ClassProperty":
    case "ClassPrivateProperty":
    case "ClassAccessorProperty":
      if ("computed" in node && node.computed) node.key = rewriteNode(node.key, foreign, cx) as t.Expression;
      cx.closureDepth++;
      if (node.value) node.value = rewriteNode(node.value, true, cx) as t.Expression;
      cx.closureDepth--;
      return node;
    case "StaticBlock":
      cx.closureDepth++;
      node.body = rewriteStatements(node.body, true, cx);
      cx.closureDepth--;
      return node;
    case "FunctionDeclaration":
    case "FunctionExpression":
    case "ArrowFunctionExpression":
      cx.closureDepth++;
      rewriteChildren(node, node.type === "ArrowFunctionExpression" ? foreign : true, cx, ["params", "body"]);
      cx.closureDepth--;
      return node;
    case "WithStatement": {
      node.object = rewriteNode(node.object, foreign, cx) as t.Expression;
      const outermost = !cx.withFields;
      if (outermost) {
        cx.withFields = new Map();
        cx.withUses = { calls: new Set(), values: new Set(), references: new Set(), deletes: false, callee: null, deleted: null };
      }
      node.body = asStatement(rewriteStatement(node.body, foreign, cx));
      if (!outermost) return node;
      const fields = cx.withFields!;
      const uses = cx.withUses!;
      cx.withFields = null;
      cx.withUses = null;
      restoreCalleeValues(node, uses, cx);
      return fields.size === 0 ? node : t.withStatement(withFrame(fields, uses, cx), node);
    }
    case "LabeledStatement":
    case "BreakStatement":
    case "ContinueStatement":
      if (node.type === "LabeledStatement") {
        node.body = asStatement(rewriteStatement(node.body, foreign, cx));
      }
      return node;
    case "ForStatement":
      if (t.isVariableDeclaration(node.init) && assignsAny(cx, node.init)) {
        const assignments = node.init.declarations
          .filter((d) => d.init)
          .map((d) => t.assignmentExpression("=", rewriteNode(d.id, foreign, cx) as t.LVal, rewriteNode(d.init!, foreign, cx) as t.Expression));
        node.init = assignments.length === 0 ? null : assignments.length === 1 ? assignments[0] : t.sequenceExpression(assignments);
      }
      break;
    case "ForInStatement":
    case "ForOfStatement":
      if (t.isVariableDeclaration(node.left) && assignsAny(cx, node.left)) {
        node.left = rewriteNode(node.left.declarations[0].id, foreign, cx) as t.LVal;
      }
      break;
    case "BlockStatement":
      node.body = rewriteStatements(node.body, foreign, cx);
      return node;
    case "TryStatement":
      rewriteChildren(node, foreign, cx);
      if (!foreign) {
        keepSourceWords(node, cx.runtime, (id) => {
          const info = cx.facts.binding(id);
          return info !== undefined && info !== null && info.storage === "local" && info.name !== info.sourceName;
        }, cx.uniqueName);
      }
      return node;
    case "SwitchCase":
      if (node.test) node.test = rewriteNode(node.test, foreign, cx) as t.Expression;
      node.consequent = rewriteStatements(node.consequent, foreign, cx);
      return node;
    case "Program":
      return node;
    default:
      break;
  }
  rewriteChildren(node, foreign, cx);
  return node;
}

/**
 * The object that stands for the function's own variables around a `with` statement, for the fields its
 * body names: `{ __proto__: null, get x() { return machine.x; }, set x(v) { machine.x = v; } }`, with
 * the TDZ check or the refusal of a constant the binding needs. A call `f()` of a name found there would
 * pass the frame as `this`, where a variable's function gets `undefined`: the getter of a name the body
 * calls hands out the function unbound (`unboundCallee(f)`, called on `undefined`), and where the body
 * also reads that name as a value, those reads get the function itself back (`restoreCalleeValues`).
 * Where the body deletes a name, the frame is frozen (`frozenFrame`): deleting a variable does nothing
 * and is `false`.
 */
function withFrame(fields: Map<string, BindingInfo>, uses: WithUses, cx: RewriteContext): t.Expression {
  const members: (t.ObjectProperty | t.ObjectMethod)[] = [t.objectProperty(t.identifier("__proto__"), t.nullLiteral())];
  cx.closureDepth++;
  for (const [name, info] of fields) {
    const value = t.identifier(name === "v" ? "v_" : "v");
    const field = () => fieldOf(info, true, cx);
    const read = info.uninitialized ? checkInitialized(field(), info, cx) : field();
    const get = [t.returnStatement(uses.calls.has(name) ? t.callExpression(cx.runtime("unboundCallee"), [read]) : read)];
    let write: t.Expression;
    if (info.kind === "const") write = t.callExpression(cx.runtime("assignConstant"), [t.stringLiteral(info.sourceName)]);
    else if (info.kind === "local" && !cx.strict) write = t.cloneNode(value); // a function expression's own name: the write does nothing
    else if (info.uninitialized) write = t.assignmentExpression("=", field(), t.callExpression(cx.runtime("checkAssignable"), [field(), t.stringLiteral(info.sourceName), t.cloneNode(value)]));
    else write = t.assignmentExpression("=", field(), t.cloneNode(value));
    cx.usedAlias = true;
    members.push(
      t.objectMethod("get", t.identifier(name), [], t.blockStatement(get)),
      t.objectMethod("set", t.identifier(name), [value], t.blockStatement([t.expressionStatement(write)])),
    );
  }
  cx.closureDepth--;
  const frame = t.objectExpression(members);
  return uses.deletes ? t.callExpression(cx.runtime("frozenFrame"), [frame]) : frame;
}

/**
 * Inside a `with`, the reads of a name its frame hands out unbound for calls (`withFrame`), made
 * `calleeValue(f)`: the function itself when the frame answered, what the `with` object holds otherwise.
 * The name is still looked up as written, so the object is asked first, as natively.
 */
function restoreCalleeValues(statement: t.WithStatement, uses: WithUses, cx: RewriteContext): void {
  const restored = (node: t.Node): node is t.Identifier => uses.references.has(node as t.Identifier) && uses.calls.has((node as t.Identifier).name);
  if (![...uses.references].some(restored)) return;
  const calleeValue = (name: t.Identifier) => t.callExpression(cx.runtime("calleeValue"), [name]);
  // What a child becomes: a read of such a name, `calleeValue(f)`; `f += v`, which reads f as well as writing
  // it, `f = calleeValue(f) + v`; `f ||= v`, `calleeValue(f) || (f = v)` (the name is looked up twice there
  // where natively once, which only a proxy as the `with` object could count). Null: the child as it is.
  const replacement = (child: t.Node, node: t.Node, key: string, parent: t.Node | null): t.Expression | null => {
    if (restored(child)) return isRead(node, key, parent) ? calleeValue(child) : null;
    if (child.type !== "AssignmentExpression" || child.operator === "=" || !restored(child.left)) return null;
    visit(child, node);
    const name = child.left;
    const operator = child.operator.slice(0, -1);
    if (operator === "||" || operator === "&&" || operator === "??") {
      return t.logicalExpression(operator, calleeValue(t.cloneNode(name)), t.assignmentExpression("=", name, child.right));
    }
    return t.assignmentExpression("=", name, t.binaryExpression(operator as t.BinaryExpression["operator"], calleeValue(t.cloneNode(name)), child.right));
  };
  const visit = (node: t.Node, parent: t.Node | null): void => {
    for (const key of t.VISITOR_KEYS[node.type] ?? []) {
      const child = (node as unknown as Record<string, t.Node | (t.Node | null)[] | null | undefined>)[key];
      if (Array.isArray(child)) {
        child.forEach((item, index) => {
          if (!item) return;
          const replaced = replacement(item, node, key, parent);
          if (replaced) child[index] = replaced;
          else visit(item, node);
        });
      } else if (child) {
        const replaced = replacement(child, node, key, parent);
        if (replaced) {
          (node as unknown as Record<string, t.Node>)[key] = replaced;
          if (node.type === "ObjectProperty") node.shorthand = false;
        } else visit(child, node);
      }
    }
  };
  visit(statement.body, statement);
}

/** Whether `node[key]` is read (not a target that is written: `x = v`, `x++`, `[x] = list`, `for (x of l)`). */
function isRead(node: t.Node, key: string, parent: t.Node | null): boolean {
  switch (node.type) {
    case "AssignmentExpression":
    case "ForInStatement":
    case "ForOfStatement":
    case "AssignmentPattern":
      return key !== "left";
    case "UpdateExpression":
    case "ArrayPattern":
    case "RestElement":
      return false;
    case "ObjectProperty":
      return !(key === "value" && parent?.type === "ObjectPattern");
    default:
      return true;
  }
}

/**
 * `checkInitialized(this.x, "x")`: the value, or the engine's ReferenceError while x is uninitialized,
 * which the engine places at the name (`at`: where the source names it; by default the field's place).
 */
function checkInitialized(field: t.Expression, info: BindingInfo, cx: RewriteContext, at: t.Node = field): t.Expression {
  const check = t.callExpression(cx.runtime("checkInitialized"), [field, t.stringLiteral(info.sourceName)]);
  check.loc = at.loc;
  return check;
}

/** `[x] = list` where x may still be uninitialized: a reference whose `value` setter checks, then assigns. */
function checkedTarget(field: t.MemberExpression, info: BindingInfo, cx: RewriteContext): t.Expression {
  return t.memberExpression(fieldReference("checkedTarget", field, info, cx), t.identifier("value"));
}

/** `helper(holder, "x", "x")`: a reference of the runtime's to a field, whose `value` setter decides the write. */
function fieldReference(helper: string, field: t.MemberExpression, info: BindingInfo, cx: RewriteContext): t.CallExpression {
  const key = t.stringLiteral((field.property as t.Identifier).name);
  return t.callExpression(cx.runtime(helper), [field.object as t.Expression, key, t.stringLiteral(info.sourceName)]);
}

/**
 * `[x] = list`, `for (x of list)` where x refuses assignment: a `const` (an uninitialized one refuses with
 * the TDZ's error first) or, in strict code, a function expression's own name, for which sloppy code
 * ignores the value.
 */
function refusingTarget(field: t.MemberExpression, info: BindingInfo, cx: RewriteContext): t.Expression {
  if (info.kind === "local" && !cx.strict) return t.memberExpression(t.callExpression(cx.runtime("ignoredTarget"), []), t.identifier("value"));
  const reference = fieldReference("constantTarget", field, info, cx);
  reference.loc = field.loc;
  return t.memberExpression(reference, t.identifier("value"));
}

/**
 * An assignment or update that may run before the declaration. A plain `x = v` evaluates v first and
 * then throws; `x += v` and `x++` read x first, so the read throws.
 */
function checkedWrite(node: t.AssignmentExpression | t.UpdateExpression, info: BindingInfo, foreign: boolean, cx: RewriteContext): t.Expression {
  const field = () => fieldOf(info, foreign, cx);
  const current = () => checkInitialized(field(), info, cx, node.type === "AssignmentExpression" ? node.left : node.argument);
  const right = node.type === "AssignmentExpression" ? (rewriteNode(node.right, foreign, cx) as t.Expression) : null;
  // (V8 places the error of `x = v` before the declaration at the operator)
  const assignable = () => {
    const check = t.callExpression(cx.runtime("checkAssignable"), [field(), t.stringLiteral(info.sourceName), right!]);
    check.loc = cx.operatorAfter((node as t.AssignmentExpression).left);
    return check;
  };
  if (info.kind === "const") {
    // Once initialized, a constant still refuses the assignment.
    const thrower = refusal(node, info, cx);
    if (node.type === "UpdateExpression") return t.sequenceExpression([t.unaryExpression("+", current()), thrower]);
    if (node.operator === "=") return t.sequenceExpression([assignable(), thrower]);
    return desugarCompound(node.operator, current, right!, (value) => t.sequenceExpression([value, thrower]));
  }
  if (node.type === "UpdateExpression") return t.sequenceExpression([current(), t.updateExpression(node.operator, field(), node.prefix)]);
  if (node.operator === "=") return t.assignmentExpression("=", field(), assignable());
  return desugarCompound(node.operator, current, right!, (value) => t.assignmentExpression("=", field(), value));
}

/**
 * The call that throws where the source assigns a constant, placed where the engine places that error:
 * at the operator of an assignment or of `x++`, at the name of `++x`.
 */
function refusal(assignment: t.AssignmentExpression | t.UpdateExpression, info: BindingInfo, cx: RewriteContext): t.CallExpression {
  const thrower = t.callExpression(cx.runtime("assignConstant"), [t.stringLiteral(info.sourceName)]);
  const target = assignment.type === "AssignmentExpression" ? assignment.left : assignment.argument;
  thrower.loc = assignment.type === "UpdateExpression" && assignment.prefix ? target.loc : cx.operatorAfter(target);
  return thrower;
}

function superKey(member: t.MemberExpression, foreign: boolean, cx: RewriteContext): t.Expression {
  if (member.computed) return rewriteNode(member.property, foreign, cx) as t.Expression;
  return t.stringLiteral((member.property as t.Identifier).name);
}

function rewriteChildren(node: t.Node, foreign: boolean, cx: RewriteContext, only?: string[]): void {
  for (const key of only ?? t.VISITOR_KEYS[node.type] ?? []) {
    const record = node as unknown as Record<string, unknown>;
    const child = record[key];
    // (an empty key first: most are, and they need no more thought)
    if (!child || isNonReferenceKey(node, key)) continue;
    if (Array.isArray(child)) {
      // (a new list only from the first item replaced on: most lists keep every item)
      const statements = t.isBlockStatement(node) || t.isProgram(node) || t.isSwitchCase(node) || t.isStaticBlock(node);
      let rewritten: unknown[] | null = null;
      for (let i = 0, length = child.length; i < length; i++) {
        const item: unknown = child[i];
        if (!item || typeof item !== "object") {
          rewritten?.push(item);
        } else if (statements && t.isStatement(item as t.Node)) {
          const replaced = rewriteStatement(item as t.Statement, foreign, cx);
          if (!Array.isArray(replaced)) {
            if (!rewritten && replaced !== item) rewritten = child.slice(0, i);
            rewritten?.push(replaced);
          } else {
            if (!rewritten && (replaced.length !== 1 || replaced[0] !== item)) rewritten = child.slice(0, i);
            rewritten?.push(...replaced);
          }
        } else {
          const replaced = rewriteNode(item as t.Node, foreign, cx);
          if (!rewritten && replaced !== item) rewritten = child.slice(0, i);
          rewritten?.push(replaced);
        }
      }
      if (rewritten) record[key] = rewritten;
    } else if (child && typeof child === "object") {
      if (t.isStatement(child as t.Node) && !t.isBlockStatement(child as t.Node) && t.isStatement(node)) {
        record[key] = asStatement(rewriteStatement(child as t.Statement, foreign, cx));
      } else {
        record[key] = rewriteNode(child as t.Node, foreign, cx);
      }
    }
  }
}

/** Keys that hold names, not references: `o.name`, `{ name: v }`, labels. */
function isNonReferenceKey(node: t.Node, key: string): boolean {
  if (key === "label") return true;
  if (key === "property" && (node.type === "MemberExpression" || node.type === "OptionalMemberExpression")) return !node.computed;
  if (key === "key" && "computed" in node) return !node.computed;
  if (key === "meta" || (key === "property" && node.type === "MetaProperty")) return true;
  if (key.startsWith("type") || key === "returnType" || key === "typeAnnotation" || key === "typeParameters") return true;
  return false;
}
