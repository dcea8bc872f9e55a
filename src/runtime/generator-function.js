// Generator functions: what makes a lowered generator's wrapper behave like one (its `prototype`, the
// prototype of its objects) and the generator driver, which makes the object around a new machine.

import { GivenObject, defineProperty, getOwnPropertyDescriptor, getPrototypeOf, isObject, objectCreate, setPrototypeOf } from "./intrinsics.js";
import { Machine } from "./machine.js";

// (Pure, for bundlers: an app whose generators all run through runLocalGenerator carries none of them.)
/** %GeneratorFunction.prototype% and %AsyncGeneratorFunction.prototype%. */
const GeneratorFunctionPrototype = /* @__PURE__ */ (() => getPrototypeOf(function* () {}))();
const AsyncGeneratorFunctionPrototype = /* @__PURE__ */ (() => getPrototypeOf(async function* () {}))();
/** %AsyncIteratorPrototype%, which async generator objects (and only they) inherit from. */
const AsyncIteratorPrototype = /* @__PURE__ */ (() => getPrototypeOf(getPrototypeOf(async function* () {}.prototype)))();

/**
 * A generator method (`*gen() {}` in a class or an object literal) has a `prototype` of its own, as a
 * generator function does, and its objects inherit from it: the method gets one, and its machine class
 * remembers the method.
 * @param {{ fn?: Function, prototype: object }} machineClass
 * @param {object} home the class's prototype, the class (static methods) or the object literal
 * @param {PropertyKey} key
 * @returns {Function | undefined} the method, which a class evaluated more than once passes to runGenerator
 */
export function defineGeneratorMethod(machineClass, home, key) {
  const fn = getOwnPropertyDescriptor(home, key)?.value;
  if (typeof fn !== "function") return undefined;
  defineGeneratorFunction(fn, machineClass);
  machineClass.fn = fn;
  return fn;
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
 * Makes a generator's wrapper, where it is created, a generator function: its [[Prototype]] is
 * %GeneratorFunction.prototype% (or the async one) and its `prototype`, with native's descriptor, a fresh
 * object inheriting from Generator.prototype (AsyncGenerator.prototype), with no `constructor`. (Its name
 * is the transform's to give: `{ g() {...} }.g`.)
 * @template {Function} F
 * @param {F} fn
 * @param {{ prototype: object }} machineClass
 * @returns {F}
 */
export function defineGeneratorFunction(fn, machineClass) {
  const Kind = objectClass(/** @type {any} */ (machineClass.prototype));
  setPrototypeOf(fn, getPrototypeOf(Kind.prototype) === AsyncIteratorPrototype ? AsyncGeneratorFunctionPrototype : GeneratorFunctionPrototype);
  // (Native's descriptor: a method has no `prototype` to assign to, a function's is already this one.)
  PROTOTYPE.value = objectCreate(Kind.prototype);
  defineProperty(fn, "prototype", PROTOTYPE);
  PROTOTYPE.value = undefined;
  return fn;
}

/** The descriptor of a generator function's `prototype` (one object, not a dictionary-mode literal per function). */
// (Not enumerable, not configurable: what defineProperty gives a new property, and a function's own
// `prototype` already has.)
const PROTOTYPE = { __proto__: null, value: /** @type {unknown} */ (undefined), writable: true };

/**
 * The class of the objects a generator machine runs in: Generator, or AsyncGenerator for async ones, as
 * the machine's base class says (so that an app with generators of one kind does not carry the other's).
 * @param {Machine} machine
 * @returns {{ new (machine: Machine, object?: object): object, prototype: object }}
 */
function objectClass(machine) {
  return /** @type {any} */ (machine.constructor).$objects;
}

/**
 * The generator driver: calling a generator function (sync or async) makes a generator object around
 * its machine and runs nothing yet. The object inherits from the function's `prototype` (if it is an
 * object), as native generator objects do.
 * A generator expression passes itself (`self`, made a generator function by defineGeneratorFunction), as
 * does a generator method whose machine class serves more than one evaluation of its class; other methods'
 * machine classes know their method (defineGeneratorMethod).
 * @param {Machine} machine
 * @param {Function} [self]
 */
export function runGenerator(machine, self) {
  const Kind = objectClass(machine);
  const fn = self ?? /** @type {{ fn?: Function }} */ (machine.constructor).fn;
  const proto = fn && /** @type {any} */ (fn).prototype;
  if (!isObject(proto) || proto === Kind.prototype) return new Kind(machine);
  // (A wrapper is a method, no constructor to hand Reflect.construct: the object gets its prototype after.)
  return setPrototypeOf(new Kind(machine), proto);
}

/**
 * A generator whose parameters have defaults or patterns binds them when it is called, so that their
 * errors throw from the call itself: the wrapper runs the machine's first step, the binding, which ends
 * at `started(this, next)`, before it makes the object (`runGenerator(bindParameters(new G(a)), g)`).
 * @template {Machine} M
 * @param {M} machine
 * @returns {M}
 */
export function bindParameters(machine) {
  machine.step(undefined, false);
  return machine;
}

/**
 * The generator driver for a generator declared inside a function and only ever called there by its name
 * (emit/function-objects.ts): it is not made a generator function (nothing sees its [[Prototype]] or
 * `prototype`, and defineGeneratorFunction costs more than the rest of such a call), but its objects still
 * inherit from a `prototype` of its own per evaluation of the declaration, made at its first call (as
 * native does) and kept in a private field. A sync generator's first object is made from
 * `objectCreate(null)` (AsyncGenerator ignores the object): V8 caches no prototype transitions of
 * dictionary-mode objects, whereas the cache on the map every generator object shares would be full of
 * one-off prototypes, scanned on every change and keeping them alive.
 * @param {Machine} machine
 * @param {Function} self the wrapper
 */
export function runLocalGenerator(machine, self) {
  const Kind = objectClass(machine);
  const proto = LocalPrototype.of(self);
  if (proto !== undefined) return setPrototypeOf(new Kind(machine), proto);
  const first = objectCreate(Kind.prototype);
  new LocalPrototype(self, first);
  return setPrototypeOf(new Kind(machine, objectCreate(null)), first);
}

/** Puts a local generator function's `prototype` on it, in a private field (GivenObject). */
class LocalPrototype extends GivenObject {
  #prototype;

  /**
   * @param {Function} fn
   * @param {object} prototype
   */
  constructor(fn, prototype) {
    super(fn);
    this.#prototype = prototype;
  }

  /**
   * The `prototype` of a local generator function, or undefined before its first call.
   * @param {Function} fn
   * @returns {object | undefined}
   */
  static of(fn) {
    return #prototype in fn ? fn.#prototype : undefined;
  }
}
