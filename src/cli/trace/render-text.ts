// The text trace (`--trace`, the default): the human timeline, one line per event.
import type { TraceEvent } from "./schema.ts";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

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
  return (event) => {
    switch (event.type) {
      case "start":
        return dim(`stepwise run: tracing ${event.file} (each ▶ is a machine resuming; lines without ┊ are the program's output)`);
      case "macrotask":
        return dim(event.macrotask === 0 ? "┄┄ main: the program's first run ┄┄" : `┄┄ macrotask ${event.macrotask}: ${event.source}${event.source === "io" ? ` (${event.hook})` : ""} ┄┄`);
      case "microtask":
        return gutter + dim(`· microtask ${event.microtask}`);
      case "enter": {
        const who = cyan(`${event.function}#${event.call}`);
        const where = event.at ? dim(` (${event.at})`) : "";
        if (event.first) return `${gutter}▶ ${who} starts in state ${event.state}${where}`;
        const how = event.thrown ? red(`thrown ${event.sent}`) : `with ${event.sent}`;
        return `${gutter}▶ ${who} resumes in state ${event.state}${where} ${how}`;
      }
      case "leave": {
        const who = cyan(`${event.function}#${event.call}`);
        switch (event.signal) {
          case "await":
            return `${gutter}⏸ ${who} awaits ${event.operand ? `${yellow(event.operand)}${dim(` = ${event.value}`)}` : yellow(String(event.value))}, then state ${event.state}`;
          case "yield":
          case "yield*":
            return `${gutter}⏸ ${who} ${event.signal === "yield" ? "yields" : "delegates to"} ${event.operand ? `${magenta(event.operand)}${dim(` = ${event.value}`)}` : magenta(String(event.value))}, then state ${event.state}`;
          case "return":
            return `${gutter}✓ ${who} ${green(`returns ${event.value}`)}`;
          case "throw":
            return `${gutter}✗ ${who} ${red(`throws ${event.value}`)}`;
          case "started":
            return `${gutter}⏸ ${who} bound its parameters, waits for next()`;
          default:
            return `${gutter}⏸ ${who} ${event.signal} ${event.value ?? ""}`;
        }
      }
      case "loop":
        // Task steps already show as ▶/⏸ lines (the runtime's tracer); the loop adds its own turns.
        if (event.event === "step" || event.event === "suspend") return null;
        return event.event === "iteration" ? dim(`⟳ loop ${event.text}`) : `${gutter}${dim(`loop: ${event.text}`)}`;
      case "exit":
        return dim(`stepwise run: ${plural(event.steps, "step")} of ${plural(event.calls, "call")} in ${plural(event.macrotasks, "macrotask")}; exit code ${event.code}`);
    }
  };
}
