// `stepwise run --trace`: a tracer on the runtime (every step of every machine) plus async_hooks (which
// microtask job and which macrotask each step runs in). Events are versioned: see docs/cli.md.
import { createHook } from "node:async_hooks";
import { closeSync, openSync, writeFileSync, writeSync } from "node:fs";
import { inspect } from "node:util";
import type { RunConfig } from "./run.ts";
import { displayPath } from "./shared.ts";
import { renderTraceHtml, renderTraceSvg } from "./trace-render.ts";

export const TRACE_SCHEMA = "stepwise.trace/1";

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
  | (Base & StepFields & { type: "enter"; first: boolean; sent?: string; thrown?: boolean })
  | (Base & StepFields & { type: "leave"; signal: string; operand?: string; value?: string })
  /** `--mode loop`: an event of the explicit event loop (src/loop/event-loop.js LoopEvent), with its one-line text. */
  | (Base & { type: "loop"; event: string; text: string; detail: Record<string, unknown> })
  | (Base & { type: "exit"; code: number; steps: number; calls: number; macrotasks: number });

/** An event before it gets its `seq` and `t`. */
type EventBody = TraceEvent extends infer E ? (E extends unknown ? Omit<E, "seq" | "t"> : never) : never;

interface StepFields {
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

const SIGNALS: Record<number, string> = { [-1]: "throw", 0: "await", 1: "return", 2: "continue", 3: "yield", 4: "yield*", 5: "started" };
/** Jobs of the microtask queue (and process.nextTick's queue) as async_hooks names them. */
const MICROTASK_HOOKS = new Set(["PROMISE", "Microtask", "TickObject"]);
const MACROTASK_SOURCE: Record<string, string> = { Timeout: "timer", Immediate: "immediate" };

export async function startTracing(config: RunConfig, runtimeUrl: string): Promise<void> {
  const runtime = (await import(runtimeUrl)) as { setTracer(tracer: unknown): unknown };
  const started = performance.now();
  const events: TraceEvent[] = [];
  let seq = 0;
  const sink = makeSink(config);

  const emit = (event: EventBody) => {
    const full = { seq: seq++, t: Math.round((performance.now() - started) * 1000) / 1000, ...event } as TraceEvent;
    sink.write(full);
    if (sink.keep) events.push(full);
  };

  // Turns: which macrotask (0 = the program's main evaluation) and which microtask job within it.
  const hookTypes = new Map<number, string>();
  let depth = 0;
  let running = false;
  let macrotask = 0;
  let microtask = 0;
  let macroSource = "main";
  let macroHook: string | null = null;
  let microHook: string | null = null;
  let uncounted = false;
  let shownMacrotask = -1;
  let shownMicrotask = 0;
  createHook({
    init(id, type) {
      hookTypes.set(id, type);
    },
    before(id) {
      if (depth++ !== 0 || !running) return;
      const type = hookTypes.get(id) ?? null;
      if (type !== null && MICROTASK_HOOKS.has(type)) {
        microtask++;
        microHook = type;
      } else {
        // Node's module loader talks to its hooks thread through a MessagePort: such a message counts as
        // a macrotask only if a machine runs in it.
        uncounted = type === "MESSAGEPORT";
        if (!uncounted) macrotask++;
        microtask = 0;
        macroSource = type === null ? "unknown" : (MACROTASK_SOURCE[type] ?? "io");
        macroHook = type;
      }
    },
    after() {
      depth--;
    },
    destroy(id) {
      hookTypes.delete(id);
    },
  }).enable();
  (globalThis as Record<symbol, unknown>)[Symbol.for("stepwise.trace.start")] = () => {
    running = true;
  };

  const boundary = () => {
    if (uncounted) {
      uncounted = false;
      macrotask++;
    }
    if (macrotask !== shownMacrotask) {
      shownMacrotask = macrotask;
      shownMicrotask = 0;
      emit({ type: "macrotask", macrotask, source: macroSource, hook: macrotask === 0 ? null : macroHook });
    }
    if (microtask !== shownMicrotask) {
      shownMicrotask = microtask;
      emit({ type: "microtask", macrotask, microtask, hook: microHook });
    }
  };

  const calls = new WeakMap<object, number>();
  let nextCall = 1;
  let steps = 0;
  const step = (machine: Machine) => {
    const info = machine.constructor.$info;
    let call = calls.get(machine);
    const first = call === undefined;
    if (call === undefined) {
      call = nextCall++;
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
      macrotask,
      microtask,
      info,
    };
  };

  const tracer = {
    enter(machine: Machine, sent: unknown, thrown: boolean) {
      boundary();
      steps++;
      const { info: _info, first, ...fields } = step(machine);
      const event: Record<string, unknown> = { type: "enter", ...fields, first };
      if (!first || sent !== undefined) event.sent = describe(sent);
      if (thrown) event.thrown = true;
      emit(event as unknown as EventBody);
    },
    leave(machine: Machine, signal: number, value: unknown) {
      boundary();
      const { info, first: _first, ...fields } = step(machine);
      const name = SIGNALS[signal] ?? `signal ${signal}`;
      const event: Record<string, unknown> = { type: "leave", ...fields, signal: name };
      if (name === "await" || name === "yield" || name === "yield*") {
        const from = info?.states.find((state) => state.suspends && state.resumes === machine.state);
        // "…": the transform could not recover the operand's source text.
        if (from?.suspends && from.suspends.operand !== "…") event.operand = from.suspends.operand;
      }
      if (name !== "started") event.value = describe(value);
      emit(event as unknown as EventBody);
    },
  };
  runtime.setTracer(tracer);

  if (config.mode === "loop") {
    // The loops the program creates report their iterations, timers, callbacks and wake-ups here too.
    const loop = (await import(new URL("../loop/index.js", runtimeUrl).href)) as {
      setDefaultTrace(sink: ((event: { kind: string }) => void) | null): unknown;
      formatEvent(event: { kind: string }): string;
    };
    loop.setDefaultTrace((event) => {
      const { kind, ...detail } = event as { kind: string } & Record<string, unknown>;
      const plain = Object.fromEntries(Object.entries(detail).map(([key, value]) => [key, typeof value === "object" && value !== null ? describe(value) : value]));
      emit({ type: "loop", event: kind, text: loop.formatEvent(event).trim(), detail: plain });
    });
  }

  emit({ type: "start", schema: TRACE_SCHEMA, file: config.file, args: process.argv.slice(2), node: process.version, mode: config.mode });
  process.on("exit", (code) => {
    runtime.setTracer(null);
    emit({ type: "exit", code, steps, calls: nextCall - 1, macrotasks: macrotask + 1 });
    sink.close(events);
  });
}

/** A short, side-effect-free description of a value (custom inspect functions and getters are not run). */
export function describe(value: unknown): string {
  if (value instanceof Promise) return promiseState(value);
  const loopObject = loopDescription(value);
  if (loopObject !== null) return loopObject;
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value instanceof Error) return `${value.name}: ${value.message}`.slice(0, 80);
  let text: string;
  try {
    text = inspect(value, { depth: 0, breakLength: Infinity, maxArrayLength: 5, maxStringLength: 40, customInspect: false, getters: false, colors: false });
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/** The event loop's own objects, as the loop names them (`Task-2`, `Future#3 (sleep 10 ms)`); null for others. */
function loopDescription(value: unknown): string | null {
  if (typeof value !== "object" || value === null) return null;
  const tag = Object.prototype.toString.call(value).slice(8, -1);
  if (tag === "Future" || tag === "Task" || tag === "Coroutine") {
    const own = (value as { describe?: unknown }).describe;
    if (typeof own === "function") return String(own.call(value));
  }
  if (value.constructor?.name === "Reschedule") return "sleep(0): the next loop iteration";
  return null;
}

/** `Promise { <pending> }`, `Promise { 1 }`, `Promise { <rejected> Error: no }`, without async_hooks' symbols. */
function promiseState(promise: Promise<unknown>): string {
  const text = inspect(promise, { depth: 0, breakLength: Infinity, maxStringLength: 40, customInspect: false, getters: false });
  const cleaned = text.replace(/\n\s*at [^\n]*/g, "").replace(/,? ?\[Symbol\((async_id_symbol|trigger_async_id_symbol)\)\]: \d+,?/g, "").replace(/\s+}$/, " }");
  return cleaned.length > 80 ? `${cleaned.slice(0, 79)}…` : cleaned;
}

interface Sink {
  keep: boolean;
  write(event: TraceEvent): void;
  close(events: TraceEvent[]): void;
}

function makeSink(config: RunConfig): Sink {
  const shown = (path: string) => displayPath(path);
  if (config.trace === "svg" || config.trace === "html") {
    const file = config.traceFile!;
    const format = config.trace;
    return {
      keep: true,
      write() {},
      close(events) {
        writeFileSync(file, format === "svg" ? renderTraceSvg(events) : renderTraceHtml(events));
        writeSync(2, `stepwise run: trace written to ${shown(file)}\n`);
      },
    };
  }
  const fd = config.traceFile === null ? 2 : openSync(config.traceFile, "w");
  if (config.trace === "json") {
    return {
      keep: false,
      write(event) {
        writeSync(fd, JSON.stringify(event) + "\n");
      },
      close() {
        if (fd !== 2) closeSync(fd);
      },
    };
  }
  const text = textRenderer(config.colors && fd === 2);
  return {
    keep: false,
    write(event) {
      const line = text(event);
      if (line !== null) writeSync(fd, line + "\n");
    },
    close() {
      if (fd !== 2) closeSync(fd);
    },
  };
}

/** The human timeline: one line per step boundary, indented under its macrotask and microtask. */
function textRenderer(colors: boolean): (event: TraceEvent) => string | null {
  const paint = (code: number) => (text: string) => (colors ? `\x1b[${code}m${text}\x1b[0m` : text);
  const dim = paint(2);
  const cyan = paint(36);
  const yellow = paint(33);
  const green = paint(32);
  const red = paint(31);
  const magenta = paint(35);
  const gutter = dim("┊ ");
  return (event) => {
    switch (event.type) {
      case "start":
        return dim(`stepwise run: tracing ${event.file} (each ▶ is a machine resuming; lines without ┊ are the program's output)`);
      case "macrotask":
        return dim(event.macrotask === 0 ? "┄┄ main: the program's first run ┄┄" : `┄┄ macrotask ${event.macrotask}: ${event.source}${event.source === "io" ? ` (${event.hook})` : ""} ┄┄`);
      case "microtask":
        return gutter + dim(`· microtask ${event.microtask}`);
      case "enter": {
        const who = cyan(`${event.function}#${event.call}`);
        const where = event.at ? dim(` (${event.at})`) : "";
        if (event.first) return `${gutter}▶ ${who} starts in state ${event.state}${where}`;
        const how = event.thrown ? red(`thrown ${event.sent}`) : `with ${event.sent}`;
        return `${gutter}▶ ${who} resumes in state ${event.state}${where} ${how}`;
      }
      case "leave": {
        const who = cyan(`${event.function}#${event.call}`);
        switch (event.signal) {
          case "await":
            return `${gutter}⏸ ${who} awaits ${event.operand ? `${yellow(event.operand)}${dim(` = ${event.value}`)}` : yellow(String(event.value))}, then state ${event.state}`;
          case "yield":
          case "yield*":
            return `${gutter}⏸ ${who} ${event.signal === "yield" ? "yields" : "delegates to"} ${event.operand ? `${magenta(event.operand)}${dim(` = ${event.value}`)}` : magenta(String(event.value))}, then state ${event.state}`;
          case "return":
            return `${gutter}✓ ${who} ${green(`returns ${event.value}`)}`;
          case "throw":
            return `${gutter}✗ ${who} ${red(`throws ${event.value}`)}`;
          case "started":
            return `${gutter}⏸ ${who} bound its parameters, waits for next()`;
          default:
            return `${gutter}⏸ ${who} ${event.signal} ${event.value ?? ""}`;
        }
      }
      case "loop":
        // Task steps already show as ▶/⏸ lines (the runtime's tracer); the loop adds its own turns.
        if (event.event === "step" || event.event === "suspend") return null;
        return event.event === "iteration" ? dim(`⟳ loop ${event.text}`) : `${gutter}${dim(`loop: ${event.text}`)}`;
      case "exit":
        return dim(`stepwise run: ${event.steps} steps of ${event.calls} calls in ${event.macrotasks} macrotasks; exit code ${event.code}`);
    }
  };
}
