// await-values: one async function awaiting a plain (non-promise) number 1,000,000 times.
// Every `await` of a non-thenable still wraps the value in a fresh promise and takes a microtask turn,
// so this measures the raw per-await cost of the machine driver against the engine's own await.
async function sumValues(count) {
  let sum = 0;
  for (let i = 0; i < count; i++) {
    sum += await i;
  }
  return sum;
}

globalThis.__bench = async () => {
  return await sumValues(1_000_000);
};
