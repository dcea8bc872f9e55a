// What the runtime needs to put the engine's TypeError messages back in the source's words
// (runtime/messages.js) where it cannot tell by itself:
// - whether a class needs the rewording at all: `static sourceWords = inSourceWords` where a step could
//   throw a message quoting the machine's spelling, so that an app whose functions cannot carries none of it;
// - a try statement kept as written inside a machine catches the error before the step bracket sees it:
//   where the try block has an expression V8 would quote and the machine spells it otherwise (a field,
//   `this.thisArg`), its catch clause starts with `inSourceWordsWithTables(this, e);` (a clause with a
//   pattern: the block rethrows the error reworded). Elsewhere nothing is added. (`inSourceWords`, which
//   the class itself names when it has no `sourceNames` or `sourceTemps` table and reads no box, does
//   without them: `readsBoxes`.)
// - a local renamed apart when blocks flatten (`h_1`, declared `h`) is quoted by its new name: the class
//   lists the source's names of those that V8 may quote (`static sourceNames`), and only of those.
import * as t from "../types.ts";
import type { State } from "../explode/emitter.ts";
import type { BindingInfo } from "../facts.ts";
import { MACHINE_MEMBERS as RUNTIME_MEMBERS } from "../../runtime/index.js";
import { quotedTemps } from "../explode/source-text.ts";

const RUNTIME_MEMBER_SET: ReadonlySet<string> = new Set(RUNTIME_MEMBERS);

// (made once: a regular expression literal is a new object each time it is evaluated, and some of these tests
// run at every name of the states)
/** The name of a box of loop-iteration bindings (`$s0`: emit/storage.ts). */
const BOX_NAME = /^\$s\d+$/;
/** The name of a temp (`$0`: explode/emitter.ts). */
const TEMP_NAME = /^\$\d+$/;

/**
 * Adds the rewording to a kept try statement's catch clause, once its block is rewritten (`renamed`: whether
 * an identifier is a local the transform renamed).
 */
export function keepSourceWords(
  node: t.TryStatement,
  runtime: (name: string) => t.Identifier,
  renamed: (id: t.Identifier) => boolean,
  uniqueName: (base: string) => string,
): void {
  const handler = node.handler;
  if (!handler || !handler.param) return;
  if (!quoted(node.block, (expression) => readsMachine(expression) || isRenamed(expression, renamed))) return;
  if (t.isIdentifier(handler.param)) {
    const call = t.callExpression(runtime("inSourceWordsWithTables"), [t.thisExpression(), t.identifier(handler.param.name)]);
    handler.body.body.unshift(t.expressionStatement(call));
    return;
  }
  // `catch ({ message })` destructures the error before any code of the clause runs: the try block rethrows
  // it reworded, `try { try { ... } catch (error) { throw inSourceWordsWithTables(this, error); } } catch ({ message })`,
  // and the pattern stays where it was (with the engine's own messages when it fails).
  const error = t.identifier(uniqueName("error"));
  const rethrow = t.throwStatement(t.callExpression(runtime("inSourceWordsWithTables"), [t.thisExpression(), t.cloneNode(error)]));
  node.block = t.blockStatement([t.tryStatement(node.block, t.catchClause(error, t.blockStatement([rethrow])))]);
}

/** A chain rooted at a renamed local: `h_1()`, `h_1.m()`. */
function isRenamed(node: t.Node, renamed: (id: t.Identifier) => boolean): boolean {
  while (node.type === "MemberExpression" || node.type === "OptionalMemberExpression") node = node.object;
  return node.type === "Identifier" && renamed(node);
}

/**
 * The renamed bindings V8 may quote from the states (at the root of a callee, an iterable or a destructured
 * value): the source's name by the machine's (the field's, or the local's). `holders`: the nodes holding
 * what V8 may quote, in the order of a walk of the states (report/metadata.ts `walkStates` finds them).
 */
