// stepwise/loop: an explicit, asyncio-style event loop for the machines the transform emits in loop mode.
//
// Generated code in loop mode imports everything from this one module: the loop's `coroutine` driver
// and the runtime's machine classes (re-exported below), so a single import line suffices.

export * from "../runtime/index.js";
export { Coroutine, coroutine } from "./coroutine.js";
export { EventLoop, RealClock, VirtualClock, setDefaultTrace } from "./event-loop.js";
export { Barrier } from "./barrier.js";
export { BrokenBarrierError, CancelledError, IncompleteReadError, InvalidStateError, LimitOverrunError, LoopError, TaskGroupError, TimeoutError } from "./exceptions.js";
export { Future } from "./futures.js";
export { BoundedSemaphore, Condition, Event, Lock, Semaphore } from "./locks.js";
export { LifoQueue, PriorityQueue, Queue, QueueEmpty, QueueFull } from "./queues.js";
export { Server, StreamReader, StreamWriter, openConnection, readFile, startServer, writeFile } from "./streams.js";
export { currentLoop, currentTask, getRunningLoop } from "./running.js";
export { TaskGroup, taskGroup } from "./taskgroups.js";
export { formatEvent, formatMs, formatWoke } from "./trace.js";
export { Task, createTask, ensureFuture, gather, shield, sleep, timeout, waitFor } from "./tasks.js";
export { ALL_COMPLETED, FIRST_COMPLETED, FIRST_EXCEPTION, asCompleted, wait } from "./waiting-sets.js";

import { EventLoop } from "./event-loop.js";

/**
 * Runs `main` (a coroutine, or a function returning one, called once the loop is running) on a new event loop until it is done, then
 * cancels what is left and closes the loop (asyncio.run). Resolves with main's result.
 * @template T
 * @param {PromiseLike<T> | (() => PromiseLike<T>)} main a coroutine (what an async function returns in
 *   loop mode, which TypeScript types as a Promise), or a function returning one
 * @param {import("./event-loop.js").LoopOptions} [options]
 * @returns {Promise<T>}
 */
export function run(main, options) {
  return new EventLoop(options).run(main);
}
