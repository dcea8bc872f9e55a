// Task switches on stepwise's loop (transformed with mode "loop"): TASKS tasks each give up their turn
// ROUNDS times with `await sleep(0)`, as in asyncio. One switch = one task suspended and resumed.
import { gather, run, sleep } from "stepwise/loop";

const TASKS = 100;
const ROUNDS = 20000;

async function worker() {
  for (let i = 0; i < ROUNDS; i++) await sleep(0);
}

async function main() {
  await gather(...Array.from({ length: TASKS }, () => worker()));
}

const started = performance.now();
await run(main);
report({ ms: performance.now() - started, switches: TASKS * ROUNDS });
