// Pictures of a trace: a swimlane SVG (one lane per call, time flowing right, macrotask and microtask
// boundaries as vertical lines), and an HTML page with the picture and the event table.
import type { TraceEvent } from "./schema.ts";

const LABEL_WIDTH = 150;
const COLUMN = 150;
const LANE = 40;
const TOP = 56;

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function clip(text: string, width: number): string {
  const max = Math.max(3, Math.floor(width / 6.4));
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const FILL: Record<string, string> = { await: "#fde9a9", yield: "#d6e4ff", "yield*": "#d6e4ff", return: "#c8efc8", throw: "#f7c1c1", started: "#e6e6e6" };

type Enter = Extract<TraceEvent, { type: "enter" }>;
type Leave = Extract<TraceEvent, { type: "leave" }>;

type LoopEvent = Extract<TraceEvent, { type: "loop" }>;

/**
 * Loop mode: the lanes of the event loop above the calls' lanes: the ready queue (each iteration as a
 * band, each callback that is not a task step as a box, what is queued as a tick), the host (its
 * events entering the queue, and the loop waiting for it), and one lane per timer (from scheduled to
 * fired ●, cancelled ✕, or still pending at the end).
 */
class LoopLanes {
  readonly lanes: string[] = ["ready queue", "host"];
  readonly timerLane = new Map<number, number>();
  readonly parts: string[] = [];
  readonly marks: string[] = [];
  private iteration: { x: number; label: string } | null = null;
  private wait: { x: number; label: string } | null = null;
  private timers = new Map<number, { x: number; label: string }>();

  constructor(events: TraceEvent[]) {
    for (const event of events) {
      if (event.type === "loop" && event.event === "schedule") {
        const timer = Number(event.detail.timer);
        if (!this.timerLane.has(timer)) {
          this.timerLane.set(timer, this.lanes.length);
          this.lanes.push(`timer ${timer}: ${String(event.detail.callback)}`);
        }
      }
    }
  }

  /** Draws `event` at `x`; returns how far the picture moves right. */
  draw(event: LoopEvent, x: number): number {
    const d = event.detail;
    switch (event.event) {
      case "iteration": {
        this.endIteration(x);
        this.endWait(x);
        this.marks.push(`<line x1="${x}" y1="${TOP - 22}" x2="${x}" y2="{BOTTOM}" stroke="#2b6cb0" stroke-width="1.5" stroke-dasharray="6,3"/>`);
        this.marks.push(`<text x="${x + 4}" y="${TOP - 12}" font-size="11" fill="#2b6cb0">⟳ ${d.iteration}</text>`);
        this.iteration = { x, label: `iteration ${d.iteration}: ${d.ready} ready` };
        return 16;
      }
      case "enqueue":
      case "host": {
        const lane = event.event === "host" ? 1 : 0;
        const title = event.event === "host" ? `host event queued: ${d.callback}` : `queued: ${d.callback}${d.cause ? ` (by ${d.cause})` : ""}`;
        this.parts.push(`<g><title>${escape(title)}</title><path d="M${x} ${y(lane) + 6} l5 6 l-5 6 z" fill="${lane ? "#c05621" : "#2b6cb0"}"/></g>`);
        if (lane) this.parts.push(`<text x="${x + 7}" y="${y(lane) + 16}" font-size="10" fill="#c05621">${escape(clip(String(d.callback), 90))}</text>`);
        return lane ? 60 : 8;
      }
      case "callback": {
        const width = COLUMN / 2;
        this.parts.push(
          `<g><title>${escape(`callback ${d.callback}`)}</title><rect x="${x}" y="${y(0) + 12}" width="${width}" height="${LANE - 20}" rx="3" fill="#e2ecf8" stroke="#2b6cb0"/>` +
            `<text x="${x + 4}" y="${y(0) + 24}" font-size="10" fill="#1a365d">${escape(clip(String(d.callback), width - 6))}</text></g>`,
        );
        return width + 6;
      }
      case "schedule": {
        this.timers.set(Number(d.timer), { x, label: `timer ${d.timer} due ${ms(Number(d.when))} ms: ${d.callback}${d.cause ? ` (scheduled by ${d.cause})` : ""}` });
        return 8;
      }
      case "timer":
      case "cancel": {
        const timer = Number(d.timer);
        const start = this.timers.get(timer);
        this.timers.delete(timer);
        const lane = this.timerLane.get(timer);
        if (lane === undefined) return 0;
        const from = start?.x ?? x;
        const fired = event.event === "timer";
        this.parts.push(
          `<g><title>${escape(`${start?.label ?? `timer ${timer}`}; ${fired ? "fired" : "cancelled"}`)}</title>` +
            `<line x1="${from}" y1="${y(lane) + LANE / 2}" x2="${x}" y2="${y(lane) + LANE / 2}" stroke="${fired ? "#2f855a" : "#999"}" stroke-width="3"/>` +
            (fired ? `<circle cx="${x}" cy="${y(lane) + LANE / 2}" r="5" fill="#2f855a"/>` : `<text x="${x - 4}" y="${y(lane) + LANE / 2 + 4}" font-size="12" fill="#c53030">✕</text>`) +
            `<text x="${from + 4}" y="${y(lane) + LANE / 2 - 6}" font-size="9" fill="#555">${escape(clip(`due ${ms(Number(d.when))} ms${fired ? ", fired" : ", cancelled"}`, Math.max(60, x - from)))}</text></g>`,
        );
        return 8;
      }
      case "wait": {
        this.endWait(x);
        this.wait = { x, label: d.until === null ? "waits for the host" : `waits for the host or a timer at ${ms(Number(d.until))} ms` };
        return 8;
      }
      case "close":
        this.endIteration(x);
        this.endWait(x);
        return 8;
      default:
        return 0;
    }
  }

  /** At the end of the picture: timers still pending, the last iteration. */
  finish(x: number): void {
    this.endIteration(x);
    this.endWait(x);
    for (const [timer, start] of this.timers) {
      const lane = this.timerLane.get(timer)!;
      this.parts.push(
        `<g><title>${escape(`${start.label}; still pending at the end`)}</title>` +
          `<line x1="${start.x}" y1="${y(lane) + LANE / 2}" x2="${x}" y2="${y(lane) + LANE / 2}" stroke="#b7791f" stroke-width="3" stroke-dasharray="6,4"/>` +
          `<text x="${start.x + 4}" y="${y(lane) + LANE / 2 - 6}" font-size="9" fill="#555">${escape(clip("pending, never fired", Math.max(80, x - start.x)))}</text></g>`,
      );
    }
    this.timers.clear();
  }

  private endIteration(x: number): void {
    if (this.iteration === null) return;
    const { x: from, label } = this.iteration;
    this.iteration = null;
    this.parts.unshift(
      `<g><title>${escape(label)}</title><rect x="${from}" y="${y(0) + 2}" width="${Math.max(4, x - from - 2)}" height="${LANE - 4}" fill="#f0f5fb" stroke="#c3d5ea"/>` +
        `<text x="${from + 3}" y="${y(0) + 10}" font-size="8" fill="#2b6cb0">${escape(clip(label, x - from - 4))}</text></g>`,
    );
  }

  private endWait(x: number): void {
    if (this.wait === null) return;
    const { x: from, label } = this.wait;
    this.wait = null;
    this.parts.push(
      `<g><title>${escape(label)}</title><line x1="${from}" y1="${y(1) + LANE - 8}" x2="${x}" y2="${y(1) + LANE - 8}" stroke="#c05621" stroke-dasharray="2,3"/>` +
        `<text x="${from + 2}" y="${y(1) + LANE - 11}" font-size="8" fill="#c05621">${escape(clip(label, x - from))}</text></g>`,
    );
  }
}

const y = (lane: number) => TOP + lane * LANE;

/** Loop time: whole ms as they are, others with one decimal. */
const ms = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(1));

