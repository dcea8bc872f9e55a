// The promise driver: runs a machine lowered from an async function the way the engine runs the function,
// settling the promise the call returned.

import {
  NativePromise,
  apply,
  isObject,
  noop,
  promiseReject,
  promiseResolve,
  promiseThen,
} from "./intrinsics.js";
import { CONTINUE, DONE, FINISHED, Machine, REQUEST_NEXT, REQUEST_THROW, getTracer, stepMachine, take, thrownBy } from "./machine.js";

/** Base class of machines lowered from async functions. */
export class AsyncMachine extends Machine {
  constructor() {
    // (An explicit constructor: the default one of a derived class spreads its arguments, through
    // Array.prototype[Symbol.iterator], which user code may have replaced.)
    super();
    /** Settles the promise the call returned. @type {(value: unknown) => void} */
    this.$resolve = noop;
    /** @type {(reason: unknown) => void} */
    this.$reject = noop;
    /** The reactions registered on each awaited promise, made once per call. @type {(value: unknown) => void} */
    this.$onFulfilled = noop;
    /** @type {(reason: unknown) => void} */
    this.$onRejected = noop;
  }
}

/**
 * The promise driver: runs an async machine the way the engine runs an async function. The body runs
 * synchronously up to its first `await`; each `await v` resolves `v` exactly as the spec's Await does
 * (`awaitValue`), so every await and return takes as many microtask ticks as natively.
 * @param {AsyncMachine} machine
 * @returns {Promise<unknown>}
 */
export function runAsync(machine) {
  if (recordedRun !== null) return recordedRun(machine);
  // Run to the first suspension before building anything: a call that never waits needs no driver.
  let signal;
  try {
    if (getTracer() === null) {
      // (Machine.step, with its first resume inlined: one frame less for each level of a synchronous
      // chain of calls, f calling g before its first await.)
      try {
        signal = machine.resume(undefined);
      } catch (error) {
        signal = machine.step(thrownBy(machine, error), true);
      }
      if (signal === CONTINUE) signal = machine.step(undefined, false);
      else if (signal === DONE) machine.state = FINISHED;
    } else {
      signal = stepMachine(machine, REQUEST_NEXT, undefined);
    }
  } catch (error) {
    return apply(promiseReject, NativePromise, [error]);
  }
  return signal === DONE ? settled(take(machine)) : start(machine);
}

/**
 * The first await: the call's promise and the two reactions every await of the call registers. (A
 * function of its own: the closures' context is made only for calls that wait, not on every call.)
 * @param {AsyncMachine} machine
 */
function start(machine) {
  const promise = new NativePromise((resolve, reject) => {
    machine.$resolve = resolve;
    machine.$reject = reject;
  });
  machine.$onFulfilled = (value) => advance(machine, value, false);
  machine.$onRejected = (error) => advance(machine, error, true);
  suspend(machine);
  return promise;
}

/**
 * Continues a machine with the outcome of its await.
 * @param {AsyncMachine} machine
 * @param {unknown} sent
 * @param {boolean} thrown
 */
function advance(machine, sent, thrown) {
  if (machine.$quiet) {
    // The machine asked for the outcome either way (closing an iterator after a throw): nothing is thrown.
    machine.$quiet = false;
    thrown = false;
  }
  let signal;
  try {
    signal = stepMachine(machine, thrown ? REQUEST_THROW : REQUEST_NEXT, sent);
  } catch (error) {
    machine.$reject(error);
    return;
  }
  if (signal === DONE) machine.$resolve(take(machine));
  else suspend(machine);
}

/**
 * The machine awaits what it handed over.
 * @param {AsyncMachine} machine
 */
function suspend(machine) {
  try {
    awaitValue(take(machine), machine.$onFulfilled, machine.$onRejected);
  } catch (error) {
    // PromiseResolve can throw (a `constructor` getter on a promise): the await throws, as natively.
    advance(machine, error, true);
  }
}

/**
 * The spec's Await, without its continuation: PromiseResolve(%Promise%, value), then PerformPromiseThen
 * with the two reactions, which run in the tick a native await's continuation runs in. Throws (or
 * rejects at once) when PromiseResolve throws, as a native await throws.
 *
 * PerformPromiseThen is what `Promise.prototype.then` does after SpeciesConstructor, so the captured
 * `then` performs it; what it adds is that SpeciesConstructor reads the promise's `constructor` again
 * (and the constructor's Symbol.species), where the engine's await reads `constructor` once, in
 * PromiseResolve. Only a getter can see that second read (on the awaited promise itself, on
 * Promise.prototype, or Promise[Symbol.species]). No way around it measured cheap enough (CPU time
 * against the bench, docs/lowering.md, known differences): awaiting an operand with an own `constructor`
 * through the engine's own await reads it once, but checking for one cost 5-12% on await-heavy code, even
 * checked only where PromiseResolve handed back the operand itself (a native promise: fib +12%,
 * await-resolved +9%); an engine `await` for every await (a native async function driving the machine
 * per call) saves per call but costs per await (await-values +15%, await-resolved +30%); and the other
 * two reads happen in any `then`. Only an engine `await` subscribes without SpeciesConstructor.
 * @param {unknown} value
 * @param {(value: unknown) => void} onFulfilled
 * @param {(reason: unknown) => void} onRejected
 */
