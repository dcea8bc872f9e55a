// stepwise runtime: the base class every generated state machine extends, and the promise driver
// that makes a machine behave like a native async function.
//
// Written as plain JavaScript (type-checked through JSDoc) on purpose: it is shipped to users as is,
// it has no dependencies, and the transform can inline this very file into a self-contained output.

/** Captured at load time, so later patches of the globals by user code do not leak into the driver. */
const NativePromise = Promise;
const apply = Reflect.apply;
const promiseResolve = Promise.resolve;
const promiseReject = Promise.reject;
const promiseThen = Promise.prototype.then;

/** What a lifted `let`/`const`/`class` field holds from its scope's entry until its declaration runs. */
export const UNINITIALIZED = Symbol("uninitialized");

/** What `resume` tells the driver after running. */
export const AWAIT = 0;
export const DONE = 1;
/** The machine changed state without suspending (a jump through `finally`): run it again. */
export const CONTINUE = 2;
/** A generator suspends on `yield value`. */
export const YIELD = 3;
/** A generator delegates to an iterable (`yield* value`) until it is done. */
export const DELEGATE = 4;
/** A generator has bound its parameters (at the call) and waits for the first next(). */
export const STARTED = 5;

/** How a `finally` block was entered, so that its end can carry the completion on. */
const JUMP = 0;
const RETURN = 1;
const THROW = 2;

/** `this.state` of a machine that has finished. */
const FINISHED = -1;

