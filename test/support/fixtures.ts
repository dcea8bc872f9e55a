// The differential fixtures (fixtures/**) and the divergences known for each oracle (known-divergences.txt).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

export const fixturesRoot = join(import.meta.dirname, "..", "..", "fixtures");

export type Oracle = "node20" | "node24";

export interface Fixture {
  /** The path relative to fixtures/, as known-divergences.txt names it. */
  name: string;
  file: string;
  /** Whether its first lines say `// requires node 24` (it uses syntax or built-ins Node 20 lacks). */
  node24Only: boolean;
  /**
   * Whether its first lines say `// requires transform()'s printing`: it reads source text that transform()
   * and the CLI copy as written and Babel's generator prints again (a function's toString()), so it is left out
   * where the plugin runs in @babel/core's own pipeline (test/babel8).
   */
  printedAsWritten: boolean;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return listFiles(path);
      return /\.(js|ts)$/.test(name) ? [path] : [];
    });
}

export function listFixtures(): Fixture[] {
  return listFiles(fixturesRoot).map((file) => ({
    name: relative(fixturesRoot, file),
    file,
    node24Only: requiresNode24(readFileSync(file, "utf8")),
    printedAsWritten: /^(\/\/.*\n)*\/\/ requires transform\(\)'s printing\b/.test(readFileSync(file, "utf8")),
  }));
}

/** Whether a program's first lines (line comments) include `// requires node 24`. */
export function requiresNode24(code: string): boolean {
  return /^(\/\/.*\n)*\/\/ requires node 24\b/.test(code);
}

/**
 * The fixtures expected to differ under `oracle`, with the reason. A line `name # reason` holds for both
 * oracles; `node20: name # reason` or `node24: name # reason` for one of them only.
 */
export function knownDivergences(oracle: Oracle): Map<string, string> {
  const known = new Map<string, string>();
  const text = readFileSync(join(import.meta.dirname, "..", "known-divergences.txt"), "utf8");
  for (const line of text.split("\n")) {
    if (!line.trim() || line.startsWith("#")) continue;
    const [head, ...reason] = line.split(/\s+#\s*/);
    const only = /^(node20|node24):\s*/.exec(head);
    if (only && only[1] !== oracle) continue;
    known.set(head.slice(only ? only[0].length : 0).trim(), reason.join(" # "));
  }
  return known;
}
