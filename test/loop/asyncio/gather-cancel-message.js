// A task cancelled with a message while it awaits a gather: the gather's children are cancelled with it, and
// the gather raises the last child's cancellation, message included.
import { run, sleep, createTask, gather, currentTask, CancelledError } from "stepwise/loop";
async function leaf() { try { await sleep(1000); } catch (e) { if (e instanceof CancelledError) console.log("leaf saw", `('${e.message}',)`); throw e; } }
async function main() {
  const t = createTask(leaf());
  await sleep(0);
  currentTask().cancel("MSG1");
  try { await gather(t, { returnExceptions: true }); } catch (e) { if (e instanceof CancelledError) console.log("main saw", `('${e.message}',)`); else throw e; }
}
run(main);
