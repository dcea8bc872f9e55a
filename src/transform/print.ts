// Printing a transformed file: what the transform made or changed is printed by Babel's generator, what it
// left as it was (in a real file most of it: the code around the lowered functions) is copied from the
// source, as written. The user's code keeps its formatting, and printing costs what the lowered parts cost
// rather than what the whole file does.
//
// How: the parts left as they were are the largest subtrees with nothing to lower in them, outside every
// lowered function (untouched.ts, found before the lowering from FileContext's `lowerable`: the lowering
// changes nothing else). Babel's printer prints the tree as always, except that for one of those parts, where
// it would print the node's own tokens (its `exactSource`), it copies the node's source text: parentheses,
// the comments around the node and its line (retainLines) are still the printer's, so the text around it is
// as Babel would print it. The copy is re-indented to the depth Babel prints it at (not a line that starts
// inside a template literal or a string continued over lines: that would change its value), line ends made
// `\n` as Babel writes them, a statement the source ended without `;` (automatic semicolon insertion) given
// one, and what the CLI changed in the source (`.ts` specifiers) applied. The source map maps each word.
// An inlined runtime (emit/runtime-import.ts), the same text in every file, is printed once and copied the
// same way, mapped to no place in the source.
//
// Babel's Printer is not part of @babel/generator's API (lib/printer.js): only transform() and the CLI import
// this module, never the plugin, which must load wherever Babel does.
import { babelGenerator, babelPrinter } from "./babel-packages.ts";
import * as t from "./types.ts";
import { operatorAfter } from "./source-positions.ts";
import type { UntouchedParts } from "./untouched.ts";
import { inlinedRuntimeKey } from "./emit/runtime-import.ts";

/** A change to the source text the printed copy must carry: [start, end) replaced by `text`. */
export interface SourceEdit {
  start: number;
  end: number;
  text: string;
}

/** Statements that end with `;` after a `}` (`var f = function () {}`): the next line may start with `(`. */
const SEMICOLON_AFTER_BRACE = new Set(["ExpressionStatement", "VariableDeclaration", "ReturnStatement", "ThrowStatement", "DoWhileStatement", "ExportAllDeclaration", "ClassProperty", "ClassPrivateProperty", "ClassAccessorProperty", "TSTypeAliasDeclaration"]);

/**
 * What follows a statement's text: a `;` where the source ends it without one (automatic semicolon insertion
 * ended it at a line break; the next line, printed, may start with `(` or `[`). After a nested statement
 * (`if (a) b = 1`), the `;` ends that one.
 */
function terminator(node: t.Node, text: string): string {
  const last = text.charCodeAt(text.length - 1);
  if (last === 59) return "";
  if (last !== 125) return ";";
  if (node.type === "ExportNamedDeclaration") return !node.declaration || node.declaration.type === "VariableDeclaration" || node.declaration.type === "TSTypeAliasDeclaration" ? ";" : "";
  if (node.type === "ExportDefaultDeclaration") return t.isExpression(node.declaration) && !t.isClassExpression(node.declaration) && !t.isFunctionExpression(node.declaration) ? ";" : "";
  return SEMICOLON_AFTER_BRACE.has(node.type) ? ";" : "";
}

interface PrintOptions {
  filename: string;
  sourceFileName: string;
  retainLines: boolean;
  comments: boolean;
  compact: false;
  sourceMaps: boolean;
}

/**
 * A source map as `transform` returns it with `sourceMaps: true` (revision 3, encoded: what a `.map` file
 * holds, as Babel makes it): `sources` are the input's file names (`filename`), `mappings` the encoded
 * segments.
 */
export interface EncodedSourceMap {
  version: 3;
  file?: string;
  sourceRoot?: string;
  sources: string[];
  /** The input's text for each source (null for one not known). */
  sourcesContent?: (string | null)[];
  names: string[];
  mappings: string;
  /** Indexes in `sources` of the sources a debugger should skip. */
  ignoreList?: number[];
}

export interface Printed {
  code: string;
  map: EncodedSourceMap | null;
}

const generate = babelGenerator().default as (ast: t.Node, options: object, code: string) => Printed;
const CodeGenerator = babelGenerator().CodeGenerator as new (ast: t.Node, options: object, code: string) => object;

/** What of Babel's Printer (lib/printer.js, not its public API) the splicing printer uses. */
interface BabelPrinter {
  _currentNode: t.Node | null;
  _indent: number;
  _buf: {
    exactSource(loc: t.SourceLocation, cb: () => void): void;
    getCurrentLine(): number;
    getCurrentColumn(): number;
    _map: { mark(generated: { line: number; column: number }, line: number, column: number): void } | null;
    /** Where the tokens appended next come from in the source (undefined: nowhere). */
    _sourcePosition: { line: number | undefined; column: number | undefined; identifierName: string | undefined; identifierNamePos: unknown };
  };
  exactSource(loc: t.SourceLocation | null | undefined, cb: () => void): void;
  _catchUp(prop: "start", loc: t.SourceLocation): void;
  _shouldIndent(): number;
  getLastChar(): number;
  setLastChar(char: number): void;
  _space(): void;
  token(text: string, maybeNewline?: boolean): void;
  generate(ast: t.Node): Printed;
}
type PrinterClass = new (format: unknown, map: unknown, tokens: unknown, code: string) => BabelPrinter;

