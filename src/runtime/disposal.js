// `using` and `await using` (explicit resource management): the resources of one scope, disposed of in
// reverse order when the scope is left, errors combined as the specification's DisposeResources combines
// them. The transform lowers a scope with `using` declarations (src/transform/explode/using.ts) to
//
//     const _resources = new DisposableResources();
//     try {
//       const file = _resources.use(open(name));            // using file = open(name)
//       const lock = _resources.useAsync(acquire());        // await using lock = acquire()
//       ...
//     } catch (_error) {
//       _resources.fail(_error);                            // the scope threw
//     } finally {
//       while (_resources.disposeNext()) {                  // calls dispose methods up to the next Await
//         try {
//           await _resources.awaiting;
//         } catch (_error) {
//           _resources.fail(_error);
//         }
//       }
//       _resources.complete();                              // throws what the scope or a disposal threw
//     }
//
// (a scope without `await using` ends in `_resources.dispose()`, which never awaits). The awaits are the
// machine's own, so they take the ticks the engine's take; a return, break or continue that leaves the
// scope goes through the finally like any other. DisposableStack and AsyncDisposableStack are the
// platform's.

import { NativePromise, NativeTypeError, apply, isObject, promiseReject, promiseResolve } from "./intrinsics.js";

// Node 20 has neither the well-known symbols in every context nor SuppressedError: its own disposables
// use Symbol.for("nodejs.dispose") and Symbol.for("nodejs.asyncDispose"), which are its Symbol.dispose.
/** @type {symbol} */
const SymbolDispose = /** @type {any} */ (Symbol).dispose ?? Symbol.for("nodejs.dispose");
/** @type {symbol} */
const SymbolAsyncDispose = /** @type {any} */ (Symbol).asyncDispose ?? Symbol.for("nodejs.asyncDispose");

/** @type {new (error: unknown, suppressed: unknown, message?: string) => Error} */
const NativeSuppressedError =
  /** @type {any} */ (globalThis).SuppressedError ??
  class SuppressedError extends Error {
    /** @param {unknown} error @param {unknown} suppressed @param {string} [message] */
    constructor(error, suppressed, message) {
      super(message);
      /** @type {any} */ (this).name = "SuppressedError";
      /** @type {any} */ (this).error = error;
      /** @type {any} */ (this).suppressed = suppressed;
    }
  };

const SYNC_DISPOSE = 0;
const ASYNC_DISPOSE = 1;

/**
 * One resource of a scope: the value, how it is disposed of (SYNC_DISPOSE, ASYNC_DISPOSE) and the method
 * (undefined for an `await using` of null or undefined, which is only awaited).
 * @typedef {{ value: unknown, hint: number, method: Function | undefined, sync: boolean }} Resource
 */

// (V8's messages; the symbols named as the language names them, also where they are Node 20's own)
const NOT_AN_OBJECT = "An object is expected with `using` declarations";
const NO_DISPOSE = "Symbol(Symbol.dispose) is not a function";
const NO_ASYNC_DISPOSE = "Symbol(Symbol.asyncDispose) is not a function";

/** GetMethod(value, key): undefined for null and undefined; a TypeError for anything else not callable. */
function getMethod(/** @type {any} */ value, /** @type {symbol} */ key) {
  const method = value[key];
  if (method == null) return undefined;
  if (typeof method !== "function") throw new NativeTypeError(key === SymbolDispose ? NO_DISPOSE : NO_ASYNC_DISPOSE);
  return method;
}

/** The dispose capability of one scope (a block, a loop iteration, a function body, a switch). */
export class DisposableResources {
  constructor() {
    /** @type {Resource[]} */
    this.stack = [];
    /** Whether the scope's completion is a throw, and its value. */
    this.hasError = false;
    /** @type {unknown} */
    this.error = undefined;
    /** An `await using` of null or undefined is pending its Await (the spec's needsAwait). */
    this.needsAwait = false;
    /** A disposal has awaited (hasAwaited): no Await for null or undefined is due any more. */
    this.hasAwaited = false;
    /** @type {unknown} What disposeNext asks the scope to await. */
    this.awaiting = undefined;
  }

