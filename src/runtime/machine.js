// The machine core: the base class every generated state machine extends, the contract between generated
// code, drivers and tools (signals, completion kinds, request modes, the tries table), and the step
// bracket every driver runs a step in.
//
// The machine protocol
// ====================
//
// The transform turns a function into a machine class (extending AsyncMachine, GeneratorMachine or
// AsyncGeneratorMachine, all three Machine) and a wrapper that makes a machine and hands it to a driver.
// The class's `resume(sent)` is a `switch (this.state)` (inside `dispatch: for (;;)` when states jump
// back); each case runs the source's statements up to the next instruction and returns its signal. A
// driver runs `step(sent, thrown)` through the step bracket (`stepMachine`): step calls resume, runs it
// again on CONTINUE, routes exceptions through the tries table, and hands the driver every other signal.
//
//   instruction         JavaScript the transform emits               answered by
//   ------------------  -------------------------------------------  ------------------------------------------
//   await v             return this.await(v, next);                  `await`: state = next, $value = v, AWAIT.
//                                                                    The driver awaits v and steps again:
//                                                                    `sent` is the result, or a rejection is
//                                                                    thrown in at the current state (`route`)
//   yield v             return this.yield(v, next);                  `yield`: YIELD; `sent` is next(x)'s x
//   yield* it           return delegate(this, it, next);             `delegate` (delegation.js; `delegateAsync`
//                       (async generator: delegateAsync)             in an async generator): GetIterator, then
//                                                                    DELEGATE with a delegation in $value; the
//                                                                    generator object forwards next/throw/return
//                                                                    through it, `sent` is the return value.
//                                                                    `delegateAsync`: AWAIT (the first next()'s
//                                                                    result); until the yield* is over the
//                                                                    machine's steps are the delegation's, and
//                                                                    DELEGATE hands out its `value` as it is
//   generator params    return started(this, next);                  `started`: STARTED (`bindParameters`, around
//   (bound at the call)                                              the new machine, binds them at the call)
//   goto (same region)  this.state = N; continue dispatch;           nothing: plain control flow in resume
//                       (or `this.state = N;` falling through)
//   break / continue /  this.jump(N); continue dispatch;             `jump`: through enclosing finally blocks
//   fall out of a try                                                (COMPLETION_JUMP), else state = N; CONTINUE
//   return v            return this.return(v);                       `return`: DONE with $value = v, or CONTINUE
//                                                                    into a finally (COMPLETION_RETURN)
//   end of finally i    return this.finish(i);                       `finish`: carries the completion that
//                                                                    entered finally i on (throw, return, jump)
//   try/catch/finally   static tries = [[start, catch, finally,      `step` -> `route`: `findHandler` and
//   (throw routing)       end], ...];  (outer first, -1 if absent)   `handlerKind`; a catch state gets the error
//                       case catchAt: let error = sent; ...          as `sent`, a finally records it
//                                                                    (COMPLETION_THROW, in $pending)
//   for (x of it)       this.$r = iterate(it);                       `iterate` -> IteratorRecord: `next()` is
//                       if (!this.$r.next()) ...; x = this.$r.value  false when done; `value` is the value
//                                                                    (`iterateReturned(f(), "f")` over a call)
//   array pattern       nextValue(rec); restValues(rec)              `nextValue`, `restValues` (semantics.js)
//   for-of left early   return closeIterator(this, i, this.$r);      `closeIterator`: IteratorClose, then
//   (its finally)                                                    `finish(i)`
//   for (k in o)        this.$r = forIn(o); this.$r.next()           `forIn` -> ForInRecord (native for-in keys)
//   for await (x of a)  this.$r = asyncIterate(a);                   `asyncIterate` -> IteratorRecord (`asyncIterateOwn`
//                       return this.await(this.$r.callNext(), n);    for a call of the file's own async generator)
//                       if (!this.$r.take(sent)) ...
//   for-await left      return closeAsyncIterator(this, i, r, n);    `closeAsyncIterator`: awaits return()
//   early (finally)     return finishAsyncClose(this, i, sent);      (`$quiet` after a throw), `finishAsyncClose`
//   let/const/class     this.x = UNINITIALIZED;                      UNINITIALIZED (imported from the runtime)
//   before declaration  checkInitialized(this.x, "x")                `checkInitialized`: ReferenceError (TDZ)
//                       checkAssignable(this.x, "x", v)              `checkAssignable`
//                       checkedTarget(holder, "x", "x").value        `checkedTarget`: a pattern's target
//   const reassigned    assignConstant("x")                          `assignConstant`: TypeError
//                       constantTarget(holder, "x", "x").value       `constantTarget`: a pattern's target
//                       ignoredTarget().value                        `ignoredTarget`: sloppy own name's
//   super.x++ etc.      superUpdate(this, k, prefix, delta)          `superUpdate`
//                       superAssign(this, k, "+=", () => right)      `superAssign` (via `combine`)
//                       [superTarget(this, k).value] = list          `superTarget`
//                       superDelete()                                `superDelete`: ReferenceError
//   destructuring       requireObjectCoercible(v)                    `requireObjectCoercible`
//                       objectRest(source, ["a", "b"])               `objectRest`
//                       restArguments(this.arguments, i)             `restArguments`
//   f(...a, await x)    this.$0 = spreadList(a); f(...this.$0, sent)  `spreadList`: the values, spread again
//                                                                    through the list's own iterator
//                       toPropertyKey(key)                           `toPropertyKey`
//   o.m(await x)        callNamed(this.$0, o, "o.m", sent)           `callMethod`/`callNamed`: the method read before the
//   o.tag`${await x}`   bindMethod(this.$0, o)                       awaits, called with its object (`bindMethod`)
//   kept try/catch      catch (e) { inSourceWords(this, e); ...      `inSourceWords` (messages.js): an engine
//   (quoting the        (the step bracket does it for whatever a     TypeError's quote of `this.x` in the
//   machine)            step throws, by the class's `static          source's words (`x is not a function`)
//                       sourceWords = inSourceWords`: thrownBy)
//
// The instructions spelled `this.x(...)` are members of the machine (Machine; yield and started of
// YieldingMachine, the base of generator machines); the others are functions of the runtime
// (semantics.js, delegation.js, and the iterator closing here), imported by name where generated code uses
// them, so that a bundler keeps only what an app needs (yield*'s forwarding comes with `delegate`).
//
// Members the generated class owns, not the runtime: `resume`, `static tries`, `static $info` (machine
// info), `static sourceNames` (renamed locals), `static sourceTemps` (what temps quote) and `static sourceWords` (the rewording, where a step could quote machine code), for error messages: messages.js, and the fields the wrapper passes in (`thisArg`, `newTarget`, `arguments`/`$params`, `superGet`,
// `superSet`, `superCall`), besides the function's own locals and temps ($0, $s0, ...). None of them may
// take a name in MACHINE_MEMBERS (members.js), the members every machine inherits.
//
// The wrapper and the class header call the runtime's functions:
//
//   async function      return runAsync(new M(a, b));                `runAsync` (promise-driver.js); loop mode:
//                                                                    `coroutine(new M(...))` (stepwise/loop)
//   (one await at most, return runAsyncOnce(new M(a, b));            `runAsyncOnce`: the call's promise is the
//   in no loop)                                                      one its await's `then` makes
//   generator           return runGenerator(new M(...), self?, binds) `runGenerator` (generator-function.js):
//                                                                    a Generator / AsyncGenerator object
//   function object     var f = defineAsyncFunction({ f(a) {...} }.f) `defineAsyncFunction`, `defineAsyncMethods`
//   (where created)     static { defineAsyncMethods(this.prototype, "m"); }  (function-objects.js): the
//                                                                    [[Prototype]] of an async function
//   generator's         defineGeneratorFunction({ g() {...} }.g, M)  `defineGeneratorFunction`,
//   function object     static { defineGeneratorMethod(M, this.prototype, "g"); }  `defineGeneratorMethod(s)`:
//                                                                    [[Prototype]] and own `prototype`
//
// Every driver runs steps in the step bracket (`stepMachine`: tracer enter, step, tracer leave), then
// takes what the machine handed over (`take`): runAsync, runAsyncOnce and advance (promise-driver.js), Generator and
// AsyncGenerator, and the event loop's Task (src/loop/tasks.js).

