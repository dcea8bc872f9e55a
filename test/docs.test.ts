// Code samples in docs/ and the README are produced by the transform: each `js input NAME` block is
// transformed and must equal the `js output` block that follows it (runtime import line left out).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { transform } from "../src/transform/index.ts";

const root = join(import.meta.dirname, "..");

function samples(file: string): { name: string; input: string; output: string }[] {
  const text = readFileSync(join(root, file), "utf8");
  const blocks = [...text.matchAll(/```js( input ([\w.-]+)| output)?\n([\s\S]*?)```/g)];
  const pairs: { name: string; input: string; output: string }[] = [];
  blocks.forEach((block, i) => {
    const next = blocks[i + 1];
    if (block[2] && next && next[1] === " output") pairs.push({ name: block[2], input: block[3], output: next[3] });
  });
  return pairs;
}

function generated(input: string, name: string): string {
  const { code } = transform(input, { filename: name, runtime: "import" });
  return code.replace(/^import \{[^}]*\} from "stepwise\/runtime";\n/, "") + "\n";
}

describe.each(["docs/lowering.md", "README.md"])("%s", (file) => {
  const pairs = samples(file);
  it("has samples", () => expect(pairs.length).toBeGreaterThan(0));
  for (const { name, input, output } of pairs) {
    it(name, () => expect(generated(input, name)).toBe(output));
  }
});
