// Function objects: what makes the wrapper of a lowered async function look like the native function it
// stands for. A wrapper is a concise method (or an arrow), so, like a native async function, it is no
// constructor and has no `prototype`; what is left is its [[Prototype]], %AsyncFunction.prototype%
// (`fn instanceof AsyncFunction`, `fn[Symbol.toStringTag] === "AsyncFunction"`, `fn.constructor.name`).
// Generator functions get theirs from generator-function.js, with the `prototype` their objects inherit from.

import { getOwnPropertyDescriptor, getPrototypeOf, ownKeys, setPrototypeOf } from "./intrinsics.js";

/** %AsyncFunction.prototype%. */
export const AsyncFunctionPrototype = getPrototypeOf(async function () {});

/**
 * Makes `fn` (an async function's wrapper, where the function is created) an async function to reflection.
 * @template {Function} F
 * @param {F} fn
 * @returns {F}
 */
export function defineAsyncFunction(fn) {
  return setPrototypeOf(fn, AsyncFunctionPrototype);
}

/**
 * defineAsyncFunction for async methods, once their class or object literal exists: `home` is the class's
 * prototype, the class itself (static methods) or the object literal; `keys` are the methods' keys.
 * @template {object} T
 * @param {T} home
 * @param {...PropertyKey} keys
 * @returns {T}
 */
export function defineAsyncMethods(home, ...keys) {
  for (let i = 0; i < keys.length; i++) {
    const fn = getOwnPropertyDescriptor(home, keys[i])?.value;
    if (typeof fn === "function") setPrototypeOf(fn, AsyncFunctionPrototype);
  }
  return home;
}

/**
 * ToPropertyKey, as the engine applies it to a computed key (`[expr]() {}`): the transform keeps the key a
 * method is defined under (`[C_mKey = propertyKey(expr)]`) to make the method a function of its kind once
 * the class or literal exists. Converted here once; the engine's own conversion of the result sees a string
 * or a symbol and calls nothing.
 * @param {unknown} value
 * @returns {PropertyKey}
 */
export function propertyKey(value) {
  return ownKeys({ [/** @type {any} */ (value)]: 0 })[0];
}
