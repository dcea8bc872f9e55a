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
  /** The transform cache's folder; null: none (--no-cache); absent: the default (run-cache.ts). */
  cacheDir?: string | null;
  /** `--require` modules, loaded (as Node would, from the current directory) after the hooks are installed. */
  requires?: string[];
}

/** `globalThis[Symbol.for(RUNTIME_GLOBAL)]`: the runtime module, for CommonJS files (run-preload.ts sets it, run-hooks.ts points at it). */
export const RUNTIME_GLOBAL = "stepwise.runtime";

/** `globalThis[Symbol.for(TRACE_START_GLOBAL)]()`: every transformed module calls it first (run-hooks.ts); the trace counts turns from then on. */
export const TRACE_START_GLOBAL = "stepwise.trace.start";

/** `globalThis[Symbol.for(FILES_GLOBAL)](shown, where)`: each transformed module with machines says where it is (`__filename`, or `import.meta.url`), for stack traces (run-stacks.ts). */
export const FILES_GLOBAL = "stepwise.stacks.file";
