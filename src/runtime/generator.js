// Generator objects: what calling a generator function returns (the spec's %GeneratorPrototype% and the
// internal slots of its objects). Each next/throw/return runs the machine one step, to its next `yield`.

import { NativeTypeError, SymbolIterator, apply, getPrototypeOf, isObject, setPrototypeOf, shapeLike } from "./intrinsics.js";
import { DELEGATE, DONE, Machine, REQUEST_NEXT, REQUEST_RETURN, REQUEST_THROW, YIELD, YieldingMachine, stepMachine, take } from "./machine.js";
import { checkResult } from "./semantics.js";

/** Base class of machines lowered from generator functions. */
export class GeneratorMachine extends YieldingMachine {
  // (An explicit constructor: the default one of a derived class spreads its arguments, through
  // Array.prototype[Symbol.iterator], which user code may have replaced.)
  constructor() {
    super();
  }

  /** The class of the objects these machines run in (read by generator-function.js, which then imports neither kind). */
  static get $objects() {
    return Generator;
  }
}

// A generator object's state (the spec's [[GeneratorState]]; async generator objects share the first four).
export const START = 0;
export const SUSPENDED = 1;
export const RUNNING = 2;
export const COMPLETED = 3;
/** Not a request: the machine has just signalled DELEGATE (from the fast path of next()). */
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
      try {
        signal = stepMachine(machine, REQUEST_NEXT, value);
      } catch (error) {
        this.#status = COMPLETED;
        throw error;
      }
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
    return this.#resume(REQUEST_NEXT, value);
  }

  /** @param {unknown} [value] */
  return(value) {
    return this.#resume(REQUEST_RETURN, value);
  }

  /** @param {unknown} error */
  throw(error) {
    return this.#resume(REQUEST_THROW, error);
  }

  /**
   * @param {number} mode REQUEST_NEXT, REQUEST_THROW or REQUEST_RETURN
   * @param {unknown} value
   * @returns {IteratorResult<unknown>}
   */
  #resume(mode, value) {
    if (this.#status === RUNNING) throw new NativeTypeError("Generator is already running");
    if (this.#status === START && mode !== REQUEST_NEXT) this.#status = COMPLETED;
    if (this.#status === COMPLETED) {
      if (mode === REQUEST_THROW) throw value;
      return { value: mode === REQUEST_RETURN ? value : undefined, done: true };
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
          if (mode === REQUEST_NEXT) {
            result = apply(delegate.next, delegate.iterator, [value]);
          } else {
            const method = mode === REQUEST_THROW ? delegate.iterator.throw : delegate.iterator.return;
            if (method == null) {
              this.#delegate = null;
              if (mode === REQUEST_THROW) {
                // No `throw` to forward to: close the inner iterator, then the yield* throws a TypeError.
                const close = delegate.iterator.return;
                if (close != null) {
                  checkResult(apply(close, delegate.iterator, []));
                }
                throw new NativeTypeError("The iterator does not provide a 'throw' method.");
              }
              continue; // a return with no inner `return`: the generator itself returns
            }
            result = apply(method, delegate.iterator, [value]);
          }
          const inner = checkResult(result);
          if (!inner.done) return inner;
          this.#delegate = null;
          value = inner.value;
          if (mode === REQUEST_THROW) mode = REQUEST_NEXT;
        } catch (error) {
          this.#delegate = null;
          mode = REQUEST_THROW;
          value = error;
        }
      }
      const signal = mode === DELEGATING ? DELEGATE : stepMachine(machine, mode, value);
      if (signal === DELEGATE) {
        try {
          const iterable = /** @type {any} */ (take(machine));
          const method = iterable[SymbolIterator];
          if (typeof method !== "function") throw new NativeTypeError(`${typeof iterable} is not iterable`);
          const iterator = apply(method, iterable, []);
          if (!isObject(iterator)) throw new NativeTypeError("Result of the Symbol.iterator method is not an object");
          this.#delegate = { iterator, next: /** @type {any} */ (iterator).next };
          mode = REQUEST_NEXT;
        } catch (error) {
          mode = REQUEST_THROW;
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

// Generator objects are iterators: %GeneratorPrototype% inherits from %IteratorPrototype%.
setPrototypeOf(Generator.prototype, getPrototypeOf(getPrototypeOf(function* () {}.prototype)));
shapeLike(Generator.prototype, getPrototypeOf(function* () {}), "Generator");
