// What the transform reports about each machine: the product `inspect` and other tools build on.
// Everything here is read off the generated states, so it always describes the code that runs.
import * as t from "../types.ts";
import { unsupported } from "../errors.ts";
import { COMPLETION_THROW, FINISHED, HANDLER_CATCH, findHandler, handlerKind } from "../../runtime/index.js";
import { fallsThrough, type Emitter, type State, type TryEntry } from "../explode/emitter.ts";
import { anyQuoteSite, hasOwnThis, quoteSite } from "../emit/source-words.ts";
import { FIELDS_WHERE_DEFINED, FIELDS_OFF, FIELDS_ON, type FieldMentions } from "../emit/storage.ts";

export type { TryEntry } from "../explode/emitter.ts";

export interface Edge {
  to: number;
  /**
   * `next`: falls through or jumps; `resume`: continues after the suspension ends; `finally`: a jump or
   * return that runs finally blocks first (the runtime routes it); `catch`/`cleanup`: where an exception
   * raised in the state goes (a catch state, or a finally state).
   */
  kind: "next" | "resume" | "finally" | "catch" | "cleanup";
}

export interface StateInfo {
  index: number;
  /** Source line of the first statement of the state, if it has one. */
  line: number | null;
  /** How the state ends when it suspends: what it awaits or yields (source text of the operand). */
  suspends: { kind: "await" | "yield" | "yield*"; operand: string } | null;
  /** The state can end the function (`return`, or the end of the body). */
  returns: boolean;
  edges: Edge[];
  /** The source its code comes from: first to last position (line 1-based, column 0-based), if any. */
  span: { start: Position; end: Position } | null;
}

export interface Position {
  line: number;
  column: number;
}

export interface MachineInfo {
  /** The function's name as the program knows it ("anonymous" where it has none). */
  name: string;
  /** The function is known by no name: V8 writes its stack frames without one. */
  nameless?: true;
  kind: "async" | "generator" | "async-generator";
  className: string;
  line: number;
  states: StateInfo[];
  /** [try start, catch, finally, end] per try region (-1 where a part is missing). */
  tries: TryEntry[];
}

/**
 * What the report reads off the states, the expressions V8 may quote (which tell whether an error a step
 * throws could quote the machine's spelling of something, emit/source-words.ts `machineWordsTest`, which
 * renamed locals it may quote, `renamedInQuotes`, and how the class rewords them, `rootedQuotes`), and
 * the fields' mentions and the states' exits that placeTemps and placeResumeLocals need (emit/storage.ts):
 * one walk of the states for all of them, once they are rewritten (what the class and the wrapper add later
 * is outside the states, or without a position or an edge). Those two then turn some fields into locals
 * (`this.$1` becomes `$1`, or `sent`; `this.value`, `value`), which changes no position or edge, and which
 * nodes hold a quote neither: what it can change is read afterwards, from the nodes the walk found
 * (`readStates`): the operands of the suspensions and the expressions V8 may quote, read again from the
 * nodes that hold them. `fields`: null where no temp was taken and no local could leave its field.
 */
export function walkStates(em: Emitter, fields: FieldMentions | null): StatesWalk {
  const helpers = { closeAsyncIterator: em.helpers.get("closeAsyncIterator"), delegate: em.helpers.get("delegate") ?? em.helpers.get("delegateAsync"), started: em.helpers.get("started") };
  const walker = new StatesWalker(helpers, fields);
  for (const state of em.states) {
    walker.startState(state);
    for (let index = 0; index < state.body.length; index++) {
      if (fields !== null) fields.statement = index;
      walker.walk(state.body[index], state.body, "body", index, true, fields !== null ? FIELDS_ON : FIELDS_OFF);
    }
  }
  walker.finish();
  return walker;
}

/**
 * The report's reading of the states, once placeTemps is done, from their walk (`walkStates`): `operand`
 * gives the text of what a state suspends on (see describeStates), `quotes` is the test of quoted
 * expressions (null: not asked).
 */
