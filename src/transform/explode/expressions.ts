// Exploding an expression that contains `await`: its parts are evaluated in the spec's order, each
// `await` ends the current state, and its result arrives in the next state as `sent`. A part evaluated
// before a later `await` is kept in a temp field (`this.$0`), unless it cannot change in the meantime
// (a literal, `this`, a binding that is never reassigned, a temp).
import * as t from "../types.ts";
import { compoundOperator, jsxNameToExpression, toJSXName } from "../ast.ts";
import { unsupported } from "../errors.ts";
import { named, namedByKey } from "../names.ts";
import { Label, negatedTest } from "./emitter.ts";
import type { Exploder } from "./exploder.ts";
import { operands, operandsWithSpread } from "./operands.ts";
import { calleeText, quoteTemp } from "./source-text.ts";
import { evaluatedWhereDefined } from "../analyze/suspends.ts";

export function explodeExpression(cx: Exploder, expr: t.Expression, ignoreResult = false): t.Expression {
  if (!cx.suspends(expr)) return expr;
  const em = cx.em;

  switch (expr.type) {
    case "AwaitExpression": {
      const operand = cx.expression(expr.argument);
      const next = new Label();
      em.emit(t.returnStatement(em.call("await", [operand, next.ref()], cx.facts.get(expr)?.placedAt ?? expr)), expr);
      em.mark(next);
      return cx.sent();
    }

    case "MemberExpression": {
      if (expr.object.type === "Super") {
        return expr.computed ? t.memberExpression(expr.object, cx.expression(expr.property as t.Expression), true) : expr;
      }
      const [object, property] = operands(cx, [expr.object, expr.computed ? (expr.property as t.Expression) : null]);
      return t.memberExpression(object!, expr.computed ? property! : expr.property, expr.computed);
    }

    case "CallExpression":
    case "NewExpression":
      return explodeCall(cx, expr);

    case "OptionalMemberExpression":
    case "OptionalCallExpression":
      return explodeOptionalChain(cx, expr, ignoreResult);

    case "BinaryExpression": {
      if (expr.left.type === "PrivateName") {
        return t.binaryExpression(expr.operator, expr.left, cx.expression(expr.right));
      }
      const [left, right] = operands(cx, [expr.left, expr.right]);
      return t.binaryExpression(expr.operator, left!, right!);
    }

    case "LogicalExpression":
      return explodeLogical(cx, expr, ignoreResult);

    case "ConditionalExpression": {
      const test = cx.expression(expr.test);
      if (!cx.suspends(expr.consequent) && !cx.suspends(expr.alternate)) {
        return t.conditionalExpression(test, expr.consequent, expr.alternate);
      }
      const result = ignoreResult ? null : em.temp();
      const elseLabel = new Label();
      const after = new Label();
      em.jumpIf(negatedTest(test), elseLabel);
      storeResult(cx, result, expr.consequent);
      em.jump(after);
      em.mark(elseLabel);
      storeResult(cx, result, expr.alternate);
      em.mark(after);
      return result ?? t.identifier("undefined");
    }

    case "UnaryExpression": {
      // (`delete o.x!` deletes o.x: the types aside, a member)
      const argument = expr.operator === "delete" ? (withoutTypes(expr.argument) as t.Expression) : expr.argument;
      if (expr.operator === "delete" && t.isOptionalMemberExpression(argument)) {
        // `delete a?.[await k]` is true when the chain short-circuits.
        const { object, key } = chainWithThis(cx, argument);
        return t.conditionalExpression(
          t.binaryExpression("==", t.cloneNode(object), t.nullLiteral()),
          t.booleanLiteral(true),
          t.unaryExpression("delete", t.memberExpression(object, key!, true)),
        );
      }
      if (expr.operator === "delete" && t.isMemberExpression(argument)) {
        const member = cx.expression(argument);
        return t.unaryExpression("delete", member);
      }
      if (expr.operator === "delete") {
        // `delete <value>` evaluates the value and is true: only references can be deleted.
        return t.sequenceExpression([cx.expression(argument), t.booleanLiteral(true)]);
      }
      return t.unaryExpression(expr.operator, expr.operator === "typeof" ? valueOf(cx, argument, cx.expression(argument)) : cx.expression(argument));
    }

    case "UpdateExpression": {
      // Only a member target can hold an await (`o[await k]++`).
      const target = cx.expression(expr.argument);
      return t.updateExpression(expr.operator, target as t.MemberExpression, expr.prefix);
    }

    case "AssignmentExpression":
      return explodeAssignment(cx, expr, ignoreResult);

    case "SequenceExpression": {
      const last = expr.expressions.length - 1;
      expr.expressions.forEach((item, i) => {
        if (i === last) return;
        const value = cx.expression(item, true);
        if (!cx.isSent(value)) em.emit(t.expressionStatement(value), item);
      });
      return cx.expression(expr.expressions[last], ignoreResult);
    }

    case "ArrayExpression": {
      const elements = operandsWithSpread(cx, expr.elements);
      return t.arrayExpression(elements);
    }

    case "ObjectExpression":
      return explodeObject(cx, expr);

    case "TemplateLiteral": {
      // A substitution is converted to a string where it stands, so an earlier one is kept as a string.
      const values = operands(cx, expr.expressions as t.Expression[], (value) =>
        t.templateLiteral([t.templateElement({ raw: "" }), t.templateElement({ raw: "" }, true)], [value]),
      );
      return t.templateLiteral(expr.quasis, values as t.Expression[]);
    }

    case "TaggedTemplateExpression": {
      // (`(o.t as T)\`...\``: the types aside, a method)
      const tagged = withoutTypes(expr.tag) as t.Expression;
      if (!cx.suspends(expr.quasi)) {
        return t.taggedTemplateExpression(valueOf(cx, expr.tag, cx.expression(expr.tag)), expr.quasi);
      }
      let tag: t.Expression;
      if (t.isMemberExpression(tagged) && tagged.object.type !== "Super") {
        // The tag is called with its object as `this`: keep both, fetched before the awaits.
        const [object, property] = operands(cx, [tagged.object, tagged.computed ? (tagged.property as t.Expression) : null], undefined, true, expr.quasi.expressions);
        const method = cx.keep(t.memberExpression(object!, tagged.computed ? property! : tagged.property, tagged.computed));
        // Called with its object as `this` once the substitutions have run (a missing tag throws then).
        tag = cx.em.helper("bindMethod", [method, cx.copy(object!)]);
      } else if (t.isMemberExpression(tagged)) {
        // `super.tag\`...\``: called with this function's `this`.
        const method = cx.keep(cx.expression(tagged));
        tag = cx.keep(cx.em.helper("bindMethod", [method, cx.userThis()]));
      } else {
        const value = cx.expression(expr.tag);
        tag = cx.isStable(value) && !t.isMemberExpression(value) ? value : t.sequenceExpression([t.numericLiteral(0), cx.keep(value)]);
      }
      const values = operands(cx, expr.quasi.expressions as t.Expression[]);
      return t.taggedTemplateExpression(tag, t.templateLiteral(expr.quasi.quasis, values as t.Expression[]));
    }

    case "ClassExpression":
      return explodeClass(cx, expr);

    case "ParenthesizedExpression":
      return cx.expression(expr.expression, ignoreResult);

    case "TSAsExpression":
    case "TSSatisfiesExpression":
    case "TSNonNullExpression":
    case "TSTypeAssertion":
    case "TypeCastExpression":
      return cx.expression(expr.expression, ignoreResult);

    case "JSXElement":
    case "JSXFragment":
      return explodeJSX(cx, expr);

    case "YieldExpression": {
      // `yield v` hands v to the caller of next(); `yield* it` lets the runtime delegate to `it` (a function
      // of the runtime's, not a member: an app without yield* does not carry the forwarding).
      const operand = expr.argument ? cx.expression(expr.argument) : t.identifier("undefined");
      const next = new Label();
      // (a yield*'s 4th argument: how V8 words its TypeError if `it` is not iterable, analyze/yield-star-quotes.ts)
      const quote = expr.delegate ? em.yieldStarQuotes.get(expr) : undefined;
      const words = quote === undefined ? [] : [typeof quote === "number" ? t.numericLiteral(quote) : t.stringLiteral(quote)];
      const instruction = expr.delegate ? em.helper(em.isAsync ? "delegateAsync" : "delegate", [t.thisExpression(), operand, next.ref(), ...words]) : em.call("yield", [operand, next.ref()], expr);
      em.emit(t.returnStatement(instruction), expr);
      em.mark(next);
      return cx.sent();
    }

    default:
      return unsupported(`\`await\` inside ${expr.type}`, expr);
  }
}

