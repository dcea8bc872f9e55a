// An expression as V8 quotes it in a TypeError ("ids is not iterable", "o.items is not iterable"). The
// engine prints the source text of the expression that failed; when the failure happens inside a runtime
// helper (`iterate`), the helper is given that text, since the lowered code around it spells the expression
// differently (`this.ids`). Only the shapes V8 prints as written: names, `this`, and member chains, on an
// awaited value too (`(intermediate value).items`).
import * as t from "../types.ts";
import type { FactsStore } from "../facts.ts";

/** The text V8 would quote for `node` in its source, or null for shapes it prints otherwise. */
export function sourceText(node: t.Node, facts: FactsStore): string | null {
  switch (node.type) {
    case "Identifier":
      return facts.get(node)?.binding?.sourceName ?? node.name;
    case "ThisExpression":
      return "this";
    case "AwaitExpression":
      // (V8 prints an awaited value, `(await p).items`, as the intermediate value it is)
      return "(intermediate value)";
    case "MemberExpression": {
      const object = sourceText(node.object, facts);
      if (object === null) return null;
      const key = node.property;
      if (!node.computed) return t.isIdentifier(key) ? `${object}.${key.name}` : null;
      // V8 prints `o["ids"]` as `o.ids` (and `o["a-b"]` as `o.a-b`).
      if (t.isStringLiteral(key)) return `${object}.${key.value}`;
      if (t.isNumericLiteral(key)) return `${object}[${key.value}]`;
      if (t.isIdentifier(key)) return `${object}[${sourceText(key, facts)}]`;
      return null;
    }
    default:
      return null;
  }
}

/**
 * A temp holding a callee read before a later `await` of its call (`new o.f(await x)` calls `(0 , this.$0)`,
 * `o.m(await x)` calls `callMethod(this.$0, ...)`), marked with the text V8 would quote for the callee:
 * emit/source-words.ts lists them by state in the class (`static sourceTemps`) for runtime/messages.js.
 */
export const quotedTemps = new WeakMap<t.Node, { text: string }>();

/**
 * How many texts were given to quotedTemps so far ("" aside): a lowering that gave none has no temp whose
 * text its class would list (a marked node of a function lowered before is inside that function's class).
 */
let texts = 0;

export function quotedTexts(): number {
  return texts;
}

/** Marks `temp` (the node the call reads) as holding a callee V8 quotes as `text` (null: V8 prints it otherwise). */
export function quoteTemp<T extends t.Node>(temp: T, text: string | null): T {
  if (text !== null) quote(temp, text);
  return temp;
}

/** Marks `node` (a field read in place of the source's `text`) for emit/source-words.ts `quotedTempsByField`. */
export function quote(node: t.Node, text: string): void {
  quotedTemps.set(node, { text });
  if (text !== "") texts++;
}

/**
 * The text V8 quotes for a callee that failed: as `sourceText`, and also an optional chain as written
 * (`o?.m`) and a call in the chain (`a.b(...).c`); null for a parenthesized optional chain (`(o?.m)()`:
 * an intermediate value to V8) and shapes V8 prints otherwise.
 */
export function calleeText(node: t.Node, facts: FactsStore): string | null {
  switch (node.type) {
    case "CallExpression": {
      const callee = calleeText(node.callee, facts);
      return callee === null ? null : `${callee}(...)`;
    }
    case "MemberExpression":
    case "OptionalMemberExpression": {
      if (node.type === "OptionalMemberExpression" && node.extra?.parenthesized) return null;
      const object = calleeText(node.object, facts);
      if (object === null) return null;
      const dot = node.type === "OptionalMemberExpression" && node.optional ? "?." : ".";
      const key = node.property;
      if (!node.computed) return t.isIdentifier(key) ? `${object}${dot}${key.name}` : null;
      if (t.isStringLiteral(key)) return `${object}${dot}${key.value}`;
      if (dot === "?.") return null;
      if (t.isNumericLiteral(key)) return `${object}[${key.value}]`;
      if (t.isIdentifier(key)) return `${object}[${sourceText(key, facts)}]`;
      return null;
    }
    default:
      return sourceText(node, facts);
  }
}
