// `npm run playground`: builds the playground into playground/ (index.html and playground.js), static
// files that any host can serve (or open from disk). The transform, Babel, the inspect model and the
// WebAssembly Graphviz run in the browser; programs run with the runtime in a Worker of a sandboxed iframe.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as esbuild from "esbuild";
import { clientScript, STYLE } from "../src/explore/page.ts";
import { nodeShims } from "./playground-shims.mjs";

const root = new URL("../", import.meta.url);
const out = new URL("playground/", root);
const read = (path: string) => readFileSync(new URL(path, root), "utf8");

const common: esbuild.BuildOptions = {
  bundle: true,
  format: "iife",
  platform: "browser",
  target: "es2022",
  minify: process.env.STEPWISE_PLAYGROUND_DEBUG === undefined,
  legalComments: "none",
  logLevel: "error",
  plugins: [nodeShims],
  // Babel reads process.env here and there; the transform finds its runtime folders from its own URL.
  banner: { js: 'var process = globalThis.process || { env: {}, cwd: () => "/", platform: "browser", version: "", versions: {}, emitWarning() {} };' },
  define: { "process.env.NODE_ENV": '"production"', "import.meta.url": '"file:///stepwise/src/transform/plugin.js"' },
  write: false,
};

// The event loop's streams make an empty Buffer when they load (there are no sockets in the sandbox).
const BUFFER =
  "var Buffer = globalThis.Buffer || { alloc: (n) => new Uint8Array(n), from: (x) => (typeof x === \"string\" ? new TextEncoder().encode(x) : Uint8Array.from(x))," +
  " concat(list) { const out = new Uint8Array(list.reduce((n, b) => n + b.length, 0)); let at = 0; for (const b of list) { out.set(b, at); at += b.length; } return out; }, isBuffer: (x) => x instanceof Uint8Array };";
// The sandbox: the program runs in a Worker (sandbox.ts) that the sandboxed iframe's script (sandbox-host.ts) starts.
const sandbox = await esbuild.build({ ...common, banner: { js: `${common.banner!.js}\n${BUFFER}` }, entryPoints: [new URL("src/explore/playground/sandbox.ts", root).pathname] });
const sandboxHost = await esbuild.build({ ...common, plugins: [], banner: {}, entryPoints: [new URL("src/explore/playground/sandbox-host.ts", root).pathname] });
const examples = Object.fromEntries(["question.js", "generator.js", "cleanup.js", "loop/question.js"].map((name) => [name, read(`examples/${name}`)]));
const main = await esbuild.build({
  ...common,
  entryPoints: [new URL("src/explore/playground/main.ts", root).pathname],
  define: {
    ...common.define,
    STEPWISE_EXAMPLES: JSON.stringify(examples),
    STEPWISE_SANDBOX: JSON.stringify(sandbox.outputFiles![0].text),
    STEPWISE_SANDBOX_HOST: JSON.stringify(sandboxHost.outputFiles![0].text),
    STEPWISE_CLIENT: JSON.stringify(clientScript()),
  },
});

const PAGE_STYLE = `
.play { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1.15fr) minmax(0, 1fr); border-bottom: 1px solid var(--line); }
#editor { width: 100%; height: 46vh; min-height: 240px; resize: vertical; border: 0; border-radius: 0; padding: 8px 10px; font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12.5px; line-height: 1.5; tab-size: 2; background: var(--bg); }
.play .code, .play .graph { height: 46vh; min-height: 240px; padding: 8px 10px; white-space: pre; }
#status { margin: 0; font-size: 13px; color: var(--muted); }
#status.error { color: var(--throw); font-weight: 600; }
#output { margin: 0; padding: 6px 12px; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12.5px; background: var(--panel); border-bottom: 1px solid var(--line); min-height: 2em; white-space: pre-wrap; }
#output:empty::before { content: "Console output appears here after Run."; color: var(--muted); }
#explorer { width: 100%; height: 92vh; border: 0; display: block; }
.stale { opacity: 0.45; }
.stale-note { font-weight: normal; font-size: 12px; color: var(--throw); }
#run-note { margin: 0; padding: 4px 12px; font-size: 13px; color: var(--throw); background: var(--panel); }
@media (max-width: 900px) { .play { grid-template-columns: minmax(0, 1fr); } #editor, .play .code, .play .graph { height: auto; min-height: 160px; max-height: 45vh; } }
`;

const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>stepwise playground</title>
<style>${STYLE}${PAGE_STYLE}</style>
</head>
<body>
<header>
  <h1>stepwise playground</h1>
  <label class="meta">example <select id="example" aria-label="Example program"></select></label>
  <label class="meta">mode <select id="mode" aria-label="Mode"><option value="promise">promise</option><option value="loop">loop</option></select></label>
  <div class="controls">
    <p id="status" role="status" aria-live="polite"></p>
    <button type="button" id="run" title="Run the program and step through it below">Run ▶</button>
  </div>
</header>
<main class="play">
  <section class="pane" aria-labelledby="h-editor">
    <h2 id="h-editor">Source <span class="meta">type here · Esc then Tab leaves</span></h2>
    <textarea id="editor" wrap="off" spellcheck="false" autocomplete="off" aria-label="Program source"></textarea>
  </section>
  <section class="pane" aria-labelledby="h-class">
    <h2 id="h-class">Generated classes <span class="stale-note" id="class-stale" hidden></span></h2>
    <pre class="code" id="class" tabindex="0" aria-label="Generated code"></pre>
  </section>
  <section class="pane" aria-labelledby="h-graph">
    <h2 id="h-graph">State graph <select id="fn" aria-label="Function shown"></select> <span class="stale-note" id="graph-stale" hidden></span></h2>
    <div class="graph" id="graph" aria-label="State graph"></div>
  </section>
</main>
<p id="run-note" role="status" hidden></p>
<pre id="output" aria-label="Console output"></pre>
<iframe id="explorer" title="Explorer of the last run" sandbox="allow-scripts" hidden></iframe>
<script src="playground.js"></script>
</body>
</html>
`;

mkdirSync(out, { recursive: true });
writeFileSync(new URL("playground.js", out), main.outputFiles![0].text);
writeFileSync(new URL("index.html", out), html);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} kB`;
process.stderr.write(`playground/: index.html, playground.js (${kb(main.outputFiles![0].contents.length)}, sandbox ${kb(sandbox.outputFiles![0].contents.length)})\n`);
