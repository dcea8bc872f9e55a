// ES semantics the generated code asks the runtime for: iterator records (for-of, for-await, array
// patterns), the keys of for-in, destructuring, `super` references, the temporal dead zone of lifted
// `let`/`const`/`class`, and the arithmetic of compound assignment (see machine.js for the protocol).

import {
  NativePromise,
  NativeObject,
  NativeReferenceError,
  NativeString,
  NativeTypeError,
  NativeWeakMap,
  SymbolAsyncIterator,
  SymbolIterator,
  appendData,
  apply,
  callIteratorMethod,
  defineProperty,
  freeze,
  generatorNext,
  getOwnPropertyDescriptor,
  isObject,
  ownKeys,
  promiseReject,
  promiseResolve,
  weakMapGet,
  weakMapSet,
} from "./intrinsics.js";

/** What a lifted `let`/`const`/`class` field holds from its scope's entry until its declaration runs. */
export const UNINITIALIZED = Symbol("uninitialized");

// Each is a function of its own, imported by name by the generated code that needs it (`iterate(x)`,
// `objectRest(o, keys)`, `superUpdate(this, key, ...)`), not a member every machine inherits: a bundler
// then keeps only the ones an app uses.

/**
 * `for (x of iterable)`: GetIterator, as the loop head does. `text` is the iterable as the source spells
 * it (`ids`, `this.items`), which the engine's message quotes: "ids is not iterable".
 * @param {unknown} iterable
 * @param {string} [text]
 * @param {string} [failure] the end of the message when `iterable` has no iterator and `text` is known
 *   (`asyncIterate`'s sync fallback: " is not async iterable")
 */
export function iterate(iterable, text, failure = " is not iterable") {
  if (iterable == null && text !== undefined) throw new NativeTypeError(text + failure);
  const method = /** @type {any} */ (iterable)[SymbolIterator];
  if (typeof method !== "function") throw new NativeTypeError(text === undefined ? `${typeof iterable} is not iterable` : text + failure);
  const iterator = /** @type {any} */ (apply(method, iterable, []));
  if (!isObject(iterator)) throw new NativeTypeError("Result of the Symbol.iterator method is not an object");
  return new IteratorRecord(iterator, /** @type {any} */ (iterator).next);
}

/**
 * `for (x of items())`: `iterate` for the value a call gave, which V8 words by the callee (`callee`, as the
 * source spells it): "items is not a function or its return value is not iterable".
 * @param {unknown} iterable
 * @param {string} callee
 */
export function iterateReturned(iterable, callee) {
  return iterate(iterable, callee, " is not a function or its return value is not iterable");
}

/**
 * `f(...xs, await y)` (and an array literal or `new` alike): the values of the spread, read before the
 * await as the engine reads them, in a list the call spreads once more. That second spread must not show:
 * the list iterates itself (its own Symbol.iterator, the runtime's), not through
 * Array.prototype[Symbol.iterator], which the program may have replaced.
 * @param {unknown} iterable
 */
export function spreadList(iterable) {
  const list = restValues(iterate(iterable));
  defineProperty(list, SymbolIterator, { __proto__: null, value: listValues, writable: true, configurable: true });
  return list;
}

/** @this {unknown[]} */
function listValues() {
  return new ListIterator(this);
}

/** The iterator of a `spreadList` list: its values in order, with no built-in method in between. */
class ListIterator {
  /** @param {unknown[]} list */
  constructor(list) {
    this.list = list;
    this.index = 0;
  }

  next() {
    const list = this.list;
    if (this.index >= list.length) return { value: undefined, done: true };
    return { value: list[this.index++], done: false };
  }
}

/**
 * `for (key in object)`: the engine's own for-in, kept suspended in a native generator between steps,
 * so keys are enumerated lazily and a key deleted before its turn is skipped exactly as natively.
 * @param {unknown} object
 */
export function forIn(object) {
  return new ForInRecord(forInKeys(object));
}

