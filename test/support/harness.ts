// Differential harness: runs a program in a fresh vm context, natively or transformed, and records the
// complete log (console output, uncaught errors) once every timer it started has fired.
import { transformSync } from "@babel/core";
import presetTypescript from "@babel/preset-typescript";
import { transform } from "../../src/transform/index.ts";
import { runProgram } from "./run-program.ts";

export { runProgram, type RunResult } from "./run-program.ts";

/** TypeScript fixtures run as JavaScript: types are stripped (after the transform, for the transformed run). */
export function runnable(code: string, filename: string): string {
  if (!/\.[mc]?tsx?$/.test(filename)) return code;
  const result = transformSync(code, {
    filename,
    babelrc: false,
    configFile: false,
    presets: [[presetTypescript, { onlyRemoveTypeImports: true, allowDeclareFields: true }]],
  });
  return result!.code!;
}

/** Runs a program natively and transformed (with `options` besides); returns both logs and the transformed code. */
export async function runBoth(code: string, filename: string, options: { machineInfo?: boolean } = {}) {
  const native = await runProgram(runnable(code, filename), filename);
  const output = transform(code, { filename, runtime: "inline", ...options });
  const transformed = await runProgram(runnable(output.code, filename), filename);
  return { native: native.log, transformed: transformed.log, code: output.code };
}
