// Before Babel's pipeline: whether a file has anything to lower at all. A file without async functions or
// generators needs neither @babel/core's scope crawl of the whole file nor the plugin's pass: transform()
// prints it straight away, the CLI keeps the source as it is. The tree is parsed as @babel/core would
// parse it (same parser, same options), so that a file that does go through @babel/core can be given this
// tree rather than parsed twice.
import { parse } from "@babel/parser";
import * as t from "./types.ts";
import { forEachChild } from "./ast.ts";
import { extname } from "node:path";

/** How a file is parsed (index.ts `parsingOf`). */
export interface Parsing {
  sourceType: "module" | "script" | "unambiguous";
  parserOpts: { plugins: ("typescript" | "jsx")[]; allowReturnOutsideFunction: boolean };
}

/**
 * The file parsed with the options @babel/core gives the parser for these options (`parsingOf`); null where it
 * does not parse (or nests too deeply to): @babel/core then parses it again, and reports the error as it does.
 */
export function parseAsBabelWould(code: string, filename: string, parsing: Parsing): t.File | null {
  try {
    return parse(code, {
      sourceType: extname(filename) === ".mjs" ? "module" : parsing.sourceType,
      ...parsing.parserOpts,
    });
  } catch {
    return null;
  }
}

/** Whether the tree has an async function or a generator (a loop, not a recursion: as deep as the parser goes). */
export function hasLowerable(root: t.Node): boolean {
  const stack: t.Node[] = [root];
  const push = (child: t.Node) => void stack.push(child);
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (t.isFunction(node) && (node.async || node.generator)) return true;
    forEachChild(node, push);
  }
  return false;
}
