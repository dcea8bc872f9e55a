// The built-ins the runtime relies on, captured when it loads (so later patches of the globals by user code
// do not leak into the drivers), and the small helpers that give runtime objects the native ones' shape.

/** The engine's own Promise and its statics, called with `apply` so a patched global changes nothing. */
export const NativePromise = Promise;
export const apply = Reflect.apply;
export const promiseResolve = Promise.resolve;
export const promiseReject = Promise.reject;
export const promiseThen = Promise.prototype.then;

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
 * How V8 names a value in "incompatible receiver" messages: `#<Object>` for objects, the value otherwise.
 * @param {unknown} value
 */
export function receiver(value) {
  if (typeof value === "string") return value;
  if (typeof value === "symbol") return value.toString();
  if (!isObject(value)) return String(value);
  const ctor = /** @type {any} */ (value).constructor;
  return `#<${typeof ctor === "function" && ctor.name ? ctor.name : "Object"}>`;
}

/**
 * Gives a generator prototype the native one's visible shape: `constructor` is the (Async)GeneratorFunction
 * prototype, an object (so `util.inspect` prints `Object [Generator] {}`), and the tag is a read-only data property.
 * @param {object} proto
 * @param {object} functionPrototype
 * @param {string} tag
 */
export function shapeLike(proto, functionPrototype, tag) {
  Object.defineProperty(proto, "constructor", { value: functionPrototype, writable: false, enumerable: false, configurable: true });
  Object.defineProperty(proto, Symbol.toStringTag, { value: tag, writable: false, enumerable: false, configurable: true });
}
