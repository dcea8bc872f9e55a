// Where the trace's step events come from: adapters that attach to stepwise's runtime (every step of
// every machine) and to the event loop (its iterations, timers, callbacks and wake-ups, `--mode loop`).
// Which ones run is the mode's choice (src/cli/mode.ts traceSources).
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { LOOP_URL, RUNTIME_URL, type TraceSource } from "../mode.ts";
import { describe, describeFully } from "./describe.ts";
import type { EventBody } from "./schema.ts";
import { signalName } from "./signals.ts";
import type { Turns } from "./turns.ts";

export interface SourceContext {
  emit(event: EventBody): void;
  turns: Turns;
  /** Totals for the `exit` event. */
  counts: { steps: number; calls: number };
}

/** Attaches a source; what it returns detaches it when the program exits. */
type Attach = (context: SourceContext) => (() => void) | undefined;

// (required, as the preload loads everything: the same instance the program's modules import)
const require = createRequire(import.meta.url);

/** What the transform's `machineInfo` option puts on each machine class (`$info`). */
interface Info {
  name: string;
  kind: string;
  file: string;
  line: number;
  states: { line: number | null; suspends: { kind: string; operand: string } | null; resumes: number | null }[];
}

interface Machine {
  state: number;
  constructor: { name: string; $info?: Info };
}

/** The most states a step's `through` lists (a loop that never suspends could pass millions). */
const THROUGH_LIMIT = 1000;

/**
 * A machine's `state` while it is traced, and the states written while a step runs (null between steps):
 * past THROUGH_LIMIT, the first ones and the last, `more` counting those left out and `before` holding
 * the one the last replaced.
 */
interface StateWatch {
  value: number;
  written: number[] | null;
  more: number;
  before: number;
}

/**
 * The states a step runs in, which the step bracket does not see (it sees where a step starts and where it
 * will continue): the writes of `machine.state`. Generated code goes to state N by writing it (`this.state
 * = N;` before falling through or `continue dispatch`; compiled with `machineInfo`, as `run` compiles, also
 * where a state falls into the next one of its try region, which a plain build leaves unwritten), as the runtime does for a jump through a `finally`
 * and for a catch; an await or a yield writes where the machine will continue, and a finished machine's
 * state is FINISHED. So an accessor in place of the machine's own `state` field records the writes while a
 * step runs (in a traced run only: it costs the machine its fast field).
 */
function watchStates(watches: WeakMap<object, StateWatch>, machine: Machine): StateWatch {
  let watch = watches.get(machine);
  if (watch === undefined) {
    const made: StateWatch = { value: machine.state, written: null, more: 0, before: 0 };
    Object.defineProperty(machine, "state", {
      get: () => made.value,
      set: (state: number) => {
        made.value = state;
        const written = made.written;
        if (written === null) return;
        if (written.length < THROUGH_LIMIT) written.push(state);
        else {
          made.more++;
          made.before = written[THROUGH_LIMIT - 1];
          written[THROUGH_LIMIT - 1] = state;
        }
      },
      enumerable: true,
      configurable: true,
    });
    watches.set(machine, made);
    watch = made;
  }
  watch.written = [];
  watch.more = 0;
  return watch;
}

/** The states a step entered after its first, from its writes: not where a suspension continues, nor FINISHED. */
function statesThrough(watch: StateWatch | undefined, signal: string, continuesIn: number): { through?: number[]; throughMore?: number } {
  const written = watch?.written;
  if (!watch || !written) return {};
  watch.written = null;
  const suspends = signal === "await" || signal === "yield" || signal === "yield*" || signal === "started";
  if (suspends && written[written.length - 1] === continuesIn) {
    if (watch.more === 0) written.pop();
    else {
      written[written.length - 1] = watch.before;
      watch.more--;
    }
  }
  const through = written.filter((state) => state >= 0);
  if (through.length === 0) return {};
  return watch.more > 0 ? { through, throughMore: watch.more } : { through };
}

/** The runtime's tracer (src/runtime/index.js setTracer): `enter` and `leave` around every step. */
const runtime: Attach = ({ emit, turns, counts }) => {
  const module = require(fileURLToPath(RUNTIME_URL)) as { setTracer(tracer: unknown): unknown };
  const calls = new WeakMap<object, number>();
  const watches = new WeakMap<object, StateWatch>();
  const step = (machine: Machine) => {
    const info = machine.constructor.$info;
    let call = calls.get(machine);
    const first = call === undefined;
    if (call === undefined) {
      call = ++counts.calls;
      calls.set(machine, call);
    }
    const line = info && machine.state >= 0 ? info.states[machine.state]?.line : null;
    return {
      call,
      first,
      function: info?.name ?? machine.constructor.name,
      kind: info?.kind ?? "unknown",
      state: machine.state,
      at: info && line != null ? `${info.file}:${line}` : null,
      macrotask: turns.macrotask,
      microtask: turns.microtask,
      info,
    };
  };
  module.setTracer({
    enter(machine: Machine, sent: unknown, thrown: boolean, returned: boolean) {
      turns.boundary();
      counts.steps++;
      const { info: _info, first, ...fields } = step(machine);
      const event: Record<string, unknown> = { type: "enter", ...fields, first };
      // (the class names a function exactly: its name and line do not, for two arrows on one line)
      if (first) event.machine = machine.constructor.name;
      if (!first || sent !== undefined) {
        const { text, full } = describeFully(sent);
        event.sent = text;
        if (full !== undefined) event.sentFull = full;
      }
      if (thrown) event.thrown = true;
      if (returned) event.returned = true;
      emit(event as unknown as EventBody);
      watchStates(watches, machine);
    },
    leave(machine: Machine, signal: number, value: unknown) {
      turns.boundary();
      const { info, first: _first, ...fields } = step(machine);
      const name = signalName(signal);
      const through = statesThrough(watches.get(machine), name, machine.state);
      const event: Record<string, unknown> = { type: "leave", ...fields, signal: name };
      if (name === "await" || name === "yield" || name === "yield*") {
        const from = info?.states.find((state) => state.suspends && state.resumes === machine.state);
        // "…": the transform could not recover the operand's source text.
        if (from?.suspends && from.suspends.operand !== "…") event.operand = from.suspends.operand;
      }
      // (a yield*'s value is the delegation, runtime/delegation.js: what it delegates to is its iterator)
      if (name !== "started") {
        const { text, full } = describeFully(name === "yield*" ? (value as { iterator?: unknown } | null)?.iterator : value);
        event.value = text;
        if (full !== undefined) event.valueFull = full;
      }
      emit({ ...event, ...through } as unknown as EventBody);
    },
  });
  return () => module.setTracer(null);
};

/** The event loop's default trace (src/loop/event-loop.js setDefaultTrace): every loop the program creates reports to it. */
const loop: Attach = ({ emit, turns }) => {
  const module = require(fileURLToPath(LOOP_URL)) as {
    setDefaultTrace(sink: ((event: { kind: string }) => void) | null): unknown;
    formatEvent(event: { kind: string }): string;
  };
  module.setDefaultTrace((event) => {
    // The Node macrotask each loop event happens in (an iteration is one, a host event another).
    turns.boundary();
    const { kind, ...detail } = event as { kind: string } & Record<string, unknown>;
    const plain = Object.fromEntries(Object.entries(detail).map(([key, value]) => [key, typeof value === "object" && value !== null ? describe(value) : value]));
    emit({ type: "loop", event: kind, text: module.formatEvent(event).trim(), detail: plain });
  });
  return undefined;
};

export const SOURCES: Readonly<Record<TraceSource, Attach>> = { runtime, loop };