import { apply, freeze } from "./intrinsics.js";
// (The iterator records are imported for their types.)
import { IteratorRecord, checkResult } from "./semantics.js";

// ---- The contract between generated code, drivers and tools ----

/** What `resume` (and `step`) tells the driver after running: the machine awaits `this.$value`. */
export const AWAIT = 0;
/** The machine finished; `this.$value` is its return value. */
export const DONE = 1;
/** The machine changed state without suspending (a jump through `finally`): run it again. */
export const CONTINUE = 2;
/** A generator suspends on `yield value`. */
export const YIELD = 3;
/**
 * A generator delegates to an iterator (`yield* value`) until it is done: `$value` is the delegation
 * (delegation.js). In an async generator, a step of its yield* in progress: hand out the delegation's
 * `value` as it is.
 */
export const DELEGATE = 4;
/** A generator has bound its parameters (at the call) and waits for the first next(). */
export const STARTED = 5;
/** The tracer's `leave` signal when the step threw out of the machine (never returned by `resume`). */
export const THREW = -1;

/** Every signal by name (for tools that print them). */
export const SIGNALS = /* @__PURE__ */ freeze({ AWAIT, DONE, CONTINUE, YIELD, DELEGATE, STARTED, THREW });

/** How a `finally` block was entered (a completion's `kind`), so that its end can carry the completion on. */
export const COMPLETION_JUMP = 0;
export const COMPLETION_RETURN = 1;
export const COMPLETION_THROW = 2;

