// The apps npm run size measures (scripts/size.mjs), as their authors wrote them, and how it bundles them;
// scripts/size-parts.mjs breaks the runtime's share of one down by the runtime's declarations.

/** The apps, as their authors wrote them, with the bundle's target in gzip bytes (null: no target). */
export const APPS = [
  {
    name: "one async function",
    target: 1200,
    code: `async function main(url) {
  try {
    const response = await fetch(url);
    console.log(await response.text());
  } catch (error) {
    console.error("failed", error);
  }
}
main(process.argv[2]);
`,
  },
  {
    name: "a generator",
    target: null,
    code: `function* ids(prefix) {
  let n = 0;
  while (true) yield prefix + n++;
}
const next = ids("id");
console.log(next.next().value, next.next().value);
`,
  },
  {
    name: "async, generators, async generators",
    target: 2800,
    code: `function* ids(prefix) {
  let n = 0;
  while (true) yield prefix + n++;
}
async function* lines(urls) {
  for (const url of urls) yield await (await fetch(url)).text();
}
async function main(urls) {
  const next = ids("line");
  for await (const line of lines(urls)) console.log(next.next().value, line);
}
main(process.argv.slice(2));
`,
  },
  {
    name: "event loop (loop mode)",
    target: null,
    mode: "loop",
    code: `import { createTask, run, sleep } from "stepwise/loop";
async function worker(name, delay) {
  await sleep(delay);
  return name;
}
async function main() {
  const a = createTask(worker("a", 10));
  const b = createTask(worker("b", 5));
  console.log(await a, await b);
}
run(main);
`,
  },
];

/** esbuild's options for an app's bundle, as an app's build would (`stdin`, `minify` and `external` apart). */
export const BUNDLING = { bundle: true, format: "esm", platform: "neutral", target: "es2022", write: false, logLevel: "silent" };