export function renamedInQuotes(holders: readonly t.Node[], bindings: BindingInfo[]): Map<string, string> {
  const renamed = new Map<string, string>();
  for (const b of bindings) {
    const name = b.storage === "field" ? b.field : b.name;
    if (name !== b.sourceName) renamed.set(name, b.sourceName);
  }
  const found = new Map<string, string>();
  if (renamed.size === 0) return found;
  for (const holder of holders) {
    const name = rootName(quoteSite(holder)!);
    if (name !== null && renamed.has(name)) found.set(name, renamed.get(name)!);
  }
  return found;
}

/**
 * What V8 quotes where the machine reads a field in place of the source's text, by field: for each temp
 * called (`(0, this.$0)(...)`, `new this.$0(...)`), the callee's source text
 * (explode/source-text.ts, `quoteTemp`; "" where V8 prints it otherwise); for each field of the source an
 * array pattern kept as written destructures (`const [a] = this.ids`), its name. [state, text, ...] in the
 * order of the states: runtime/messages.js takes the first entry at or after the machine's `state` (code
 * that falls through from state to state leaves `state` behind, never ahead). Every call of a temp has its
 * entry, so that one with no text is not taken for a later one.
 */
export function quotedTempsByField(states: State[]): Map<string, (number | string)[]> {
  const byField = new Map<string, (number | string)[]>();
  const add = (node: t.Node, at: number, text: string) => {
    const name = ((node as t.MemberExpression).property as t.Identifier).name;
    let list = byField.get(name);
    if (!list) byField.set(name, (list = []));
    if (list[list.length - 2] !== at || list[list.length - 1] !== text) list.push(at, text);
  };
  const isField = (node: t.Node | undefined): boolean => t.isMemberExpression(node) && t.isThisExpression(node.object) && !node.computed && t.isIdentifier(node.property);
  const isTemp = (node: t.Node | undefined): boolean => isField(node) && TEMP_NAME.test(((node as t.MemberExpression).property as t.Identifier).name);
  const visit = (node: t.Node, index: number): void => {
    if (node.type === "CallExpression" || node.type === "NewExpression") {
      let callee = node.callee;
      if (t.isSequenceExpression(callee) && callee.expressions.length === 2 && t.isNumericLiteral(callee.expressions[0])) callee = callee.expressions[1];
      if (isTemp(callee)) add(callee, index, quotedTemps.get(callee)?.text ?? "");
    } else if (isField(node) && !isTemp(node) && quotedTemps.has(node)) {
      add(node, index, quotedTemps.get(node)!.text);
      return;
    }
    if (node.type === "FunctionDeclaration" || node.type === "FunctionExpression" || node.type === "ClassDeclaration" || node.type === "ClassExpression" || node.type === "ObjectMethod") return;
    for (const key of t.VISITOR_KEYS[node.type] ?? []) {
      const child = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) {
        for (const item of child) if (item && typeof item === "object") visit(item as t.Node, index);
      } else if (child && typeof child === "object") visit(child as t.Node, index);
    }
  };
  for (const state of states) for (const statement of state.body) visit(statement, state.index);
  // (a class whose temps are quoted nowhere needs none of it)
  return [...byField.values()].some((list) => list.some((item) => typeof item === "string" && item !== "")) ? byField : new Map();
}

/**
 * Whether an error thrown by a step could quote the machine's spelling of something (a field, a box, the
 * awaited value `sent`, a renamed local): then the class carries the rewording (`static sourceWords =
 * inSourceWords`), which the runtime applies when a step throws. A class without it (and an app without
 * any) does not carry runtime/messages.js. The test of each expression V8 may quote (`quoteSite`, outside
 * functions with a `this` of their own): the report's walk of the states finds them (report/metadata.ts
 * `walkStates`, one walk for both), and `readStates` applies it once the temps are placed.
 */