/**
 * `for await (x of iterable)`: GetIterator(iterable, async), falling back to the sync iterator wrapped
 * as the spec's async-from-sync iterator. `text` as for `iterate` (though `null` fails, as natively, on
 * reading its Symbol.asyncIterator). (A yield* in an async generator gets its iterator as this does, but
 * words its failures otherwise and wraps a sync iterator with `throw` too: delegation.js has its own
 * copy, `asyncDelegation`, so that a for-await loop carries neither.)
 * @param {unknown} iterable
 * @param {string} [text]
 */
export function asyncIterate(iterable, text) {
  const method = /** @type {any} */ (iterable)[SymbolAsyncIterator];
  if (method == null) {
    const wrapper = new AsyncFromSyncIterator(iterate(iterable, text, " is not async iterable"));
    return new IteratorRecord(wrapper, wrapper.next);
  }
  return asyncIterateOwn(iterable, text, method);
}

/**
 * `for await (x of g(...))` where g is one of the file's own async generator functions that nothing but
 * its calls reaches (the transform decides: file-context.ts, `ownAsyncGenerator`): its objects have a
 * Symbol.asyncIterator, so the loop needs no fallback to a sync iterator, and an app whose loops are all
 * such carries no async-from-sync iterator. (A program that takes that method away from their prototypes
 * and gives them a Symbol.iterator gets "is not async iterable" here, where the engine would iterate them
 * as a sync iterable: docs/lowering.md, known differences.) Also the rest of `asyncIterate`, which passes
 * the method it read.
 * @param {unknown} iterable
 * @param {string} [text]
 * @param {unknown} [method] the iterable's Symbol.asyncIterator (read here when not passed)
 */
export function asyncIterateOwn(iterable, text, method = /** @type {any} */ (iterable)[SymbolAsyncIterator]) {
  // (`undefined` or `null` only where there is no sync fallback: then not async iterable, as natively
  // with no Symbol.iterator either)
  if (typeof method !== "function") throw new NativeTypeError(`${text ?? typeof iterable} is not async iterable`);
  const iterator = apply(method, iterable, []);
  if (!isObject(iterator)) throw new NativeTypeError("Result of the Symbol.asyncIterator method is not an object");
  return new IteratorRecord(iterator, /** @type {any} */ (iterator).next);
}

/**
 * Destructuring reads nothing from `null` or `undefined`.
 * @param {unknown} value
 */
export function requireObjectCoercible(value) {
  if (value == null) throw new NativeTypeError(`Cannot destructure '${value}' as it is ${value === null ? "null" : "undefined"}.`);
}

/**
 * `{ a, ...rest }`: the own enumerable properties of `source` other than the keys already taken.
 * @param {any} source
 * @param {PropertyKey[]} taken
 */
export function objectRest(source, taken) {
  /** @type {Record<PropertyKey, unknown>} */
  const rest = {};
  const from = NativeObject(source);
  const keys = ownKeys(from);
  next: for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    for (let j = 0; j < taken.length; j++) if (taken[j] === key) continue next;
    const descriptor = getOwnPropertyDescriptor(from, key);
    if (descriptor && descriptor.enumerable) {
      // CreateDataProperty: a `__proto__` key is an own property, not the prototype.
      defineProperty(rest, key, { __proto__: null, value: from[key], writable: true, enumerable: true, configurable: true });
    }
  }
  return rest;
}

/**
 * `...rest` parameters: the arguments from `start` on, as a fresh array.
 * @param {ArrayLike<unknown>} args
 * @param {number} start
 */
export function restArguments(args, start) {
  /** @type {unknown[]} */
  const rest = [];
  for (let i = start; i < args.length; i++) appendData(rest, args[i]);
  return rest;
}

/**
 * ToPropertyKey, for a computed key evaluated before a later `await` in the same literal.
 * @param {unknown} key
 */
