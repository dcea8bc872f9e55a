// Run from examples/: npx stepwise run --mode loop loop/read-file.js --trace
import { readFile, run } from "stepwise/loop";

async function main() {
  const text = await readFile("loop/read-file.js", "utf8");
  console.log("read", text.split("\n").length, "lines");
}

run(main);