export function readStates(em: Emitter, walk: StatesWalk, operand: (node: t.Node) => string, quotes: ((expression: t.Node) => boolean) | null): { states: StateInfo[]; tries: TryEntry[]; quotes: boolean } {
  const tries = em.tryTable();
  let quoted = false;
  if (quotes !== null) {
    for (const holder of walk.quoteHolders) {
      if (quotes(quoteSite(holder)!)) {
        quoted = true;
        break;
      }
    }
  }
  return { states: describeStates(em.states, tries, walk, operand), tries, quotes: quoted };
}

/** The machine as the report gives it, from what readStates read. */
export function describeMachine(head: Pick<MachineInfo, "name" | "kind" | "className" | "line"> & { nameless: boolean }, read: { states: StateInfo[]; tries: TryEntry[] }): MachineInfo {
  return { name: head.name, ...(head.nameless && { nameless: true }), kind: head.kind, className: head.className, line: head.line, states: read.states, tries: read.tries };
}

const SUSPENDS: Record<string, "await" | "yield"> = { await: "await", yield: "yield" };

/**
 * The states' exits and edges, read from their generated code by the walk. `operand` gives the text of
 * what a state suspends on (for operands the transform made up, the source they stand for: a for-await
 * loop awaits `next() of <iterable>` at each step and `return() of <iterable>` when it is left early).
 */
function describeStates(states: State[], tries: TryEntry[], walk: StatesWalk, operand: (node: t.Node) => string): StateInfo[] {
  const infos: StateInfo[] = [];
  const handlers = tries.length > 8 ? throwHandlers(tries, states) : null;
  for (let position = 0; position < states.length; position++) {
    const state = states[position];
    const edges = walk.edges[position];
    if (fallsThrough(state.body) && position + 1 < states.length) addEdge(edges, states[position + 1].index, "next");
    // Exceptions go where the runtime routes them (the tries table's rule, src/runtime/machine.js).
    const handler = handlers !== null ? handlers.get(state.index)! : findHandler(tries, state.index, COMPLETION_THROW, FINISHED);
    if (handler >= 0) {
      const kind = handlerKind(tries[handler], state.index, COMPLETION_THROW);
      addEdge(edges, kind === HANDLER_CATCH ? tries[handler][1] : tries[handler][2], kind);
    }
    const call = walk.suspendCalls[position];
    let suspends: StateInfo["suspends"] = null;
    if (call !== null) {
      const argument = walk.suspendArguments[position];
      suspends = { kind: walk.suspendKinds[position]!, operand: operand(argument < 0 ? call : call.arguments[argument]) };
    }
    infos.push({ index: state.index, line: state.line, suspends, returns: walk.returns[position], edges, span: walk.spans[position] });
  }
  return infos;
}

/**
 * findHandler's answer for a throw from each state (by its index), for a long tries table: the runtime's rule
 * applied to the entries whose region holds the state, found by a sweep over the states in order, rather
 * than to the whole table once per state (a function of many try statements was quadratic).
 */
function throwHandlers(tries: readonly TryEntry[], states: readonly State[]): Map<number, number> {
  const handlers = new Map<number, number>();
  const byStart = tries.map((_, i) => i).sort((a, b) => tries[a][0] - tries[b][0] || a - b);
  let next = 0;
  // (the entries whose region holds the state, in the table's order)
  let open: number[] = [];
  for (const index of states.map((state) => state.index).sort((a, b) => a - b)) {
    let added = false;
    while (next < byStart.length && tries[byStart[next]][0] <= index) {
      open.push(byStart[next++]);
      added = true;
    }
    if (added) open.sort((a, b) => a - b);
    open = open.filter((i) => index < tries[i][3]);
    const found = findHandler(open.map((i) => tries[i]), index, COMPLETION_THROW, FINISHED);
    handlers.set(index, found < 0 ? -1 : open[found]);
  }
  return handlers;
}

function addEdge(edges: Edge[], to: number, kind: Edge["kind"]): void {
  if (to < 0) return;
  for (const edge of edges) if (edge.to === to && edge.kind === kind) return;
  edges.push({ to, kind });
}

