// yield*: a generator delegating to another iterator. The instruction (`return delegate(this, it, next)`,
// `delegateAsync` in an async generator) gets the iterator at the yield* and hands the generator object a
// delegation, which forwards each next/throw/return request to that iterator until it is done. Generator
// and AsyncGenerator only call the delegation's methods (they name its classes for types alone), so an app
// whose generators do not use yield* does not carry any of this: the transform imports `delegate` only
// where it emits it.

import { NativePromise, NativeString, NativeTypeError, SymbolAsyncIterator, SymbolIterator, apply, callIteratorMethod, describeValue, getPrototypeOf, isObject, objectCreate, promiseReject, promiseResolve } from "./intrinsics.js";
import { AWAIT, COMPLETED, CONTINUE, DELEGATE, DONE, Machine, REQUEST_NEXT, REQUEST_RETURN, REQUEST_THROW, RUNNING, START, SUSPENDED, stepMachine, stepReturn, take } from "./machine.js";
import { AsyncFromSyncIterator, IteratorRecord, checkResult, closesOnRejection, forwardToSync } from "./semantics.js";
import { Generator, SlotsOn } from "./generator.js";

/**
 * `yield* iterable` in a generator: GetIterator(iterable) at the yield* (its failure throws there, at state
 * `next`, where the machine's try regions see it); the generator object then forwards to the iterator,
 * and the machine continues in state `next` with the iterator's return value. `quote` is how V8 words a
 * non-iterable here, which depends on the operand's shape in the source (see `notIterable`).
 * @param {Machine} machine
 * @param {unknown} iterable
 * @param {number} next
 * @param {number | string} [quote]
 */
export function delegate(machine, iterable, next, quote) {
  machine.state = next;
  const method = iterable == null ? undefined : /** @type {any} */ (iterable)[SymbolIterator];
  if (typeof method !== "function") throw notIterable(iterable, quote, false);
  const iterator = apply(method, iterable, []);
  if (!isObject(iterator)) throw new NativeTypeError("Result of the Symbol.iterator method is not an object");
  machine.$value = new Delegation(iterator, /** @type {any} */ (iterator).next, quote);
  return DELEGATE;
}

/**
 * `yield* iterable` in an async generator: GetIterator(iterable, async) at the yield*, then the first
 * `next()` of the iterator, whose result the machine awaits (AWAIT). Until the yield* is over, the machine
 * answers the async generator object through its delegation (`AsyncDelegation.install`): the object knows
 * nothing of yield* but that a step's DELEGATE hands out the delegation's `value` as it is.
 * @param {Machine} machine
 * @param {unknown} iterable
 * @param {number} next
 * @param {number | string} [quote]
 */
export function delegateAsync(machine, iterable, next, quote) {
  machine.state = next;
  const delegation = asyncDelegation(iterable, quote);
  // (a `next()` that throws at once throws here, at the yield*, as GetIterator's failures do)
  if (delegation.forward(REQUEST_NEXT, undefined) === DELEGATION_OVER) throw delegation.value;
  return delegation.install(machine);
}

/**
 * GetIterator(iterable, async) for a yield*, as semantics.js's `asyncIterate` for a for-await loop, but a
 * method that is not callable fails in V8's words for a yield* (`notIterable`), and a sync iterator is
 * wrapped in the async-from-sync iterator that forwards `throw` too.
 * @param {unknown} iterable
 * @param {number | string | undefined} quote
 * @returns {AsyncDelegation}
 */
function asyncDelegation(iterable, quote) {
  const object = /** @type {any} */ (iterable);
  const method = object[SymbolAsyncIterator];
  if (method == null) {
    const syncMethod = object[SymbolIterator];
    if (typeof syncMethod !== "function") throw notIterable(syncMethod, quote, true);
    const sync = apply(syncMethod, object, []);
    if (!isObject(sync)) throw new NativeTypeError("Result of the Symbol.iterator method is not an object");
    const wrapper = new DelegatedAsyncFromSyncIterator(new IteratorRecord(sync, /** @type {any} */ (sync).next));
    return new AsyncDelegation(wrapper, wrapper.next, quote);
  }
  if (typeof method !== "function") throw notIterable(method, quote, true);
  const iterator = apply(method, object, []);
  if (!isObject(iterator)) throw new NativeTypeError("Result of the Symbol.asyncIterator method is not an object");
  return new AsyncDelegation(iterator, /** @type {any} */ (iterator).next, quote);
}

