// `stepwise run --trace`: records every step of every machine, with the microtask and macrotask it runs
// in, from inside the program's process (src/cli/run-preload.ts starts it). The pieces:
//   schema.ts          the events (versioned; see docs/cli.md)
//   turns.ts           async_hooks: which macrotask and microtask job a step runs in
//   sources.ts         adapters on the runtime's tracer and the event loop's trace (signals.ts: the
//                      runtime's signal numbers; describe.ts: values in a few words)
//   sinks.ts           where events go (render-text.ts writes them as text)
//   picture.ts         in stepwise's own process: --trace=svg/html drawn (render-picture.ts) once the
//                      program has ended, from the JSON Lines it streamed
import type { RunConfig } from "../run-config.ts";
import { MODES } from "../mode.ts";
import { makeSink } from "./sinks.ts";
import { TRACE_SCHEMA, type EventBody, type TraceEvent } from "./schema.ts";
import { SOURCES, type SourceContext } from "./sources.ts";
import { trackTurns } from "./turns.ts";

export function startTracing(config: RunConfig): void {
  const started = performance.now();
  let seq = 0;
  const sink = makeSink(config);

  const emit = (event: EventBody) => {
    sink.write({ seq: seq++, t: Math.round((performance.now() - started) * 1000) / 1000, ...event } as TraceEvent);
  };

  const context: SourceContext = { emit, turns: trackTurns(emit), counts: { steps: 0, calls: 0 } };
  const detach: (() => void)[] = [];
  for (const source of MODES[config.mode].traceSources) {
    const stop = SOURCES[source](context);
    if (stop) detach.push(stop);
  }

  emit({ type: "start", schema: TRACE_SCHEMA, file: config.file, args: process.argv.slice(2), node: process.version, mode: config.mode });
  // Ctrl-C (or SIGTERM) ends the program as Node would (exit code 128 + the signal), but through
  // process.exit, so that the trace recorded so far is written. A program with its own handler keeps it.
  let interrupted: "SIGINT" | "SIGTERM" | undefined;
  for (const [signal, number] of [["SIGINT", 2], ["SIGTERM", 15]] as const) {
    const handler = () => {
      if (process.listenerCount(signal) > 1) return;
      interrupted = signal;
      process.exit(128 + number);
    };
    process.on(signal, handler);
  }
  process.on("exit", (code) => {
    for (const stop of detach) stop();
    emit({ type: "exit", code, steps: context.counts.steps, calls: context.counts.calls, macrotasks: context.turns.macrotask + 1, ...(interrupted ? { signal: interrupted } : {}) });
    sink.close();
  });
}
