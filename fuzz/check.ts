// One fuzz case: render a generated model, run it natively and transformed (test/support/harness.ts), and
// classify the outcome. Shared by the long runner (fuzz/run.ts, fuzz/worker.ts) and the bounded test.
import fc from "fast-check";
import { mkdirSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { parse } from "@babel/parser";
import generateModule from "@babel/generator";
import { runBoth } from "../test/support/harness.ts";
import { requiresNode24 } from "../test/support/fixtures.ts";
import { runBothOnNode24 } from "../test/support/node24.ts";
import { PRELUDE, programArb, render, type GenOptions, type ProgramModel, type Rendered } from "./generate.ts";

// @babel/generator is CommonJS: its function is `default` of the namespace under Node's ESM loader.
type Generate = (ast: ReturnType<typeof parse>, options: object) => { code: string };
const generate: Generate =
  (generateModule as unknown as { default?: Generate }).default ?? (generateModule as unknown as Generate);

/** The file name programs run under (it names states in the transformed output's comments). */
export const FILENAME = "fuzz.js";

export type Verdict =
  | { kind: "pass"; native: string[] }
  /** The transform refused the program with an `unsupported` error: counted, not a failure. */
  | { kind: "unsupported"; message: string }
  | { kind: "diff"; native: string[]; transformed: string[]; output: string }
  | { kind: "crash"; message: string }
  | { kind: "timeout"; message: string }
  /** The program misbehaves natively (a syntax error, an uncaught error, an unhandled rejection): a fuzzer bug. */
  | { kind: "generator"; message: string; native: string[] };

export type FailureKind = "diff" | "crash" | "timeout" | "generator";

export function isFailure(v: Verdict): v is Extract<Verdict, { kind: FailureKind }> {
  return v.kind === "diff" || v.kind === "crash" || v.kind === "timeout" || v.kind === "generator";
}

export async function checkProgram(code: string): Promise<Verdict> {
  let result: Awaited<ReturnType<typeof runBoth>>;
  try {
    // (a program with `using` says `// requires node 24` and runs on the second oracle, test/support/node24.ts)
    result = await (requiresNode24(code) ? runBothOnNode24 : runBoth)(code, FILENAME);
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    if (message.includes("still running after")) return { kind: "timeout", message };
    if (message.includes("unsupported")) return { kind: "unsupported", message: firstLine(error) };
    return { kind: "crash", message };
  }
  const { native, transformed, code: output } = result;
  const bad = native.find((line) => line.startsWith("uncaught: ") || line.startsWith("unhandled rejection: "));
  if (bad) return { kind: "generator", message: `natively: ${bad}`, native };
  if (native.length !== transformed.length || native.some((line, i) => line !== transformed[i])) {
    return { kind: "diff", native, transformed, output };
  }
  return { kind: "pass", native };
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split("\n")[0];
  // `fuzz.js:12:7: unsupported: X is not supported yet` -> the part that names the construct.
  return line.replace(/^[^ ]*:\d+:\d+: /, "");
}

export interface RunHooks {
  /** Called for every generated (not shrunk) program with its verdict. */
  onRun?: (rendered: Rendered, verdict: Verdict) => void;
}

/** The last failure seen (the shrunk one once fast-check is done), with its program. */
export interface FailureRecord {
  code: string;
  verdict: Extract<Verdict, { kind: FailureKind }>;
}

/**
 * The fast-check property: a program fails when its verdict is a failure. Once a failure is found, shrinking
 * only accepts failures of the same kind, so a divergence does not shrink into, say, a crash.
 */
export function fuzzProperty(options: GenOptions, hooks: RunHooks = {}) {
  const state: { kind: FailureKind | null; last: FailureRecord | null } = { kind: null, last: null };
  const property = fc.asyncProperty(programArb(), async (model: ProgramModel) => {
    const rendered = render(model, options);
    const verdict = await checkProgram(rendered.code);
    if (state.kind === null) hooks.onRun?.(rendered, verdict);
    if (!isFailure(verdict)) return true;
    if (state.kind !== null && verdict.kind !== state.kind) return true;
    state.kind = verdict.kind;
    state.last = { code: rendered.code, verdict };
    return false;
  });
  return { property, state };
}

// ---------------------------------------------------------------------------------------------------------
// Reporting

/**
 * Reprints the generated part of a program through Babel (fewer parentheses; the fixed prelude is kept as
 * written); the caller checks that it still fails.
 */
export function reformat(code: string): string {
  const at = code.indexOf(PRELUDE);
  const head = at >= 0 ? code.slice(0, at + PRELUDE.length) + "\n" : "";
  const tail = at >= 0 ? code.slice(at + PRELUDE.length) : code;
  const ast = parse(tail, { sourceType: "script", allowReturnOutsideFunction: false });
  return head + generate(ast, { retainLines: false, compact: false, comments: true }).code + "\n";
}

export function describeFailure(record: FailureRecord): string {
  const v = record.verdict;
  const out = [`--- program (${v.kind})`, record.code.trimEnd()];
  if (v.kind === "diff") {
    const at = firstDifference(v.native, v.transformed);
    out.push(`--- logs differ from line ${at + 1}`);
    out.push("--- native", ...numbered(v.native, at), "--- transformed", ...numbered(v.transformed, at));
  } else if (v.kind === "generator") {
    out.push(`--- ${v.message}`, "--- native", ...v.native);
  } else {
    out.push(`--- ${v.kind}`, v.message);
  }
  return out.join("\n");
}

function numbered(log: string[], at: number): string[] {
  return log.map((line, i) => `${i === at ? ">" : " "}${String(i + 1).padStart(4)} ${line}`);
}

export function firstDifference(a: string[], b: string[]): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

export function fixtureText(record: FailureRecord, replay: string): string {
  const v = record.verdict;
  const header = [`// fuzz: found by ${replay}; shrunk by fast-check.`];
  if (v.kind === "diff") {
    const at = firstDifference(v.native, v.transformed);
    header.push(
      `// Logs differ at line ${at + 1}: native ${JSON.stringify(v.native[at] ?? "<end>")}, transformed ${JSON.stringify(v.transformed[at] ?? "<end>")}.`,
    );
  } else {
    header.push(`// ${v.kind}: ${v.message.split("\n")[0]}`);
  }
  return header.join("\n") + "\n" + record.code;
}

/** Writes `fixtures/fuzz/<hash>.js` and returns its path. */
export function writeFixture(root: string, record: FailureRecord, replay: string): string {
  const hash = createHash("sha1").update(record.code).digest("hex").slice(0, 8);
  const dir = join(root, "fixtures", "fuzz");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${hash}.js`);
  writeFileSync(path, fixtureText(record, replay));
  return path;
}

/** Tallies construct counts: total occurrences and the number of programs containing each. */
export class Coverage {
  total = new Map<string, number>();
  programs = new Map<string, number>();
  runs = 0;
  add(counts: Iterable<[string, number]>) {
    this.runs++;
    for (const [key, n] of counts) {
      this.total.set(key, (this.total.get(key) ?? 0) + n);
      this.programs.set(key, (this.programs.get(key) ?? 0) + 1);
    }
  }
  merge(other: { total: [string, number][]; programs: [string, number][]; runs: number }) {
    this.runs += other.runs;
    for (const [key, n] of other.total) this.total.set(key, (this.total.get(key) ?? 0) + n);
    for (const [key, n] of other.programs) this.programs.set(key, (this.programs.get(key) ?? 0) + n);
  }
  toJSON() {
    return { total: [...this.total], programs: [...this.programs], runs: this.runs };
  }
  /** Keys in `expected` that never occurred. */
  missing(expected: readonly string[]): string[] {
    return expected.filter((key) => !this.total.get(key));
  }
  table(expected: readonly string[]): string {
    const keys = [...expected, ...[...this.total.keys()].filter((k) => !expected.includes(k)).sort()];
    const width = Math.max(...keys.map((k) => k.length));
    const lines = [`${"construct".padEnd(width)}  ${"count".padStart(9)}  ${"programs".padStart(8)}`];
    for (const key of keys) {
      const total = this.total.get(key) ?? 0;
      const programs = this.programs.get(key) ?? 0;
      const share = this.runs ? ` ${((100 * programs) / this.runs).toFixed(1).padStart(5)}%` : "";
      lines.push(`${key.padEnd(width)}  ${String(total).padStart(9)}  ${String(programs).padStart(8)}${share}${total === 0 ? "  <-- never generated" : ""}`);
    }
    return lines.join("\n");
  }
}
