// How the parts of `stepwise run` talk: the parent tells the Node process it starts what to do through one
// environment variable (run-preload.ts reads it); inside that process, the program's modules reach the
// runtime and the tracer through two global symbols.
import type { Mode } from "./mode.ts";
import type { TraceFormat } from "./trace/schema.ts";

export const RUN_CONFIG_VARIABLE = "STEPWISE_RUN";

export interface RunConfig {
  /** The program, as messages show it. */
  file: string;
  mode: Mode;
  trace: TraceFormat | null;
  /** Absolute; null: stderr. */
  traceFile: string | null;
  /** Colours for the text trace on stderr. */
  colors: boolean;
  /** The user's Babel configuration (--config-file, --no-babelrc). */
  babel: { configFile?: string; babelrc: boolean };
}

/** `globalThis[Symbol.for(RUNTIME_GLOBAL)]`: the runtime module, for CommonJS files (run-preload.ts sets it, run-hooks.ts points at it). */
export const RUNTIME_GLOBAL = "stepwise.runtime";

/** `globalThis[Symbol.for(TRACE_START_GLOBAL)]()`: every transformed module calls it first (run-hooks.ts); the trace counts turns from then on. */
export const TRACE_START_GLOBAL = "stepwise.trace.start";
