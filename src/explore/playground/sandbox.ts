// Runs in a dedicated Worker that the playground's sandboxed iframe starts (sandbox-host.ts; no same origin,
// no network: the iframe's CSP, which the worker inherits, allows no connection): executes a program the
// transform lowered (CommonJS-style, `require("@stepwise/runtime")` or `require("@stepwise/runtime/loop")`) with a
// tracer on the runtime (and, in loop mode, on the event loop), and posts back the trace in the events
// of `run --trace=json` (schema stepwise.trace/1) and the console output as they come, so that a program
// the iframe stops (terminating this worker: a runaway loop cannot block the page) leaves what it printed
// and recorded until then. Browsers have no async_hooks: macrotasks are the timer callbacks this sandbox
// wraps, and microtask jobs are not told apart (their events carry `microtask: null`).
import * as loop from "../../loop/index.js";
import * as runtime from "../../runtime/index.js";

// The event loop gives the host a turn with setImmediate, which browsers lack: a message port does it.
if (typeof (globalThis as { setImmediate?: unknown }).setImmediate !== "function") {
  const queue = new Map<number, () => void>();
  let next = 1;
  const channel = new MessageChannel();
  channel.port1.onmessage = (event) => {
    const fn = queue.get(event.data as number);
    queue.delete(event.data as number);
    fn?.();
  };
  Object.assign(globalThis, {
    setImmediate(fn: (...args: unknown[]) => void, ...args: unknown[]) {
      const id = next++;
      queue.set(id, () => fn(...args));
      channel.port2.postMessage(id);
      return id;
    },
    clearImmediate(id: number) {
      queue.delete(id);
    },
  });
}

interface Info {
  name: string;
  kind: string;
  file: string;
  states: { line: number | null; suspends: { kind: string; operand: string } | null; resumes: number | null }[];
}
interface Machine {
  state: number;
  constructor: { name: string; $info?: Info };
}

const SIGNALS: Record<number, string> = { [-1]: "throw", 0: "await", 1: "return", 2: "continue", 3: "yield", 4: "yield*", 5: "started" };

function describe(value: unknown, most = 80): string {
  let text: string;
  const tag = typeof value === "object" && value !== null ? Object.prototype.toString.call(value).slice(8, -1) : "";
  if (tag === "Future" || tag === "Task" || tag === "Coroutine" || (typeof value === "object" && value?.constructor?.name === "Reschedule")) text = describeLoop(value as object);
  else if (typeof value === "string") text = JSON.stringify(value.length > most / 2 ? `${value.slice(0, most / 2)}…` : value);
  else if (value instanceof Promise) text = "Promise { <pending> }";
  else if (value instanceof Error) text = `${value.name}: ${value.message}`;
  else if (typeof value === "function") text = `[Function: ${value.name || "(anonymous)"}]`;
  else if (typeof value === "symbol" || typeof value === "bigint") text = String(value) + (typeof value === "bigint" ? "n" : "");
  else if (value === null || typeof value !== "object") text = String(value);
  else {
    try {
      text = JSON.stringify(value) ?? Object.prototype.toString.call(value);
    } catch {
      text = Object.prototype.toString.call(value);
    }
  }
  return text.length > most ? `${text.slice(0, most - 1)}…` : text;
}

/** A description, and its text up to 1,000 characters when it was cut (as the CLI's trace, trace/describe.ts). */
function describeFully(value: unknown): { text: string; full?: string } {
  const text = describe(value);
  const full = text.endsWith("…") || text.endsWith('…"') ? describe(value, 1000) : text;
  return full === text ? { text } : { text, full };
}

/** An error as the run reports it (`Uncaught ...`): its whole message, not a trace's short description. */
function errorText(value: unknown): string {
  return value instanceof Error ? `${value.name}: ${value.message}` : describe(value, Infinity);
}

/** What the worker posts: events and console lines recorded since the last chunk; `done` ends the run. */
export type SandboxMessage =
  | { type: "chunk"; events: Record<string, unknown>[]; output: string[] }
  | { type: "done"; error: string | null }
  /** The trace or the output reached its most: the iframe terminates the worker (`reason`: "at 50,000 events"). */
  | { type: "full"; reason: string };

/**
 * The first events and lines are posted one by one (a program that then loops without end, which only
 * terminating the worker stops, loses none of them); after those, in chunks of up to `CHUNK` or every
 * `CHUNK_MS` milliseconds (a long trace is not slowed by a message an event).
 */
const EAGER = 2000;
const CHUNK = 1000;
const CHUNK_MS = 25;
/**
 * The most events and console lines a run records: a program that goes on past either (a loop that awaits
 * without end, which would record hundreds of thousands of events a second) is stopped there. (The explorer
 * opens 50,000 steps of one call in a second or two, and steps through them at once.)
 */