/** Every completion kind by name. */
export const COMPLETION_KINDS = /* @__PURE__ */ freeze({ JUMP: COMPLETION_JUMP, RETURN: COMPLETION_RETURN, THROW: COMPLETION_THROW });

/** What a generator object asks of its machine: `next(v)`, `throw(e)` or `return(v)` (also a driver's step request). */
export const REQUEST_NEXT = 0;
export const REQUEST_THROW = 1;
export const REQUEST_RETURN = 2;

/** Every request mode by name. */
export const REQUEST_MODES = /* @__PURE__ */ freeze({ NEXT: REQUEST_NEXT, THROW: REQUEST_THROW, RETURN: REQUEST_RETURN });

// A generator object's state (the spec's [[GeneratorState]]; an async generator's has one more). Here, not
// in generator.js, so that an app with async generators only does not carry the generator objects.
export const START = 0;
export const SUSPENDED = 1;
export const RUNNING = 2;
export const COMPLETED = 3;

/** `this.state` of a machine that has finished. */
export const FINISHED = -1;

/**
 * @typedef {[start: number, catchAt: number, finallyAt: number, end: number]} TryEntry
 *   One try statement as state ranges: the try block is [start, catchAt or finallyAt), the catch block
 *   [catchAt, finallyAt or end), the finally block [finallyAt, end). Missing parts are -1. Entries are listed
 *   outer before inner, so scanning from the back finds the innermost one first.
 * @typedef {{ kind: number, value: unknown }} Completion
 */

/** The part of a try entry that handles a completion (`handlerKind`): its catch block... */
export const HANDLER_CATCH = "catch";
/** ...or its finally block, which runs and then carries the completion on. */
export const HANDLER_CLEANUP = "cleanup";

