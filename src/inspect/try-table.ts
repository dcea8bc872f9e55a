// How inspect reads a machine's try table (MachineInfo.tries: one [try start, catch, finally, end] entry per
// try statement, -1 where a part is missing, outer before inner): which region a state is in, where a
// return runs its finally block first (the runtime's own rule, `findHandler` of src/runtime/machine.js), and
// where the end of a finally block goes on to.
import { COMPLETION_RETURN, FINISHED, findHandler } from "../runtime/index.js";
import type { MachineInfo } from "../transform/index.ts";
import type { GraphEdge, TryRegion } from "./schema.ts";

/** The innermost try region that holds state `index`, and the part of it. */
export function regionOf(index: number, tries: MachineInfo["tries"]): TryRegion | null {
  for (let i = tries.length - 1; i >= 0; i--) {
    const [start, catchAt, finallyAt, end] = tries[i];
    if (index < start || index >= end) continue;
    if (finallyAt >= 0 && index >= finallyAt) return { try: i, part: "finally" };
    if (catchAt >= 0 && index >= catchAt) return { try: i, part: "catch" };
    return { try: i, part: "try" };
  }
  return null;
}

/** The finally state that a return from `index` runs first (innermost try with a finally, from its try or catch part). */
export function enclosingFinally(index: number, tries: MachineInfo["tries"]): number | null {
  const entry = findHandler(tries, index, COMPLETION_RETURN, FINISHED);
  return entry >= 0 ? tries[entry][2] : null;
}

/**
 * The end of a finally block carries the recorded completion on: to the statement after the try
 * statement, to where a jump was going, or out with the return (a throw goes on outward).
 */
export function addFinallyExits(machine: Pick<MachineInfo, "tries" | "states">, edges: readonly GraphEdge[], add: (edge: GraphEdge) => void): void {
  for (const [start, , finallyAt, end] of machine.tries) {
    if (finallyAt < 0) continue;
    const last = end - 1;
    const inRegion = (edge: GraphEdge) => edge.from >= start && edge.from < finallyAt;
    if (machine.states.some((state) => state.index === end)) add({ from: last, to: end, kind: "next", class: "normal" });
    for (const edge of [...edges]) {
      if (!inRegion(edge) || edge.class !== "finally") continue;
      if (edge.to === finallyAt && machine.states.find((state) => state.index === edge.from)?.returns) {
        const outer = enclosingFinally(finallyAt, machine.tries.filter((entry) => entry[2] !== finallyAt));
        add(outer === null ? { from: last, to: "end", kind: "return", class: "normal" } : { from: last, to: outer, kind: "finally", class: "finally" });
      } else if (edge.to !== finallyAt && edge.to !== end) {
        add({ from: last, to: edge.to, kind: "finally", class: "finally" });
      }
    }
  }
}
