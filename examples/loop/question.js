// The motivating example on the explicit event loop: `npx stepwise run examples/loop/question.js --mode loop --trace`
// shows each loop iteration and which task the loop resumes in it.

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
