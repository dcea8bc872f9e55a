// Renderers of the state-graph model: table (for people), json (for tools), dot, mermaid and svg (graphs).
import type pc from "picocolors";
import { describeExit } from "./model.ts";
import type { FunctionGraph, GraphEdge, GraphState, InspectDocument } from "./schema.ts";

export const FORMATS = ["table", "json", "dot", "mermaid", "svg"] as const;
export type Format = (typeof FORMATS)[number];

/** The colours the table is painted with (picocolors, on or off: the CLI decides). */
export type Colors = ReturnType<typeof pc.createColors>;

const KIND_WORD: Record<string, string> = { async: "async function", generator: "function*", "async-generator": "async function*" };

function heading(fn: FunctionGraph, file: string): string {
  return `${KIND_WORD[fn.kind] ?? fn.kind} ${fn.name} — ${file}:${fn.line}`;
}

function lines(state: GraphState): string {
  if (!state.span) return state.line === null ? "-" : String(state.line);
  const { start, end } = state.span;
  return start.line === end.line ? `${start.line}` : `${start.line}-${end.line}`;
}

function target(edge: GraphEdge): string {
  return edge.to === "end" ? "end" : String(edge.to);
}

/**
 * How a state that neither suspends nor returns ends, read off its edges (`own`; those an exception takes
 * left out): into the next state, on to one other (a jump, or one through finally blocks), to one of several
 * (a test), or nowhere (it throws); a finally block's last state, where its completion takes it.
 */
function goesOn(fn: FunctionGraph, state: GraphState, own: GraphEdge[]): string {
  // (the last state of a finally block goes on where the completion it ran for goes: edges the model adds)
  if (state.region?.part === "finally" && fn.tries[state.region.try][3] === state.index + 1) return "(finally done)";
  const onward = own.filter((edge) => edge.class !== "exceptional");
  if (onward.length === 0) return "(throws)";
  if (onward.length > 1) return "(branches)";
  return onward[0].kind === "next" && onward[0].to === state.index + 1 ? "(falls through)" : "(jumps)";
}

/** One block per function: its states, the source lines each comes from, how it ends, its edges. */
export function renderTable(doc: InspectDocument, c: Colors): string {
  if (doc.functions.length === 0) return `${doc.file}: no async functions or generators\n`;
  const blocks = doc.functions.map((fn) => {
    const count = `${fn.states.length} state${fn.states.length === 1 ? "" : "s"}`;
    const head = `${c.bold(c.cyan(heading(fn, doc.file)))}  ${c.dim(`class ${fn.className}, ${count}`)}`;
    const rows = fn.states.map((state) => {
      const own = fn.edges.filter((edge) => edge.from === state.index);
      const exit = describeExit(state) || goesOn(fn, state, own);
      const colouredExit = state.suspends ? c.yellow(exit) : state.returns ? c.green(exit) : c.dim(exit);
      const edges = own
        .filter((edge) => !(edge.kind === "return" && state.returns))
        .map((edge) => {
          const text = `→ ${target(edge)} ${edge.kind}`;
          return edge.class === "exceptional" ? c.red(text) : edge.class === "finally" ? c.magenta(text) : text;
        });
      const region = state.region ? c.dim(`${edges.length > 0 ? " " : ""}[${state.region.part} ${state.region.try}]`) : "";
      return { state: String(state.index), lines: lines(state), exit, colouredExit, edges: edges.join(", "), region };
    });
    const width = {
      state: Math.max(5, ...rows.map((row) => row.state.length)),
      lines: Math.max(5, ...rows.map((row) => row.lines.length)),
      exit: Math.max(15, ...rows.map((row) => row.exit.length)),
    };
    const header = c.dim(`  ${"state".padEnd(width.state)}  ${"lines".padEnd(width.lines)}  ${"ends with".padEnd(width.exit)}  edges`);
    const body = rows.map((row) => {
      const exit = row.colouredExit + " ".repeat(Math.max(0, width.exit - row.exit.length));
      return `  ${row.state.padEnd(width.state)}  ${row.lines.padEnd(width.lines)}  ${exit}  ${row.edges}${row.region}`.trimEnd();
    });
    return [head, header, ...body].join("\n");
  });
  return blocks.join("\n\n") + "\n";
}

export function renderJson(doc: InspectDocument): string {
  return JSON.stringify(doc, null, 2) + "\n";
}

