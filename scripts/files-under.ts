// The files under a directory, in path order: what the tests, the corpus bench and compare-outputs read in bulk.
import { readdirSync } from "node:fs";
import { join } from "node:path";

/**
 * Files under `dir` whose names match `pattern`, in path order (by name at each level); a directory is entered
 * where `enter` says so of its name (all of them by default). Symbolic links are not followed.
 */
export function* filesUnder(dir: string, pattern: RegExp, enter: (name: string) => boolean = () => true): Generator<string> {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (enter(entry.name)) yield* filesUnder(path, pattern, enter);
    } else if (entry.isFile() && pattern.test(entry.name)) yield path;
  }
}
