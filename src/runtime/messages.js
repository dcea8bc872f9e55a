// Error messages in the source's words. V8 words the TypeError of a failing call, `new`, iteration or
// destructuring with the source text of the expression that failed: `ids is not a function`,
// `Cannot destructure property 'a' of 'o' as it is null.` In a lowered function that text is the machine's:
// a lifted local is `this.ids`, a callee called without its object `(0 , this.ids)`, the source's `this`
// `this.thisArg`, an awaited value `sent`. So when a step throws (the failure path only: nothing here runs
// while a machine works), the message is worded back before anyone sees it, and the stack, which V8 formats
// from the message when it is first read, follows.
//
// Only the machine's own spellings are touched: `this.x` where x is a field of this machine that holds a
// source binding (not a temp `$N`, not a runtime member), a box's `$s0.x`, the `(0 , ...)` around such a
// callee, and the name of the `resume` parameter (an awaited value, `(intermediate value)` to V8). A try
// statement kept as written catches before the step does: its catch clause calls `inSourceWords` itself
// (transform/emit/source-words.ts), and a local renamed apart when blocks flatten (`h_1`) is found in the
// class's `static sourceNames`. What this cannot know is a temp's source (`this.$3`, a callee read before
// a later `await` in the same call): it stays as the machine spells it (docs/lowering.md).

import { NativeTypeError, apply, functionToString, getPrototypeOf, hasOwnProperty } from "./intrinsics.js";

/** The wrapper's inputs that stand for a source keyword. */
const FIELD_KEYWORDS = /** @type {Record<string, string>} */ (/** @type {unknown} */ ({ __proto__: null, thisArg: "this", newTarget: "new.target", arguments: "arguments" }));

/** How the V8 messages that quote source text end (the quote is all that comes before). */
const QUOTING_SUFFIXES = [
  " is not a function",
  " is not a constructor",
  " is not iterable",
  " is not async iterable",
  " is not a function or its return value is not iterable",
  " is not a function or its return value is not async iterable",
  " is not iterable (cannot read property null)",
];
const QUOTING_DESTRUCTURE = "Cannot destructure property '";

/**
 * `error`, thrown by a step of `machine`, with its message in the source's words (the same object).
 * @param {object} machine
 * @param {unknown} error
 */
export function inSourceWords(machine, error) {
  // A TypeError of the engine's (its own prototype: not a subclass, not a primitive); a Proxy's trap would
  // see the read of its prototype, the price of not touching anything else.
  if (typeof error !== "object" || error === null || getPrototypeOf(error) !== NativeTypeError.prototype) return error;
  const message = /** @type {{ message: unknown }} */ (error).message;
  if (typeof message !== "string") return error;
  const quoted = quotedText(message);
  if (quoted === null) return error;
  const words = reworded(machine, quoted[1]);
  if (words !== quoted[1]) /** @type {{ message: string }} */ (error).message = quoted[0] + words + quoted[2];
  return error;
}

/**
 * The message split as [before, quoted source text, after], or null for a message that quotes none.
 * @param {string} message
 * @returns {[string, string, string] | null}
 */
function quotedText(message) {
  if (textStartsWith(message, QUOTING_DESTRUCTURE, 0)) {
    // Cannot destructure property 'a' of 'o' as it is null.
    const of = textLastIndexOf(message, "' of '");
    const as = textLastIndexOf(message, "' as it is ");
    if (of < 0 || as < of) return null;
    return [textSlice(message, 0, of + 6), textSlice(message, of + 6, as), textSlice(message, as, message.length)];
  }
  for (let i = 0; i < QUOTING_SUFFIXES.length; i++) {
    const suffix = QUOTING_SUFFIXES[i];
    const at = message.length - suffix.length;
    if (at > 0 && textStartsWith(message, suffix, at)) return ["", textSlice(message, 0, at), suffix];
  }
  return null;
}

/**
 * Source text as V8 printed it from the machine's code, in the source's spelling.
 * @param {object} machine
 * @param {string} text
 */
function reworded(machine, text) {
  let out = "";
  let sent = /** @type {string | null | undefined} */ (undefined);
  for (let i = 0; i < text.length; ) {
    const c = text[i];
    if (!isIdentifierChar(c) || (i > 0 && (isIdentifierChar(text[i - 1]) || text[i - 1] === "."))) {
      // `(0 , this.x)`: the callee the transform called without its object, the source's plain `x`.
      if (c === "(" && textStartsWith(text, "(0 , ", i)) {
        const reference = machineReference(machine, text, i + 5);
        if (reference !== null && text[i + 5 + reference[1]] === ")") {
          out += reference[0];
          i += 6 + reference[1];
          continue;
        }
      }
      out += c;
      i++;
      continue;
    }
    const reference = machineReference(machine, text, i);
    if (reference !== null) {
      out += reference[0];
      i += reference[1];
      continue;
    }
    const name = identifierAt(text, i);
    if (sent === undefined) sent = sentName(machine);
    // The `resume` parameter: an awaited value, which V8 calls an intermediate value; a local of `resume`
    // the transform renamed.
    out += name === sent ? "(intermediate value)" : (renamedLocal(machine, name) ?? name);
    i += name.length;
  }
  return out;
}

