// Where cancellations land, counted in loop iterations: a gather's waiter, a failing task group, a
// shield's waiter, a task awaiting another task.
import { run, sleep, createTask, CancelledError, gather, shield, taskGroup, TaskGroupError } from "stepwise/loop";
let it = 0;
async function ticker() { while (it < 60) { await sleep(0); it++; } }
const log = (...a) => console.log(it, ...a);
class KeyError extends Error {}
async function child(n, k, fail = false) {
  try {
    for (let i = 0; i < k; i++) await sleep(0);
    if (fail) { log("child", n, "raises"); throw new KeyError(String(n)); }
    return n;
  } catch (e) { if (e instanceof CancelledError) log("child", n, "cancelled"); throw e; }
}
async function main() {
  const tk = createTask(ticker());
  await sleep(0);
  async function g1() { return await gather(child(1, 100), child(2, 100)); }
  let t = createTask(g1());
  await sleep(0); await sleep(0);
  log("cancel gather waiter"); t.cancel();
  try { await t; } catch (e) { if (e instanceof CancelledError) log("gather waiter cancelled"); else throw e; }
  try {
    await taskGroup(async (g) => { g.createTask(child(3, 100)); g.createTask(child(4, 2, true)); await child(5, 100); });
  } catch (e) { if (e instanceof TaskGroupError) log("group failed"); else throw e; }
  async function sh() { return await shield(child(6, 3)); }
  t = createTask(sh());
  await sleep(0);
  t.cancel();
  try { await t; } catch (e) { if (e instanceof CancelledError) log("shield waiter cancelled"); else throw e; }
  await sleep(0); await sleep(0); await sleep(0);
  const inner = createTask(child(7, 100));
  async function mid() { return await inner; }
  t = createTask(mid());
  await sleep(0);
  t.cancel();
  try { await t; } catch (e) { if (e instanceof CancelledError) log("mid cancelled", inner.cancelled() ? "True" : "False"); else throw e; }
  await tk;
}
run(main);
