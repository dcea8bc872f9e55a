// A timeout of 0 (or less): the deadline has passed, so it expires before the code inside gets a second turn.
import { run, sleep, timeout, TimeoutError } from "stepwise/loop";
async function quick() { await sleep(0); return "finished"; }
async function main() {
  for (const delay of [0, -5]) {
    try { console.log(await timeout(delay, quick())); }
    catch (e) { if (e instanceof TimeoutError) console.log("TimeoutError", delay); else throw e; }
  }
}
run(main);
