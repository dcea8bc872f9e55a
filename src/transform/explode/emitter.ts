// The emitter collects the states of one machine while its body is exploded.
//
// A state is one `case` of the generated `switch (this.state)`. Code is appended to the current state;
// `mark(label)` starts a new state (or reuses the current one when it is still empty) and fixes the label's
// number. Labels are created before they are marked, so forward jumps are patched at the end.
//
// The emitter also keeps the two stacks regenerator calls the "leap manager": the jump targets of the
// enclosing loops, switches and labeled statements (for break/continue), and the enclosing try statements
// (for the try table the runtime uses to route exceptions, returns and jumps through `finally`).
import * as t from "../types.ts";
import { declaresInBlock } from "../ast.ts";

export class Label {
  state = -1;
  readonly refs: t.NumericLiteral[] = [];
  /**
   * @param backward a loop head: jumped to from code emitted after it. Other labels are only jumped to
   * from code emitted before them, so one that nothing jumps to needs no state of its own.
   */
  constructor(readonly backward = false) {}
  ref(): t.NumericLiteral {
    // (built as 0 and then set: Babel's validation of a negative number, an unmarked label's -1, builds an
    // Error and its stack trace each time)
    const literal = t.numericLiteral(0);
    literal.value = this.state;
    this.refs.push(literal);
    return literal;
  }
}

export interface State {
  index: number;
  body: t.Statement[];
  /** Source line of the first statement that came from the input. */
  line: number | null;
  /** The try part this state belongs to; states of different regions never fall through silently. */
  region: string;
  /** Some label names this state: it cannot be moved into another region. */
  labeled: boolean;
}

interface TryFrame {
  entry: number;
  part: "try" | "catch" | "finally";
  hasFinally: boolean;
}

export interface LeapFrame {
  kind: "loop" | "switch" | "block";
  labels: readonly string[];
  breakTarget: Label;
  /** Only loops can be continued. */
  continueTarget: Label | null;
  /** Depth of the try stack at each target: a jump to it crosses every try above that depth. */
  breakDepth: number;
  continueDepth: number;
}

/** One try statement of the tries table, as the runtime reads it: the state each of its parts starts at (-1: none). */
export type TryEntry = [start: number, catchAt: number, finallyAt: number, end: number];

/** One try statement while its states are being emitted: the labels of its parts. */
interface TryLabels {
  start: Label;
  catchAt: Label | null;
  finallyAt: Label | null;
  end: Label;
}

/** The state `statement` writes, where it is `this.state = <state>;` (else -1). */
function stateWritten(statement: t.Statement | undefined): number {
  if (statement?.type !== "ExpressionStatement") return -1;
  const { expression } = statement;
  if (expression.type !== "AssignmentExpression" || expression.right.type !== "NumericLiteral") return -1;
  const { left } = expression;
  const isState = left.type === "MemberExpression" && left.object.type === "ThisExpression" && left.property.type === "Identifier" && left.property.name === "state";
  return isState ? expression.right.value : -1;
}

/** Whether `statement` is `this.state = <state>;`. */
function isStateWrite(statement: t.Statement | undefined, state: number): boolean {
  return stateWritten(statement) === state;
}

const FLIPPED: Record<string, "===" | "!==" | "==" | "!="> = { "===": "!==", "!==": "===", "==": "!=", "!=": "==" };

/**
 * An `if` test true where `test` is false: `a === b` for `a !== b` (and `!=` for `==`, ...: an equality is
 * a boolean either way, its operands read as before), `x` for `!x` (an `if` reads only its truthiness),
 * else `!test`. (A comparison stays `!(a < b)`: with NaN both are false.)
 */
export function negatedTest(test: t.Expression): t.Expression {
  if (test.type === "UnaryExpression" && test.operator === "!") return test.argument;
  if (test.type === "BinaryExpression" && test.operator in FLIPPED) {
    const flipped = t.binaryExpression(FLIPPED[test.operator], test.left, test.right);
    flipped.loc = test.loc;
    return flipped;
  }
  return t.unaryExpression("!", test);
}

/**
 * The switches that dispatch a source `switch` to its cases (`Emitter.dispatchCases`), with the source's: one
 * with a `default` leaves only through its clauses' jumps (no `break` is ever written in one), and its last
 * clause jumps.
 */
const caseDispatches = new WeakMap<t.SwitchStatement, t.SwitchStatement>();

/** Whether code after these statements runs: they do not end in a return, throw or jump (inside a `with`, too). */
export function fallsThrough(body: t.Statement[]): boolean {
  // (types compared directly: this runs at every statement emitted)
  let last: t.Statement | undefined = body[body.length - 1];
  while (last && last.type === "WithStatement") last = last.body.type === "BlockStatement" ? last.body.body[last.body.body.length - 1] : last.body;
  if (last?.type === "SwitchStatement" && caseDispatches.has(last)) return !last.cases.some((clause) => clause.test === null) || fallsThrough(last.cases[last.cases.length - 1].consequent);
  return !last || !(last.type === "ReturnStatement" || last.type === "ThrowStatement" || last.type === "ContinueStatement");
}

