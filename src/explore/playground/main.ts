// The playground: the explorer without a recorded file. The transform runs in the browser as the reader
// types (generated class and state graph update live); "Run" executes the lowered program in a Worker of a
// sandboxed iframe that records the trace (sandbox-host.ts, sandbox.ts), and the explorer page for that
// trace opens below. Bundled for the browser by scripts/build-playground.ts (npm run playground).
import { transformSync } from "@babel/core";
import modulesCommonjs from "@babel/plugin-transform-modules-commonjs";
import { buildModel } from "../../inspect/model.ts";
import { renderSvg } from "../../inspect/render.ts";
import { modeOf } from "../../cli/mode.ts";
import { transform } from "../../transform/index.ts";
import { buildExploreData, GRAPH_LABEL_MOST, type TraceEventJson } from "../data.ts";
import { renderExplorerHtml } from "../page.ts";

/** Filled in by the build: example programs, the sandbox's scripts (its worker's, its iframe's) and the explorer page's script. */
declare const STEPWISE_EXAMPLES: Record<string, string>;
declare const STEPWISE_SANDBOX: string;
declare const STEPWISE_SANDBOX_HOST: string;
declare const STEPWISE_CLIENT: string;

const FILE = "playground.js";
/** How long a run may take: then the sandbox's worker is terminated, and what it recorded until then is shown. */
const LIMIT_MS = 10_000;
/**
 * The sandbox iframe's policy: its inline script, the blob: worker that runs the program (which inherits
 * this policy: `'unsafe-eval'` for the program's code, run with the Function constructor), and no
 * connection, image, frame or anything else.
 */
const SANDBOX_CSP = "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval' blob:; worker-src blob:";
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const editor = $<HTMLTextAreaElement>("editor");
const classPane = $<HTMLPreElement>("class");
const graphPane = $<HTMLDivElement>("graph");
const fnSelect = $<HTMLSelectElement>("fn");
const status = $<HTMLParagraphElement>("status");
const runButton = $<HTMLButtonElement>("run");
const exampleSelect = $<HTMLSelectElement>("example");
const modeSelect = $<HTMLSelectElement>("mode");
const output = $<HTMLPreElement>("output");
const explorer = $<HTMLIFrameElement>("explorer");
const runNote = $<HTMLParagraphElement>("run-note");
const classNote = $<HTMLSpanElement>("class-stale");
const graphNote = $<HTMLSpanElement>("graph-stale");

for (const name of Object.keys(STEPWISE_EXAMPLES)) {
  const option = document.createElement("option");
  option.value = option.textContent = name;
  exampleSelect.append(option);
}

type Compiled = ReturnType<typeof transform>;
let latest: Compiled | null = null;
let generation = 0;
/** The code and mode of the run whose output and explorer are shown (null: none shown). */
let shownRun: { source: string; mode: string } | null = null;
let running = false;
/** The mode the program's imports call for (`stepwise/loop`: loop, as the CLI chooses); the mode menu follows it when it changes. */
let importsMode: string | null = null;

const mode = () => (modeSelect.value === "loop" ? "loop" : "promise");

function compile(source: string, machineInfo: boolean): Compiled {
  return transform(source, { filename: FILE, runtime: "require", sourceType: "unambiguous", machineInfo, ...(mode() === "loop" ? { mode: "loop" as const } : {}) });
}

/**
 * What the sandbox runs: a module's imports and exports become require() calls and exports fields; and
 * whether it awaits at its top level (an ES module may, as `stepwise run` runs it): the sandbox then runs
 * it as the body of an async function.
 */
function runnable(code: string): { code: string; topLevelAwait: boolean } {
  let topLevelAwait = false;
  const atTop = (path: { getFunctionParent(): unknown }) => {
    if (!path.getFunctionParent()) topLevelAwait = true;
  };
  const awaits = {
    visitor: {
      AwaitExpression: atTop,
      ForOfStatement(path: { node: { await?: boolean }; getFunctionParent(): unknown }) {
        if (path.node.await) atTop(path);
      },
      VariableDeclaration(path: { node: { kind: string }; getFunctionParent(): unknown }) {
        if (path.node.kind === "await using") atTop(path);
      },
    },
  };
  const module = /^\s*(import|export)\b/m.test(code);
  const options = { filename: FILE, babelrc: false, configFile: false, parserOpts: { allowAwaitOutsideFunction: true } };
  if (module) return { code: transformSync(code, { ...options, sourceType: "module", plugins: [awaits, modulesCommonjs] })?.code ?? code, topLevelAwait };
  try {
    transformSync(code, { ...options, sourceType: "script", plugins: [awaits], code: false });
  } catch {
    // (a script where `await` is a name, as in `var await`, which has no top-level await: it runs as it is)
  }
  return { code, topLevelAwait };
}