/**
 * @typedef {[start: number, catchAt: number, finallyAt: number, end: number]} TryEntry
 *   One try statement as state ranges: the try block is [start, catchAt or finallyAt), the catch block
 *   [catchAt, finallyAt or end), the finally block [finallyAt, end). Missing parts are -1. Entries are listed
 *   outer before inner, so scanning from the back finds the innermost one first.
 * @typedef {{ kind: number, value: unknown }} Completion
 */

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
    throw new TypeError("stepwise: resume() is generated for each machine; " + sent);
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
   * `yield value`: the generator suspends; it continues in state `next` with what `next(v)` sends.
   * @param {unknown} value
   * @param {number} next
   */
  yield(value, next) {
    this.state = next;
    this.$value = value;
    return YIELD;
  }

  /**
   * The end of a generator's parameter binding, which runs at the call; the body starts in `next`.
   * @param {number} next
   */
  started(next) {
    this.state = next;
    return STARTED;
  }

  /**
   * `yield* iterable`: the generator object forwards next/throw/return to the iterable's iterator until it
   * is done; the machine continues in state `next` with the iterator's return value.
   * @param {unknown} iterable
   * @param {number} next
   */
  delegate(iterable, next) {
    this.state = next;
    this.$value = iterable;
    return DELEGATE;
  }

  /**
   * `return value`, routed through the `finally` blocks that enclose the current state.
   * @param {unknown} [value]
   */
  return(value) {
    const entry = this.enclosingFinally(FINISHED);
    if (entry >= 0) return this.enterFinally(entry, RETURN, value);
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
    const entry = this.enclosingFinally(target);
    if (entry >= 0) return this.enterFinally(entry, JUMP, target);
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
    if (completion.kind === THROW) throw completion.value;
    if (completion.kind === RETURN) return this.return(completion.value);
    return this.jump(/** @type {number} */ (completion.value));
  }

  /**
   * `for (x of iterable)`: GetIterator, as the loop head does.
   * @param {unknown} iterable
   */
  iterate(iterable) {
    const method = /** @type {any} */ (iterable)[Symbol.iterator];
    if (typeof method !== "function") throw new TypeError(`${typeof iterable} is not iterable`);
    const iterator = /** @type {any} */ (apply(method, iterable, []));
    if (!isObject(iterator)) throw new TypeError("Result of the Symbol.iterator method is not an object");
    return new IteratorRecord(iterator, /** @type {any} */ (iterator).next);
  }

  /**
   * `for (key in object)`: the engine's own for-in, kept suspended in a native generator between steps,
   * so keys are enumerated lazily and a key deleted before its turn is skipped exactly as natively.
   * @param {unknown} object
   */
  forIn(object) {
    return new ForInRecord(forInKeys(object));
  }

  /**
   * The `finally` of a for-of loop left early (break, return, throw, continue of an outer loop): close the
   * iterator unless it finished by itself or its own `next()` threw, then carry the completion on.
   * @param {number} entry
   * @param {IteratorRecord} record
   */
  closeIterator(entry, record) {
    const completion = /** @type {Completion[]} */ (this.$pending)[entry];
    if (!record.done) {
      record.done = true;
      record.close(completion.kind === THROW);
    }
    return this.finish(entry);
  }

  /**
   * Destructuring reads nothing from `null` or `undefined`.
   * @param {unknown} value
   */
  requireObjectCoercible(value) {
    if (value == null) throw new TypeError(`Cannot destructure '${value}' as it is ${value === null ? "null" : "undefined"}.`);
  }

  /**
   * `{ a, ...rest }`: the own enumerable properties of `source` other than the keys already taken.
   * @param {any} source
   * @param {PropertyKey[]} taken
   */
  objectRest(source, taken) {
    /** @type {Record<PropertyKey, unknown>} */
    const rest = {};
    const from = Object(source);
    for (const key of Reflect.ownKeys(from)) {
      if (taken.includes(key)) continue;
      const descriptor = Reflect.getOwnPropertyDescriptor(from, key);
      if (descriptor && descriptor.enumerable) {
        // CreateDataProperty: a `__proto__` key is an own property, not the prototype.
        Object.defineProperty(rest, key, { value: from[key], writable: true, enumerable: true, configurable: true });
      }
    }
    return rest;
  }

  /**
   * `...rest` parameters: the arguments from `start` on, as a fresh array.
   * @param {ArrayLike<unknown>} args
   * @param {number} start
   */
  restArguments(args, start) {
    const rest = [];
    for (let i = start; i < args.length; i++) rest.push(args[i]);
    return rest;
  }

  /**
   * ToPropertyKey, for a computed key evaluated before a later `await` in the same literal.
   * @param {unknown} key
   */
  toPropertyKey(key) {
    return Reflect.ownKeys({ [/** @type {PropertyKey} */ (key)]: 0 })[0];
  }

  /**
   * `[super.x] = list`: a reference whose `value` setter assigns through the wrapper's super.
   * @param {PropertyKey} key
   */
  superTarget(key) {
    const set = /** @type {any} */ (this).superSet;
    return {
      /** @param {unknown} value */
      set value(value) {
        set(key, value);
      },
    };
  }

  /**
   * `super.x++` and `--super[k]`: reads through the wrapper's super, converts with the engine's own `++`
   * (ToNumeric, so BigInts stay BigInts), writes back through super.
   * @param {PropertyKey} key
   * @param {boolean} prefix
   * @param {1 | -1} delta
   */
  superUpdate(key, prefix, delta) {
    const self = /** @type {any} */ (this);
    let value = self.superGet(key);
    const old = delta === 1 ? value++ : value--;
    self.superSet(key, value);
    return prefix ? value : old;
  }

  /**
   * `super[k] op= right` with a computed key: the key is evaluated once (the engine converts it at the
   * read and again at the write), the right side runs after the read, and a logical assignment writes
   * only when it does not short-circuit.
   * @param {PropertyKey} key
   * @param {string} operator
   * @param {() => any} right
   */
  superAssign(key, operator, right) {
    const self = /** @type {any} */ (this);
    const current = self.superGet(key);
    switch (operator) {
      case "&&=":
        return current ? self.superSet(key, right()) : current;
      case "||=":
        return current ? current : self.superSet(key, right());
      case "??=":
        return current != null ? current : self.superSet(key, right());
    }
    return self.superSet(key, combine(current, operator, right()));
  }

  /** `delete super.x` is always a ReferenceError. */
  superDelete() {
    throw new ReferenceError("Unsupported reference to 'super'");
  }

  /**
   * A read of a lifted `let`/`const`/`class` that may come before its declaration (its temporal dead
   * zone): the value, or the engine's ReferenceError while the field still holds UNINITIALIZED.
   * @param {unknown} value
   * @param {string} name
   */
  checkInitialized(value, name) {
    if (value === UNINITIALIZED) throw new ReferenceError(`Cannot access '${name}' before initialization`);
    return value;
  }

  /**
   * `x = value` where x may still be uninitialized: the value was computed first, then the engine throws.
   * @param {unknown} current
   * @param {string} name
   * @param {unknown} value
   */
  checkAssignable(current, name, value) {
    this.checkInitialized(current, name);
    return value;
  }

  /**
   * `[x] = list` where x may still be uninitialized: a reference whose `value` setter checks when the
   * pattern assigns (after it took the value, as the engine's PutValue), then writes the field.
   * @param {Record<string, unknown>} holder the machine, or the box that holds the binding
   * @param {string} field
   * @param {string} name
   */
  checkedTarget(holder, field, name) {
    const machine = this;
    return {
      /** @param {unknown} value */
      set value(value) {
        machine.checkInitialized(holder[field], name);
        holder[field] = value;
      },
    };
  }

  /**
   * An assignment to a `const` that lives in a field: throws as the engine would (V8's message does not
   * name the constant; the output passes the name for its readers).
   * @param {string} _name
   */
  assignConstant(_name) {
    throw new TypeError("Assignment to constant variable.");
  }

  /**
   * `for await (x of iterable)`: GetIterator(iterable, async), falling back to the sync iterator wrapped
   * as the spec's async-from-sync iterator.
   * @param {unknown} iterable
   */
  asyncIterate(iterable) {
    const object = /** @type {any} */ (iterable);
    const method = object[Symbol.asyncIterator];
    if (method == null) {
      const sync = this.iterate(iterable);
      const wrapper = new AsyncFromSyncIterator(sync.iterator, sync.nextMethod);
      return new AsyncIteratorRecord(wrapper, wrapper.next);
    }
    if (typeof method !== "function") throw new TypeError(`${typeof iterable} is not async iterable`);
    const iterator = apply(method, object, []);
    if (!isObject(iterator)) throw new TypeError("Result of the Symbol.asyncIterator method is not an object");
    return new AsyncIteratorRecord(iterator, /** @type {any} */ (iterator).next);
  }

  /**
   * The `finally` of a for-await loop left early: AsyncIteratorClose. Calls `return()` and awaits its
   * result (the machine continues in `next`), unless the iterator finished by itself. After a throw the
   * loop's own exception wins, whatever `return()` does.
   * @param {number} entry
   * @param {AsyncIteratorRecord} record
   * @param {number} next
   */
  closeAsyncIterator(entry, record, next) {
    const throwing = /** @type {Completion[]} */ (this.$pending)[entry].kind === THROW;
    if (record.done) return this.finish(entry);
    record.done = true;
    let result;
    try {
      const method = record.iterator.return;
      if (method == null) return this.finish(entry);
      result = apply(method, record.iterator, []);
    } catch (error) {
      if (throwing) return this.finish(entry);
      throw error;
    }
    this.$quiet = throwing;
    return this.await(result, next);
  }

  /**
   * After the awaited `return()` of a for-await loop: its result must be an object (unless the loop is
   * throwing anyway), then the completion that left the loop carries on.
   * @param {number} entry
   * @param {unknown} result
   */
  finishAsyncClose(entry, result) {
    const throwing = /** @type {Completion[]} */ (this.$pending)[entry].kind === THROW;
    if (!throwing) checkResult(result);
    return this.finish(entry);
  }

  /**
   * Innermost try entry with a `finally` whose try or catch block holds the current state and does not
   * hold `target` (a jump that stays inside the try statement does not run its finally).
   * @param {number} target
   */
  enclosingFinally(target) {
    const tries = /** @type {typeof Machine} */ (this.constructor).tries;
    const state = this.state;
    for (let i = tries.length - 1; i >= 0; i--) {
      const [start, , finallyAt, end] = tries[i];
      if (finallyAt >= 0 && state >= start && state < finallyAt && !(target >= start && target < end)) return i;
    }
    return -1;
  }

  /**
   * @param {number} entry
   * @param {number} kind
   * @param {unknown} value
   */
  enterFinally(entry, kind, value) {
    (this.$pending ??= [])[entry] = { kind, value };
    this.state = /** @type {typeof Machine} */ (this.constructor).tries[entry][2];
    return CONTINUE;
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
        sent = this.route(sent);
      }
      try {
        const signal = this.resume(sent);
        if (signal === DONE) this.state = FINISHED;
        if (signal !== CONTINUE) return signal;
        sent = undefined;
      } catch (error) {
        sent = error;
        thrown = true;
      }
    }
  }

  /**
   * `generator.return(value)` while suspended: a `return` at the current state, so the enclosing
   * `finally` blocks run (and may even yield again).
   * @param {unknown} value
   * @returns {number} YIELD, DELEGATE or DONE
   */
  stepReturn(value) {
    let signal;
    try {
      signal = this.return(value);
    } catch (error) {
      return this.step(error, true);
    }
    if (signal === DONE) {
      this.state = FINISHED;
      return DONE;
    }
    return this.step(undefined, false);
  }

  /**
   * Sends an error raised in the current state to its handler: a catch block receives it as its `sent`
   * value; a finally block records it and rethrows at its end. With no handler the machine is finished
   * and the error propagates.
   * @param {unknown} error
   */
  route(error) {
    const tries = /** @type {typeof Machine} */ (this.constructor).tries;
    const state = this.state;
    for (let i = tries.length - 1; i >= 0; i--) {
      const [start, catchAt, finallyAt, end] = tries[i];
      if (state < start || state >= end) continue;
      if (catchAt >= 0 && state < catchAt) {
        this.state = catchAt;
        return error;
      }
      if (finallyAt >= 0 && state < finallyAt) {
        this.enterFinally(i, THROW, error);
        return undefined;
      }
    }
    this.state = FINISHED;
    throw error;
  }
}

