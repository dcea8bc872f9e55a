// Run from examples/: npx stepwise run --mode loop loop/question.js --trace
//
// The motivating example on the explicit event loop: the trace shows each loop iteration and which task
// the loop resumes in it. (--mode loop goes before the file: options after it belong to the program.)

import { createTask, run, sleep } from "stepwise/loop";

async function coro(name) {
  console.log("before", name);
  await sleep(0);
  console.log("after", name);
}

async function main() {
  const a = createTask(coro("a"));
  const b = createTask(coro("b"));
  await a;
  await b;
}

run(main);
