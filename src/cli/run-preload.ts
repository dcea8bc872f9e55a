// Loaded with `node --import` before the program: installs the module hooks (which transform every
// file the program loads) and, with --trace, the tracer on the same runtime instance the code uses.
import { register } from "node:module";
import type { RunConfig } from "./run.ts";

const config = JSON.parse(process.env.STEPWISE_RUN ?? "{}") as RunConfig;
// Processes the program starts are plain Node processes.
delete process.env.STEPWISE_RUN;

const runtime = new URL(config.mode === "loop" ? "../loop/index.js" : "../runtime/index.js", import.meta.url);
register("./run-hooks.js", {
  parentURL: import.meta.url,
  data: { runtimeUrl: runtime.href, mode: config.mode, trace: config.trace !== null, cwd: process.cwd() },
});
// CommonJS files of the program reach the runtime through this global (see run-hooks.ts).
Object.defineProperty(globalThis, Symbol.for("stepwise.runtime"), { value: await import(runtime.href), configurable: true });
if (config.trace !== null) {
  const { startTracing } = await import("./trace.ts");
  await startTracing(config, new URL("../runtime/index.js", import.meta.url).href);
}
