// The built-ins the runtime relies on, captured once when it loads (the way Node's own code uses its
// "primordials"), and the small helpers that give runtime objects the native ones' shape.
//
// User code may replace any global or prototype method after the runtime has loaded:
// `Array.prototype[Symbol.iterator] = function* () {}`, `Promise.prototype.then = ...`,
// `Function.prototype.call = ...`, `Object.defineProperty = ...`. Native async functions and generators
// never notice, because the engine uses its intrinsics. So the runtime calls only what it captured here,
// through `apply` (Reflect.apply, which reads its argument list by index, not by iterating it), and never
// runs the iterator protocol over its own arrays: no for-of, spread or array destructuring of internal
// values, only indexed loops. Property descriptors are written with `__proto__: null`, so that a
// `get` or `value` added to Object.prototype cannot change them. What the language itself looks up on user values (an iterable's
// Symbol.iterator, an iterator's `next`, a thenable's `then`, a promise's `constructor`) stays a plain
// property read, as often as natively. test/runtime-intrinsics.test.ts keeps the runtime and the loop
// to these rules.
//
// Bundlers keep only the constants an app's code reaches (the package has `sideEffects: false`): a bare
// global (`Promise`) is known to be free to read, but a property read might run a getter, so every
// captured property is read inside a call annotated as pure (the `__PURE__` comment bundlers read), which
// a bundler may drop when its value is unused.

/** The engine's own Promise and its statics, called with `apply` so a patched global changes nothing. */
export const NativePromise = Promise;
export const apply = /* @__PURE__ */ (() => Reflect.apply)();
export const construct = /* @__PURE__ */ (() => Reflect.construct)();
export const ownKeys = /* @__PURE__ */ (() => Reflect.ownKeys)();
export const getOwnPropertyDescriptor = /* @__PURE__ */ (() => Reflect.getOwnPropertyDescriptor)();
export const promiseResolve = /* @__PURE__ */ (() => Promise.resolve)();
export const promiseReject = /* @__PURE__ */ (() => Promise.reject)();
export const promiseThen = /* @__PURE__ */ (() => Promise.prototype.then)();
export const NativeObject = Object;
export const hasOwnProperty = /* @__PURE__ */ (() => Object.prototype.hasOwnProperty)();
/** (Typed to take the null-prototype descriptors the runtime writes.) @type {<T>(object: T, key: PropertyKey, descriptor: object) => T} */
export const defineProperty = /* @__PURE__ */ (() => /** @type {any} */ (Object.defineProperty))();
export const getPrototypeOf = /* @__PURE__ */ (() => Object.getPrototypeOf)();
export const setPrototypeOf = /* @__PURE__ */ (() => Object.setPrototypeOf)();
export const objectCreate = /* @__PURE__ */ (() => Object.create)();
export const freeze = /* @__PURE__ */ (() => Object.freeze)();
export const NativeString = String;
export const NativeTypeError = TypeError;
export const NativeReferenceError = ReferenceError;
export const SymbolIterator = /* @__PURE__ */ (() => Symbol.iterator)();
export const SymbolAsyncIterator = /* @__PURE__ */ (() => Symbol.asyncIterator)();
export const SymbolToStringTag = /* @__PURE__ */ (() => Symbol.toStringTag)();
export const symbolToString = /* @__PURE__ */ (() => Symbol.prototype.toString)();
export const isArray = /* @__PURE__ */ (() => Array.isArray)();
export const objectToString = /* @__PURE__ */ (() => Object.prototype.toString)();
export const functionToString = /* @__PURE__ */ (() => Function.prototype.toString)();
export const regExpExec = /* @__PURE__ */ (() => RegExp.prototype.exec)();
export const mathMax = /* @__PURE__ */ (() => Math.max)();
export const mathMin = /* @__PURE__ */ (() => Math.min)();
export const mathCeil = /* @__PURE__ */ (() => Math.ceil)();
export const NativeNumber = Number;
export const NativeSet = Set;
export const setAdd = /* @__PURE__ */ (() => Set.prototype.add)();
export const setHas = /* @__PURE__ */ (() => Set.prototype.has)();
export const setDelete = /* @__PURE__ */ (() => Set.prototype.delete)();
export const setForEach = /* @__PURE__ */ (() => Set.prototype.forEach)();
export const setClear = /* @__PURE__ */ (() => Set.prototype.clear)();
/** @type {(this: Set<unknown>) => number} */
export const setSize = /* @__PURE__ */ (() => /** @type {any} */ (Reflect.getOwnPropertyDescriptor(Set.prototype, "size")).get)();
export const NativeMap = Map;
export const mapGet = /* @__PURE__ */ (() => Map.prototype.get)();
export const mapSet = /* @__PURE__ */ (() => Map.prototype.set)();
export const mapDelete = /* @__PURE__ */ (() => Map.prototype.delete)();
export const mapForEach = /* @__PURE__ */ (() => Map.prototype.forEach)();
export const mapClear = /* @__PURE__ */ (() => Map.prototype.clear)();
export const NativeWeakMap = WeakMap;
export const weakMapGet = /* @__PURE__ */ (() => WeakMap.prototype.get)();
export const weakMapSet = /* @__PURE__ */ (() => WeakMap.prototype.set)();
export const stringSplit = /* @__PURE__ */ (() => String.prototype.split)();
export const stringTrim = /* @__PURE__ */ (() => String.prototype.trim)();
export const stringIncludes = /* @__PURE__ */ (() => String.prototype.includes)();
/** %GeneratorPrototype%.next, for the runtime's own native generators (the keys of for-in). */
export const generatorNext = /* @__PURE__ */ (() => Object.getPrototypeOf(function* () {}).prototype.next)();

