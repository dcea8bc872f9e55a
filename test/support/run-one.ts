// Debug helper: npx tsx test/support/run-one.ts fixtures/x.js  — prints both logs and the output on a mismatch.
import { readFileSync } from "node:fs";
import { runBoth } from "./harness.ts";

for (const file of process.argv.slice(2)) {
  const { native, transformed, code } = await runBoth(readFileSync(file, "utf8"), file).catch((error) => {
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