const Printer = babelPrinter().default as PrinterClass | undefined;

/** Babel's Buffer's kinds of last character (lib/buffer.js LAST_CHAR_KINDS). */
const WORD = -3;
const INTEGER = -2;
const TS_INSTANTIATION_TYPE_ARGUMENTS = -4;

/**
 * Prints the file as Babel's generator would, but with each untouched part copied from `code` (with `edits`
 * applied). Without Babel's Printer to extend (another version of @babel/generator), prints it all.
 */
export function printFile(ast: t.File, code: string, options: PrintOptions, parts: UntouchedParts, edits: readonly SourceEdit[] = []): Printed {
  if (!SplicingPrinter) return generate(ast, options, code);
  // (the printer's options and map as @babel/generator makes them)
  const made = new CodeGenerator(ast, options, code) as unknown as { _format?: unknown; _map?: unknown };
  if (!("_format" in made) || !("_map" in made)) return generate(ast, options, code);
  return new SplicingPrinter(made._format, made._map, code, options, parts, [...edits].sort((a, b) => a.start - b.start)).generate(ast);
}

/**
 * Babel's Printer, copying each untouched part where it would print the part's own tokens (a subclass, not a
 * closure put on a printer: a function made per file and stored on the printer kept the file's trees from
 * being collected by the young generation's collections after it was printed, docs/performance.md, "Session 30").
 */
const SplicingPrinter =
  Printer &&
  class SplicingPrinter extends Printer {
    constructor(
      format: unknown,
      map: unknown,
      private readonly splicedCode: string,
      private readonly printOptions: PrintOptions,
      private readonly untouched: UntouchedParts,
      /** Sorted by start. */
      private readonly sortedEdits: readonly SourceEdit[],
    ) {
      super(format, map, null, splicedCode);
    }

    override exactSource(loc: t.SourceLocation | null | undefined, print: () => void): void {
      const node = this._currentNode!;
      const statement = this.untouched.get(node);
      if (statement === undefined) {
        // (the inlined runtime at the top level: printed once, then copied)
        const runtime = this._indent === 0 && !this.printOptions.retainLines ? inlinedRuntimeKey(node) : undefined;
        if (runtime !== undefined) return emitRuntime(this, runtimeText(runtime, node, this.printOptions));
        // The engine places an error an operator raises (`o.x = v` of a null `o`, `a + b` of a Symbol) at the
        // operator, and the buffer maps what comes after a node to the node's end: while the operation is
        // printed, its left side ends where the operator starts in the source.
        const left = node.type === "AssignmentExpression" || node.type === "BinaryExpression" ? node.left : null;
        const operator = left?.loc ? operatorAfter(this.splicedCode, left) : undefined;
        if (operator === undefined) return super.exactSource(loc, print);
        const own = left!.loc!;
        left!.loc = { ...own, end: operator.start };
        try {
          return super.exactSource(loc, print);
        } finally {
          left!.loc = own;
        }
      }
      if (loc) this._catchUp("start", loc);
      const copy = copyOf(this.splicedCode, node, this.sortedEdits, this._indent);
      if (statement) copy.text += terminator(node, copy.text);
      const emit = () => emitCopy(this, node, copy);
      if (loc) this._buf.exactSource(loc, emit);
      else emit();
    }
  };

/** The inlined runtime's function and its call as the printer prints them at the top level, by the names it returns. */
const runtimeTexts = new Map<string, string>();

function runtimeText(key: string, call: t.Node, options: PrintOptions): string {
  let text = runtimeTexts.get(key);
  if (text === undefined) runtimeTexts.set(key, (text = generate(call, options, "").code));
  return text;
}

/**
 * The inlined runtime's text, written as one token that maps to no place in the source (the runtime's code is
 * not the file's): the buffer marks a token with the source position last set, which here is whatever node
 * was printed before.
 */
function emitRuntime(printer: BabelPrinter, text: string): void {
  const position = printer._buf._sourcePosition;
  const saved = { ...position };
  position.line = position.column = position.identifierName = position.identifierNamePos = undefined;
  emitCopy(printer, RUNTIME_NODE, { text, source: text, shifted: null, shift: 0 });
  Object.assign(position, saved);
}

/** (emitCopy's node for the runtime's text: no literal, no position) */
const RUNTIME_NODE = { type: "CallExpression" } as t.Node;

/**
 * The copy written as one token, spaced from the one before as Babel spaces words and operators; with a
 * source map, a mapping for each word and each run of punctuation in it (Babel maps each line's start).
 */
