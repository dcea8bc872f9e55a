// The text trace (`--trace`, the default): the human timeline, one line per event.
//
// In loop mode the timeline joins two sources: the runtime's tracer (a machine's steps: ▶, ⏸, ✓, ✗) and
// the event loop's trace (`loop` events). A machine's `await` is only known to wait once the loop has
// decided what to do with the awaited value, so that line is held back until the loop's next event:
// a `suspend` makes it ⏸ (the task really waits), a `step` makes it ↳ (an inline coroutine, a done
// future, a plain value: the task goes on at once). The loop's `step` also says what woke the task, which
// the ▶ line that follows shows.
import type { TraceEvent } from "./schema.ts";

/** The most states a leave line's path shows. */
const PATH_SHOWN = 16;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** Loop time as the trace shows it: whole ms as they are (the virtual clock), others with one decimal. */
export function formatMs(ms: number): string {
  return Number.isInteger(ms) ? String(ms) : ms.toFixed(1);
}

type Leave = Extract<TraceEvent, { type: "leave" }>;
type Enter = Extract<TraceEvent, { type: "enter" }>;
type LoopEvent = Extract<TraceEvent, { type: "loop" }>;

/** The legend of a loop-mode trace: the marks, the two clocks, the names. */
export const LOOP_LEGEND = [
  "▶ a machine runs a step; ⏸ its task really waits; ↳ an await that does not wait (an inline call, a done future, a plain value)",
  "two clocks: ⟳ loop iteration N is a turn of stepwise's event loop (its ready queue; loop time in ms);",
  "  ┄┄ Node macrotask N ┄┄ is a turn of Node's own event loop, which gives stepwise's loop its iterations (setImmediate, setTimeout)",
  "names: main#1 is call 1 of main (calls numbered as the trace meets them); Task-N, Future-N and timer N are the loop's, each numbered per loop",
];

