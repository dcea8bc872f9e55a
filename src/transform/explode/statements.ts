// Exploding a statement that contains `await` into states. Control flow becomes explicit jumps between
// states (`this.state = N; continue dispatch;`), loops and labels register their break/continue targets
// with the emitter, and try statements become regions of the try table the runtime consults.
import * as t from "../types.ts";
import { unsupported } from "../errors.ts";
import { declaresInBlock } from "../ast.ts";
import { Label, negatedTest } from "./emitter.ts";
import type { Exploder } from "./exploder.ts";
import { explodeClass } from "./expressions.ts";
import { sourceText } from "./source-text.ts";

/**
 * Entering a scope whose bindings closures capture: a fresh box (or, between iterations of a
 * `for (let ...)`, a copy of the last one). The state ends there, so that every closure created
 * afterwards captures the new box.
 */
function enterBox(cx: Exploder, scope: t.Node, copy = false): void {
  const box = cx.facts.get(scope)?.box;
  if (!box) return;
  const field = t.memberExpression(t.thisExpression(), t.identifier(box));
  const value = copy ? t.objectExpression([t.spreadElement(t.cloneNode(field))]) : t.objectExpression([]);
  cx.em.emitAssign(field, value);
  cx.em.mark(new Label(), true);
}

/** Entering a block scope: its lexical bindings that are checked for early access become uninitialized. */
function enterTemporalDeadZone(cx: Exploder, scope: t.Node): void {
  const reset = cx.uninitializeOnEntry(scope);
  if (reset) cx.em.emit(reset);
}

/**
 * `for (let x of x)`: the iterated expression runs in an environment of its own where the loop's bindings
 * exist uninitialized (a closure created there captures that one, not an iteration's).
 */
function enterLoopHeadTemporalDeadZone(cx: Exploder, stmt: t.ForXStatement): void {
  const reset = cx.uninitializeOnEntry(stmt);
  if (!reset) return;
  enterBox(cx, stmt);
  cx.em.emit(reset);
}

/** The labels of a statement that has none (shared: a list made per statement would be garbage at once). */
const NO_LABELS: readonly string[] = [];

/** `previousEnd`: the line the statement before it in its list ends on (a comment there after it is that one's). */
export function explodeStatement(cx: Exploder, stmt: t.Statement, labels: readonly string[] = NO_LABELS, previousEnd = -1): void {
  const em = cx.em;
  // The temps a statement takes are read by its own code: once it is emitted, they are free for the next one.
  const mark = em.tempsMark();
  // A statement taken apart is new code: the source's comments on it go with that code (one kept as written
  // keeps its own): those before it before the first statement it emits; one after it on its last line after
  // the last (a simple statement's), the others before what comes next (Babel gives a comment on a line of its
  // own between two statements to both).
  const comments = (stmt.leadingComments?.length || stmt.trailingComments?.length) && cx.mustExplode(stmt);
  if (comments && stmt.leadingComments?.length) em.commentNext(ownComments(stmt.leadingComments, previousEnd));
  const before = em.lastEmitted;
  explodeOne(cx, stmt, labels);
  if (comments && stmt.trailingComments?.length) {
    const last = em.lastEmitted;
    const endLine = stmt.loc?.end.line;
    const sameLine = last !== before && last !== null && SIMPLE.has(stmt.type) ? stmt.trailingComments.filter((comment) => comment.loc?.start.line === endLine) : [];
    if (sameLine.length > 0) last!.trailingComments = t.joinComments(last!.trailingComments ?? [], sameLine);
    const others = stmt.trailingComments.filter((comment) => !sameLine.includes(comment));
    if (others.length > 0) em.commentNext(others);
  }
  em.releaseTemps(mark);
}

/** The comments before a node but one on the line the node before it ends on (Babel gives that one to both). */
function ownComments(comments: t.Comment[], previousEnd: number): t.Comment[] {
  return comments.filter((comment) => comment.loc?.start.line !== previousEnd);
}

/** Statements whose trailing comment goes after the last statement they become (not after a loop's jump back). */
const SIMPLE = new Set(["ExpressionStatement", "VariableDeclaration", "ReturnStatement", "ThrowStatement"]);