/**
 * The rule of the tries table: the index of the innermost try entry that handles a completion of `kind`
 * at `state`, or -1 when the completion leaves the machine (a throw propagates, a return or jump needs no
 * finally). A throw is handled by an entry whose try block holds the state and that has a catch block, or
 * whose try or catch block holds the state and that has a finally block. A return or a jump to `target`
 * is handled only by a finally block whose try or catch block holds the state, and not when `target` lies
 * inside the same try statement (a return passes FINISHED, which never does).
 * @param {readonly TryEntry[]} tries
 * @param {number} state
 * @param {number} kind COMPLETION_THROW, COMPLETION_RETURN or COMPLETION_JUMP
 * @param {number} target the jump's target state (FINISHED for a return or a throw)
 */
export function findHandler(tries, state, kind, target) {
  for (let i = tries.length - 1; i >= 0; i--) {
    const entry = tries[i];
    const start = entry[0];
    const catchAt = entry[1];
    const finallyAt = entry[2];
    const end = entry[3];
    // (a throw passes FINISHED, which is never inside: its finally block handles it as a return's does)
    if (state >= start && state < end && ((finallyAt >= 0 && state < finallyAt && !(target >= start && target < end)) || (kind === COMPLETION_THROW && catchAt >= 0 && state < catchAt))) return i;
  }
  return -1;
}

/**
 * Which part of the entry `findHandler` found handles the completion: HANDLER_CATCH (the catch block gets
 * the error as `sent`; only a throw from the try block) or HANDLER_CLEANUP (the finally block records the
 * completion and `finish` carries it on).
 * @param {TryEntry} entry
 * @param {number} state
 * @param {number} kind
 * @returns {"catch" | "cleanup"}
 */
export function handlerKind(entry, state, kind) {
  return kind === COMPLETION_THROW && entry[1] >= 0 && state < entry[1] ? HANDLER_CATCH : HANDLER_CLEANUP;
}

/**
 * Base class of every generated machine. The generated subclass provides `resume(sent)`: a `switch` over
 * `this.state` that runs from the current state up to the next suspension and returns a signal.
 */
export class Machine {
  /** @type {readonly TryEntry[]} */
  static tries = [];

  constructor() {
    /** The state `resume` runs next. */
    this.state = 0;
    /** The operand of the pending `await` (or the return value once done). */
    this.$value = /** @type {unknown} */ (undefined);
    /** Per try entry: how its `finally` block was entered. @type {Array<Completion | undefined> | undefined} */
    this.$pending = undefined;
    /** The pending await's outcome is wanted either way: a rejection resumes the machine, not throws into it. */
    this.$quiet = false;
  }

  /**
   * Runs the machine from `this.state`. Overridden by every generated class.
   * @param {unknown} sent the value the last `await` produced (or the caught error, in a catch state)
   * @returns {number} AWAIT, DONE or CONTINUE
   */
  resume(sent) {
    // (Never runs. It is here so that `resume` is one of MACHINE_MEMBERS, the names no field may take.)
    void sent;
    return DONE;
  }

  /**
   * Suspends on `value`; the machine continues in state `next` with the awaited result.
   * @param {unknown} value
   * @param {number} next
   */
  await(value, next) {
    this.state = next;
    this.$value = value;
    return AWAIT;
  }




  /**
   * `return value`, routed through the `finally` blocks that enclose the current state.
   * @param {unknown} [value]
   */
  return(value) {
    // (A function without finally blocks, the common case, needs no lookup. The lookup is a call of its
    // own so that this method stays a few bytes long: TurboFan inlines a call's code within a budget per
    // optimized function, and every byte spent here is one less for the driver and the machine's code
    // around it.)
    if (/** @type {typeof Machine} */ (this.constructor).tries.length !== 0) return returnThroughFinally(this, value);
    // The state stays where it is until the driver sees DONE: a native `finally` around this `return`
    // in kept code may still throw, and that exception belongs to the current state's handlers.
    this.$value = value;
    return DONE;
  }