/**
 * The arithmetic of a compound assignment (`a op= b`), for a target the transform cannot spell twice.
 * @param {any} a
 * @param {string} operator
 * @param {any} b
 */
function combine(a, operator, b) {
  switch (operator) {
    case "+=": return a + b;
    case "-=": return a - b;
    case "*=": return a * b;
    case "/=": return a / b;
    case "%=": return a % b;
    case "**=": return a ** b;
    case "<<=": return a << b;
    case ">>=": return a >> b;
    case ">>>=": return a >>> b;
    case "&=": return a & b;
    case "|=": return a | b;
    case "^=": return a ^ b;
  }
  throw new TypeError(`unknown assignment operator ${operator}`);
}

/**
 * How V8 names a value in "incompatible receiver" messages: `#<Object>` for objects, the value otherwise.
 * @param {unknown} value
 */
function receiver(value) {
  if (typeof value === "string") return value;
  if (typeof value === "symbol") return value.toString();
  if (!isObject(value)) return String(value);
  const ctor = /** @type {any} */ (value).constructor;
  return `#<${typeof ctor === "function" && ctor.name ? ctor.name : "Object"}>`;
}

/** @param {unknown} value @returns {value is object} */
function isObject(value) {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}

/**
 * The spec's IteratorResult check: a result must be an object.
 * @param {unknown} result
 * @returns {any}
 */
function checkResult(result) {
  if (!isObject(result)) throw new TypeError(`Iterator result ${String(result)} is not an object`);
  return result;
}

/** An iterator being consumed by a lowered loop (the spec's Iterator Record). */
class IteratorRecordBase {
  /**
   * @param {any} iterator
   * @param {any} nextMethod read once, when the loop starts
   */
  constructor(iterator, nextMethod) {
    this.iterator = iterator;
    this.nextMethod = nextMethod;
    /** True once the iterator finished or failed (or is being stepped): it must not be closed then. */
    this.done = false;
    /** @type {unknown} */
    this.value = undefined;
  }

  /**
   * Takes a result of `next()`; false when the iterator is done (`done` and `value` are read in that order).
   * @param {unknown} result
   */
  take(result) {
    const checked = checkResult(result);
    if (checked.done) return false;
    this.value = checked.value;
    this.done = false;
    return true;
  }
}

/** A sync iterator consumed by for-of or an array pattern. */
export class IteratorRecord extends IteratorRecordBase {
  /** Steps the iterator; false when it is done. Until `next()` returns, the iterator counts as done. */
  next() {
    this.done = true;
    return this.take(apply(this.nextMethod, this.iterator, []));
  }

  /** The next value for an array pattern: `undefined` once the iterator is done. */
  nextValue() {
    return !this.done && this.next() ? this.value : undefined;
  }

  /** The rest of the values, for `[a, ...rest]`. */
  rest() {
    const values = [];
    while (!this.done && this.next()) values.push(this.value);
    return values;
  }