/**
 * V8's TypeError for a yield* whose operand is not (async) iterable. V8 words it from the source around the
 * yield* (its CallPrinter), so the transform passes what it found there as `quote`:
 * - nothing, where V8 finds no text to print (a name, a literal, `c ? a : b`, `a || b`, `o?.x`, `this`):
 *   V8 describes the value, `number 3 is not iterable (cannot read property Symbol(Symbol.iterator))`, and
 *   in an async generator the method it tried to call, `undefined is not a function`;
 * - a string, an optional call's callee as V8 prints it (`o?.m` for `o?.m()`), which stands for the value:
 *   `o?.m is not iterable (cannot read property ...)`, `o?.m is not a function`;
 * - a number, for the other shapes (`o.items`, `f()`, `a ?? b`, ...): V8 prints `yield* ` and then one
 *   `(intermediate value)` for the operand and one for each part of the function its printer visits after
 *   the yield* (a statement after it, the catch block of a try around it, ...), which the transform counted:
 *   `yield* (intermediate value)(intermediate value) is not iterable`; or, where the printer prints more than
 *   those (`[yield* o.items, x]`), the text itself, `yield* (intermediate value),x]`. Node 20's V8 wraps an
 *   async generator's body in statements of its own that add three more (asked once: `asyncBodyQuotes`).
 * @param {unknown} value the operand (generator), or the method that is not callable (async generator)
 * @param {number | string | undefined} quote
 * @param {boolean} async
 */
function notIterable(value, quote, async) {
  const end = async ? " is not a function" : " is not iterable (cannot read property Symbol(Symbol.iterator))";
  if (quote === undefined) return new NativeTypeError(describeValue(value) + end);
  // (a string is a callee's text, or the whole of what V8 prints from the yield* on: `yield* ...`)
  if (typeof quote === "string" && (quote[0] !== "y" || quote[5] !== "*")) return new NativeTypeError(quote + end);
  let text = typeof quote === "string" ? quote : "yield* ";
  for (let i = (typeof quote === "string" ? 0 : quote) + (async ? asyncBodyQuotes() : 0); i > 0; i--) text += "(intermediate value)";
  return new NativeTypeError(text + (async ? " is not async iterable" : " is not iterable"));
}

/**
 * Calls a method of a yield*'s iterator (`next`, `throw`, `return`); one that is no function fails in V8's
 * words for the yield*'s operand (`quote`, as for `notIterable`): `number 5 is not a function` where V8
 * finds no text to print (a name), `o?.m is not a function` for an optional call's callee, and the yield*'s
 * own text for the other shapes, `yield* (intermediate value) is not iterable`.
 * @param {unknown} method
 * @param {unknown} iterator
 * @param {unknown[]} args
 * @param {number | string | undefined} quote
 * @param {boolean} async
 */
function callDelegate(method, iterator, args, quote, async) {
  if (typeof method === "function") return apply(method, iterator, args);
  if (quote === undefined) throw new NativeTypeError(describeValue(method) + " is not a function");
  if (typeof quote === "string" && (quote[0] !== "y" || quote[5] !== "*")) throw new NativeTypeError(quote + " is not a function");
  throw notIterable(method, quote, async);
}

/** How many more `(intermediate value)` this engine prints in an async generator (asyncBodyQuotes), once asked. @type {number | undefined} */
let extraQuotes;
// (the engine's %AsyncGeneratorPrototype%.next, which the program may replace later)
const asyncGeneratorNext = /* @__PURE__ */ (() => getPrototypeOf(async function* () {}.prototype).next)();