function emitCopy(printer: BabelPrinter, node: t.Node, copy: Copy): void {
  const { text } = copy;
  const first = text.charCodeAt(0);
  const last = printer.getLastChar();
  // (as the printer's `word` and `token`: `return x`, `a / /re/`, `- -x`, `a < <T>() => x`)
  const spaced = startsWord(first) || first === 47 ? last === WORD || last === INTEGER || (last === 47 && first === 47) : (last === first && (first === 43 || first === 45 || first === 94 || first === 37 || first === 60)) || ((first === 61 || first === 62) && last === TS_INSTANTIATION_TYPE_ARGUMENTS);
  if (spaced) printer._space();
  const buffer = printer._buf;
  const at = buffer._map && node.loc ? { line: buffer.getCurrentLine(), column: buffer.getCurrentColumn() + printer._shouldIndent() } : null;
  printer.token(text, text.includes("\n"));
  const lastChar = text.charCodeAt(text.length - 1);
  if (node.type === "NumericLiteral" && /^\d+$/.test(text)) printer.setLastChar(INTEGER);
  else if (startsWord(lastChar)) printer.setLastChar(WORD);
  else printer.setLastChar(lastChar);
  if (at) markWords(buffer._map!, copy, at, node.loc!.start);
}

/** Maps each word and run of punctuation of the copy to where it stands in the source. */
function markWords(map: NonNullable<BabelPrinter["_buf"]["_map"]>, copy: Copy, at: { line: number; column: number }, source: { line: number; column: number }): void {
  const lines = copy.source.split("\n");
  const token = /[\w$\u0080-\uffff]+|[([\].]|[^\s\w$\u0080-\uffff([\].]+/g;
  for (let i = 0; i < lines.length; i++) {
    // (the first line starts where the printer put it; the others at column 0, shifted if re-indented)
    const shift = i === 0 ? at.column : copy.shifted?.[i] ? copy.shift : 0;
    const sourceColumn = i === 0 ? source.column : 0;
    token.lastIndex = 0;
    for (let match; (match = token.exec(lines[i])); ) map.mark({ line: at.line + i, column: match.index + shift }, source.line + i, match.index + sourceColumn);
  }
}

/** An identifier's or a number's character (or a private name's first, an escape's). */
function startsWord(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 36 || code === 95 || code === 35 || code === 92 || code >= 128;
}

interface Copy {
  /** What is printed. */
  text: string;
  /** The source's text (edits applied, line ends `\n`), before re-indenting. */
  source: string;
  /** The lines re-indented (by index), and how much longer their indentation is now. */
  shifted: boolean[] | null;
  shift: number;
}

/**
 * The source text of the node, with the edits inside it applied and line ends made `\n`, re-indented for a
 * line at `indent`: the indentation of the line the node starts on becomes the printer's. Not a line that
 * starts inside a template literal or a string continued with `\` (its leading whitespace is part of the value).
 */
function copyOf(code: string, node: t.Node, edits: readonly SourceEdit[], indent: number): Copy {
  const start = node.start!;
  const end = node.end!;
  let text = code.slice(start, end);
  if (edits.length > 0) text = applyEdits(text, start, end, edits);
  if (text.includes("\r")) text = text.replace(/\r\n?/g, "\n");
  const copy: Copy = { text, source: text, shifted: null, shift: 0 };
  if (!text.includes("\n")) return copy;
  let lineStart = start;
  while (lineStart > 0 && code.charCodeAt(lineStart - 1) !== 10 && code.charCodeAt(lineStart - 1) !== 13) lineStart--;
  let first = lineStart;
  while (first < start && (code.charCodeAt(first) === 32 || code.charCodeAt(first) === 9)) first++;
  const from = code.slice(lineStart, first);
  const to = " ".repeat(indent);
  if (from === to) return copy;
  const lines = text.split("\n");
  const values = node.loc && (text.includes("`") || text.includes("\\\n") || text.includes("<")) ? linesInValues(node, node.loc.start.line) : null;
  const shifted: boolean[] = new Array(lines.length).fill(false);
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (values?.has(i)) continue;
    if (line.trim() === "") lines[i] = "";
    else if (line.startsWith(from)) {
      lines[i] = to + line.slice(from.length);
      shifted[i] = true;
    }
  }
  return { text: lines.join("\n"), source: text, shifted, shift: to.length - from.length };
}

/** The lines (counted from `first`) that start inside a template literal or a string of the subtree. */
function linesInValues(root: t.Node, first: number): Set<number> {
  const inside = new Set<number>();
  t.traverseFast(root, (node) => {
    if ((node.type === "TemplateLiteral" || node.type === "StringLiteral") && node.loc && node.loc.end.line > node.loc.start.line) {
      for (let line = node.loc.start.line + 1; line <= node.loc.end.line; line++) inside.add(line - first);
    }
  });
  return inside;
}

function applyEdits(text: string, start: number, end: number, edits: readonly SourceEdit[]): string {
  // (the first edit at or after `start`: edits are sorted by start)
  let low = 0;
  let high = edits.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (edits[middle].start < start) low = middle + 1;
    else high = middle;
  }
  let result = "";
  let at = start;
  for (let i = low; i < edits.length && edits[i].end <= end; i++) {
    const edit = edits[i];
    result += text.slice(at - start, edit.start - start) + edit.text;
    at = edit.end;
  }
  return at === start ? text : result + text.slice(at - start);
}