  /**
   * IteratorClose. After a throw, anything `return()` does is ignored and the original error wins.
   * @param {boolean} afterThrow
   */
  close(afterThrow) {
    if (afterThrow) {
      try {
        const method = this.iterator.return;
        if (method != null) apply(method, this.iterator, []);
      } catch {
        // the loop's own exception propagates instead
      }
      return;
    }
    const method = this.iterator.return;
    if (method == null) return;
    checkResult(apply(method, this.iterator, []));
  }
}

/** An async iterator consumed by a lowered for-await loop: the loop awaits `callNext()`, then `take`s. */
export class AsyncIteratorRecord extends IteratorRecordBase {
  /** Calls `next()`; the loop awaits what it returns. */
  callNext() {
    this.done = true;
    return apply(this.nextMethod, this.iterator, []);
  }
}

/**
 * The spec's async-from-sync iterator: for-await over a sync iterable awaits each value (a promise in the
 * iterable is unwrapped) before the loop body sees it.
 */
class AsyncFromSyncIterator {
  /**
   * @param {any} iterator
   * @param {any} nextMethod
   */
  constructor(iterator, nextMethod) {
    this.iterator = iterator;
    this.nextMethod = nextMethod;
  }

  /** @param {unknown[]} args */
  next(...args) {
    return this.#forward(null, args, null);
  }

  /** @param {unknown[]} args */
  return(...args) {
    // No `return` on the sync iterator: done, with the value passed in.
    return this.#forward("return", args, () => apply(promiseResolve, NativePromise, [{ value: args[0], done: true }]));
  }

  /** @param {unknown[]} args */
  throw(...args) {
    // No `throw` on the sync iterator: the error comes back as the rejection.
    return this.#forward("throw", args, () => apply(promiseReject, NativePromise, [args[0]]));
  }

  /**
   * Calls a method of the sync iterator (`next` when `key` is null; others are looked up here, so a
   * throwing getter rejects) and turns its result into a promise for `{ value, done }`.
   * @param {"return" | "throw" | null} key
   * @param {unknown[]} args
   * @param {(() => Promise<unknown>) | null} missing what to answer when the method is absent
   */
  #forward(key, args, missing) {
    let result;
    try {
      const method = key === null ? this.nextMethod : this.iterator[key];
      if (method == null && missing) return missing();
      result = checkResult(apply(method, this.iterator, args));
    } catch (error) {
      return apply(promiseReject, NativePromise, [error]);
    }
    return continuation(result);
  }
}

/**
 * AsyncFromSyncIteratorContinuation: a promise for `{ value, done }` once the value itself has settled.
 * @param {any} result
 */
function continuation(result) {
  let done, wrapper;
  try {
    done = Boolean(result.done);
    wrapper = apply(promiseResolve, NativePromise, [result.value]);
  } catch (error) {
    return apply(promiseReject, NativePromise, [error]);
  }
  return apply(promiseThen, wrapper, [(/** @type {unknown} */ value) => ({ value, done })]);
}

/** The keys of a lowered for-in loop. */
export class ForInRecord {
  /** @param {Iterator<string>} keys */
  constructor(keys) {
    this.keys = keys;
    /** @type {string | undefined} */
    this.value = undefined;
  }

  next() {
    const step = this.keys.next();
    if (step.done) return false;
    this.value = step.value;
    return true;
  }
}

/**
 * The keys a native for-in visits, one at a time.
 * @param {any} object
 * @returns {IterableIterator<string>}
 */
function* forInKeys(object) {
  for (const key in object) yield key;
}

/**
 * Watches machines run (the CLI's `run --trace`, the event loop's trace). Every step of a machine is
 * reported twice: `enter` before it runs from `machine.state` (with what woke it), `leave` after, when
 * `machine.state` is where it will continue and `value` is what it awaited, yielded, returned or threw.
 * @typedef {{
 *   enter(machine: Machine, sent: unknown, thrown: boolean): void,
 *   leave(machine: Machine, signal: number, value: unknown): void,
 * }} Tracer
 */

/** @type {Tracer | null} */
let tracer = null;

/** `leave`'s signal when the step threw out of the machine. */
export const THREW = -1;

/**
 * Installs a tracer (or removes it with `null`); returns the previous one.
 * @param {Tracer | null} next
 */
export function setTracer(next) {
  const previous = tracer;
  tracer = next;
  return previous;
}

/** The installed tracer, or null (the event loop reports its tasks' steps through it). */
export function getTracer() {
  return tracer;
}

