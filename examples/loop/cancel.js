// Run from examples/: npx stepwise run --mode loop loop/cancel.js --trace
import { run, sleep, timeout } from "stepwise/loop";

async function slow() {
  try {
    await sleep(1000);
  } finally {
    console.log("cleaning up");
  }
}

async function main() {
  try {
    await timeout(10, slow());
  } catch (error) {
    console.log(error.name, error.message);
  }
}

run(main, { clock: "virtual" });
