// Positions in the source that no node has: where the operator after a node starts, and the `(` of an optional
// call. V8 places an error an operator raises, and an optional call, there, so the source maps of lowered code
// (print.ts, emit/rewrite.ts) and the calls that fail in an operator's place (emit/rewrite.ts) point there too.
import * as t from "./types.ts";

/**
 * Where the operator after a node of the source starts (`x = v`, `x += v`, `x++`): past spaces, line
 * ends, comments and the parentheses closing around the node. V8 places a failed assignment there; so do
 * the lowered calls that fail in its place (source maps). Undefined for a node without a position.
 */
export function operatorAfter(code: string, node: t.Node): t.SourceLocation | undefined {
  const from = node.loc?.end;
  if (node.end == null || !from) return undefined;
  return tokenFrom(code, node.end, from.line, from.column, node.loc!.filename);
}

/** Where the arguments of an optional call `f?.()` open: past the `?.` after its callee. */
export function optionalArgumentsAfter(code: string, callee: t.Node): t.SourceLocation | undefined {
  const dot = operatorAfter(code, callee);
  if (dot === undefined || code.slice(dot.start.index, dot.start.index + 2) !== "?.") return undefined;
  return tokenFrom(code, dot.start.index + 2, dot.start.line, dot.start.column + 2, dot.filename);
}

/** The first token at or after `i` (at `line`, `column`): past spaces, line ends, comments and closing parentheses. */
function tokenFrom(code: string, i: number, line: number, column: number, filename: string): t.SourceLocation {
  const newLine = (length: number) => {
    i += length;
    line++;
    column = 0;
  };
  while (i < code.length) {
    const c = code.charCodeAt(i);
    if (c === 10 || c === 0x2028 || c === 0x2029) newLine(1);
    else if (c === 13) newLine(code.charCodeAt(i + 1) === 10 ? 2 : 1);
    else if (c === 47 && code.charCodeAt(i + 1) === 42) {
      // (a block comment, maybe over several lines)
      const close = code.indexOf("*/", i + 2);
      const stop = close < 0 ? code.length : close + 2;
      for (i += 2, column += 2; i < stop; ) {
        const d = code.charCodeAt(i);
        if (d === 10 || d === 0x2028 || d === 0x2029 || (d === 13 && code.charCodeAt(i + 1) !== 10)) newLine(1);
        else i++, column++;
      }
    } else if (c === 47 && code.charCodeAt(i + 1) === 47) {
      while (i < code.length && !/[\n\r\u2028\u2029]/.test(code[i])) i++, column++;
    } else if (c === 41 || /\s/.test(code[i])) i++, column++;
    else break;
  }
  return { start: { line, column, index: i }, end: { line, column: column + 1, index: i + 1 }, filename, identifierName: undefined };
}
