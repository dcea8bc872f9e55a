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
// class's `static sourceNames`. A temp's source (`this.$3`, a callee read before a later `await` in the same
// call) and a field an array pattern kept as written reads (`const [a] = this.ids`, which V8 does not quote
// but describes: `object null is not iterable ...`) are found in the class's `static sourceTemps`, by state
// (transform/emit/source-words.ts, `quotedTempsByField`); a temp with no entry stays as the machine spells it.
// A class whose quotes are all plain chains, reworded at their root alone, carries `inSourceWordsAtRoot`
// instead of the scanning, or, where they are all callees, `inSourceWordsOfCallees` (the transform
// decides: source-words.ts, `rootedQuotes`).

//
// The scanning uses regular expressions of its own through the captured `RegExp.prototype.exec`, which
// reads the expression's internal slots and own `lastIndex` only: nothing a program can replace.

import { NativeTypeError, apply, describeValue, getPrototypeOf, hasOwnProperty, isObject, regExpExec } from "./intrinsics.js";

/** The wrapper's inputs that stand for a source keyword. */
// (`arguments` is the field's own name: it needs no entry)
const FIELD_KEYWORDS = /** @type {Record<string, string>} */ (/** @type {unknown} */ ({ __proto__: null, thisArg: "this", newTarget: "new.target" }));

/** The V8 messages that quote source text, as [before, quoted text, after]. */
const QUOTING =
  /^(Cannot destructure (?:property '.*' of )?')(.*)(' as it is .*)$|^()(.*?)( is not (?:a function|a constructor|(?:async )?iterable|a function or its return value is not (?:async )?iterable|iterable \(cannot read property (?:null|undefined)\)))$/s;

/**
 * The machine's spellings in quoted text, one token at a time: a callee called without its object
 * `(0 , this.x)`, a field `this.x` (its name captured; `machine.x` in a function inside the lowered one,
 * which reads the machine through that alias), a member name (left as it is), an identifier, any
 * other character. (A class whose code has a box gets `inSourceWordsWithTables`, which reads boxes too.)
 */
const FIELD_TOKENS = /\(0 , (?:this|machine)\.([\w$\u0080-\uffff]+)\)|(?:this|machine)\.([\w$\u0080-\uffff]+)|(\.?)([\w$\u0080-\uffff]+)|[^]/g;
/** FIELD_TOKENS, and a box's binding (`this.$s0.x`, `$s0.x`) too, its whole spelling captured. */
const TOKENS = /\(0 , ((?:this\.)?\$s\d+\.[\w$\u0080-\uffff]+|(?:this|machine)\.[\w$\u0080-\uffff]+)\)|((?:this\.)?\$s\d+\.[\w$\u0080-\uffff]+|(?:this|machine)\.[\w$\u0080-\uffff]+)|(\.?)([\w$\u0080-\uffff]+)|[^]/g;
/**
 * QUOTING, its quoted text cut at the root, as [before, field of `(0 , this.f)`, field of `this.f`, name,
 * the rest, after] (at 1-6 or 7-12). A name ends at a `.`, `[`, `(` or space (which no name has: the quote
 * is QUOTING's).
 */