/**
 * JSX evaluates a component's name, then the attribute values, then the children, left to right (as the
 * createElement/jsx call it compiles to does): each is an operand, and the element keeps its shape around
 * the values (a component held in a temp is named `<this.$0>`).
 */
function explodeJSX(cx: Exploder, root: t.JSXElement | t.JSXFragment): t.Expression {
  const slots: { part: t.Expression; set: (value: t.Expression) => void }[] = [];
  const container = (holder: t.JSXExpressionContainer | t.JSXSpreadChild) => {
    if (holder.expression.type !== "JSXEmptyExpression") {
      slots.push({ part: holder.expression, set: (value) => (holder.expression = value) });
    }
  };
  const visit = (node: t.JSXElement | t.JSXFragment) => {
    if (node.type === "JSXElement") {
      const opening = node.openingElement;
      const name = opening.name;
      // A lowercase name is a tag string; a capitalized or dotted one is a value read first.
      if (name.type === "JSXMemberExpression" || (name.type === "JSXIdentifier" && !/^[a-z]/.test(name.name))) {
        slots.push({
          part: jsxNameToExpression(cx.facts, name),
          set: (value) => {
            opening.name = toJSXName(cx.facts, value);
            if (node.closingElement) node.closingElement.name = toJSXName(cx.facts, value);
          },
        });
      }
      for (const attribute of opening.attributes) {
        if (attribute.type === "JSXSpreadAttribute") {
          slots.push({ part: attribute.argument, set: (value) => (attribute.argument = value) });
        } else if (attribute.value?.type === "JSXExpressionContainer") {
          container(attribute.value);
        } else if (attribute.value?.type === "JSXElement" || attribute.value?.type === "JSXFragment") {
          visit(attribute.value);
        }
      }
    }
    for (const child of node.children) {
      if (child.type === "JSXExpressionContainer" || child.type === "JSXSpreadChild") container(child);
      else if (child.type === "JSXElement" || child.type === "JSXFragment") visit(child);
    }
  };
  visit(root);
  const values = operands(cx, slots.map((slot) => slot.part));
  slots.forEach((slot, i) => {
    if (values[i] !== slot.part) slot.set(values[i]!);
  });
  return root;
}

