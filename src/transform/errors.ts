// Errors the transform reports: always with file:line:col and a code frame, never a half-written output.
import { codeFrameColumns } from "@babel/code-frame";
import type * as t from "@babel/types";

export class StepwiseError extends Error {
  readonly filename: string;
  readonly line: number;
  readonly column: number;
  readonly frame: string;
  /** The message as built here (Babel prefixes messages of errors thrown by plugins). */
  readonly report: string;

  constructor(kind: string, message: string, filename: string, code: string, loc: { line: number; column: number }) {
    const frame = codeFrameColumns(code, { start: { line: loc.line, column: loc.column + 1 } }, { highlightCode: false });
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