/**
 * The clauses of a case dispatch get the places of the source's cases, so that a coverage tool that
 * instruments the output (istanbul, after the lowering in babel-jest) counts them as the source's, when it
 * would count each as often as natively: a case is entered when its test matches or when the case before
 * falls into it, which in the dispatch is its clause falling into the next. So every clause after the first
 * must be one whose case's code went in (its state had no other way in: nothing else fell into it), or follow
 * a case that cannot fall (it ends in a `break`, `continue`, `return` or `throw`), or follow an empty case
 * whose clause is left empty and counted so. Otherwise no clause has a place, and the switch is not counted.
 */
function placeCases(dispatch: t.SwitchStatement, source: t.SwitchStatement, outcome: readonly ("jump" | "code" | "empty")[]): void {
  if (!source.loc) return;
  let counted = true;
  for (let i = 1; i < outcome.length && counted; i++) {
    counted = outcome[i] === "code" || endsAbruptly(source.cases[i - 1].consequent) || outcome[i - 1] === "empty";
  }
  if (counted) dispatch.cases.forEach((clause, i) => (clause.loc = source.cases[i].loc));
}

/** Whether a case's code surely does not fall into the next: its last statement (in a block, too) leaves. */
function endsAbruptly(body: t.Statement[]): boolean {
  const last = body.at(-1);
  if (last?.type === "BlockStatement") return endsAbruptly(last.body);
  return last?.type === "BreakStatement" || last?.type === "ContinueStatement" || last?.type === "ReturnStatement" || last?.type === "ThrowStatement";
}

/** The state `this.state = N; continue <dispatch>;` jumps to, else -1. */
function jumpTarget(body: t.Statement[], dispatchLabel: string): number {
  const [write, leave] = body;
  return body.length === 2 && leave.type === "ContinueStatement" && leave.label?.name === dispatchLabel ? stateWritten(write) : -1;
}

export class Emitter {
  readonly states: State[] = [];
  readonly tries: TryLabels[] = [];
  readonly leaps: LeapFrame[] = [];
  /**
   * The names in code left out because it can never run (after a `return`, `throw` or jump in the same
   * state). A binding declared there is still the one its other references read (a `var` is `undefined`, a
   * `let` in its temporal dead zone): emit/storage.ts keeps it in a field, which always exists.
   */
  readonly unreached = new Set<t.Node>();
  private readonly tryStack: TryFrame[] = [];
  /** Every label marked, so that states can be numbered again once some are left out (`skipJumpStates`). */
  private readonly labels: Label[] = [];
  private current: State;
  /**
   * The slot of each temp taken, by the temp's number: while the body is exploded a temp is named by its
   * own number (`this.$7`), so that emit/storage.ts can tell one temp from another that reuses its slot.
   */
  readonly tempSlots: number[] = [];
  /** The temp fields the machine declares (set by emit/storage.ts: slots some temp needs as a field). */
  tempFields: string[] = [];
  /** Temps in use now: `$0` up to `$<tempsInUse - 1>` (see `temp`). */
  private tempsInUse = 0;
  /** Set when a jump had to be emitted as `continue <dispatch>`: the switch then needs its loop. */
  usesDispatchLoop = false;
  /** How many `continue <dispatch>` were made (some may have been dropped as unreachable: at least this many). */
  private dispatchJumps = 0;
  /** The jumps `skipUnless` made, with the source's `if` each stands for. */
  private sourceIfs: Map<t.IfStatement, t.IfStatement> | null = null;
  /** The references to states that jumps are written with (`jumpStatements`), for `threadJumps`. */
  private readonly jumpRefs = new WeakSet<t.NumericLiteral>();
  /** Whether `dispatchCases` made a switch (`inlineCases` then looks for them). */
  private casesDispatched = false;
  /**
   * The objects of the `with` statements around the code being emitted (their fields, `this.$0`): a
   * state's code inside them is emitted inside `with (this.$0) { ... }`, entered again in each state.
   */
  private readonly withObjects: t.Expression[] = [];
  /** The `with` groups emitted: the objects each was opened for (the outermost first). */
  private readonly withGroups = new WeakMap<t.Statement, t.Expression[]>();

  /** The runtime's functions this machine calls (`helper`): export name -> local name in the file. */
  readonly helpers = new Map<string, string>();

  /** The source's comments around a statement taken apart, for the next statement emitted (`commentNext`). */
  private pendingComments: t.Comment[] | null = null;
  /** The last statement emitted (that can run): where a statement taken apart leaves its trailing comments. */
  lastEmitted: t.Statement | null = null;

  constructor(
    /** The label of the `for (;;)` around the switch. */
    readonly dispatchLabel: string,
    /** Name of the parameter of `resume` that carries the awaited value. */
    readonly sentName: string,
    /** The local name of a runtime export, imported once per file (FileContext.runtimeName). */
    private readonly runtimeName: (exported: string) => string,
    /** Whether the function is async (a yield* then delegates through `delegateAsync`). */
    readonly isAsync = false,
    /** How V8 words a non-iterable at each yield* of the file (FileContext.yieldStarQuotes). */
    readonly yieldStarQuotes: ReadonlyMap<t.Node, number | string> = new Map(),
    /** The `for await` operands that call one of the file's own async generators (FileContext.ownAsyncGeneratorCalls). */
    readonly ownAsyncGeneratorCalls: { has(node: t.Node): boolean } = new WeakSet(),
    /** A state that falls into the next one writes it even within one try region (FileContext.writesEveryState). */
    private readonly writesEveryState = false,
  ) {
    this.current = { index: 0, body: [], line: null, region: "", labeled: false };
    this.states.push(this.current);
  }

