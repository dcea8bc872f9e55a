import { relative } from "node:path";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Rough serial durations (ms) of the slowest files, for a run without vitest's results cache (CI's fresh
 * `npm ci`), where vitest would otherwise start the largest files by bytes first and leave the two
 * differential files, among the smallest and the slowest, to the end. Only the order depends on these:
 * a stale figure costs some wall time, never a test.
 */
const SLOW_FILES: Record<string, number> = {
  "test/cli/build-projects.test.ts": 85_000,
  "test/cli/build-threads.test.ts": 55_000,
  "test/real-code.test.ts": 50_000,
  "test/differential.test.ts": 47_000,
  "test/cli/build.test.ts": 46_000,
  "test/cli/run.test.ts": 45_000,
  "test/differential-node24.test.ts": 38_000,
  "test/cli/command-line.test.ts": 37_000,
  "test/explore/browser.test.ts": 35_000,
  "test/fuzz.test.ts": 30_000,
  "test/cli/run-options.test.ts": 28_000,
  "test/tree-scopes.test.ts": 21_000,
  "test/cli/explore.test.ts": 20_000,
};

/**
 * Longest first, so that no slow file starts last while the other workers sit idle: by the duration of the
 * file's last run (vitest's results cache), else by SLOW_FILES, else by the default order.
 */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const expected = (spec: TestSpecification) => {
      const path = relative(this.ctx.config.root, spec.moduleId);
      return this.ctx.cache.getFileTestResults(`${spec.project.name}:${path}`)?.duration ?? SLOW_FILES[path] ?? 0;
    };
    // (Array.prototype.sort is stable: files with no figure keep the default order after the others)
    return sorted.sort((a, b) => expected(b) - expected(a));
  }
}

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    // Every core, where vitest's default (all but one) runs the files one at a time on a 2-core machine
    // (CI's, too): most of the run is spent in spawned `stepwise` and `node` processes and on Node 24,
    // which a second worker overlaps.
    maxWorkers: "100%",
    sequence: { sequencer: LongestFirst },
  },
});
