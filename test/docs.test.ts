// Code samples in docs/ and the README are produced by the tools: each `js output` block is the
// transform of the `js input NAME` block before it (runtime import line left out, except in loop mode),
// and each `text trace NAME` block is the event loop's trace of running that input (see
// test/support/doc-samples.ts; regenerate them with `npx tsx scripts/update-doc-samples.ts`). A
// `python check NAME` block runs with python3 (when installed) and must print what NAME prints.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DOC_FILES, pythonChecks, samples } from "./support/doc-samples.ts";

const root = join(import.meta.dirname, "..");

describe.each(DOC_FILES)("%s", (file) => {
  const found = samples(readFileSync(join(root, file), "utf8"));
  it("has samples", () => expect(found.length).toBeGreaterThan(0));
  for (const sample of found) {
    it(sample.title, async () => expect(await sample.expected()).toBe(sample.block.body));
  }
  const python = spawnSync("python3", ["--version"]).status === 0;
  for (const check of pythonChecks(readFileSync(join(root, file), "utf8"))) {
    it.skipIf(!python)(`python: ${check.name}`, async () => {
      const run = spawnSync("python3", ["-c", check.code], { encoding: "utf8", timeout: 20_000 });
      expect(run.stderr).toBe("");
      expect(run.stdout).toBe(await check.expected());
    });
  }
});