  /**
   * A temp for an intermediate value: a slot free until `releaseTemps` gives it back. Slots are taken
   * like a stack, the lowest one not in use, so their numbers follow nesting: `$0`, `$1`, ...
   */
  temp(): t.MemberExpression {
    const id = this.tempSlots.length;
    this.tempSlots.push(this.tempsInUse++);
    return t.memberExpression(t.thisExpression(), t.identifier(`$${id}`));
  }

  /**
   * Another mention of a temp `temp()` made (`this.$N`), new nodes as a copy would be, without the deep
   * clone's walk.
   */
  tempAgain(temp: t.MemberExpression): t.MemberExpression {
    return t.memberExpression(t.thisExpression(), t.identifier((temp.property as t.Identifier).name));
  }

  /** The temps in use now, to give back with `releaseTemps` once their values are all read. */
  tempsMark(): number {
    return this.tempsInUse;
  }

  /**
   * Every temp taken since `mark` is free again. Called when a statement is done: what its code kept in
   * temps has been read by then (a loop's iterator or a `with` object is taken by the statement itself, so
   * it stays in use through the body), and the next statement may reuse the fields. Also once a test has
   * been decided (an `if`'s, a loop's, a switch's tests), before the code it leads to.
   */
  releaseTemps(mark: number): void {
    this.tempsInUse = mark;
  }

  /**
   * Adds a statement to the current state; `origin`, what it comes from, gives the state its line and, with
   * `placed`, the statement its place in the source.
   */
  emit(statement: t.Statement, origin?: t.Node | null, placed = true): void {
    // (`;`, a loop's or label's empty body, has nothing to do in a state: printed, it is a line of its own)
    if (statement.type === "EmptyStatement") return;
    // Code after a `return`/`throw`/jump in the same state can never run.
    if (!this.canFallThrough(this.current)) {
      t.traverseFast(statement, (node) => void (node.type === "Identifier" && this.unreached.add(node)));
      return;
    }
    if (this.current.line === null && origin?.loc) this.current.line = origin.loc.start.line;
    if (this.pendingComments !== null) {
      statement.leadingComments = t.joinComments(this.pendingComments, statement.leadingComments);
      this.pendingComments = null;
    }
    this.lastEmitted = statement;
    // (a statement the lowering made maps to what it stands for: a debugger stops at the source's line)
    if (placed && statement.loc == null && origin?.loc) {
      // An expression statement made for part of a statement (a parameter's assignment, an update, a
      // temp's) is placed by its expression: the source has no statement there, and a coverage tool that
      // instruments the output (istanbul, after the lowering in babel-jest) counts the statements that have
      // a place. (An await's `return this.await(...)` keeps its place: V8 stops there when stepping.)
      if (statement.type === "ExpressionStatement" && !t.isStatement(origin)) statement.expression.loc ??= origin.loc;
      else statement.loc = origin.loc;
    }
    if (this.withObjects.length === 0) this.current.body.push(statement);
    else this.emitInWith(statement);
  }

  /**
   * The source's comments before a statement taken apart (or after one, at the end of a loop or block) go
   * before the first statement emitted next: the code it became has no node of the source's to carry them.
   */
  commentNext(comments: t.Comment[]): void {
    this.pendingComments = this.pendingComments === null ? comments : t.joinComments(this.pendingComments, comments);
  }

  /** Code inside `with` statements: into the group of this state opened for the same objects, or a new one. */
  private emitInWith(statement: t.Statement): void {
    // The deepest group still open at the end of the state whose objects are the first of ours: code after
    // it sees its block's declarations. Groups opened together nest without blocks between them
    // (`with (this.$0) with (this.$1) { ... }`); code that follows the inner one but stays in the outer one
    // gives the outer one a block of its own (`with (this.$0) { with (this.$1) { ... } ...; }`).
    let list = this.current.body;
    /** Set when the place found is the body of this `with`, a lone nested group rather than a block. */
    let holder: t.WithStatement | null = null;
    let depth = 0;
    for (;;) {
      const last = holder ? holder.body : list[list.length - 1];
      const objects = this.withGroups.get(last);
      if (!objects || objects.length > this.withObjects.length || objects.some((object, i) => object !== this.withObjects[i])) break;
      const group = last as t.WithStatement;
      depth = objects.length;
      if (t.isBlockStatement(group.body)) {
        list = group.body.body;
        holder = null;
      } else {
        holder = group;
      }
    }
    if (holder) {
      holder.body = t.blockStatement([holder.body]);
      list = holder.body.body;
    }
    let group = depth === this.withObjects.length ? statement : t.blockStatement([statement]);
    for (let i = this.withObjects.length - 1; i >= depth; i--) {
      group = t.withStatement(t.cloneNode(this.withObjects[i]), group);
      this.withGroups.set(group, this.withObjects.slice(0, i + 1));
    }
    list.push(group);
  }

  /** Code emitted until `exitWith` runs inside `with (object)`, re-entered in each state (object: a field). */
  enterWith(object: t.Expression): void {
    this.withObjects.push(object);
  }

  exitWith(): void {
    this.withObjects.pop();
  }

