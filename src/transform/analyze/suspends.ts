// Which nodes suspend: an `await`, a `yield` or a `for await` that belongs to the function being lowered.
// Nested functions are boundaries; everything else is searched, so that only the statements and
// expressions holding a suspension point get exploded into states.
import * as t from "../types.ts";
import type { FactsStore } from "../facts.ts";

/**
 * What of a function or class member is evaluated where it stands, not in its own body: a method's or
 * field's decorators and computed key (null: nothing, a plain function).
 */
export function evaluatedWhereDefined(node: t.Node): { decorators: t.Decorator[]; key: t.Expression | null } | null {
  if (t.isFunction(node) ? node.type !== "ObjectMethod" && node.type !== "ClassMethod" && node.type !== "ClassPrivateMethod" : node.type !== "ClassProperty" && node.type !== "ClassPrivateProperty" && node.type !== "ClassAccessorProperty") return null;
  const member = node as t.ObjectMethod | t.ClassMethod | t.ClassPrivateMethod | t.ClassProperty | t.ClassPrivateProperty | t.ClassAccessorProperty;
  return { decorators: ("decorators" in member && member.decorators) || [], key: "computed" in member && member.computed ? (member.key as t.Expression) : null };
}

/** Whether the parts of a member `evaluatedWhereDefined` finds all pass `test`. */
function everyPartWhereDefined(parts: ReturnType<typeof evaluatedWhereDefined>, test: (part: t.Node) => boolean): boolean {
  return parts === null || (parts.decorators.every((decorator) => test(decorator.expression)) && (parts.key === null || test(parts.key)));
}

export function containsSuspend(facts: FactsStore, node: t.Node | null | undefined): boolean {
  if (!node) return false;
  const record = facts.of(node);
  record.suspends ??= computeSuspend(facts, node);
  return record.suspends;
}

function computeSuspend(facts: FactsStore, node: t.Node): boolean {
  if (node.type === "AwaitExpression" || node.type === "YieldExpression") return true;
  if (node.type === "ForOfStatement" && node.await) return true; // each step awaits next()
  // (a function's body, a field's value and a static block run later, in a scope of their own)
  const outside = evaluatedWhereDefined(node);
  if (outside) return !everyPartWhereDefined(outside, (part) => !containsSuspend(facts, part));
  if (t.isFunction(node) || node.type === "StaticBlock") return false;
  const keys = t.VISITOR_KEYS[node.type] ?? [];
  for (const key of keys) {
    const child = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(child)) {
      for (const item of child) if (item && typeof item === "object" && containsSuspend(facts, item as t.Node)) return true;
    } else if (child && typeof child === "object" && containsSuspend(facts, child as t.Node)) {
      return true;
    }
  }
  return false;
}

/**
 * Does `root` hold a `return`, `break` or `continue` that leaves `root` from inside a construct with
 * cleanup (`try ... finally`, `for-of`, which closes its iterator)? Such a statement cannot be kept as
 * written: the jump out of it is a state change, and the cleanup, run natively after it, could throw into
 * the wrong state. It is exploded, and the runtime runs the cleanup states in order.
 */
export function leavesThroughCleanup(facts: FactsStore, root: t.Node): boolean {
  const record = facts.of(root);
  if (record.leavesThroughCleanup !== undefined) return record.leavesThroughCleanup;
  let found = false;
  const walk = (node: t.Node, labels: Set<string>, loops: number, switches: number, cleanup: number): void => {
    if (found) return;
    if (t.isFunction(node) || t.isClass(node)) return;
    switch (node.type) {
      case "ReturnStatement":
        if (cleanup > 0) found = true;
        return;
      case "BreakStatement":
      case "ContinueStatement": {
        const inside = node.label
          ? labels.has(node.label.name)
          : node.type === "BreakStatement"
            ? loops + switches > 0
            : loops > 0;
        if (!inside && cleanup > 0) found = true;
        return;
      }
      default:
        break;
    }
    const isLoop = t.isLoop(node);
    const isSwitch = node.type === "SwitchStatement";
    const isCleanup = (node.type === "TryStatement" && node.finalizer !== null) || node.type === "ForOfStatement";
    const inner = node.type === "LabeledStatement" ? new Set(labels).add(node.label.name) : labels;
    for (const key of t.VISITOR_KEYS[node.type] ?? []) {
      const child = (node as unknown as Record<string, unknown>)[key];
      const body = (isLoop && key === "body") || (isSwitch && key === "cases");
      // Only what runs inside the cleanup's protection counts: the try block and catch, a for-of body.
      const protectedPart = isCleanup && (node.type === "ForOfStatement" ? key === "body" : key === "block" || key === "handler");
      const innerLoops = loops + (body && isLoop ? 1 : 0);
      const innerSwitches = switches + (body && isSwitch ? 1 : 0);
      const innerCleanup = cleanup + (protectedPart ? 1 : 0);
      // (no closure per key: this runs for every node below each statement the explosion asks about)
      if (Array.isArray(child)) {
        for (const item of child) if (item && typeof item === "object") walk(item as t.Node, inner, innerLoops, innerSwitches, innerCleanup);
      } else if (child && typeof child === "object") walk(child as t.Node, inner, innerLoops, innerSwitches, innerCleanup);
    }
  };
  walk(root, new Set(), 0, 0, 0);
  record.leavesThroughCleanup = found;
  return found;
}

/** A statement is exploded into states when it suspends, or when a jump leaves it through a cleanup. */
export function mustExplode(facts: FactsStore, node: t.Node | null | undefined): boolean {
  return !!node && (containsSuspend(facts, node) || leavesThroughCleanup(facts, node));
}

/**
 * Does the async function `fn` suspend once per call at most, and may it suspend? True when its body
 * (nested functions aside) holds exactly one `await`, outside every loop, and no `for await` or `await
 * using` (which await on their own). Such a function is driven by `runAsyncOnce`, whose call's promise is
 * the one its await's `then` makes (a function without `await` never waits: `runAsync` serves it as well).
 * Conservative: a loop anywhere around the `await` counts, even where it is evaluated once.
 */
export function suspendsOnce(fn: t.Function): boolean {
  let awaits = 0;
  const walk = (node: t.Node, inLoop: boolean): boolean => {
    if (node.type === "AwaitExpression") {
      awaits++;
      if (inLoop || awaits > 1) return false;
    } else if (node.type === "YieldExpression" || (node.type === "ForOfStatement" && node.await)) {
      return false;
    } else if (node.type === "VariableDeclaration" && node.kind === "await using") {
      return false;
    } else if (t.isFunction(node) || node.type === "ClassProperty" || node.type === "ClassPrivateProperty" || node.type === "ClassAccessorProperty" || node.type === "StaticBlock") {
      return everyPartWhereDefined(evaluatedWhereDefined(node), (part) => walk(part, inLoop));
    }
    const loop = inLoop || t.isLoop(node);
    for (const key of t.VISITOR_KEYS[node.type] ?? []) {
      const child = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) {
        for (const item of child) if (item && typeof item === "object" && !walk(item as t.Node, loop)) return false;
      } else if (child && typeof child === "object" && !walk(child as t.Node, loop)) {
        return false;
      }
    }
    return true;
  };
  if (!fn.async || fn.generator) return false;
  for (const param of fn.params) if (!walk(param, false)) return false;
  return walk(fn.body, false) && awaits === 1;
}
