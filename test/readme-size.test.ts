// The README states what the runtime costs an app as `npm run size` measures it now (scripts/size.mjs on
// the built packages), bundled and inlined: when the runtime changes, this fails until the README's figures
// are updated.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";

const root = join(import.meta.dirname, "..");

interface Sizes {
  apps: { name: string; runtime: number; inlined: number | null }[];
  runtime: { name: string; gzip: number }[];
}

it("the README's runtime sizes are npm run size's", () => {
  // (exit 1 means an app is over its target: the figures are printed all the same)
  const run = spawnSync(process.execPath, [join(root, "scripts/size.mjs"), "--json"], { cwd: root, encoding: "utf8", timeout: 60_000 });
  expect(run.stdout).not.toBe("");
  const sizes = JSON.parse(run.stdout) as Sizes;
  const kb = (bytes: number) => `${(bytes / 1000).toFixed(2)} KB`;
  const app = (name: string) => kb(sizes.apps.find((one) => one.name === name)!.runtime);
  const inlined = (name: string) => kb(sizes.apps.find((one) => one.name === name)!.inlined!);
  const all = (name: string) => kb(sizes.runtime.find((one) => one.name === name)!.gzip);
  const readme = readFileSync(join(root, "README.md"), "utf8").replace(/\s+/g, " ");
  const expected =
    `the runtime adds ${app("one async function")} gzipped to an app with one async function, ${app("a generator")} to one with a generator, ` +
    `${app("async, generators, async generators")} to one with async functions, generators and async generators (for-of and for-await included), ` +
    `${app("event loop (loop mode)")} to a loop-mode app; all of it is ${all("@stepwise/runtime, every export")} ` +
    `(${all("@stepwise/runtime files")} gzipped as shipped, with its comments). With the runtime inlined (\`runtime: "inline"\`), no ` +
    `bundler, the transform keeps what the file uses of it: the app with one async function is ${inlined("one async function")} gzipped ` +
    `whole, minified, the one with every kind of function ${inlined("async, generators, async generators")}.`;
  expect(readme, `README.md should say: ${expected}`).toContain(expected);
});