  emitAssign(target: t.LVal, value: t.Expression, origin?: t.Node | null): void {
    this.emit(t.expressionStatement(t.assignmentExpression("=", target, value)), origin);
  }

  /**
   * Starts the state a label names. With `fresh`, a new state is started even when the current one is
   * empty: a try region must begin at its own state, or a label just before it would count as inside it.
   */
  mark(label: Label, fresh = false): void {
    const region = this.regionKey();
    if (!fresh && !label.backward && label.refs.length === 0 && this.current.region === region) {
      // Nothing jumps here: the code simply continues in the current state.
      label.state = this.current.index;
      this.labels.push(label);
      return;
    }
    if (this.current.body.length === 0 && !this.current.labeled) {
      // Nothing runs in the current state yet and nothing jumps to it: it can simply start here.
      this.current.region = region;
    } else if (this.current.body.length > 0 || fresh || this.current.region !== region) {
      const next: State = { index: this.states.length, body: [], line: null, region, labeled: false };
      if (this.canFallThrough(this.current)) {
        // Falling into a state of another try region: make `this.state` say where we are, so an
        // exception thrown there is routed to the right handler (and for a tracer, into any state).
        if (this.current.region !== region || this.writesEveryState) this.current.body.push(this.stateWrite(label.ref()));
      }
      this.states.push(next);
      this.current = next;
    }
    label.state = this.current.index;
    this.current.labeled = true;
    this.labels.push(label);
    for (const ref of label.refs) ref.value = label.state;
  }

  /**
   * Once every state is emitted: a state that only jumps on (`this.state = T; continue dispatch;`, the end
   * of a loop's body after its last await, say) is left out, and what led to it leads to T, when T is in the
   * same try part (an exception is routed by the state it is thrown at, runtime/machine.js `findHandler`),
   * no try statement starts or ends there (the tries table names it), the state before it does not fall
   * into it, and no two suspensions would resume in T (the state a machine waits to resume in tells which
   * await it waits at: async stack traces, the machine info, the explorer). The states after it are
   * numbered again.
   */
  private skipJumpStates(): void {
    const tryStates = new Set<number>();
    for (const entry of this.tryTable()) for (const state of entry) tryStates.add(state);
    /** The state a state that only jumps leads to (itself for the others). */
    const onwards = this.states.map((state, i) => {
      if (i === 0 || tryStates.has(i) || this.canFallThrough(this.states[i - 1])) return i;
      const [write, leave] = state.body;
      if (state.body.length !== 2 || leave.type !== "ContinueStatement" || leave.label?.name !== this.dispatchLabel) return i;
      const target = stateWritten(write);
      return target >= 0 && this.states[target].region === state.region ? target : i;
    });
    if (onwards.every((next, i) => next === i)) return;
    // (followed to where a chain ends; a loop of jumps keeps its states)
    const final = onwards.map((next, i) => {
      const seen = new Set([i]);
      while (onwards[next] !== next && !seen.has(next)) seen.add((next = onwards[next]));
      return onwards[next] === next ? next : i;
    });
    // How many suspensions resume in each state: the states' references passed to a call other than a jump
    // (`this.await(x, 3)`, `this.yield(v, 3)`, `delegate(this, x, 3)`, `started(this, 1)`, ...).
    const refs = new Set<t.NumericLiteral>();
    for (const label of this.labels) for (const ref of label.refs) refs.add(ref);
    const resumes = this.states.map(() => 0);
    for (const state of this.states) {
      for (const statement of state.body) {
        t.traverseFast(statement, (node) => {
          if (node.type !== "CallExpression" || (node.callee.type === "MemberExpression" && node.callee.property.type === "Identifier" && node.callee.property.name === "jump")) return;
          for (const arg of node.arguments) if (arg.type === "NumericLiteral" && refs.has(arg)) resumes[arg.value]++;
        });
      }
    }
    // One of two suspensions that would resume in one state keeps its own: the first such in turn, until no
    // two would. (One pass in order is enough: keeping state i changes where the states that jumped on through
    // it end, which are later ones, since an earlier one with a suspension would have ended where i did and
    // been kept first; and it only lessens what arrives where i ended before.)
    const arriving = resumes.slice();
    for (let i = 0; i < final.length; i++) if (final[i] !== i) arriving[final[i]] += resumes[i];
    let jumpedFrom: number[][] | null = null;
    for (let i = 0; i < final.length; i++) {
      const end = final[i];
      if (end === i || resumes[i] === 0 || arriving[end] <= 1) continue;
      onwards[i] = i;
      if (jumpedFrom === null) {
        jumpedFrom = final.map((): number[] => []);
        onwards.forEach((next, from) => next !== from && jumpedFrom![next].push(from));
      }
      // (i and the states whose jumps lead through it end at i now)
      let moved = 0;
      const through = [i];
      while (through.length > 0) {
        const state = through.pop()!;
        final[state] = i;
        moved += resumes[state];
        for (const from of jumpedFrom[state]) if (onwards[from] === state) through.push(from);
      }
      arriving[end] -= moved;
      arriving[i] = moved;
    }
    if (final.every((next, i) => next === i)) return;
    this.dispatchJumps -= final.filter((next, i) => next !== i).length;
    this.leaveOut(final);
  }

