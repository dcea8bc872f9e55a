// Before Babel's pipeline: whether a file has anything to lower at all. A file without async functions or
// generators needs neither @babel/core's scope crawl of the whole file nor the plugin's pass: transform()
// prints it straight away, the CLI keeps the source as it is. The tree is parsed as @babel/core would
// parse it (same parser, same options), so that a file that does go through @babel/core can be given this
// tree rather than parsed twice.
import { babelParser } from "./babel-packages.ts";
import * as t from "./types.ts";
import { forEachChild } from "./ast.ts";
import { extname } from "node:path";

/** How a file is parsed (index.ts `parsingOf`). */
export interface Parsing {
  sourceType: "module" | "script" | "unambiguous";
  parserOpts: { plugins: ("typescript" | "jsx")[]; allowReturnOutsideFunction: boolean; allowNewTargetOutsideFunction: boolean };
}

/**
 * The file parsed with the options @babel/core gives the parser for these options (`parsingOf`); null where it
 * does not parse (or nests too deeply to): @babel/core then parses it again, and reports the error as it does.
 */
export function parseAsBabelWould(code: string, filename: string, parsing: Parsing): t.File | null {
  try {
    return babelParser().parse(code, {
      sourceType: extname(filename) === ".mjs" ? "module" : parsing.sourceType,
      ...parsing.parserOpts,
    });
  } catch {
    return null;
  }
}

/**
 * Whether the tree has an async function or a generator (a loop, not a recursion: as deep as the parser
 * goes). With the source text it was parsed from, only the nodes whose text holds an `async` or a `*` are
 * entered: every async function's text holds its `async` keyword (which cannot be written with an escape),
 * every generator's its `*`, and those words are rare, so a file with nothing to lower is not walked whole.
 */
export function hasLowerable(root: t.Node, code?: string): boolean {
  const marks = code === undefined ? null : markPositions(code);
  if (marks !== null && marks.length === 0) return false;
  const stack: t.Node[] = [root];
  const push = (child: t.Node) => void stack.push(child);
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (marks !== null && node.start != null && node.end != null && !markWithin(marks, node.start, node.end)) continue;
    if (t.isFunction(node) && (node.async || node.generator)) return true;
    forEachChild(node, push);
  }
  return false;
}

/** Where the text has `async` or `*`, in order. */
function markPositions(code: string): number[] {
  const marks: number[] = [];
  const pattern = /async|\*/g;
  for (let match = pattern.exec(code); match !== null; match = pattern.exec(code)) marks.push(match.index);
  return marks;
}

/** Whether one of `marks` is in [start, end). */
function markWithin(marks: number[], start: number, end: number): boolean {
  let low = 0;
  let high = marks.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (marks[middle] < start) low = middle + 1;
    else high = middle;
  }
  return low < marks.length && marks[low] < end;
}