export function toPropertyKey(key) {
  return ownKeys({ [/** @type {PropertyKey} */ (key)]: 0 })[0];
}

/**
 * The `super` accessors the wrapper of a method gives its machine (fields of the generated class).
 * @typedef {{ superGet(key: PropertyKey): any, superSet(key: PropertyKey, value: unknown): any }} SuperAccess
 */

/**
 * `o.m(await x)`: the method, read from its object before the arguments ran, called with that object as
 * `this` (the engine's Call, not the function's own `call`, which it may have or user code may replace).
 * @param {Function} fn
 * @param {unknown} thisArg
 * @param {...unknown} args
 */
export function callMethod(fn, thisArg, ...args) {
  return apply(fn, thisArg, args);
}

/**
 * `callMethod` for a method whose source text V8 would quote if it is no function: `o.m is not a function`
 * (where the captured apply's own message would name the value instead). `text`: that source text.
 * @param {Function} fn
 * @param {unknown} thisArg
 * @param {string} text
 * @param {...unknown} args
 */
export function callNamed(fn, thisArg, text, ...args) {
  if (typeof fn !== "function") throw new NativeTypeError(text + " is not a function");
  return apply(fn, thisArg, args);
}

/**
 * `o.tag\`${await x}\``, `super.tag\`...\``: the tag, read before the substitutions ran, as a function that
 * calls it with its object as `this` once they have.
 * @param {Function} fn
 * @param {unknown} thisArg
 */
export function bindMethod(fn, thisArg) {
  return (/** @type {unknown[]} */ ...args) => apply(fn, thisArg, args);
}

/**
 * The functions `unboundCallee` handed out, each to the function it calls. @type {WeakMap<Function, Function> | undefined}
 */
let unboundCallees;

/**
 * Inside `with`, a function variable of the machine read by a call (`f()`) from the object that stands for
 * the variables (transform/emit/rewrite.ts, `withFrame`): a call found there would pass that object as
 * `this`, so it gets a function that calls the variable's function on `undefined`, as a call of a
 * variable does. Anything else is handed out as it is.
 * @param {unknown} value
 */
export function unboundCallee(value) {
  if (typeof value !== "function") return value;
  const callee = (/** @type {unknown[]} */ ...args) => apply(value, undefined, args);
  apply(weakMapSet, (unboundCallees ??= new NativeWeakMap()), [callee, value]);
  return callee;
}

/**
 * A read, inside `with`, of a name whose calls get `unboundCallee`'s functions: the variable's function
 * itself where the read found one of those, the value read otherwise (the `with` object's own).
 * @param {unknown} value
 */
export function calleeValue(value) {
  const fn = unboundCallees === undefined ? undefined : apply(weakMapGet, unboundCallees, [value]);
  return fn === undefined ? value : fn;
}

/**
 * The object that stands for a function's variables around a `with` whose body deletes one of their names
 * (transform/emit/rewrite.ts, `withFrame`), frozen: `delete x` of such a variable leaves its accessors and
 * is `false`, as deleting a declared variable is.
 * @template {object} T
 * @param {T} frame
 * @returns {T}
 */
export function frozenFrame(frame) {
  return freeze(frame);
}

/**
 * `[super.x] = list`: a reference whose `value` setter assigns through the wrapper's super.
 * @param {SuperAccess} machine
 * @param {PropertyKey} key
 */
export function superTarget(machine, key) {
  const set = machine.superSet;
  return {
    /** @param {unknown} value */
    set value(value) {
      set(key, value);
    },
  };
}

/**
 * `super.x++` and `--super[k]`: reads through the wrapper's super, converts with the engine's own `++`
 * (ToNumeric, so BigInts stay BigInts), writes back through super.
 * @param {SuperAccess} machine
 * @param {PropertyKey} key
 * @param {boolean} prefix
 * @param {1 | -1} delta
 */
export function superUpdate(machine, key, prefix, delta) {
  let value = machine.superGet(key);
  const old = delta === 1 ? value++ : value--;
  machine.superSet(key, value);
  return prefix ? value : old;
}