export function renderTraceSvg(events: TraceEvent[]): string {
  const loop = events.some((event) => event.type === "loop") ? new LoopLanes(events) : null;
  const first = loop ? loop.lanes.length : 0;
  const lanes = new Map<number, { index: number; label: string }>();
  const parts: string[] = [];
  const marks: string[] = [];
  const open = new Map<number, { x: number; event: Enter }>();
  const lastLeave = new Map<number, number>();
  let x = LABEL_WIDTH + 10;
  const laneOf = (event: Enter | Leave) => {
    let lane = lanes.get(event.call);
    if (!lane) {
      lane = { index: first + lanes.size, label: `${event.function}#${event.call}` };
      lanes.set(event.call, lane);
    }
    return lane.index;
  };
  // Loop mode: an await after which the loop's next word is a `step` did not wait (an inline call, a
  // done future, a plain value).
  const noWait = new Set<number>();
  if (loop) {
    let held: Leave | null = null;
    for (const event of events) {
      if (event.type === "leave" && event.signal === "await") held = event;
      else if (held && event.type === "loop" && (event.event === "step" || event.event === "suspend")) {
        if (event.event === "step") noWait.add(held.seq);
        held = null;
      } else if (event.type === "enter" || event.type === "leave") held = null;
    }
  }
  for (const event of events) {
    switch (event.type) {
      case "loop":
        if (loop) x += loop.draw(event, x);
        break;
      case "macrotask": {
        x += 16;
        const label = event.macrotask === 0 ? "main" : loop ? `Node ${event.macrotask}: ${event.source}` : `macrotask ${event.macrotask}: ${event.source}`;
        marks.push(`<line x1="${x}" y1="${TOP - 22}" x2="${x}" y2="{BOTTOM}" stroke="#555" stroke-width="1.5"/>`);
        marks.push(`<text x="${x + 4}" y="${TOP - 26}" font-size="11" fill="#333">${escape(label)}</text>`);
        x += 8;
        break;
      }
      case "microtask":
        x += 8;
        marks.push(`<line x1="${x}" y1="${TOP - 8}" x2="${x}" y2="{BOTTOM}" stroke="#999" stroke-dasharray="3,3"/>`);
        marks.push(`<text x="${x + 3}" y="${TOP - 10}" font-size="9" fill="#777">µ${event.microtask}</text>`);
        x += 4;
        break;
      case "enter": {
        const lane = laneOf(event);
        const since = lastLeave.get(event.call);
        if (since !== undefined) {
          parts.push(`<line x1="${since}" y1="${y(lane) + LANE / 2 - 4}" x2="${x}" y2="${y(lane) + LANE / 2 - 4}" stroke="#bbb" stroke-dasharray="2,4"/>`);
        }
        open.set(event.call, { x, event });
        x += COLUMN / 2;
        break;
      }
      case "leave": {
        const lane = laneOf(event);
        const start = open.get(event.call);
        open.delete(event.call);
        const from = start?.x ?? x - COLUMN / 2;
        const to = x + COLUMN / 2;
        const width = to - from;
        const inline = noWait.has(event.seq);
        const what = inline ? `↳ ${event.operand ?? event.value ?? ""} (no wait)` : event.signal === "await" || event.signal === "yield" || event.signal === "yield*" ? `${event.signal} ${event.operand ?? ""}` : `${event.signal} ${event.value ?? ""}`;
        const entered = start ? `state ${start.event.state}${start.event.at ? ` (${start.event.at})` : ""}` : "";
        const title = `${event.function}#${event.call}: ${entered}${start && !start.event.first ? ` with ${start.event.sent}` : ""} → ${what.trim()}${event.value !== undefined && event.signal !== "return" && event.signal !== "throw" ? ` = ${event.value}` : ""}`;
        parts.push(
          `<g><title>${escape(title)}</title><rect x="${from}" y="${y(lane) + 4}" width="${width}" height="${LANE - 12}" rx="4" fill="${inline ? "#f3efe0" : (FILL[event.signal] ?? "#eee")}" stroke="#666"${inline ? ` stroke-dasharray="4,2"` : ""}/>` +
            `<text x="${from + 4}" y="${y(lane) + 16}" font-size="10" fill="#222">${escape(clip(`s${start?.event.state ?? "?"} → ${what.trim()}`, width - 6))}</text>` +
            `<text x="${from + 4}" y="${y(lane) + 27}" font-size="9" fill="#666">${escape(clip((start?.event.at ?? "").split("/").pop() ?? "", width - 6))}</text></g>`,
        );
        lastLeave.set(event.call, to);
        x = to + 6;
        break;
      }
      default:
        break;
    }
  }
  // A step the program ended in never leaves: drawn to the end of the picture, pale, its outline dashed.
  if (open.size > 0) {
    const to = x + COLUMN;
    for (const { x: from, event } of open.values()) {
      const lane = laneOf(event);
      const title = `${event.function}#${event.call}: state ${event.state}${event.at ? ` (${event.at})` : ""}${event.first ? "" : ` with ${event.sent}`} → never leaves its step: the program ended`;
      parts.push(
        `<g><title>${escape(title)}</title><rect x="${from}" y="${y(lane) + 4}" width="${to - from}" height="${LANE - 12}" rx="4" fill="#fafafa" stroke="#999" stroke-dasharray="3,3"/>` +
          `<text x="${from + 4}" y="${y(lane) + 16}" font-size="10" fill="#555">${escape(clip(`s${event.state} → never leaves`, to - from - 6))}</text>` +
          `<text x="${from + 4}" y="${y(lane) + 27}" font-size="9" fill="#777">${escape(clip((event.at ?? "").split("/").pop() ?? "", to - from - 6))}</text></g>`,
      );
    }
    x = to + 6;
  }
  loop?.finish(x + 20);
  const height = TOP + Math.max(1, first + lanes.size) * LANE + 16 + (loop ? 16 : 0);
  const width = x + 40;
  const start = events.find((event) => event.type === "start");
  const title = start?.type === "start" ? `stepwise trace of ${start.file}` : "stepwise trace";
  const loopLabels = (loop?.lanes ?? []).map(
    (label, index) =>
      `<rect x="0" y="${y(index)}" width="${width}" height="${LANE}" fill="${index % 2 ? "#f7f9fc" : "#fdfdff"}"/>` +
      `<text x="8" y="${y(index) + LANE / 2 + 4}" font-size="12" font-style="italic" fill="#2b4c7e">${escape(clip(label, LABEL_WIDTH - 12))}</text>`,
  );
  const laneLabels = [...lanes.values()].map(
    (lane) =>
      `<rect x="0" y="${y(lane.index)}" width="${width}" height="${LANE}" fill="${lane.index % 2 ? "#fafafa" : "#ffffff"}"/>` +
      `<text x="8" y="${y(lane.index) + LANE / 2 + 4}" font-size="12" font-weight="bold" fill="#234">${escape(clip(lane.label, LABEL_WIDTH - 12))}</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<title>${escape(title)}</title>`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="8" y="18" font-size="14" font-weight="bold">${escape(title)}</text>`,
    ...(loop ? [`<text x="8" y="${height - 6}" font-size="10" fill="#555">${escape("Two clocks: ⟳ N (dashed blue) is an iteration of stepwise's event loop; solid grey lines are Node's macrotasks, in which the iterations run.")}</text>`] : []),
    ...loopLabels,
    ...laneLabels,
    ...(loop ? [`<line x1="0" y1="${y(first)}" x2="${width}" y2="${y(first)}" stroke="#9ab"/>`] : []),
    ...marks.map((mark) => mark.replace("{BOTTOM}", String(height - (loop ? 24 : 8)))),
    ...(loop?.marks ?? []).map((mark) => mark.replace("{BOTTOM}", String(height - 24))),
    ...(loop?.parts ?? []),
    ...parts,
    "</svg>",
  ].join("\n") + "\n";
}

export function renderTraceHtml(events: TraceEvent[]): string {
  const loopMode = events.some((event) => event.type === "loop");
  const start = events.find((event) => event.type === "start");
  const title = start?.type === "start" ? `stepwise trace of ${start.file}` : "stepwise trace";
  const rows = events
    .filter((event) => event.type === "enter" || event.type === "leave" || event.type === "macrotask" || event.type === "microtask" || event.type === "loop")
    .map((event) => {
      let what = "";
      if (event.type === "loop") what = event.event === "iteration" ? `⟳ loop ${event.text}` : `loop: ${event.text}`;
      else if (event.type === "macrotask") what = event.macrotask === 0 ? "main" : `${loopMode ? "Node " : ""}macrotask ${event.macrotask}: ${event.source}`;
      else if (event.type === "microtask") what = `microtask ${event.microtask}`;
      else if (event.type === "enter") what = `${event.function}#${event.call} ${event.first ? "starts" : "resumes"} in state ${event.state}${event.at ? ` (${event.at})` : ""}${event.first ? "" : ` ${event.thrown ? "thrown" : event.returned ? "told to return" : "with"} ${event.sent}`}`;
      else what = `${event.function}#${event.call} ${event.signal} ${event.operand ?? ""}${event.value !== undefined ? ` = ${event.value}` : ""}${event.state >= 0 ? `, then state ${event.state}` : ""}`;
      const cls = event.type === "macrotask" || event.type === "microtask" ? ` class="turn"` : event.type === "loop" ? ` class="loop"` : "";
      return `<tr${cls}><td>${event.seq}</td><td>${event.t.toFixed(3)}</td><td>${escape(what)}</td></tr>`;
    });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escape(title)}</title>
