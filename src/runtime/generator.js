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
  /** The object's internal slots. @type {GeneratorSlots} */
  #slots;

  /** @param {Machine} machine */
  constructor(machine) {
    this.#slots = new GeneratorSlots(machine);
  }

  /** @param {unknown} [value] */
  next(value) {
    // The common step (suspended at a yield, no yield* in progress) without the general bookkeeping.
    const slots = this.#slots;
    if (slots.status === SUSPENDED && slots.delegate === null) {
      const machine = slots.machine;
      slots.status = RUNNING;
      let signal;
      try {
        signal = stepMachine(machine, REQUEST_NEXT, value);
      } catch (error) {
        slots.status = COMPLETED;
        throw error;
      }
      if (signal === YIELD) {
        slots.status = SUSPENDED;
        return { value: take(machine), done: false };
      }
      if (signal === DONE) {
        slots.status = COMPLETED;
        return { value: take(machine), done: true };
      }
      slots.status = SUSPENDED;
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
    const slots = this.#slots;
    if (slots.status === RUNNING) throw new NativeTypeError("Generator is already running");
    if (slots.status === START && mode !== REQUEST_NEXT) slots.status = COMPLETED;
    if (slots.status === COMPLETED) {
      if (mode === REQUEST_THROW) throw value;
      return { value: mode === REQUEST_RETURN ? value : undefined, done: true };
    }
    slots.status = RUNNING;
    // (the steps run here, not in a method of their own: a yield* chain of this runtime's generators then
    // takes one frame per level, as the engine's does; see #slots in the delegate branch)
    const machine = slots.machine;
    try {
      for (;;) {
        const delegate = slots.delegate;
        if (delegate) {
          // yield*: the outer call goes to the inner iterator; its unfinished results pass through as they are.
          /** @type {any} */
          let result;
          try {
            if (mode === REQUEST_NEXT) {
              // (a generator of this runtime, with its own `next`: its #resume is called directly, which saves
              // the frames of `next` and the apply at each level of a yield* chain)
              const next = delegate.next;
              const iterator = delegate.iterator;
              result = next === ownNext && #slots in iterator ? iterator.#resume(REQUEST_NEXT, value) : apply(next, iterator, [value]);
            } else {
              result = Generator.#forward(slots, delegate, mode, value);
              if (result === NO_RETURN) continue; // a return with no inner `return`: the generator itself returns
            }
            const inner = checkResult(result);
            if (!inner.done) {
              slots.status = SUSPENDED;
              return inner;
            }
            slots.delegate = null;
            value = inner.value;
            if (mode === REQUEST_THROW) mode = REQUEST_NEXT;
          } catch (error) {
            slots.delegate = null;
            mode = REQUEST_THROW;
            value = error;
          }
        }
        const signal = mode === DELEGATING ? DELEGATE : stepMachine(machine, mode, value);
        if (signal === DELEGATE) {
          try {
            slots.delegate = delegateTo(take(machine));
            mode = REQUEST_NEXT;
          } catch (error) {
            mode = REQUEST_THROW;
            value = error;
            continue;
          }
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

  /**
   * A `throw` or `return` (mode) that goes to the inner iterator of a `yield*`: its result, or NO_RETURN.
   * @param {GeneratorSlots} slots
   * @param {{ iterator: any, next: any }} delegate
   * @param {number} mode
   * @param {unknown} value
   */
  static #forward(slots, delegate, mode, value) {
    const iterator = delegate.iterator;
    const method = mode === REQUEST_THROW ? iterator.throw : iterator.return;
    if (method == null) {
      slots.delegate = null;
      if (mode !== REQUEST_THROW) return NO_RETURN;
      // No `throw` to forward to: close the inner iterator, then the yield* throws a TypeError.
      const close = iterator.return;
      if (close != null) {
        checkResult(apply(close, iterator, []));
      }
      throw new NativeTypeError("The iterator does not provide a 'throw' method.");
    }
    return method === (mode === REQUEST_THROW ? ownThrow : ownReturn) && #slots in iterator ? iterator.#resume(mode, value) : apply(method, iterator, [value]);
  }
}

/**
 * A `yield*` starts: the iterator of `iterable`, with its `next` (read once, as the spec's yield* does).
 * (Out of #resume, like `#forward`, so that its frame, one per level of a yield* chain, stays small.)
 * @param {any} iterable
 */
function delegateTo(iterable) {
  const method = iterable[SymbolIterator];
  if (typeof method !== "function") throw new NativeTypeError(`${typeof iterable} is not iterable`);
  const iterator = apply(method, iterable, []);
  if (!isObject(iterator)) throw new NativeTypeError("Result of the Symbol.iterator method is not an object");
  return { iterator, next: /** @type {any} */ (iterator).next };
}

/** `#forward`'s answer to a `return` the inner iterator has no method for: the generator itself returns. */
const NO_RETURN = {};

/**
 * A generator object's internal slots, apart from the object: a generator object's [[Prototype]] is its
 * function's own `prototype`, so objects of a generator function created per call (a helper defined
 * inside a function) each get a map of their own, and every field read on them would miss the engine's
 * inline caches; the slots keep one shape.
 */
class GeneratorSlots {
  /** @param {Machine} machine */
  constructor(machine) {
    this.machine = machine;
    this.status = START;
    /** The iterator a `yield*` delegates to. @type {{ iterator: any, next: any } | null} */
    this.delegate = null;
  }
}

/** A generator object's own methods: a `yield*` of a generator that has them calls its #resume directly. */
const { next: ownNext, throw: ownThrow, return: ownReturn } = Generator.prototype;

// Generator objects are iterators: %GeneratorPrototype% inherits from %IteratorPrototype%.
setPrototypeOf(Generator.prototype, getPrototypeOf(getPrototypeOf(function* () {}.prototype)));
shapeLike(Generator.prototype, getPrototypeOf(function* () {}), "Generator");