/** Marks a pane (and the note in its heading) as out of date, or as current. */
function markStale(pane: HTMLElement, note: HTMLElement, text: string | null): void {
  pane.classList.toggle("stale", text !== null);
  note.hidden = text === null;
  note.textContent = text ?? "";
}

/** The output and the explorer: marked as out of date when they are of other code (or another mode) than the editor's, or while a run is on. */
function markRun(): void {
  const stale = shownRun === null ? null : running ? "from the previous run (running…)" : shownRun.source !== editor.value || shownRun.mode !== mode() ? "from a run of earlier code: Run to update" : null;
  output.classList.toggle("stale", stale !== null);
  explorer.classList.toggle("stale", stale !== null);
  runNote.hidden = stale === null;
  runNote.textContent = stale === null ? "" : `The output and the explorer below are ${stale}.`;
}

/** No output and no explorer: what was shown belongs to no run of the code shown. */
function clearRun(): void {
  shownRun = null;
  output.textContent = "";
  explorer.hidden = true;
  explorer.srcdoc = "";
  markRun();
}

/** The class and the graph for the current text (the graph of the function chosen, or the first). */
async function update(): Promise<void> {
  const mine = ++generation;
  const source = editor.value;
  const wanted = modeOf(source);
  if (wanted !== importsMode) {
    importsMode = wanted;
    modeSelect.value = wanted;
  }
  markRun();
  try {
    latest = compile(source, false);
  } catch (error) {
    latest = null;
    status.textContent = (error as Error).message.split("\n")[0];
    status.className = "error";
    runButton.disabled = true;
    // The class and the graph shown are of the last code that compiled.
    markStale(classPane, classNote, "of the last code that compiled");
    markStale(graphPane, graphNote, "of the last code that compiled");
    fnSelect.disabled = true;
    return;
  }
  markStale(classPane, classNote, null);
  markStale(graphPane, graphNote, null);
  fnSelect.disabled = false;
  status.textContent = `${latest.machines.length} machine${latest.machines.length === 1 ? "" : "s"}, ${latest.machines.reduce((sum, machine) => sum + machine.states.length, 0)} states`;
  status.className = "";
  runButton.disabled = running;
  classPane.textContent = latest.code;
  const doc = buildModel(FILE, latest.machines);
  const chosen = fnSelect.value;
  fnSelect.replaceChildren(
    ...doc.functions.map((fn, i) => {
      const option = document.createElement("option");
      option.value = String(i);
      option.textContent = `${fn.name} (line ${fn.line})`;
      return option;
    }),
  );
  if (chosen && Number(chosen) < doc.functions.length) fnSelect.value = chosen;
  const fn = doc.functions[Number(fnSelect.value || 0)];
  if (!fn) {
    graphPane.textContent = "No async function or generator yet.";
    return;
  }
  const svg = await renderSvg({ ...doc, functions: [fn] }, { labelMost: GRAPH_LABEL_MOST });
  if (mine === generation) graphPane.innerHTML = svg.slice(svg.indexOf("<svg"));
}

let timer: ReturnType<typeof setTimeout> | undefined;
editor.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(() => void update(), 200);
});
fnSelect.addEventListener("change", () => void update());
exampleSelect.addEventListener("change", () => {
  editor.value = STEPWISE_EXAMPLES[exampleSelect.value];
  // An example runs in its own mode (the loop's examples import stepwise/loop), whatever was chosen before.
  importsMode = null;
  void update();
});
modeSelect.addEventListener("change", () => void update());
// Tab indents in the editor; Escape then Tab leaves it (keyboard users are not trapped).
let escaped = false;
editor.addEventListener("keydown", (event) => {
  if (event.key === "Escape") escaped = true;
  else if (event.key === "Tab" && !escaped && !event.shiftKey) {
    event.preventDefault();
    editor.setRangeText("  ", editor.selectionStart, editor.selectionEnd, "end");
    editor.dispatchEvent(new Event("input"));
  } else escaped = false;
});

interface RunResult {
  events: TraceEventJson[];
  output: string[];
  error: string | null;
  /** Why the run was stopped before its end ("after 10 s", "at 50,000 events"; what it recorded until then is here), or null. */
  stopped: string | null;
}

/**
 * Runs the program in a fresh sandboxed iframe (in a Worker the iframe starts) and resolves with its trace.
 * At the time limit (or at the most the worker records) the iframe terminates the worker and answers with what
 * was recorded until then; it is removed then.
 */