/** `target = <expr>` into a temp (or, when the result is unused, just evaluate it). */
function storeResult(cx: Exploder, target: t.MemberExpression | null, expr: t.Expression): void {
  const value = cx.expression(expr, target === null);
  if (target) cx.em.emitAssign(t.cloneNode(target), value, expr);
  else if (!cx.isSent(value)) cx.em.emit(t.expressionStatement(value), expr);
}

function explodeCall(cx: Exploder, expr: t.CallExpression | t.NewExpression): t.Expression {
  const argsSuspend = expr.arguments.some((arg) => cx.suspends(arg));
  // (`o.m!()`, `(o.m as F)()`: types aside, a method call)
  const callee = withoutTypes(expr.callee);
  const build = (fn: t.Expression | t.V8IntrinsicIdentifier | t.Super | t.Import, args: (t.Expression | t.SpreadElement | null)[]) =>
    expr.type === "NewExpression"
      ? t.newExpression(fn as t.Expression, args as t.Expression[])
      : t.callExpression(fn as t.Expression, args as t.Expression[]);

  if (callee.type === "Super" || callee.type === "Import" || callee.type === "V8IntrinsicIdentifier") {
    return build(callee, operandsWithSpread(cx, expr.arguments));
  }

  if (expr.type === "CallExpression" && t.isMemberExpression(callee) && callee.object.type === "Super" && argsSuspend) {
    // `super.m(await x)`: the method is read before the arguments run, and called with this function's `this`.
    const key = callee.computed ? cx.hold(cx.expression(callee.property as t.Expression)) : callee.property;
    const method = cx.keep(t.memberExpression(callee.object, key, callee.computed));
    const args = operandsWithSpread(cx, expr.arguments);
    return cx.em.helper("callMethod", [method, cx.userThis(), ...(args as t.Expression[])]);
  }

  if (expr.type === "CallExpression" && (t.isOptionalMemberExpression(callee) || t.isOptionalCallExpression(callee)) && (argsSuspend || cx.suspends(callee))) {
    // `(a?.b)(await x)`: the chain gives the method (undefined if it short-circuits), called with its object.
    // (V8 quotes a parenthesized chain as the intermediate value it is)
    const text = callee.extra?.parenthesized ? "(intermediate value)" : calleeText(callee, cx.facts);
    const { object, value } = chainWithThis(cx, callee);
    const args = operandsWithSpread(cx, expr.arguments);
    return callKept(cx, value, object, text, args);
  }

  if (expr.type === "CallExpression" && t.isMemberExpression(callee) && callee.object.type !== "Super") {
    if (!argsSuspend) {
      // Only the callee suspends: `(await x).m(1)`.
      const member = cx.expression(callee) as t.MemberExpression;
      return t.callExpression(member, expr.arguments);
    }
    // The method is fetched from its object before the arguments are evaluated; call it with that object.
    const text = calleeText(callee, cx.facts);
    const [object, property] = operands(cx, [callee.object, callee.computed ? (callee.property as t.Expression) : null], undefined, true, expr.arguments);
    const method = cx.keep(t.memberExpression(object!, callee.computed ? property! : callee.property, callee.computed));
    const args = operandsWithSpread(cx, expr.arguments);
    return callKept(cx, method, object!, text, args);
  }

  if (!argsSuspend) return build(valueOf(cx, callee, cx.expression(callee as t.Expression)), expr.arguments as t.Expression[]);
  const text = calleeText(callee, cx.facts);
  const fn = cx.expression(callee as t.Expression);
  // A kept callee is read from a field: call it detached, as the original call did (`(0, this.$0)()`).
  const kept = cx.isStable(fn) || cx.unchangedUntilUsed(fn, expr.arguments) ? fn : t.sequenceExpression([t.numericLiteral(0), quoteTemp(cx.keep(fn), text)]);
  return build(t.isMemberExpression(kept) ? t.sequenceExpression([t.numericLiteral(0), kept]) : kept, operandsWithSpread(cx, expr.arguments));
}

