// The runtime's step signals, as the tracer's `leave(machine, signal, value)` receives them, and the words
// the trace uses for them.
import { AWAIT, CONTINUE, DELEGATE, DONE, STARTED, THREW, YIELD } from "../../runtime/index.js";

export const SIGNALS: Readonly<Record<number, string>> = {
  [THREW]: "throw",
  [AWAIT]: "await",
  [DONE]: "return",
  [CONTINUE]: "continue",
  [YIELD]: "yield",
  [DELEGATE]: "yield*",
  [STARTED]: "started",
};

/** The word for a signal (`signal 7` for one this table does not know). */
export function signalName(signal: number): string {
  return SIGNALS[signal] ?? `signal ${signal}`;
}
