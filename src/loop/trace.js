// One readable line per loop event (what docs/how-it-works.md shows, and what a `--trace` can print).


import { NativeString, isArray } from "../runtime/intrinsics.js";

/**
 * @param {unknown} value
 * @returns {string}
 */
function show(value) {
  if (typeof value === "string") return JSON.stringify(value);
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (isArray(value)) {
    let shown = "";
    for (let i = 0; i < value.length; i++) shown += (i > 0 ? ", " : "") + show(value[i]);
    return `[${shown}]`;
  }
  return NativeString(value);
}

const WOKE = /** @type {Record<string, string>} */ ({ start: "first step", call: "called inline", cancel: "cancelled" });

/**
 * @param {import("./event-loop.js").LoopEvent} event
 * @returns {string}
 */
export function formatEvent(event) {
  switch (event.kind) {
    case "iteration":
      return `iteration ${event.iteration}: ${event.ready} ready${event.timers > 0 ? `, ${event.timers} timer${event.timers === 1 ? "" : "s"} waiting` : ""}`;
    case "timer":
      return `  timer due at ${event.when} ms: ${event.callback}`;
    case "callback":
      return `  callback ${event.callback}`;
    case "step": {
      const why = WOKE[event.woke] ?? (/ (threw|returned)$/.test(event.woke) ? event.woke : `woken by ${event.woke}`);
      return `  ${event.task}: ${event.machine} resumes in state ${event.state}${event.thrown ? ", throwing" : ""} (${why})`;
    }
    case "suspend":
      return `  ${event.task}: ${event.machine} suspends before state ${event.state}, awaiting ${event.awaiting}`;
    case "done":
      return `  ${event.task}: done, ${event.outcome === "result" ? (event.value === undefined ? "returned" : `returned ${show(event.value)}`) : event.outcome === "exception" ? `threw ${show(event.value)}` : "cancelled"}`;
    case "wait":
      return `loop waits for ${event.until === null ? "the host (I/O, a promise)" : `the host or a timer at ${event.until} ms`}`;
    case "warning":
      return `  warning: ${event.message}`;
    case "close":
      return "loop closed";
  }
}