const MOST_EVENTS = 50_000;
const MOST_LINES = 10_000;

/** Runs `code`, posting what it records through `post`, and resolves once no timer is pending (or after `limitMs`). */
export function run(code: string, file: string, mode: "promise" | "loop", post: (message: SandboxMessage) => void, options: { topLevelAwait?: boolean; limitMs?: number } = {}): Promise<void> {
  const limitMs = options.limitMs ?? 5000;
  let events: Record<string, unknown>[] = [];
  let output: string[] = [];
  let posted = 0;
  let lines = 0;
  let full = false;
  let lastPost = performance.now();
  const flush = () => {
    if (events.length === 0 && output.length === 0) return;
    post({ type: "chunk", events, output });
    events = [];
    output = [];
    lastPost = performance.now();
  };
  const stop = (reason: string) => {
    full = true;
    flush();
    post({ type: "full", reason });
  };
  const recorded = () => {
    if (++posted <= EAGER || events.length + output.length >= CHUNK || performance.now() - lastPost >= CHUNK_MS) flush();
  };
  const started = performance.now();
  let seq = 0;
  let macrotask = 0;
  let shown = -1;
  let failure: string | null = null;
  const emit = (event: Record<string, unknown>) => {
    if (full) return;
    if (seq === MOST_EVENTS) return stop(`at ${MOST_EVENTS.toLocaleString("en-US")} events`);
    events.push({ seq: seq++, t: Math.round((performance.now() - started) * 1000) / 1000, ...event });
    recorded();
  };
  const boundary = () => {
    if (macrotask !== shown) {
      shown = macrotask;
      emit({ type: "macrotask", macrotask, source: macrotask === 0 ? "main" : "timer", hook: macrotask === 0 ? null : "Timeout" });
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
    return { call, first, function: info?.name ?? machine.constructor.name, kind: info?.kind ?? "unknown", state: machine.state, at: info && line != null ? `${info.file}:${line}` : null, macrotask, microtask: null, info };
  };
  runtime.setTracer({
    enter(machine: Machine, sent: unknown, thrown: boolean, returned: boolean) {
      boundary();
      steps++;
      const { info: _info, first, ...fields } = step(machine);
      const event: Record<string, unknown> = { type: "enter", ...fields, first };
      if (first) event.machine = machine.constructor.name;
      if (!first || sent !== undefined) {
        const { text, full } = describeFully(sent);
        event.sent = text;
        if (full !== undefined) event.sentFull = full;
      }
      if (thrown) event.thrown = true;
      if (returned) event.returned = true;
      emit(event);
    },
    leave(machine: Machine, signal: number, value: unknown) {
      boundary();
      const { info, first: _first, ...fields } = step(machine);
      const name = SIGNALS[signal] ?? `signal ${signal}`;
      const event: Record<string, unknown> = { type: "leave", ...fields, signal: name };
      if (name === "await" || name === "yield" || name === "yield*") {
        const from = info?.states.find((state) => state.suspends && state.resumes === machine.state);
        if (from?.suspends && from.suspends.operand !== "…") event.operand = from.suspends.operand;
      }
      if (name !== "started") {
        const { text, full } = describeFully(value);
        event.value = text;
        if (full !== undefined) event.valueFull = full;
      }
      emit(event);
    },
  } as never);

  let loopsOpen = 0;
  if (mode === "loop") {
    loop.setDefaultTrace((event: { kind: string } & Record<string, unknown>) => {
      const { kind, ...detail } = event;
      const plain = Object.fromEntries(Object.entries(detail).map(([key, value]) => [key, typeof value === "object" && value !== null ? describeLoop(value) : value]));
      if (kind === "iteration" && detail.iteration === 1) loopsOpen++;
      if (kind === "close") loopsOpen--;
      emit({ type: "loop", event: kind, text: loop.formatEvent(event as never).trim(), detail: plain });
    });
  }

  // Timers: each callback is a macrotask; the run ends when none is left.
  const pending = new Set<number>();
  const nativeSetTimeout = globalThis.setTimeout.bind(globalThis);
  const nativeClearTimeout = globalThis.clearTimeout.bind(globalThis);
  const macro = (fn: () => void) => () => {
    macrotask++;
    try {
      fn();
    } catch (error) {
      failure ??= `Uncaught ${errorText(error)}`;
    }
  };
  const setTimeout = (fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const id: number = nativeSetTimeout(
      macro(() => {
        pending.delete(id);
        fn(...args);
      }),
      ms,
    ) as unknown as number;
    pending.add(id);
    return id;
  };
  const clearTimeout = (id: number) => {
    pending.delete(id);
    nativeClearTimeout(id);
  };
  const setInterval = (fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const holder = { id: 0 };
    const again = () => {
      holder.id = setTimeout(() => {
        again();
        fn(...args);
      }, ms);
    };
    again();
    return holder;
  };
  const clearInterval = (holder: { id: number }) => clearTimeout(holder.id);
  // (console output is not cut as the trace's descriptions are)
  const line = (...args: unknown[]) => {
    if (full) return;
    if (lines++ === MOST_LINES) return stop(`at ${MOST_LINES.toLocaleString("en-US")} lines of output`);
    output.push(args.map((arg) => (typeof arg === "string" ? arg : arg instanceof Error ? errorText(arg) : describe(arg, Infinity))).join(" "));
    recorded();
  };
  const console = { log: line, info: line, warn: line, error: line, debug: line };
  const require = (name: string) => {
    if (name === "@stepwise/runtime" || name === "stepwise/runtime") return runtime;
    if (name === "@stepwise/runtime/loop" || name === "stepwise/loop") return loop;
    throw new Error(`the playground runs one file: cannot require "${name}"`);
  };

  const module = { exports: {} as Record<string, unknown> };

  emit({ type: "start", schema: "stepwise.trace/1", file, args: [], node: "browser", mode });
  self.addEventListener("unhandledrejection", (event) => {
    event.preventDefault();
    failure ??= `Unhandled rejection: ${errorText(event.reason)}`;
  });
  self.addEventListener("error", (event) => {
    event.preventDefault();
    failure ??= `Uncaught ${event.error === undefined ? event.message : errorText(event.error)}`;
  });
  // A program with top-level await (an ES module, as `stepwise run` runs it) runs as the body of an async function.
  const params = ["require", "module", "exports", "console", "setTimeout", "clearTimeout", "setInterval", "clearInterval"];
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as FunctionConstructor;
  let body: (...args: unknown[]) => unknown;
  try {
    body = new (options.topLevelAwait ? AsyncFunction : Function)(...params, code) as typeof body;
  } catch (error) {
    body = () => {
      throw error;
    };
  }
  // Settled: whether the program's top level has run to its end (with top-level await, it may wait).
  let settled = false;
  try {
    const result = body(require, module, module.exports, console, setTimeout, clearTimeout, setInterval, clearInterval);
    if (result instanceof Promise) {
      result.then(
        () => (settled = true),
        (error: unknown) => {
          settled = true;
          failure ??= `Uncaught ${errorText(error)}`;
        },
      );
    } else settled = true;
  } catch (error) {
    settled = true;
    failure = `Uncaught ${errorText(error)}`;
  }
  return new Promise((resolve) => {
    const check = () => {
      const busy = pending.size > 0 || loopsOpen > 0;
      if (!busy && !settled) {
        // Nothing left that could settle it (as Node says, and exits with code 13).
        failure ??= "Warning: Detected unsettled top-level await";
      }
      if (!busy || performance.now() - started > limitMs) {
        if (busy) failure ??= `stopped after ${limitMs} ms with ${loopsOpen > 0 ? "an event loop still open" : "timers still pending"}`;
        runtime.setTracer(null as never);
        loop.setDefaultTrace(null);
        // (a run that recorded its most has been stopped: the iframe terminates the worker)
        if (!full) {
          emit({ type: "exit", code: failure ? (settled ? 1 : 13) : 0, steps, calls: nextCall - 1, macrotasks: macrotask + 1 });
          flush();
          post({ type: "done", error: failure });
        }
        resolve();
      } else {
        nativeSetTimeout(check, 20);
      }
    };
    // Let the main run's promise jobs settle first.
    nativeSetTimeout(check, 20);
  });
}

/** The loop's own objects as the loop names them (`Task-2`, `Future-3 (sleep 10 ms)`). */
function describeLoop(value: object): string {
  const own = (value as { describe?: unknown }).describe;
  if (typeof own === "function") return String(own.call(value));
  if (value.constructor?.name === "Reschedule") return "sleep(0): the next loop iteration";
  return describe(value);
}

// The sandbox's iframe posts { code, topLevelAwait, file, mode } once; the worker answers with chunks, then "done".
self.addEventListener(
  "message",
  (event) => {
    const { code, topLevelAwait, file, mode } = event.data as { code: string; topLevelAwait: boolean; file: string; mode: "promise" | "loop" };
    void run(code, file, mode, (message) => self.postMessage(message), { topLevelAwait });
  },
  { once: true },
);