export function machineWordsTest(sentName: string, renamed: Map<string, string>): (expression: t.Node) => boolean {
  const quotesMachine = (expression: t.Node): boolean => {
    // (the machine's own instructions, `this.await(...)`, are always there)
    if (t.isMemberExpression(expression) && t.isThisExpression(expression.object) && t.isIdentifier(expression.property) && RUNTIME_MEMBER_SET.has(expression.property.name)) return false;
    // (a temp's source is not known: messages.js leaves `this.$3` as it is)
    if (readsMachine(expression) && !readsTemp(expression)) return true;
    const name = rootName(expression);
    if (name !== null && (name === sentName || renamed.has(name))) return true;
    // (V8 quotes a computed key as written: `o[this.k]`, `o[sent]`)
    return computedKeys(expression).some(quotesMachine);
  };
  return quotesMachine;
}

/**
 * The alias of the machine that functions inside the lowered one read its fields through (`const machine =
 * this`), where runtime/messages.js words it: under its usual name only.
 */
export const WORDED_ALIAS = "machine";

/**
 * Whether an expression V8 may quote, in a function inside the lowered one, starts at the machine's alias
 * (`machine.o.m`, `(0 , machine.f)`): its error, thrown while a step runs, quotes the alias.
 */
export function quotesAlias(expression: t.Node): boolean {
  for (let node = expression; ; ) {
    if (node.type === "MemberExpression" || node.type === "OptionalMemberExpression") {
      if (node.object.type === "Identifier" && node.object.name === WORDED_ALIAS && !node.computed) return true;
      node = node.object;
    } else if (node.type === "SequenceExpression") node = node.expressions[node.expressions.length - 1];
    else if (node.type === "CallExpression" || node.type === "OptionalCallExpression") node = node.callee;
    else return false;
  }
}

/** The wrapper's inputs that are its own arrow functions (`super` for the machine): called, they never fail. */
const WRAPPER_FUNCTIONS = new Set(["superCall", "superGet", "superSet"]);

/** The wrapper's inputs that stand for a source keyword (as runtime/messages.js's FIELD_KEYWORDS). */
const FIELD_KEYWORDS: Record<string, string> = { thisArg: "this", newTarget: "new.target" };

/**
 * For a class that needs no tables (no renamed local, no temp's text, no box): whether every text V8 may
 * quote from the states that mentions the machine is a plain chain, a name or `this` then members, indexes
 * and calls (`this.client.send(...).then`, `sent[0]`), whose root alone is the machine's spelling (a field
 * `this.x`, the awaited value `sent`, a whole `(0 , this.f)`): then the class gets the rewording of the
 * root alone, `inSourceWordsAtRoot` (runtime/messages.js), which gives the words the scanning of
 * `inSourceWords` would, without its scanning. True if some root is to be reworded, false if none is (the
 * class needs no rewording), null where a quote mentions the machine otherwise (beyond its root: `a[this.i]`;
 * an optional chain, a template, ...): the class keeps `inSourceWords`. "callees" where every quote to be
 * reworded is a callee's, of a call or a tag whose value V8 quotes nowhere in turn (`this.f()`, but not
 * `new (this.f())`, `const { a } = this.f()` or `for (x of this.f())`): then its messages can only end in
 * " is not a function", and the class gets `inSourceWordsOfCallees`, which looks for that alone, and for a
 * root that is a field or `sent` alone: a root `(0 , this.f)`, a field that stands for a keyword
 * (`this.thisArg`) or a `resume` parameter named otherwise than `sent` makes it true instead (the general
 * `inSourceWordsAtRoot`, which words those too). `holders`: the nodes holding an expression V8 may quote
 * (`anyQuoteSite`) anywhere in the states, found by the report's walk (report/metadata.ts `walkStates`);
 * `own`: the class's fields (its constructor's).
 */