/** Base class of machines lowered from async functions: the promise driver keeps the call's promise here. */
export class AsyncMachine extends Machine {
  constructor() {
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

function noop() {}

/**
 * The promise driver: runs an async machine the way the engine runs an async function. The body runs
 * synchronously up to its first `await`; each `await v` resolves `v` exactly as the spec's Await does
 * (PromiseResolve, then a reaction on the result), so every await and return takes as many microtask
 * ticks as natively.
 * @param {AsyncMachine} machine
 * @returns {Promise<unknown>}
 */
export function runAsync(machine) {
  // Run to the first suspension before building anything: a call that never waits needs no driver.
  // (Machine.step, with its first resume inlined: one frame less for each level of a synchronous chain
  // of calls, f calling g before its first await.)
  let signal;
  if (tracer !== null) tracer.enter(machine, undefined, false);
  try {
    try {
      signal = machine.resume(undefined);
    } catch (error) {
      signal = machine.step(error, true);
    }
    if (signal === CONTINUE) signal = machine.step(undefined, false);
    else if (signal === DONE) machine.state = FINISHED;
  } catch (error) {
    if (tracer !== null) tracer.leave(machine, THREW, error);
    return apply(promiseReject, NativePromise, [error]);
  }
  if (tracer !== null) tracer.leave(machine, signal, machine.$value);
  if (signal === DONE) return settled(take(machine));
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
 * Await: PromiseResolve the operand, then react to it.
 * @param {AsyncMachine} machine
 */
function suspend(machine) {
  try {
    apply(promiseThen, apply(promiseResolve, NativePromise, [take(machine)]), [machine.$onFulfilled, machine.$onRejected]);
  } catch (error) {
    // PromiseResolve can throw (a `constructor` getter on a promise): the await throws, as natively.
    advance(machine, error, true);
  }
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
  if (tracer !== null) tracer.enter(machine, sent, thrown);
  try {
    signal = machine.step(sent, thrown);
  } catch (error) {
    if (tracer !== null) tracer.leave(machine, THREW, error);
    machine.$reject(error);
    return;
  }
  if (tracer !== null) tracer.leave(machine, signal, machine.$value);
  if (signal === DONE) machine.$resolve(take(machine));
  else suspend(machine);
}

/** The value a machine handed over (awaited operand or result), no longer kept alive by it. @param {Machine} machine */
function take(machine) {
  const value = machine.$value;
  machine.$value = undefined;
  return value;
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

/** Base class of machines lowered from generator functions. */
export class GeneratorMachine extends Machine {}

const START = 0;
const SUSPENDED = 1;
const RUNNING = 2;
const COMPLETED = 3;
const NEXT = 0;
/** The machine has just signalled DELEGATE (from the fast path of next()). */
const DELEGATING = 3;

/**
 * A generator object (the spec's %GeneratorPrototype% and its internal slots): it runs its machine on
 * each `next`/`throw`/`return`, one step to the next `yield`, and forwards to the delegate of a `yield*`.
 */
export class Generator {
  /** @type {Machine} */
  #machine;
  #status = START;
  /** The iterator a `yield*` delegates to. @type {{ iterator: any, next: any } | null} */
  #delegate = null;

  /** @param {Machine} machine */
  constructor(machine) {
    this.#machine = machine;
  }

  /** @param {unknown} [value] */
  next(value) {
    // The common step (suspended at a yield, no yield* in progress) without the general bookkeeping.
    if (this.#status === SUSPENDED && this.#delegate === null) {
      const machine = this.#machine;
      this.#status = RUNNING;
      let signal;
      if (tracer !== null) tracer.enter(machine, value, false);
      try {
        signal = machine.step(value, false);
      } catch (error) {
        this.#status = COMPLETED;
        if (tracer !== null) tracer.leave(machine, THREW, error);
        throw error;
      }
      if (tracer !== null) tracer.leave(machine, signal, machine.$value);
      if (signal === YIELD) {
        this.#status = SUSPENDED;
        return { value: take(machine), done: false };
      }
      if (signal === DONE) {
        this.#status = COMPLETED;
        return { value: take(machine), done: true };
      }
      this.#status = SUSPENDED;
      return this.#resume(DELEGATING, undefined);
    }
    return this.#resume(NEXT, value);
  }

  /** @param {unknown} [value] */
  return(value) {
    return this.#resume(RETURN, value);
  }

  /** @param {unknown} error */
  throw(error) {
    return this.#resume(THROW, error);
  }

  /**
   * @param {number} mode NEXT, THROW or RETURN
   * @param {unknown} value
   * @returns {IteratorResult<unknown>}
   */
  #resume(mode, value) {
    if (this.#status === RUNNING) throw new TypeError("Generator is already running");
    if (this.#status === START && mode !== NEXT) this.#status = COMPLETED;
    if (this.#status === COMPLETED) {
      if (mode === THROW) throw value;
      return { value: mode === RETURN ? value : undefined, done: true };
    }
    this.#status = RUNNING;
    try {
      const result = this.#run(mode, value);
      // #run marks completion itself: a delegate's result passing through is not read again.
      if (this.#status === RUNNING) this.#status = SUSPENDED;
      return result;
    } catch (error) {
      this.#status = COMPLETED;
      throw error;
    }
  }

  /**
   * @param {number} mode
   * @param {unknown} value
   * @returns {IteratorResult<unknown>}
   */
  #run(mode, value) {
    const machine = this.#machine;
    for (;;) {
      const delegate = this.#delegate;
      if (delegate) {
        // yield*: the outer call goes to the inner iterator; its unfinished results pass through as they are.
        /** @type {any} */
        let result;
        try {
          if (mode === NEXT) {
            result = apply(delegate.next, delegate.iterator, [value]);
          } else {
            const method = mode === THROW ? delegate.iterator.throw : delegate.iterator.return;
            if (method == null) {
              this.#delegate = null;
              if (mode === THROW) {
                // No `throw` to forward to: close the inner iterator, then the yield* throws a TypeError.
                const close = delegate.iterator.return;
                if (close != null) {
                  checkResult(apply(close, delegate.iterator, []));
                }
                throw new TypeError("The iterator does not provide a 'throw' method.");
              }
              continue; // a return with no inner `return`: the generator itself returns
            }
            result = apply(method, delegate.iterator, [value]);
          }
          const inner = checkResult(result);
          if (!inner.done) return inner;
          this.#delegate = null;
          value = inner.value;
          if (mode === THROW) mode = NEXT;
        } catch (error) {
          this.#delegate = null;
          mode = THROW;
          value = error;
        }
      }
      const signal = mode === DELEGATING ? DELEGATE : tracer === null ? stepGenerator(machine, mode, value) : traceStep(machine, mode, value);
      if (signal === DELEGATE) {
        try {
          const iterable = /** @type {any} */ (take(machine));
          const method = iterable[Symbol.iterator];
          if (typeof method !== "function") throw new TypeError(`${typeof iterable} is not iterable`);
          const iterator = apply(method, iterable, []);
          if (!isObject(iterator)) throw new TypeError("Result of the Symbol.iterator method is not an object");
          this.#delegate = { iterator, next: /** @type {any} */ (iterator).next };
          mode = NEXT;
        } catch (error) {
          mode = THROW;
          value = error;
          continue;
        }
        value = undefined;
        continue;
      }
      if (signal === DONE) this.#status = COMPLETED;
      return { value: take(machine), done: signal === DONE };
    }
  }
}

/**
 * One step of a generator's machine for next (NEXT), throw (THROW) or return (RETURN).
 * @param {Machine} machine
 * @param {number} mode
 * @param {unknown} value
 */
function stepGenerator(machine, mode, value) {
  return mode === RETURN ? machine.stepReturn(value) : machine.step(value, mode === THROW);
}

/**
 * `stepGenerator`, reported to the tracer.
 * @param {Machine} machine
 * @param {number} mode
 * @param {unknown} value
 */
function traceStep(machine, mode, value) {
  const watching = /** @type {Tracer} */ (tracer);
  watching.enter(machine, value, mode === THROW);
  let signal;
  try {
    signal = stepGenerator(machine, mode, value);
  } catch (error) {
    watching.leave(machine, THREW, error);
    throw error;
  }
  watching.leave(machine, signal, machine.$value);
  return signal;
}

// Generator objects are iterators: %GeneratorPrototype% inherits from %IteratorPrototype%.
Object.setPrototypeOf(Generator.prototype, Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())));
shapeLike(Generator.prototype, Object.getPrototypeOf(function* () {}), "Generator");

/**
 * Gives a generator prototype the native one's visible shape: `constructor` is the (Async)GeneratorFunction
 * prototype, an object (so `util.inspect` prints `Object [Generator] {}`), and the tag is a read-only data property.
 * @param {object} proto
 * @param {object} functionPrototype
 * @param {string} tag
 */
function shapeLike(proto, functionPrototype, tag) {
  Object.defineProperty(proto, "constructor", { value: functionPrototype, writable: false, enumerable: false, configurable: true });
  Object.defineProperty(proto, Symbol.toStringTag, { value: tag, writable: false, enumerable: false, configurable: true });
}

/**
 * @typedef {{ mode: number, value: unknown, resolve: (value: unknown) => void, reject: (reason: unknown) => void }} AsyncGeneratorRequest
 *   A next/throw/return call waiting for its turn, with its promise's resolving functions.
 */

/** Base class of machines lowered from async generator functions. */
export class AsyncGeneratorMachine extends Machine {}

// An async generator object's state (the spec's [[AsyncGeneratorState]]).
const AWAITING_RETURN = 4;

// What the await in progress of an async generator is for.
/** An `await` in the body. */
const FOR_BODY = 0;
/** The operand of a `yield`, which is awaited before it is handed out. */
const FOR_YIELD = 1;
/** The value of a `return(v)` request received at a yield: it is awaited, then returned from there. */
const FOR_RETURN = 2;
/** The result of the delegate's next/throw/return during `yield*`. */
const FOR_DELEGATE = 3;
/** The delegate's `return()` when it had no `throw` to forward to. */
const FOR_CLOSE = 4;
/** A `return(v)` request before the start or after the end: the generator only awaits v. */
const FOR_QUEUE_RETURN = 5;

/**
 * An async generator object (the spec's %AsyncGeneratorPrototype% and its internal slots). Requests
 * (next/throw/return) queue up, each with its promise; the machine runs for the first one, and every
 * `yield` settles the oldest request. Between requests the machine may await; a request that arrives
 * meanwhile waits in the queue.
 */
export class AsyncGenerator {
  /** @type {Machine} */
  #machine;
  #status = START;
  /** @type {AsyncGeneratorRequest[]} */
  #queue = [];
  /** The iterator a `yield*` delegates to. @type {AsyncIteratorRecord | null} */
  #delegate = null;
  /** The request mode forwarded to the delegate, while its result is awaited. */
  #delegateMode = NEXT;
  #awaiting = FOR_BODY;
  #onFulfilled = (/** @type {unknown} */ value) => this.#settle(value, false);
  #onRejected = (/** @type {unknown} */ reason) => this.#settle(reason, true);

  /** @param {Machine} machine */
  constructor(machine) {
    this.#machine = machine;
  }

  /** @param {unknown} [value] */
  next(value) {
    return AsyncGenerator.#request(this, NEXT, value, "next");
  }

  /** @param {unknown} [value] */
  return(value) {
    return AsyncGenerator.#request(this, RETURN, value, "return");
  }

  /** @param {unknown} error */
  throw(error) {
    return AsyncGenerator.#request(this, THROW, error, "throw");
  }

  /**
   * AsyncGenerator.prototype.next/throw/return: a promise for the request's result, settled when the
   * generator gets to it.
   * @param {unknown} generator the `this` of the call
   * @param {number} mode
   * @param {unknown} value
   * @param {string} method
   */
  static #request(generator, mode, value, method) {
    /** @type {(value: unknown) => void} */
    let resolve = noop;
    /** @type {(reason: unknown) => void} */
    let reject = noop;
    const promise = new NativePromise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    if (!isObject(generator) || !(#machine in generator)) {
      reject(new TypeError(`Method [AsyncGenerator].prototype.${method} called on incompatible receiver ${receiver(generator)}`));
      return promise;
    }
    const self = /** @type {AsyncGenerator} */ (generator);
    const status = self.#status;
    if (mode === THROW && status === START) self.#status = COMPLETED;
    if (self.#status === COMPLETED && mode !== RETURN) {
      if (mode === THROW) reject(value);
      else resolve({ value: undefined, done: true });
      return promise;
    }
    self.#queue.push({ mode, value, resolve, reject });
    if (mode === RETURN && (status === START || status === COMPLETED)) {
      self.#status = AWAITING_RETURN;
      self.#await(value, FOR_QUEUE_RETURN);
    } else if (status === START || status === SUSPENDED) {
      self.#resume(mode, value);
    }
    return promise;
  }

  /**
   * Resumes the generator for a request (the spec's AsyncGeneratorResume, then the unwrapping of the
   * resumption at the yield it was suspended at).
   * @param {number} mode
   * @param {unknown} value
   * @returns {void}
   */
  #resume(mode, value) {
    this.#status = RUNNING;
    if (mode === RETURN) this.#await(value, FOR_RETURN);
    else if (this.#delegate !== null) this.#forward(mode, value);
    else this.#run(mode, value);
  }

  /**
   * Await, as the spec's: PromiseResolve the operand, then react to it.
   * @param {unknown} value
   * @param {number} purpose
   * @returns {void}
   */
  #await(value, purpose) {
    this.#awaiting = purpose;
    try {
      apply(promiseThen, apply(promiseResolve, NativePromise, [value]), [this.#onFulfilled, this.#onRejected]);
    } catch (error) {
      this.#settle(error, true);
    }
  }

  /**
   * The outcome of the await in progress.
   * @param {unknown} value
   * @param {boolean} thrown
   * @returns {void}
   */
  #settle(value, thrown) {
    switch (this.#awaiting) {
      case FOR_BODY: {
        const machine = this.#machine;
        if (machine.$quiet) {
          machine.$quiet = false;
          thrown = false;
        }
        return this.#run(thrown ? THROW : NEXT, value);
      }
      case FOR_YIELD:
        // A rejected operand throws at the yield; otherwise the value is handed out.
        return thrown ? this.#run(THROW, value) : this.#yielded(value);
      case FOR_RETURN:
        if (this.#delegate !== null) return this.#forward(thrown ? THROW : RETURN, value);
        return this.#run(thrown ? THROW : RETURN, value);
      case FOR_DELEGATE:
        return this.#delegated(value, thrown);
      case FOR_CLOSE:
        if (!thrown) value = isObject(value) ? new TypeError("The iterator does not provide a 'throw' method.") : new TypeError(`Iterator result ${String(value)} is not an object`);
        return this.#run(THROW, value);
      default:
        this.#status = COMPLETED;
        this.#complete(value, thrown, true);
        return this.#drain();
    }
  }

  /**
   * Runs the machine until it awaits, yields or finishes.
   * @param {number} mode NEXT, THROW or RETURN
   * @param {unknown} value
   * @returns {void}
   */
  #run(mode, value) {
    const machine = this.#machine;
    for (;;) {
      let signal;
      try {
        signal = tracer === null ? stepGenerator(machine, mode, value) : traceStep(machine, mode, value);
      } catch (error) {
        this.#status = COMPLETED;
        this.#complete(error, true, true);
        return this.#drain();
      }
      if (signal === AWAIT) return this.#await(take(machine), FOR_BODY);
      if (signal === YIELD) return this.#await(take(machine), FOR_YIELD);
      if (signal === DONE) {
        this.#status = COMPLETED;
        this.#complete(take(machine), false, true);
        return this.#drain();
      }
      // DELEGATE: GetIterator(iterable, async); its failure throws at the yield*.
      try {
        this.#delegate = machine.asyncIterate(take(machine));
      } catch (error) {
        mode = THROW;
        value = error;
        continue;
      }
      return this.#forward(NEXT, undefined);
    }
  }

  /**
   * AsyncGeneratorYield: the oldest request gets `{ value, done: false }`; the next one in the queue
   * resumes the generator at once, or it stays suspended until a request comes.
   * @param {unknown} value
   * @returns {void}
   */
  #yielded(value) {
    this.#complete(value, false, false);
    const request = this.#queue[0];
    if (request === undefined) this.#status = SUSPENDED;
    else this.#resume(request.mode, request.value);
  }

  /**
   * One step of `yield*`: the request goes to the delegate, whose result is awaited.
   * @param {number} mode
   * @param {unknown} value
   * @returns {void}
   */
  #forward(mode, value) {
    const record = /** @type {AsyncIteratorRecord} */ (this.#delegate);
    const iterator = record.iterator;
    this.#delegateMode = mode;
    let result;
    try {
      if (mode === NEXT) {
        result = apply(record.nextMethod, iterator, [value]);
      } else {
        const method = mode === THROW ? iterator.throw : iterator.return;
        if (method == null) {
          this.#delegate = null;
          // No `return`: the generator itself returns (the value awaited first).
          if (mode === RETURN) return this.#await(value, FOR_RETURN);
          // No `throw`: close the delegate (awaiting its `return()`), then the yield* throws a TypeError.
          const close = iterator.return;
          if (close == null) throw new TypeError("The iterator does not provide a 'throw' method.");
          return this.#await(apply(close, iterator, []), FOR_CLOSE);
        }
        result = apply(method, iterator, [value]);
      }
    } catch (error) {
      this.#delegate = null;
      return this.#run(THROW, error);
    }
    this.#await(result, FOR_DELEGATE);
  }

  /**
   * The delegate's awaited result: done ends the yield* (a `return` request returns from it), otherwise
   * its value is handed out as is (not awaited again).
   * @param {unknown} result
   * @param {boolean} thrown
   * @returns {void}
   */
  #delegated(result, thrown) {
    let done = false;
    let value;
    try {
      if (thrown) throw result;
      const checked = checkResult(result);
      done = Boolean(checked.done);
      value = checked.value;
    } catch (error) {
      this.#delegate = null;
      return this.#run(THROW, error);
    }
    if (!done) return this.#yielded(value);
    this.#delegate = null;
    this.#run(this.#delegateMode === RETURN ? RETURN : NEXT, value);
  }

  /**
   * AsyncGeneratorCompleteStep: settles the oldest request.
   * @param {unknown} value
   * @param {boolean} thrown
   * @param {boolean} done
   * @returns {void}
   */
  #complete(value, thrown, done) {
    const request = /** @type {AsyncGeneratorRequest} */ (this.#queue.shift());
    if (thrown) request.reject(value);
    else request.resolve({ value, done });
  }

  /**
   * AsyncGeneratorDrainQueue: the generator is completed; the requests still queued are answered.
   * @returns {void}
   */
  #drain() {
    const queue = this.#queue;
    while (queue.length > 0) {
      const request = queue[0];
      if (request.mode === RETURN) {
        this.#status = AWAITING_RETURN;
        return this.#await(request.value, FOR_QUEUE_RETURN);
      }
      // a `next` gets `{ value: undefined, done: true }`, a `throw` its own error back
      this.#complete(request.mode === THROW ? request.value : undefined, request.mode === THROW, true);
    }
  }
}