/**
 * `super[k] op= right` with a computed key: the key is evaluated once (the engine converts it at the
 * read and again at the write), the right side runs after the read, and a logical assignment writes
 * only when it does not short-circuit.
 * @param {SuperAccess} machine
 * @param {PropertyKey} key
 * @param {string} operator
 * @param {() => any} right
 */
export function superAssign(machine, key, operator, right) {
  const current = machine.superGet(key);
  switch (operator) {
    case "&&=":
      return current ? machine.superSet(key, right()) : current;
    case "||=":
      return current ? current : machine.superSet(key, right());
    case "??=":
      return current != null ? current : machine.superSet(key, right());
  }
  return machine.superSet(key, combine(current, operator, right()));
}

/** `delete super.x` is always a ReferenceError. */
export function superDelete() {
  throw new NativeReferenceError("Unsupported reference to 'super'");
}

/**
 * A read of a lifted `let`/`const`/`class` that may come before its declaration (its temporal dead
 * zone): the value, or the engine's ReferenceError while the field still holds UNINITIALIZED.
 * @param {unknown} value
 * @param {string} name
 */
export function checkInitialized(value, name) {
  if (value === UNINITIALIZED) throw new NativeReferenceError(`Cannot access '${name}' before initialization`);
  return value;
}

/**
 * `x = value` where x may still be uninitialized: the value was computed first, then the engine throws.
 * @param {unknown} current
 * @param {string} name
 * @param {unknown} value
 */
export function checkAssignable(current, name, value) {
  checkInitialized(current, name);
  return value;
}

/**
 * `[x] = list` where x may still be uninitialized: a reference whose `value` setter checks when the
 * pattern assigns (after it took the value, as the engine's PutValue), then writes the field.
 * @param {Record<string, unknown>} holder the machine, or the box that holds the binding
 * @param {string} field
 * @param {string} name
 */
export function checkedTarget(holder, field, name) {
  return {
    /** @param {unknown} value */
    set value(value) {
      checkInitialized(holder[field], name);
      holder[field] = value;
    },
  };
}

/**
 * `[x] = list`, `for (x of list)` where x is a `const` (or, in strict code, a function expression's own
 * name) that lives in a field: a reference whose `value` setter throws as the engine's PutValue does once
 * the pattern has taken the value, with the TDZ's ReferenceError while x is uninitialized.
 * @param {Record<string, unknown>} holder the machine, or the box that holds the binding
 * @param {string} field
 * @param {string} name
 */
export function constantTarget(holder, field, name) {
  return {
    /** @param {unknown} _value */
    set value(_value) {
      checkInitialized(holder[field], name);
      assignConstant(name);
    },
  };
}

/** The same for a function expression's own name in sloppy code: the value goes nowhere. */
export function ignoredTarget() {
  return {
    /** @param {unknown} _value */
    set value(_value) {},
  };
}

/**
 * An assignment to a `const` that lives in a field: throws as the engine would (V8's message does not
 * name the constant; the output passes the name for its readers).
 * @param {string} _name
 */
export function assignConstant(_name) {
  throw new NativeTypeError("Assignment to constant variable.");
}

/**
 * The arithmetic of a compound assignment (`a op= b`), for a target the transform cannot spell twice.
 * @param {any} a
 * @param {string} operator
 * @param {any} b
 */
function combine(a, operator, b) {
  switch (operator) {
    case "+=": return a + b;
    case "-=": return a - b;
    case "*=": return a * b;
    case "/=": return a / b;
    case "%=": return a % b;
    case "**=": return a ** b;
    case "<<=": return a << b;
    case ">>=": return a >> b;
    case ">>>=": return a >>> b;
    case "&=": return a & b;
    case "|=": return a | b;
    case "^=": return a ^ b;
  }
  throw new NativeTypeError(`unknown assignment operator ${operator}`);
}