/**
 * How many more `(intermediate value)` this engine prints for a yield* in an async generator than in a
 * generator: 3 where its parser wraps an async generator's body in a try/catch/finally of its own (V8 11,
 * Node 20), 0 where it does not (Node 24). Asked once, on the error path only, of a native async generator
 * whose yield* fails in a try statement (so 2 more than that): its body runs to the catch within `next()`.
 */
function asyncBodyQuotes() {
  if (extraQuotes === undefined) {
    let message = "";
    const probe = async function* (/** @type {any} */ o) {
      try {
        yield* o.x;
      } catch (error) {
        message = /** @type {any} */ (error).message;
      }
    };
    apply(asyncGeneratorNext, probe({ x: objectCreate(null) }), []);
    // (`yield* ` and " is not async iterable" around 20 characters for each)
    const count = (message.length - 29) / 20 - 2;
    extraQuotes = count > 0 ? count | 0 : 0;
  }
  return extraQuotes;
}

/**
 * The async-from-sync iterator of a yield* in an async generator, which forwards `throw` too (a for-await
 * loop never calls it: semantics.js's class does without).
 */
class DelegatedAsyncFromSyncIterator extends AsyncFromSyncIterator {
  // (Explicit: a derived class's default constructor spreads its arguments through the user-replaceable
  // Array.prototype[Symbol.iterator].)
  /** @param {import("./semantics.js").IteratorRecord} sync */
  constructor(sync) {
    super(sync);
  }

  /** @param {unknown[]} args */
  next(...args) {
    return forwardToSync(this, null, args, null);
  }

  /** @param {unknown[]} args */
  return(...args) {
    // No `return` on the sync iterator: done, with the value passed in.
    return forwardToSync(this, "return", args, () => apply(promiseResolve, NativePromise, [{ value: args[0], done: true }]));
  }

  /** @param {unknown[]} args */
  throw(...args) {
    return forwardToSync(this, "throw", args, () => {
      // No `throw` on the sync iterator: the error comes back as the rejection (before ES2025), or the
      // iterator is closed and the protocol violation is the rejection (ES2025).
      if (!closesOnRejection) return apply(promiseReject, NativePromise, [args[0]]);
      const { iterator } = this.sync;
      const close = iterator.return;
      // (IteratorClose, in V8's words for this case)
      if (close != null && !isObject(callIteratorMethod(close, iterator, []))) throw new NativeTypeError("return called on non-object");
      return apply(promiseReject, NativePromise, [new NativeTypeError("The iterator does not provide a 'throw' method.")]);
    });
  }
}

/**
 * A generator's yield* in progress: its iterator and `next` (read once, at the start), and, when the
 * delegation ends, how the machine carries on (`mode`, `value`).
 */
export class Delegation {
  /**
   * @param {any} iterator
   * @param {any} nextMethod
   * @param {number | string | undefined} quote the operand as V8 words it (see `notIterable`)
   */
  constructor(iterator, nextMethod, quote) {
    this.iterator = iterator;
    this.nextMethod = nextMethod;
    this.quote = quote;
    /** How the machine continues once the delegation is over: REQUEST_NEXT, REQUEST_THROW or REQUEST_RETURN. */
    this.mode = REQUEST_NEXT;
    /** @type {unknown} with what: the return value, the error, or (async) the value to await or hand out */
    this.value = undefined;
  }

  /**
   * generator.js's `resume` of a generator object whose yield* is this one.
   * @param {GeneratorSlots} slots
   * @param {number} mode
   * @param {unknown} value
   * @returns {IteratorResult<unknown>}
   */
  resume(slots, mode, value) {
    return resumeDelegating(slots, mode, value);
  }

