// Where each local lives, decided once the body is exploded: a binding used by a single state stays a local
// `let`/`const` of that state's `case`; one that crosses a cut becomes a field of the machine. The same for
// the transform's own temps (`placeTemps`), once the states are rewritten.
import * as t from "../types.ts";
import type { BindingInfo, FactsStore, FunctionAnalysis } from "../facts.ts";
import type { Emitter, State } from "../explode/emitter.ts";

/** Decides local or field for each binding from the states that use it. */
export function assignStorage(analysis: FunctionAnalysis, facts: FactsStore, states: State[], unreached: ReadonlySet<t.Node>): void {
  const singleState = states.length === 1;
  // (the states that use a binding decide only a `let`/`const` of a function of several states: where it has
  // none, its states are not walked for them)
  if (!singleState && analysis.bindings.some((info) => info.storage !== "boxed" && isLexical(info) && !info.alwaysField)) {
    for (const state of states) for (const statement of state.body) noteUses(statement, facts, state.index);
  }
  for (const info of analysis.bindings) {
    if (info.storage === "boxed") continue;
    // A named function expression's own name arrives from the wrapper, like a parameter.
    info.storage = info.kind === "param" || info.kind === "local" || info.alwaysField ? "field" : singleState || (isLexical(info) && info.states.size <= 1) ? "local" : "field";
  }
  for (const info of analysis.bindings) {
    if (info.storage !== "local") continue;
    // A renamed local's own TDZ error would name it `n_1`, and a renamed function or class declaration
    // would be called `g_1`: as fields, the check names `n` and the declaration keeps `g`.
    if ((info.uninitialized || info.namesItsValue) && info.name !== info.sourceName) info.storage = "field";
    // Declared only in code that never runs: no state declares the local, but a field is always there
    // (`undefined` for a `var`; a `let` read before it is checked, analyze/tdz.ts, and throws).
    else if (unreached.has(info.node)) info.storage = "field";
  }
  for (const info of analysis.bindings) {
    if (info.storage === "local" && info.group.some((member) => member.storage !== "local")) info.storage = "field";
  }
}

function isLexical(info: BindingInfo): boolean {
  return info.kind === "let" || info.kind === "const";
}

/**
 * Adds the state to the states of every binding named in `node` (walkAll's walk, without a closure per
 * state, and looking up only identifiers, the only nodes the analysis tags with a binding).
 */
function noteUses(node: t.Node, facts: FactsStore, state: number): void {
  if (node.type === "Identifier" || node.type === "JSXIdentifier") {
    const info = facts.binding(node);
    if (info) info.states.add(state);
  }
  const keys = t.VISITOR_KEYS[node.type];
  if (keys === undefined) return;
  for (const key of keys) {
    const child = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(child)) {
      for (const item of child) if (item && typeof item === "object") noteUses(item as t.Node, facts, state);
    } else if (child && typeof child === "object") {
      noteUses(child as t.Node, facts, state);
    }
  }
}

/** One place a temp is named in a state's code (`this.$N`), and where it sits. */
interface TempMention {
  node: t.MemberExpression | t.JSXMemberExpression;
  /** The node holding it, under `key` (at `index` in a list): where a local's name replaces it. */
  parent: t.Node;
  key: string;
  index: number | null;
  /** Which top-level statement of the state holds it. */
  statement: number;
  /**
   * Inside a `with` statement (a plain name there would be looked up on the object first), or a JSX
   * element's name (`<this.$0>`, where a plain name could read as a tag): it stays a field.
   */
  fieldOnly: boolean;
}

/**
 * Where each temp lives. A temp whose value never crosses a suspension (set by a statement of one state
 * and read only later in that state) becomes a `const` of the state named after its slot (`const $1 = ...`),
 * or, when all it holds is the value the state resumed with, `sent` itself. Every other temp is the field
 * of its slot (`this.$1`): slots are reused from statement to statement (explode/emitter.ts), so the
 * machine declares only as many fields as were ever needed at once. `nameTaken`: a name the file uses.
 */
export function placeTemps(em: Emitter, nameTaken: (name: string) => boolean, temps: TempMentions): void {
  const mentions = temps.byTemp;
  const fields = new Set<number>();
  const declared = new Map<State, Set<string>>();
  const dropped = new Set<t.Statement>();
  for (const [id, byState] of mentions) {
    const name = `$${em.tempSlots[id]}`;
    const only = byState.length === 1 ? byState[0] : null;
    const local = only ? localTemp(only.state, only.list, em.sentName) : null;
    if (only && local) {
      let names = declared.get(only.state);
      if (!names) declared.set(only.state, (names = new Set()));
      const write = only.state.body[local.write.statement];
      const value = (local.write.parent as t.AssignmentExpression).right;
      if (local.sent) {
        dropped.add(write);
        for (const mention of only.list) if (mention !== local.write) replace(mention, t.identifier(em.sentName));
        continue;
      }
      if (!nameTaken(name) && !names.has(name)) {
        names.add(name);
        only.state.body[local.write.statement] = t.inherits(t.variableDeclaration("const", [t.variableDeclarator(t.identifier(name), value)]), write);
        for (const mention of only.list) if (mention !== local.write) replace(mention, t.identifier(name));
        continue;
      }
    }
    fields.add(em.tempSlots[id]);
    for (const { list } of byState) for (const mention of list) (mention.node.property as t.Identifier).name = name;
  }
  if (dropped.size > 0) for (const state of em.states) state.body = state.body.filter((statement) => !dropped.has(statement));
  em.tempFields = [...fields].sort((a, b) => a - b).map((slot) => `$${slot}`);
}