/**
 * The spec's IteratorResult check: a result must be an object.
 * @param {unknown} result
 * @returns {any}
 */
export function checkResult(result) {
  if (!isObject(result)) throw new NativeTypeError(`Iterator result ${NativeString(result)} is not an object`);
  return result;
}

/**
 * An iterator being consumed by a lowered loop (the spec's Iterator Record): a sync iterator by for-of or an
 * array pattern (`next`, `close`), an async one by for-await (the loop awaits `callNext()`, then `take`s).
 * (One class for both: an app with both kinds of loop carries one.)
 */
export class IteratorRecord {
  /**
   * @param {any} iterator
   * @param {any} nextMethod read once, when the loop starts
   */
  constructor(iterator, nextMethod) {
    this.iterator = iterator;
    this.nextMethod = nextMethod;
    /** True once the iterator finished or failed (or is being stepped): it must not be closed then. */
    this.done = false;
    /** @type {unknown} */
    this.value = undefined;
  }

  /**
   * Takes a result of `next()`; false when the iterator is done (`done` and `value` are read in that order).
   * @param {unknown} result
   */
  take(result) {
    const checked = checkResult(result);
    if (checked.done) return false;
    this.value = checked.value;
    this.done = false;
    return true;
  }

  /** Steps a sync iterator; false when it is done. Until `next()` returns, the iterator counts as done. */
  next() {
    this.done = true;
    return this.take(apply(this.nextMethod, this.iterator, []));
  }

  /**
   * IteratorClose of a sync iterator. After a throw, anything `return()` does is ignored and the original
   * error wins.
   * @param {boolean} afterThrow
   */
  close(afterThrow) {
    let result;
    try {
      const method = this.iterator.return;
      if (method == null) return;
      result = apply(method, this.iterator, []);
    } catch (error) {
      // (after a throw, the loop's own exception propagates instead)
      if (afterThrow) return;
      throw error;
    }
    if (!afterThrow) checkResult(result);
  }

  /** Calls an async iterator's `next()`; the for-await loop awaits what it returns. */
  callNext() {
    this.done = true;
    return apply(this.nextMethod, this.iterator, []);
  }
}

/** The record of a for-await loop's async iterator: the same class. */
export const AsyncIteratorRecord = IteratorRecord;

// An array pattern's steps: functions, not members of IteratorRecord, so that an app whose exploded code
// destructures no array (every for-of has a record) does not carry them.

/**
 * The next value for an array pattern: `undefined` once the iterator is done.
 * @param {IteratorRecord} record
 */
export function nextValue(record) {
  return !record.done && record.next() ? record.value : undefined;
}

/**
 * The rest of the values, for `[a, ...rest]`.
 * @param {IteratorRecord} record
 */
export function restValues(record) {
  /** @type {unknown[]} */
  const values = [];
  while (!record.done && record.next()) appendData(values, record.value);
  return values;
}

/**
 * The spec's async-from-sync iterator: for-await over a sync iterable awaits each value (a promise in the
 * iterable is unwrapped) before the loop body sees it.
 *
 * ES2025 changed it: when a value rejects (from `next` or `throw`), the sync iterator is closed, and
 * `throw()` on a sync iterator without `throw` closes it and rejects with a TypeError instead of the
 * thrown value. Engines differ (Node 20 has the old steps, Node 24 the new), and a lowered function must
 * act as the native ones beside it do, so the first wrapper asks the engine (`closesOnRejection`).
 */
export class AsyncFromSyncIterator {
  /** @param {IteratorRecord} sync */
  constructor(sync) {
    this.sync = sync;
    probeEngine();
  }

  // (A for-await loop calls `next` and `return` without arguments, as the spec's loop does: no other code
  // sees this object. delegation.js's subclass, for a yield*, passes its arguments on, and has `throw`.)
  next() {
    return forwardToSync(this, null, [], null);
  }

