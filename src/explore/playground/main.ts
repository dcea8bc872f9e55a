// The playground: the explorer without a recorded file. The transform runs in the browser as the reader
// types (generated class and state graph update live); "Run" executes the lowered program in a sandboxed
// iframe that records the trace, and the explorer page for that trace opens below. Bundled for the
// browser by scripts/build-playground.mjs (npm run playground).
import { transformSync } from "@babel/core";
import modulesCommonjs from "@babel/plugin-transform-modules-commonjs";
import { buildModel } from "../../inspect/model.ts";
import { renderSvg } from "../../inspect/render.ts";
import { transform } from "../../transform/index.ts";
import { buildExploreData, GRAPH_LABEL_MOST, type TraceEventJson } from "../data.ts";
import { renderExplorerHtml } from "../page.ts";

/** Filled in by the build: example programs, the sandbox's script and the explorer page's script. */
declare const STEPWISE_EXAMPLES: Record<string, string>;
declare const STEPWISE_SANDBOX: string;
declare const STEPWISE_CLIENT: string;

const FILE = "playground.js";
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

for (const name of Object.keys(STEPWISE_EXAMPLES)) {
  const option = document.createElement("option");
  option.value = option.textContent = name;
  exampleSelect.append(option);
}

type Compiled = ReturnType<typeof transform>;
let latest: Compiled | null = null;
let generation = 0;

const mode = () => (modeSelect.value === "loop" ? "loop" : "promise");

function compile(source: string, machineInfo: boolean): Compiled {
  return transform(source, { filename: FILE, runtime: "require", sourceType: "unambiguous", machineInfo, ...(mode() === "loop" ? { mode: "loop" as const } : {}) });
}

/** What the sandbox runs: a module's imports and exports become require() calls and exports fields. */
function runnable(code: string): string {
  if (!/^\s*(import|export)\b/m.test(code)) return code;
  return transformSync(code, { filename: FILE, babelrc: false, configFile: false, sourceType: "module", plugins: [modulesCommonjs] })?.code ?? code;
}

/** The class and the graph for the current text (the graph of the function chosen, or the first). */
async function update(): Promise<void> {
  const mine = ++generation;
  const source = editor.value;
  try {
    latest = compile(source, false);
  } catch (error) {
    latest = null;
    status.textContent = (error as Error).message.split("\n")[0];
    status.className = "error";
    runButton.disabled = true;
    return;
  }
  status.textContent = `${latest.machines.length} machine${latest.machines.length === 1 ? "" : "s"}, ${latest.machines.reduce((sum, machine) => sum + machine.states.length, 0)} states`;
  status.className = "";
  runButton.disabled = false;
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
  // The loop's examples need loop mode.
  modeSelect.value = exampleSelect.value.startsWith("loop/") ? "loop" : "promise";
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

/** Runs the program in a fresh sandboxed iframe and resolves with its trace. */
function runInSandbox(code: string): Promise<{ events: TraceEventJson[]; output: string[]; error: string | null }> {
  return new Promise((resolve, reject) => {
    const frame = document.createElement("iframe");
    frame.setAttribute("sandbox", "allow-scripts");
    frame.title = "sandbox";
    frame.hidden = true;
    const limit = setTimeout(() => finish(() => reject(new Error("the program did not finish within 10 s"))), 10_000);
    const onMessage = (event: MessageEvent) => {
      if (event.source !== frame.contentWindow) return;
      const message = event.data as { type: string; events: TraceEventJson[]; output: string[]; error: string | null };
      if (message.type === "stepwise-sandbox-ready") frame.contentWindow!.postMessage({ code, file: FILE, mode: mode() }, "*");
      else if (message.type === "stepwise-trace") finish(() => resolve(message));
    };
    const finish = (then: () => void) => {
      clearTimeout(limit);
      window.removeEventListener("message", onMessage);
      frame.remove();
      then();
    };
    window.addEventListener("message", onMessage);
    frame.srcdoc = `<!doctype html><meta charset="utf-8"><script>${STEPWISE_SANDBOX.replace(/<\/script/gi, "<\\/script")}</script>`;
    document.body.append(frame);
  });
}

runButton.addEventListener("click", async () => {
  const source = editor.value;
  let traced: Compiled;
  let shown: Compiled;
  try {
    shown = compile(source, false);
    traced = compile(source, true);
  } catch (error) {
    status.textContent = (error as Error).message.split("\n")[0];
    status.className = "error";
    return;
  }
  runButton.disabled = true;
  status.textContent = "running…";
  try {
    const result = await runInSandbox(runnable(traced.code));
    output.textContent = result.output.join("\n") + (result.error ? `${result.output.length ? "\n" : ""}${result.error}` : "");
    const data = await buildExploreData({ file: FILE, mode: mode(), files: [{ path: FILE, source, code: shown.code, machines: shown.machines }], events: result.events });
    explorer.srcdoc = renderExplorerHtml(data, STEPWISE_CLIENT);
    explorer.hidden = false;
    const steps = result.events.filter((event) => event.type === "enter" || event.type === "leave").length;
    status.textContent = `ran: ${steps} steps${result.error ? ` (${result.error})` : ""}; step through them below`;
    status.className = result.error ? "error" : "";
    document.body.dataset.ran = String(Number(document.body.dataset.ran ?? 0) + 1);
  } catch (error) {
    status.textContent = (error as Error).message;
    status.className = "error";
  } finally {
    runButton.disabled = false;
  }
});

editor.value = STEPWISE_EXAMPLES["question.js"] ?? Object.values(STEPWISE_EXAMPLES)[0] ?? "";
void update().then(() => {
  document.body.dataset.ready = "true";
});
