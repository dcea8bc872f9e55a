// yield*: a generator delegating to another iterator. The instruction (`return delegate(this, it, next)`,
// `delegateAsync` in an async generator) gets the iterator at the yield* and hands the generator object a
// delegation, which forwards each next/throw/return request to that iterator until it is done. Generator
// and AsyncGenerator only call the delegation's methods (they name its classes for types alone), so an app
// whose generators do not use yield* does not carry any of this: the transform imports `delegate` only
// where it emits it.

import { NativePromise, NativeString, NativeTypeError, SymbolIterator, apply, isObject, promiseReject } from "./intrinsics.js";
import { COMPLETED, DELEGATE, DONE, Machine, REQUEST_NEXT, REQUEST_RETURN, REQUEST_THROW, RUNNING, START, SUSPENDED, stepMachine, take } from "./machine.js";
import { AsyncFromSyncIterator, asyncIterate, checkResult, closesOnRejection, forwardToSync } from "./semantics.js";

/**
 * `yield* iterable` in a generator: GetIterator(iterable) at the yield* (its failure throws there, at state
 * `next`, where the machine's try regions see it); the generator object then forwards to the iterator,
 * and the machine continues in state `next` with the iterator's return value.
 * @param {Machine} machine
 * @param {unknown} iterable
 * @param {number} next
 */
export function delegate(machine, iterable, next) {
  machine.state = next;
  const method = /** @type {any} */ (iterable)[SymbolIterator];
  if (typeof method !== "function") throw new NativeTypeError(`${typeof iterable} is not iterable`);
  const iterator = apply(method, iterable, []);
  if (!isObject(iterator)) throw new NativeTypeError("Result of the Symbol.iterator method is not an object");
  machine.$value = new Delegation(iterator, /** @type {any} */ (iterator).next);
  return DELEGATE;
}

/**
 * `yield* iterable` in an async generator: GetIterator(iterable, async) at the yield*, then as `delegate`.
 * @param {Machine} machine
 * @param {unknown} iterable
 * @param {number} next
 */
export function delegateAsync(machine, iterable, next) {
  machine.state = next;
  const record = asyncIterate(iterable, undefined, DelegatedAsyncFromSyncIterator);
  machine.$value = new AsyncDelegation(record.iterator, record.nextMethod);
  return DELEGATE;
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
  throw(...args) {
    return forwardToSync(this, "throw", args, () => {
      // No `throw` on the sync iterator: the error comes back as the rejection (before ES2025), or the
      // iterator is closed and the protocol violation is the rejection (ES2025).
      if (!closesOnRejection) return apply(promiseReject, NativePromise, [args[0]]);
      const { iterator } = this.sync;
      const close = iterator.return;
      // (IteratorClose, in V8's words for this case)
      if (close != null && !isObject(apply(close, iterator, []))) throw new NativeTypeError("return called on non-object");
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
   */
  constructor(iterator, nextMethod) {
    this.iterator = iterator;
    this.nextMethod = nextMethod;
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
        result = apply(this.nextMethod, iterator, [value]);
      } else {
        const method = mode === REQUEST_THROW ? iterator.throw : iterator.return;
        if (method == null) {
          if (mode === REQUEST_THROW) {
            // No `throw` to forward to: close the inner iterator, then the yield* throws a TypeError.
            const close = iterator.return;
            if (close != null) checkResult(apply(close, iterator, []));
            throw new NativeTypeError("The iterator does not provide a 'throw' method.");
          }
          // A return with no inner `return`: the generator itself returns.
          this.mode = REQUEST_RETURN;
          this.value = value;
          return null;
        }
        result = apply(method, iterator, [value]);
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
        // (GeneratorSlots.own: the inner iterator's slots, if it is one of these generators with its own `next`)
        /** @type {GeneratorSlots | null} */
        const own = mode === REQUEST_NEXT ? /** @type {any} */ (slots.constructor).own(delegate.iterator, delegate.nextMethod) : null;
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

// What an async generator does after a step of its delegation (`AsyncDelegation.forward`), besides the
// awaits it shares with async-generator.js (FOR_RETURN; these are its `#awaiting` purposes too).
/** The delegation is over: run the machine with `mode` and `value`. */
export const DELEGATION_OVER = -1;
/** Hand out `value`, the iterator's unfinished result's value, as it is (not awaited again). */
export const DELEGATION_YIELDED = -2;
/** Await `value`, the iterator's next/throw/return result. */
export const FOR_DELEGATE = 6;
/** Await `value`, the iterator's `return()` result, when it had no `throw`: then the yield* throws (`settled`). */
export const FOR_CLOSE = 7;
/** Await `value`, a `return(v)` request's value the iterator had no `return` for: then the generator returns it. */
export const FOR_RETURN = 2;

/**
 * An async generator's yield* in progress: as Delegation, with the awaits in between (the async generator
 * awaits what `forward` and `settled` leave in `value`, and carries on as they say).
 */
export class AsyncDelegation {
  /**
   * @param {any} iterator
   * @param {any} nextMethod
   */
  constructor(iterator, nextMethod) {
    this.iterator = iterator;
    this.nextMethod = nextMethod;
    /** The request mode forwarded to the iterator, while its result is awaited. */
    this.forwarded = REQUEST_NEXT;
    /** How the machine continues once the delegation is over. */
    this.mode = REQUEST_NEXT;
    /** @type {unknown} */
    this.value = undefined;
  }

  /**
   * Forwards a request to the iterator: what to await (FOR_DELEGATE, FOR_CLOSE or FOR_RETURN, the value
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
        this.value = apply(this.nextMethod, iterator, [value]);
        return FOR_DELEGATE;
      }
      const method = mode === REQUEST_THROW ? iterator.throw : iterator.return;
      if (method == null) {
        // No `return`: the generator itself returns (the value awaited first).
        this.value = value;
        if (mode === REQUEST_RETURN) return FOR_RETURN;
        // No `throw`: close the iterator (awaiting its `return()`), then the yield* throws a TypeError.
        const close = iterator.return;
        if (close == null) throw new NativeTypeError("The iterator does not provide a 'throw' method.");
        this.value = apply(close, iterator, []);
        return FOR_CLOSE;
      }
      this.value = apply(method, iterator, [value]);
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
