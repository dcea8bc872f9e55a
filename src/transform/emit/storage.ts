// Where each local lives, decided once the body is exploded: a binding used by a single state stays a local
// `let`/`const` of that state's `case`; one that crosses a cut becomes a field of the machine. The same for
// the transform's own temps (`placeTemps`), once the states are rewritten.
import * as t from "../types.ts";
import type { BindingInfo, FactsStore, FunctionAnalysis } from "../facts.ts";
import type { Emitter, State } from "../explode/emitter.ts";
import { StateGraph, type ExitKind, type LocalUse } from "./liveness.ts";

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

/** One place a field is named in a state's code (`this.$N`, `this.value`), and where it sits. */
interface FieldMention {
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
 * A local's mention (report/metadata.ts's walk finds it): the field read or written, or the callee `(0,
 * this.f)` around it; in its state; what it does there.
 */
interface LocalMention extends Omit<FieldMention, "node" | "fieldOnly"> {
  node: t.MemberExpression | t.SequenceExpression;
  /** The field's own node: where the name goes in the source. */
  place: t.MemberExpression;
  state: State;
  access: LocalUse["access"];
}

/**
 * Where each temp lives. A temp whose value never crosses a suspension (set by a statement of one state
 * and read only later in that state) becomes a `const` of the state named after its slot (`const $1 = ...`),
 * or, when all it holds is the value the state resumed with, `sent` itself. Every other temp is the field
 * of its slot (`this.$1`): slots are reused from statement to statement (explode/emitter.ts), so the
 * machine declares only as many fields as were ever needed at once. `nameTaken`: a name the file uses.
 */
