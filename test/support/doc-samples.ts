// The generated code samples of the docs (checked by test/docs.test.ts, rewritten by
// scripts/update-doc-samples.ts). In a markdown file:
//
//   ```js input NAME [loop]   a program (loop: transformed with mode "loop")
//   ```js output              the transform of the input before it
//   ```text trace NAME        the input NAME (a loop program) run with the loop's trace, its console
//                             output interleaved
//   ```python check NAME      a Python program that must print what the loop program NAME prints
//                             (checked when python3 is installed)
//
// Output and trace blocks are generated; the rest is prose.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { transform } from "../../src/transform/index.ts";

export const DOC_FILES = ["docs/lowering.md", "docs/how-it-works.md", "README.md"];

const loopUrl = new URL("../../src/loop/index.js", import.meta.url).href;

export interface Block {
  /** Where the block's body starts and ends in the file. */
  start: number;
  end: number;
  lang: string;
  info: string[];
  body: string;
}

export interface Sample {
  /** What the block shows, for test names: `question.js` (output) or `trace question.js`. */
  title: string;
  block: Block;
  expected: () => Promise<string>;
}

function blocks(text: string): Block[] {
  const found: Block[] = [];
  for (const match of text.matchAll(/```(\w*)([^\n]*)\n([\s\S]*?)```/g)) {
    const start = match.index + match[0].indexOf("\n") + 1;
    found.push({ start, end: start + match[3].length, lang: match[1], info: match[2].trim().split(/\s+/).filter(Boolean), body: match[3] });
  }
  return found;
}

/** The generated blocks of a markdown file, each with a way to compute what it should say. */
export function samples(text: string): Sample[] {
  const inputs = new Map<string, { code: string; loop: boolean }>();
  let last: { name: string; code: string; loop: boolean } | null = null;
  const result: Sample[] = [];
  for (const block of blocks(text)) {
    if (block.lang === "js" && block.info[0] === "input") {
      const input = { name: block.info[1], code: block.body, loop: block.info[2] === "loop" };
      inputs.set(input.name, input);
      last = input;
    } else if (block.lang === "js" && block.info[0] === "output" && last !== null) {
      const input = last;
      result.push({ title: input.name, block, expected: async () => generated(input.code, input.name, input.loop) });
    } else if (block.lang === "text" && block.info[0] === "trace") {
      const name = block.info[1];
      const input = inputs.get(name);
      if (!input) throw new Error(`trace ${name}: no \`js input ${name}\` block before it`);
      result.push({ title: `trace ${name}`, block, expected: () => traced(input.code, name) });
    }
  }
  return result;
}

/** Python blocks to run: each must print the console output of the loop program it names. */
export function pythonChecks(text: string): { name: string; code: string; expected: () => Promise<string> }[] {
  const inputs = new Map<string, string>();
  const checks = [];
  for (const block of blocks(text)) {
    if (block.lang === "js" && block.info[0] === "input") inputs.set(block.info[1], block.body);
    if (block.lang === "python" && block.info[0] === "check") {
      const name = block.info[1];
      const input = inputs.get(name);
      if (input === undefined) throw new Error(`python check ${name}: no \`js input ${name}\` block before it`);
      const printed = async () =>
        (await traced(input, name))
          .split("\n")
          .filter((line) => line.startsWith("    | "))
          .map((line) => line.slice(6) + "\n")
          .join("");
      checks.push({ name, code: block.body, expected: printed });
    }
  }
  return checks;
}

/** The transform of a sample; the runtime import line is left out in promise mode. */
export function generated(input: string, name: string, loop: boolean): string {
  if (loop) return transform(input, { filename: name, mode: "loop" }).code + "\n";
  const { code } = transform(input, { filename: name, runtime: "import" });
  return code.replace(/^import \{[^}]*\} from "@stepwise\/runtime";\n/, "") + "\n";
}

/** Rewrites every generated block of `text`. */
export async function regenerate(text: string): Promise<string> {
  let out = "";
  let at = 0;
  for (const sample of samples(text)) {
    out += text.slice(at, sample.block.start) + (await sample.expected());
    at = sample.block.end;
  }
  return out + text.slice(at);
}

let work: string | null = null;
let count = 0;

/**
 * Runs a loop-mode sample program (it calls `run(...)` itself) with the loop's default trace installed
 * and console.log captured; resolves with the formatted trace once its loop has closed.
 */
export async function traced(code: string, name: string): Promise<string> {
  const loop = await import(loopUrl);
  work ??= mkdtempSync(join(tmpdir(), "stepwise-doc-"));
  const file = join(work, `${++count}-${name.replace(/\.js$/, ".mjs")}`);
  const source = code.replaceAll('"stepwise/loop"', JSON.stringify(loopUrl));
  writeFileSync(file, transform(source, { filename: name, mode: "loop", runtimeModule: loopUrl }).code);
  const lines: string[] = [];
  const log = console.log;
  let closed!: () => void;
  const finished = new Promise<void>((resolve) => (closed = resolve));
  const previous = loop.setDefaultTrace((event: { kind: string }) => {
    const line = loop.formatEvent(event);
    if (line !== null) lines.push(line);
    if (event.kind === "close") closed();
  });
  console.log = (...args: unknown[]) => lines.push(`    | ${args.join(" ")}`);
  try {
    await import(pathToFileURL(file).href);
    await finished;
  } finally {
    console.log = log;
    loop.setDefaultTrace(previous);
  }
  return lines.join("\n") + "\n";
}