export function rootedQuotes(holders: readonly t.Node[], sentName: string, own: Set<string>): boolean | "callees" | null {
  let reworded = false;
  let spellable = true;
  // (a root to be reworded where V8's message is not a callee's: `new this.F()`, a destructured or iterated value)
  let otherThanCallees = false;
  // (a root that inSourceWordsOfCallees does not word: `(0 , this.f)`, `this.thisArg`, a `sent` renamed)
  let otherRoots = sentName !== "sent";
  // A chain of the machine's code, as V8 spells it (`this.f(...).g[...]`): whether the scanning would reword
  // its root (null: not such a chain). Kept per node: a chain's every call is a site of its own, and a chain
  // of thousands of `.then(...)` would be spelled again from each.
  const spelled = new Map<t.Node, boolean | null>();
  const spell = (node: t.Node): boolean | null => {
    let root = spelled.get(node);
    if (root === undefined) spelled.set(node, (root = spellAnew(node)));
    return root;
  };
  const spellAnew = (node: t.Node): boolean | null => {
    if (node.type === "ThisExpression") return false;
    if (node.type === "Identifier") return BOX_NAME.test(node.name) ? null : node.name === sentName;
    if (node.type === "MemberExpression" && !node.computed && node.property.type === "Identifier") {
      const name = node.property.name;
      // (a field of the machine's own, not a temp `$N`, not the runtime's `state`; a member of its
      // prototype, `this.await`, stays as it is; nor are the wrapper's `super` functions, called, quoted)
      if (node.object.type === "ThisExpression") {
        // (the parameters' values, whose slot the rewording describes: inSourceWordsOfCallees does not)
        if (name === "$params" && own.has(name)) return (otherRoots = true);
        const root = own.has(name) && name[0] !== "$" && name !== "state" && !WRAPPER_FUNCTIONS.has(name);
        if (root && Object.hasOwn(FIELD_KEYWORDS, name)) otherRoots = true;
        return root;
      }
      // (the machine's alias in a function inside: inSourceWordsOfCallees does not word it)
      if (node.object.type === "Identifier" && node.object.name === WORDED_ALIAS) {
        const root = own.has(name) && name[0] !== "$" && name !== "state";
        if (root) otherRoots = true;
        return root;
      }
      if (node.object.type === "SequenceExpression") return null;
      return spell(node.object);
    }
    // An index (`a[i]`) or a call (`f(...)` to V8, whatever its arguments) after the root: only free of the
    // machine's spellings.
    if (node.type === "MemberExpression" && node.computed && node.object.type !== "SequenceExpression" && !mentionsMachine(node.property, sentName)) {
      return spell(node.object);
    }
    if (node.type === "CallExpression" && node.callee.type !== "Super" && node.callee.type !== "V8IntrinsicIdentifier") {
      return spell(node.callee);
    }
    // `(0, this.f)`, a callee called without its object: V8 prints `(0 , this.f)`, the scanning `f`
    // (around anything else of the machine's, the scanning rewords inside: not a root)
    if (node.type === "SequenceExpression" && node.expressions.length === 2 && t.isNumericLiteral(node.expressions[0], { value: 0 })) {
      const callee = node.expressions[1];
      const inner = spell(callee);
      if (inner === null) return null;
      const field = callee.type === "MemberExpression" && (callee.object.type === "ThisExpression" || (callee.object.type === "Identifier" && callee.object.name === WORDED_ALIAS));
      if (inner) otherRoots = true;
      return inner && !field ? null : inner;
    }
    return null;
  };
  const test = (expression: t.Node, callee: boolean): void => {
    // (V8 quotes the callee of a call that should have returned an iterable, which is visited as a callee;
    // a call's value that is constructed or destructured it quotes as `this.f(...)`, its root reworded
    // alike, in another message)
    if (expression.type === "CallExpression" || expression.type === "OptionalCallExpression") {
      if (!callee && spell(expression) === true) otherThanCallees = true;
      return;
    }
    const root = spell(expression);
    if (root === null) {
      if (mentionsMachine(expression, sentName)) spellable = false;
    } else if (root) {
      reworded = true;
      if (!callee) otherThanCallees = true;
    }
  };
  // (every site V8 may quote, nested functions included: an error such a function throws reaches the step
  // bracket too, and the scanning rewords it as the machine's own)
  for (const holder of holders) {
    const type = holder.type;
    test(anyQuoteSite(holder)!, type === "CallExpression" || type === "OptionalCallExpression" || type === "TaggedTemplateExpression");
  }
  return !spellable ? null : reworded && !otherThanCallees && !otherRoots ? "callees" : reworded;
}