  /**
   * `break`/`continue` (or falling out of a try block) to state `target`, through any `finally` in between.
   * @param {number} target
   */
  jump(target) {
    // (the innermost finally whose try or catch block holds the state and not the target)
    const entry = findHandler(/** @type {typeof Machine} */ (this.constructor).tries, this.state, COMPLETION_JUMP, target);
    if (entry >= 0) return enterFinally(this, entry, COMPLETION_JUMP, target);
    this.state = target;
    return CONTINUE;
  }

  /**
   * The end of the `finally` block of try entry `entry`: carry on with the completion that entered it.
   * @param {number} entry
   */
  finish(entry) {
    const pending = /** @type {Array<Completion | undefined>} */ (this.$pending);
    const completion = /** @type {Completion} */ (pending[entry]);
    pending[entry] = undefined;
    if (completion.kind === COMPLETION_THROW) throw completion.value;
    if (completion.kind === COMPLETION_RETURN) return this.return(completion.value);
    return this.jump(/** @type {number} */ (completion.value));
  }




  /**
   * Runs until the machine suspends or finishes. With `thrown`, `sent` is an error raised at the current
   * state (a rejected await): it goes to the innermost catch or finally, or out of the machine.
   * @param {unknown} sent
   * @param {boolean} thrown
   * @returns {number} AWAIT or DONE
   */
  step(sent, thrown) {
    for (;;) {
      if (thrown) {
        thrown = false;
        sent = route(this, sent);
      }
      try {
        const signal = this.resume(sent);
        if (signal === DONE) this.state = FINISHED;
        if (signal !== CONTINUE) return signal;
        sent = undefined;
      } catch (error) {
        sent = thrownBy(this, error);
        thrown = true;
      }
    }
  }
}

// The steps' bookkeeping: functions rather than methods, so that a bundler's minifier shortens their names
// (it keeps method names) and a machine's members stay the instructions generated code uses.

/**
 * `return value` in a machine whose class has try entries: through the `finally` blocks that enclose the
 * current state, if any (`Machine.return`).
 * @param {Machine} machine
 * @param {unknown} value
 */
function returnThroughFinally(machine, value) {
  const entry = findHandler(/** @type {typeof Machine} */ (machine.constructor).tries, machine.state, COMPLETION_RETURN, FINISHED);
  if (entry >= 0) return enterFinally(machine, entry, COMPLETION_RETURN, value);
  machine.$value = value;
  return DONE;
}

/**
 * Enters the finally block of try entry `entry` with a completion, which its end (`finish`) carries on.
 * @param {Machine} machine
 * @param {number} entry
 * @param {number} kind
 * @param {unknown} value
 */
function enterFinally(machine, entry, kind, value) {
  (machine.$pending ??= [])[entry] = { kind, value };
  machine.state = /** @type {typeof Machine} */ (machine.constructor).tries[entry][2];
  return CONTINUE;
}

/**
 * Sends an error raised in the current state to its handler: a catch block receives it as its `sent`
 * value; a finally block records it and rethrows at its end. With no handler the machine is finished
 * and the error propagates.
 * @param {Machine} machine
 * @param {unknown} error
 */
function route(machine, error) {
  const tries = /** @type {typeof Machine} */ (machine.constructor).tries;
  const state = machine.state;
  const entry = findHandler(tries, state, COMPLETION_THROW, FINISHED);
  if (entry >= 0) {
    // (handlerKind's rule for a throw, written out: its HANDLER_CATCH and HANDLER_CLEANUP are the
    // report's words, which an app need not carry)
    const catchAt = tries[entry][1];
    if (catchAt >= 0 && state < catchAt) {
      machine.state = catchAt;
      return error;
    }
    enterFinally(machine, entry, COMPLETION_THROW, error);
    return undefined;
  }
  machine.state = FINISHED;
  throw error;
}

// Closing an iterator when a lowered loop (or array pattern) is left early: functions the generated
// code imports by name (not members of every machine), so that an app without such loops does not
// carry them.

