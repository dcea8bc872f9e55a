// What the explorer page shows, gathered on the Node side: each traced file's source, its generated
// machine classes (with the lines of each state's `case`), the state graph of each function (the SVG
// that `inspect` draws), which function each traced call is, and the trace itself.
import { buildModel } from "../inspect/model.ts";
import type { FunctionGraph, InspectDocument } from "../inspect/schema.ts";
import { renderSvg, SVG_MOST_STATES } from "../inspect/render.ts";
import type { MachineInfo } from "../transform/index.ts";
import { parseTraceLines } from "../cli/trace/schema.ts";
import { annotateSvg } from "./graph-svg.ts";

export const EXPLORE_SCHEMA = "stepwise.explore/1";

/**
 * The most characters of a line of a graph's labels (a function's heading, what a state awaits): a long
 * name would widen the picture, which the page then draws smaller to fit its pane. The whole text is the
 * label's tooltip.
 */
export const GRAPH_LABEL_MOST = 36;

/** A trace event as `run --trace=json` writes it (see docs/cli.md, schema stepwise.trace/1). */
export type TraceEventJson = { seq: number; t: number; type: string } & Record<string, unknown>;

export interface ExploreFunction extends FunctionGraph {
  /** The state graph, as `inspect --format svg` draws it for this function alone (its groups annotated: graph-svg.ts). */
  svg: string;
  /** 1-based lines of the generated code: the class, and each state's `case` (from its `// file:line` comment to its last line). */
  classLines: { start: number; end: number } | null;
  cases: Record<number, { start: number; end: number }>;
}

export interface ExploreFile {
  path: string;
  source: string;
  /** The file as the transform writes it (what `stepwise build` prints). */
  code: string;
  functions: ExploreFunction[];
}

export interface ExploreData {
  schema: typeof EXPLORE_SCHEMA;
  file: string;
  mode: "promise" | "loop";
  /** The program's exit code (null when the trace has no exit event). */
  exitCode: number | null;
  files: ExploreFile[];
  /** Which function each call is: `call` → [file index, function index]. */
  calls: Record<number, [number, number]>;
  events: TraceEventJson[];
}

export interface CompiledFile {
  path: string;
  source: string;
  code: string;
  machines: MachineInfo[];
}

/** Reads `run --trace=json` output (JSON Lines); a partial last line (a killed program) is dropped. */
export const parseTrace = (text: string): TraceEventJson[] => parseTraceLines<TraceEventJson>(text);

/** The files a trace's steps come from (`at: "file:line"`), in order of appearance. */
export function tracedFiles(events: TraceEventJson[]): string[] {
  const files: string[] = [];
  for (const event of events) {
    if (typeof event.at !== "string") continue;
    const file = event.at.replace(/:\d+$/, "");
    if (!files.includes(file)) files.push(file);
  }
  return files;
}

/** `exitCode`: the program's, as the process that ran it saw it: a killed program's trace has no exit event. */
export async function buildExploreData(options: { file: string; mode: "promise" | "loop"; files: CompiledFile[]; events: TraceEventJson[]; exitCode?: number }): Promise<ExploreData> {
  const files: ExploreFile[] = [];
  for (const compiled of options.files) {
    const doc = buildModel(compiled.path, compiled.machines);
    const functions: ExploreFunction[] = [];
    for (const fn of doc.functions) {
      const single: InspectDocument = { ...doc, functions: [fn] };
      const { classLines, cases } = caseLines(compiled.code, fn);
      // (a graph too large to lay out is not drawn: the page says so where it would be)
      const svg = fn.states.length > SVG_MOST_STATES ? `<p class="no-graph">${fn.states.length.toLocaleString("en-US")} states: more than a graph is drawn for (${SVG_MOST_STATES.toLocaleString("en-US")}).</p>` : annotateSvg(await renderSvg(single, { labelMost: GRAPH_LABEL_MOST }));
      functions.push({ ...fn, svg, classLines, cases });
    }
    files.push({ path: compiled.path, source: compiled.source, code: compiled.code, functions });
  }
  const exit = options.events.find((event) => event.type === "exit");
  return {
    schema: EXPLORE_SCHEMA,
    file: options.file,
    mode: options.mode,
    exitCode: exit ? (exit.code as number) : (options.exitCode ?? null),
    files,
    calls: matchCalls(files, options.events),
    events: options.events,
  };
}

