// The operands of an expression, evaluated left to right: each part before the last one that suspends is
// kept in a temp (unless it cannot change meanwhile), so that the values it read are the ones the
// expression uses after the await.
import * as t from "../types.ts";
import { unsupported } from "../errors.ts";
import type { Exploder, LastWrites } from "./exploder.ts";

/**
 * Evaluates `parts` left to right. Every part before the last one that suspends is kept in a temp
 * unless it is stable, or a local that the parts after it cannot change (Exploder.unchangedAfter);
 * parts after it are left as written.
 * `wrap` turns a part into the form worth keeping (a template substitution keeps its string).
 * `keepAll` keeps even the last suspending part (needed when the caller suspends again afterwards); `after`
 * is what the caller evaluates then, before it uses the parts (unknown: every part that is not stable is kept).
 */
export function operands(
  cx: Exploder,
  parts: (t.Expression | null)[],
  wrap?: (value: t.Expression) => t.Expression,
  keepAll = false,
  after?: readonly (t.Node | null | undefined)[],
): (t.Expression | null)[] {
  let last = -1;
  parts.forEach((part, i) => {
    if (part && cx.suspends(part)) last = i;
  });
  // (what runs before the parts' values are used: the parts up to the last that suspends, or all of them and
  // then the caller's `after`; read once)
  let writes: LastWrites | undefined;
  const writesOf = () => (writes ??= cx.lastWrites(keepAll ? [...parts, ...after!] : parts.slice(0, last + 1)));
  const unchangedAfter = (value: t.Expression, i: number) => (!keepAll || after !== undefined) && cx.unchangedAfter(value, i, writesOf);
  return parts.map((part, i) => {
    if (!part) return part;
    // With `wrap`, the wrapped form has an effect of its own (a string conversion): only literals skip it.
    const worthKeeping = (value: t.Expression) => (wrap ? !t.isLiteral(value) || t.isTemplateLiteral(value) : !cx.isStable(value) && !unchangedAfter(value, i));
    if (i > last) return keepAll && worthKeeping(part) ? cx.keep(wrap ? wrap(part) : part) : part;
    const value = cx.expression(part);
    if ((i < last || keepAll) && worthKeeping(value)) return cx.keep(wrap ? wrap(value) : value);
    return value;
  });
}

/**
 * Like `operands`, for lists with spread elements and holes: a spread before an await is read into a temp
 * list (`spreadList`: spread again without the replaceable Array.prototype[Symbol.iterator]).
 */
export function operandsWithSpread(
  cx: Exploder,
  items: (t.Expression | t.SpreadElement | null | t.ArgumentPlaceholder)[],
): (t.Expression | t.SpreadElement | null)[] {
  let last = -1;
  items.forEach((item, i) => {
    if (item && cx.suspends(item)) last = i;
  });
  let writes: LastWrites | undefined;
  const writesOf = () => (writes ??= cx.lastWrites(items.slice(0, last + 1)));
  return items.map((item, i) => {
    if (!item) return null;
    if (item.type === "ArgumentPlaceholder") return unsupported("argument placeholder", item);
    if (i > last) return item;
    if (item.type === "SpreadElement") {
      const value = cx.expression(item.argument);
      if (i < last) return t.spreadElement(cx.keep(cx.em.helper("spreadList", [value])));
      return t.spreadElement(value);
    }
    const value = cx.expression(item);
    return i < last && !cx.isStable(value) && !cx.unchangedAfter(value, i, writesOf) ? cx.keep(value) : value;
  });
}