function explodeOne(cx: Exploder, stmt: t.Statement, labels: readonly string[]): void {
  const em = cx.em;
  if (!cx.mustExplode(stmt)) {
    const kept = cx.keepAsWritten(stmt);
    if (kept.type === "BlockStatement" && kept !== stmt) {
      // A `break` or `continue` that leaves for another state: its jump's statements go into the state
      // itself, where what follows them is seen to be unreachable (the first has the statement's place).
      em.emit(kept.body[0], stmt);
      for (const jump of kept.body.slice(1)) em.emit(jump, stmt, false);
      return;
    }
    em.emit(kept, stmt);
    return;
  }

  switch (stmt.type) {
    case "ExpressionStatement": {
      const { expression } = stmt;
      if (expression.type === "AssignmentExpression" && expression.left.type === "Identifier" && expression.right.type === "AwaitExpression") cx.facts.set(expression.right, "placedAt", stmt);
      const value = cx.expression(expression, true);
      if (!cx.isSent(value) && !isUndefined(value)) em.emit(t.expressionStatement(value), stmt);
      return;
    }

    case "BlockStatement":
      enterBox(cx, stmt);
      enterTemporalDeadZone(cx, stmt);
      explodeStatements(cx, stmt.body);
      return;

    case "VariableDeclaration":
      for (const declarator of stmt.declarations) {
        const init = declarator.init ? cx.expression(declarator.init) : null;
        if (cx.suspends(declarator.id)) cx.pattern(declarator.id, init!, stmt.kind);
        else em.emit(t.variableDeclaration(stmt.kind, [t.variableDeclarator(declarator.id, init)]), declarator);
      }
      return;

    case "IfStatement": {
      const mark = em.tempsMark();
      const test = cx.expression(stmt.test);
      if (!cx.mustExplode(stmt.consequent) && !cx.mustExplode(stmt.alternate)) {
        const alternate = stmt.alternate ? cx.keepAsWritten(stmt.alternate) : null;
        em.emit(t.ifStatement(test, cx.keepAsWritten(stmt.consequent), alternate), stmt);
        return;
      }
      const after = new Label();
      const elseLabel = stmt.alternate ? new Label() : after;
      em.skipUnless(test, elseLabel, stmt);
      em.releaseTemps(mark); // the test's temps are read: the branches may take them
      explodeStatement(cx, stmt.consequent);
      if (stmt.alternate) {
        em.jump(after);
        em.mark(elseLabel);
        explodeStatement(cx, stmt.alternate);
      }
      em.mark(after);
      return;
    }

    case "LabeledStatement": {
      const all = [...labels, stmt.label.name];
      if (t.isLoop(stmt.body) || t.isLabeledStatement(stmt.body)) {
        explodeStatement(cx, stmt.body, all);
        return;
      }
      const after = new Label();
      em.withLeap({ kind: "block", labels: all, breakTarget: after, continueTarget: null }, () =>
        explodeStatement(cx, stmt.body),
      );
      em.mark(after);
      return;
    }

    case "WhileStatement": {
      const head = new Label(true);
      const after = new Label();
      em.mark(head);
      if (!isTrue(stmt.test)) jumpUnless(cx, stmt.test, after, stmt);
      em.withLeap({ kind: "loop", labels, breakTarget: after, continueTarget: head }, () => explodeStatement(cx, stmt.body));
      em.jump(head);
      em.mark(after);
      return;
    }

    case "DoWhileStatement": {
      const body = new Label(true);
      const test = new Label();
      const after = new Label();
      em.mark(body);
      em.withLeap({ kind: "loop", labels, breakTarget: after, continueTarget: test }, () => explodeStatement(cx, stmt.body));
      em.mark(test);
      em.jumpIf(cx.expression(stmt.test), body, stmt.test);
      em.mark(after);
      return;
    }

    case "ForStatement": {
      enterBox(cx, stmt);
      enterTemporalDeadZone(cx, stmt);
      if (stmt.init) {
        if (t.isVariableDeclaration(stmt.init)) explodeStatement(cx, stmt.init);
        else emitEffect(cx, stmt.init);
      }
      // Each iteration of `for (let ...)` gets its own copy of the loop variables.
      enterBox(cx, stmt, true);
      const head = new Label(true);
      const update = new Label();
      const after = new Label();
      em.mark(head);
      if (stmt.test && !isTrue(stmt.test)) jumpUnless(cx, stmt.test, after, stmt);
      em.withLeap({ kind: "loop", labels, breakTarget: after, continueTarget: update }, () => explodeStatement(cx, stmt.body));
      em.mark(update);
      enterBox(cx, stmt, true);
      if (stmt.update) emitEffect(cx, stmt.update);
      em.jump(head);
      em.mark(after);
      return;
    }

    case "ForInStatement":
    case "ForOfStatement":
      explodeForInOf(cx, stmt, labels);
      return;

    case "SwitchStatement":
      explodeSwitch(cx, stmt, labels);
      return;

    case "TryStatement":
      explodeTry(cx, stmt);
      return;

    case "ReturnStatement": {
      if (stmt.argument?.type === "AwaitExpression") cx.facts.set(stmt.argument, "placedAt", stmt);
      const value = stmt.argument ? [cx.expression(stmt.argument)] : [];
      em.emit(t.returnStatement(em.call("return", value, stmt)), stmt);
      return;
    }

    case "ThrowStatement":
      em.emit(t.throwStatement(cx.expression(stmt.argument)), stmt);
      return;

    case "WithStatement": {
      // The object is evaluated once and kept; each state of the body enters `with` it again.
      const object = cx.expression(stmt.object);
      const field = em.temp();
      em.emitAssign(field, object, stmt);
      em.enterWith(t.cloneNode(field));
      explodeStatement(cx, stmt.body);
      em.exitWith();
      return;
    }

    case "ClassDeclaration":
      em.emit(explodeClass(cx, stmt), stmt);
      return;

    default:
      unsupported(`\`await\` inside ${stmt.type}`, stmt);
  }
}

