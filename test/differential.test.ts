// Every fixture runs natively and transformed in fresh contexts; the complete logs must be identical.
// Fixtures listed in known-divergences.txt are expected to differ (each line gives the reason); when one
// starts to match, its test fails so that the list is kept honest. This file is the first oracle, the
// machine's node (>= 20.19); differential-node24.test.ts runs the same fixtures on Node 24, and those whose
// first lines say `// requires node 24` only there.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runBoth } from "./support/harness.ts";
import { knownDivergences, listFixtures } from "./support/fixtures.ts";
import { NODE24 } from "./support/node24.ts";

// (a machine whose node is 24 or later has Node 24's divergences)
const known = knownDivergences(Number(process.versions.node.split(".")[0]) >= 24 ? "node24" : "node20");

describe("fixtures: native and transformed logs match", () => {
  it("runs on the machine's node, not the Node 24 of node_modules", () => {
    expect(process.execPath).not.toBe(NODE24);
  });
  for (const { name, file, node24Only } of listFixtures()) {
    if (node24Only) continue;
    const check = async () => {
      const { native, transformed, code } = await runBoth(readFileSync(file, "utf8"), name);
      expect(native.length, "the fixture logs something").toBeGreaterThan(0);
      expect(transformed, `transformed output:\n${code}`).toEqual(native);
    };
    if (known.has(name)) it.fails(`${name} (known: ${known.get(name)})`, check);
    else it(name, check);
  }
});
