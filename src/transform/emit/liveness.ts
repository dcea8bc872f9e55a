// Which of a machine's locals hold a value across a return from `resume`: a backward liveness over the
// states, the way a compiler finds the variables live across a call.
//
// The runtime runs `resume` again (a new call, whose `let`s start over) at four kinds of state: the start,
// a suspension's resume state (an await's, a yield's, a `yield*`'s, a generator's parameters bound at the
// call), a catch or finally block (an exception, or a return or jump that runs finally blocks first, always
// comes back through the step), and the target of a jump that passes a finally block (`finish` goes on
// there). Within one call control moves only by falling into the next state or by writing `this.state`
// (a jump that passes no finally block is one). A local whose value is read, at one of those entry states,
// before the code assigns it would need the value a previous call left: it lives in a field. Any other
// can be a plain `let` of `resume`.
import { COMPLETION_JUMP, findHandler } from "../../runtime/index.js";
import { fallsThrough, type State, type TryEntry } from "../explode/emitter.ts";

/** One place a local is named: in which state (by position), at which top-level statement of it, and what it does. */
export interface LocalUse {
  position: number;
  statement: number;
  /**
   * `assigns`: the statement is `x = value;` (what `value` reads is a use of its own, at the same statement);
   * `writes`: an `x = value` inside the statement, which may not run (it reads nothing); `reads`: any other.
   */
  access: "assigns" | "writes" | "reads";
}

/** How a state leaves within one run (`next`: it writes `this.state`, `finally`: a jump), or the state a suspension resumes at (`resume`). */
export type ExitKind = "next" | "finally" | "resume";

export class StateGraph {
  /** The position of each state in the list, by its number. */
  private readonly positions = new Map<number, number>();
  /** Per state (by position): the edges into it within one call, from a state and its top-level statement (its length: falling through). */
  private readonly into: { from: number; statement: number }[][];
  /** Per state (by position): whether the runtime enters `resume` there. */
  private readonly entered: boolean[];

  constructor(
    states: readonly State[],
    private readonly tries: readonly TryEntry[],
  ) {
    this.into = states.map(() => []);
    this.entered = states.map(() => false);
    states.forEach((state, position) => this.positions.set(state.index, position));
    this.enter(0);
    for (const [, catchAt, finallyAt] of tries) {
      this.enter(catchAt);
      this.enter(finallyAt);
    }
    for (let position = 0; position + 1 < states.length; position++) {
      const body = states[position].body;
      if (fallsThrough(body)) this.into[position + 1].push({ from: position, statement: body.length });
    }
  }

  positionOf(state: State): number {
    return this.positions.get(state.index)!;
  }

  private enter(index: number): void {
    const position = this.positions.get(index);
    if (position !== undefined) this.entered[position] = true;
  }

  /** An exit of `from` at its top-level statement `statement` (report/metadata.ts reads them): a state written, a jump, a resume state. */
  addExit(from: State, to: number, kind: ExitKind, statement: number): void {
    if (kind === "resume" || (kind === "finally" && findHandler(this.tries, from.index, COMPLETION_JUMP, to) >= 0)) this.enter(to);
    if (kind === "resume") return;
    const position = this.positions.get(to);
    if (position !== undefined) this.into[position].push({ from: this.positionOf(from), statement });
  }

  /**
   * Whether a local named at `uses` is read before it is assigned, in some run of `resume`, at a state where
   * the runtime enters it: found by walking back from every state that reads it before assigning it, through
   * the edges of one call, stopping at states that assign it before they leave.
   */
  liveWhereEntered(uses: readonly LocalUse[]): boolean {
    // (per state: the first statement that assigns it, and whether a statement up to there reads it)
    const assignedAt = new Map<number, number>();
    for (const use of uses) {
      if (use.access === "assigns" && !(assignedAt.get(use.position)! <= use.statement)) assignedAt.set(use.position, use.statement);
    }
    const live = new Set<number>();
    const pending: number[] = [];
    for (const use of uses) {
      if (use.access !== "reads" || live.has(use.position)) continue;
      const assigned = assignedAt.get(use.position);
      if (assigned === undefined || use.statement <= assigned) {
        live.add(use.position);
        pending.push(use.position);
      }
    }
    while (pending.length > 0) {
      const position = pending.pop()!;
      if (this.entered[position]) return true;
      for (const edge of this.into[position]) {
        if (live.has(edge.from)) continue;
        const assigned = assignedAt.get(edge.from);
        if (assigned !== undefined && assigned < edge.statement) continue;
        live.add(edge.from);
        pending.push(edge.from);
      }
    }
    return false;
  }
}
