// The promise driver: runs a machine lowered from an async function the way the engine runs the function,
// settling the promise the call returned.

import {
  NativePromise,
  NativeTypeError,
  apply,
  getPrototypeOf,
  isObject,
  noop,
  promiseReject,
  promiseResolve,
  promiseThen,
} from "./intrinsics.js";
import { AWAIT, CONTINUE, DONE, FINISHED, Machine, REQUEST_NEXT, REQUEST_THROW, getTracer, installTracer, stepMachine, take, thrownBy } from "./machine.js";

/** Base class of machines lowered from async functions. */
export class AsyncMachine extends Machine {
  constructor() {
    // (An explicit constructor: the default one of a derived class spreads its arguments, through
    // Array.prototype[Symbol.iterator], which user code may have replaced.)
    // (No fields of its own: what drives a waiting call, the call's promise's resolving functions and the
    // two reactions, lives in the reactions' closure context (`start`), so a call that never waits, or
    // waits once (`runAsyncOnce`), allocates a smaller machine.)
    super();
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
  // (runAsync and runAsyncOnce are short on purpose: TurboFan inlines them into the wrapper of every
  // async function, within a budget of bytecode per optimized function, and what they leave of it goes
  // to the machine's constructor and its first step. So the paths no plain call takes, a recorder or a
  // tracer installed, a first step that throws or goes through a finally, are calls of their own.)
  // (The recorder straight from here: one runtime frame, as in the stack traces it reports on.)
  if (watchedRun !== null) return watchedRun(machine, start);
  let signal;
  try {
    // (Machine.step, with its first resume inlined: one frame less for each level of a synchronous
    // chain of calls, f calling g before its first await.)
    signal = machine.resume(undefined);
  } catch (error) {
    return firstStepThrew(machine, error, start);
  }
  if (signal === AWAIT) return start(machine, false, undefined);
  if (signal === DONE) {
    machine.state = FINISHED;
    return settled(take(machine));
  }
  return firstStepGoesOn(machine, start);
}

/**
 * runAsync for a function that suspends once at most (the transform proves it: one `await`, in no loop,
 * no `for await`, no `await using`): the call's promise is the promise that the `then` of its one await
 * makes, settled by what the reaction returns or throws, as `return` and `throw` after the await settle a
 * native call's promise, in the same tick. No resolving functions, no executor.
 * @param {AsyncMachine} machine
 * @returns {Promise<unknown>}
 */
export function runAsyncOnce(machine) {
  // (runAsync's first step, repeated rather than shared: a function call more per call cost fib 5% of its
  // instructions.)
  // (The recorder straight from here: one runtime frame, as in the stack traces it reports on.)
  if (watchedRun !== null) return watchedRun(machine, startOnce);
  let signal;
  try {
    signal = machine.resume(undefined);
  } catch (error) {
    return firstStepThrew(machine, error, startOnce);
  }
  if (signal === AWAIT) return startOnce(machine);
  if (signal === DONE) {
    machine.state = FINISHED;
    return settled(take(machine));
  }
  return firstStepGoesOn(machine, startOnce);
}

/**
 * The first step of a call while a tracer is installed.
 * @param {AsyncMachine} machine
 * @param {(machine: AsyncMachine) => Promise<unknown>} begin what drives a call that waits: `start`, or
 *   `startOnce` for runAsyncOnce (passed in, not chosen here, so that an app that never uses runAsyncOnce
 *   does not carry it)
 * @returns {Promise<unknown>}
 */
function runWatched(machine, begin) {
  let signal;
  try {
    signal = stepMachine(machine, REQUEST_NEXT, undefined);
  } catch (error) {
    return apply(promiseReject, NativePromise, [error]);
  }
  return signal === DONE ? settled(take(machine)) : begin(machine);
}

/**
 * The first resume threw: the error goes to the machine's handlers at the current state (Machine.step),
 * or rejects the call's promise.
 * @param {AsyncMachine} machine
 * @param {unknown} error
 * @param {(machine: AsyncMachine) => Promise<unknown>} begin
 * @returns {Promise<unknown>}
 */
function firstStepThrew(machine, error, begin) {
  return firstStepGoesOn(machine, begin, thrownBy(machine, error), true);
}

/**
 * The first resume returned CONTINUE (it jumped through a finally block), or threw (`firstStepThrew`):
 * the step goes on, with `sent` thrown at the current state if `thrown`.
 * @param {AsyncMachine} machine
 * @param {(machine: AsyncMachine) => Promise<unknown>} begin
 * @param {unknown} [sent]
 * @param {boolean} [thrown]
 * @returns {Promise<unknown>}
 */
function firstStepGoesOn(machine, begin, sent, thrown) {
  let signal;
  try {
    signal = machine.step(sent, thrown === true);
  } catch (error) {
    return apply(promiseReject, NativePromise, [error]);
  }
  // (AWAIT or DONE)
  return signal === DONE ? settled(take(machine)) : begin(machine);
}

/**
 * The first await: the call's promise and the two reactions every await of the call registers, made
 * once per waiting call. They and the promise's resolving functions share one closure context; the
 * driver's functions get them as arguments. (A function of its own: the context is made only for calls
 * that wait, not on every call.) With `thrown`, the first await threw `error` at once (`startOnce`).
 * @param {AsyncMachine} machine
 * @param {boolean} [thrown]
 * @param {unknown} [error]
 */
function start(machine, thrown, error) {
  const promise = new NativePromise(capture);
  const resolve = captured.resolve;
  const reject = captured.reject;
  captured.resolve = captured.reject = noop;
  /** @param {unknown} value */
  const onFulfilled = (value) => advance(machine, value, false, resolve, reject, onFulfilled, onRejected);
  /** @param {unknown} reason */
  const onRejected = (reason) => advance(machine, reason, true, resolve, reject, onFulfilled, onRejected);
  if (thrown) advance(machine, error, true, resolve, reject, onFulfilled, onRejected);
  else suspend(machine, resolve, reject, onFulfilled, onRejected);
  return promise;
}


/**
 * The resolving functions of the promise `capture` last saw made, until its caller takes them. (One
 * executor for every call's promise, rather than a closure made per call: the engine makes a new
 * function's code ready at its first call, which a closure called once pays on every call.)
 */
const captured = {
  /** @type {(value: unknown) => void} */
  resolve: noop,
  /** @type {(reason: unknown) => void} */
  reject: noop,
};

/**
 * The executor of the driver's promises.
 * @param {(value: unknown) => void} resolve
 * @param {(reason: unknown) => void} reject
 */
function capture(resolve, reject) {
  captured.resolve = resolve;
  captured.reject = reject;
}

/**
 * A new promise, its resolving functions put on `holder` (an async generator's request): `capture`
 * shared with the async generator object, whose requests each get a promise.
 * @param {{ resolve: (value: unknown) => void, reject: (reason: unknown) => void }} holder
 * @returns {Promise<unknown>}
 */
export function promiseFor(holder) {
  const promise = new NativePromise(capture);
  holder.resolve = captured.resolve;
  holder.reject = captured.reject;
  captured.resolve = captured.reject = noop;
  return promise;
}

/**
 * Continues a machine with the outcome of its await.
 * @param {AsyncMachine} machine
 * @param {unknown} sent
 * @param {boolean} thrown
 * @param {(value: unknown) => void} resolve the call's promise's resolving functions
 * @param {(reason: unknown) => void} reject
 * @param {(value: unknown) => void} onFulfilled the call's two reactions
 * @param {(reason: unknown) => void} onRejected
 */
function advance(machine, sent, thrown, resolve, reject, onFulfilled, onRejected) {
  if (machine.$quiet) {
    // The machine asked for the outcome either way (closing an iterator after a throw): nothing is thrown.
    machine.$quiet = false;
    thrown = false;
  }
  let signal;
  try {
    signal = stepMachine(machine, thrown ? REQUEST_THROW : REQUEST_NEXT, sent);
  } catch (error) {
    reject(error);
    return;
  }
  if (signal === DONE) resolve(take(machine));
  else suspend(machine, resolve, reject, onFulfilled, onRejected);
}

/**
 * The machine awaits what it handed over.
 * @param {AsyncMachine} machine
 * @param {(value: unknown) => void} resolve
 * @param {(reason: unknown) => void} reject
 * @param {(value: unknown) => void} onFulfilled
 * @param {(reason: unknown) => void} onRejected
 */
function suspend(machine, resolve, reject, onFulfilled, onRejected) {
  try {
    awaitValue(take(machine), onFulfilled, onRejected);
  } catch (error) {
    // PromiseResolve can throw (a `constructor` getter on a promise): the await throws, as natively.
    advance(machine, error, true, resolve, reject, onFulfilled, onRejected);
  }
}

/**
 * The one await of a machine that suspends at most once: returns the promise `then` made, which the
 * reaction settles (`finishOnce`). Where that promise is not a plain native one (Promise[Symbol.species]
 * replaced), the call gets a promise of its own, which the reaction settles instead; where the await
 * throws at once (PromiseResolve or SpeciesConstructor threw), the call goes on as `start` drives it.
 * @param {AsyncMachine} machine
 */
function startOnce(machine) {
  /** The resolving functions of the call's own promise, where `then`'s could not be the call's. @type {((value: unknown) => void) | null} */
  let resolve = null;
  /** @type {(reason: unknown) => void} */
  let reject = noop;
  /** @param {unknown} value */
  const onFulfilled = (value) => finishOnce(machine, value, false, resolve, reject);
  /** @param {unknown} error */
  const onRejected = (error) => finishOnce(machine, error, true, resolve, reject);
  let derived;
  try {
    derived = apply(promiseThen, apply(promiseResolve, NativePromise, [take(machine)]), [onFulfilled, onRejected]);
  } catch (error) {
    return start(machine, true, error);
  }
  if (getPrototypeOf(derived) === NativePromise.prototype) return derived;
  return new NativePromise((resolveCall, rejectCall) => {
    resolve = resolveCall;
    reject = rejectCall;
  });
}

/**
 * The reaction to the one await: runs the machine to its end; what it returns fulfills the promise `then`
 * made (the call's), what it throws rejects it. With `resolve`, the call has a promise of its own.
 * @param {AsyncMachine} machine
 * @param {unknown} sent
 * @param {boolean} thrown
 * @param {((value: unknown) => void) | null} resolve
 * @param {(reason: unknown) => void} reject
 */
function finishOnce(machine, sent, thrown, resolve, reject) {
  if (resolve !== null) return advance(machine, sent, thrown, resolve, reject, noop, noop);
  const signal = stepMachine(machine, thrown ? REQUEST_THROW : REQUEST_NEXT, sent);
  if (signal !== DONE) throw new NativeTypeError("stepwise: a machine driven by runAsyncOnce suspended twice");
  return take(machine);
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
  return isObject(value) ? settledWith(value) : apply(promiseResolve, NativePromise, [value]);
}

/**
 * `settled` for an object, which may be a thenable (a call of its own: settled stays short).
 * @param {object} value
 */
function settledWith(value) {
  const promise = new NativePromise(capture);
  const resolve = captured.resolve;
  captured.resolve = captured.reject = noop;
  resolve(value);
  return promise;
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
/**
 * How runAsync and runAsyncOnce start a call while someone watches: the recording runAsync while a
 * recorder is installed, else with a tracer installed `runWatched`, else null (set by setAsyncStacks and
 * setTracer: an app that installs neither carries neither, and one check per call).
 * @type {((machine: AsyncMachine, begin: (machine: AsyncMachine) => Promise<unknown>) => Promise<unknown>) | null}
 */
let watchedRun = null;

/** watchedRun for the recorder and tracer now installed. */
function watch() {
  watchedRun = stacks !== null ? runRecorded : getTracer() !== null ? runWatched : null;
}

/**
 * Installs a tracer (or removes it with `null`); returns the previous one: machine.js's `installTracer`
 * (every step goes through the traced step bracket), and the first step of an async call too.
 * @param {Parameters<typeof installTracer>[0]} next
 */
export function setTracer(next) {
  const previous = installTracer(next);
  watch();
  return previous;
}

/**
 * Installs (or, with null, removes) the async stack recorder; returns the previous one. Calls started
 * before stay with the driver they started in (a recording one reports to whatever is installed).
 * @param {AsyncStacks | null} recorder
 */
export function setAsyncStacks(recorder) {
  const previous = stacks;
  stacks = recorder;
  watch();
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
  /** @type {RecordedCall} */
  const call = { resolve: noop, reject: noop, onFulfilled: noop, onRejected: noop };
  const promise = new NativePromise((resolve, reject) => {
    call.resolve = resolve;
    call.reject = reject;
  });
  stacks?.started(machine, promise);
  call.onFulfilled = (value) => advanceRecorded(machine, call, value, false);
  call.onRejected = (error) => advanceRecorded(machine, call, error, true);
  suspendRecorded(machine, call);
  return promise;
}

/**
 * What the recording driver keeps of a waiting call: its promise's resolving functions, its two reactions.
 * @typedef {{ resolve: (value: unknown) => void, reject: (reason: unknown) => void, onFulfilled: (value: unknown) => void, onRejected: (reason: unknown) => void }} RecordedCall
 */

/**
 * advance reporting to the recorder.
 * @param {AsyncMachine} machine
 * @param {RecordedCall} call
 * @param {unknown} sent
 * @param {boolean} thrown
 */
function advanceRecorded(machine, call, sent, thrown) {
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
    call.reject(error);
    return;
  }
  stacks?.leave();
  if (signal === DONE) call.resolve(take(machine));
  else suspendRecorded(machine, call);
}

/**
 * suspend reporting to the recorder.
 * @param {AsyncMachine} machine
 * @param {RecordedCall} call
 */
function suspendRecorded(machine, call) {
  try {
    const value = take(machine);
    stacks?.awaits(machine, value);
    awaitValue(value, call.onFulfilled, call.onRejected);
  } catch (error) {
    advanceRecorded(machine, call, error, true);
  }
}