/**
 * The spec's "is an Object": objects and functions.
 * @param {unknown} value
 * @returns {value is object}
 */
export function isObject(value) {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}

export function noop() {}

/**
 * A value as V8 describes it where it cannot quote the source (its BuildDefaultCallSite): `object null`,
 * `undefined`, `number 5`, `string "a"`, `function`.
 * @param {unknown} value
 */
export function describeValue(value) {
  const type = typeof value;
  return value === null ? "object null" : type === "number" || type === "boolean" ? type + " " + value : type === "string" ? `string "${value}"` : type;
}

/**
 * Calls a method the program gave an iterator (`next`, `return`, `throw`) as the engine's iterator steps
 * do: one that is no function fails in V8's words for a call it cannot quote (`number 5 is not a
 * function`), not in Reflect.apply's.
 * @param {unknown} method
 * @param {unknown} iterator
 * @param {unknown[]} args
 */
export function callIteratorMethod(method, iterator, args) {
  if (typeof method !== "function") throw new NativeTypeError(describeValue(method) + " is not a function");
  return apply(method, iterator, args);
}

/**
 * Appends `value` to one of the runtime's (or the loop's) own arrays (for Array.prototype.push).
 * @template T
 * @param {T[]} array
 * @param {T} value
 */
export function push(array, value) {
  array[array.length] = value;
}

/**
 * Removes and returns the last element of an internal array (for Array.prototype.pop).
 * @template T
 * @param {T[]} array
 * @returns {T | undefined}
 */
export function pop(array) {
  const length = array.length;
  if (length === 0) return undefined;
  const last = array[length - 1];
  array.length = length - 1;
  return last;
}

/**
 * Removes and returns the first element of an internal array (for Array.prototype.shift).
 * @template T
 * @param {T[]} array
 * @returns {T | undefined}
 */
export function shift(array) {
  const length = array.length;
  if (length === 0) return undefined;
  const first = array[0];
  for (let i = 1; i < length; i++) array[i - 1] = array[i];
  array.length = length - 1;
  return first;
}

/**
 * The elements of an internal array for which `keep` holds, as a new array (for Array.prototype.filter).
 * @template T
 * @param {T[]} array
 * @param {(item: T) => boolean} keep
 * @returns {T[]}
 */
export function filter(array, keep) {
  /** @type {T[]} */
  const kept = [];
  for (let i = 0; i < array.length; i++) if (keep(array[i])) kept[kept.length] = array[i];
  return kept;
}

/**
 * The values of a Set (or a Map's values), in insertion order, as an array: iterated with the captured
 * forEach, not the iterator protocol.
 * @template T
 * @param {Set<T> | Map<unknown, T>} collection
 * @returns {T[]}
 */
export function valuesOf(collection) {
  /** @type {T[]} */
  const values = [];
  apply(collection instanceof NativeMap ? mapForEach : setForEach, collection, [(/** @type {T} */ value) => {
    values[values.length] = value;
  }]);
  return values;
}

/**
 * Appends `value` to an array user code will see, as the engine's CreateDataProperty does: an own data
 * property, whatever setters or methods Array.prototype has been given.
 * @param {unknown[]} array
 * @param {unknown} value
 */
export function appendData(array, value) {
  defineProperty(array, array.length, { __proto__: null, value, writable: true, enumerable: true, configurable: true });
}

/**
 * Gives a generator prototype the native one's visible shape: `constructor` is the (Async)GeneratorFunction
 * prototype, an object (so `util.inspect` prints `Object [Generator] {}`), and the tag is a read-only data property.
 * @param {object} proto
 * @param {object} functionPrototype
 * @param {string} tag
 */
export function shapeLike(proto, functionPrototype, tag) {
  // (one descriptor for both; not enumerable: a class prototype's `constructor` is not, and that is a new
  // property's default)
  const descriptor = { __proto__: null, value: /** @type {unknown} */ (functionPrototype), writable: false, configurable: true };
  defineProperty(proto, "constructor", descriptor);
  descriptor.value = tag;
  defineProperty(proto, SymbolToStringTag, descriptor);
}

/**
 * A base class whose constructor, given an object, returns it: the subclass's constructor then puts its
 * private fields on that object instead of a new one (a generator object's slots, generator.js; a local
 * generator function's prototype, generator-function.js).
 */
export class GivenObject {
  /** @param {object} [object] */
  constructor(object) {
    // (A base constructor returning undefined returns the new object.)
    if (object !== undefined) return object;
  }
}
