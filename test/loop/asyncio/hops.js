// How many loop iterations each kind of await takes (a ticker counts them): a task, gather, shield, a
// future set by a callback, a failing gather, a timeout, a task group, a cancelled task, sleep(0).
import { run, sleep, createTask, CancelledError, gather, shield, Future, getRunningLoop, timeout, taskGroup } from "stepwise/loop";
let it = 0;
async function ticker() { while (it < 40) { await sleep(0); it++; } }
const log = (...a) => console.log(it, ...a);
const L = (a) => "[" + a.join(", ") + "]";
class KeyError extends Error {}
async function child(n, k, fail = false) {
  for (let i = 0; i < k; i++) await sleep(0);
  if (fail) throw new KeyError(String(n));
  return n;
}
async function main() {
  const loop = getRunningLoop();
  const tk = createTask(ticker());
  await sleep(0);
  log("start");
  let t = createTask(child(1, 2));
  log("await task ->", await t);
  log("gather ->", L(await gather(child(2, 1), child(3, 3))));
  log("shield ->", await shield(child(4, 1)));
  const f = new Future();
  loop.callSoon((v) => f.setResult(v), 5);
  log("future ->", await f);
  try { await gather(child(6, 1, true), child(7, 5)); } catch (e) { if (e instanceof KeyError) log("gather failed"); else throw e; }
  log("timeout ->", await timeout(1000, child(8, 2)));
  let a;
  await taskGroup(async (g) => { a = g.createTask(child(9, 2)); });
  log("taskgroup ->", a.result());
  t = createTask(child(10, 5));
  await sleep(0);
  t.cancel();
  try { await t; } catch (e) { if (e instanceof CancelledError) log("cancelled task"); else throw e; }
  log("sleep0 value ->", await sleep(0, "sv"));
  await tk;
}
run(main);
