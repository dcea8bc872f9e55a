// What the transform reports about each machine: the product `inspect` and other tools build on.
// Everything here is read off the generated states, so it always describes the code that runs.
import * as t from "../types.ts";
import { COMPLETION_THROW, FINISHED, HANDLER_CATCH, findHandler, handlerKind } from "../../runtime/index.js";
import { fallsThrough, type Emitter, type State, type TryEntry } from "../explode/emitter.ts";
import { hasOwnThis, quoteSite } from "../emit/source-words.ts";

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
  /** The function's name as the program knows it. */
  name: string;
  kind: "async" | "generator" | "async-generator";
  className: string;
  line: number;
  states: StateInfo[];
  /** [try start, catch, finally, end] per try region (-1 where a part is missing). */
  tries: TryEntry[];
}

/**
 * What the report reads off the states, and whether an error a step throws could quote the machine's
 * spelling of something (emit/source-words.ts, `machineWordsTest`): both from one walk of the states,
 * once they are final (after placeTemps; what the class and the wrapper add later is outside the states, or
 * without a position or an edge). `operand` is the text of what a state suspends on (see describeStates),
 * `quotes` the test of quoted expressions (null: not asked).
 */
export function readStates(em: Emitter, operand: (node: t.Node) => string, quotes: ((expression: t.Node) => boolean) | null): { states: StateInfo[]; tries: TryEntry[]; quotes: boolean } {
  const tries = em.tryTable();
  const helpers = { closeAsyncIterator: em.helpers.get("closeAsyncIterator"), delegate: em.helpers.get("delegate") ?? em.helpers.get("delegateAsync"), started: em.helpers.get("started") };
  const reader = new StateReader(operand, helpers, quotes);
  return { states: describeStates(em.states, tries, reader), tries, quotes: reader.quotes };
}

/** The machine as the report gives it, from what readStates read. */
export function describeMachine(head: Pick<MachineInfo, "name" | "kind" | "className" | "line">, read: { states: StateInfo[]; tries: TryEntry[] }): MachineInfo {
  return { name: head.name, kind: head.kind, className: head.className, line: head.line, states: read.states, tries: read.tries };
}

const SUSPENDS: Record<string, "await" | "yield"> = { await: "await", yield: "yield" };

/**
 * Reads the states' exits and edges from their generated code. `operand` gives the text of what a state
 * suspends on (for operands the transform made up, the source they stand for: a for-await loop awaits
 * `next() of <iterable>` at each step and `return() of <iterable>` when it is left early).
 */
function describeStates(states: State[], tries: TryEntry[], reader: StateReader): StateInfo[] {
  return states.map((state, position) => {
    reader.edges = [];
    reader.suspends = null;
    reader.returns = false;
    reader.span = null;
    for (const statement of state.body) reader.read(statement, reader.quoteTest !== null);
    if (fallsThrough(state.body) && position + 1 < states.length) reader.add(states[position + 1].index, "next");
    // Exceptions go where the runtime routes them (the tries table's rule, src/runtime/machine.js).
    const handler = findHandler(tries, state.index, COMPLETION_THROW, FINISHED);
    if (handler >= 0) {
      const kind = handlerKind(tries[handler], state.index, COMPLETION_THROW);
      reader.add(kind === HANDLER_CATCH ? tries[handler][1] : tries[handler][2], kind);
    }
    return { index: state.index, line: state.line, suspends: reader.suspends, returns: reader.returns, edges: reader.edges, span: reader.span };
  });
}

/**
 * What the state being read has so far, and the walk that reads it: every node of the output once, in
 * traverseFast's order (a method of one object rather than traverseFast with a closure: this walk reads every
 * node of every state, and was most of the report's time).
 */
class StateReader {
  edges: Edge[] = [];
  suspends: StateInfo["suspends"] = null;
  returns = false;
  span: StateInfo["span"] = null;
  /** An expression V8 may quote passed the test (machineWordsTest). */
  quotes = false;
  private readonly closeAsyncIterator: string | undefined;
  private readonly delegate: string | undefined;
  private readonly started: string | undefined;

  constructor(
    private readonly operand: (node: t.Node) => string,
    helpers: { closeAsyncIterator?: string; delegate?: string; started?: string },
    readonly quoteTest: ((expression: t.Node) => boolean) | null,
  ) {
    this.closeAsyncIterator = helpers.closeAsyncIterator;
    this.delegate = helpers.delegate;
    this.started = helpers.started;
  }

  add(to: number, kind: Edge["kind"]): void {
    if (to < 0) return;
    for (const edge of this.edges) if (edge.to === to && edge.kind === kind) return;
    this.edges.push({ to, kind });
  }

  /**
   * `node` and everything under it (as traverseFast: a node of a type without visitor keys is not visited);
   * `quoting`: its quoted expressions are still to be tested (machineWordsTest's sites: not inside functions
   * and classes with a `this` of their own, and no more once one passed).
   */
  read(node: t.Node, quoting: boolean): void {
    const keys = t.VISITOR_KEYS[node.type];
    if (keys === undefined) return;
    this.visit(node);
    if (quoting) {
      if (hasOwnThis(node)) quoting = false;
      else {
        const site = quoteSite(node);
        if (site !== null && this.quoteTest!(site)) this.quotes = true;
        if (this.quotes) quoting = false;
      }
    }
    for (let k = 0; k < keys.length; k++) {
      const child = (node as unknown as Record<string, unknown>)[keys[k]];
      if (!child) continue;
      if (Array.isArray(child)) {
        for (let i = 0; i < child.length; i++) {
          const item = child[i] as t.Node | null;
          if (item) this.read(item, quoting);
        }
      } else {
        this.read(child as t.Node, quoting);
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
        this.suspends = { kind: "await", operand: this.operand(node) };
        this.add(args[3].value, "resume");
      }
      if (this.started !== undefined && callee.name === this.started && args[1]?.type === "NumericLiteral") {
        // `started(this, next)`: the end of a parameter binding at the call
        this.add(args[1].value, "resume");
      }
      if (this.delegate !== undefined && callee.name === this.delegate && args[2]?.type === "NumericLiteral") {
        // `delegate(this, iterable, next)`: yield*
        this.suspends = { kind: "yield*", operand: this.operand(args[1]) };
        this.add(args[2].value, "resume");
      }
      return;
    }
    if (callee.type === "MemberExpression" && callee.object.type === "ThisExpression" && callee.property.type === "Identifier") {
      const method = callee.property.name;
      const target = args[1] ?? args[0];
      if (method in SUSPENDS && args[1]?.type === "NumericLiteral") {
        this.suspends = { kind: SUSPENDS[method], operand: this.operand(args[0]) };
        this.add(args[1].value, "resume");
      } else if (method === "jump" && target?.type === "NumericLiteral") {
        this.add(target.value, "finally");
      } else if (method === "return") {
        this.returns = true;
      }
    }
  }
}

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
