// Values as the trace shows them: short, one line, and read without side effects.
import { inspect, types } from "node:util";

/** A short, side-effect-free description of a value (custom inspect functions, getters and a proxy's traps are not run). */
export function describe(value: unknown): string {
  // (`instanceof`, a property read, even Object.prototype.toString would run a proxy's traps: its target
  // and handler are shown instead, as util.inspect's showProxy does)
  if (types.isProxy(value)) return shortened(inspect(value, { ...QUIET, showProxy: true }));
  if (value instanceof Promise) return promiseState(value);
  const loopObject = loopDescription(value);
  if (loopObject !== null) return loopObject;
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value instanceof Error) return `${value.name}: ${value.message}`.slice(0, 80);
  let text: string;
  try {
    text = inspect(value, QUIET);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return shortened(text);
}

const QUIET = { depth: 0, breakLength: Infinity, maxArrayLength: 5, maxStringLength: 40, customInspect: false, getters: false, colors: false } as const;

function shortened(text: string): string {
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
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

/** `Promise { <pending> }`, `Promise { 1 }`, `Promise { <rejected> Error: no }`, without async_hooks' symbols. */
function promiseState(promise: Promise<unknown>): string {
  return shortened(withoutAsyncIds(inspect(promise, { depth: 0, breakLength: Infinity, maxStringLength: 40, customInspect: false, getters: false })));
}

/**
 * A promise's inspection without a stack and without the ids async_hooks gives each promise while a hook
 * is on (the tracer's), which Node 20 prints as `[Symbol(async_id_symbol)]: 8` and Node 24 as
 * `Symbol(async_id_symbol): 8`.
 */
function withoutAsyncIds(text: string): string {
  return text.replace(/\n\s*at [^\n]*/g, "").replace(/,? ?\[?Symbol\((async_id_symbol|trigger_async_id_symbol)\)\]?: \d+,?/g, "").replace(/\s+}$/, " }");
}
