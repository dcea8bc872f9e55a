// Readable output, pinned: these snapshots are for reviewing how generated code looks, not for
// correctness (the differential fixtures prove that).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { transform } from "../src/transform/index.ts";

const root = join(import.meta.dirname, "..");

function output(code: string, filename: string): string {
  return transform(code, { filename, runtime: "import" }).code;
}

const cases: Record<string, string> = {
  "straight-line.js": `async function add(a, b) {\n  const x = await a;\n  return x + b;\n}\n`,
  "try-finally.js": `async function load(url) {\n  try {\n    return await fetch(url);\n  } catch (error) {\n    log("failed", error);\n  } finally {\n    await close();\n  }\n}\n`,
  "loop-with-closures.js": `async function collect(n) {\n  const fns = [];\n  for (let i = 0; i < n; i++) {\n    fns.push(() => i);\n    await tick();\n  }\n  return fns;\n}\n`,
  "for-of.js": `async function sum(items) {\n  let total = 0;\n  for (const item of items) {\n    if (item < 0) break;\n    total += await price(item);\n  }\n  return total;\n}\n`,
  "retry-loop.js": `async function fetchJson(url, retries) {\n  let attempt = 0;\n  while (true) {\n    try {\n      const res = await fetch(url);\n      return await res.json();\n    } catch (err) {\n      if (++attempt > retries) throw err;\n      await sleep(100 * attempt);\n    }\n  }\n}\n`,
  "method.ts": `class Store extends Base {\n  async save(this: Store, key: string, value: number = 0): Promise<void> {\n    await super.save(key, value);\n    this.count++;\n  }\n}\n`,
};

describe("generated code", () => {
  it("the motivating example (examples/question.js)", async () => {
    const code = readFileSync(join(root, "examples/question.js"), "utf8");
    await expect(output(code, "question.js")).toMatchFileSnapshot("snapshots/question.js.out");
  });

  for (const [name, code] of Object.entries(cases)) {
    it(name, async () => {
      await expect(output(code, name)).toMatchFileSnapshot(`snapshots/${name}.out`);
    });
  }
});
