// Function objects: what makes the wrapper of a lowered async function look like the native function it
// stands for. A wrapper is a concise method (or an arrow), so, like a native async function, it is no
// constructor and has no `prototype`; what is left is its [[Prototype]], %AsyncFunction.prototype%
// (`fn instanceof AsyncFunction`, `fn[Symbol.toStringTag] === "AsyncFunction"`, `fn.constructor.name`).
// Generator functions get theirs from generator-function.js, with the `prototype` their objects inherit from.

import { getOwnPropertyDescriptor, getPrototypeOf, setPrototypeOf } from "./intrinsics.js";

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

