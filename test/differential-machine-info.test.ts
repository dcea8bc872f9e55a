// The fixtures of statements/ (loops, labels, switch, try/catch/finally around suspensions) compiled with
// `machineInfo`, as `stepwise run` compiles them: each class then also writes every state a state falls
// into within its try region (for the tracer's `through`), which must change nothing the program sees.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runBoth } from "./support/harness.ts";
import { knownDivergences, listFixtures } from "./support/fixtures.ts";

const known = knownDivergences(Number(process.versions.node.split(".")[0]) >= 24 ? "node24" : "node20");

describe("fixtures of statements/ with machineInfo: native and transformed logs match", () => {
  for (const { name, file, node24Only } of listFixtures()) {
    if (node24Only || !name.startsWith("statements/")) continue;
    const check = async () => {
      const { native, transformed, code } = await runBoth(readFileSync(file, "utf8"), name, { machineInfo: true });
      expect(transformed, `transformed output:\n${code}`).toEqual(native);
    };
    if (known.has(name)) it.fails(`${name} (known: ${known.get(name)})`, check);
    else it(name, check);
  }
});