/**
 * What an operand that was no reference in the source (`(await a, o.m)`, whose comma gives o.m's value)
 * explodes to, where a reference would change the result: `(0, o.m)`, so that a call of it gets no `this`
 * and `typeof` of an undeclared name throws, as the engine does with the comma's value.
 */
function valueOf(cx: Exploder, source: t.Node, value: t.Expression): t.Expression {
  const bare = withoutTypes(source);
  const reference = bare.type === "Identifier" || bare.type === "MemberExpression" || bare.type === "OptionalMemberExpression";
  // (the value sent back by an await or yield is no reference of the source's)
  const named = value.type === "MemberExpression" || (value.type === "Identifier" && !cx.isSent(value));
  return !reference && named ? t.sequenceExpression([t.numericLiteral(0), value]) : value;
}

/** An expression without the TypeScript (or Flow) wrappers around it, which change nothing it evaluates. */
function withoutTypes<T extends t.Node>(node: T): T | t.Expression {
  let inner: t.Node = node;
  while (
    inner.type === "TSAsExpression" ||
    inner.type === "TSSatisfiesExpression" ||
    inner.type === "TSNonNullExpression" ||
    inner.type === "TSTypeAssertion" ||
    inner.type === "TypeCastExpression" ||
    inner.type === "ParenthesizedExpression"
  ) {
    inner = inner.expression;
  }
  return inner as T | t.Expression;
}