/** What the walk of the states read, by state (in the order of the states). */
export interface StatesWalk {
  readonly edges: Edge[][];
  readonly returns: boolean[];
  readonly spans: StateInfo["span"][];
  /** The call a state suspends at (its last), the suspension's kind, and which argument is its operand (-1: the call). */
  readonly suspendCalls: (t.CallExpression | null)[];
  readonly suspendKinds: (NonNullable<StateInfo["suspends"]>["kind"] | null)[];
  readonly suspendArguments: number[];
  /** The nodes whose expression V8 may quote (quoteSite), outside functions with a `this` of their own. */
  readonly quoteHolders: t.Node[];
  /** The nodes whose expression V8 may quote (anyQuoteSite), anywhere: what emit/source-words.ts `rootedQuotes` reads. */
  readonly anyQuoteHolders: t.Node[];
}

/**
 * The walk of the states: every node of the output once, in traverseFast's order (a method of one object
 * rather than traverseFast with a closure: this walk reads every node of every state).
 */
class StatesWalker implements StatesWalk {
  readonly edges: Edge[][] = [];
  readonly returns: boolean[] = [];
  readonly spans: StateInfo["span"][] = [];
  readonly suspendCalls: (t.CallExpression | null)[] = [];
  readonly suspendKinds: (NonNullable<StateInfo["suspends"]>["kind"] | null)[] = [];
  readonly suspendArguments: number[] = [];
  readonly quoteHolders: t.Node[] = [];
  readonly anyQuoteHolders: t.Node[] = [];
  /** The state being walked: its position, and its edges and span so far. */
  private position = -1;
  private stateEdges: Edge[] = [];
  private span: StateInfo["span"] = null;
  private readonly closeAsyncIterator: string | undefined;
  private readonly delegate: string | undefined;
  private readonly started: string | undefined;

  constructor(
    helpers: { closeAsyncIterator?: string; delegate?: string; started?: string },
    private readonly fields: FieldMentions | null,
  ) {
    this.closeAsyncIterator = helpers.closeAsyncIterator;
    this.delegate = helpers.delegate;
    this.started = helpers.started;
  }

  startState(state: State): void {
    this.finish();
    this.position++;
    this.stateEdges = [];
    this.span = null;
    this.edges.push(this.stateEdges);
    this.returns.push(false);
    this.spans.push(null);
    this.suspendCalls.push(null);
    this.suspendKinds.push(null);
    this.suspendArguments.push(-1);
    if (this.fields !== null) this.fields.state = state;
  }

  /** The state being walked is done. */
  finish(): void {
    if (this.position >= 0) this.spans[this.position] = this.span;
  }

  private add(to: number, kind: Edge["kind"]): void {
    addEdge(this.stateEdges, to, kind);
    if (this.fields !== null) this.fields.exit(to, kind);
  }

  private suspend(call: t.CallExpression, kind: NonNullable<StateInfo["suspends"]>["kind"], argument: number): void {
    this.suspendCalls[this.position] = call;
    this.suspendKinds[this.position] = kind;
    this.suspendArguments[this.position] = argument;
  }

  /**
   * `node` and everything under it (as traverseFast: a node of a type without visitor keys is not visited);
   * `quoting`: its quoted expressions are still to be looked for (machineWordsTest's sites: not inside
   * functions and classes with a `this` of their own); `fields`: how it is looked into for the mentions of
   * fields (emit/storage.ts `FieldMentions.enter`), held by `parent` under `key` (at `index` in a list).
   */
  walk(node: t.Node, parent: t.Node | t.Statement[], key: string, index: number | null, quoting: boolean, fields: number, own = true): void {
    const keys = t.VISITOR_KEYS[node.type];
    if (keys === undefined) return;
    // `own`: the node runs in the machine's step, not in a function of its own (whose body, a field's value
    // or a static block runs later). A suspension left there is one the explosion did not reach: refused,
    // rather than written into `resume`, which is no async function or generator.
    let childrenOwn = own;
    if (own) {
      const type = node.type;
      if (type === "AwaitExpression" || type === "YieldExpression" || (type === "ForOfStatement" && node.await)) {
        unsupported(`\`${type === "YieldExpression" ? "yield" : "await"}\` inside ${Array.isArray(parent) ? "a statement list" : parent.type}`, node);
      }
      childrenOwn = !OWN_SCOPE.has(type);
    }
    if (fields !== FIELDS_OFF) fields = this.fields!.enter(node, parent, key, index, fields);
    this.visit(node);
    if (quoting && hasOwnThis(node)) quoting = false;
    // (a quoteSite is an anyQuoteSite)
    if (anyQuoteSite(node) !== null) {
      this.anyQuoteHolders.push(node);
      if (quoting && quoteSite(node) !== null) this.quoteHolders.push(node);
    }
    const whereDefined = (fields & FIELDS_WHERE_DEFINED) !== 0;
    for (let k = 0; k < keys.length; k++) {
      const childKey = keys[k];
      const child = (node as unknown as Record<string, unknown>)[childKey];
      if (!child) continue;
      const childFields = whereDefined ? (childKey === "key" || childKey === "decorators" ? fields & ~FIELDS_WHERE_DEFINED : FIELDS_OFF) : fields;
      // (a member's decorators and computed key run where it is defined)
      const childOwn = childrenOwn || (own && (childKey === "key" || childKey === "decorators"));
      if (Array.isArray(child)) {
        for (let i = 0; i < child.length; i++) {
          const item = child[i] as t.Node | null;
          if (item) this.walk(item, node, childKey, i, quoting, childFields, childOwn);
        }
      } else {
        this.walk(child as t.Node, node, childKey, null, quoting, childFields, childOwn);
      }
    }
  }