  /**
   * Forwards a request to the iterator: its unfinished result, to pass through as it is, or null when the
   * delegation is over (the machine continues with `mode` and `value`). Never throws.
   * @param {number} mode REQUEST_NEXT, REQUEST_THROW or REQUEST_RETURN
   * @param {unknown} value
   * @returns {IteratorResult<unknown> | null}
   */
  forward(mode, value) {
    const iterator = this.iterator;
    try {
      let result;
      if (mode === REQUEST_NEXT) {
        result = callDelegate(this.nextMethod, iterator, [value], this.quote, false);
      } else {
        const method = mode === REQUEST_THROW ? iterator.throw : iterator.return;
        if (method == null) {
          if (mode === REQUEST_THROW) {
            // No `throw` to forward to: close the inner iterator, then the yield* throws a TypeError.
            const close = iterator.return;
            if (close != null) checkResult(callIteratorMethod(close, iterator, []));
            throw new NativeTypeError("The iterator does not provide a 'throw' method.");
          }
          // A return with no inner `return`: the generator itself returns.
          this.mode = REQUEST_RETURN;
          this.value = value;
          return null;
        }
        result = callDelegate(method, iterator, [value], this.quote, false);
      }
      const inner = checkResult(result);
      if (!inner.done) return inner;
      this.value = inner.value;
      // (a thrown-in error the iterator handled is over: the yield* evaluates to its return value)
      this.mode = mode === REQUEST_THROW ? REQUEST_NEXT : mode;
    } catch (error) {
      this.mode = REQUEST_THROW;
      this.value = error;
    }
    return null;
  }
}

/**
 * A generator object's internal slots (generator.js; named here by shape, generator.js importing this module).
 * @typedef {{ machine: Machine, status: number, delegate: Delegation | null }} GeneratorSlots
 */

/**
 * A generator object's own `next` (generator.js): a yield* of a generator object whose `next` is this one
 * resumes it directly (`resumeDelegating`), one frame per level as the engine's.
 */
const ownNext = /* @__PURE__ */ (() => Generator.prototype.next)();

/**
 * generator.js's `resume` (next/throw/return of a generator object) with the yield* in progress: requests
 * go to the inner iterator, whose unfinished results pass through as they are, until it is done; then the
 * machine runs on. (The steps run here, not in a function of their own, and a yield* of one of this
 * runtime's generators calls this directly: a yield* chain then takes one frame per level, as the
 * engine's does.)
 * @param {GeneratorSlots} slots
 * @param {number} mode REQUEST_NEXT, REQUEST_THROW or REQUEST_RETURN
 * @param {unknown} value
 * @returns {IteratorResult<unknown>}
 */
function resumeDelegating(slots, mode, value) {
  if (slots.status === RUNNING) throw new NativeTypeError("Generator is already running");
  if (slots.status === START && mode !== REQUEST_NEXT) slots.status = COMPLETED;
  if (slots.status === COMPLETED) {
    if (mode === REQUEST_THROW) throw value;
    return { value: mode === REQUEST_RETURN ? value : undefined, done: true };
  }
  slots.status = RUNNING;
  const machine = slots.machine;
  try {
    for (;;) {
      const delegate = slots.delegate;
      if (delegate !== null) {
        /** @type {IteratorResult<unknown> | null} */
        let inner;
        // (the inner iterator's slots, if it is one of these generators with its own `next`; generator.js
        // types their `delegate` by the one method it calls)
        const own = mode === REQUEST_NEXT && delegate.nextMethod === ownNext ? /** @type {GeneratorSlots | null} */ (/** @type {unknown} */ (SlotsOn.of(delegate.iterator))) : null;
        if (own !== null) {
          try {
            inner = resumeDelegating(own, REQUEST_NEXT, value);
            if (inner.done) {
              delegate.mode = REQUEST_NEXT;
              delegate.value = inner.value;
              inner = null;
            }
          } catch (error) {
            delegate.mode = REQUEST_THROW;
            delegate.value = error;
            inner = null;
          }
        } else {
          inner = delegate.forward(mode, value);
        }
        if (inner !== null) {
          slots.status = SUSPENDED;
          return inner;
        }
        slots.delegate = null;
        mode = delegate.mode;
        value = delegate.value;
      }
      const signal = stepMachine(machine, mode, value);
      if (signal === DELEGATE) {
        // (the machine's next yield* got its iterator: `delegate`)
        slots.delegate = /** @type {Delegation} */ (take(machine));
        mode = REQUEST_NEXT;
        value = undefined;
        continue;
      }
      slots.status = signal === DONE ? COMPLETED : SUSPENDED;
      return { value: take(machine), done: signal === DONE };
    }
  } catch (error) {
    slots.status = COMPLETED;
    throw error;
  }
}

