// The state graph of each machine, built from the transform's MachineInfo: the model every `inspect`
// renderer (table, json, dot, mermaid, svg) draws. Its JSON form is versioned: see docs/cli.md.
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
  region: { try: number; part: "try" | "catch" | "finally" } | null;
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

const EDGE_CLASS: Record<EdgeKind, EdgeClass> = {
  next: "normal",
  resume: "normal",
  return: "normal",
  finally: "finally",
  catch: "exceptional",
  cleanup: "exceptional",
};

export function buildModel(file: string, machines: MachineInfo[]): InspectDocument {
  const functions = machines
    .map((machine): FunctionGraph => {
      const states = machine.states.map((state): GraphState => ({
        index: state.index,
        line: state.line,
        span: spanOf(state.line, state.span ?? null),
        suspends: state.suspends,
        returns: state.returns,
        region: regionOf(state.index, machine.tries),
      }));
      const edges: GraphEdge[] = [];
      const add = (edge: GraphEdge) => {
        if (!edges.some((other) => other.from === edge.from && other.to === edge.to && other.kind === edge.kind)) edges.push(edge);
      };
      for (const state of machine.states) {
        for (const edge of state.edges) add({ from: state.index, to: edge.to, kind: edge.kind, class: EDGE_CLASS[edge.kind] });
        // A return inside a try statement with a finally block runs the finally block first.
        const finallyAt = enclosingFinally(state.index, machine.tries);
        if (state.returns) add(finallyAt === null ? { from: state.index, to: "end", kind: "return", class: "normal" } : { from: state.index, to: finallyAt, kind: "finally", class: "finally" });
      }
      // The end of a finally block carries the recorded completion on: to the statement after the try
      // statement, to where a jump was going, or out with the return (a throw goes on outward).
      for (const [start, , finallyAt, end] of machine.tries) {
        if (finallyAt < 0) continue;
        const last = end - 1;
        const inRegion = (edge: GraphEdge) => edge.from >= start && edge.from < finallyAt;
        if (machine.states.some((state) => state.index === end)) add({ from: last, to: end, kind: "next", class: "normal" });
        for (const edge of [...edges]) {
          if (!inRegion(edge) || edge.class !== "finally") continue;
          if (edge.to === finallyAt && machine.states.find((state) => state.index === edge.from)?.returns) {
            const outer = enclosingFinally(finallyAt, machine.tries.filter((entry) => entry[2] !== finallyAt));
            add(outer === null ? { from: last, to: "end", kind: "return", class: "normal" } : { from: last, to: outer, kind: "finally", class: "finally" });
          } else if (edge.to !== finallyAt && edge.to !== end) {
            add({ from: last, to: edge.to, kind: "finally", class: "finally" });
          }
        }
      }
      return { name: machine.name, kind: machine.kind, className: machine.className, line: machine.line, states, edges, tries: machine.tries };
    })
    .sort((a, b) => a.line - b.line);
  return { schema: INSPECT_SCHEMA, file, functions };
}

type Span = { start: { line: number; column: number }; end: { line: number; column: number } };

/** The transform's span (0-based columns) as 1-based, widened to the state's own line. */
function spanOf(line: number | null, span: Span | null): GraphState["span"] {
  if (!span) return line === null ? null : { start: { line, column: 1 }, end: { line, column: 1 } };
  let start = { line: span.start.line, column: span.start.column + 1 };
  let end = { line: span.end.line, column: span.end.column + 1 };
  if (line !== null && line < start.line) start = { line, column: 1 };
  if (line !== null && line > end.line) end = { line, column: 1 };
  return { start, end };
}

/** The finally state that a return from `index` runs first (innermost try with a finally, from its try or catch part). */
function enclosingFinally(index: number, tries: number[][]): number | null {
  for (let i = tries.length - 1; i >= 0; i--) {
    const [start, , finallyAt] = tries[i];
    if (finallyAt >= 0 && index >= start && index < finallyAt) return finallyAt;
  }
  return null;
}

function regionOf(index: number, tries: number[][]): GraphState["region"] {
  for (let i = tries.length - 1; i >= 0; i--) {
    const [start, catchAt, finallyAt, end] = tries[i];
    if (index < start || index >= end) continue;
    if (finallyAt >= 0 && index >= finallyAt) return { try: i, part: "finally" };
    if (catchAt >= 0 && index >= catchAt) return { try: i, part: "catch" };
    return { try: i, part: "try" };
  }
  return null;
}

/** `await sleep(0)`, `yield i`, `return`: how a state ends, in a few words. */
export function describeExit(state: GraphState): string {
  if (state.suspends) return `${state.suspends.kind} ${state.suspends.operand}`;
  return state.returns ? "return" : "";
}

/** Functions selected by `--function NAME` (by name or class name). */
export function selectFunctions(doc: InspectDocument, name: string | undefined): InspectDocument {
  if (name === undefined) return doc;
  return { ...doc, functions: doc.functions.filter((fn) => fn.name === name || fn.className === name) };
}