  /**
   * Leaves out the states `final` does not map to themselves (the labels of one then name the state it maps
   * to, or the end of the states, one past the last) and numbers the others again, with every reference to
   * them.
   */
  private leaveOut(final: readonly number[]): void {
    const kept = this.states.filter((_, i) => final[i] === i);
    const renumbered = new Map<number, number>([[this.states.length, kept.length]]);
    kept.forEach((state, i) => renumbered.set(state.index, i));
    for (const label of this.labels) {
      // (a label past the last state stays there)
      label.state = renumbered.get(label.state < final.length ? final[label.state] : this.states.length)!;
      for (const ref of label.refs) ref.value = label.state;
    }
    kept.forEach((state, i) => (state.index = i));
    this.states.splice(0, this.states.length, ...kept);
  }

  /**
   * Once every state is emitted: states that only jump on are left out (`skipJumpStates`), and jumps to
   * those that stay go where they go (`threadJumps`), a state that only passes on into a try statement is
   * left out where it can be (`enterTriesDirectly`), a source `if` that skips its body is written round
   * again (`straightenIf`), a source `switch`'s cases go into its clauses (`inlineCases`), and a state that
   * ends by jumping to the one right after it falls into it instead (`this.state = N;` kept, its `continue
   * <dispatch>` dropped: the same step, read as the straight line it is); with no jump left, the switch
   * needs no loop around it.
   */
  finishStates(): void {
    this.skipJumpStates();
    this.threadJumps();
    this.enterTriesDirectly();
    if (this.sourceIfs !== null) for (let i = 0; i < this.states.length; i++) this.straightenIf(this.states[i].body, i + 1);
    if (this.casesDispatched) this.inlineCases();
    for (let i = 0; i < this.states.length; i++) {
      const body = this.states[i].body;
      const jump = body.at(-1);
      if (jump?.type !== "ContinueStatement" || jump.label?.name !== this.dispatchLabel || !isStateWrite(body.at(-2), i + 1)) continue;
      body.pop();
      this.dispatchJumps--;
    }
    // (the jumps over a source `if` that stay jumps: their tests as they read best)
    if (this.sourceIfs !== null) {
      for (const jump of this.sourceIfs.keys()) {
        const test = negatedTest((jump.test as t.UnaryExpression).argument);
        test.loc ??= jump.test.loc;
        jump.test = test;
      }
    }
    this.usesDispatchLoop = this.dispatchJumps > 0;
  }

  /** A label of each state that has one, to make a new reference to it with (every label of a state is numbered as the state is). */
  private labelsByState(): Map<number, Label> {
    const labels = new Map<number, Label>();
    for (const label of this.labels) if (!labels.has(label.state)) labels.set(label.state, label);
    return labels;
  }

  /**
   * The references to states in the states' code: a label keeps every reference made, also one of a jump
   * left out as code that can never run (after a `return`).
   */
  private writtenRefs(): Set<t.NumericLiteral> {
    const refs = new Set<t.NumericLiteral>();
    for (const label of this.labels) for (const ref of label.refs) refs.add(ref);
    const written = new Set<t.NumericLiteral>();
    for (const state of this.states) {
      for (const statement of state.body) t.traverseFast(statement, (node) => void (node.type === "NumericLiteral" && refs.has(node) && written.add(node)));
    }
    return written;
  }

  /**
   * The states that only jump on and that `skipJumpStates` kept (a try statement ends there, a suspension
   * resumes there, the state before falls into it): a jump to one goes where it goes instead (`this.state =
   * T;` or `this.jump(T)` through finally blocks), where both are in the same try part, so the same finally
   * blocks run on the way. One that nothing leads to any more is left out, unless a try statement starts
   * there or a catch or finally block does. A try statement's end is then the state after it, which bounds
   * the same states: the runtime reads an end only as a bound (runtime/machine.js `findHandler`), and goes
   * on there after a finally block only where a jump to it was recorded (`finish`), which is a reference to
   * it; so a try statement whose blocks all jump on (a retry loop's `continue` through its finally block)
   * ends where the next state starts. (Its jumps are known by their references, `jumpRefs`, with no walk
   * of the states; a jump left out as code that can never run moves with the others.)
   */
  private threadJumps(): void {
    const onwards = this.states.map((state, i) => {
      const target = jumpTarget(state.body, this.dispatchLabel);
      return target >= 0 && this.states[target].region === state.region ? target : i;
    });
    if (onwards.every((next, i) => next === i)) return;
    const final = onwards.map((next, i) => {
      if (next === i) return i;
      const seen = new Set([i]);
      while (onwards[next] !== next && !seen.has(next)) seen.add((next = onwards[next]));
      return onwards[next] === next ? next : i;
    });
    const labelAt = this.labelsByState();
    for (const label of this.labels) {
      if (final[label.state] === label.state) continue;
      const to = labelAt.get(final[label.state])!;
      const refs = label.refs.splice(0);
      for (const ref of refs) {
        if (!this.jumpRefs.has(ref)) label.refs.push(ref);
        else {
          to.refs.push(ref);
          ref.value = to.state;
        }
      }
    }
    // The states nothing leads to any more (the labels of a state left out name the next one kept).
    const pinned = new Set<number>();
    for (const label of this.labels) if (label.refs.length > 0) pinned.add(label.state);
    for (const [start, catchAt, finallyAt] of this.tryTable()) pinned.add(start).add(catchAt).add(finallyAt);
    const kept = this.states.map((_, i) => i === 0 || final[i] === i || pinned.has(i) || this.canFallThrough(this.states[i - 1]));
    // (past the last state: a try statement that ends the function's body ends with it)
    const next = this.states.map((_, i) => i);
    for (let i = this.states.length - 1, after = this.states.length; i >= 0; i--) {
      if (kept[i]) after = i;
      else next[i] = after;
    }
    if (next.every((to, i) => to === i)) return;
    this.dispatchJumps -= next.filter((to, i) => to !== i).length;
    this.leaveOut(next);
  }

