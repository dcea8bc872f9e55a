// The runtime's step signals, as the tracer's `leave(machine, signal, value)` receives them, and the
// words the trace uses for them. The numbers are a copy of the constants exported by src/runtime/index.js
// (THREW, AWAIT, DONE, CONTINUE, YIELD, DELEGATE, STARTED): this table is the only place the CLI knows them.

export const SIGNALS: Readonly<Record<number, string>> = { [-1]: "throw", 0: "await", 1: "return", 2: "continue", 3: "yield", 4: "yield*", 5: "started" };

/** The word for a signal (`signal 7` for one this table does not know). */
export function signalName(signal: number): string {
  return SIGNALS[signal] ?? `signal ${signal}`;
}