/** N of a temp's name `$N`, or -1 (what /^\$(\d+)$/ reads, without a match array for every field read). */
function tempNumber(name: string): number {
  if (name.length < 2 || name.charCodeAt(0) !== 36 /* $ */) return -1;
  for (let i = 1; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code < 48 || code > 57) return -1;
  }
  return Number(name.slice(1));
}

/**
 * Whether a temp named only in this state can be a local of it: set once, by an assignment that is a
 * statement of its own, read only by later statements and never inside `with`. `sent`: it holds `sent`.
 */
function localTemp(state: State, list: TempMention[], sentName: string): { write: TempMention; sent: boolean } | null {
  const writes = list.filter((mention) => mention.key === "left" && mention.parent.type === "AssignmentExpression");
  if (writes.length !== 1) return null;
  const write = writes[0];
  const assignment = write.parent as t.AssignmentExpression;
  const statement = state.body[write.statement];
  if (!t.isExpressionStatement(statement) || statement.expression !== assignment || assignment.operator !== "=") return null;
  if (list.some((mention) => mention.fieldOnly || (mention !== write && mention.statement <= write.statement))) return null;
  return { write, sent: t.isIdentifier(assignment.right, { name: sentName }) };
}

function replace(mention: TempMention, value: t.Expression): void {
  const holder = (mention.parent as unknown as Record<string, unknown>)[mention.key];
  if (mention.index !== null) (holder as t.Node[])[mention.index] = value;
  else (mention.parent as unknown as Record<string, unknown>)[mention.key] = value;
}

/**
 * Every `this.$N` of the transform in the states (N below the number of temps taken), by temp, then by state,
 * in the order of a walk of the states: found by the report's walk of them (report/metadata.ts
 * `walkStates`, one walk for both), which calls `enter` at each node it looks into for temps. Functions
 * other than arrows and class members are not looked into: their `this` is not the machine, and temps
 * are never read inside them (only the decorators and computed keys, evaluated outside, are).
 */
export class TempMentions {
  readonly byTemp = new Map<number, { state: State; list: TempMention[] }[]>();
  /** The state and the top-level statement of it being walked (set by the walk). */
  state: State | null = null;
  statement = 0;

  constructor(private readonly count: number) {}

  /**
   * Looks at `node` (held by `parent` under `key`, at `index` in a list; `temps`: how its parent's children
   * are looked into, not TEMPS_OFF): records it if it is a temp. Returns how to look into its own children.
   */
  enter(node: t.Node, parent: t.Node | t.Statement[], key: string, index: number | null, temps: number): number {
    // (the transform's own: the source's `this.$1` has a position, and its `this` is `this.thisArg` by now)
    if (node.type === "MemberExpression") {
      if (!node.computed && node.object.type === "ThisExpression" && node.property.type === "Identifier" && !node.property.loc) {
        const id = tempNumber(node.property.name);
        if (id >= 0 && id < this.count) {
          this.found(id, { node, parent: parent as t.Node, key, index, statement: this.statement, fieldOnly: (temps & TEMPS_IN_WITH) !== 0 });
          return TEMPS_OFF;
        }
      }
      return temps;
    }
    if (node.type === "JSXMemberExpression" && node.object.type === "JSXIdentifier" && node.object.name === "this" && !node.property.loc) {
      const id = tempNumber(node.property.name);
      if (id >= 0 && id < this.count) {
        this.found(id, { node, parent: parent as t.Node, key, index, statement: this.statement, fieldOnly: true });
        return TEMPS_OFF;
      }
    }
    switch (node.type) {
      case "FunctionExpression":
      case "FunctionDeclaration":
        return TEMPS_OFF;
      case "ObjectMethod":
      case "ClassMethod":
      case "ClassPrivateMethod":
      case "ClassProperty":
      case "ClassPrivateProperty":
      case "ClassAccessorProperty":
      case "StaticBlock":
        return ("computed" in node && node.computed) || ("decorators" in node && node.decorators?.length) ? temps | TEMPS_WHERE_DEFINED : TEMPS_OFF;
      case "WithStatement":
        return temps | TEMPS_IN_WITH;
      default:
        return temps;
    }
  }

  private found(id: number, mention: TempMention): void {
    const state = this.state!;
    let byState = this.byTemp.get(id);
    if (!byState) this.byTemp.set(id, (byState = []));
    // (states are walked in order: a temp's entry for this state, if any, is its last)
    let entry = byState.at(-1);
    if (entry?.state !== state) byState.push((entry = { state, list: [] }));
    entry.list.push(mention);
  }
}

/** How a walk looks into a node's children for temps (TempMentions.enter): flags, or TEMPS_OFF (not at all). */
export const TEMPS_OFF = 0;
export const TEMPS_ON = 1;
/** Inside a `with` statement: a temp there stays a field. */
const TEMPS_IN_WITH = 2;
/**
 * A class member's children: only what is evaluated where it is defined, its decorators and computed key,
 * is looked into, with the other flags.
 */
export const TEMPS_WHERE_DEFINED = 4;