/**
 * A method read before its arguments ran, called with its object: `callMethod(this.$0, this.o, sent)`, or,
 * where V8 would quote the method's source text if it is no function, `callNamed(this.$0, this.o, "o.m",
 * sent)`, which throws that message itself (the engine's apply would name the value).
 */
function callKept(cx: Exploder, fn: t.Expression, thisValue: t.Expression, text: string | null, args: (t.Expression | t.SpreadElement | null)[]): t.Expression {
  if (text === null) return cx.em.helper("callMethod", [fn, thisValue, ...(args as t.Expression[])]);
  return cx.em.helper("callNamed", [fn, thisValue, t.stringLiteral(text), ...(args as t.Expression[])]);
}

function explodeLogical(cx: Exploder, expr: t.LogicalExpression, ignoreResult: boolean): t.Expression {
  const em = cx.em;
  if (!cx.suspends(expr.right)) {
    return t.logicalExpression(expr.operator, cx.expression(expr.left), expr.right);
  }
  const after = new Label();
  const left = cx.expression(expr.left);
  if (ignoreResult) {
    em.jumpIf(shortCircuits(expr.operator, left), after);
    storeResult(cx, null, expr.right);
    em.mark(after);
    return t.identifier("undefined");
  }
  const result = em.temp();
  em.emitAssign(result, left, expr);
  em.jumpIf(shortCircuits(expr.operator, t.cloneNode(result)), after);
  storeResult(cx, result, expr.right);
  em.mark(after);
  return t.cloneNode(result);
}

/** The condition under which `left <op> right` does not evaluate `right`. */
function shortCircuits(operator: "&&" | "||" | "??", left: t.Expression): t.Expression {
  if (operator === "&&") return negatedTest(left);
  if (operator === "||") return left;
  return t.binaryExpression("!=", left, t.nullLiteral());
}

