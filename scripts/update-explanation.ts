// Regenerates what docs/how-it-works.md shows of the examples in examples/loop/ (the blocks described in
// test/explanation/blocks.ts: example files, their loop traces and output, the Python frame's output
// when python3 is the version the doc shows) and its figures (scripts/update-figures.ts). Run after
// `npm run build`: `npm run explain`. The strace excerpts have their own script (npm run strace-excerpts).
import { readFileSync, writeFileSync } from "node:fs";
import { blocks, expected, generatedKinds } from "../test/explanation/blocks.ts";
import { updateFigures } from "./update-figures.ts";

const DOC = "docs/how-it-works.md";
const text = readFileSync(DOC, "utf8");
const all = blocks(text);
let out = "";
let at = 0;
for (const block of all.filter(generatedKinds)) {
  const body = await expected(block, all);
  if (body === null) {
    console.log(`kept the ${block.info.join(" ")} block: python3 is not the version it shows`);
    continue;
  }
  out += text.slice(at, block.start) + body;
  at = block.end;
}
out += text.slice(at);
if (out !== text) {
  writeFileSync(DOC, out);
  console.log(`updated ${DOC}`);
}
updateFigures();
