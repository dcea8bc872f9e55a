// Which turn of Node's event loop a step runs in, from async_hooks: the macrotask (0 = the program's main
// evaluation, then timers, immediates, I/O) and the microtask job within it. Boundaries become
// `macrotask` and `microtask` events when a machine steps in a new turn.
import { createHook } from "node:async_hooks";
import { TRACE_START_GLOBAL } from "../run-config.ts";
import type { EventBody } from "./schema.ts";

/** Jobs of the microtask queue (and process.nextTick's queue) as async_hooks names them. */
const MICROTASK_HOOKS = new Set(["PROMISE", "Microtask", "TickObject"]);
const MACROTASK_SOURCE: Record<string, string> = { Timeout: "timer", Immediate: "immediate" };
/** Every transformed module calls this first thing (src/cli/run-hooks.ts START_MARKER): the program has started. */
const START = Symbol.for(TRACE_START_GLOBAL);

export interface Turns {
  /** The current macrotask (0 = main). */
  readonly macrotask: number;
  /** The current microtask job within it (0 = none yet). */
  readonly microtask: number;
  /** Emits the boundaries crossed since the last step. */
  boundary(): void;
}

export function trackTurns(emit: (event: EventBody) => void): Turns {
  const hookTypes = new Map<number, string>();
  let depth = 0;
  let running = false;
  let macrotask = 0;
  let microtask = 0;
  let macroSource = "main";
  let macroHook: string | null = null;
  let microHook: string | null = null;
  let uncounted = false;
  let shownMacrotask = -1;
  let shownMicrotask = 0;
  createHook({
    init(id, type) {
      hookTypes.set(id, type);
    },
    before(id) {
      if (depth++ !== 0 || !running) return;
      const type = hookTypes.get(id) ?? null;
      if (type !== null && MICROTASK_HOOKS.has(type)) {
        microtask++;
        microHook = type;
      } else {
        // Node's module loader talks to its hooks thread through a MessagePort: such a message counts as
        // a macrotask only if a machine runs in it. So does a turn of a resource made before the hook was
        // enabled (its type unknown: the loader's own, made before the program started), which may come
        // after the program's main turn when the machine is busy.
        uncounted = type === "MESSAGEPORT" || type === null;
        if (!uncounted) macrotask++;
        microtask = 0;
        macroSource = type === null ? "unknown" : (MACROTASK_SOURCE[type] ?? "io");
        macroHook = type;
      }
    },
    after() {
      depth--;
    },
    destroy(id) {
      hookTypes.delete(id);
    },
  }).enable();
  (globalThis as Record<symbol, unknown>)[START] = () => {
    running = true;
  };

  return {
    get macrotask() {
      return macrotask;
    },
    get microtask() {
      return microtask;
    },
    boundary() {
      if (uncounted) {
        uncounted = false;
        macrotask++;
      }
      if (macrotask !== shownMacrotask) {
        shownMacrotask = macrotask;
        shownMicrotask = 0;
        emit({ type: "macrotask", macrotask, source: macroSource, hook: macrotask === 0 ? null : macroHook });
      }
      if (microtask !== shownMicrotask) {
        shownMicrotask = microtask;
        emit({ type: "microtask", macrotask, microtask, hook: microHook });
      }
    },
  };
}