/** Whether an expression has anything the runtime's scanning could reword: `this`, the awaited value, a box. */
function mentionsMachine(node: t.Node, sentName: string): boolean {
  return someNodeIn(node, (n) => n.type === "ThisExpression" || (n.type === "Identifier" && (n.name === sentName || BOX_NAME.test(n.name))));
}

/**
 * Whether the states read a box of loop-iteration bindings anywhere (`$s0`, `this.$s0`): the class then
 * gets the rewording that reads boxes (`inSourceWordsWithTables`; `inSourceWords` knows fields only).
 */
export function readsBoxes(states: State[]): boolean {
  return someNode(states, (node) =>
    node.type === "Identifier" ? BOX_NAME.test(node.name) : node.type === "MemberExpression" && !node.computed && node.property.type === "Identifier" && BOX_NAME.test(node.property.name),
  );
}

/** Whether the states call the runtime's function imported as `local` (undefined: not imported at all). */
export function callsRuntime(states: State[], local: string | undefined): boolean {
  if (local === undefined) return false;
  return someNode(states, (node) => node.type === "CallExpression" && node.callee.type === "Identifier" && node.callee.name === local);
}

/** Whether a node of the states' code (nested functions included) passes `test`. */
function someNode(states: State[], test: (node: t.Node) => boolean): boolean {
  return states.some((state) => state.body.some((statement) => someNodeIn(statement, test)));
}

/** Whether `node` or a node below it passes `test`. */
function someNodeIn(node: t.Node, test: (node: t.Node) => boolean): boolean {
  return test(node) || someChild(node, someNodeIn, test);
}

/**
 * Whether `recurse(child, test)` holds for one of `node`'s children (the walk and its test passed along, not
 * a closure made per node: these walks read every node of the output).
 */
function someChild<T>(node: t.Node, recurse: (child: t.Node, test: T) => boolean, test: T): boolean {
  for (const key of t.VISITOR_KEYS[node.type] ?? []) {
    const child = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(child)) {
      for (const item of child) if (item && typeof item === "object" && recurse(item as t.Node, test)) return true;
    } else if (child && typeof child === "object" && recurse(child as t.Node, test)) {
      return true;
    }
  }
  return false;
}

/** Calls `test` on every expression V8 may quote under `node` (outside nested functions); true if one passes. */
function quoted(node: t.Node, test: (expression: t.Node) => boolean): boolean {
  // (Their `this` is their own; a kept arrow's is the machine's.)
  if (hasOwnThis(node)) return false;
  const site = quoteSite(node);
  if (site !== null && test(site)) return true;
  return someChild(node, quoted, test);
}

/** A function or class whose `this` is its own (a kept arrow's is the machine's): its quotes are not the machine's. */
export function hasOwnThis(node: t.Node): boolean {
  switch (node.type) {
    case "FunctionDeclaration":
    case "FunctionExpression":
    case "ClassDeclaration":
    case "ClassExpression":
    case "ObjectMethod":
      return true;
    default:
      return false;
  }
}