// %AsyncGeneratorPrototype% inherits from %AsyncIteratorPrototype% (whose [Symbol.asyncIterator] returns this).
Object.setPrototypeOf(AsyncGenerator.prototype, Object.getPrototypeOf(Object.getPrototypeOf(async function* () {}.prototype)));
shapeLike(AsyncGenerator.prototype, Object.getPrototypeOf(async function* () {}), "AsyncGenerator");

/**
 * Makes `fn` (the wrapper of a generator declaration) look like a generator function to its objects:
 * its `prototype` becomes a fresh object inheriting from Generator.prototype, with no `constructor`,
 * and the machine class remembers the function, so objects find its current `prototype`.
 * @param {{ fn?: Function }} machineClass
 * @param {Function} fn
 */
export function defineGenerator(machineClass, fn) {
  /** @type {any} */ (fn).prototype = Object.create(objectClass(/** @type {any} */ (machineClass).prototype).prototype);
  machineClass.fn = fn;
}

/**
 * A generator method (`*gen() {}` in a class or an object literal) has a `prototype` of its own, as a
 * generator function does, and its objects inherit from it: the method gets one, and its machine class
 * remembers the method.
 * @param {{ fn?: Function, method?: boolean, prototype: object }} machineClass
 * @param {object} home the class's prototype, the class (static methods) or the object literal
 * @param {PropertyKey} key
 */
