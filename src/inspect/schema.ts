// The model `stepwise inspect` builds (model.ts) and draws (render.ts); `--format json` writes it as it is.
// Versioned: see docs/cli.md.
import type { MachineInfo } from "../transform/index.ts";

export const INSPECT_SCHEMA = "stepwise.inspect/1";

export interface Position {
  line: number;
  /** 1-based, as in `file:line:col` messages. */
  column: number;
}

export type EdgeKind = "next" | "resume" | "finally" | "catch" | "cleanup" | "return";

/** normal: control moves on; exceptional: where an exception raised in the state goes; finally: routed through finally blocks. */
export type EdgeClass = "normal" | "exceptional" | "finally";

export interface GraphEdge {
  from: number;
  /** A state index, or "end" for the `return` edge. */
  to: number | "end";
  kind: EdgeKind;
  class: EdgeClass;
}

export interface GraphState {
  index: number;
  line: number | null;
  /** From the first to the last source position the state's code comes from (approximate: some generated statements carry no position). */
  span: { start: Position; end: Position } | null;
  /** What the state ends with when it suspends: `await x`, `yield x` or `yield* x`. */
  suspends: { kind: "await" | "yield" | "yield*"; operand: string } | null;
  returns: boolean;
  /** Which part of a try statement the state is in, innermost: `try`, `catch` or `finally` with the region's number. */
  region: TryRegion | null;
}

export interface FunctionGraph {
  name: string;
  kind: MachineInfo["kind"];
  className: string;
  line: number;
  states: GraphState[];
  edges: GraphEdge[];
  /** [try start, catch, finally, end] state of each try region (-1 where a part is missing), outer first. */
  tries: number[][];
}

export interface InspectDocument {
  schema: typeof INSPECT_SCHEMA;
  file: string;
  functions: FunctionGraph[];
}

/** A part of a try statement: the region's index in `tries`, and which block. */
export interface TryRegion {
  try: number;
  part: "try" | "catch" | "finally";
}
