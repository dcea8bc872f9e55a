// Spawning the real `stepwise` bin (dist/, built by `npm test` before vitest runs).
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll } from "vitest";
import { NODE22, NODE24 } from "../support/nodes.ts";

export const root = join(import.meta.dirname, "..", "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { bin: Record<string, string> };
export const bin = join(root, pkg.bin.stepwise);
/**
 * The node that runs the bin and the native side of comparisons with it: the machine's, or another by hand
 * (`npm run test:cli-node24`: STEPWISE_TEST_NODE names the Node 24 binary, and the command line runs on it).
 */
export const node = process.env.STEPWISE_TEST_NODE ? resolve(root, process.env.STEPWISE_TEST_NODE) : process.execPath;
/**
 * The nodes the tests of `stepwise run`'s module loading run the bin on: the command line's, Node 24 and
 * Node 22 (each once). The loading differs between them (run-hooks.ts, run-require.ts).
 */
export const NODES: [string, string][] = [
  ["the command line's node", node],
  ["Node 24", NODE24],
  ["Node 22", NODE22],
].filter(([, path], i, all) => all.findIndex(([, other]) => other === path) === i) as [string, string][];

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `stepwise run`'s transform cache goes to a folder of the tests' own, not the user's ~/.cache. */
export const TEST_CACHE_DIR = join(tmpdir(), "stepwise-test-cache");
const env = { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, STEPWISE_CACHE_DIR: TEST_CACHE_DIR };
delete env.FORCE_COLOR;

/**
 * Root reads any file, so a test of an unreadable file runs the bin as `nobody` when the tests run as root
 * (as CI does); its workspace must then be open to others (`openToOthers`). Null when that cannot be done
 * (root, with node or the checkout in a folder others cannot enter): such a test is skipped.
 */
export const UNPRIVILEGED: { uid?: number; gid?: number } | null = process.getuid?.() !== 0 ? {} : openPath(bin) && openPath(process.execPath) && openPath(tmpdir()) ? { uid: 65534, gid: 65534 } : null;

/** Whether others can read a file: every folder above it is searchable by them, and it is readable. */
function openPath(file: string): boolean {
  try {
    if ((statSync(file).mode & 0o004) === 0) return false;
    for (let dir = dirname(file); ; dir = dirname(dir)) {
      if ((statSync(dir).mode & 0o001) === 0) return false;
      if (dirname(dir) === dir) return true;
    }
  } catch {
    return false;
  }
}

/** Lets another user (UNPRIVILEGED) into a workspace: its folder is made with mode 0700. */
export function openToOthers(dir: string): string {
  chmodSync(dir, 0o755);
  return dir;
}

export function stepwise(args: string[], options: { cwd?: string; input?: string; env?: Record<string, string>; as?: { uid?: number; gid?: number } | null; node?: string } = {}): Result {
  const result = spawnSync(options.node ?? node, [bin, ...args], {
    ...options.as,
    cwd: options.cwd,
    input: options.input ?? "",
    encoding: "utf8",
    env: { ...env, ...options.env },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The same, without blocking (for tests that run several at once). */
export function stepwiseAsync(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [bin, ...args], { cwd: options.cwd, env: { ...env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A fresh directory with the given files; `inRepo` puts it under .tmp/ (so `stepwise/runtime` resolves). */
export function workspace(files: Record<string, string>, inRepo = false): string {
  const base = inRepo ? join(root, ".tmp") : tmpdir();
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, "stepwise-cli-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** A program with one async function, for tests that only need something to lower. */
export const ASYNC = 'async function f(x) {\n  const y = await x;\n  return y + 1;\n}\nf(1).then((v) => console.log("got", v));\n';

/** `workspace`, with every folder it makes removed after the test file's tests. */
export function workspaces(): (files: Record<string, string>, inRepo?: boolean) => string {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(remove));
  return (files, inRepo = false) => {
    const dir = workspace(files, inRepo);
    dirs.push(dir);
    return dir;
  };
}

export function remove(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** `stepwise build ... --watch` in `dir`: what it has printed so far, a wait for a condition, its exit code once stopped. */
export function watching(dir: string, args: string[]) {
  const child = spawn(node, [bin, "build", ...args, "--watch"], { cwd: dir, env: { ...process.env, NO_COLOR: "1" } });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const until = async (check: () => boolean, what: string) => {
    for (const started = Date.now(); !check(); await new Promise((r) => setTimeout(r, 50))) {
      if (Date.now() - started > 20_000) throw new Error(`timed out waiting for ${what}; stderr: ${stderr}`);
    }
  };
  return { child, exited, until, stderr: () => stderr };
}