function explodeAssignment(cx: Exploder, expr: t.AssignmentExpression, ignoreResult: boolean): t.Expression {
  const em = cx.em;
  const { operator } = expr;
  // (`o.x! = await v`, `(x as T) = await v`: the types assign nothing)
  const left = withoutTypes(expr.left) as t.AssignmentExpression["left"];

  if (t.isPattern(left)) {
    const value = cx.expression(expr.right);
    if (!cx.suspends(left)) return t.assignmentExpression(operator, left, value);
    // The expression's value is the right side, whatever the pattern does with it.
    const kept = ignoreResult ? value : cx.hold(value);
    cx.pattern(left, ignoreResult ? kept : cx.copy(kept), null);
    return ignoreResult ? t.identifier("undefined") : kept;
  }

  // Resolve the target first: an identifier needs nothing, a member needs its object and key.
  let target: t.Identifier | t.MemberExpression;
  if (t.isIdentifier(left)) {
    target = left;
  } else if (t.isMemberExpression(left)) {
    if (left.object.type === "Super") {
      const key = left.computed ? cx.hold(cx.expression(left.property as t.Expression)) : left.property;
      target = t.memberExpression(left.object, key, left.computed);
    } else {
      const [object, property] = operands(cx, [left.object, left.computed ? (left.property as t.Expression) : null], undefined, operator !== "=" || cx.suspends(expr.right), [expr.right]);
      target = t.memberExpression(object!, left.computed ? property! : left.property, left.computed);
      // (in the source's place: the engine places a failed assignment at the operator after it, print.ts)
      Object.assign(target, { start: left.start, end: left.end, loc: left.loc });
    }
  } else {
    return unsupported(`\`await\` in an assignment to ${left.type}`, left);
  }

  if (operator === "=") return t.assignmentExpression("=", target, cx.expression(expr.right));

  // `x op= v` reads x first: in x's temporal dead zone that read throws, before the right side runs.
  const read = () => {
    const copy = cx.copy(target);
    if (copy.type === "Identifier" && cx.facts.get(left)?.checkedWrite) cx.facts.set(copy, "checkedRead", true);
    return copy;
  };
  const { logical, binary } = compoundOperator(operator);
  if (logical) {
    const after = new Label();
    const current = ignoreResult ? read() : cx.keep(read());
    em.jumpIf(shortCircuits(logical, current), after);
    const value = cx.expression(expr.right);
    const assigned = t.assignmentExpression("=", cx.copy(target), value);
    if (ignoreResult) em.emit(t.expressionStatement(assigned), expr);
    else em.emitAssign(t.cloneNode(current as t.MemberExpression), assigned, expr);
    em.mark(after);
    return ignoreResult ? t.identifier("undefined") : t.cloneNode(current);
  }

  // Compound assignment reads the target before the right side runs (`x += await y` sees the old x): into a
  // temp, unless nothing but the right side could change it meanwhile and the right side does not.
  const current = read();
  if (cx.unchangedUntilUsed(current, [expr.right])) return t.assignmentExpression(operator, cx.copy(target), cx.expression(expr.right));
  const before = cx.keep(current);
  const value = cx.expression(expr.right);
  return t.assignmentExpression("=", cx.copy(target), t.binaryExpression(binary, before, value));
}

function explodeObject(cx: Exploder, expr: t.ObjectExpression): t.Expression {
  // Flatten into evaluation steps: each property contributes its key (if computed) and its value.
  // `name`: the property's key, which names an anonymous function or class value (a computed key by the
  // step before, whose value is by then a property key held in a temp).
  type Step = { expr: t.Expression | null; spread?: boolean; key?: boolean; name?: t.Identifier | t.StringLiteral | t.NumericLiteral | "computed" };
  const steps: Step[] = [];
  for (const property of expr.properties) {
    if (property.type === "SpreadElement") steps.push({ expr: property.argument, spread: true });
    else if (property.type === "ObjectMethod") steps.push({ expr: property.computed ? property.key : null, key: true });
    else {
      steps.push({ expr: property.computed ? (property.key as t.Expression) : null, key: true });
      const key = property.key;
      const literal = t.isIdentifier(key) || t.isStringLiteral(key) || t.isNumericLiteral(key);
      const proto = (t.isIdentifier(key) && key.name === "__proto__") || (t.isStringLiteral(key) && key.value === "__proto__");
      const name = property.computed ? "computed" : literal && !proto ? key : undefined;
      steps.push({ expr: property.value as t.Expression, name });
    }
  }
  let last = -1;
  steps.forEach((step, i) => {
    if (step.expr && cx.suspends(step.expr)) last = i;
  });
  const values: (t.Expression | null)[] = [];
  steps.forEach((step, i) => {
    values.push(stepValue(step, i));
  });
  function stepValue(step: Step, i: number): t.Expression | null {
    if (!step.expr || i > last) return step.expr;
    let value = cx.expression(step.expr);
    // `{ C: class {} }` names the class `C`, also when the class is kept in a temp first.
    if (step.name && i !== last) {
      if (step.name === "computed") value = namedByKey(value, values[i - 1]!, true);
      else if (t.isIdentifier(step.name)) value = named(value, step.name);
      else value = namedByKey(value, step.name, false);
    }
    if (i === last) return value;
    // A spread copies the source's properties where it stands; keep the copy.
    if (step.spread) return cx.keep(t.objectExpression([t.spreadElement(value)]));
    // A computed key is converted to a property key where it stands.
    if (step.key) return cx.keep(cx.em.helper("toPropertyKey", [value]));
    return cx.isStable(value) ? value : cx.keep(value);
  }
  let k = 0;
  const properties = expr.properties.map((property) => {
    if (property.type === "SpreadElement") return t.spreadElement(values[k++]!);
    if (property.type === "ObjectMethod") {
      const key = values[k++];
      if (key) property.key = key;
      return property;
    }
    const key = values[k++];
    const value = values[k++]!;
    if (property.shorthand && t.isIdentifier(property.key, { name: "__proto__" })) {
      return t.objectProperty(t.stringLiteral("__proto__"), value, true, false);
    }
    return t.objectProperty(key ?? property.key, value, property.computed, false);
  });
  return t.objectExpression(properties);
}