export function defineGeneratorMethod(machineClass, home, key) {
  const fn = Object.getOwnPropertyDescriptor(home, key)?.value;
  if (typeof fn !== "function") return;
  const prototype = Object.create(objectClass(/** @type {any} */ (machineClass.prototype)).prototype);
  Object.defineProperty(fn, "prototype", { value: prototype, writable: true, enumerable: false, configurable: false });
  machineClass.fn = fn;
  /** @type {{ method?: boolean }} */ (machineClass).method = true;
}

/**
 * defineGeneratorMethod for each generator method of an object literal, once the literal exists.
 * @template {object} T
 * @param {T} object
 * @param {...any} machinesAndKeys machine class, key, machine class, key, ...
 * @returns {T}
 */
export function defineGeneratorMethods(object, ...machinesAndKeys) {
  for (let i = 0; i < machinesAndKeys.length; i += 2) defineGeneratorMethod(machinesAndKeys[i], object, machinesAndKeys[i + 1]);
  return object;
}

/**
 * Makes the wrapper of a generator expression, where it is evaluated, look like a generator function to
 * its objects (its `prototype` inherits from Generator.prototype). One the transform had to give a name
 * of its own (so that it can pass itself to runGenerator) gets back the `name` the engine gives it.
 * @template {Function} F
 * @param {F} fn
 * @param {{ prototype: object }} machineClass
 * @param {string} [name]
 * @returns {F}
 */
