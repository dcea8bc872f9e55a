// The explorer page: one self-contained HTML file (styles, script, data and state-graph SVGs inline;
// nothing is fetched), so it can be opened from disk, attached to a bug report, or served as it is.
import { readFileSync } from "node:fs";
import type { ExploreData } from "./data.ts";

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** JSON that can sit inside a <script> element (no `</script>`, no `<!--`). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

let client: string | undefined;

/** The page's script (plain browser JavaScript, shipped as written): the step details, the loop panel and the graph, then the rest. */
export function clientScript(): string {
  client ??= ["./client-details.js", "./client-loop.js", "./client-graph.js", "./client.js"].map((file) => readFileSync(new URL(file, import.meta.url), "utf8")).join("\n");
  return client;
}

export const STYLE = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1d232b; --muted: #5b6573; --line: #d8dde3; --panel: #f6f8fa;
  --hl: #fff1b8; --hl-edge: #e0b400; --accent: #0b63c5; --run: #7cc47c; --await: #f2c94c; --inline: #e6dfc8; --yield: #8fb3ff;
  --ret: #55a868; --throw: #e06666; --lane-alt: #f3f5f8; --focus: #0b63c5; --node-hl: #ffd84d; --open: #cfe6cf;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #14171c; --fg: #dde3ea; --muted: #98a2b0; --line: #333a44; --panel: #1c2027;
    --hl: #4a3f10; --hl-edge: #d9b22a; --accent: #6aa8ff; --run: #3f8f4a; --await: #b8902a; --inline: #6b6348; --yield: #4f74c9;
    --ret: #3f8f4a; --throw: #b64848; --lane-alt: #191d23; --focus: #6aa8ff; --node-hl: #8a6d00; --open: #5b7a5f;
  }
  .graph svg polygon[fill="white"], .graph svg polygon[fill="#ffffff"] { fill: transparent; }
  .graph svg text { fill: var(--fg); }
  .graph svg [stroke="black"], .graph svg [stroke="#999999"] { stroke: var(--muted); }
  .graph svg polygon[fill="black"], .graph svg ellipse[fill="black"] { fill: var(--fg); }
  .graph svg path[fill="#fff3c4"], .graph svg polygon[fill="#fff3c4"] { fill: #3d3519; }
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html, body { margin: 0; background: var(--bg); color: var(--fg); }
body { display: flex; flex-direction: column; height: 100vh; font-size: 14px; }
a { color: var(--accent); }
header { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px; padding: 8px 12px; border-bottom: 1px solid var(--line); background: var(--panel); }
header h1 { font-size: 16px; margin: 0; font-weight: 600; }
header h1 code { font-size: 15px; }
.meta { color: var(--muted); font-size: 13px; }
.controls { display: flex; align-items: center; gap: 6px; margin-left: auto; flex-wrap: wrap; }
button, select, input { font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 4px 10px; }
button { cursor: pointer; min-width: 36px; min-height: 32px; }
button:hover { border-color: var(--accent); }
button:disabled { opacity: .45; cursor: default; }
:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
.controls input[type=number] { width: 6.5em; }
.panes { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1.15fr) minmax(0, 1fr); gap: 0; border-bottom: 1px solid var(--line); }
.pane { display: flex; flex-direction: column; min-width: 0; border-right: 1px solid var(--line); }
.pane:last-child { border-right: 0; }
.pane h2 { font-size: 12px; line-height: 18px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); margin: 0; padding: 6px 10px; border-bottom: 1px solid var(--line); display: flex; gap: 8px; align-items: center; font-weight: 600; }
.pane h2 .meta { text-transform: none; letter-spacing: 0; font-weight: 400; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.pane h2 .no-line { text-transform: none; letter-spacing: 0; font-weight: 600; color: var(--fg); background: var(--hl); border: 1px solid var(--hl-edge); border-radius: 4px; padding: 0 6px; line-height: 16px; margin-left: auto; white-space: nowrap; }
.pane h2 select { text-transform: none; letter-spacing: 0; font-size: 12px; padding: 1px 4px; margin-left: auto; max-width: 60%; }
/* A tab is 4 columns, in both panes. Tab stops count from the start of the line, the line number included:
   the number takes 8 columns (2 tab stops), so a tab after it reaches the same column as 4 spaces. */
.code { overflow: auto; height: 36vh; min-height: 200px; font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12.5px; line-height: 1.5; margin: 0; padding: 4px 0; tab-size: 4; }
/* (a block of lines out of view is not laid out: its height is its lines' until it is, client.js fillCode) */
.code .chunk { display: block; content-visibility: auto; }
.code .ln { display: block; white-space: pre; padding: 0 10px 0 0; border-left: 3px solid transparent; }
.code .ln::before { content: attr(data-n); display: inline-block; width: 6ch; padding-right: 2ch; text-align: right; color: var(--muted); user-select: none; }
.code .ln.in-class { background: color-mix(in srgb, var(--panel) 70%, transparent); }
.code .ln.hl { background: var(--hl); border-left-color: var(--hl-edge); }
.code .ln.hl-first { font-weight: 600; }
.code .cm { color: var(--muted); font-style: italic; }
.code .kw { color: #a626a4; }
@media (prefers-color-scheme: dark) { .code .kw { color: #d49bf0; } }
.graph { overflow: auto; height: 36vh; min-height: 200px; padding: 6px; text-align: center; }
.graph svg { max-width: 100%; height: auto; }
.graph g.node { cursor: pointer; }
.graph g.node.hl path, .graph g.node.hl polygon { fill: var(--node-hl) !important; stroke: var(--hl-edge) !important; stroke-width: 3px; }
.graph g.node.passed path, .graph g.node.passed polygon { stroke: var(--hl-edge) !important; stroke-width: 2px; stroke-dasharray: 4 2; }
.graph g.edge.passed path { stroke: var(--hl-edge) !important; stroke-width: 2px; stroke-dasharray: 4 2; }
.graph g.edge.hl path { stroke: var(--hl-edge) !important; stroke-width: 3px; }
.graph g.edge.hl polygon { fill: var(--hl-edge) !important; stroke: var(--hl-edge) !important; }
.graph g.edge.hl text { fill: var(--hl-edge); font-weight: 700; }
.graph g.node:focus-visible { outline: none; }
.graph g.node:focus-visible path, .graph g.node:focus-visible polygon { stroke: var(--focus) !important; stroke-width: 3px; }
.elsewhere { margin: 0; padding: 4px 12px; background: var(--panel); color: var(--muted); font-size: 13px; line-height: 18px; border-bottom: 1px solid var(--line); }
/* (a height of its own: the timeline below stays where it is, whatever a step's details take) */
.info { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 2.2fr); border-bottom: 1px solid var(--line); height: clamp(150px, 27vh, 300px); }
.info.mode-promise { grid-template-columns: 1fr; }
.now { padding: 8px 12px; overflow: auto; }
.now .what { font-size: 15px; font-weight: 600; margin: 0 0 4px; }
.now dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; font-size: 13px; }
.now dt { color: var(--muted); }
.now dd { margin: 0; font-family: ui-monospace, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
.loop { padding: 8px 12px; border-left: 1px solid var(--line); font-size: 13px; display: grid; grid-template-columns: repeat(auto-fit, minmax(190px, 1fr)); gap: 4px 16px; align-content: start; overflow: auto; }
.loop > div { min-width: 0; max-height: calc(30vh - 16px); overflow: auto; }
.loop h3 { font-size: 12px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); margin: 0; padding: 4px 0; font-weight: 600; position: sticky; top: 0; background: var(--bg); }
.loop ol, .loop ul { margin: 0; padding-left: 1.3em; }
.loop ol { padding-left: 3em; }
/* (wrapped, never wider than its box: ← and → step here, they have nothing to scroll) */
.loop li { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; overflow-wrap: anywhere; }
.loop li.running { font-weight: 700; color: var(--accent); }
.loop li.done { color: var(--muted); text-decoration: line-through; }
.loop .note { color: var(--muted); font-size: 11.5px; }
.loop li.empty { list-style: none; color: var(--muted); margin-left: -1.3em; }
.loop ol li.empty { margin-left: -3em; }
/* (the timeline takes the height the window has left, so that its lanes stay in view: 120 px at least) */
.timeline-wrap { display: flex; flex-direction: column; flex: 1 1 0; min-height: 150px; }
.timeline-head { display: flex; gap: 12px; align-items: center; padding: 4px 12px; color: var(--muted); font-size: 12px; border-bottom: 1px solid var(--line); flex-wrap: wrap; }
.legend span { display: inline-flex; align-items: center; gap: 4px; margin-right: 10px; }
.legend i { display: inline-block; width: 12px; height: 10px; border-radius: 2px; }
.timeline { position: relative; overflow: auto; flex: 1 1 0; min-height: 120px; }
.timeline:focus-visible { outline-offset: -2px; }
.timeline canvas { position: absolute; left: 0; top: 0; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
kbd { font-family: ui-monospace, monospace; border: 1px solid var(--line); border-bottom-width: 2px; border-radius: 4px; padding: 0 4px; font-size: 11px; }
@media (max-width: 900px) {
  body { height: auto; min-height: 100vh; }
  .timeline-wrap { flex: none; }
  .timeline { flex: none; height: 170px; }
  .panes { grid-template-columns: minmax(0, 1fr); }
  .pane { border-right: 0; border-bottom: 1px solid var(--line); }
  .code, .graph { height: auto; max-height: 40vh; min-height: 120px; }
  .info { grid-template-columns: minmax(0, 1fr); height: auto; }
  .now { height: clamp(150px, 27vh, 300px); }
  .loop { border-left: 0; border-top: 1px solid var(--line); }
  .controls { margin-left: 0; }
  header h1 { font-size: 15px; }
}
`;

/** The page for `data`; `script` is the page's script (the playground, in a browser, passes its own copy). */
export function renderExplorerHtml(data: ExploreData, script: string = clientScript()): string {
  const title = `stepwise explore: ${data.file}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${escape(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>stepwise explore <code>${escape(data.file)}</code></h1>
  <span class="meta" id="meta"></span>
  <div class="controls" role="toolbar" aria-label="Stepping">
    <button type="button" id="first" title="First step (Home)" aria-label="First step">«</button>
    <button type="button" id="prev" title="Step back (←)" aria-label="Step back">◀</button>
    <button type="button" id="next" title="Step forward (→)" aria-label="Step forward">▶</button>
    <button type="button" id="last" title="Last step (End)" aria-label="Last step">»</button>
    <label>step <input type="number" id="stepno" min="1" value="1" aria-label="Step number"></label>
    <span id="count" class="meta"></span>
  </div>
</header>
<p class="elsewhere" id="elsewhere" role="status" hidden></p>
<main class="panes">
  <section class="pane" aria-labelledby="h-source">
    <h2 id="h-source">Source <span id="source-name" class="meta"></span><span id="no-line" class="no-line" role="status" hidden></span></h2>
    <pre class="code" id="source" tabindex="0" aria-label="Source code"></pre>
  </section>
  <section class="pane" aria-labelledby="h-class">
    <h2 id="h-class">Generated class <span id="class-name" class="meta"></span></h2>
    <pre class="code" id="class" tabindex="0" aria-label="Generated machine class"></pre>
  </section>
  <section class="pane" aria-labelledby="h-graph">
    <h2 id="h-graph">State graph <select id="fn" aria-label="Function shown"></select></h2>
    <div class="graph" id="graph" aria-label="State graph of the function in focus"></div>
  </section>
</main>
<section class="info mode-${data.mode}" aria-label="Current step">
  <div class="now" aria-live="polite" id="now" tabindex="0"></div>
  <div class="loop" id="loop" aria-label="Event loop" ${data.mode === "loop" ? "" : "hidden"}></div>
</section>
<section class="timeline-wrap" aria-labelledby="h-timeline">
  <div class="timeline-head">
    <strong id="h-timeline">Timeline</strong>
    <span class="legend" id="legend"></span>
    <span>Click a step to jump; <kbd>←</kbd> <kbd>→</kbd> step, <kbd>Home</kbd> <kbd>End</kbd>, <kbd>PgUp</kbd> <kbd>PgDn</kbd> ±50</span>
  </div>
  <div class="timeline" id="timeline" tabindex="0" role="slider" aria-label="Timeline of the run" aria-valuemin="1"><div id="spacer"></div><canvas id="canvas"></canvas></div>
</section>
<script type="application/json" id="stepwise-data">${scriptJson(data)}</script>
<script>
${script}
</script>
</body>
</html>
`;
}