// What an async generator's yield* awaits (AsyncDelegation.awaiting), besides nothing (AT_YIELD).
/** Nothing: the generator is suspended at the yield* (it handed out a value), or running. */
const AT_YIELD = -1;
/** The iterator's next/throw/return result. */
const FOR_DELEGATE = 6;
/** The iterator's `return()` result, when it had no `throw`: then the yield* throws (`settled`). */
const FOR_CLOSE = 7;
/** A `return(v)` request's value the iterator had no `return` for: then the generator returns it. */
const FOR_GIVEN_RETURN = 2;
/** `forward`, `settled`: the delegation is over, the machine runs on with `mode` and `value`. */
const DELEGATION_OVER = -1;
/** `settled`: hand out `value`, the iterator's unfinished result's value, as it is (not awaited again). */
const DELEGATION_YIELDED = -2;

/**
 * An async generator's yield* in progress. While it runs, the machine's `step` and `return` are its own
 * (`install`): the async generator object steps the machine as ever, for its requests and for the
 * outcomes of the awaits the machine asked for, and the delegation answers: AWAIT with what to await (the
 * iterator's result, in the machine's `$value`), DELEGATE to hand out `value` as it is, or, once the
 * yield* is over, the machine's own step from the yield*'s next state. So the async generator object
 * carries none of yield*: an app without one does not either.
 */
export class AsyncDelegation {
  /**
   * @param {any} iterator
   * @param {any} nextMethod
   * @param {number | string | undefined} quote the operand as V8 words it (see `notIterable`)
   */
  constructor(iterator, nextMethod, quote) {
    this.iterator = iterator;
    this.nextMethod = nextMethod;
    this.quote = quote;
    /** The request mode forwarded to the iterator, while its result is awaited. */
    this.forwarded = REQUEST_NEXT;
    /** How the machine continues once the delegation is over. */
    this.mode = REQUEST_NEXT;
    /** @type {unknown} what to await, to hand out, or to continue with */
    this.value = undefined;
    /** What the machine's await in progress is for: FOR_DELEGATE, FOR_CLOSE, FOR_GIVEN_RETURN, or AT_YIELD. */
    this.awaiting = FOR_DELEGATE;
    /** A `return(v)` request came (the machine's `return`, then `step`: stepReturn), with v in `value`. */
    this.returning = false;
    /** @type {Machine | null} */
    this.machine = null;
  }

  /**
   * The machine answers through this delegation until it is over (`over`): its own `step` and `return`
   * (taken away again by `over`, newest first, which gives the machine back its class's shape). Returns
   * AWAIT, the iterator's first result in `$value`.
   * @param {Machine} machine
   * @returns {number}
   */
  install(machine) {
    this.machine = machine;
    const self = this;
    /** @type {any} */ (machine).step = function step(/** @type {unknown} */ sent, /** @type {boolean} */ thrown) {
      return self.step(sent, thrown);
    };
    // (stepReturn's `return(v)`, for a return request: kept for the `step` that follows it)
    /** @type {any} */ (machine).return = function (/** @type {unknown} */ value) {
      self.returning = true;
      self.value = value;
      return CONTINUE;
    };
    machine.$value = this.value;
    return AWAIT;
  }

  /**
   * The machine's step while the yield* runs: the outcome of the await it asked for, or a request at the
   * yield* (REQUEST_NEXT with `sent`, REQUEST_THROW with `thrown`, REQUEST_RETURN after `return`).
   * @param {unknown} sent
   * @param {boolean} thrown
   * @returns {number}
   */
  step(sent, thrown) {
    const awaiting = this.awaiting;
    this.awaiting = AT_YIELD;
    if (awaiting === FOR_GIVEN_RETURN) {
      this.mode = thrown ? REQUEST_THROW : REQUEST_RETURN;
      this.value = sent;
      return this.over();
    }
    if (awaiting !== AT_YIELD) {
      if (this.settled(awaiting, sent, thrown) === DELEGATION_OVER) return this.over();
      /** @type {Machine} */ (this.machine).$value = this;
      return DELEGATE;
    }
    const returning = this.returning;
    this.returning = false;
    const next = this.forward(returning ? REQUEST_RETURN : thrown ? REQUEST_THROW : REQUEST_NEXT, returning ? this.value : sent);
    if (next === DELEGATION_OVER) return this.over();
    this.awaiting = next;
    /** @type {Machine} */ (this.machine).$value = this.value;
    return AWAIT;
  }