/**
 * `a?.b(await x)`: when `a` is nullish the whole chain is `undefined` and nothing after `?.` runs.
 * The chain is evaluated link by link into a temp, with a jump out at each `?.`.
 */
function explodeOptionalChain(
  cx: Exploder,
  expr: t.OptionalMemberExpression | t.OptionalCallExpression,
  ignoreResult: boolean,
): t.Expression {
  const em = cx.em;
  const result = em.temp();
  const nullish = new Label();
  const after = new Label();

  // Returns [value, thisValue] of a link, emitting jumps to `nullish` at each optional link.
  const [value] = chainLink(cx, expr, nullish);
  em.emitAssign(t.cloneNode(result), value, expr);
  em.jump(after);
  em.mark(nullish);
  em.emitAssign(t.cloneNode(result), t.identifier("undefined"));
  em.mark(after);
  return ignoreResult ? t.identifier("undefined") : t.cloneNode(result);
}

/**
 * `@(await dec()) class extends (await base()) { @(await d()) [await key()]() {} }`: what a class evaluates
 * where it is defined, in the order of the decorators proposal: the class's decorators, the heritage, then
 * each member's decorators and computed key. Each part before the last that awaits is held in a temp (a key
 * converted to a property key where it stands); the parts after it stay in place.
 */
export function explodeClass<T extends t.ClassExpression | t.ClassDeclaration>(cx: Exploder, cls: T): T {
  /** Each part and how to put its value back. */
  const parts: { part: t.Expression; key: boolean; put: (value: t.Expression) => void }[] = [];
  for (const decorator of cls.decorators ?? []) parts.push({ part: decorator.expression, key: false, put: (value) => void (decorator.expression = value) });
  if (cls.superClass) parts.push({ part: cls.superClass, key: false, put: (value) => void (cls.superClass = value) });
  // (a member that is a type only, which TypeScript erases, evaluates nothing; its key stays as written, to
  // go with it: an overload's signature, a `declare` field, an abstract member)
  for (const member of cls.body.body) {
    const own = typeOnly(member) ? null : evaluatedWhereDefined(member);
    if (!own) continue;
    for (const decorator of own.decorators) parts.push({ part: decorator.expression, key: false, put: (value) => void (decorator.expression = value) });
    if (own.key) parts.push({ part: own.key, key: true, put: (value) => void ((member as { key: t.Expression }).key = value) });
  }
  let last = -1;
  parts.forEach(({ part }, i) => {
    if (cx.suspends(part)) last = i;
  });
  for (let i = 0; i <= last; i++) {
    const { part, key, put } = parts[i];
    const value = cx.expression(part);
    put(i === last ? value : key ? cx.keep(cx.em.helper("toPropertyKey", [value])) : cx.hold(value));
  }
  return cls;
}