/**
 * Where each state's `case` is in the generated code: the class starts at `class Name`, and each state
 * at its `// file:line` comment (or its `case N:` line when it has none) and runs to the next one.
 */
export function caseLines(code: string, fn: FunctionGraph): { classLines: ExploreFunction["classLines"]; cases: ExploreFunction["cases"] } {
  // Lines as the explorer's code pane counts them (client.js `colourLines`).
  const lines = code.split(/\r\n|[\n\r\u2028\u2029]/);
  const head = new RegExp(`^(\\s*)(?:export\\s+)?class ${fn.className.replace(/\$/g, "\\$")}\\b`);
  const start = lines.findIndex((line) => head.test(line));
  if (start < 0) return { classLines: null, cases: {} };
  const indent = head.exec(lines[start])![1].length;
  let end = start;
  for (let i = start + 1; i < lines.length; i++) {
    if (/^\s*}\s*$/.test(lines[i]) && lines[i].indexOf("}") === indent) {
      end = i;
      break;
    }
  }
  const cases: ExploreFunction["cases"] = {};
  const starts: { state: number; line: number }[] = [];
  // The states are the cases of the machine's own switch: the first `case` line sets their indentation
  // (a switch of the program's own code inside a state is indented deeper).
  let caseIndent = -1;
  for (let i = start; i <= end; i++) {
    const match = /^(\s*)case (\d+):/.exec(lines[i]);
    if (!match) continue;
    if (caseIndent < 0) caseIndent = match[1].length;
    if (match[1].length !== caseIndent) continue;
    const state = Number(match[2]);
    if (starts.some((entry) => entry.state === state) || !fn.states.some((s) => s.index === state)) continue;
    const comment = i > 0 && /^\s*\/\/ \S+:\d+\s*$/.test(lines[i - 1]) ? i - 1 : i;
    starts.push({ state, line: comment });
  }
  starts.forEach((entry, k) => {
    let last = k + 1 < starts.length ? starts[k + 1].line - 1 : end;
    if (k + 1 === starts.length) {
      // The last case ends where the switch closes.
      for (let i = entry.line + 1; i <= end; i++) {
        const text = lines[i];
        if (/^\s*}/.test(text) && /^\s*/.exec(text)![0].length < caseIndent) {
          last = i - 1;
          break;
        }
      }
    }
    cases[entry.state] = { start: entry.line + 1, end: last + 1 };
  });
  return { classLines: { start: start + 1, end: end + 1 }, cases };
}

/**
 * Each call's function. Its first step names the machine's class (`machine`), which is unique in its
 * file: the class in the file of the step's `at`. A trace without it (written before it was recorded, or a
 * class renamed by the project's Babel plugins) falls back on the function's name, in the file of the
 * step's `at`, whose state has that line: two functions of one name on one line are then not told apart.
 */
export function matchCalls(files: ExploreFile[], events: TraceEventJson[]): Record<number, [number, number]> {
  const calls: Record<number, [number, number]> = {};
  for (const event of events) {
    if (event.type !== "enter" || typeof event.call !== "number" || calls[event.call]) continue;
    const at = typeof event.at === "string" ? /^(.*):(\d+)$/.exec(event.at) : null;
    const byClass = typeof event.machine === "string" && files.some((file) => file.functions.some((fn) => fn.className === event.machine));
    const candidates: { file: number; fn: number; score: number }[] = [];
    files.forEach((file, f) =>
      file.functions.forEach((fn, i) => {
        if (byClass ? fn.className !== event.machine : fn.name !== event.function) return;
        let score = 0;
        if (at && at[1] === file.path) score += 2;
        if (at && fn.states.find((state) => state.index === event.state)?.line === Number(at[2])) score += 1;
        candidates.push({ file: f, fn: i, score });
      }),
    );
    candidates.sort((a, b) => b.score - a.score);
    if (candidates.length) calls[event.call] = [candidates[0].file, candidates[0].fn];
  }
  return calls;
}
