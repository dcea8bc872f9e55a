// Whether two checkouts' transforms give byte-identical results: every fixture, example, bench case and test
// input under several option sets, the real-code corpus of bench/corpus.ts (the .js files under
// node_modules that contain `async` or `function*`, capped at 4 MB) and a generated scaling file, each
// through transform() of both checkouts (each in its own process), compared by a hash of code, machines and
// warnings (or the error message). For a change meant to keep the output as it is (a speed-up):
//
//   npx tsx scripts/compare-outputs.ts <base checkout> [<new checkout, default: this one>]
//
// Prints the number of transforms, each side's CPU time, and every input whose result differs. With
// `--normalized` (a change meant to keep what the output does, not how it is laid out), each output is
// compared as Babel prints it again (parsed and generated: formatting aside, comments kept), maps left out.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { filesUnder } from "./files-under.ts";

const here = resolve(fileURLToPath(new URL("..", import.meta.url)));

/** Files under `dir` whose names match (not into node_modules or snapshot directories below it). */
const walk = (dir: string, pattern: RegExp) => filesUnder(dir, pattern, (name) => name !== "node_modules" && name !== "__snapshots__");

/** The corpus of bench/corpus.ts (same walk, same cap). */
function corpus(): string[] {
  const hashes = new Set<string>();
  const files: string[] = [];
  let total = 0;
  for (const path of walk(join(here, "node_modules"), /\.[mc]?js$/)) {
    if (path.includes(join("node_modules", ".vite")) || path.includes(join("node_modules", "babel-plugin-transform-async-to-promises"))) continue;
    const size = statSync(path).size;
    const code = readFileSync(path, "utf8");
    if (!/\basync\b|function\s*\*/.test(code)) continue;
    const hash = createHash("sha1").update(code).digest("hex");
    if (hashes.has(hash)) continue;
    hashes.add(hash);
    if (size > 512 * 1024) continue;
    if (total + size > 4 * 1024 * 1024) break;
    total += size;
    files.push(path);
  }
  return files;
}

/** The scaling bench's unit (bench/scale.ts), repeated to about `bytes`. */
function scaleFile(bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const text = `async function f${i}(items) {\n  let total = 0;\n  for (const item of items) {\n    try {\n      total += await item;\n    } catch (e) {\n      total -= 1;\n    } finally {\n      total *= 2;\n    }\n  }\n  return total;\n}\nfunction g${i}(x) { return x + ${i}; }\n`;
    parts.push(text);
    size += text.length;
  }
  return parts.join("");
}

const OPTION_SETS: Record<string, unknown>[] = [{}, { runtime: "import" }, { mode: "loop" }, { machineInfo: true, runtime: "inline" }, { sourceMaps: true }];

interface Input {
  name: string;
  code: string;
  filename: string;
  sets: Record<string, unknown>[];
}

function inputs(): Input[] {
  const list: Input[] = [];
  const sourceFiles = /\.(m|c)?[jt]sx?$/;
  for (const dir of ["fixtures", "examples", "bench/cases", "test"]) {
    for (const path of walk(join(here, dir), sourceFiles)) {
      if (dir === "test" && /\.test\.ts$/.test(path)) continue;
      const name = relative(here, path);
      list.push({ name, code: readFileSync(path, "utf8"), filename: name, sets: OPTION_SETS });
    }
  }
  for (const path of corpus()) {
    const name = relative(here, path);
    list.push({ name, code: readFileSync(path, "utf8"), filename: name, sets: [{}] });
  }
  list.push({ name: "scale-100kb.js", code: scaleFile(100 * 1024), filename: "scale.js", sets: [{}, { machineInfo: true }] });
  return list;
}

/** In a child: every input through `root`'s transform; one line per transform: name, options, hash. */
async function dump(root: string, normalized: boolean): Promise<void> {
  const { transform, parsingOf } = await import(join(root, "src/transform/index.ts"));
  const { parse } = await import("@babel/parser");
  const generate = (await import("@babel/generator")).default as unknown as { default?: unknown };
  const print = (generate.default ?? generate) as (ast: unknown, options: object) => { code: string };
  const again = (code: string, filename: string) => {
    const { sourceType, parserOpts } = parsingOf(filename);
    return print(parse(code, { sourceType, ...parserOpts }), { comments: true }).code;
  };
  const lines: string[] = [];
  const started = process.cpuUsage();
  for (const input of inputs()) {
    for (const options of input.sets) {
      let result: string;
      try {
        const { code, map, machines, warnings } = transform(input.code, { filename: input.filename, ...options });
        result = normalized ? JSON.stringify({ code: again(code, input.filename), machines, warnings }) : JSON.stringify({ code, map, machines, warnings });
      } catch (error) {
        result = "error " + String((error as Error)?.message ?? error);
      }
      lines.push(`${input.name} ${JSON.stringify(options)} ${createHash("sha1").update(result).digest("hex")}`);
    }
  }
  const cpu = process.cpuUsage(started);
  console.log(JSON.stringify({ cpuMs: Math.round((cpu.user + cpu.system) / 1000), lines }));
}

const normalized = process.argv.includes("--normalized");
const args = process.argv.slice(2).filter((arg) => arg !== "--normalized");
if (args[0] === "--dump") {
  await dump(args[1], normalized);
} else {
  const base = args[0];
  if (!base) {
    console.error("usage: npx tsx scripts/compare-outputs.ts [--normalized] <base checkout> [<new checkout>]");
    process.exit(2);
  }
  const roots = [resolve(base), resolve(args[1] ?? here)];
  const results = roots.map((root) => {
    const child = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--dump", root, ...(normalized ? ["--normalized"] : [])], { cwd: here, encoding: "utf8", maxBuffer: 1 << 30 });
    if (child.status !== 0) throw new Error(`dump of ${root} failed:\n${child.stderr}`);
    return JSON.parse(child.stdout.trim().split("\n").pop()!) as { cpuMs: number; lines: string[] };
  });
  const [a, b] = results;
  let differ = 0;
  for (let i = 0; i < Math.max(a.lines.length, b.lines.length); i++) {
    if (a.lines[i] === b.lines[i]) continue;
    differ++;
    console.log(`differs: ${a.lines[i] ?? "(none)"}\n     vs: ${b.lines[i] ?? "(none)"}`);
  }
  console.log(`${a.lines.length} transforms; cpu ${roots[0]}: ${a.cpuMs} ms, ${roots[1]}: ${b.cpuMs} ms; ${differ} differ`);
  process.exit(differ === 0 && a.lines.length === b.lines.length ? 0 : 1);
}
