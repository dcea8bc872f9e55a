// How the parts of `stepwise run` talk: the parent tells the Node process it starts what to do through one
// environment variable (run-preload.ts reads it); inside that process, the program's modules reach the
// runtime and the tracer through two global symbols.
import type { MachineInfo } from "../transform/index.ts";
import type { Mode } from "./mode.ts";
import type { BabelChoice } from "./shared.ts";
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
  /** The user's Babel configuration (--config-file, --no-babelrc, --env-name, --root-mode). */
  babel: BabelChoice;
  /** The transform cache's folder; null: none (--no-cache); absent: the default (run-cache.ts). */
  cacheDir?: string | null;
  /** `--require` modules, loaded (as Node would, from the current directory) after the hooks are installed. */
  requires?: string[];
}

/** `globalThis[Symbol.for(RUNTIME_GLOBAL)]`: the runtime module, for CommonJS files (run-preload.ts sets it, run-hooks.ts points at it). */
export const RUNTIME_GLOBAL = "stepwise.runtime";

/** `globalThis[Symbol.for(TRACE_START_GLOBAL)]()`: every transformed module calls it first (run-hooks.ts); the trace counts turns from then on. */
export const TRACE_START_GLOBAL = "stepwise.trace.start";

/**
 * `globalThis[Symbol.for(FILES_GLOBAL)](shown, where, frames)`: each transformed module with machines says where
 * it is (`__filename`, or `import.meta.url`) and how V8 would name its machines' frames (`machineFrames`), for
 * stack traces (run-stacks.ts).
 */
export const FILES_GLOBAL = "stepwise.stacks.file";

/**
 * Per machine class of a file: [class, the name its function's frames show ("" for none), and for a generator
 * or async generator the name of the frame of the generator object's method that steps it (`g` of
 * `g.next (<anonymous>)`, `Generator` for an anonymous one; "" for an async function)].
 */
export type MachineFrames = [className: string, frameName: string, stepperName: string][];

export function machineFrames(machines: readonly MachineInfo[]): MachineFrames {
  return machines.map((machine) => {
    const frameName = machine.nameless ? "" : machine.name;
    // (a method is known as `Owner.key`, its function as `key`: V8 names the stepping method after the function)
    const own = frameName.replace(/^[^.[\]"#]+\./, "");
    const stepper = machine.kind === "async" ? "" : own || (machine.kind === "generator" ? "Generator" : "AsyncGenerator");
    return [machine.className, frameName, stepper];
  });
}
