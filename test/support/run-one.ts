// Debug helper: npx tsx test/support/run-one.ts [--node24] fixtures/x.js  — prints both logs and the output on
// a mismatch (VERBOSE=1); --node24 runs the programs on the Node 24 oracle.
import { readFileSync } from "node:fs";
import { runBoth } from "./harness.ts";
import { runBothOnNode24, stopNode24 } from "./node24.ts";

const args = process.argv.slice(2);
const node24 = args.includes("--node24");
for (const file of args.filter((arg) => arg !== "--node24")) {
  const run = node24 ? runBothOnNode24 : runBoth;
  const { native, transformed, code } = await run(readFileSync(file, "utf8"), file).catch((error) => {
    console.log(`${file}: ERROR ${error.message}`);
    return { native: [], transformed: ["<error>"], code: "" };
  });
  const same = JSON.stringify(native) === JSON.stringify(transformed);
  console.log(`${same ? "PASS" : "FAIL"} ${file}`);
  if (!same && process.env.VERBOSE) {
    console.log(code.slice(code.indexOf("// stepwise runtime") >= 0 ? code.indexOf("})();") + 5 : 0));
    console.log("--- native\n" + native.join("\n") + "\n--- transformed\n" + transformed.join("\n"));
  }
}
stopNode24();
