// Condition: waiters wake in order, notify(n) wakes n, notifyAll the rest, each taking the lock again
// before its wait returns; waitFor checks its predicate after each notification; a waiter cancelled still
// takes the lock again before it throws; wait and notify without the lock are refused (LoopError for
// asyncio's RuntimeError). BoundedSemaphore refuses a release above its initial value (RangeError for
// ValueError). (No `async with`: acquire, then release in a finally.)
import { run, sleep, createTask, gather, Condition, BoundedSemaphore, CancelledError, LoopError } from "stepwise/loop";
const py = (v) => (v === true ? "True" : v === false ? "False" : Array.isArray(v) ? "[" + v.map((x) => (typeof x === "string" ? `'${x}'` : String(x))).join(", ") + "]" : String(v));
async function main() {
  const cond = new Condition();
  const log = [];
  async function waiter(name) {
    await cond.acquire();
    try { await cond.wait(); log.push(name + " woke holding " + py(cond.locked())); } finally { cond.release(); }
  }
  const tasks = [..."ABCD"].map((n) => createTask(waiter(n)));
  await sleep(0);
  await cond.acquire(); try { cond.notify(2); } finally { cond.release(); }
  await sleep(0); await sleep(0);
  console.log("after notify(2):", py(log));
  await cond.acquire(); try { cond.notifyAll(); } finally { cond.release(); }
  await gather(...tasks);
  console.log("after notify_all:", py(log));
  const items = [];
  async function consumer() {
    await cond.acquire();
    try { const got = await cond.waitFor(() => items.length >= 2); console.log("wait_for gave", py(got), "items", py(items)); } finally { cond.release(); }
  }
  const c = createTask(consumer());
  for (let i = 0; i < 3; i++) {
    await sleep(0);
    await cond.acquire(); try { items.push(i); cond.notify(); } finally { cond.release(); }
  }
  await c;
  async function cancelledWaiter() {
    await cond.acquire();
    try {
      try { await cond.wait(); } catch (e) { if (e instanceof CancelledError) console.log("cancelled waiter holds the lock:", py(cond.locked())); throw e; }
    } finally { cond.release(); }
  }
  const t = createTask(cancelledWaiter());
  await sleep(0);
  await cond.acquire();
  try {
    t.cancel();
    await sleep(0);
    console.log("main still holds the lock:", py(cond.locked()));
  } finally { cond.release(); }
  try { await t; } catch (e) { if (e instanceof CancelledError) console.log("waiter cancelled"); else throw e; }
  for (const [name, call] of [["wait", () => cond.wait()], ["notify", () => cond.notify()]]) {
    try { const r = call(); if (r !== undefined) await r; console.log(name, "without the lock: allowed"); }
    catch (e) { if (e instanceof LoopError) console.log(name, "without the lock: refused"); else throw e; }
  }
  const s = new BoundedSemaphore(1);
  await s.acquire(); s.release();
  try { s.release(); console.log("release above the bound: allowed"); } catch (e) { if (e instanceof RangeError) console.log("release above the bound: refused"); else throw e; }
}
run(main);