  /**
   * A state that does nothing but pass on into the first state of a try statement without a finally block
   * (`case 1: this.state = 2;`, a loop's head where the loop's body is a `try`): what jumps to it jumps into
   * the try statement instead, and the state before, where it falls into it, says it enters the try
   * statement itself. Not where a finally block is: a jump from inside the try statement to its start would
   * not run that block (a `continue` through it); nor where a suspension resumes (its rejection would be
   * caught by the try statement it was not in).
   */
  private enterTriesDirectly(): void {
    const passesOn = (i: number) => this.states[i].body.length === 1 && isStateWrite(this.states[i].body[0], i + 1);
    if (!this.states.some((_, i) => i > 0 && passesOn(i))) return;
    const pinned = new Set<number>();
    const startsBare = new Set<number>();
    for (const [start, catchAt, finallyAt, end] of this.tryTable()) {
      pinned.add(catchAt).add(finallyAt).add(end);
      if (finallyAt < 0) startsBare.add(start);
      else pinned.add(start);
    }
    // (a suspension resumes there, or a write of a state before falls into it)
    for (const label of this.labels) if (label.refs.some((ref) => !this.jumpRefs.has(ref))) pinned.add(label.state);
    const labelAt = this.labelsByState();
    const next = this.states.map((_, i) => i);
    for (let i = 1; i + 1 < this.states.length; i++) {
      if (passesOn(i) && startsBare.has(i + 1) && !pinned.has(i) && !startsBare.has(i)) next[i] = i + 1;
    }
    if (next.every((to, i) => to === i)) return;
    for (let i = 0; i < next.length; i++) {
      if (next[i] === i) continue;
      // (the state before, falling into it without a write, the same try part: it writes the try's start)
      const before = this.states[i - 1].body;
      if (fallsThrough(before)) before.push(this.stateWrite(labelAt.get(i + 1)!.ref()));
    }
    this.leaveOut(next);
  }

  /**
   * A source `switch` whose tests do not suspend is dispatched by a switch of its own in the state it starts
   * in (`dispatchCases`), each clause first a jump to its case's state. Where nothing else leads to a case's
   * state (no other jump, no suspension resuming there, no try statement starting or ending there, the state
   * before it does not fall into it but from the case before), its code goes into the clause, up to its first
   * suspension or jump: the source's `switch` again, with its cases where they are (a coverage tool that
   * instruments the output counts them as the source's), falling from case to case as the source does.
   * Clauses in a row that jump to one state (`case 1: case 2:`) fall into the last of them. The states whose
   * code went into a clause are left out.
   */
  private inlineCases(): void {
    const tryStates = new Set<number>();
    for (const entry of this.tryTable()) for (const state of entry) tryStates.add(state);
    // (what leads to each state: jumps, resumptions, writes of a state that falls into it)
    const written = this.writtenRefs();
    const leadingTo = this.states.map(() => 0);
    for (const label of this.labels) for (const ref of label.refs) if (written.has(ref)) leadingTo[label.state]++;
    const final = this.states.map((_, i) => i);
    const labelAt = this.labelsByState();
    for (const state of this.states) {
      for (const statement of state.body) {
        if (statement.type !== "SwitchStatement" || !caseDispatches.has(statement)) continue;
        const { cases } = statement;
        const targets = cases.map((clause) => jumpTarget(clause.consequent, this.dispatchLabel));
        /** What became of each clause: left a jump, its case's code put in, or left empty (it falls into the next). */
        const outcome = cases.map((): "jump" | "code" | "empty" => "jump");
        let fallsIn = -1;
        for (let i = 0; i < cases.length; i++) {
          const target = targets[i];
          const into = fallsIn;
          fallsIn = -1;
          if (target < 0) continue;
          if (targets[i + 1] === target) {
            cases[i].consequent = [];
            outcome[i] = "empty";
            leadingTo[target]--;
            this.dispatchJumps--;
            continue;
          }
          const inlined = this.states[target];
          if (target === 0 || target === state.index || final[target] !== target || tryStates.has(target) || leadingTo[target] !== 1 || inlined.region !== state.region) continue;
          if (into !== target - 1 && this.canFallThrough(this.states[target - 1])) continue;
          if (inlined.body.some((part) => part.type === "WithStatement")) continue;
          const body = inlined.body;
          // Its end: into the next case as the source's does, or on to the state after it.
          const next = target + 1;
          if (fallsThrough(body) || jumpTarget(body.slice(-2), this.dispatchLabel) === next) {
            if (targets[i + 1] === next) {
              if (!fallsThrough(body)) {
                body.pop();
                this.dispatchJumps--;
              }
              if (isStateWrite(body.at(-1), next)) {
                body.pop();
                leadingTo[next]--;
              }
            } else if (fallsThrough(body)) {
              const label = labelAt.get(next);
              if (label === undefined) continue;
              if (!isStateWrite(body.at(-1), next)) body.push(this.stateWrite(label.ref()));
              body.push(t.continueStatement(t.identifier(this.dispatchLabel)));
              this.dispatchJumps++;
            }
          }
          cases[i].consequent = body.some(declaresInBlock) ? [t.blockStatement(body)] : body;
          outcome[i] = "code";
          this.dispatchJumps--;
          final[target] = state.index;
          fallsIn = target;
        }
        placeCases(statement, caseDispatches.get(statement)!, outcome);
      }
    }
    if (final.every((next, i) => next === i)) return;
    // (a switch inside a case whose code went into an outer switch's clause: its cases' labels name the outer's state)
    for (let i = 0; i < final.length; i++) while (final[final[i]] !== final[i]) final[i] = final[final[i]];
    this.leaveOut(final);
  }

