// The events of `stepwise run --trace`, as JSON Lines carry them (`--trace=json`) and as every renderer
// reads them. Versioned: see docs/cli.md.

export const TRACE_SCHEMA = "stepwise.trace/1";

/** `--trace=FORMAT`: text (the default) and json stream to stderr or a file; svg and html are pictures. */
export const TRACE_FORMATS = ["text", "json", "svg", "html"] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];

interface Base {
  /** Order of the event in the trace, from 0. */
  seq: number;
  /** Milliseconds since the trace started. */
  t: number;
}

export type TraceEvent =
  | (Base & { type: "start"; schema: typeof TRACE_SCHEMA; file: string; args: string[]; node: string; mode: string })
  | (Base & { type: "macrotask"; macrotask: number; source: string; hook: string | null })
  | (Base & { type: "microtask"; macrotask: number; microtask: number; hook: string | null })
  /**
   * `thrown`: `sent` is thrown in; `returned`: a generator's `return(sent)` returns from where it is
   * suspended. `machine` (on a call's first step): the class of its machine in the generated code, which
   * tells apart functions of the same name on the same line (two arrow functions passed on one line).
   * `sentFull`: the full text of a `sent` that was cut (it ends with "…"), up to 1,000 characters.
   */
  | (Base & StepFields & { type: "enter"; first: boolean; machine?: string; sent?: string; sentFull?: string; thrown?: boolean; returned?: boolean })
  /**
   * `through`: the states the step ran in after the one it entered, in order (a state it falls or jumps
   * to, a catch or finally block; one a loop within the step runs again is listed again); none when it ran
   * in one state. At most 1,000: past that, the first 999 and the last, `throughMore` counting those left
   * out between them. `valueFull`: the full text of a `value` that was cut (it ends with "…"), up to 1,000
   * characters.
   */
  | (Base & StepFields & { type: "leave"; signal: string; operand?: string; value?: string; valueFull?: string; through?: number[]; throughMore?: number })
  /** `--mode loop`: an event of the explicit event loop (src/loop/event-loop.js LoopEvent), with its one-line text. */
  | (Base & { type: "loop"; event: string; text: string; detail: Record<string, unknown> })
  /** `signal`: Ctrl-C or SIGTERM stopped the program (its handler exited with `code`, 128 + the signal). */
  | (Base & { type: "exit"; code: number; steps: number; calls: number; macrotasks: number; signal?: "SIGINT" | "SIGTERM" });

/** An event before it gets its `seq` and `t`. */
export type EventBody = TraceEvent extends infer E ? (E extends unknown ? Omit<E, "seq" | "t"> : never) : never;

export interface StepFields {
  call: number;
  function: string;
  kind: string;
  /** The state entered (enter), or the state the machine continues in (leave; -1 once finished). */
  state: number;
  /** file:line of that state, when known. */
  at: string | null;
  macrotask: number;
  microtask: number;
}

/** Reads `--trace=json` output (JSON Lines); a partial last line (a killed program's) ends the events. */
export function parseTraceLines<Event = TraceEvent>(text: string): Event[] {
  const events: Event[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      events.push(JSON.parse(line) as Event);
    } catch {
      break;
    }
  }
  return events;
}
