// The Babel plugin: every async function, innermost first, becomes a machine class and a wrapper.
import type { PluginObj, PluginPass } from "@babel/core";
import type { NodePath } from "@babel/traverse";
import * as t from "@babel/types";
import { basename } from "node:path";
import { StepwiseError, UnsupportedError } from "./errors.ts";
import { FileContext } from "./file-context.ts";
import { lowerAsyncFunction } from "./lower-function.ts";
import { runtimeFunctions, runtimeImport, type RuntimeMode } from "./runtime-import.ts";

export interface StepwiseOptions {
  /** How generated code reaches the runtime. Default: `import` in modules, `require` in scripts. */
  runtime?: RuntimeMode;
  /** Module specifier of the runtime. */
  runtimeModule?: string;
}

interface State extends PluginPass {
  stepwise?: FileContext;
}

const OPTION_KEYS = new Set(["runtime", "runtimeModule"]);

export function validateOptions(options: Record<string, unknown>): StepwiseOptions {
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) throw new Error(`stepwise: unknown option "${key}" (known: ${[...OPTION_KEYS].join(", ")})`);
  }
  const runtime = options.runtime;
  if (runtime !== undefined && runtime !== "import" && runtime !== "require" && runtime !== "inline") {
    throw new Error(`stepwise: option "runtime" must be "import", "require" or "inline", got ${JSON.stringify(runtime)}`);
  }
  if (options.runtimeModule !== undefined && typeof options.runtimeModule !== "string") {
    throw new Error(`stepwise: option "runtimeModule" must be a string`);
  }
  return options as StepwiseOptions;
}

export default function stepwisePlugin(_api: unknown, rawOptions: Record<string, unknown> = {}): PluginObj<State> {
  const options = validateOptions(rawOptions);
  return {
    name: "stepwise",
    visitor: {
      Program: {
        enter(program, state) {
          state.stepwise = new FileContext(state.file.code, basename(displayName(state)), program);
        },
        exit(program, state) {
          const file = state.stepwise!;
          state.file.metadata = Object.assign(state.file.metadata ?? {}, { stepwise: { machines: file.machines } });
          if (file.runtimeNames.size === 0) return;
          const mode = options.runtime ?? (program.node.sourceType === "module" ? "import" : "require");
          const header = runtimeImport(mode, file.runtimeNames, options.runtimeModule ?? "stepwise/runtime");
          program.unshiftContainer("body", header);
        },
      },
      Function: {
        exit(path, state) {
          const { async, generator } = path.node;
          if (!(async || generator) || runtimeFunctions.has(path.node)) return;
          const file = state.stepwise!;
          try {
            file.machines.push(lowerAsyncFunction(path as NodePath<t.Function>, file));
          } catch (error) {
            if (error instanceof UnsupportedError) {
              const loc = error.node?.loc?.start ?? path.node.loc?.start ?? { line: 1, column: 0 };
              throw new StepwiseError("unsupported", error.message, displayName(state), state.file.code, loc);
            }
            throw error;
          }
        },
      },
    },
  };
}

/** The file name as the caller spelled it (Babel makes `filename` absolute). */
function displayName(state: PluginPass): string {
  return state.file.opts.sourceFileName ?? state.filename ?? "input.js";
}
