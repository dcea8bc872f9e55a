// The event loop (asyncio's base_events.py): a ready queue of callbacks, a heap of timers, and the host
// (Node's libuv) in the role of the selector.
//
// One iteration (`#iterate`, asyncio's `_run_once`):
//   1. timers whose time has come move from the heap to the ready queue;
//   2. the callbacks that are ready now run, each once, in order; callbacks they schedule wait for the
//      next iteration.
// Between two iterations the loop gives the host a turn: with callbacks ready, right away (setImmediate,
// after libuv has polled for I/O without blocking: asyncio's `select(timeout=0)`); with none, until the
// earliest timer (setTimeout: `select(timeout)`), or until the host delivers an event. Host events (a
// socket's data, a file read's completion, a native promise settling) enter the loop only as callbacks on
// the ready queue: `callSoon` from outside an iteration wakes the loop.

import { fileURLToPath } from "node:url";
import {
  NativeMap,
  NativePromise,
  NativeNumber,
  NativeSet,
  NativeString,
  apply,
  mapClear,
  mapDelete,
  mapForEach,
  mapSet,
  mathCeil,
  mathMax,
  mathMin,
  promiseReject,
  push,
  setAdd,
  setClear,
  setDelete,
  stringIncludes,
  stringSplit,
  stringTrim,
  valuesOf,
} from "../runtime/intrinsics.js";
import { LoopError } from "./exceptions.js";
import { Future } from "./futures.js";
import { Task, ensureFuture, gather } from "./tasks.js";
import { Handle, TimerHandle, TimerHeap } from "./handles.js";
import { currentLoop, setRunningLoop } from "./running.js";
import {
  coroutineCreated,
  coroutineStarted,
  exceptionRetrieved,
  exceptionUnretrieved,
  hostResource,
  nextFutureId,
  nextTaskId,
  runningCause,
  runningHandle,
  timerCancelled,
  trackTask,
} from "./internal.js";

/** The loop's own folder (`.../src/loop/` or `.../dist/loop/`): debug mode skips its frames to find a coroutine's creator. */
const LOOP_DIR = new URL(".", import.meta.url);
const LOOP_DIR_PATH = fileURLToPath(LOOP_DIR);

/** How the loop reads time (milliseconds, monotonic). */
export class RealClock {
  get virtual() {
    return false;
  }
  now() {
    return performance.now();
  }
}

/**
 * Time that passes only when the loop has nothing to run: then it jumps to the earliest timer at once.
 * Timer-heavy tests run instantly and deterministically. Host work that takes real time (sockets,
 * files, real timers) is not waited for: the clock jumps past it. Promise jobs are waited for, since the
 * loop always gives the host a turn before jumping.
 */
export class VirtualClock {
  /** @param {number} [start] */
  constructor(start = 0) {
    this.time = start;
  }
  get virtual() {
    return true;
  }
  now() {
    return this.time;
  }
  /** @param {number} time */
  advanceTo(time) {
    if (time > this.time) this.time = time;
  }
}

/**
 * What the loop reports to `trace(event)` (see docs/how-it-works.md, "Tracing"). Every event has `kind`
 * and `iteration`; `time`, `when` and `delay` are loop time in ms. `handle` numbers the callbacks of the
 * ready queue (per loop, from 1), `timer` the timers (per loop, from 1); `cause` is who queued or
 * scheduled it (`Task-1`, `timer 2`, `host fileDone`, `callback NAME`), or null outside an iteration.
 * @typedef {{ kind: "iteration", iteration: number, time: number, ready: number, timers: number }
 *   | { kind: "enqueue", iteration: number, handle: number, callback: string, cause: string | null }
 *   | { kind: "host", iteration: number, handle: number, callback: string }
 *   | { kind: "schedule", iteration: number, time: number, timer: number, handle: number, when: number, delay: number, callback: string, cause: string | null }
 *   | { kind: "cancel", iteration: number, time: number, timer: number, handle: number, when: number, callback: string, cause: string | null }
 *   | { kind: "task", iteration: number, task: string, coroutine: string, cause: string | null }
 *   | { kind: "timer", iteration: number, time: number, timer: number, handle: number, when: number, callback: string }
 *   | { kind: "callback", iteration: number, handle: number, callback: string }
 *   | { kind: "step", iteration: number, handle: number, task: string, machine: string, state: number, thrown: boolean, woke: string, cause: string | null }
 *   | { kind: "suspend", iteration: number, task: string, machine: string, state: number, awaiting: string }
 *   | { kind: "done", iteration: number, task: string, outcome: "result" | "exception" | "cancelled", value: unknown }
 *   | { kind: "wait", iteration: number, time: number, until: number | null }
 *   | { kind: "warning", iteration: number, message: string }
 *   | { kind: "close", iteration: number }} LoopEvent
 */