export function placeTemps(em: Emitter, nameTaken: (name: string) => boolean, temps: FieldMentions): void {
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
function localTemp(state: State, list: FieldMention[], sentName: string): { write: FieldMention; sent: boolean } | null {
  const writes = list.filter((mention) => mention.key === "left" && mention.parent.type === "AssignmentExpression");
  if (writes.length !== 1) return null;
  const write = writes[0];
  const assignment = write.parent as t.AssignmentExpression;
  const statement = state.body[write.statement];
  if (!t.isExpressionStatement(statement) || statement.expression !== assignment || assignment.operator !== "=") return null;
  if (list.some((mention) => mention.fieldOnly || (mention !== write && mention.statement <= write.statement))) return null;
  return { write, sent: t.isIdentifier(assignment.right, { name: sentName }) };
}

function replace(mention: Pick<FieldMention, "parent" | "key" | "index">, value: t.Expression): void {
  const holder = (mention.parent as unknown as Record<string, unknown>)[mention.key];
  if (mention.index !== null) (holder as t.Node[])[mention.index] = value;
  else (mention.parent as unknown as Record<string, unknown>)[mention.key] = value;
}

/** A local that may leave its field, with its mentions so far (null: struck off, it keeps its field). */
interface LocalCandidate {
  info: BindingInfo;
  mentions: LocalMention[] | null;
}

/** Names a local of class code (strict) cannot take, or that generated code reads as the global. */
const NOT_LOCAL_NAMES = new Set(["arguments", "eval", "undefined", "implements", "interface", "let", "package", "private", "protected", "public", "static", "yield", "await"]);

/**
 * The fields of locals that could be locals of `resume` instead (placeResumeLocals), by field name: a
 * `let`, `const` or `var` of several states, or a parameter the first state binds (from a list other than
 * plain names, which the constructor receives), that no closure reads (nor other code of a scope of its own,
 * through the machine's alias), whose field bears its own name, which no name the function refers to outside
 * it takes; none checked for its temporal dead zone (an
 * uninitialized local's marker lives in the field), none a `const` assigned again (which throws through the
 * field), none a function or class declaration or an Annex B binding. Null: none, or a function of one state.
 */
export function resumeLocalCandidates(analysis: FunctionAnalysis, paramsBoundInResume: boolean, readThroughAlias: ReadonlySet<BindingInfo>, states: readonly State[]): Map<string, LocalCandidate> | null {
  if (states.length < 2) return null;
  let candidates: Map<string, LocalCandidate> | null = null;
  for (const info of analysis.bindings) {
    if (info.storage !== "field" || !(info.kind === "let" || info.kind === "const" || info.kind === "var" || (info.kind === "param" && paramsBoundInResume))) continue;
    if (info.captured || readThroughAlias.has(info) || info.alwaysField || info.uninitialized || info.namesItsValue || info.box !== null || info === analysis.argumentsVar) continue;
    if (info.field !== info.name || info.name !== info.sourceName || (info.kind === "const" && !info.constant)) continue;
    if (analysis.references.has(info.name) || NOT_LOCAL_NAMES.has(info.name)) continue;
    (candidates ??= new Map()).set(info.field, { info, mentions: [] });
  }
  return candidates;
}

/**
 * The locals whose values never live across a return from `resume` become its own `let`s (`value` for
 * `this.value`): the runtime enters `resume` anew where a suspension resumes, at a catch or finally block,
 * where a jump through a finally block goes on after it, and at the start; a local that none of those
 * states reads before assigning it (emit/liveness.ts) holds nothing a later run of `resume` needs. Sets
 * their storage to "resume" (the class declares them, emit/machine-class.ts) and writes their names in place
 * of the fields.
 */
export function placeResumeLocals(em: Emitter, fields: FieldMentions): void {
  const locals = fields.locals;
  if (locals === null) return;
  let graph: StateGraph | null = null;
  for (const local of locals.values()) {
    const mentions = local.mentions;
    if (mentions === null || mentions.length === 0) continue;
    if (graph === null) {
      graph = new StateGraph(em.states, em.tryTable());
      for (const exit of fields.exits) graph.addExit(exit.from, exit.to, exit.kind, exit.statement);
    }
    const uses = mentions.map((mention) => ({ position: graph!.positionOf(mention.state), statement: mention.statement, access: mention.access }));
    if (graph.liveWhereEntered(uses)) continue;
    const { info } = local;
    info.storage = "resume";
    for (const mention of mentions) {
      const name = t.identifier(info.name);
      // (the name keeps the field's place in the source: metadata quotes it, source maps point at it)
      name.start = mention.place.start;
      name.end = mention.place.end;
      name.loc = mention.place.loc;
      replace(mention, name);
    }
  }
}

/**
 * Every `this.$N` of the transform in the states (N below the number of temps taken), by temp, then by state,
 * in the order of a walk of the states, and every mention of the fields of `locals` (`this.value`) with the
 * states' exits, for placeResumeLocals: found by the report's walk of them (report/metadata.ts `walkStates`,
 * one walk for all), which calls `enter` at each node it looks into for fields and `exit` at each edge it
 * reads. Functions other than arrows and class members are not looked into: their `this` is not the
 * machine, and fields are never read inside them (only the decorators and computed keys, evaluated outside,
 * are; a local a closure reads is no candidate).
 */
export class FieldMentions {
  readonly byTemp = new Map<number, { state: State; list: FieldMention[] }[]>();
  /** The state and the top-level statement of it being walked (set by the walk). */
  state: State | null = null;
  statement = 0;
  /** The states' edges within one run of `resume` (`next`: a state written, `finally`: a jump), and `resume` ones. */
  readonly exits: { from: State; to: number; kind: ExitKind; statement: number }[] = [];

  /**
   * @param count the number of temps taken
   * @param locals the locals that may leave their fields (resumeLocalCandidates), by field name: each gets
   * its mentions, or is struck off (`mentions` null) where a name of its own could not stand in for one
   */
  constructor(
    private readonly count: number,
    readonly locals: Map<string, LocalCandidate> | null,
  ) {}

  /**
   * Looks at `node` (held by `parent` under `key`, at `index` in a list; `fields`: how its parent's children
   * are looked into, not FIELDS_OFF): records it if it is a field's mention. Returns how to look into its
   * own children.
   */
  enter(node: t.Node, parent: t.Node | t.Statement[], key: string, index: number | null, fields: number): number {
    if (node.type === "MemberExpression") {
      const name = ownField(node);
      if (name === null) return fields;
      const id = tempNumber(name);
      if (id >= 0 && id < this.count) {
        this.found(id, { node, parent: parent as t.Node, key, index, statement: this.statement, fieldOnly: (fields & FIELDS_IN_WITH) !== 0 });
        return FIELDS_OFF;
      }
      return this.local(name, node, node, parent, key, index, fields) ? FIELDS_OFF : fields;
    }
    if (node.type === "SequenceExpression" && this.locals !== null) {
      // A local called as a function, `(0, this.f)(...)`: the plain name takes the whole callee (the engine
      // words an error of `(0, f)()` so, not as `f()`'s).
      const [zero, member] = node.expressions;
      const name = node.expressions.length === 2 && zero.type === "NumericLiteral" && member.type === "MemberExpression" ? ownField(member) : null;
      return name !== null && this.local(name, node, member as t.MemberExpression, parent, key, index, fields) ? FIELDS_OFF : fields;
    }
    if (node.type === "Identifier") {
      // A name of the code that a local's own would shadow: that local keeps its field.
      if (this.locals !== null && !isPropertyName(node, parent, key)) {
        const local = this.locals.get(node.name);
        if (local !== undefined) local.mentions = null;
      }
      return fields;
    }
    if (node.type === "JSXMemberExpression" && node.object.type === "JSXIdentifier" && node.object.name === "this" && !node.property.loc) {
      const id = tempNumber(node.property.name);
      if (id >= 0 && id < this.count) {
        this.found(id, { node, parent: parent as t.Node, key, index, statement: this.statement, fieldOnly: true });
        return FIELDS_OFF;
      }
      const local = this.locals?.get(node.property.name);
      if (local !== undefined) local.mentions = null;
    }
    switch (node.type) {
      case "FunctionExpression":
      case "FunctionDeclaration":
        return FIELDS_OFF;
      case "ObjectMethod":
      case "ClassMethod":
      case "ClassPrivateMethod":
      case "ClassProperty":
      case "ClassPrivateProperty":
      case "ClassAccessorProperty":
      case "StaticBlock":
        return ("computed" in node && node.computed) || ("decorators" in node && node.decorators?.length) ? fields | FIELDS_WHERE_DEFINED : FIELDS_OFF;
      case "WithStatement":
        return fields | FIELDS_IN_WITH;
      default:
        return fields;
    }
  }

  /**
   * Records `node` as a mention of the local whose field is `name` (`place`: the field's own node), if it is
   * one still in the running; struck off inside `with`. Whether it was one.
   */
  private local(name: string, node: t.MemberExpression | t.SequenceExpression, place: t.MemberExpression, parent: t.Node | t.Statement[], key: string, index: number | null, fields: number): boolean {
    const local = this.locals?.get(name);
    if (local === undefined || local.mentions === null) return false;
    if ((fields & FIELDS_IN_WITH) !== 0) local.mentions = null;
    else local.mentions.push({ node, place, parent: parent as t.Node, key, index, statement: this.statement, state: this.state!, access: node === place ? this.access(place, parent, key) : "reads" });
    return true;
  }

  /**
   * What the field's mention does: `assigns`, the target of its top-level statement (`this.x = value;`),
   * `writes`, the target of an `=` inside it (`if (c) this.x = 1;`, on some paths only), or `reads`.
   */
  private access(node: t.MemberExpression, parent: t.Node | t.Statement[], key: string): LocalUse["access"] {
    if (key !== "left" || Array.isArray(parent) || parent.type !== "AssignmentExpression" || parent.operator !== "=" || parent.left !== node) return "reads";
    const statement = this.state!.body[this.statement];
    return statement.type === "ExpressionStatement" && statement.expression === parent ? "assigns" : "writes";
  }

  /** An edge the walk read, from the state being walked (report/metadata.ts `Edge`). */
  exit(to: number, kind: "next" | "resume" | "finally" | "catch" | "cleanup"): void {
    if (this.locals !== null && (kind === "next" || kind === "finally" || kind === "resume")) this.exits.push({ from: this.state!, to, kind, statement: this.statement });
  }

  private found(id: number, mention: FieldMention): void {
    const state = this.state!;
    let byState = this.byTemp.get(id);
    if (!byState) this.byTemp.set(id, (byState = []));
    // (states are walked in order: a temp's entry for this state, if any, is its last)
    let entry = byState.at(-1);
    if (entry?.state !== state) byState.push((entry = { state, list: [] }));
    entry.list.push(mention);
  }
}

/** The name of `this.<name>`, a field of the transform's own (the source's `this` is `this.thisArg` by now, and its names have a place), else null. */
function ownField(node: t.MemberExpression): string | null {
  return !node.computed && node.object.type === "ThisExpression" && node.property.type === "Identifier" && !node.property.loc ? node.property.name : null;
}

/** Whether an identifier names a property (`o.name`, `{ name: v }`, a class member's key), no binding. */
function isPropertyName(node: t.Identifier, parent: t.Node | t.Statement[], key: string): boolean {
  if (Array.isArray(parent)) return false;
  switch (parent.type) {
    case "MemberExpression":
    case "OptionalMemberExpression":
      return key === "property" && !parent.computed;
    case "ObjectProperty":
      // (a shorthand `{ value }` reads the name)
      return key === "key" && !parent.computed && !parent.shorthand;
    case "ObjectMethod":
    case "ClassMethod":
    case "ClassProperty":
    case "ClassAccessorProperty":
      return key === "key" && !parent.computed;
    default:
      return false;
  }
}

/** How a walk looks into a node's children for fields (FieldMentions.enter): flags, or FIELDS_OFF (not at all). */
export const FIELDS_OFF = 0;
export const FIELDS_ON = 1;
/** Inside a `with` statement: a temp there stays a field, and a local keeps its field. */
const FIELDS_IN_WITH = 2;
/**
 * A class member's children: only what is evaluated where it is defined, its decorators and computed key,
 * is looked into, with the other flags.
 */
export const FIELDS_WHERE_DEFINED = 4;
