// Files the tests read in bulk: what is under a directory, and real code from node_modules.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Files under `dir` whose names match, in path order. */
export function* filesUnder(dir: string, pattern: RegExp, intoNodeModules = false): Generator<string> {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (intoNodeModules || entry.name !== "node_modules") yield* filesUnder(path, pattern, intoNodeModules);
    } else if (entry.isFile() && pattern.test(entry.name)) yield path;
  }
}

/**
 * Real code: the files of node_modules (under `root`) with async functions or generators, in path order, none
 * over 200 KB, up to `cap` bytes in all (as bench/corpus.ts takes them).
 */
export function realCode(root: string, cap: number): string[] {
  const files: string[] = [];
  let bytes = 0;
  for (const file of filesUnder(join(root, "node_modules"), /\.[mc]?js$/, true)) {
    const code = readFileSync(file, "utf8");
    if (!/\basync\b|function\s*\*/.test(code) || code.length > 200_000) continue;
    if (bytes + code.length > cap) break;
    bytes += code.length;
    files.push(file);
  }
  return files;
}
