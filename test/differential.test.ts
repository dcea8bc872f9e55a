// Every fixture runs natively and transformed in fresh contexts; the complete logs must be identical.
// Fixtures listed in known-divergences.txt are expected to differ (each line gives the reason); when one
// starts to match, its test fails so that the list is kept honest.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { runBoth } from "./support/harness.ts";

const root = join(import.meta.dirname, "..", "fixtures");

function listFixtures(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return listFixtures(path);
      return /\.(js|ts)$/.test(name) ? [path] : [];
    });
}

const known = new Map(
  readFileSync(join(import.meta.dirname, "known-divergences.txt"), "utf8")
    .split("\n")
    .filter((line) => line.trim() && !line.startsWith("#"))
    .map((line) => {
      const [name, ...reason] = line.split(/\s+#\s*/);
      return [name.trim(), reason.join(" # ")] as const;
    }),
);

describe("fixtures: native and transformed logs match", () => {
  for (const file of listFixtures(root)) {
    const name = relative(root, file);
    const check = async () => {
      const { native, transformed, code } = await runBoth(readFileSync(file, "utf8"), name);
      expect(native.length, "the fixture logs something").toBeGreaterThan(0);
      expect(transformed, `transformed output:\n${code}`).toEqual(native);
    };
    if (known.has(name)) it.fails(`${name} (known: ${known.get(name)})`, check);
    else it(name, check);
  }
});
