// Values as the trace shows them: short, one line, and read without side effects.
import { inspect, types } from "node:util";

/** The most characters of a description; a longer one is cut, ending with "…". */
export const DESCRIPTION_MOST = 80;
/** The most characters of a cut description's full text (a trace event's `sentFull`/`valueFull`). */
export const FULL_DESCRIPTION_MOST = 1000;

/** A short, side-effect-free description of a value (custom inspect functions, getters and a proxy's traps are not run). */
export function describe(value: unknown): string {
  return describeWithin(value, DESCRIPTION_MOST);
}

/**
 * A description and, when it had to be cut, its full text (up to FULL_DESCRIPTION_MOST characters): the
 * trace carries both, so that a reader of a cut value can see the rest (the explorer in a tooltip).
 */
export function describeFully(value: unknown): { text: string; full?: string } {
  const text = describe(value);
  if (!text.endsWith("…") && !text.endsWith('…"')) return { text };
  const full = describeWithin(value, FULL_DESCRIPTION_MOST);
  return full === text ? { text } : { text, full };
}

function describeWithin(value: unknown, most: number): string {
  // (`instanceof`, a property read, even Object.prototype.toString would run a proxy's traps: its target
  // and handler are shown instead, as util.inspect's showProxy does)
  if (types.isProxy(value)) return shortened(inspect(value, { ...QUIET, showProxy: true }), most);
  if (value instanceof Promise) return promiseState(value, most);
  const loopObject = loopDescription(value);
  if (loopObject !== null) return shortened(loopObject, most);
  // (a string is cut at half the length, its quotes kept)
  if (typeof value === "string") return JSON.stringify(value.length > most / 2 ? `${value.slice(0, most / 2)}…` : value);
  if (value instanceof Error) return shortened(`${value.name}: ${value.message}`, most);
  let text: string;
  try {
    text = inspect(value, QUIET);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return shortened(text, most);
}

const QUIET = { depth: 0, breakLength: Infinity, maxArrayLength: 5, maxStringLength: 40, customInspect: false, getters: false, colors: false } as const;

/** At most `most` characters, the last of a cut text "…". */
function shortened(text: string, most: number): string {
  return text.length > most ? `${text.slice(0, most - 1)}…` : text;
}

/** The event loop's own objects, as the loop names them (`Task-2`, `Future-3 (sleep 10 ms)`); null for others. */
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

/** `Promise { <pending> }`, `Promise { 1 }`, `Promise { <rejected> Error: no }`, without async_hooks' symbols, on one line. */
function promiseState(promise: Promise<unknown>, most: number): string {
  // (inspect breaks the line before a rejection's error, whatever breakLength says)
  return shortened(withoutAsyncIds(inspect(promise, { depth: 0, breakLength: Infinity, maxStringLength: 40, customInspect: false, getters: false })).replace(/\s*\n\s*/g, " "), most);
}

/**
 * A promise's inspection without a stack and without the ids async_hooks gives each promise while a hook
 * is on (the tracer's), which Node 20 prints as `[Symbol(async_id_symbol)]: 8` and Node 24 as
 * `Symbol(async_id_symbol): 8`.
 */
function withoutAsyncIds(text: string): string {
  return text.replace(/\n\s*at [^\n]*/g, "").replace(/,? ?\[?Symbol\((async_id_symbol|trigger_async_id_symbol)\)\]?: \d+,?/g, "").replace(/\s+}$/, " }");
}