/** The expression of `node` that V8 may quote in a TypeError (a callee, a tag, an iterable, a destructured value), if any. */
export function quoteSite(node: t.Node): t.Node | null {
  switch (node.type) {
    case "CallExpression":
    case "OptionalCallExpression":
    case "NewExpression":
      return node.callee;
    case "TaggedTemplateExpression":
      return node.tag;
    case "ForOfStatement":
      return node.right;
    case "SpreadElement":
      return node.argument;
    case "VariableDeclarator":
      return !t.isIdentifier(node.id) && node.init ? node.init : null;
    case "AssignmentExpression":
      return !t.isIdentifier(node.left) && !t.isMemberExpression(node.left) ? node.right : null;
    default:
      return null;
  }
}

/**
 * quoteSite, and also what a default destructures: every expression whose quote `rootedQuotes` reads, the
 * report's walk collecting their holders anywhere in the states.
 */
export function anyQuoteSite(node: t.Node): t.Node | null {
  switch (node.type) {
    case "AssignmentPattern":
      return !t.isIdentifier(node.left) && !t.isMemberExpression(node.left) ? node.right : null;
    default:
      return quoteSite(node);
  }
}

/**
 * The member chain V8 would quote starts at the machine: `this.x`, `(0, this.f)`, `this.thisArg.m`, or a
 * closure's box of loop-iteration bindings, `$s0.x`.
 */
function readsMachine(node: t.Node): boolean {
  for (;;) {
    if (node.type === "ThisExpression") return true;
    if (node.type === "Identifier") return BOX_NAME.test(node.name);
    if (node.type === "MemberExpression" || node.type === "OptionalMemberExpression") node = node.object;
    else if (node.type === "SequenceExpression") node = node.expressions[node.expressions.length - 1];
    else if (node.type === "CallExpression" || node.type === "OptionalCallExpression") node = node.callee;
    else return false;
  }
}

/** The computed keys of a quoted chain's members: `o[k][j].m` has `k` and `j`. */
function computedKeys(node: t.Node): t.Node[] {
  const keys: t.Node[] = [];
  for (;;) {
    if (node.type === "MemberExpression" || node.type === "OptionalMemberExpression") {
      if (node.computed) keys.push(node.property);
      node = node.object;
    } else if (node.type === "SequenceExpression") node = node.expressions[node.expressions.length - 1];
    else if (node.type === "CallExpression" || node.type === "OptionalCallExpression") node = node.callee;
    else return keys;
  }
}

/** Whether a chain starts at a temp of the machine: `this.$0.next`, `(0, this.$1)`. */
function readsTemp(node: t.Node): boolean {
  for (;;) {
    if (node.type === "MemberExpression" && node.object.type === "ThisExpression") return !node.computed && t.isIdentifier(node.property) && TEMP_NAME.test(node.property.name);
    if (node.type === "MemberExpression" || node.type === "OptionalMemberExpression") node = node.object;
    else if (node.type === "SequenceExpression") node = node.expressions[node.expressions.length - 1];
    else if (node.type === "CallExpression" || node.type === "OptionalCallExpression") node = node.callee;
    else return false;
  }
}

/** The name at the root of a quoted chain: `h_1`, `this.h_1`, `(0, this.h_1)`, a box's `$s0.h_1` or `this.$s0.h_1`. */
function rootName(node: t.Node): string | null {
  let property: string | null = null;
  for (;;) {
    if (node.type === "ThisExpression") return property;
    if (node.type === "Identifier") return BOX_NAME.test(node.name) ? property : node.name;
    if (node.type === "MemberExpression" || node.type === "OptionalMemberExpression") {
      property = !node.computed && t.isIdentifier(node.property) ? node.property.name : null;
      // (a box the machine holds in a field, `this.$s0`: the binding is its member)
      const object = node.object;
      if (object.type === "MemberExpression" && object.object.type === "ThisExpression" && !object.computed && t.isIdentifier(object.property) && BOX_NAME.test(object.property.name)) return property;
      node = node.object;
    } else if (node.type === "SequenceExpression") node = node.expressions[node.expressions.length - 1];
    else if (node.type === "CallExpression" || node.type === "OptionalCallExpression") node = node.callee;
    else return null;
  }
}