/**
 * @typedef {{
 *   clock?: RealClock | VirtualClock | "virtual",
 *   debug?: boolean,
 *   slowCallbackMs?: number,
 *   trace?: ((event: LoopEvent) => void) | null,
 *   warn?: (message: string) => void,
 * }} LoopOptions
 */

/** The trace sink of loops made without a `trace` option (the CLI's `--trace`). @type {((event: LoopEvent) => void) | null} */
let defaultTrace = null;

/**
 * Sets the trace sink every loop made from now on without its own `trace` option reports to (or
 * removes it with null); returns the previous one. This is how a tool traces a program that calls
 * `run()` itself.
 * @param {((event: LoopEvent) => void) | null} sink
 */
export function setDefaultTrace(sink) {
  const previous = defaultTrace;
  defaultTrace = sink;
  return previous;
}

/** A host timer lasts at most 2^31-1 ms; a later timer just re-arms when it fires. */
const MAX_HOST_DELAY = 2 ** 31 - 1;
/** Debug mode warns about callbacks that run longer than this (the `slowCallbackMs` option's default). */
const DEFAULT_SLOW_CALLBACK_MS = 100;
/** The heap of timers is compacted when it holds more than this many cancelled timers... */
const COMPACT_MIN_CANCELLED = 64;
/** ...and they are more than this share of it. */
const COMPACT_CANCELLED_SHARE = 0.5;
const IDLE = 0;
const IMMEDIATE = 1;
const TIMEOUT = 2;

export class EventLoop {
  /** @type {Handle[]} */
  #ready = [];
  /** @type {Handle[]} */
  #spare = [];
  #timers = new TimerHeap();
  /** Cancelled timers still in the heap; the heap is compacted when they are most of it. */
  #cancelledTimers = 0;
  #futureCount = 0;
  #taskCount = 0;
  #handleCount = 0;
  /** The handle running now (null outside an iteration). @type {Handle | null} */
  #running = null;
  /** @type {(message: string) => void} */
  #warnSink;
  #seq = 0;
  /** How the loop will get its next turn from the host. */
  #wake = IDLE;
  /** @type {ReturnType<typeof setTimeout> | ReturnType<typeof setImmediate> | undefined} */
  #hostHandle = undefined;
  #inIteration = false;
  #active = false;
  /** While `runUntilComplete` wraps its awaitable (what that queues is not a host event). */
  #settingUp = false;
  #stopping = false;
  #closed = false;
  /** @type {(() => void) | null} */
  #onStop = null;
  /** Tasks not done yet. @type {Set<import("./tasks.js").Task>} */
  #tasks = new NativeSet();
  /** Futures whose exception nobody has read yet. @type {Set<import("./futures.js").Future>} */
  #unretrieved = new NativeSet();
  /** Sockets and servers of the loop's streams not closed yet. @type {Set<{ unref(): unknown, once(event: "close", fn: () => void): unknown }>} */
  #hostResources = new NativeSet();
  /** Coroutines made while this loop ran (debug mode) and never started: value = where made. @type {Map<import("./coroutine.js").Coroutine, string>} */
  #unstarted = new NativeMap();
  #runOnce = () => this.#iterate();

  /** @param {LoopOptions} [options] */
  constructor(options = {}) {
    const { clock, debug = false, slowCallbackMs = DEFAULT_SLOW_CALLBACK_MS, trace = defaultTrace, warn } = options;
    this.clock = clock === "virtual" ? new VirtualClock() : (clock ?? new RealClock());
    this.debug = debug;
    this.slowCallbackMs = slowCallbackMs;
    /** The trace sink, or null. */
    this.tracer = trace;
    this.#warnSink = warn ?? ((/** @type {string} */ message) => console.warn(message));
    /** Iterations run so far. */
    this.iteration = 0;
  }

