// Which loop is running and which task is stepping (asyncio's _get_running_loop and current_task).
// A module of its own (it imports only the exceptions), so every other file can read it without cycles.

import { LoopError } from "./exceptions.js";

/** @type {import("./event-loop.js").EventLoop | null} */
let runningLoop = null;
/** @type {import("./tasks.js").Task | null} */
let steppingTask = null;

/** The loop that is running (from `run` until it stops), or null. */
export function currentLoop() {
  return runningLoop;
}

/**
 * The loop that is running; throws outside of one.
 * @param {string} [what] what needed a loop, for the message
 */
export function getRunningLoop(what) {
  if (runningLoop === null) {
    throw new LoopError(`stepwise: no running event loop${what ? ` (${what} needs one: call it from a task, inside run())` : ""}`);
  }
  return runningLoop;
}

/** @param {import("./event-loop.js").EventLoop | null} loop */
export function setRunningLoop(loop) {
  runningLoop = loop;
}

/**
 * The task whose machine is running right now, or null (in a plain callback, or outside the loop).
 * @returns {import("./tasks.js").Task | null}
 */
export function currentTask() {
  return steppingTask;
}

/**
 * @param {import("./tasks.js").Task | null} task
 * @returns {import("./tasks.js").Task | null} the task stepping before
 */
export function setCurrentTask(task) {
  const previous = steppingTask;
  steppingTask = task;
  return previous;
}