function dotString(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

function stateLabel(state: GraphState, most = Infinity): string {
  const where = state.line === null ? "" : ` · line ${lines(state)}`;
  const exit = describeExit(state);
  return `${state.index}${where}${exit ? `\n${cut(exit, most)}` : ""}`;
}

/** At most `most` characters, a cut text ending with "…". */
function cut(text: string, most: number): string {
  return text.length > most ? `${text.slice(0, most - 1)}…` : text;
}

/** A tooltip with the whole of a label `cut` shortened (Graphviz draws it as a link's title in svg). */
function tooltip(whole: string, most: number): string {
  return whole.split("\n").some((line) => line.length > most) ? `, tooltip=${dotString(whole)}` : "";
}

export interface DotOptions {
  /**
   * The most characters of a line of a label: a function's heading and what a state suspends on, cut
   * with "…" past that and whole in the tooltip. A label as wide as a long name makes the picture wider,
   * and a page that fits the picture to its width then draws it all smaller. Default: no limit.
   */
  labelMost?: number;
}

const DOT_EDGE_STYLE: Record<string, string> = {
  normal: "",
  exceptional: ', style=dashed, color="#c0392b", fontcolor="#c0392b"',
  finally: ', style=dotted, color="#8e44ad", fontcolor="#8e44ad"',
};

/** Graphviz DOT: one cluster per function, normal edges solid, exceptional dashed red, finally dotted purple. */
export function renderDot(doc: InspectDocument, options: DotOptions = {}): string {
  const most = options.labelMost ?? Infinity;
  const out = [
    "digraph stepwise {",
    '  graph [rankdir=TB, fontname="Helvetica", labeljust=l];',
    '  node [shape=box, style="rounded", fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=10];',
  ];
  doc.functions.forEach((fn, f) => {
    const id = (state: number | "end" | "start") => `f${f}_${state === "end" ? "end" : state === "start" ? "start" : `s${state}`}`;
    // Two lines: Graphviz does not widen a cluster for its label.
    const label = `${KIND_WORD[fn.kind] ?? fn.kind} ${fn.name}\n${doc.file.split(/[\\/]/).pop()}:${fn.line}`;
    const shown = label.split("\n").map((line) => cut(line, most)).join("\n");
    out.push(`  subgraph cluster_${f} {`, `    label=${dotString(shown)};`, '    color="#999999";');
    if (shown !== label) out.push(`    tooltip=${dotString(label)};`);
    out.push(`    ${id("start")} [shape=circle, label="", width=0.15, style=filled, fillcolor=black];`);
    for (const state of fn.states) {
      const fill = state.suspends ? ', style="rounded,filled", fillcolor="#fff3c4"' : "";
      out.push(`    ${id(state.index)} [label=${dotString(stateLabel(state, most))}${fill}${tooltip(stateLabel(state), most)}];`);
    }
    if (fn.edges.some((edge) => edge.to === "end")) out.push(`    ${id("end")} [shape=doublecircle, label="end", width=0.3, fontsize=9];`);
    if (fn.states.length > 0) out.push(`    ${id("start")} -> ${id(fn.states[0].index)};`);
    for (const edge of fn.edges) {
      const bold = edge.kind === "resume" ? ", penwidth=2" : "";
      out.push(`    ${id(edge.from)} -> ${id(edge.to)} [label=${dotString(edge.kind)}${DOT_EDGE_STYLE[edge.class]}${bold}];`);
    }
    out.push("  }");
  });
  out.push("}");
  return out.join("\n") + "\n";
}

function mermaidText(text: string): string {
  return text.replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;").replace(/\n/g, "<br/>");
}

/** Mermaid flowchart: one subgraph per function; exceptional and finally edges dotted. */
export function renderMermaid(doc: InspectDocument): string {
  const out = ["flowchart TD"];
  doc.functions.forEach((fn, f) => {
    const id = (state: number | "end" | "start") => `f${f}_${state === "end" ? "end" : state === "start" ? "start" : `s${state}`}`;
    out.push(`  subgraph f${f}["${mermaidText(heading(fn, doc.file))}"]`);
    out.push(`    ${id("start")}(("start"))`);
    for (const state of fn.states) out.push(`    ${id(state.index)}["${mermaidText(stateLabel(state))}"]`);
    if (fn.edges.some((edge) => edge.to === "end")) out.push(`    ${id("end")}((("end")))`);
    if (fn.states.length > 0) out.push(`    ${id("start")} --> ${id(fn.states[0].index)}`);
    for (const edge of fn.edges) {
      const arrow = edge.class === "normal" ? (edge.kind === "resume" ? "==>" : "-->") : "-.->";
      out.push(`    ${id(edge.from)} ${arrow}|${edge.kind}| ${id(edge.to)}`);
    }
    out.push("  end");
  });
  return out.join("\n") + "\n";
}

/**
 * The most states an svg picture lays out: Graphviz's layout grows faster than the graph (600 states take
 * 4 s, 1,800 take 16 s; 4,000 overflow its stack after 20 s, 18,000 did not finish in 11 minutes), and a
 * picture that size would not be read anyway.
 */
export const SVG_MOST_STATES = 2_500;

/** SVG through a WebAssembly build of Graphviz (no system Graphviz needed). */
export async function renderSvg(doc: InspectDocument, options: DotOptions = {}): Promise<string> {
  const { Graphviz } = await import("@hpcc-js/wasm-graphviz");
  const graphviz = await Graphviz.load();
  return graphviz.dot(renderDot(doc, options), "svg");
}
