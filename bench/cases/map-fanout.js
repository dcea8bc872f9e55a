// map-fanout: `await Promise.all(items.map(async (item) => ...))` inside an async function, 10,000 times
// over 10 items: an async arrow created per call and run once per item.
async function total(items) {
  const values = await Promise.all(items.map(async (item) => (await item) * 2));
  return values.reduce((a, b) => a + b, 0);
}

globalThis.__bench = async () => {
  const items = Array.from({ length: 10 }, (_, i) => i);
  let checksum = 0;
  for (let i = 0; i < 10_000; i++) checksum = (checksum + (await total(items))) % 1_000_000_007;
  return checksum;
};