  /**
   * The yield* is over: the machine gets its own `step` and `return` back and runs on from the yield*'s
   * next state, as `mode` says (the yield*'s value, an error thrown there, or a return from there).
   * @returns {number}
   */
  over() {
    const machine = /** @type {any} */ (this.machine);
    delete machine.return;
    delete machine.step;
    return this.mode === REQUEST_RETURN ? stepReturn(machine, this.value) : machine.step(this.value, this.mode === REQUEST_THROW);
  }

  /**
   * Forwards a request to the iterator: what to await (FOR_DELEGATE, FOR_CLOSE or FOR_GIVEN_RETURN, the value
   * in `value`), or DELEGATION_OVER. Never throws.
   * @param {number} mode
   * @param {unknown} value
   * @returns {number}
   */
  forward(mode, value) {
    const iterator = this.iterator;
    this.forwarded = mode;
    try {
      if (mode === REQUEST_NEXT) {
        this.value = callDelegate(this.nextMethod, iterator, [value], this.quote, true);
        return FOR_DELEGATE;
      }
      const method = mode === REQUEST_THROW ? iterator.throw : iterator.return;
      if (method == null) {
        // No `return`: the generator itself returns (the value awaited first).
        this.value = value;
        if (mode === REQUEST_RETURN) return FOR_GIVEN_RETURN;
        // No `throw`: close the iterator (awaiting its `return()`), then the yield* throws a TypeError.
        const close = iterator.return;
        if (close == null) throw new NativeTypeError("The iterator does not provide a 'throw' method.");
        this.value = callIteratorMethod(close, iterator, []);
        return FOR_CLOSE;
      }
      // (V8 words a `throw` that is no function by its value alone)
      this.value = callDelegate(method, iterator, [value], mode === REQUEST_THROW ? undefined : this.quote, true);
      return FOR_DELEGATE;
    } catch (error) {
      this.mode = REQUEST_THROW;
      this.value = error;
      return DELEGATION_OVER;
    }
  }

  /**
   * The outcome of an await for this yield* (FOR_DELEGATE: the iterator's result; FOR_CLOSE: its `return()`'s,
   * when it had no `throw`), and what the async generator does next: DELEGATION_YIELDED (an unfinished
   * result: its value, in `value`, is handed out as it is, not awaited again) or DELEGATION_OVER (done
   * ends the yield*, a `return` request returns from it; after FOR_CLOSE the yield* throws).
   * @param {number} purpose FOR_DELEGATE or FOR_CLOSE
   * @param {unknown} result
   * @param {boolean} thrown
   * @returns {number}
   */
  settled(purpose, result, thrown) {
    this.mode = REQUEST_THROW;
    if (purpose === FOR_CLOSE) {
      this.value = thrown ? result : isObject(result) ? new NativeTypeError("The iterator does not provide a 'throw' method.") : new NativeTypeError(`Iterator result ${NativeString(result)} is not an object`);
      return DELEGATION_OVER;
    }
    let done = false;
    let value;
    try {
      if (thrown) throw result;
      const checked = checkResult(result);
      done = !!checked.done;
      value = checked.value;
    } catch (error) {
      this.value = error;
      return DELEGATION_OVER;
    }
    this.value = value;
    if (!done) return DELEGATION_YIELDED;
    this.mode = this.forwarded === REQUEST_RETURN ? REQUEST_RETURN : REQUEST_NEXT;
    return DELEGATION_OVER;
  }
}
