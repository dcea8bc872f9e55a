// generator: a generator yielding 1,000,000 numbers, consumed by for-of (target: within 3x of native).
function* numbers(n) {
  for (let i = 0; i < n; i++) yield i;
}

globalThis.__bench = async () => {
  let sum = 0;
  for (const value of numbers(1000000)) sum += value;
  return sum;
};
