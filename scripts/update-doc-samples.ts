// Rewrites every `js output` block in docs/*.md and README.md from the `js input NAME` block before it.
// Run after a change to the generated code: `npx tsx scripts/update-doc-samples.ts` (test/docs.test.ts checks them).
import { readFileSync, writeFileSync } from "node:fs";
import { transform } from "../src/transform/index.ts";

for (const file of ["docs/lowering.md", "README.md"]) {
  const text = readFileSync(file, "utf8");
  const updated = text.replace(
    /```js input ([\w.-]+)\n([\s\S]*?)```((?:(?!```)[\s\S])*)```js output\n[\s\S]*?```/g,
    (_, name: string, input: string, gap: string) => {
      const { code } = transform(input, { filename: name, runtime: "import" });
      const output = code.replace(/^import \{[^}]*\} from "stepwise\/runtime";\n/, "");
      return "```js input " + name + "\n" + input + "```" + gap + "```js output\n" + output + "\n```";
    },
  );
  if (updated !== text) {
    writeFileSync(file, updated);
    console.log(`updated ${file}`);
  }
}
