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

const WOKE = /** @type {Record<string, string>} */ (/** @type {unknown} */ ({ __proto__: null, start: "first step", call: "called inline", cancel: "cancelled", value: "awaited a plain value: no wait" }));

/**
 * Loop time as traces show it: whole milliseconds as they are (the virtual clock), others with one
 * decimal (the real clock: `12.3`).
 * @param {number} ms
 */
export function formatMs(ms) {
  return ms % 1 === 0 ? NativeString(ms) : ms.toFixed(1);
}

/**
 * Why a task step runs, in words: `first step`, `called inline`, `woken by Future-2 (sleep 10 ms), set by
 * timer 1`, `Future-3, already done`.
 * @param {string} woke
 * @param {string | null | undefined} cause
 */
export function formatWoke(woke, cause) {
  if (woke in WOKE) return WOKE[woke];
  if (/ (threw|returned)$/.test(woke) || / already done$/.test(woke)) return woke;
  // (A task woken by another task's completion, or by its own sleep(0), needs no "set by".)
  if (!cause || cause === "host" || woke === "sleep(0)" || startsWith(woke, cause)) return `woken by ${woke}`;
  return `woken by ${woke}${/, cancelled$/.test(woke) ? " by" : ", set by"} ${cause}`;
}

/**
 * (Without String.prototype methods, which the program may have replaced.)
 * @param {string} text
 * @param {string} prefix
 */
function startsWith(text, prefix) {
  if (prefix.length > text.length) return false;
  for (let i = 0; i < prefix.length; i++) if (text[i] !== prefix[i]) return false;
  return true;
}

/**
 * @param {import("./event-loop.js").LoopEvent} event
 * @returns {string}
 */
export function formatEvent(event) {
  switch (event.kind) {
    case "iteration":
      return `iteration ${event.iteration}: ${event.ready} ready${event.timers > 0 ? `, ${event.timers} timer${event.timers === 1 ? "" : "s"} waiting` : ""}`;
    case "enqueue":
      return `  queued: ${event.callback}`;
    case "host":
      return `  host event queued: ${event.callback}`;
    case "schedule":
      return `  timer ${event.timer} scheduled for ${formatMs(event.when)} ms (in ${formatMs(event.delay)} ms): ${event.callback}`;
    case "cancel":
      return `  timer ${event.timer} cancelled (was due at ${formatMs(event.when)} ms): ${event.callback}`;
    case "task":
      return `  ${event.task} created for coroutine ${event.coroutine}`;
    case "timer":
      return `  timer ${event.timer} due at ${formatMs(event.when)} ms: ${event.callback}`;
    case "callback":
      return `  callback ${event.callback}`;
    case "step":
      return `  ${event.task}: ${event.machine} resumes in state ${event.state}${event.thrown ? ", throwing" : ""} (${formatWoke(event.woke, event.cause)})`;
    case "suspend":
      return `  ${event.task}: ${event.machine} suspends before state ${event.state}, awaiting ${event.awaiting}`;
    case "done":
      return `  ${event.task}: done, ${event.outcome === "result" ? (event.value === undefined ? "returned" : `returned ${show(event.value)}`) : event.outcome === "exception" ? `threw ${show(event.value)}` : "cancelled"}`;
    case "wait":
      return `loop waits for ${event.until === null ? "the host (I/O, a promise)" : `the host or a timer at ${formatMs(event.until)} ms`}`;
    case "warning":
      return `  warning: ${event.message}`;
    case "close":
      return "loop closed";
  }
}