/** A class member TypeScript erases: an overload's signature, a `declare` field, an abstract member. */
function typeOnly(member: t.ClassBody["body"][number]): boolean {
  if (member.type === "TSDeclareMethod" || member.type === "TSIndexSignature") return true;
  return ("declare" in member && member.declare === true) || ("abstract" in member && member.abstract === true);
}

/**
 * One link of an optional chain, evaluated into temps: returns the link's value and, for a member, the
 * object it was read from (the `this` of a call). Each `?.` jumps to `nullish` when its base is nullish.
 */
function chainLink(cx: Exploder, node: t.Expression, nullish: Label): [t.Expression, t.Expression | null] {
  const em = cx.em;
  if ((node.type === "MemberExpression" || node.type === "OptionalMemberExpression") && node.object.type === "Super") {
    const key = node.computed ? cx.hold(cx.expression(node.property as t.Expression)) : node.property;
    return [cx.keep(t.memberExpression(node.object, key, node.computed)), cx.userThis()];
  }
  if (node.type === "OptionalMemberExpression" || node.type === "MemberExpression") {
    const [objectValue] = chainLink(cx, node.object as t.Expression, nullish);
    const object = cx.hold(objectValue);
    if (node.type === "OptionalMemberExpression" && node.optional) {
      em.jumpIf(t.binaryExpression("==", cx.copy(object), t.nullLiteral()), nullish);
    }
    const key = node.computed ? cx.keep(cx.expression(node.property as t.Expression)) : node.property;
    return [t.memberExpression(cx.copy(object), key, node.computed), cx.copy(object)];
  }
  if (node.type === "OptionalCallExpression") {
    const text = calleeText(node.callee, cx.facts);
    const [calleeValue, thisValue] = chainLink(cx, node.callee as t.Expression, nullish);
    const fn = cx.hold(calleeValue);
    if (node.optional) em.jumpIf(t.binaryExpression("==", cx.copy(fn), t.nullLiteral()), nullish);
    const args = operandsWithSpread(cx, node.arguments);
    const call = thisValue
      ? callKept(cx, cx.copy(fn), thisValue, text, args)
      : t.callExpression(t.isMemberExpression(fn) ? t.sequenceExpression([t.numericLiteral(0), cx.copy(fn)]) : cx.copy(fn), args as t.Expression[]);
    return [call, null];
  }
  return [cx.expression(node), null];
}

/**
 * The callee of `(a?.b)(await x)` or the operand of `delete a?.[await k]`: the chain's value and `this`
 * in temps, both `undefined` when the chain short-circuits.
 */
function chainWithThis(cx: Exploder, chain: t.Expression): { object: t.MemberExpression; key: t.Expression | null; value: t.MemberExpression } {
  const em = cx.em;
  const nullish = new Label();
  const after = new Label();
  const object = em.temp();
  const value = em.temp();
  let key: t.Expression | null = null;
  if (chain.type === "OptionalMemberExpression") {
    // The last link is read here so that `delete` can use object and key.
    const [base] = chainLink(cx, chain.object, nullish);
    em.emitAssign(t.cloneNode(object), base, chain);
    if (chain.optional) em.jumpIf(t.binaryExpression("==", t.cloneNode(object), t.nullLiteral()), nullish);
    key = chain.computed ? cx.keep(cx.expression(chain.property as t.Expression)) : t.stringLiteral((chain.property as t.Identifier).name);
    em.emitAssign(t.cloneNode(value), t.memberExpression(t.cloneNode(object), cx.copy(key), true));
  } else {
    const [fn, self] = chainLink(cx, chain, nullish);
    em.emitAssign(t.cloneNode(object), self ?? t.identifier("undefined"));
    em.emitAssign(t.cloneNode(value), fn, chain);
  }
  em.jump(after);
  em.mark(nullish);
  em.emitAssign(t.cloneNode(object), t.identifier("undefined"));
  em.emitAssign(t.cloneNode(value), t.identifier("undefined"));
  em.mark(after);
  return { object: t.cloneNode(object), key, value: t.cloneNode(value) };
}
