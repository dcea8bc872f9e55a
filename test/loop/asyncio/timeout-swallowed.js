// A timeout whose cancellation the code inside swallows: the timeout withdraws it all the same, so the
// task's cancelling() is back to 0 and an enclosing timeout still raises TimeoutError.
import { run, sleep, timeout, currentTask, TimeoutError, CancelledError } from "stepwise/loop";
async function stubborn() {
  try { await sleep(1000); } catch (e) { if (!(e instanceof CancelledError)) throw e; console.log("swallowed"); }
  return "value";
}
async function main() {
  const r = await timeout(10, stubborn());
  console.log(r, "cancelling", currentTask().cancelling());
  try {
    await timeout(50, (async () => { await timeout(10, stubborn()); await sleep(1000); })());
  } catch (e) { if (e instanceof TimeoutError) console.log("outer TimeoutError", "cancelling", currentTask().cancelling()); else throw e; }
}
try { await run(main); } catch (e) { if (e instanceof CancelledError) console.log("run raised CancelledError"); else throw e; }
