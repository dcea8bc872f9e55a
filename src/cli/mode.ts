// `--mode`: what each mode means for the CLI, in one table. Every command reads it from here: the
// choices `build` and `run` accept, the transform option, the runtime a program runs against, and the
// sources `run --trace` listens to.
import type { TransformOptions } from "../transform/index.ts";

export type Mode = NonNullable<TransformOptions["mode"]>;

/** Where `run --trace` gets its events (src/cli/trace/sources.ts). */
export type TraceSource = "runtime" | "loop";

export interface ModeProfile {
  /**
   * The transform's `mode` option, which picks what drives a lowered async function: undefined for the
   * transform's default (the runtime's promise driver), "loop" for event-loop coroutines.
   */
  transformMode: Mode | undefined;
  /** The stepwise module `run` gives the program's machines as their runtime. */
  runtimeUrl: string;
  /** What `run --trace` records: the runtime's tracer (every step), and the event loop's own events. */
  traceSources: readonly TraceSource[];
}

/** The runtime module (machines, drivers, the tracer hook) next to this folder, in src/ and in dist/. */
export const RUNTIME_URL = new URL("../runtime/index.js", import.meta.url).href;
/** The event loop module (re-exports the runtime, adds the loop and its trace). */
export const LOOP_URL = new URL("../loop/index.js", import.meta.url).href;

export const MODES: Readonly<Record<Mode, ModeProfile>> = {
  promise: { transformMode: undefined, runtimeUrl: RUNTIME_URL, traceSources: ["runtime"] },
  loop: { transformMode: "loop", runtimeUrl: LOOP_URL, traceSources: ["runtime", "loop"] },
};

/** The accepted `--mode` values, the default first. */
export const MODE_NAMES = Object.keys(MODES) as Mode[];
export const DEFAULT_MODE: Mode = "promise";

/**
 * A program that imports the event loop (`stepwise/loop`, or `@stepwise/runtime/loop` as generated code
 * does) runs in loop mode unless `--mode` says otherwise.
 */
const IMPORTS_LOOP = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["'](?:stepwise|@stepwise\/runtime)\/loop["']/g;

/**
 * The mode a program runs in when `--mode` is not given: loop if it imports `stepwise/loop` (its main file,
 * in code: an import a comment mentions is none).
 */
export function modeOf(source: string): Mode {
  for (const match of source.matchAll(IMPORTS_LOOP)) if (!inComment(source, match.index)) return "loop";
  return DEFAULT_MODE;
}

/** Whether a position is inside a `//` comment of its line or an unclosed `/* ... *\/` before it (strings aside). */
function inComment(source: string, at: number): boolean {
  const line = source.slice(source.lastIndexOf("\n", at) + 1, at);
  return line.includes("//") || source.lastIndexOf("/*", at) > source.lastIndexOf("*/", at);
}