  /** Futures made so far (they are numbered per loop). */
  get futureCount() {
    return this.#futureCount;
  }

  /** Tasks made so far. */
  get taskCount() {
    return this.#taskCount;
  }

  /** Loop time in milliseconds (monotonic; virtual with a VirtualClock). */
  time() {
    return this.clock.now();
  }

  /**
   * Runs `fn(...args)` on the next iteration (FIFO). Called from outside an iteration (a host callback),
   * it wakes the loop.
   * @param {(...args: any[]) => void} fn
   * @param {...any} args
   */
  callSoon(fn, ...args) {
    return this.#callSoon(fn, args);
  }

  /**
   * @param {(...args: any[]) => void} fn
   * @param {any[]} args
   */
  #callSoon(fn, args) {
    if (this.#closed) throw new LoopError("stepwise: the event loop is closed");
    const handle = new Handle(fn, args, ++this.#handleCount);
    push(this.#ready, handle);
    const tracer = this.tracer;
    if (tracer !== null) {
      const cause = this[runningCause]();
      handle.cause = cause;
      tracer({ kind: "enqueue", iteration: this.iteration, handle: handle.id, callback: handle.label, cause });
    }
    if (!this.#inIteration && this.#active && this.#wake !== IMMEDIATE) this.#schedule();
    return handle;
  }

  /**
   * A host event (a socket's data, a file read's completion): `fn(...args)` goes on the ready queue like
   * any callback. Dropped once the loop is closed: nobody is left to handle it.
   * @param {(...args: any[]) => void} fn
   * @param {...any} args
   */
  fromHost(fn, ...args) {
    if (this.#closed) return;
    const handle = new Handle(fn, args, ++this.#handleCount);
    handle.host = true;
    push(this.#ready, handle);
    const tracer = this.tracer;
    if (tracer !== null) {
      handle.cause = "host";
      tracer({ kind: "host", iteration: this.iteration, handle: handle.id, callback: handle.label });
    }
    if (!this.#inIteration && this.#active && this.#wake !== IMMEDIATE) this.#schedule();
  }

  /**
   * Runs `fn(...args)` once `delay` ms have passed. A negative delay is a time already past, as for
   * callAt: the timer runs before those of a later time (asyncio's call_later does not clamp it either).
   * @param {number} delay
   * @param {(...args: any[]) => void} fn
   * @param {...any} args
   */
  callLater(delay, fn, ...args) {
    return this.#callAt(this.time() + (NativeNumber(delay) || 0), fn, args);
  }

  /**
   * Runs `fn(...args)` when the loop time reaches `when`.
   * @param {number} when
   * @param {(...args: any[]) => void} fn
   * @param {...any} args
   */
  callAt(when, fn, ...args) {
    return this.#callAt(when, fn, args);
  }

  /**
   * @param {number} when
   * @param {(...args: any[]) => void} fn
   * @param {any[]} args
   */
  #callAt(when, fn, args) {
    if (this.#closed) throw new LoopError("stepwise: the event loop is closed");
    const timer = new TimerHandle(when, this.#seq++, fn, args, this, ++this.#handleCount);
    timer.scheduled = true;
    this.#timers.push(timer);
    const tracer = this.tracer;
    if (tracer !== null) {
      const cause = this[runningCause]();
      timer.cause = cause;
      const time = this.time();
      tracer({ kind: "schedule", iteration: this.iteration, time, timer: timer.number, handle: timer.id, when, delay: when - time, callback: timer.label, cause });
    }
    if (!this.#inIteration && this.#active && this.#wake !== IMMEDIATE) this.#schedule();
    return timer;
  }

  /**
   * A new pending future of this loop (`loop.createFuture<number>()` in TypeScript for a typed one).
   * @template [T=unknown]
   * @param {string} [label]
   * @returns {Future<T>}
   */
  createFuture(label) {
    return new Future(this, label);
  }

  /**
   * Wraps a coroutine in a task that starts on the next iteration.
   * @template T
   * @param {import("./coroutine.js").Coroutine<T> | Promise<T>} coro a coroutine: what an async function
   *   returns in loop mode (which TypeScript types as a Promise)
   * @param {{ name?: string }} [options]
   * @returns {Task<T>}
   */
  createTask(coro, options = {}) {
    return new Task(coro, { ...options, loop: this });
  }

  /**
   * Tasks of this loop that are not done.
   * @returns {Task[]}
   */
  allTasks() {
    return valuesOf(this.#tasks);
  }

  // ---- Internal hooks (see internal.js): called by the loop's own modules, not part of the API ----

  /** @param {import("./tasks.js").Task} task @param {boolean} live */
  [trackTask](task, live) {
    if (live) apply(setAdd, this.#tasks, [task]);
    else apply(setDelete, this.#tasks, [task]);
  }

  /** @param {import("./futures.js").Future} future */
  [exceptionUnretrieved](future) {
    apply(setAdd, this.#unretrieved, [future]);
  }

  /** @param {import("./futures.js").Future} future */
  [exceptionRetrieved](future) {
    apply(setDelete, this.#unretrieved, [future]);
  }

  /** @param {{ unref(): unknown, once(event: "close", fn: () => void): unknown }} handle */
  [hostResource](handle) {
    apply(setAdd, this.#hostResources, [handle]);
    handle.once("close", () => apply(setDelete, this.#hostResources, [handle]));
  }

  /** @param {import("./coroutine.js").Coroutine} coro */
  [coroutineCreated](coro) {
    // The frame that called the async function: the one after its wrapper, the first frame outside the
    // loop's own files (wherever they are installed).
    const frames = apply(stringSplit, new Error().stack ?? "", ["\n"]);
    let wrapper = 1;
    while (wrapper < frames.length && isLoopFrame(frames[wrapper])) wrapper++;
    const caller = wrapper < frames.length ? frames[wrapper + 1] : undefined;
    apply(mapSet, this.#unstarted, [coro, caller ? apply(stringTrim, caller, []) : ""]);
  }

  /** @param {import("./coroutine.js").Coroutine} coro */
  [coroutineStarted](coro) {
    apply(mapDelete, this.#unstarted, [coro]);
  }

  /** @param {TimerHandle} timer */
  [timerCancelled](timer) {
    this.#cancelledTimers++;
    const tracer = this.tracer;
    if (tracer !== null) {
      tracer({ kind: "cancel", iteration: this.iteration, time: this.time(), timer: timer.number, handle: timer.id, when: timer.when, callback: timer.label, cause: this[runningCause]() });
    }
  }

  /** @returns {string | null} */
  [runningCause]() {
    const running = this.#running;
    return running === null ? (this.#active && !this.#settingUp ? "host" : null) : running.agent;
  }

  [runningHandle]() {
    return this.#running;
  }

  [nextFutureId]() {
    return ++this.#futureCount;
  }

  [nextTaskId]() {
    return ++this.#taskCount;
  }

  // ---- Public API ----

  isRunning() {
    return this.#active;
  }

  isClosed() {
    return this.#closed;
  }

  /** @param {string} message */
  warn(message) {
    if (this.tracer !== null) this.tracer({ kind: "warning", iteration: this.iteration, message });
    this.#warnSink(message);
  }

  /**
   * Runs the loop until `awaitable` (a coroutine, which becomes a task, or a future) is done; the
   * returned promise settles with its outcome. The loop stays open.
   * @template T
   * @param {PromiseLike<T>} awaitable a coroutine (what an async function returns in loop mode, which
   *   TypeScript types as a Promise), a future, or a promise
   * @returns {Promise<T>}
   */
  runUntilComplete(awaitable) {
    return this.#complete(() => awaitable);
  }

  /**
   * runUntilComplete of what `make` returns, called once the loop is the running one: a `main` that is
   * native code (a function not lowered in loop mode runs at once, up to its first await) may then use the
   * loop (`sleep`, `createTask`) from its first line.
   * @template T
   * @param {() => PromiseLike<T>} make
   * @returns {Promise<T>}
   */
  #complete(make) {
    if (this.#closed) return apply(promiseReject, NativePromise, [new LoopError("stepwise: the event loop is closed")]);
    if (this.#active) return apply(promiseReject, NativePromise, [new LoopError("stepwise: the event loop is already running")]);
    const other = currentLoop();
    if (other !== null && other !== this) return apply(promiseReject, NativePromise, [new LoopError("stepwise: another event loop is running (one loop runs at a time)")]);
    return new NativePromise((resolve, reject) => {
      this.#active = true;
      setRunningLoop(this);
      /** @type {Future<T>} */
      let future;
      try {
        this.#settingUp = true;
        future = ensureFuture(make(), this);
      } catch (error) {
        this.#active = false;
        this.#settingUp = false;
        setRunningLoop(null);
        reject(error);
        return;
      }
      this.#settingUp = false;
      const main = future;
      const stopLoop = () => this.stop();
      main.addDoneCallback(stopLoop);
      this.#onStop = () => {
        if (!main.done()) reject(new LoopError("stepwise: the event loop stopped before the future completed"));
        else {
          try {
            resolve(main.result());
          } catch (error) {
            reject(error);
          }
        }
      };
      this.#schedule();
    });
  }

  /** Stops the loop after the current iteration. */
  stop() {
    this.#stopping = true;
    if (!this.#inIteration && this.#active) this.#schedule();
  }

  /**
   * `run(main)`: runs `main` (a coroutine, or a function returning one, called once the loop is running) in a task until it is done, then
   * cancels the tasks still running and waits for them, and closes the loop (asyncio.run). Resolves
   * with main's result.
   * @template T
   * @param {PromiseLike<T> | (() => PromiseLike<T>)} main a coroutine (what an async function returns in
   *   loop mode, which TypeScript types as a Promise), or a function returning one
   * @returns {Promise<T>}
   */
  async run(main) {
    try {
      return await this.#complete(typeof main === "function" ? main : () => main);
    } finally {
      await this.#cancelRemaining();
      this.close();
    }
  }

  async #cancelRemaining() {
    const tasks = this.allTasks();
    if (tasks.length === 0) return;
    for (let i = 0; i < tasks.length; i++) tasks[i].cancel();
    /** @type {unknown[]} */
    const args = [];
    for (let i = 0; i < tasks.length; i++) push(args, tasks[i]);
    push(args, { returnExceptions: true });
    await this.runUntilComplete(apply(gather, undefined, args));
    for (let i = 0; i < tasks.length; i++) {
      const task = tasks[i];
      if (!task.cancelled() && task.failed()) {
        const error = task.exception();
        this.warn(`stepwise: unhandled exception in ${task.describe()} during shutdown: ${NativeString(error)}`);
      }
    }
  }

  /** Closes the loop: drops pending callbacks and timers, and reports what was left behind. */
  close() {
    if (this.#active) throw new LoopError("stepwise: cannot close a running event loop");
    if (this.#closed) return;
    this.#closed = true;
    this.#ready.length = 0;
    this.#timers = new TimerHeap();
    const unretrieved = valuesOf(this.#unretrieved);
    for (let i = 0; i < unretrieved.length; i++) {
      const future = unretrieved[i];
      const error = /** @type {any} */ (future.exception());
      const shown = error instanceof Error ? `${error.name}: ${error.message}` : NativeString(error);
      this.warn(`stepwise: ${future instanceof Task ? "Task" : "Future"} exception was never retrieved: ${future.describe()}: ${shown}`);
    }
    apply(setClear, this.#unretrieved, []);
    // (what the program left open is not closed, but no longer keeps the process alive)
    const resources = valuesOf(this.#hostResources);
    for (let i = 0; i < resources.length; i++) resources[i].unref();
    apply(setClear, this.#hostResources, []);
    apply(mapForEach, this.#unstarted, [
      (/** @type {string} */ where, /** @type {import("./coroutine.js").Coroutine} */ coro) => this.warn(`stepwise: ${coro.describe()} was never awaited${where ? ` (created ${where})` : ""}`),
    ]);
    apply(mapClear, this.#unstarted, []);
    if (this.tracer !== null) this.tracer({ kind: "close", iteration: this.iteration });
  }

  /** Chooses how the host gives the loop its next turn (called outside iterations). */
  #schedule() {
    if (this.#wake === TIMEOUT) clearTimeout(/** @type {any} */ (this.#hostHandle));
    if (this.#stopping || this.#ready.length > 0) {
      if (this.#wake !== IMMEDIATE) {
        this.#wake = IMMEDIATE;
        this.#hostHandle = setImmediate(this.#runOnce);
      }
      return;
    }
    if (this.#wake === IMMEDIATE) return;
    const next = this.#nextTimer();
    if (next === undefined) {
      this.#wake = IDLE;
      if (this.tracer !== null) this.tracer({ kind: "wait", iteration: this.iteration, time: this.time(), until: null });
      return;
    }
    if (this.clock instanceof VirtualClock) {
      // Let promise jobs and host callbacks in first; time jumps at the start of the next iteration.
      this.#wake = IMMEDIATE;
      this.#hostHandle = setImmediate(this.#runOnce);
      return;
    }
    if (this.tracer !== null) this.tracer({ kind: "wait", iteration: this.iteration, time: this.time(), until: next.when });
    this.#wake = TIMEOUT;
    this.#hostHandle = setTimeout(this.#runOnce, mathMin(MAX_HOST_DELAY, mathMax(0, mathCeil(next.when - this.time()))));
  }

  /** The earliest timer that is not cancelled (cancelled ones at the top are dropped). */
  #nextTimer() {
    const timers = this.#timers;
    let top = timers.peek();
    while (top !== undefined && top.cancelled) {
      timers.pop();
      top.scheduled = false;
      this.#cancelledTimers--;
      top = timers.peek();
    }
    return top;
  }

  /** One iteration: due timers to the ready queue, then every callback that is ready now. */
  #iterate() {
    this.#wake = IDLE;
    this.#hostHandle = undefined;
    if (this.#stopping) return this.#finish();
    this.#inIteration = true;
    setRunningLoop(this);
    const iteration = ++this.iteration;
    const tracer = this.tracer;
    const timers = this.#timers;
    if (this.#cancelledTimers > COMPACT_MIN_CANCELLED && this.#cancelledTimers > timers.size * COMPACT_CANCELLED_SHARE) {
      timers.compact();
      this.#cancelledTimers = 0;
    }
    if (this.#ready.length === 0 && this.clock instanceof VirtualClock) {
      const next = this.#nextTimer();
      if (next !== undefined) this.clock.advanceTo(next.when);
    }
    // A timer is due once its time has come, never earlier (a host timer that fires early only re-arms).
    const due = this.time();
    const firstTimer = this.#ready.length;
    for (let timer = this.#nextTimer(); timer !== undefined && timer.when <= due; timer = this.#nextTimer()) {
      timers.pop();
      timer.scheduled = false;
      push(this.#ready, timer);
    }
    const todo = this.#ready;
    this.#ready = this.#spare;
    if (tracer !== null) {
      tracer({ kind: "iteration", iteration, time: this.time(), ready: todo.length, timers: timers.size - this.#cancelledTimers });
      for (let i = firstTimer; i < todo.length; i++) {
        const timer = /** @type {TimerHandle} */ (todo[i]);
        tracer({ kind: "timer", iteration, time: this.time(), timer: timer.number, handle: timer.id, when: timer.when, callback: timer.label });
      }
    }
    const debug = this.debug;
    for (let i = 0; i < todo.length; i++) {
      const handle = todo[i];
      if (handle.cancelled) continue;
      if (tracer !== null && /** @type {any} */ (handle.fn).isTaskStep !== true) tracer({ kind: "callback", iteration, handle: handle.id, callback: handle.label });
      const started = debug ? performance.now() : 0;
      this.#running = handle;
      try {
        handle.run();
      } catch (error) {
        this.warn(`stepwise: exception in callback ${handle.label}: ${error instanceof Error ? error.stack : NativeString(error)}`);
      }
      this.#running = null;
      if (debug) {
        const took = performance.now() - started;
        if (took > this.slowCallbackMs) this.warn(`stepwise: callback ${handle.label} took ${took.toFixed(1)} ms (slow callback threshold: ${this.slowCallbackMs} ms)`);
      }
    }
    todo.length = 0;
    this.#spare = todo;
    this.#inIteration = false;
    this.#schedule();
  }

  #finish() {
    this.#stopping = false;
    this.#active = false;
    if (currentLoop() === this) setRunningLoop(null);
    const onStop = this.#onStop;
    this.#onStop = null;
    if (onStop) onStop();
  }
}

/**
 * Whether a stack frame is in one of the loop's own files (as a file URL in ES modules, or a path).
 * @param {string} line
 */
function isLoopFrame(line) {
  return apply(stringIncludes, line, [LOOP_DIR.href]) || apply(stringIncludes, line, [LOOP_DIR_PATH]);
}
