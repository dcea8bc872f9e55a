// try-finally: 200,000 iterations of try { await x } finally { counter++ }.
// Leaving the try block runs the finally on every iteration: a jump through a finally in the machine.
async function tryFinally(count) {
  let counter = 0;
  let sum = 0;
  for (let i = 0; i < count; i++) {
    try {
      sum += await i;
    } finally {
      counter++;
    }
  }
  return { counter, sum };
}

globalThis.__bench = async () => {
  return await tryFinally(200_000);
};