/** The human timeline: one line per step boundary, indented under its macrotask and microtask. */
export function textRenderer(colors: boolean): (event: TraceEvent) => string | null {
  const paint = (code: number) => (text: string) => (colors ? `\x1b[${code}m${text}\x1b[0m` : text);
  const dim = paint(2);
  const cyan = paint(36);
  const yellow = paint(33);
  const green = paint(32);
  const red = paint(31);
  const magenta = paint(35);
  const gutter = dim("┊ ");
  let loopMode = false;
  /** Loop mode: an `await` whose meaning the loop's next event decides. */
  let held: Leave | null = null;
  /** Loop mode: the loop's last `step` (which task runs, and why), for the ▶ line that follows. */
  let step: Record<string, unknown> | null = null;
  /** The call that finished last (an inline call returning or throwing into its caller). */
  let finished: string | null = null;
  const callName = (event: Enter | Leave) => `${event.function}#${event.call}`;
  /** The state each call's current step entered, for the path a leave line shows. */
  const entered = new Map<number, number>();
  /** The steps under way (entered, not left), in the order they began: inline calls nest. */
  const running = new Map<number, { name: string; state: number }>();
  /** Who leaves a step: the call, and the states it ran in when more than one (`f#1 (states 0 → 1 → 2)`). */
  const leaving = (event: Leave): string => {
    const who = cyan(callName(event));
    if (!event.through) return who;
    const path = [entered.get(event.call) ?? "?", ...event.through];
    // (a long path: its first states, how many are left out, its last)
    const left = path.length > PATH_SHOWN ? path.length - PATH_SHOWN + 1 : 0;
    const omitted = left + (event.throughMore ?? 0);
    const shown = omitted === 0 ? path.join(" → ") : `${path.slice(0, PATH_SHOWN - 2).join(" → ")} → … ${omitted} more → ${path[path.length - 1]}`;
    return `${who} ${dim(`(states ${shown})`)}`;
  };
  const awaited = (event: Leave) => (event.operand ? `${yellow(event.operand)}${dim(` = ${event.value}`)}` : yellow(String(event.value)));

  const awaitLine = (event: Leave, loop: LoopEvent | null): string => {
    const who = leaving(event);
    if (loop?.event === "suspend") {
      return `${gutter}⏸ ${who} awaits ${awaited(event)}, then state ${event.state}: ${String(loop.detail.task)} waits`;
    }
    if (loop?.event === "step") {
      const woke = String(loop.detail.woke);
      const why = woke === "call" ? "runs it inline, no wait" : woke === "value" ? "not awaitable, no wait" : /, already done$/.test(woke) ? "already done, no wait" : `no wait (${woke})`;
      return `${gutter}↳ ${who} awaits ${awaited(event)}: ${why}, then state ${event.state}`;
    }
    return `${gutter}⏸ ${who} awaits ${awaited(event)}, then state ${event.state}`;
  };

  /** Why a task step runs, from the loop's `step` event (the loop's own words, see src/loop/trace.js). */
  const why = (detail: Record<string, unknown>): string => {
    const woke = String(detail.woke);
    const cause = typeof detail.cause === "string" ? detail.cause : null;
    if (woke === "start") return "first step";
    if (woke === "call") return "called inline";
    if (woke === "cancel") return "cancelled";
    if (/ (threw|returned)$/.test(woke)) return finished ? `${finished} ${woke.endsWith("threw") ? "threw" : "returned"}` : woke;
    if (/, already done$/.test(woke)) return `no wait: ${woke.replace(/, already done$/, "")} was already done`;
    if (woke === "value") return "no wait: a plain value";
    if (!cause || cause === "host" || woke === "sleep(0)" || woke.startsWith(cause)) return `woken by ${woke}`;
    return `woken by ${woke}${woke.endsWith(", cancelled") ? " by" : ", set by"} ${cause}`;
  };

  const render = (event: TraceEvent): string | null => {
    switch (event.type) {
      case "start":
        loopMode = event.mode === "loop";
        if (!loopMode) return dim(`stepwise run: tracing ${event.file} (each ▶ is a machine resuming; lines without ┊ are the program's output)`);
        return [dim(`stepwise run: tracing ${event.file} in loop mode (lines without ┊ or a mark are the program's output)`), ...LOOP_LEGEND.map((line) => dim(`  ${line}`))].join("\n");
      case "macrotask": {
        const what = event.macrotask === 0 ? "main: the program's first run" : `${loopMode ? "Node macrotask" : "macrotask"} ${event.macrotask}: ${event.source}${event.source === "io" ? ` (${event.hook})` : ""}`;
        return dim(`┄┄ ${what} ┄┄`);
      }
      case "microtask":
        return gutter + dim(`· microtask ${event.microtask}`);
      case "enter": {
        entered.set(event.call, event.state);
        running.set(event.call, { name: callName(event), state: event.state });
        const who = cyan(callName(event));
        const where = event.at ? dim(` (${event.at})`) : "";
        const context = step ? [String(step.task), why(step)].filter(Boolean).join(", ") : "";
        const tail = context ? dim(` [${context}]`) : "";
        step = null;
        if (event.first) return `${gutter}▶ ${who} starts in state ${event.state}${where}${tail}`;
        const how = event.thrown ? red(`thrown ${event.sent}`) : event.returned ? `told to return ${event.sent}` : `with ${event.sent}`;
        return `${gutter}▶ ${who} resumes in state ${event.state}${where} ${how}${tail}`;
      }
      case "leave": {
        running.delete(event.call);
        const who = leaving(event);
        switch (event.signal) {
          case "await":
            if (loopMode) {
              held = event;
              return null;
            }
            return awaitLine(event, null);
          case "yield":
          case "yield*":
            return `${gutter}⏸ ${who} ${event.signal === "yield" ? "yields" : "delegates to"} ${event.operand ? `${magenta(event.operand)}${dim(` = ${event.value}`)}` : magenta(String(event.value))}, then state ${event.state}`;
          case "return":
            entered.delete(event.call);
            finished = callName(event);
            return `${gutter}✓ ${who} ${green(`returns ${event.value}`)}`;
          case "throw":
            entered.delete(event.call);
            finished = callName(event);
            return `${gutter}✗ ${who} ${red(`throws ${event.value}`)}`;
          case "started":
            return `${gutter}⏸ ${who} bound its parameters, waits for next()`;
          default:
            return `${gutter}⏸ ${who} ${event.signal} ${event.value ?? ""}`;
        }
      }
      case "loop":
        // Task steps show as ▶/⏸ lines (the runtime's tracer); the loop's step and suspend say how.
        if (event.event === "step") {
          step = event.detail;
          return null;
        }
        if (event.event === "suspend") return null;
        if (event.event === "iteration") {
          const time = typeof event.detail.time === "number" ? ` at ${formatMs(event.detail.time)} ms` : "";
          return dim(`⟳ loop ${event.text.replace(/^iteration (\d+):/, `iteration $1${time}:`)}`);
        }
        return `${gutter}${dim(`loop: ${event.text}`)}`;
      case "exit": {
        // (a step the program exited in, or was killed in, never leaves: the innermost first)
        const unfinished = [...running.values()].reverse().map(({ name, state }) => `${gutter}${red("■")} ${cyan(name)} never leaves its step from state ${state}: the program ended`);
        const summary = dim(`stepwise run: ${plural(event.steps, "step")} of ${plural(event.calls, "call")} in ${plural(event.macrotasks, "macrotask")}${loopMode ? " of Node" : ""}; exit code ${event.code}`);
        return [...unfinished, summary].join("\n");
      }
    }
  };

  return (event) => {
    if (held === null) return render(event);
    const pending = held;
    held = null;
    const decided = event.type === "loop" && (event.event === "step" || event.event === "suspend") ? event : null;
    const line = awaitLine(pending, decided);
    const own = render(event);
    return own === null ? line : `${line}\n${own}`;
  };
}