/** A statement list: function declarations are hoisted to its start, as the language does. */
export function explodeStatements(cx: Exploder, statements: t.Statement[]): void {
  for (const statement of statements) {
    const declaration = declaredFunction(statement);
    if (declaration !== null) cx.em.emit(declaration, declaration);
  }
  let previousEnd = -1;
  for (const statement of statements) {
    const declaration = declaredFunction(statement);
    if (declaration === null) explodeStatement(cx, statement, NO_LABELS, previousEnd);
    else emitAnnexBEvaluation(cx, declaration);
    previousEnd = statement.loc?.end.line ?? -1;
  }
}

/**
 * The function a statement declares: a function declaration, labelled or not (sloppy code's `label: function
 * f() {}` is a declaration too, hoisted as any; its label has nothing to break out of).
 */
function declaredFunction(statement: t.Statement): t.FunctionDeclaration | null {
  let inner = statement;
  while (inner.type === "LabeledStatement") inner = inner.body;
  return inner.type === "FunctionDeclaration" ? inner : null;
}

/** Sloppy code: where a block function's declaration stands, the function-wide binding gets its value. */
function emitAnnexBEvaluation(cx: Exploder, declaration: t.FunctionDeclaration): void {
  const evaluation = cx.annexBEvaluation(declaration);
  if (evaluation) cx.em.emit(evaluation);
}

/** An expression evaluated for its effect; its temps are free again afterwards. */
function emitEffect(cx: Exploder, expr: t.Expression): void {
  const mark = cx.em.tempsMark();
  const value = cx.expression(expr, true);
  if (!cx.isSent(value) && !isUndefined(value)) cx.em.emit(t.expressionStatement(value), expr);
  cx.em.releaseTemps(mark);
}

/** A loop's test: leaves for `after` when it is false; its temps are free again afterwards (for the body). */
function jumpUnless(cx: Exploder, test: t.Expression, after: Label, origin: t.Node): void {
  const mark = cx.em.tempsMark();
  cx.em.jumpIf(negatedTest(cx.expression(test)), after, origin);
  cx.em.releaseTemps(mark);
}

function explodeForInOf(cx: Exploder, stmt: t.ForInStatement | t.ForOfStatement, labels: readonly string[]): void {
  const em = cx.em;
  if (stmt.type === "ForOfStatement" && stmt.await) {
    explodeForAwait(cx, stmt, labels);
    return;
  }
  enterLoopHeadTemporalDeadZone(cx, stmt);
  // (over a call, V8 words a value that is not iterable by the callee: `iterateReturned`)
  const callee = stmt.type === "ForOfStatement" ? quotedCallee(cx, stmt.right) : null;
  const text = stmt.type === "ForOfStatement" && callee === null ? quoted(cx, stmt.right) : [];
  const subject = cx.expression(stmt.right);
  const record = em.temp();
  const helper = stmt.type === "ForInStatement" ? "forIn" : callee !== null ? "iterateReturned" : "iterate";
  em.emitAssign(record, em.helper(helper, callee !== null ? [subject, t.stringLiteral(callee)] : [subject, ...text]), stmt);

  const outerDepth = em.tryDepth;
  // A for-of closes its iterator when the body leaves early: the loop is a region with a `finally`.
  const entry = stmt.type === "ForOfStatement" ? em.openTry(false, true) : -1;
  const head = new Label(true);
  const after = entry >= 0 ? em.tries[entry].end : new Label();
  em.mark(head);
  em.jumpIf(t.unaryExpression("!", t.callExpression(t.memberExpression(em.tempAgain(record), t.identifier("next")), [])), after, stmt);
  enterBox(cx, stmt);
  const value = t.memberExpression(em.tempAgain(record), t.identifier("value"));
  if (t.isVariableDeclaration(stmt.left)) cx.pattern(stmt.left.declarations[0].id, value, stmt.left.kind);
  else cx.pattern(stmt.left as t.LVal, value, null);
  em.withLeap({ kind: "loop", labels, breakTarget: after, continueTarget: head, breakDepth: outerDepth }, () =>
    explodeStatement(cx, stmt.body),
  );
  em.jump(head);
  if (entry >= 0) {
    em.enterFinally(entry);
    em.emit(t.returnStatement(em.helper("closeIterator", [t.thisExpression(), t.numericLiteral(entry), em.tempAgain(record)])));
    em.closeTry(entry);
  } else {
    em.mark(after);
  }
}