  private visit(node: t.Node): void {
    if (node.loc) this.span = widen(this.span, node.loc);
    // (types compared directly: this reads every node of the output)
    if (node.type === "AssignmentExpression") {
      const { left, right } = node;
      if (left.type === "MemberExpression" && left.object.type === "ThisExpression" && left.property.type === "Identifier" && left.property.name === "state" && right.type === "NumericLiteral") {
        this.add(right.value, "next");
      }
      return;
    }
    if (node.type !== "CallExpression") return;
    const { callee, arguments: args } = node;
    if (callee.type === "Identifier") {
      if (this.closeAsyncIterator !== undefined && callee.name === this.closeAsyncIterator && args[3]?.type === "NumericLiteral") {
        // `closeAsyncIterator(this, entry, record, next)` awaits the iterator's return() (unless the loop finished by itself).
        this.suspend(node, "await", -1);
        this.add(args[3].value, "resume");
      }
      if (this.started !== undefined && callee.name === this.started && args[1]?.type === "NumericLiteral") {
        // `started(this, next)`: the end of a parameter binding at the call
        this.add(args[1].value, "resume");
      }
      if (this.delegate !== undefined && callee.name === this.delegate && args[2]?.type === "NumericLiteral") {
        // `delegate(this, iterable, next)`: yield*
        this.suspend(node, "yield*", 1);
        this.add(args[2].value, "resume");
      }
      return;
    }
    if (callee.type === "MemberExpression" && callee.object.type === "ThisExpression" && callee.property.type === "Identifier") {
      const method = callee.property.name;
      const target = args[1] ?? args[0];
      if (method in SUSPENDS && args[1]?.type === "NumericLiteral") {
        this.suspend(node, SUSPENDS[method], 0);
        this.add(args[1].value, "resume");
      } else if (method === "jump" && target?.type === "NumericLiteral") {
        this.add(target.value, "finally");
      } else if (method === "return") {
        this.returns[this.position] = true;
      }
    }
  }
}

/** The nodes whose children (but a member's decorators and computed key) run in a scope of their own, later. */
const OWN_SCOPE = new Set(["FunctionExpression", "FunctionDeclaration", "ArrowFunctionExpression", "ObjectMethod", "ClassMethod", "ClassPrivateMethod", "ClassProperty", "ClassPrivateProperty", "ClassAccessorProperty", "StaticBlock"]);

/** The span widened to take in `loc` (in place: a span is made once per state, not per node). */
function widen(span: StateInfo["span"], loc: t.SourceLocation): NonNullable<StateInfo["span"]> {
  if (!span) return { start: { line: loc.start.line, column: loc.start.column }, end: { line: loc.end.line, column: loc.end.column } };
  // (the positions too: they are the span's own)
  if (before(loc.start, span.start)) {
    span.start.line = loc.start.line;
    span.start.column = loc.start.column;
  }
  if (before(span.end, loc.end)) {
    span.end.line = loc.end.line;
    span.end.column = loc.end.column;
  }
  return span;
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.column < b.column);
}