  /**
   * `using name = value`: AddDisposableResource(value, sync-dispose); returns the value.
   * @template T @param {T} value @returns {T}
   */
  use(value) {
    if (value == null) return value;
    if (!isObject(value)) throw new NativeTypeError(NOT_AN_OBJECT);
    const method = getMethod(value, SymbolDispose);
    if (method === undefined) throw new NativeTypeError(NO_DISPOSE);
    this.stack[this.stack.length] = { value, hint: SYNC_DISPOSE, method, sync: true };
    return value;
  }

  /**
   * `await using name = value`: AddDisposableResource(value, async-dispose); returns the value. Without a
   * [Symbol.asyncDispose], its [Symbol.dispose] is called, and a promise resolved with undefined awaited.
   * @template T @param {T} value @returns {T}
   */
  useAsync(value) {
    if (value == null) {
      this.stack[this.stack.length] = { value: undefined, hint: ASYNC_DISPOSE, method: undefined, sync: false };
      return value;
    }
    if (!isObject(value)) throw new NativeTypeError(NOT_AN_OBJECT);
    let method = getMethod(value, SymbolAsyncDispose);
    let sync = false;
    if (method === undefined) {
      method = getMethod(value, SymbolDispose);
      sync = true;
      if (method === undefined) throw new NativeTypeError(NO_DISPOSE);
    }
    this.stack[this.stack.length] = { value, hint: ASYNC_DISPOSE, method, sync };
    return value;
  }

  /**
   * The scope (or a disposal) threw `error`: it becomes the completion, or a SuppressedError whose `error`
   * is it and whose `suppressed` is the completion so far.
   * @param {unknown} error
   */
  fail(error) {
    if (this.hasError) {
      this.error = new NativeSuppressedError(error, this.error, "An error was suppressed during disposal");
    } else {
      this.hasError = true;
      this.error = error;
    }
  }

  /**
   * DisposeResources up to its next Await: calls the dispose methods, last added first, until one of an
   * `await using` returned (its result is then in `awaiting`), or an Await of undefined is due. Returns
   * whether the scope must await `awaiting` (then fail() with what it throws) before calling this again.
   * @returns {boolean}
   */
  disposeNext() {
    const stack = this.stack;
    while (stack.length > 0) {
      const resource = stack[stack.length - 1];
      if (resource.hint === SYNC_DISPOSE && this.needsAwait && !this.hasAwaited) {
        this.needsAwait = false;
        this.awaiting = undefined;
        return true;
      }
      stack.length--;
      const method = resource.method;
      if (method === undefined) {
        this.needsAwait = true;
        continue;
      }
      let result;
      try {
        result = apply(method, resource.value, []);
      } catch (error) {
        if (resource.hint === ASYNC_DISPOSE && resource.sync) {
          // (the closure around a [Symbol.dispose] returns a rejected promise, which the scope awaits)
          this.hasAwaited = true;
          this.awaiting = apply(promiseReject, NativePromise, [error]);
          return true;
        }
        this.fail(error);
        continue;
      }
      if (resource.hint === ASYNC_DISPOSE) {
        this.hasAwaited = true;
        this.awaiting = resource.sync ? apply(promiseResolve, NativePromise, [undefined]) : result;
        return true;
      }
    }
    if (this.needsAwait && !this.hasAwaited) {
      this.needsAwait = false;
      this.awaiting = undefined;
      return true;
    }
    this.awaiting = undefined;
    return false;
  }

  /** The end of DisposeResources: throws the completion if it is a throw. */
  complete() {
    if (this.hasError) {
      const error = this.error;
      this.error = undefined;
      throw error;
    }
  }

  /** DisposeResources for a scope without `await using` (nothing to await): dispose of all, then complete. */
  dispose() {
    while (this.disposeNext()) {}
    this.complete();
  }
}
