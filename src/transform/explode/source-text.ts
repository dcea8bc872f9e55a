// An expression as V8 quotes it in a TypeError ("ids is not iterable", "o.items is not iterable"). The
// engine prints the source text of the expression that failed; when the failure happens inside a runtime
// helper (`iterate`), the helper is given that text, since the lowered code around it spells the expression
// differently (`this.ids`). Only the shapes V8 prints as written: names, `this`, and member chains.
import * as t from "@babel/types";
import type { FactsStore } from "../facts.ts";

/** The text V8 would quote for `node` in its source, or null for shapes it prints otherwise. */
export function sourceText(node: t.Node, facts: FactsStore): string | null {
  switch (node.type) {
    case "Identifier":
      return facts.get(node)?.binding?.sourceName ?? node.name;
    case "ThisExpression":
      return "this";
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