/**
 * The `finally` of a for-of loop left early (break, return, throw, continue of an outer loop): close the
 * iterator unless it finished by itself or its own `next()` threw, then carry the completion on.
 * @param {Machine} machine
 * @param {number} entry
 * @param {IteratorRecord} record
 */
export function closeIterator(machine, entry, record) {
  const completion = /** @type {Completion[]} */ (machine.$pending)[entry];
  if (!record.done) {
    record.done = true;
    record.close(completion.kind === COMPLETION_THROW);
  }
  return machine.finish(entry);
}

/**
 * The `finally` of a for-await loop left early: AsyncIteratorClose. Calls `return()` and awaits its
 * result (the machine continues in `next`), unless the iterator finished by itself. After a throw the
 * loop's own exception wins, whatever `return()` does.
 * @param {Machine} machine
 * @param {number} entry
 * @param {IteratorRecord} record
 * @param {number} next
 */
export function closeAsyncIterator(machine, entry, record, next) {
  const throwing = /** @type {Completion[]} */ (machine.$pending)[entry].kind === COMPLETION_THROW;
  if (!record.done) {
    record.done = true;
    try {
      const method = record.iterator.return;
      if (method != null) {
        const result = apply(method, record.iterator, []);
        machine.$quiet = throwing;
        return machine.await(result, next);
      }
    } catch (error) {
      if (!throwing) throw error;
    }
  }
  // (out of the try: `finish` rethrows a throw's completion, which is not return()'s to swallow)
  return machine.finish(entry);
}

/**
 * After the awaited `return()` of a for-await loop: its result must be an object (unless the loop is
 * throwing anyway), then the completion that left the loop carries on.
 * @param {Machine} machine
 * @param {number} entry
 * @param {unknown} result
 */
export function finishAsyncClose(machine, entry, result) {
  const throwing = /** @type {Completion[]} */ (machine.$pending)[entry].kind === COMPLETION_THROW;
  if (!throwing) checkResult(result);
  return machine.finish(entry);
}

/**
 * The base of generator and async generator machines: what only a generator does (yield, bind
 * its parameters at the call, return from a yield). Not in Machine, so that an app without generators
 * does not carry it.
 */
export class YieldingMachine extends Machine {
  // (An explicit constructor: the default one of a derived class spreads its arguments, through
  // Array.prototype[Symbol.iterator], which user code may have replaced.)
  constructor() {
    super();
  }

  /**
   * `yield value`: the generator suspends; it continues in state `next` with what `next(v)` sends.
   * @param {unknown} value
   * @param {number} next
   */
  yield(value, next) {
    this.state = next;
    this.$value = value;
    return YIELD;
  }

}

/**
 * The end of a generator's parameter binding, which runs at the call (`bindParameters`): the body starts
 * in the first `next`. (A function the generated code imports, not a member of every generator machine:
 * only generators whose parameters have defaults or patterns bind at the call.)
 * @param {Machine} machine
 * @param {number} next
 */
export function started(machine, next) {
  machine.state = next;
  return STARTED;
}

/**
 * `generator.return(value)` while suspended: a `return` at the current state, so the enclosing
 * `finally` blocks run (and may even yield again).
 * @param {YieldingMachine} machine
 * @param {unknown} value
 * @returns {number} YIELD, DELEGATE or DONE
 */
export function stepReturn(machine, value) {
  let signal;
  try {
    signal = machine.return(value);
  } catch (error) {
    return machine.step(error, true);
  }
  if (signal === DONE) {
    machine.state = FINISHED;
    return DONE;
  }
  return machine.step(undefined, false);
}

