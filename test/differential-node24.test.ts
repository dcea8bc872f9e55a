// The second oracle: every fixture runs natively and transformed on Node 24 (test/support/node24.ts), and the
// complete logs must be identical, as on the machine's node (differential.test.ts). Fixtures whose first
// lines say `// requires node 24` (`using`, `await using`, ...) run only here. known-divergences.txt lists
// what may differ, for both oracles or (`node24: name # reason`) for this one only. A TypeScript fixture is made
// JavaScript by Node 24 itself (`module.stripTypeScriptTypes`, as `node file.ts`), natively and transformed.
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { knownDivergences, listFixtures } from "./support/fixtures.ts";
import { runBothOnNode24, runOnNode24, stopNode24 } from "./support/node24.ts";

const known = knownDivergences("node24");

afterAll(stopNode24);

describe("fixtures on Node 24: native and transformed logs match", () => {
  it("runs the programs on Node 24", async () => {
    const [log] = await runOnNode24([{ code: "console.log(typeof SuppressedError, typeof DisposableStack)", filename: "probe.js" }]);
    expect(log).toEqual(["function function"]);
  });
  for (const { name, file } of listFixtures()) {
    const check = async () => {
      const { native, transformed, code } = await runBothOnNode24(readFileSync(file, "utf8"), name);
      expect(native.length, "the fixture logs something").toBeGreaterThan(0);
      expect(transformed, `transformed output:\n${code}`).toEqual(native);
    };
    if (known.has(name)) it.fails(`${name} (known: ${known.get(name)})`, check);
    else it(name, check);
  }
});
