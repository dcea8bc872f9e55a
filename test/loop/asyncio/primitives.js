// Locks, semaphores, queues and timers as asyncio hands them out: a lock released while its first waiter
// is being cancelled goes to one task at a time; a woken semaphore waiter is not overtaken by a newcomer
// (locked() says so); join() gives undefined (None); a timer of negative delay runs before one of delay 0.
import { run, sleep, createTask, gather, Lock, Semaphore, Queue, getRunningLoop } from "stepwise/loop";
const py = (v) => (v === undefined ? "None" : v === true ? "True" : v === false ? "False" : String(v));
async function lockCancelledWaiter() {
  const lock = new Lock(); await lock.acquire(); const inside = [];
  async function w(n) {
    await lock.acquire(); inside.push(n); console.log(n, "holds the lock with", inside.join(""));
    await sleep(0); inside.splice(inside.indexOf(n), 1); lock.release();
  }
  const [a, b, c] = [..."ABC"].map((n) => createTask(w(n)));
  await sleep(0);
  a.cancel(); lock.release();
  const results = await gather(a, b, c, { returnExceptions: true });
  console.log("[" + results.map((r) => `'${r === undefined ? "NoneType" : r.name}'`).join(", ") + "]");
}
async function semaphoreFairness() {
  const s = new Semaphore(0);
  async function w(name) { await s.acquire(); console.log(name, "acquired"); }
  const a = createTask(w("A"));
  await sleep(0);
  s.release(); s.release();
  console.log("locked", py(s.locked()));
  await s.acquire(); console.log("main acquired");
  await a;
}
async function queueJoin() {
  const q = new Queue();
  q.putNowait(1); q.getNowait(); q.taskDone();
  console.log("join gives", py(await q.join()));
}
async function timers() {
  const loop = getRunningLoop();
  const done = loop.createFuture();
  loop.callLater(0, console.log, "delay 0");
  loop.callLater(-1, console.log, "delay -1");
  loop.callSoon(console.log, "soon");
  loop.callLater(10, () => done.setResult(undefined));
  await done;
}
async function main() {
  for (const part of [lockCancelledWaiter, semaphoreFairness, queueJoin, timers]) await part();
}
run(main);