  return() {
    // No `return` on the sync iterator: done.
    return forwardToSync(this, "return", [], () => apply(promiseResolve, NativePromise, [{ value: undefined, done: true }]));
  }
}

/**
 * Calls a method of the sync iterator behind `wrapper` (`next` when `key` is null; others are looked up
 * here, so a throwing getter rejects) and turns its result into a promise for `{ value, done }`.
 * @param {AsyncFromSyncIterator} wrapper
 * @param {"return" | "throw" | null} key
 * @param {unknown[]} args
 * @param {(() => Promise<unknown>) | null} missing what to answer when the method is absent
 */
export function forwardToSync(wrapper, key, args, missing) {
  const sync = wrapper.sync;
  const { iterator } = sync;
  let result;
  try {
    const method = key === null ? sync.nextMethod : iterator[key];
    if (method == null && missing) return missing();
    result = checkResult(callIteratorMethod(method, iterator, args));
  } catch (error) {
    return apply(promiseReject, NativePromise, [error]);
  }
  return continuation(result, key === "return" || !closesOnRejection ? null : sync);
}

/**
 * AsyncFromSyncIteratorContinuation: a promise for `{ value, done }` once the value itself has settled.
 * A native async function, so that the value is resolved and reacted to as the engine's own steps do
 * (PromiseResolve, then PerformPromiseThen: a native promise's `constructor` is read once, and neither
 * `Promise.prototype.then` nor the species is consulted); `done` is read first, and a throw from either
 * read rejects the promise. The tick count is the spec's: one job after the value settles. With
 * `closeOnRejection`, a value that rejects (or cannot be resolved) closes the sync iterator first.
 * @param {any} result
 * @param {IteratorRecord | null} closeOnRejection
 */
async function continuation(result, closeOnRejection) {
  let done = false;
  try {
    done = !!result.done;
    return { value: await result.value, done };
  } catch (error) {
    // (V8, where it closes at all, also closes when reading `done` or `value` throws)
    if (!done) closeOnRejection?.close(true);
    throw error;
  }
}

/**
 * Whether this engine's async-from-sync iterator closes the sync iterator when a value rejects (ES2025):
 * null until the first wrapper asks the engine.
 * @type {boolean | null}
 */
export let closesOnRejection = null;

/**
 * Asks the engine once, with a native `for await` over a sync iterator whose value cannot be resolved (a
 * promise whose `constructor` getter throws): the loop's first `next()`, called before its function first
 * awaits, closes the sync iterator at once where the engine closes at all, so the answer is there before the
 * first wrapper is used (a value the program gives it may fail the same way, within that first call).
 */
function probeEngine() {
  if (closesOnRejection !== null) return;
  closesOnRejection = false;
  const value = apply(promiseResolve, NativePromise, []);
  defineProperty(value, "constructor", {
    get() {
      throw value;
    },
  });
  /** @type {any} */
  const probe = {
    // (own, so that GetMethod(probe, @@asyncIterator) reads nothing user code could have added to Object.prototype)
    [SymbolAsyncIterator]: undefined,
    [SymbolIterator]: () => probe,
    next: () => ({ value, done: false }),
    return: () => ((closesOnRejection = true), {}),
  };
  (async () => {
    try {
      // own iterable: the probe's own methods are all the loop calls
      for await (const _ of probe);
    } catch {
      // the probe's own rejection
    }
  })();
}

/** The keys of a lowered for-in loop. */
export class ForInRecord {
  /** @param {Iterator<string>} keys */
  constructor(keys) {
    this.keys = keys;
    /** @type {string | undefined} */
    this.value = undefined;
  }

  next() {
    const step = apply(generatorNext, this.keys, []);
    if (step.done) return false;
    this.value = step.value;
    return true;
  }
}

/**
 * The keys a native for-in visits, one at a time.
 * @param {any} object
 * @returns {IterableIterator<string>}
 */
function* forInKeys(object) {
  for (const key in object) yield key;
}
