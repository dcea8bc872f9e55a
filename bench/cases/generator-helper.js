// generator-helper: a function that defines a generator helper and iterates it, 50,000 times.
function sum(text) {
  function* codes() {
    for (let i = 0; i < text.length; i++) yield text.charCodeAt(i);
  }
  let total = 0;
  for (const code of codes()) total += code;
  return total;
}

globalThis.__bench = async () => {
  let checksum = 0;
  for (let i = 0; i < 50_000; i++) checksum = (checksum + sum("request")) % 1_000_000_007;
  return checksum;
};
