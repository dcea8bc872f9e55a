// The state graph of each machine, built from the transform's MachineInfo: the model every `inspect`
// renderer (table, json, dot, mermaid, svg) draws (its shape: schema.ts).
import type { MachineInfo } from "../transform/index.ts";
import { INSPECT_SCHEMA, type EdgeClass, type EdgeKind, type FunctionGraph, type GraphEdge, type GraphState, type InspectDocument } from "./schema.ts";
import { addFinallyExits, enclosingFinally, regionOf } from "./try-table.ts";

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
      addFinallyExits(machine, edges, add);
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

/** `await sleep(0)`, `yield i`, `return`: how a state ends, in a few words. */
export function describeExit(state: GraphState): string {
  if (state.suspends) return `${state.suspends.kind} ${state.suspends.operand}`;
  return state.returns ? "return" : "";
}

/** Functions selected by `--function NAME` (by name or class name). */
export function selectFunctions(doc: InspectDocument, name: string | undefined): InspectDocument {
  if (name === undefined) return doc;
  return { ...doc, functions: doc.functions.filter((fn) => fn.name === name || fn.className === name || fn.name.endsWith(`.${name}`)) };
}