/**
 * The machine's spelling of a source binding at `at` (`this.x`, a box of loop-iteration bindings,
 * `this.$s0.x` or a closure's `$s0.x`), as [the source's name, its length in `text`], or null.
 * @param {object} machine
 * @param {string} text
 * @param {number} at
 * @returns {[string, number] | null}
 */
function machineReference(machine, text, at) {
  let i = at;
  const first = identifierAt(text, i);
  if (first === "this" && text[i + 4] === ".") {
    i += 5;
    const field = identifierAt(text, i);
    if (!isBox(field)) {
      const name = sourceWordsOf(machine, field);
      return name === null ? null : [name, i + field.length - at];
    }
    i += field.length;
  } else if (isBox(first)) {
    i += first.length;
  } else {
    return null;
  }
  if (text[i] !== ".") return null;
  const name = identifierAt(text, i + 1);
  return name === "" ? null : [renamedLocal(machine, name) ?? name, i + 1 + name.length - at];
}

/** @param {string} name a box of the bindings of one loop iteration: `$s0`, `$s1`, ... */
function isBox(name) {
  if (name.length < 3 || name[0] !== "$" || name[1] !== "s") return false;
  for (let i = 2; i < name.length; i++) if (name[i] < "0" || name[i] > "9") return false;
  return true;
}

/**
 * What the source called the field `name` of the machine, or null when it is not a source binding's.
 * @param {object} machine
 * @param {string} name
 */
function sourceWordsOf(machine, name) {
  if (name === "" || name[0] === "$" || !apply(hasOwnProperty, machine, [name])) return null;
  if (name in FIELD_KEYWORDS) return FIELD_KEYWORDS[name];
  const renamed = renamedLocal(machine, name);
  if (renamed !== null) return renamed;
  // The runtime's own fields are `state` and `$` names (members.js); a source binding of such a name is
  // stored under another.
  if (name === "state") return null;
  return name;
}

/**
 * The source's name of a local the transform renamed (`h_1` for `h`), from the class's `sourceNames`.
 * @param {object} machine
 * @param {string} name
 * @returns {string | null}
 */
function renamedLocal(machine, name) {
  const names = /** @type {{ sourceNames?: Record<string, string> }} */ (machine.constructor).sourceNames;
  return names !== undefined && apply(hasOwnProperty, names, [name]) ? names[name] : null;
}

/**
 * The name of the machine's `resume` parameter (`sent`, or another when the source has a `sent`).
 * @param {object} machine
 */
function sentName(machine) {
  const resume = /** @type {{ resume: unknown }} */ (machine).resume;
  if (typeof resume !== "function") return null;
  const source = /** @type {string} */ (apply(functionToString, resume, []));
  const open = textIndexOf(source, "(");
  if (open < 0) return null;
  const name = identifierAt(source, open + 1);
  return name === "" ? null : name;
}

/** @param {string} c */
function isIdentifierChar(c) {
  return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c === "_" || c === "$" || c > "\x7f";
}

/**
 * The identifier (ASCII letters, digits, `_`, `$`, and anything beyond ASCII) that starts at `at`.
 * @param {string} text
 * @param {number} at
 */
function identifierAt(text, at) {
  let end = at;
  while (end < text.length && isIdentifierChar(text[end])) end++;
  return textSlice(text, at, end);
}

// String searches by index, not through String.prototype (which user code may have replaced).

/** @param {string} text @param {string} prefix @param {number} at */
function textStartsWith(text, prefix, at) {
  if (at + prefix.length > text.length) return false;
  for (let i = 0; i < prefix.length; i++) if (text[at + i] !== prefix[i]) return false;
  return true;
}

/** @param {string} text @param {string} part */
function textIndexOf(text, part) {
  for (let i = 0; i + part.length <= text.length; i++) if (textStartsWith(text, part, i)) return i;
  return -1;
}

/** @param {string} text @param {string} part */
function textLastIndexOf(text, part) {
  for (let i = text.length - part.length; i >= 0; i--) if (textStartsWith(text, part, i)) return i;
  return -1;
}

/** @param {string} text @param {number} start @param {number} end */
function textSlice(text, start, end) {
  let out = "";
  for (let i = start; i < end; i++) out += text[i];
  return out;
}
