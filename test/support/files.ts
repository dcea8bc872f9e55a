// Files the tests read in bulk: real code from node_modules; and the three
// bodies of JavaScript that the analyses checked against Babel's crawl are run over.
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { expect, it } from "vitest";
import fc from "fast-check";
import { listFixtures } from "./fixtures.ts";
import { programArb, render } from "../../fuzz/generate.ts";
import { filesUnder } from "../../scripts/files-under.ts";

/**
 * Real code: the files of node_modules (under `root`) with async functions or generators, in path order, none
 * over 200 KB, up to `cap` bytes in all (as bench/corpus.ts takes them).
 */
export function realCode(root: string, cap: number): string[] {
  const files: string[] = [];
  let bytes = 0;
  for (const file of filesUnder(join(root, "node_modules"), /\.[mc]?js$/)) {
    const code = readFileSync(file, "utf8");
    if (!/\basync\b|function\s*\*/.test(code) || code.length > 200_000) continue;
    if (bytes + code.length > cap) break;
    bytes += code.length;
    files.push(file);
  }
  return files;
}

/**
 * Three tests, each asking `differences` (empty: none) of every input: every JavaScript fixture and example,
 * 200 programs the fuzzer generates (`seed`), and real code from node_modules (up to 1.5 MB; a file Babel cannot
 * parse or crawl is neither side's). Each expects no input with a difference.
 */
export function itHoldsOnEveryBody(root: string, differences: (code: string, filename: string) => string[], seed: number): void {
  const failures = (inputs: { name: string; code: () => string; filename: string }[]) =>
    inputs
      .map(({ name, code, filename }) => {
        try {
          return [name, differences(code(), filename).slice(0, 3)] as const;
        } catch (error) {
          if (filename.includes("node_modules")) return [name, []] as const;
          throw error;
        }
      })
      .filter(([, found]) => found.length > 0);
  const ofFiles = (files: string[]) => files.map((file) => ({ name: relative(root, file), code: () => readFileSync(file, "utf8"), filename: file }));

  it("every JavaScript fixture and example", () => {
    const fixtures = listFixtures().filter((fixture) => fixture.file.endsWith(".js"));
    const files = [...fixtures.map((fixture) => fixture.file), ...filesUnder(join(root, "examples"), /\.(js|mjs|cjs)$/, (name) => name !== "node_modules")];
    expect(files.length).toBeGreaterThan(500);
    expect(failures(ofFiles(files))).toEqual([]);
  }, 120_000);

  it("programs the fuzzer generates (200, a fixed seed)", () => {
    const programs = fc.sample(programArb(), { numRuns: 200, seed }).map((model) => render(model).code);
    expect(failures(programs.map((code) => ({ name: code.slice(0, 200), code: () => code, filename: "fuzz.js" })))).toEqual([]);
  }, 120_000);

  it("real code: node_modules files with async functions or generators (up to 1.5 MB)", () => {
    const files = realCode(root, 1.5 * 1024 * 1024);
    expect(files.length).toBeGreaterThan(20);
    expect(failures(ofFiles(files))).toEqual([]);
  }, 120_000);
}