<style>
body { font-family: Helvetica, Arial, sans-serif; margin: 1.5em; color: #222; }
.picture { overflow-x: auto; border: 1px solid #ddd; }
table { border-collapse: collapse; margin-top: 1.5em; font-size: 13px; }
td { padding: 2px 10px; border-bottom: 1px solid #eee; font-family: ui-monospace, monospace; }
tr.turn td { background: #f3f3f3; color: #555; }
tr.loop td { color: #2b4c7e; }
</style>
</head>
<body>
<h1>${escape(title)}</h1>
<p>One lane per call of an async function or generator; each box is one step (from resuming to the next
suspension). Solid lines mark macrotasks (the program's main run, timers, immediates, I/O), dashed lines
microtask jobs. Hover a box for details.</p>${
    loopMode
      ? `
<p>Loop mode: the lanes at the top are stepwise's event loop. <b>ready queue</b>: each iteration (⟳, dashed blue
lines) as a band, the callbacks it runs that are not task steps as boxes, and a tick for each callback queued;
<b>host</b>: host events (I/O completions) entering the queue, and the loop waiting for the host; one lane per
<b>timer</b>, from when it was scheduled to when it fired (●) or was cancelled (✕), dashed while still pending
at the end. Two clocks: the loop's iterations, and Node's macrotasks (solid lines) in which they run.</p>`
      : ""
  }
<div class="picture">
${renderTraceSvg(events)}</div>
<table>
<thead><tr><td>#</td><td>ms</td><td>event</td></tr></thead>
<tbody>
${rows.join("\n")}
</tbody>
</table>
</body>
</html>
`;
}
