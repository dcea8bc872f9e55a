// No import cycles in src/: dependency-cruiser (parsing TypeScript with swc, type-only imports included)
// lists every cycle, and each one must be on the allowlist below. A listed cycle that no longer exists
// fails too, so the list only ever shrinks.
import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { cruise } from "dependency-cruiser";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");

/**
 * Cycles that exist today, each as the modules around it (in import order, any rotation). All are in the
 * transform: explode-expressions.ts and explode-patterns.ts import each other, and both import `named`
 * back from lower-function.ts, which reaches them through explode-statements.ts. Remove an entry when its
 * cycle is gone (the last test says which); never add one. src/cli and src/inspect have none.
 */
const ALLOWED: string[][] = [
  ["src/transform/explode-expressions.ts", "src/transform/explode-patterns.ts"],
  ["src/transform/explode-expressions.ts", "src/transform/lower-function.ts", "src/transform/explode-statements.ts"],
  ["src/transform/explode-patterns.ts", "src/transform/lower-function.ts", "src/transform/explode-statements.ts"],
];

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

  it("every cycle is on the allowlist", () => {
    const allowed = new Set(ALLOWED.map(key));
    expect(found.filter((cycle) => !allowed.has(cycle))).toEqual([]);
  });

  it("every cycle on the allowlist still exists (remove the ones that are gone)", () => {
    const present = new Set(found);
    expect(ALLOWED.map(key).filter((cycle) => !present.has(cycle))).toEqual([]);
  });
});
