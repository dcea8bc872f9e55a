// Rewrites every generated block (`js output`, `text trace NAME`) in docs/*.md and README.md from the
// inputs they show. Run after a change to the generated code or to the loop's trace:
// `npx tsx scripts/update-doc-samples.ts` (test/docs.test.ts checks them; test/support/doc-samples.ts
// describes the blocks).
import { readFileSync, writeFileSync } from "node:fs";
import { DOC_FILES, regenerate } from "../test/support/doc-samples.ts";

for (const file of DOC_FILES) {
  const text = readFileSync(file, "utf8");
  const updated = await regenerate(text);
  if (updated !== text) {
    writeFileSync(file, updated);
    console.log(`updated ${file}`);
  }
}
