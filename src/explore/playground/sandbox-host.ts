// The script of the playground's sandboxed iframe (no same origin; its CSP allows no connection): it runs
// the program in a dedicated Worker (sandbox.ts, whose code the page sends), which a runaway program
// keeps busy on a thread of its own, not the page's. It gathers what the worker posts, hands the page
// the whole run when the worker is done, and on the page's "stop" (the time limit), or when the worker
// has recorded its most, terminates the worker and hands what was recorded until then.
import type { SandboxMessage } from "./sandbox.ts";

const events: Record<string, unknown>[] = [];
const output: string[] = [];
let worker: Worker | null = null;
let answered = false;

/** `stopped`: why the run was stopped before its end ("after 10 s"), or null. */
function answer(error: string | null, stopped: string | null): void {
  if (answered) return;
  answered = true;
  worker?.terminate();
  parent.postMessage({ type: "stepwise-trace", events, output, error, stopped }, "*");
}

window.addEventListener("message", (event) => {
  if (event.source !== parent) return;
  const message = event.data as { type: "run"; worker: string; code: string; topLevelAwait: boolean; file: string; mode: "promise" | "loop" } | { type: "stop"; reason: string };
  if (message.type === "stop") {
    answer(null, message.reason);
  } else if (message.type === "run" && worker === null) {
    try {
      worker = new Worker(URL.createObjectURL(new Blob([message.worker], { type: "text/javascript" })));
    } catch (error) {
      answer(`the sandbox could not start its worker: ${(error as Error).message}`, null);
      return;
    }
    worker.addEventListener("message", (event: MessageEvent<SandboxMessage>) => {
      const data = event.data;
      if (data.type === "chunk") {
        for (const recorded of data.events) events.push(recorded);
        for (const line of data.output) output.push(line);
      } else if (data.type === "done") {
        answer(data.error, null);
      } else if (data.type === "full") {
        answer(null, data.reason);
      }
    });
    worker.addEventListener("error", (event) => {
      event.preventDefault();
      answer(event.message || "the sandbox's worker failed", null);
    });
    worker.postMessage({ code: message.code, topLevelAwait: message.topLevelAwait, file: message.file, mode: message.mode });
  }
});
parent.postMessage({ type: "stepwise-sandbox-ready" }, "*");