export function defineGeneratorFunction(fn, machineClass, name) {
  if (name !== undefined) Object.defineProperty(fn, "name", { value: name, configurable: true });
  /** @type {any} */ (fn).prototype = Object.create(objectClass(/** @type {any} */ (machineClass.prototype)).prototype);
  return fn;
}

/**
 * The class of the objects a generator machine runs in: Generator, or AsyncGenerator for async ones.
 * @param {Machine} machine
 */
function objectClass(machine) {
  return machine instanceof AsyncGeneratorMachine ? AsyncGenerator : Generator;
}

/**
 * The generator driver: calling a generator function (sync or async) makes a generator object around
 * its machine and runs nothing yet. The object inherits from the function's `prototype` (if it is an
 * object), as native generator objects do.
 * A generator expression passes itself (`self`, made a generator function by defineGeneratorFunction).
 * @param {Machine} machine
 * @param {Function} [self]
 * @param {boolean} [bindsOnCall]
 */
export function runGenerator(machine, self, bindsOnCall = false) {
  // Parameters with defaults or patterns are bound now: their errors throw from the call itself.
  if (bindsOnCall) machine.step(undefined, false);
  const Kind = objectClass(machine);
  const fn = /** @type {{ fn?: Function }} */ (machine.constructor).fn ?? self;
  const proto = fn && /** @type {any} */ (fn).prototype;
  if (!isObject(proto) || proto === Kind.prototype) return new Kind(machine);
  // A method is no constructor to hand Reflect.construct: its object gets the prototype afterwards.
  if (/** @type {{ method?: boolean }} */ (machine.constructor).method) return Object.setPrototypeOf(new Kind(machine), proto);
  return Reflect.construct(Kind, [machine], /** @type {any} */ (fn));
}
