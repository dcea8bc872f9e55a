// What `stepwise run` tells the Node process it starts (src/cli/run-preload.ts reads it), through one
// environment variable.
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
}
