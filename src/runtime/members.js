// The names of every member a generated machine inherits, read off the machine base classes themselves
// (their prototypes up to Object.prototype, and the fields their constructors create). The transform must
// not give a field of its own (a lifted local, a temp) any of these names: it would shadow the runtime.

import { AsyncGeneratorMachine } from "./async-generator.js";
import { GeneratorMachine } from "./generator.js";
import { AsyncMachine } from "./promise-driver.js";

/**
 * @param {Array<new () => object>} classes
 * @returns {readonly string[]}
 */
function memberNames(classes) {
  /** @type {Set<string>} */
  const names = new Set();
  for (const Class of classes) {
    for (const name of Object.keys(new Class())) names.add(name);
    for (let proto = Class.prototype; proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
      for (const name of Object.getOwnPropertyNames(proto)) names.add(name);
    }
  }
  return Object.freeze([...names].sort());
}

/** Every member name a generated machine inherits (methods, accessors and fields of the base classes), sorted. */
export const MACHINE_MEMBERS = memberNames([AsyncMachine, GeneratorMachine, AsyncGeneratorMachine]);
