// The names of every member a generated machine inherits, read off the machine base classes themselves
// (their prototypes up to Object.prototype, and the fields their constructors create). The transform must
// not give a field of its own (a lifted local, a temp) any of these names: it would shadow the runtime.

import { NativeObject, apply, freeze, getPrototypeOf } from "./intrinsics.js";
import { AsyncGeneratorMachine } from "./async-generator.js";
import { GeneratorMachine } from "./generator.js";
import { AsyncMachine } from "./promise-driver.js";

// (This runs once, at load; it still uses only captured built-ins.)
const { keys, getOwnPropertyNames } = Object;
const { indexOf, sort } = Array.prototype;

/**
 * @param {Array<new () => object>} classes
 * @returns {readonly string[]}
 */
function memberNames(classes) {
  /** @type {string[]} */
  const names = [];
  /** @param {string[]} found */
  const add = (found) => {
    for (let i = 0; i < found.length; i++) if (apply(indexOf, names, [found[i]]) < 0) names[names.length] = found[i];
  };
  for (let c = 0; c < classes.length; c++) {
    const Class = classes[c];
    add(keys(new Class()));
    for (let proto = Class.prototype; proto !== null && proto !== NativeObject.prototype; proto = getPrototypeOf(proto)) add(getOwnPropertyNames(proto));
  }
  apply(sort, names, []);
  return freeze(names);
}

/** Every member name a generated machine inherits (methods, accessors and fields of the base classes), sorted. */
export const MACHINE_MEMBERS = memberNames([AsyncMachine, GeneratorMachine, AsyncGeneratorMachine]);