/**
 * Watches machines run (the CLI's `run --trace`, the event loop's trace). Every step of a machine is
 * reported twice: `enter` before it runs from `machine.state` (with what woke it: `sent` is sent in,
 * thrown in when `thrown`, or returned from the generator's suspension when `returned`, a `return(v)`),
 * `leave` after, when `machine.state` is where it will continue and `value` is what it awaited, yielded,
 * returned or threw.
 * @typedef {{
 *   enter(machine: Machine, sent: unknown, thrown: boolean, returned: boolean): void,
 *   leave(machine: Machine, signal: number, value: unknown): void,
 * }} Tracer
 */

/** @type {Tracer | null} */
let tracer = null;
/**
 * The step bracket with a tracer watching (`tracedStep`) while one is installed, else null: set by
 * installTracer, so an app that never installs a tracer does not carry `tracedStep`. (A check of this, not
 * `stepMachine` itself a variable the installer sets: a call through a variable cost generators 0.6% of
 * their instructions, callgrind.) @type {typeof tracedStep | null}
 */
let tracedStepper = null;

/**
 * Installs a tracer (or removes it with `null`); returns the previous one. The step bracket then reports
 * to it (`tracedStep`). (The runtime's public `setTracer` is promise-driver.js's, which also has the
 * promise driver's first steps go through the bracket.)
 * @param {Tracer | null} next
 */
export function installTracer(next) {
  const previous = tracer;
  tracer = next;
  tracedStepper = next === null ? null : tracedStep;
  return previous;
}

/** The installed tracer, or null (the event loop reports its tasks' steps through it). */
export function getTracer() {
  return tracer;
}

/** The value a machine handed over (awaited operand or result), no longer kept alive by it. @param {Machine} machine */
export function take(machine) {
  const value = machine.$value;
  machine.$value = undefined;
  return value;
}

/**
 * The step bracket every driver runs a machine's steps in (the promise driver, generator objects, async
 * generator objects, the event loop's tasks): one step for a request (REQUEST_NEXT sends `value` in,
 * REQUEST_THROW throws it in at the current state, REQUEST_RETURN, for generators, returns it from there), reported to the
 * tracer if one is installed: `enter` before, `leave` after, with THREW and the error rethrown when the
 * step threw out of the machine. The driver then takes what the machine handed over with `take`.
 * @param {Machine} machine
 * @param {number} request REQUEST_NEXT, REQUEST_THROW or REQUEST_RETURN
 * @param {unknown} value
 * @returns {number} the signal: AWAIT, DONE, YIELD, DELEGATE or STARTED
 */
export function stepMachine(machine, request, value) {
  if (tracedStepper !== null) return tracedStepper(machine, request, value);
  return request === REQUEST_RETURN ? stepReturn(/** @type {YieldingMachine} */ (machine), value) : machine.step(value, request === REQUEST_THROW);
}

/**
 * `stepMachine` with a tracer watching (the one installed when the step begins gets both reports).
 * @param {Machine} machine
 * @param {number} request
 * @param {unknown} value
 * @returns {number}
 */
function tracedStep(machine, request, value) {
  const watching = /** @type {Tracer} */ (tracer);
  watching.enter(machine, value, request === REQUEST_THROW, request === REQUEST_RETURN);
  let signal;
  try {
    signal = request === REQUEST_RETURN ? stepReturn(/** @type {YieldingMachine} */ (machine), value) : machine.step(value, request === REQUEST_THROW);
  } catch (error) {
    watching.leave(machine, THREW, error);
    throw error;
  }
  watching.leave(machine, signal, machine.$value);
  return signal;
}

/**
 * What a step of `machine` threw, as the program sees it: an engine TypeError that quotes the machine's code
 * gets the source's words back, if the machine's class carries the rewording (`static sourceWords`, set
 * by the transform where a step could quote machine code: messages.js).
 * @param {Machine} machine
 * @param {unknown} error
 */
export function thrownBy(machine, error) {
  const words = /** @type {{ sourceWords?: (machine: Machine, error: unknown) => unknown }} */ (machine.constructor).sourceWords;
  return words === undefined ? error : words(machine, error);
}
