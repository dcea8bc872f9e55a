// Helpers for the event-loop suites: transform a program in loop mode (the generated import points at
// src/loop/index.js through a file URL), write it to a temporary directory and import it.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { transform } from "../../src/transform/index.ts";

export const loopUrl = new URL("../../src/loop/index.js", import.meta.url).href;
export const runtimeUrl = new URL("../../src/runtime/index.js", import.meta.url).href;

let work: string | null = null;
let count = 0;

function workDir(): string {
  if (work === null) {
    work = mkdtempSync(join(tmpdir(), "stepwise-loop-"));
    mkdirSync(work, { recursive: true });
  }
  return work;
}

/** `code` transformed in loop mode, with `stepwise/loop` (in the code and the generated import) pointing at the sources. */
export function loopCode(code: string, filename = "program.mjs"): string {
  const source = code.replaceAll('"stepwise/loop"', JSON.stringify(loopUrl));
  return transform(source, { filename, mode: "loop", runtimeModule: loopUrl }).code;
}

/** Transforms `code` (a module) in loop mode and imports it. */
export async function importLoop<T = Record<string, any>>(code: string, name = "program"): Promise<T> {
  const file = join(workDir(), `${name}-${++count}.mjs`);
  writeFileSync(file, loopCode(code, `${name}.mjs`));
  return import(pathToFileURL(file).href) as Promise<T>;
}

/** Writes `code` as is (native) and imports it. */
export async function importNative<T = Record<string, any>>(code: string, name = "native"): Promise<T> {
  const file = join(workDir(), `${name}-${++count}.mjs`);
  writeFileSync(file, code.replaceAll('"stepwise/loop"', JSON.stringify(loopUrl)));
  return import(pathToFileURL(file).href) as Promise<T>;
}
