// Loaded with `node --import` before the program: installs the module hooks and the CommonJS loader's
// hook (which transform every file the program loads) and, with --trace, the tracer on the same runtime instance the code uses.
import nodeModule, { createRequire, register } from "node:module";
import { join } from "node:path";
import { MODES } from "./mode.ts";
import { RUN_CONFIG_VARIABLE, RUNTIME_GLOBAL, type RunConfig } from "./run-config.ts";
import { syncHooks, type HookData } from "./run-hooks.ts";
import { cacheDirectory } from "./run-cache.ts";
import { installRequireHook } from "./run-require.ts";
import { installAsyncStacks } from "./run-stacks.ts";

const config = JSON.parse(process.env[RUN_CONFIG_VARIABLE] ?? "{}") as RunConfig;
// Node processes the program forks (child_process.fork, node --test, worker pools) inherit the preload with
// Node's flags, and run transformed too, as under tsx; only this process writes the trace.
process.env[RUN_CONFIG_VARIABLE] = JSON.stringify({ ...config, trace: null, traceFile: null } satisfies RunConfig);

const { runtimeUrl } = MODES[config.mode];
const data: HookData = { runtimeUrl, mode: config.mode, trace: config.trace !== null, cwd: process.cwd(), babel: config.babel, cacheDir: config.cacheDir === undefined ? cacheDirectory(process.cwd()) : config.cacheDir };
// With --trace, Babel is loaded now rather than in the middle of the run (which would add turns to the trace).
const compiler = config.trace !== null ? await import("./compile.ts") : null;
// ES modules through the module hooks (in this thread where Node can: run-hooks.ts), CommonJS through the
// CommonJS loader.
const { registerHooks } = nodeModule as { registerHooks?: (hooks: ReturnType<typeof syncHooks>) => unknown };
if (registerHooks) registerHooks(syncHooks(data, compiler));
else register("./run-hooks.js", { parentURL: import.meta.url, data });
installRequireHook(data, compiler);
// CommonJS files of the program reach the runtime through this global (see run-transform.ts).
const runtime = await import(runtimeUrl);
Object.defineProperty(globalThis, Symbol.for(RUNTIME_GLOBAL), { value: runtime, configurable: true });
// Stack traces like Node's for native async functions (run-stacks.ts), on the driver the runtime uses.
installAsyncStacks(runtime);
if (config.trace !== null) {
  const { startTracing } = await import("./trace/index.ts");
  await startTracing(config);
}
// --require modules, after the hooks (so that they are transformed) and the tracer, as Node would load them.
if (config.requires?.length) {
  const load = createRequire(join(process.cwd(), "[stepwise-require]"));
  for (const request of config.requires) load(request);
}
