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

export function renderTraceSvg(events: TraceEvent[]): string {
  const lanes = new Map<number, { index: number; label: string }>();
  const parts: string[] = [];
  const marks: string[] = [];
  const open = new Map<number, { x: number; event: Enter }>();
  const lastLeave = new Map<number, number>();
  let x = LABEL_WIDTH + 10;
  const laneOf = (event: Enter | Leave) => {
    let lane = lanes.get(event.call);
    if (!lane) {
      lane = { index: lanes.size, label: `${event.function}#${event.call}` };
      lanes.set(event.call, lane);
    }
    return lane.index;
  };
  const y = (lane: number) => TOP + lane * LANE;
  for (const event of events) {
    switch (event.type) {
      case "macrotask": {
        x += 16;
        const label = event.macrotask === 0 ? "main" : `macrotask ${event.macrotask}: ${event.source}`;
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
        const what = event.signal === "await" || event.signal === "yield" || event.signal === "yield*" ? `${event.signal} ${event.operand ?? ""}` : `${event.signal} ${event.value ?? ""}`;
        const entered = start ? `state ${start.event.state}${start.event.at ? ` (${start.event.at})` : ""}` : "";
        const title = `${event.function}#${event.call}: ${entered}${start && !start.event.first ? ` with ${start.event.sent}` : ""} → ${what.trim()}${event.value !== undefined && event.signal !== "return" && event.signal !== "throw" ? ` = ${event.value}` : ""}`;
        parts.push(
          `<g><title>${escape(title)}</title><rect x="${from}" y="${y(lane) + 4}" width="${width}" height="${LANE - 12}" rx="4" fill="${FILL[event.signal] ?? "#eee"}" stroke="#666"/>` +
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
  const height = TOP + Math.max(1, lanes.size) * LANE + 16;
  const width = x + 40;
  const start = events.find((event) => event.type === "start");
  const title = start?.type === "start" ? `stepwise trace of ${start.file}` : "stepwise trace";
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
    ...laneLabels,
    ...marks.map((mark) => mark.replace("{BOTTOM}", String(height - 8))),
    ...parts,
    "</svg>",
  ].join("\n") + "\n";
}

export function renderTraceHtml(events: TraceEvent[]): string {
  const start = events.find((event) => event.type === "start");
  const title = start?.type === "start" ? `stepwise trace of ${start.file}` : "stepwise trace";
  const rows = events
    .filter((event) => event.type === "enter" || event.type === "leave" || event.type === "macrotask" || event.type === "microtask")
    .map((event) => {
      let what = "";
      if (event.type === "macrotask") what = event.macrotask === 0 ? "main" : `macrotask ${event.macrotask}: ${event.source}`;
      else if (event.type === "microtask") what = `microtask ${event.microtask}`;
      else if (event.type === "enter") what = `${event.function}#${event.call} ${event.first ? "starts" : "resumes"} in state ${event.state}${event.at ? ` (${event.at})` : ""}${event.first ? "" : ` ${event.thrown ? "thrown" : "with"} ${event.sent}`}`;
      else what = `${event.function}#${event.call} ${event.signal} ${event.operand ?? ""}${event.value !== undefined ? ` = ${event.value}` : ""}${event.state >= 0 ? `, then state ${event.state}` : ""}`;
      const cls = event.type === "macrotask" || event.type === "microtask" ? ` class="turn"` : "";
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
</style>
</head>
<body>
<h1>${escape(title)}</h1>
<p>One lane per call of an async function or generator; each box is one step (from resuming to the next
suspension). Solid lines mark macrotasks (the program's main run, timers, immediates, I/O), dashed lines
microtask jobs. Hover a box for details.</p>
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