/** The iterable's source text for the helper's "x is not iterable", when V8 would quote it. */
function quoted(cx: Exploder, iterable: t.Expression): t.StringLiteral[] {
  const text = sourceText(iterable, cx.facts);
  return text === null ? [] : [t.stringLiteral(text)];
}

/** The callee of an iterable that is a call of a name or a member chain, as V8 quotes it; else null. */
function quotedCallee(cx: Exploder, iterable: t.Expression): string | null {
  if (iterable.type !== "CallExpression" || iterable.callee.type === "Super" || iterable.callee.type === "V8IntrinsicIdentifier") return null;
  return sourceText(iterable.callee, cx.facts);
}

/**
 * `for await (x of iterable)`: each step awaits `next()`; leaving the loop early awaits the iterator's
 * `return()` in the loop's finally (AsyncIteratorClose).
 */
function explodeForAwait(cx: Exploder, stmt: t.ForOfStatement, labels: readonly string[]): void {
  const em = cx.em;
  enterLoopHeadTemporalDeadZone(cx, stmt);
  const text = quoted(cx, stmt.right);
  // (a call of one of the file's own async generators gives an async iterator: no sync fallback to carry)
  const own = em.ownAsyncGeneratorCalls.has(stmt.right);
  const subject = cx.expression(stmt.right);
  const record = em.temp();
  em.emitAssign(record, em.helper(own ? "asyncIterateOwn" : "asyncIterate", [subject, ...text]), stmt);
  const outerDepth = em.tryDepth;
  const entry = em.openTry(false, true);
  const after = em.tries[entry].end;
  const head = new Label(true);
  const step = new Label();
  em.mark(head);
  const callNext = t.callExpression(t.memberExpression(em.tempAgain(record), t.identifier("callNext")), []);
  cx.facts.set(callNext, "describedAs", { prefix: "next() of ", node: stmt.right });
  em.emit(t.returnStatement(em.call("await", [callNext, step.ref()], stmt)), stmt);
  em.mark(step);
  em.jumpIf(t.unaryExpression("!", t.callExpression(t.memberExpression(em.tempAgain(record), t.identifier("take")), [cx.sent()])), after, stmt);
  enterBox(cx, stmt);
  const value = t.memberExpression(em.tempAgain(record), t.identifier("value"));
  if (t.isVariableDeclaration(stmt.left)) cx.pattern(stmt.left.declarations[0].id, value, stmt.left.kind);
  else cx.pattern(stmt.left as t.LVal, value, null);
  em.withLeap({ kind: "loop", labels, breakTarget: after, continueTarget: head, breakDepth: outerDepth }, () => explodeStatement(cx, stmt.body));
  em.jump(head);
  em.enterFinally(entry);
  const closed = new Label();
  const close = em.helper("closeAsyncIterator", [t.thisExpression(), t.numericLiteral(entry), em.tempAgain(record), closed.ref()]);
  cx.facts.set(close, "describedAs", { prefix: "return() of ", node: stmt.right });
  em.emit(t.returnStatement(close));
  em.mark(closed);
  em.emit(t.returnStatement(em.helper("finishAsyncClose", [t.thisExpression(), t.numericLiteral(entry), cx.sent()])));
  em.closeTry(entry);
}

