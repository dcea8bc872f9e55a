// Generator objects: what calling a generator function returns (the spec's %GeneratorPrototype% and the
// internal slots of its objects). Each next/throw/return runs the machine one step, to its next `yield`.

import { GivenObject, NativeTypeError, apply, getPrototypeOf, setPrototypeOf, shapeLike } from "./intrinsics.js";
import { COMPLETED, DELEGATE, DONE, Machine, REQUEST_NEXT, REQUEST_RETURN, REQUEST_THROW, RUNNING, START, SUSPENDED, YieldingMachine, stepMachine, take } from "./machine.js";
// (The delegation's code comes with the instruction, `delegate`, where a yield* is: generator.js only
// calls it, and names it by its shape.)
/**
 * A yield* in progress, delegation.js's Delegation as this module calls it.
 * @typedef {{ resume(slots: GeneratorSlots, mode: number, value: unknown): IteratorResult<unknown> }} Delegation
 */


// The engine's %GeneratorPrototype% methods: called on a receiver that is not one of these objects, they
// throw the engine's own TypeError (`Method [Generator].prototype.next called on incompatible receiver
// #<Object>`), and an engine-made generator runs as natively.
const { next: nativeGeneratorNext, return: nativeGeneratorReturn, throw: nativeGeneratorThrow } = getPrototypeOf(function* () {}.prototype);

/**
 * A generator object (the spec's %GeneratorPrototype% and its internal slots): it runs its machine on
 * each `next`/`throw`/`return`, one step to the next `yield`, and forwards to the delegate of a `yield*`.
 */
export class Generator {
  /**
   * @param {Machine} machine
   * @param {object} [object] the object to make the generator object (runLocalGenerator), else a new one
   */
  constructor(machine, object) {
    // The slots go on the new object or on the one given (SlotsOn): a constructor that returns an object
    // makes it the result of `new`.
    return /** @type {Generator} */ (/** @type {unknown} */ (new SlotsOn(object ?? this, machine)));
  }

  /** @param {unknown} [value] */
  next(value) {
    // The common step (suspended at a yield, no yield* in progress) without the general bookkeeping.
    const slots = SlotsOn.of(this);
    if (slots === null) return apply(nativeGeneratorNext, this, [value]);
    return resume(slots, REQUEST_NEXT, value);
  }

  /** @param {unknown} [value] */
  return(value) {
    const slots = SlotsOn.of(this);
    return slots === null ? apply(nativeGeneratorReturn, this, [value]) : resume(slots, REQUEST_RETURN, value);
  }

  /** @param {unknown} error */
  throw(error) {
    const slots = SlotsOn.of(this);
    return slots === null ? apply(nativeGeneratorThrow, this, [error]) : resume(slots, REQUEST_THROW, error);
  }
}

/**
 * A generator object's next/throw/return (next has no copy of its own: one was no faster). A generator
 * with a yield* in progress is resumed by its delegation (delegation.js, `resumeDelegating`: this
 * function with the forwarding), so that an app whose generators never use yield* carries none of it.
 * @param {GeneratorSlots} slots
 * @param {number} mode REQUEST_NEXT, REQUEST_THROW or REQUEST_RETURN
 * @param {unknown} value
 * @returns {IteratorResult<unknown>}
 */
function resume(slots, mode, value) {
  const delegate = slots.delegate;
  if (delegate !== null) return delegate.resume(slots, mode, value);
  if (slots.status === RUNNING) throw new NativeTypeError("Generator is already running");
  if (slots.status === START && mode !== REQUEST_NEXT) slots.status = COMPLETED;
  if (slots.status === COMPLETED) {
    if (mode === REQUEST_THROW) throw value;
    return { value: mode === REQUEST_RETURN ? value : undefined, done: true };
  }
  slots.status = RUNNING;
  const machine = slots.machine;
  let signal;
  try {
    signal = stepMachine(machine, mode, value);
  } catch (error) {
    slots.status = COMPLETED;
    throw error;
  }
  return stepped(slots, signal);
}

/**
 * After a step: the result of next/throw/return, or (the machine's yield* got its iterator: `delegate`,
 * delegation.js) the delegation's first step.
 * @param {GeneratorSlots} slots
 * @param {number} signal
 * @returns {IteratorResult<unknown>}
 */
function stepped(slots, signal) {
  const machine = slots.machine;
  if (signal !== DELEGATE) {
    slots.status = signal === DONE ? COMPLETED : SUSPENDED;
    return { value: take(machine), done: signal === DONE };
  }
  slots.status = SUSPENDED;
  const delegate = /** @type {Delegation} */ (take(machine));
  slots.delegate = delegate;
  return delegate.resume(slots, REQUEST_NEXT, undefined);
}

/**
 * Puts a generator object's slots on it, in a private field, whatever object it is given (GivenObject):
 * the new generator object, or (runLocalGenerator) a dictionary-mode one. Not Generator itself extending
 * GivenObject: Babel's ES5 classes (an inlined runtime lowered by preset-env) call a super constructor
 * with `this.constructor` as new.target, and a generator prototype's `constructor` is no constructor.
 */
export class SlotsOn extends GivenObject {
  /** The object's internal slots. @type {GeneratorSlots} */
  #slots;

  /**
   * @param {object} object
   * @param {Machine} machine
   */
  constructor(object, machine) {
    super(object);
    this.#slots = new GeneratorSlots(machine);
  }

  /**
   * The slots of a generator object; null for anything else (next/throw/return on another receiver).
   * @param {unknown} generator
   * @returns {GeneratorSlots | null}
   */
  static of(generator) {
    try {
      return /** @type {SlotsOn} */ (generator).#slots;
    } catch {
      return null;
    }
  }
}

/**
 * A generator object's internal slots, apart from the object: a generator object's [[Prototype]] is its
 * function's own `prototype`, so objects of a generator function created per call (a helper defined
 * inside a function) each get a map of their own, and every field read on them would miss the engine's
 * inline caches; the slots keep one shape. (A class: an object literal in SlotsOn's constructor, 17 B
 * gzipped less in an app, ran 1-2% more instructions per `next()` in the bench's generator case.)
 */
class GeneratorSlots {
  /** @param {Machine} machine */
  constructor(machine) {
    this.machine = machine;
    this.status = START;
    /** The yield* in progress (delegation.js). @type {Delegation | null} */
    this.delegate = null;
  }
}

// Generator objects are iterators: %GeneratorPrototype% inherits from %IteratorPrototype%.
setPrototypeOf(Generator.prototype, getPrototypeOf(getPrototypeOf(function* () {}.prototype)));
shapeLike(Generator.prototype, getPrototypeOf(function* () {}), "Generator");

/** Base class of machines lowered from generator functions. */
export class GeneratorMachine extends YieldingMachine {
  // (An explicit constructor: the default one of a derived class spreads its arguments, through
  // Array.prototype[Symbol.iterator], which user code may have replaced.)
  constructor() {
    super();
  }

  /** The class of the objects these machines run in (read by generator-function.js, which then imports neither kind). */
  static $objects = Generator;
}
