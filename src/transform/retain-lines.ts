// Babel's `retainLines` prints each node on its source line when it can, never going back a line. The
// lowering puts statements before code it leaves where it was: machine classes hoisted to the top of the
// program or of a function, the wrappers of hoisted declarations, an inlined runtime (parsed from its own
// file, hundreds of lines long). Printed with their positions, they would push every statement after them
// down to their last line, and their line comments would each end a line. So before such a file is printed,
// a statement the lowering made (no position of its own), or one that holds positions from after the line
// of the source's next statement, forgets its positions and its line comments become block comments: it
// is printed packed onto the line it lands on, and the source's statements keep their lines (docs/cli.md,
// `--retain-lines`).
import * as t from "./types.ts";
import type { UntouchedParts } from "./untouched.ts";

/**
 * Makes what would push the source's statements down forget its positions (`loc`), in every statement list
 * of the program outside the parts left as they were (`untouched`, which are the source's: null when not known).
 */
export function packForRetainedLines(program: t.Program, untouched: UntouchedParts | null): void {
  packList(program.body, untouched);
}

function packList(list: t.Statement[], untouched: UntouchedParts | null): void {
  // The line of the first statement after this one that is the source's (has a position of its own).
  let next = Infinity;
  for (let i = list.length - 1; i >= 0; i--) {
    const statement = list[i];
    if (untouched?.has(statement) !== true) {
      // (one the lowering made, positioned or not, is packed: its comments would take lines of their own)
      if (statement.loc == null || lastLine(statement) > next) forgetPositions(statement);
      else forEachInnerList(statement, untouched, (inner) => packList(inner, untouched));
    }
    if (statement.loc) next = Math.min(next, statement.loc.start.line);
  }
}

/** The last source line a position in the node's subtree has (0: none). */
function lastLine(node: t.Node): number {
  let last = 0;
  t.traverseFast(node, (inner) => {
    if (inner.loc && inner.loc.end.line > last) last = inner.loc.end.line;
  });
  return last;
}

/** Forgets the node's positions, and makes its line comments block comments, which need no line break after them. */
function forgetPositions(node: t.Node): void {
  t.traverseFast(node, (inner) => {
    inner.loc = null;
    for (const comments of [inner.leadingComments, inner.innerComments, inner.trailingComments]) {
      for (const comment of comments ?? []) {
        comment.loc = undefined;
        if (comment.type === "CommentLine") Object.assign(comment, { type: "CommentBlock", value: `${comment.value.replaceAll("*/", "* /")} ` });
      }
    }
  });
}

/**
 * The outermost statement lists inside a node (blocks, switch cases, static blocks), not inside a part left
 * as it was (packList goes into the lists inside them).
 */
function forEachInnerList(node: t.Node, untouched: UntouchedParts | null, visit: (list: t.Statement[]) => void): void {
  t.traverseFast(node, (inner) => {
    if (inner !== node && untouched?.has(inner)) return t.traverseFast.skip;
    if (inner.type === "BlockStatement" || inner.type === "StaticBlock") visit(inner.body);
    else if (inner.type === "SwitchCase") visit(inner.consequent);
    else return undefined;
    return t.traverseFast.skip;
  });
}
