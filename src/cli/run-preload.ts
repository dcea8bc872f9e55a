// Loaded with `node --import` before the program: installs the module hooks (which transform every
// file the program loads) and, with --trace, the tracer on the same runtime instance the code uses.
import { register } from "node:module";
import { MODES } from "./mode.ts";
import { RUN_CONFIG_VARIABLE, RUNTIME_GLOBAL, type RunConfig } from "./run-config.ts";
import type { HookData } from "./run-hooks.ts";

const config = JSON.parse(process.env[RUN_CONFIG_VARIABLE] ?? "{}") as RunConfig;
// Processes the program starts are plain Node processes.
delete process.env[RUN_CONFIG_VARIABLE];

const { runtimeUrl } = MODES[config.mode];
const data: HookData = { runtimeUrl, mode: config.mode, trace: config.trace !== null, cwd: process.cwd(), babel: config.babel };
register("./run-hooks.js", { parentURL: import.meta.url, data });
// CommonJS files of the program reach the runtime through this global (see run-hooks.ts).
Object.defineProperty(globalThis, Symbol.for(RUNTIME_GLOBAL), { value: await import(runtimeUrl), configurable: true });
if (config.trace !== null) {
  const { startTracing } = await import("./trace/index.ts");
  await startTracing(config);
}
