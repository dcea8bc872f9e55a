// Run from examples/: npx stepwise run --mode loop loop/anatomy.js --trace
import { createTask, readFile, run, sleep, timeout } from "stepwise/loop";

async function ticker() {
  await sleep(0); // back on the ready queue, for the next iteration
  await sleep(20); // a timer
  console.log("tick");
}

async function main() {
  const text = await readFile("loop/anatomy.js", "utf8"); // the host reads; its completion is queued
  console.log("read", text.split("\n").length, "lines");
  const tick = createTask(ticker());
  await timeout(100, tick); // a timer that never fires: cancelled when tick is done
  console.log("done");
}

run(main, { clock: "virtual" });
