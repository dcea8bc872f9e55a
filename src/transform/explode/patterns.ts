// Destructuring with an `await` inside the pattern (`const { [await k()]: a, b = await f() } = o`,
// `[x, obj[await k]] = list`): the pattern is spelled out step by step in the spec's order, so that each
// await can end a state. Array patterns drive the iterator by hand and close it like native destructuring
// does: normally at the end when it is not done, and quietly when a step in between throws.
import * as t from "../types.ts";
import { unsupported } from "../errors.ts";
import { named } from "../names.ts";
import { Label } from "./emitter.ts";
import type { DeclarationKind, Exploder } from "./exploder.ts";
import { operands } from "./operands.ts";

/**
 * Binds `pattern` to `value` (already evaluated). With a declaration kind, identifiers are declared;
 * without one, the pattern is an assignment target.
 */
export function explodePattern(cx: Exploder, pattern: t.LVal | t.PatternLike, value: t.Expression, kind: DeclarationKind): void {
  const em = cx.em;
  if (pattern.type === "AssignmentPattern" && !cx.suspends(pattern)) {
    // A default that does not suspend: one conditional expression.
    const current = cx.keep(value);
    const chosen = t.conditionalExpression(
      t.binaryExpression("===", cx.em.tempAgain(current), t.identifier("undefined")),
      named(pattern.right, pattern.left),
      cx.em.tempAgain(current),
    );
    cx.pattern(pattern.left, chosen, kind);
    return;
  }
  if (!cx.suspends(pattern)) {
    if (kind) em.emit(t.variableDeclaration(kind as "let", [t.variableDeclarator(pattern as t.LVal, value)]), pattern);
    else em.emitAssign(pattern as t.LVal, value, pattern);
    return;
  }
  switch (pattern.type) {
    case "AssignmentPattern": {
      // `target = default`: the default runs only when the value is undefined.
      const current = cx.keep(value);
      explodeDefault(cx, current, named(pattern.right, pattern.left));
      cx.pattern(pattern.left, cx.em.tempAgain(current), kind);
      return;
    }
    case "ObjectPattern":
      explodeObjectPattern(cx, pattern, value, kind);
      return;
    case "ArrayPattern":
      explodeArrayPattern(cx, pattern, value, kind);
      return;
    case "MemberExpression": {
      if (pattern.object.type === "Super") {
        const key = pattern.computed ? cx.hold(cx.expression(pattern.property as t.Expression)) : pattern.property;
        em.emitAssign(cx.superTargetLike(pattern, t.memberExpression(pattern.object, key, pattern.computed)), value, pattern);
        return;
      }
      const [object, property] = operands(cx, [pattern.object as t.Expression, pattern.computed ? (pattern.property as t.Expression) : null]);
      em.emitAssign(t.memberExpression(object!, pattern.computed ? property! : pattern.property, pattern.computed), value, pattern);
      return;
    }
    default:
      unsupported(`\`await\` inside a ${pattern.type} pattern`, pattern);
  }
}

/** `if (current === undefined) current = <default>` */
function explodeDefault(cx: Exploder, current: t.MemberExpression, fallback: t.Expression): void {
  const em = cx.em;
  const skip = new Label();
  em.jumpIf(t.binaryExpression("!==", cx.em.tempAgain(current), t.identifier("undefined")), skip);
  em.emitAssign(cx.em.tempAgain(current), cx.expression(fallback), fallback);
  em.mark(skip);
}

/**
 * A member target of an assignment pattern is resolved (object and key evaluated) before the value it
 * receives is read, and before that value's default runs.
 */
function resolveTarget(cx: Exploder, target: t.LVal | t.PatternLike, kind: DeclarationKind): t.LVal | t.PatternLike {
  if (kind) return target;
  if (t.isAssignmentPattern(target)) return t.assignmentPattern(resolveTarget(cx, target.left, kind) as t.AssignmentPattern["left"], target.right);
  if (!t.isMemberExpression(target)) return target;
  if (target.object.type === "Super") {
    if (!target.computed) return target;
    return cx.superTargetLike(target, t.memberExpression(target.object, cx.hold(cx.expression(target.property as t.Expression)), true));
  }
  const [object, property] = operands(cx, [target.object as t.Expression, target.computed ? (target.property as t.Expression) : null], undefined, true);
  return t.memberExpression(object!, target.computed ? property! : target.property, target.computed);
}

function explodeObjectPattern(cx: Exploder, pattern: t.ObjectPattern, value: t.Expression, kind: DeclarationKind): void {
  const em = cx.em;
  const source = cx.keep(value);
  // RequireObjectCoercible, as destructuring does before reading anything.
  em.emit(t.expressionStatement(em.helper("requireObjectCoercible", [cx.em.tempAgain(source)])));
  const keys: t.Expression[] = [];
  for (const property of pattern.properties) {
    if (property.type === "RestElement") {
      const rest = em.helper("objectRest", [cx.em.tempAgain(source), t.arrayExpression(keys.map((key) => cx.copy(key)))]);
      cx.pattern(resolveTarget(cx, property.argument, kind), rest, kind);
      continue;
    }
    let key: t.Expression;
    if (property.computed) {
      key = cx.keep(em.helper("toPropertyKey", [cx.expression(property.key as t.Expression)]));
    } else if (t.isIdentifier(property.key)) {
      key = t.stringLiteral(property.key.name);
    } else {
      key = t.stringLiteral(String((property.key as t.StringLiteral | t.NumericLiteral).value));
    }
    keys.push(key);
    const target = resolveTarget(cx, property.value as t.LVal, kind);
    const read = t.memberExpression(cx.em.tempAgain(source), cx.copy(key), true);
    cx.pattern(target, read, kind);
  }
}

function explodeArrayPattern(cx: Exploder, pattern: t.ArrayPattern, value: t.Expression, kind: DeclarationKind): void {
  const em = cx.em;
  const outerDepth = em.tryDepth;
  const record = cx.keep(em.helper("iterate", [value]));
  const entry = em.openTry(false, true);
  for (const element of pattern.elements) {
    if (element === null) {
      em.emit(t.expressionStatement(em.helper("nextValue", [cx.em.tempAgain(record)])));
      continue;
    }
    if (element.type === "RestElement") {
      const target = resolveTarget(cx, element.argument, kind);
      const rest = em.helper("restValues", [cx.em.tempAgain(record)]);
      cx.pattern(target, rest, kind);
      continue;
    }
    const target = resolveTarget(cx, element, kind);
    const next = em.helper("nextValue", [cx.em.tempAgain(record)]);
    cx.pattern(target, next, kind);
  }
  em.jump(em.tries[entry].end, outerDepth);
  em.enterFinally(entry);
  em.emit(t.returnStatement(em.helper("closeIterator", [t.thisExpression(), t.numericLiteral(entry), cx.em.tempAgain(record)])));
  em.closeTry(entry);
}
