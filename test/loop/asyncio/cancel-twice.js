// A task cancelled twice before it resumes sees the first cancel's message (the awaited future's).
import { run, sleep, createTask, CancelledError } from "stepwise/loop";
async function w() {
  try { await sleep(1000); } catch (e) { if (e instanceof CancelledError) console.log("inner saw", e.message); throw e; }
}
async function main() {
  const t = createTask(w()); await sleep(0);
  t.cancel("m1"); t.cancel("m2");
  try { await t; } catch (e) { if (e instanceof CancelledError) console.log("awaiter saw", e.message); else throw e; }
}
run(main);