function explodeSwitch(cx: Exploder, stmt: t.SwitchStatement, labels: readonly string[]): void {
  const em = cx.em;
  const after = new Label();
  const targets = stmt.cases.map(() => new Label());
  const defaultIndex = stmt.cases.findIndex((clause) => clause.test === null);
  const fallback = defaultIndex >= 0 ? targets[defaultIndex] : after;
  const mark = em.tempsMark();

  if (!stmt.cases.some((clause) => cx.suspends(clause.test))) {
    // The tests do not suspend: dispatch with a native switch whose cases jump to the case states. (The
    // discriminant is evaluated before the switch's scope is entered: held, where entering it runs code.)
    const facts = cx.facts.get(stmt);
    const entering = !!facts?.box || !!facts?.uninitializedOnEntry || stmt.cases.some((clause) => clause.consequent.some((statement) => statement.type === "FunctionDeclaration"));
    const value = cx.expression(stmt.discriminant);
    const discriminant = entering ? cx.hold(value) : value;
    enterBox(cx, stmt);
    enterTemporalDeadZone(cx, stmt);
    hoistCaseFunctions(cx, stmt);
    em.dispatchCases(discriminant, stmt.cases.map((clause, i) => ({ test: clause.test ?? null, target: targets[i] })), after, stmt);
  } else {
    // Tests are evaluated one by one, in order, until one matches.
    const discriminant = cx.hold(cx.expression(stmt.discriminant));
    enterBox(cx, stmt);
    enterTemporalDeadZone(cx, stmt);
    hoistCaseFunctions(cx, stmt);
    stmt.cases.forEach((clause, i) => {
      if (!clause.test) return;
      const test = cx.expression(clause.test);
      em.jumpIf(t.binaryExpression("===", cx.copy(discriminant), test), targets[i]);
    });
    em.jump(fallback);
  }
  // Every test has read the discriminant by now: the cases may take its temp.
  em.releaseTemps(mark);

  em.withLeap({ kind: "switch", labels, breakTarget: after, continueTarget: null }, () => {
    stmt.cases.forEach((clause, i) => {
      em.mark(targets[i]);
      // (a comment before `case` goes with the case's code: the clause the source has is the dispatch's)
      if (clause.leadingComments?.length) em.commentNext(ownComments(clause.leadingComments, stmt.cases[i - 1]?.loc?.end.line ?? -1));
      let previousEnd = -1;
      for (const statement of clause.consequent) {
        if (!t.isFunctionDeclaration(statement)) explodeStatement(cx, statement, NO_LABELS, previousEnd);
        else emitAnnexBEvaluation(cx, statement);
        previousEnd = statement.loc?.end.line ?? -1;
      }
    });
  });
  em.mark(after);
}

/** Function declarations in any case exist from the switch's start (its block is one scope). */
function hoistCaseFunctions(cx: Exploder, stmt: t.SwitchStatement): void {
  for (const clause of stmt.cases) {
    for (const statement of clause.consequent) if (t.isFunctionDeclaration(statement)) cx.em.emit(statement, statement);
  }
}

function explodeTry(cx: Exploder, stmt: t.TryStatement): void {
  const em = cx.em;
  const outerDepth = em.tryDepth;
  const entry = em.openTry(stmt.handler !== null, stmt.finalizer !== null);
  const end = em.tries[entry].end;
  explodeClause(cx, stmt.block);
  em.jump(end, outerDepth);
  if (stmt.handler) {
    em.enterCatch(entry);
    const param = stmt.handler.param;
    const box = cx.facts.get(stmt.handler)?.box;
    if (box) em.emitAssign(t.memberExpression(t.thisExpression(), t.identifier(box)), t.objectExpression([]));
    if (param) cx.pattern(param, cx.sent(), "let");
    if (box) em.mark(new Label(), true);
    enterTemporalDeadZone(cx, stmt.handler);
    explodeStatements(cx, stmt.handler.body.body);
    em.jump(end, outerDepth);
  }
  if (stmt.finalizer) {
    em.enterFinally(entry);
    explodeClause(cx, stmt.finalizer);
    em.emit(t.returnStatement(em.call("finish", [t.numericLiteral(entry)])));
  }
  em.closeTry(entry);
}

/**
 * A try or finally block, which has states of its own: a block that does not suspend is kept as written,
 * without its braces where it declares nothing in its scope (a catch block's statements go in likewise,
 * after its parameter).
 */
function explodeClause(cx: Exploder, block: t.BlockStatement): void {
  if (cx.mustExplode(block) || block.body.some(declaresInBlock)) {
    explodeStatement(cx, block);
  } else {
    for (const statement of block.body) explodeStatement(cx, statement);
  }
}

function isTrue(test: t.Expression): boolean {
  return t.isBooleanLiteral(test, { value: true });
}

function isUndefined(value: t.Expression): boolean {
  return t.isIdentifier(value, { name: "undefined" });
}
