// Loaded with `node --require` before the program: installs the module hooks and the CommonJS loader's
// hook (which transform every file the program loads) and, with --trace, the tracer on the same runtime instance the code uses.
// An ES module required (Node 20.19+), so synchronous throughout (what it loads, it requires): a preload
// given with --import would make Node load even a CommonJS program through its ES module loader, inside a
// promise job, where the program's first microtasks run before its first process.nextTick callbacks,
// its top-level throw reaches `uncaughtException` as an unhandled rejection, and `module.parent` is undefined.
import nodeModule, { createRequire, register } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
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
const require = createRequire(import.meta.url);
// With --trace, Babel is loaded now rather than in the middle of the run (which would add turns to the trace).
const compiler = config.trace !== null ? (require("./compile.js") as typeof import("./compile.ts")) : null;
// ES modules through the module hooks (in this thread where Node can: run-hooks.ts), CommonJS through the
// CommonJS loader.
const { registerHooks } = nodeModule as { registerHooks?: (hooks: ReturnType<typeof syncHooks>) => unknown };
if (registerHooks) registerHooks(syncHooks(data, compiler));
else {
  register("./run-hooks.js", { parentURL: import.meta.url, data });
  // (the hooks' worker queues process.nextTick callbacks as it starts: run now, they would be pending
  // when the program's first turn ends, whose microtasks Node would then run from its tick queue's
  // function, a frame of their stack traces that natively is not there)
  (process as unknown as { _tickCallback?: () => void })._tickCallback?.();
}
installRequireHook(data, compiler);
// CommonJS files of the program reach the runtime through this global (see run-transform.ts).
const runtime = require(fileURLToPath(runtimeUrl)) as Parameters<typeof installAsyncStacks>[0];
Object.defineProperty(globalThis, Symbol.for(RUNTIME_GLOBAL), { value: runtime, configurable: true });
// Stack traces like Node's for native async functions (run-stacks.ts), on the driver the runtime uses.
installAsyncStacks(runtime);
if (config.trace !== null) {
  const { startTracing } = require("./trace/index.js") as typeof import("./trace/index.ts");
  startTracing(config);
}
// --require modules, after the hooks (so that they are transformed) and the tracer, as Node would load them.
if (config.requires?.length) {
  const load = createRequire(join(process.cwd(), "[stepwise-require]"));
  for (const request of config.requires) load(request);
}