const QUOTED_ROOT =
  /^(Cannot destructure (?:property '.*' of )?')(?:\(0 , (?:this|machine)\.([^)]*)\)|(?:this|machine)\.([^.[( ]*)|([^.[( ]*))(.*)(' as it is .*)$|^()(?:\(0 , (?:this|machine)\.([^)]*)\)|(?:this|machine)\.([^.[( ]*)|([^.[( ]*))(.*?)( is not (?:a function|a constructor|(?:async )?iterable|a function or its return value is not (?:async )?iterable|iterable \(cannot read property (?:null|undefined)\)))$/s;
/**
 * QUOTED_ROOT for a class whose quotes are all callees rooted at a field or `sent`
 * (`inSourceWordsOfCallees`): V8's message for a call or a tag whose callee is not a function, with the
 * groups of QUOTED_ROOT's second alternative but the first and the last, at 1-2 (the root: a field, a
 * name), and the rest in one, 3. A message it matches whose root is one of those, QUOTED_ROOT cuts the
 * same way.
 */
const QUOTED_CALLEE = /^(?:this\.(?!\$|state[.[( ])([^.[( ]*)|([^.[( ]*))(.*? is not a function)$/s;
const UNQUOTED_ITERABLE = /^(.*) is not iterable \(cannot read property Symbol\(Symbol\.iterator\)\)$/s;
const BOX_OR_FIELD = /^(?:(?:this|machine)\.)?(\$s\d+\.)?([^.]+)$/;

/**
 * The tables a class may carry for the rewording (`static sourceNames`, `static sourceTemps`; see
 * transform/emit/machine-class.ts), read by these functions. A class with neither gets `inSourceWords`,
 * which does without them (and without their code: an app bundles only what its classes name).
 * @typedef {{
 *   tokens: RegExp,
 *   sourceName: (machine: object, reference: string) => string | null,
 *   renamedLocal: (machine: object, name: string) => string | null,
 *   quoteOf: (machine: object, quotes: (field: string) => boolean) => string | null,
 *   unquotedIterable: (machine: object, message: string) => string | null,
 * }} Tables
 */

/**
 * `inSourceWords` for a class whose quotes the transform found to be plain chains (transform/emit/source-words.ts,
 * `rootedQuotes`): a name or `this`, then members, indexes and calls (`this.client.send(...).then`,
 * `sent[0]`), where only the root can be the machine's spelling: a field `this.x`, the awaited value
 * `sent`, a callee called without its object `(0 , this.f)`. Only the root is reworded, as `inSourceWords`
 * would (QUOTED_ROOT cuts it off), without scanning the quote token by token.
 * @param {object} machine
 * @param {unknown} error
 */
export function inSourceWordsAtRoot(machine, error) {
  return rewordRoot(machine, error, QUOTED_ROOT);
}

/**
 * `inSourceWordsAtRoot` for a class whose quotes are all callees, of calls and tags whose value is not
 * quoted in turn, rooted at a field or at `sent` (`this.next.next()`, `sent.text()`; source-words.ts,
 * `rootedQuotes`): its code can quote the machine only in " is not a function", so the rewording looks for
 * that alone (a shorter expression than QUOTED_ROOT, which an app whose classes are all such does
 * without), and for those two roots alone (a class with a root `(0 , this.f)`, `this.thisArg` or a
 * `resume` parameter of another name gets `inSourceWordsAtRoot`).
 * @param {object} machine
 * @param {unknown} error
 */
export function inSourceWordsOfCallees(machine, error) {
  // (rewordRoot's steps, for QUOTED_CALLEE's groups: a copy of its own, shorter than the general one)
  if (isObject(error) && getPrototypeOf(error) === NativeTypeError.prototype) {
    const message = /** @type {{ message: unknown }} */ (error).message;
    const quoted = typeof message === "string" ? apply(regExpExec, QUOTED_CALLEE, [message]) : null;
    if (quoted !== null) {
      const field = quoted[1];
      const words = field !== undefined ? apply(hasOwnProperty, machine, [field]) && field : quoted[2] === "sent" && "(intermediate value)";
      if (words) /** @type {{ message: string }} */ (error).message = words + quoted[3];
    }
  }
  return error;
}

/**
 * The rewording of a quote's root, `quoting` cutting the message (QUOTED_ROOT).
 * @param {object} machine
 * @param {unknown} error
 * @param {RegExp} quoting
 */
function rewordRoot(machine, error, quoting) {
  // (a TypeError of the engine's, as `reword` checks)
  if (isObject(error) && getPrototypeOf(error) === NativeTypeError.prototype) {
    const message = /** @type {{ message: unknown }} */ (error).message;
    const quoted = typeof message === "string" ? apply(regExpExec, quoting, [message]) : null;
    if (quoted !== null) {
      // (by index: array destructuring would iterate through Array.prototype[Symbol.iterator])
      const at = quoted[1] !== undefined ? 1 : 7;
      const field = quoted[at + 1] ?? quoted[at + 2];
      if (field === "$params" && parameterSlot(machine, error, quoted[at], "this.$params" + quoted[at + 4], quoted[at + 5])) return error;
      const words =
        field !== undefined
          ? field[0] !== "$" && field !== "state" && apply(hasOwnProperty, machine, [field]) && (FIELD_KEYWORDS[field] ?? field)
          : quoted[at + 3] === (/** @type {{ sentName?: string }} */ (machine.constructor).sentName ?? "sent") && "(intermediate value)";
      if (words) /** @type {{ message: string }} */ (error).message = quoted[at] + words + quoted[at + 4] + quoted[at + 5];
    }
  }
  return error;
}

/**
 * `error`, thrown by a step of `machine`, with its message in the source's words (the same object): for a
 * class that carries no `sourceNames` or `sourceTemps` table (with them, `inSourceWordsWithTables`; both
 * give the same words to such a class).
 * @param {object} machine
 * @param {unknown} error
 */
export function inSourceWords(machine, error) {
  return reword(machine, error, null);
}

/**
 * `inSourceWords` for a class with a `sourceNames` or `sourceTemps` table, and for a kept try statement's
 * catch clause (transform/emit/source-words.ts).
 * @param {object} machine
 * @param {unknown} error
 */
export function inSourceWordsWithTables(machine, error) {
  return reword(machine, error, TABLES);
}

/**
 * @param {object} machine
 * @param {unknown} error
 * @param {Tables | null} tables
 */
function reword(machine, error, tables) {
  // A TypeError of the engine's (its own prototype: not a subclass, not a primitive, not a function); a Proxy's
  // trap would see the read of its prototype, the price of not touching anything else.
  if (!isObject(error) || getPrototypeOf(error) !== NativeTypeError.prototype) return error;
  const message = /** @type {{ message: unknown }} */ (error).message;
  if (typeof message !== "string") return error;
  const quoted = apply(regExpExec, QUOTING, [message]);
  if (quoted === null) {
    const name = tables === null ? null : tables.unquotedIterable(machine, message);
    if (name !== null) /** @type {{ message: string }} */ (error).message = name + " is not iterable";
    return error;
  }
  // (by index: an array pattern would iterate through Array.prototype[Symbol.iterator])
  const at = quoted[2] !== undefined ? 1 : 4;
  const text = quoted[at + 1];
  if (parameterSlot(machine, error, quoted[at], text, quoted[at + 2])) return error;
  const words = reworded(machine, text, tables);
  if (words !== text) /** @type {{ message: string }} */ (error).message = quoted[at] + words + quoted[at + 2];
  return error;
}

/** A destructured parameter's value, where the machine binds it from (`this.$params[1]`). */
const PARAMETER_SLOT = /^this\.\$params\[(\d+)\]$/;

/**
 * The message of a destructured parameter that cannot be bound, quoting `text`: V8 has no source text for a
 * parameter's value, and describes it (`of 'undefined'`, `object null is not iterable (cannot read property
 * Symbol(Symbol.iterator))`). Whether `text` is a parameter's slot (otherwise the message is left as it is).
 * @param {object} machine
 * @param {unknown} error
 * @param {string} before
 * @param {string} text
 * @param {string} after
 */
function parameterSlot(machine, error, before, text, after) {
  const slot = apply(regExpExec, PARAMETER_SLOT, [text]);
  if (slot === null) return false;
  const value = /** @type {{ $params: unknown[] }} */ (/** @type {unknown} */ (machine)).$params[/** @type {any} */ (slot[1])];
  /** @type {{ message: string }} */ (error).message = before + describeValue(value) + (after === " is not iterable" ? " is not iterable (cannot read property Symbol(Symbol.iterator))" : after);
  return true;
}

/**
 * `const [a] = ids` kept as written reads `this.ids`, which V8 does not quote: it describes the value
 * (natively `ids is not iterable`). The source's name of the field whose value is the one described (not
 * named like a temp), from `sourceTemps`, or null.
 * @param {object} machine
 * @param {string} message
 */
function unquotedIterable(machine, message) {
  const unquoted = apply(regExpExec, UNQUOTED_ITERABLE, [message]);
  return unquoted !== null ? quoteOf(machine, (field) => field[0] !== "$" && describeValue(/** @type {Record<string, unknown>} */ (machine)[field]) === unquoted[1]) : null;
}

/**
 * Source text as V8 printed it from the machine's code, in the source's spelling.
 * @param {object} machine
 * @param {string} text
 * @param {Tables | null} tables
 */
function reworded(machine, text, tables) {
  // The `resume` parameter: an awaited value, which V8 calls an intermediate value. It is `sent` unless
  // the function uses that name (or `with`): then the class says (`static sentName`, emit/machine-class.ts).
  const sent = /** @type {{ sentName?: string }} */ (machine.constructor).sentName ?? "sent";
  const tokens = tables === null ? FIELD_TOKENS : tables.tokens;
  let out = "";
  tokens.lastIndex = 0;
  for (let token; (token = apply(regExpExec, tokens, [text])) !== null; ) {
    const reference = token[1] ?? token[2];
    const name = token[4];
    if (reference !== undefined) out += (tables === null ? fieldName(machine, reference, null) : tables.sourceName(machine, reference)) ?? token[0];
    else if (name !== undefined && token[3] === "") out += name === sent ? "(intermediate value)" : (tables?.renamedLocal(machine, name) ?? name);
    else out += token[0];
  }
  return out;
}

/**
 * What the source called a field of the machine (`this.x`) or a box's binding (`this.$s0.x`, `$s0.x`), or
 * null for a field that holds no source binding (a temp `$N`, the runtime's `state`, not a field at all).
 * @param {object} machine
 * @param {string} reference
 */
function sourceName(machine, reference) {
  const parts = /** @type {RegExpExecArray} */ (apply(regExpExec, BOX_OR_FIELD, [reference]));
  const name = parts[2];
  if (parts[1] !== undefined) return renamedLocal(machine, name) ?? name;
  return fieldName(machine, name, TABLES);
}

/**
 * What the source called the field `name` of the machine, or null for a field that holds no source
 * binding (a temp `$N` the tables do not quote, the runtime's `state`, not a field at all).
 * @param {object} machine
 * @param {string} name
 * @param {Tables | null} tables
 */
function fieldName(machine, name, tables) {
  if (name[0] === "$") return tables === null ? null : tables.quoteOf(machine, (field) => field === name);
  if (name === "state" || !apply(hasOwnProperty, machine, [name])) return null;
  return FIELD_KEYWORDS[name] ?? tables?.renamedLocal(machine, name) ?? name;
}

/**
 * What the class's `sourceTemps` says a field quotes where the machine is now, for the fields `quotes` picks
 * (`sourceTemps`: by field, [state, text, ...]; see transform/emit/source-words.ts): of their first entries
 * at or after `state` (code that falls through from state to state leaves `state` behind, never ahead), the
 * earliest one's text. Null if none, or if its text is "" (V8 prints that callee otherwise).
 * @param {object} machine
 * @param {(field: string) => boolean} quotes
 * @returns {string | null}
 */
function quoteOf(machine, quotes) {
  const temps = /** @type {{ sourceTemps?: Record<string, (number | string)[]> }} */ (machine.constructor).sourceTemps;
  const state = /** @type {{ state: number }} */ (machine).state;
  let found = null;
  let foundAt = Infinity;
  if (temps !== undefined) {
    for (const field in temps) {
      if (!apply(hasOwnProperty, temps, [field]) || !quotes(field)) continue;
      const list = /** @type {any[]} */ (temps[field]);
      for (let i = 0; i < list.length; i += 2) {
        if (list[i] < state) continue;
        if (list[i] < foundAt) {
          found = list[i + 1];
          foundAt = list[i];
        }
        break;
      }
    }
  }
  return found || null;
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

/** @type {Tables} */
const TABLES = { tokens: TOKENS, sourceName, renamedLocal, quoteOf, unquotedIterable };
