// The lowered `using` fixtures on the machine's node (>= 20.19, which has no `using` syntax): each fixture of
// fixtures/using/ runs natively on Node 24 (test/support/node24.ts) and lowered on this node, and the logs must
// match. The runtime's disposal (src/runtime/disposal.js) then runs where the engine has no SuppressedError;
// the program gets Node 20's own dispose symbols as Symbol.dispose/asyncDispose, which a fresh vm context lacks.
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { runProgram, runnable } from "./support/harness.ts";
import { listFixtures } from "./support/fixtures.ts";
import { runOnNode24, stopNode24 } from "./support/node24.ts";
import { transform } from "../src/transform/index.ts";

afterAll(stopNode24);

const SYMBOLS = `for (const name of ["dispose", "asyncDispose"]) if (!Symbol[name]) Object.defineProperty(Symbol, name, { value: Symbol.for("nodejs." + name) });\n`;

describe("fixtures/using/ lowered on the machine's node match Node 24 natively", () => {
  for (const { name, file } of listFixtures().filter((fixture) => fixture.name.startsWith("using/"))) {
    it(name, async () => {
      const code = readFileSync(file, "utf8");
      const [native] = await runOnNode24([{ code: runnable(code, name), filename: name }]);
      const output = transform(code, { filename: name, runtime: "inline" }).code;
      const lowered = await runProgram(SYMBOLS + runnable(output, name), name);
      expect(native.length, "the fixture logs something").toBeGreaterThan(0);
      expect(lowered.log, `transformed output:\n${output}`).toEqual(native);
    });
  }
});