  /**
   * `if (!test) { this.state = target; continue dispatch; } ...rest` where the rest ends in a suspension (or
   * a return, a throw, a jump) becomes `if (test) { ...rest } this.state = target; continue dispatch;`, the
   * source's `if` again (with its place: a coverage tool that instruments the output counts its branches as
   * the source's, an `else` too: it counts the way not taken); where the target is the next state, the jump
   * falls into it.
   */
  private straightenIf(body: t.Statement[], next: number): void {
    let at = body.length - 1;
    while (at >= 0 && !(body[at].type === "IfStatement" && this.sourceIfs!.has(body[at] as t.IfStatement))) at--;
    if (at < 0 || at === body.length - 1 || fallsThrough(body)) return;
    const jump = body[at] as t.IfStatement;
    const [write, leave] = (jump.consequent as t.BlockStatement).body;
    if (leave?.type !== "ContinueStatement" || write?.type !== "ExpressionStatement" || jump.test.type !== "UnaryExpression") return;
    const straight = t.ifStatement(jump.test.argument, t.blockStatement(body.slice(at + 1)));
    straight.loc = this.sourceIfs!.get(jump)!.loc;
    this.sourceIfs!.delete(jump);
    if (isStateWrite(write, next)) {
      body.splice(at, body.length - at, straight, write);
      this.dispatchJumps--;
    } else {
      body.splice(at, body.length - at, straight, write, leave);
    }
  }

  private canFallThrough(state: State): boolean {
    return fallsThrough(state.body);
  }

  /** `this.state = <state>;` */
  private stateWrite(state: t.NumericLiteral): t.Statement {
    return t.expressionStatement(t.assignmentExpression("=", t.memberExpression(t.thisExpression(), t.identifier("state")), state));
  }

  /** `this.state = N; continue dispatch;`, or `this.jump(N); continue dispatch;` when a `finally` lies in between. */
  jumpStatements(target: Label, targetTryDepth = this.tryStack.length): t.Statement[] {
    this.usesDispatchLoop = true;
    this.dispatchJumps++;
    const ref = target.ref();
    this.jumpRefs.add(ref);
    if (this.crossesFinally(targetTryDepth)) {
      // The runtime finds the finally blocks in between and records where to go after them.
      return [t.expressionStatement(this.call("jump", [ref])), t.continueStatement(t.identifier(this.dispatchLabel))];
    }
    return [this.stateWrite(ref), t.continueStatement(t.identifier(this.dispatchLabel))];
  }

  jump(target: Label, targetTryDepth?: number): void {
    for (const statement of this.jumpStatements(target, targetTryDepth)) this.emit(statement);
  }

  /**
   * `if (test) <jump>`. The test maps to what it stands for; the `if` to no statement of the source: a loop's
   * test or a branch is no `if` there, and a coverage tool that runs after the lowering would count it as one
   * (a lowered `if` jumps to its `else`: it would count each branch as the other).
   */
  jumpIf(test: t.Expression, target: Label, origin?: t.Node | null): t.IfStatement {
    if (test.loc == null && origin?.loc) test.loc = origin.loc;
    const jump = t.ifStatement(test, t.blockStatement(this.jumpStatements(target)));
    this.emit(jump, origin, false);
    return jump;
  }

  /**
   * `switch (discriminant) { case <test>: <jump to target> ... }` for a source `switch` (`origin`) whose tests
   * do not suspend, its clauses where the source has them, `default` too; `finishStates` puts the cases'
   * code into the clauses where it can (`inlineCases`). Without a `default`, what matches no test jumps to
   * `after`.
   */
  dispatchCases(discriminant: t.Expression, clauses: readonly { test: t.Expression | null; target: Label }[], after: Label, origin: t.SwitchStatement): void {
    const dispatch = t.switchStatement(
      discriminant,
      clauses.map((clause) => t.switchCase(clause.test, this.jumpStatements(clause.target))),
    );
    dispatch.loc = origin.loc;
    caseDispatches.set(dispatch, origin);
    this.casesDispatched = true;
    this.emit(dispatch, origin);
    if (!clauses.some((clause) => clause.test === null)) this.jump(after);
  }