export function awaitValue(value, onFulfilled, onRejected) {
  apply(promiseThen, apply(promiseResolve, NativePromise, [value]), [onFulfilled, onRejected]);
}

/**
 * The promise of a call that returned without waiting: resolved as the call's own promise would be
 * (an object goes through the resolve function, so a returned thenable is followed as natively).
 * @param {unknown} value
 */
function settled(value) {
  if (isObject(value)) return new NativePromise((resolve) => resolve(value));
  return apply(promiseResolve, NativePromise, [value]);
}

// ---- Async stack traces ----
//
// `stepwise run` (src/cli/run-stacks.ts) shows the calls waiting for an error as native async stack traces
// do. For that a recorder is told which machine steps, which call's promise a machine awaits, and when an
// error leaves a machine. The driver above knows nothing of it: setAsyncStacks makes runAsync hand every
// call made afterwards to the recording copy of the driver below (one check per call, none per await), and
// an app that never installs a recorder does not carry the copy.

/**
 * @typedef {{ enter(machine: AsyncMachine): void, leave(): void, started(machine: AsyncMachine, promise: Promise<unknown>): void, awaits(machine: AsyncMachine, value: unknown): void, escaped(machine: AsyncMachine, error: unknown): void }} AsyncStacks
 */

/** The installed recorder, or null. @type {AsyncStacks | null} */
let stacks = null;
/** The recording runAsync while a recorder is installed, else null. @type {typeof runRecorded | null} */
let recordedRun = null;

/**
 * Installs (or, with null, removes) the async stack recorder; returns the previous one. Calls started
 * before stay with the driver they started in (a recording one reports to whatever is installed).
 * @param {AsyncStacks | null} recorder
 */
export function setAsyncStacks(recorder) {
  const previous = stacks;
  stacks = recorder;
  recordedRun = recorder === null ? null : runRecorded;
  return previous;
}

/**
 * runAsync reporting to the recorder.
 * @param {AsyncMachine} machine
 * @returns {Promise<unknown>}
 */
function runRecorded(machine) {
  let signal;
  stacks?.enter(machine);
  try {
    // (The first resume inlined as in runAsync: deep synchronous chains of calls get as deep as there.)
    if (getTracer() === null) {
      try {
        signal = machine.resume(undefined);
      } catch (error) {
        signal = machine.step(thrownBy(machine, error), true);
      }
      if (signal === CONTINUE) signal = machine.step(undefined, false);
      else if (signal === DONE) machine.state = FINISHED;
    } else {
      signal = stepMachine(machine, REQUEST_NEXT, undefined);
    }
  } catch (error) {
    stacks?.escaped(machine, error);
    stacks?.leave();
    return apply(promiseReject, NativePromise, [error]);
  }
  stacks?.leave();
  if (signal === DONE) return settled(take(machine));
  const promise = new NativePromise((resolve, reject) => {
    machine.$resolve = resolve;
    machine.$reject = reject;
  });
  stacks?.started(machine, promise);
  machine.$onFulfilled = (value) => advanceRecorded(machine, value, false);
  machine.$onRejected = (error) => advanceRecorded(machine, error, true);
  suspendRecorded(machine);
  return promise;
}

/**
 * advance reporting to the recorder.
 * @param {AsyncMachine} machine
 * @param {unknown} sent
 * @param {boolean} thrown
 */
function advanceRecorded(machine, sent, thrown) {
  if (machine.$quiet) {
    machine.$quiet = false;
    thrown = false;
  }
  let signal;
  stacks?.enter(machine);
  try {
    signal = stepMachine(machine, thrown ? REQUEST_THROW : REQUEST_NEXT, sent);
  } catch (error) {
    stacks?.escaped(machine, error);
    stacks?.leave();
    machine.$reject(error);
    return;
  }
  stacks?.leave();
  if (signal === DONE) machine.$resolve(take(machine));
  else suspendRecorded(machine);
}

/**
 * suspend reporting to the recorder.
 * @param {AsyncMachine} machine
 */
function suspendRecorded(machine) {
  try {
    const value = take(machine);
    stacks?.awaits(machine, value);
    awaitValue(value, machine.$onFulfilled, machine.$onRejected);
  } catch (error) {
    advanceRecorded(machine, error, true);
  }
}
