// Errors the transform reports: always with file:line:col and a code frame, never a half-written output.
import { babelCodeFrame } from "./babel-packages.ts";
import type * as t from "@babel/types";

export class StepwiseError extends Error {
  readonly filename: string;
  readonly line: number;
  readonly column: number;
  readonly frame: string;
  /** The message as built here (Babel prefixes messages of errors thrown by plugins). */
  readonly report: string;
  /** The stack ran out (code nested too deeply for this thread's stack: a larger one may do). */
  stackOverflow?: boolean;

  constructor(kind: string, message: string, filename: string, code: string, loc: { line: number; column: number }) {
    const frame = babelCodeFrame().codeFrameColumns(code, { start: { line: loc.line, column: loc.column + 1 } }, { highlightCode: false });
    super(`${filename}:${loc.line}:${loc.column + 1}: ${kind}: ${message}\n${frame}`);
    this.report = this.message;
    this.name = "StepwiseError";
    this.filename = filename;
    this.line = loc.line;
    this.column = loc.column + 1;
    this.frame = frame;
  }
}

/** Thrown from deep inside the lowering; the plugin entry turns it into a StepwiseError with a frame. */
export class UnsupportedError extends Error {
  readonly node: t.Node | null;
  constructor(message: string, node: t.Node | null) {
    super(message);
    this.name = "UnsupportedError";
    this.node = node;
  }
}

export function unsupported(construct: string, node: t.Node | null): never {
  throw new UnsupportedError(`${construct} is not supported yet`, node);
}

/** The stack ran out: code nested deeper than this thread's stack allows the transform or Babel to go. */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

/**
 * Where the source nests deepest (brackets, roughly: strings and comments skipped), to name in a message
 * when the stack ran out outside any one function's lowering (parsing, printing).
 */
export function deepestPoint(code: string): { line: number; column: number; depth: number } {
  let depth = 0;
  let best = { line: 1, column: 0, depth: 0 };
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === "\n") {
      line++;
      lineStart = i + 1;
    } else if (c === "/" && code[i + 1] === "/") {
      while (i + 1 < code.length && code[i + 1] !== "\n") i++;
    } else if (c === "/" && code[i + 1] === "*") {
      const end = code.indexOf("*/", i + 2);
      const stop = end < 0 ? code.length : end + 1;
      for (let j = i; j < stop; j++) {
        if (code[j] !== "\n") continue;
        line++;
        lineStart = j + 1;
      }
      i = stop;
    } else if (c === '"' || c === "'") {
      while (i + 1 < code.length && code[i + 1] !== c && code[i + 1] !== "\n") i += code[i + 1] === "\\" ? 2 : 1;
      i++;
    } else if (c === "(" || c === "[" || c === "{") {
      depth++;
      if (depth > best.depth) best = { line, column: i - lineStart, depth };
    } else if (c === ")" || c === "]" || c === "}") {
      depth = Math.max(0, depth - 1);
    }
  }
  return best;
}

/** The one-line error for a stack that ran out (no stack trace), at `loc` or where the source nests deepest. */
export function tooDeeplyNested(filename: string, code: string, what: string, loc?: { line: number; column: number }): StepwiseError {
  const point = loc ?? deepestPoint(code);
  const error = new StepwiseError("too deeply nested", `${what}: the stack ran out (Maximum call stack size exceeded); \`stepwise build\` compiles on threads with a larger stack`, filename, code, point);
  error.stackOverflow = true;
  return error;
}