  /**
   * `if (!test) <jump to target>`, for the source's `if` (`origin`) whose body suspends, the target its
   * `else` or its end: where the body stays in this state up to its suspension or its jump, `finishStates`
   * writes it round again as the source has it, `if (test) { ... }`.
   */
  skipUnless(test: t.Expression, target: Label, origin: t.IfStatement): void {
    const jump = this.jumpIf(t.unaryExpression("!", test), target, origin);
    (this.sourceIfs ??= new Map()).set(jump, origin);
  }

  private crossesFinally(targetTryDepth: number): boolean {
    for (let i = this.tryStack.length - 1; i >= targetTryDepth; i--) {
      const frame = this.tryStack[i];
      if (frame.hasFinally && frame.part !== "finally") return true;
    }
    return false;
  }

  /** `this.<method>(...args)` */
  call(method: string, args: t.Expression[], origin?: t.Node | null): t.CallExpression {
    const callee = t.memberExpression(t.thisExpression(), t.identifier(method));
    const call = t.callExpression(callee, args);
    // (the source map takes `this.await(` to the `await` it stands for, `this.return(` to the `return`: V8
    // places an error its operand throws, `return missing()`, at the call it is an argument of, natively at
    // the keyword)
    if (origin?.loc) callee.loc = call.loc = origin.loc;
    return call;
  }

  /**
   * `<helper>(...args)`: a function of the runtime's (ES semantics: `iterate`, `objectRest`, ...; closing
   * an iterator), imported by name, so that a bundler keeps only the helpers an app calls.
   */
  helper(name: string, args: t.Expression[]): t.CallExpression {
    let local = this.helpers.get(name);
    if (local === undefined) {
      local = this.runtimeName(name);
      this.helpers.set(name, local);
    }
    return t.callExpression(t.identifier(local), args);
  }

  get tryDepth(): number {
    return this.tryStack.length;
  }

  // --- try regions ---------------------------------------------------------------------------------

  /** Opens a try entry; the caller marks `start` (fresh) right after. */
  openTry(hasCatch: boolean, hasFinally: boolean): number {
    const entry: TryLabels = {
      start: new Label(),
      catchAt: hasCatch ? new Label() : null,
      finallyAt: hasFinally ? new Label() : null,
      end: new Label(),
    };
    this.tries.push(entry);
    const index = this.tries.length - 1;
    this.tryStack.push({ entry: index, part: "try", hasFinally });
    this.tryStackChanged();
    this.mark(entry.start, true);
    return index;
  }

  enterCatch(index: number): void {
    const frame = this.tryStack[this.tryStack.length - 1];
    frame.part = "catch";
    this.tryStackChanged();
    this.mark(this.tries[index].catchAt!, true);
  }

  enterFinally(index: number): void {
    const frame = this.tryStack[this.tryStack.length - 1];
    frame.part = "finally";
    this.tryStackChanged();
    this.mark(this.tries[index].finallyAt!, true);
  }

  closeTry(index: number): void {
    this.tryStack.pop();
    this.tryStackChanged();
    this.mark(this.tries[index].end, true);
  }

  /** The try part the code emitted now is in, as a key (kept as the try stack changes: every `mark` reads it). */
  private region = "";

  private regionKey(): string {
    return this.region;
  }

  /** The region key of the try stack up to each frame (the key is the last; the innermost frame's part changes). */
  private readonly regions: string[] = [];

  private tryStackChanged(): void {
    // (the frames' keys joined by "."; only the innermost frame is new, changed or gone since the last call:
    // a closed one's key popped, rather than the list's length set, a call into the runtime each time)
    const depth = this.tryStack.length;
    if (this.regions.length > depth) this.regions.pop();
    if (depth > 0) {
      const frame = this.tryStack[depth - 1];
      const key = `${frame.entry}${frame.part[0]}`;
      this.regions[depth - 1] = depth === 1 ? key : `${this.regions[depth - 2]}.${key}`;
    }
    this.region = depth === 0 ? "" : this.regions[depth - 1];
  }

  // --- jump targets ---------------------------------------------------------------------------------

  withLeap<T>(
    frame: Omit<LeapFrame, "breakDepth" | "continueDepth"> & { breakDepth?: number },
    body: () => T,
  ): T {
    const depth = this.tryStack.length;
    // (fields named: a spread of frames of several shapes takes V8's slow path)
    this.leaps.push({ kind: frame.kind, labels: frame.labels, breakTarget: frame.breakTarget, continueTarget: frame.continueTarget, breakDepth: frame.breakDepth ?? depth, continueDepth: depth });
    try {
      return body();
    } finally {
      this.leaps.pop();
    }
  }

  /** The frame a `break`/`continue` (with an optional label) leaves or restarts. */
  findLeap(kind: "break" | "continue", label: string | null): LeapFrame | null {
    for (let i = this.leaps.length - 1; i >= 0; i--) {
      const frame = this.leaps[i];
      if (label !== null ? frame.labels.includes(label) : frame.kind === "loop" || (kind === "break" && frame.kind === "switch")) {
        return frame;
      }
    }
    return null;
  }

  /** The finished try table, as the runtime reads it: [start, catchAt, finallyAt, end] per entry. */
  tryTable(): TryEntry[] {
    return this.tries.map((entry) => [
      entry.start.state,
      entry.catchAt ? entry.catchAt.state : -1,
      entry.finallyAt ? entry.finallyAt.state : -1,
      entry.end.state,
    ]);
  }
}
