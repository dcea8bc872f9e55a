// Run from examples/: npx stepwise run --mode loop loop/blocking.js --trace
//
// What one blocking call does to every other task. A ticker asks for a tick every 50 ms; after its second
// tick a worker calls blocking functions: fs.readFileSync (the thread waits in read(2)) and a 400 ms busy
// loop. The loop runs on one thread, and that thread is inside the worker's step: the ticker's timer
// comes due and nothing runs it until the step returns. The loop only knows about I/O started through
// its own API (readFile, openConnection, sleep); anything else blocks the one thread.
import { readFileSync } from "node:fs";
import { Event, createTask, getRunningLoop, run, sleep } from "stepwise/loop";

async function ticker(secondTick) {
  const loop = getRunningLoop();
  for (let i = 1; i <= 4; i++) {
    const due = loop.time() + 50;
    await sleep(50);
    const late = loop.time() - due;
    console.log(`tick ${i}:`, late > 200 ? "late by more than 200 ms: the loop was blocked" : "on time");
    if (i === 2) secondTick.set();
  }
}

async function worker(secondTick) {
  await secondTick.wait();
  console.log("worker: blocks the thread (a synchronous read, then 400 ms)");
  readFileSync("loop/blocking.js"); // blocks until the kernel has the bytes (here: the page cache)
  const until = Date.now() + 400;
  while (Date.now() < until); // blocks: nothing else runs on this thread
  console.log("worker: done");
}

async function main() {
  const secondTick = new Event();
  const tasks = [createTask(ticker(secondTick)), createTask(worker(secondTick))];
  for (const task of tasks) await task;
}

run(main);
