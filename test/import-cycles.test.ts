// No import cycles in src/: dependency-cruiser (parsing TypeScript with swc, type-only imports included)
// lists every cycle, and there must be none.
import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { cruise } from "dependency-cruiser";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");

/** A cycle written from its smallest module on, so that every rotation reads the same. */
function key(cycle: string[]): string {
  const start = cycle.indexOf([...cycle].sort()[0]);
  return [...cycle.slice(start), ...cycle.slice(0, start)].join(" → ");
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(ts|js)$/.test(entry.name) ? [relative(root, path).split(sep).join("/")] : [];
  });
}

describe("import cycles in src/", async () => {
  const result = await cruise(["src"], {
    baseDir: root,
    parser: "swc",
    tsPreCompilationDeps: true,
    validate: true,
    doNotFollow: { path: "node_modules" },
    ruleSet: { forbidden: [{ name: "no-circular", severity: "error", from: {}, to: { circular: true } }] },
  });
  const output = result.output as Exclude<typeof result.output, string>;
  const found = output.summary.violations
    .filter((violation) => violation.rule.name === "no-circular")
    .map((violation) => key([violation.from, ...(violation.cycle ?? []).map((step) => step.name)].slice(0, -1)));

  it("every module in src/ was read (a missing parser would find no cycles at all)", () => {
    const read = new Set(output.modules.map((module) => module.source));
    expect(sources(join(root, "src")).filter((path) => !read.has(path))).toEqual([]);
  });

  it("there is none", () => {
    expect(found).toEqual([]);
  });
});