function runInSandbox(program: { code: string; topLevelAwait: boolean }, runMode: "promise" | "loop"): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const frame = document.createElement("iframe");
    frame.setAttribute("sandbox", "allow-scripts");
    frame.title = "sandbox";
    frame.hidden = true;
    let limit = setTimeout(() => {
      frame.contentWindow?.postMessage({ type: "stop", reason: `after ${LIMIT_MS / 1000} s` }, "*");
      // (should the iframe not answer, though its own thread is free: the program runs in its worker)
      limit = setTimeout(() => finish(() => reject(new Error(`the program did not finish within ${LIMIT_MS / 1000} s, and its sandbox did not answer`))), 2000);
    }, LIMIT_MS);
    const onMessage = (event: MessageEvent) => {
      if (event.source !== frame.contentWindow) return;
      const message = event.data as { type: string } & RunResult;
      if (message.type === "stepwise-sandbox-ready") frame.contentWindow!.postMessage({ type: "run", worker: STEPWISE_SANDBOX, ...program, file: FILE, mode: runMode }, "*");
      else if (message.type === "stepwise-trace") finish(() => resolve(message));
    };
    const finish = (then: () => void) => {
      clearTimeout(limit);
      window.removeEventListener("message", onMessage);
      frame.remove();
      then();
    };
    window.addEventListener("message", onMessage);
    const script = STEPWISE_SANDBOX_HOST.replace(/<\/script/gi, "<\\/script");
    frame.srcdoc = `<!doctype html><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${SANDBOX_CSP}"><script>${script}</script>`;
    document.body.append(frame);
  });
}

/** The steps the explorer steps through (client.js counts them so): its "of N". */
function explorerSteps(events: TraceEventJson[], runMode: "promise" | "loop"): number {
  let n = 0;
  for (const event of events) {
    if (event.type === "enter" || event.type === "leave") n++;
    else if (runMode === "promise" && (event.type === "macrotask" || event.type === "microtask")) n++;
    else if (runMode === "loop" && event.type === "loop" && event.event !== "suspend") n++;
  }
  return n;
}

const plural = (n: number, word: string) => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;

runButton.addEventListener("click", async () => {
  const source = editor.value;
  const runMode = mode();
  let traced: Compiled;
  let shown: Compiled;
  let program: ReturnType<typeof runnable>;
  try {
    shown = compile(source, false);
    traced = compile(source, true);
    program = runnable(traced.code);
  } catch (error) {
    status.textContent = (error as Error).message.split("\n")[0];
    status.className = "error";
    clearRun();
    return;
  }
  runButton.disabled = true;
  running = true;
  markRun();
  status.textContent = `running… (stopped if not done in ${LIMIT_MS / 1000} s)`;
  status.className = "";
  try {
    const result = await runInSandbox(program, runMode);
    const stopped = result.stopped ? `stopped ${result.stopped} (the program did not finish)` : null;
    const failure = stopped ?? result.error;
    output.textContent = result.output.join("\n") + (failure ? `${result.output.length ? "\n" : ""}${failure}` : "");
    // (a stopped program's trace has no exit event, as a killed program's: the explorer shows the step it was stopped in)
    const data = await buildExploreData({ file: FILE, mode: runMode, files: [{ path: FILE, source, code: shown.code, machines: shown.machines }], events: result.events });
    explorer.srcdoc = renderExplorerHtml(data, STEPWISE_CLIENT);
    explorer.hidden = false;
    shownRun = { source, mode: runMode };
    // (the steps the explorer counts: the machines' steps, and in promise mode the macrotasks, in loop mode the loop's events)
    const n = explorerSteps(result.events, runMode);
    const below = n > 0 ? ": step through them below" : "";
    status.textContent = stopped ? `${stopped}; ${plural(n, "step")} recorded until then${below}` : `ran: ${plural(n, "step")}${result.error ? ` (${result.error})` : ""}${below}`;
    status.className = failure ? "error" : "";
  } catch (error) {
    // Nothing of this run to show: no earlier run's output or explorer either.
    clearRun();
    status.textContent = (error as Error).message;
    status.className = "error";
  } finally {
    running = false;
    markRun();
    runButton.disabled = latest === null;
    document.body.dataset.ran = String(Number(document.body.dataset.ran ?? 0) + 1);
  }
});

editor.value = STEPWISE_EXAMPLES["question.js"] ?? Object.values(STEPWISE_EXAMPLES)[0] ?? "";
void update().then(() => {
  document.body.dataset.ready = "true";
});
