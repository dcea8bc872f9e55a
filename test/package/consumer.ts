// A project that uses stepwise the way a user's does: the packed tarball unpacked into its node_modules
// (what `npm install stepwise-x.y.z.tgz` does with it), next to the packages it names, linked from this
// repository's node_modules so that no registry is needed. Temporary; `dispose()` removes it.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export const root = join(import.meta.dirname, "..", "..");

export interface Packed {
  tarball: string;
  files: string[];
  dir: string;
}

/** `npm pack` of this repository (dist/ is built by `npm test` before vitest runs). */
export function pack(): Packed {
  if (!existsSync(join(root, "dist", "transform", "babel.js"))) throw new Error("dist/ is not built: run npm run build");
  const dir = mkdtempSync(join(tmpdir(), "stepwise-pack-"));
  const out = execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], { cwd: root, encoding: "utf8", timeout: 60_000, stdio: ["ignore", "pipe", "pipe"] });
  const [info] = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
  return { tarball: join(dir, info.filename), files: info.files.map((file) => file.path).sort(), dir };
}

export interface Consumer {
  dir: string;
  write(path: string, text: string): string;
  read(path: string): string;
  /** `node args...` in the project; stdout, stderr and the exit code. */
  node(args: string[], options?: { input?: string }): { code: number | null; stdout: string; stderr: string };
  dispose(): void;
}

/**
 * A project with the tarball installed as node_modules/stepwise and `links` (package names) linked from
 * this repository's node_modules. `withDependencies` also links stepwise's own dependencies, as npm would
 * install them; without it the project has stepwise alone (what an app that only runs its output has).
 */
export function consumer(packed: Packed, options: { packageJson?: object; links?: string[]; withDependencies?: boolean } = {}): Consumer {
  const dir = mkdtempSync(join(tmpdir(), "stepwise-consumer-"));
  const installed = join(dir, "node_modules", "stepwise");
  mkdirSync(installed, { recursive: true });
  execFileSync("tar", ["-xzf", packed.tarball, "-C", installed, "--strip-components=1"], { timeout: 30_000 });
  const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as { dependencies?: Record<string, string>; bin?: Record<string, string> };
  const links = new Set(options.links ?? []);
  if (options.withDependencies) for (const name of Object.keys(manifest.dependencies ?? {})) links.add(name);
  for (const name of links) {
    const target = join(root, "node_modules", name);
    if (!existsSync(target)) throw new Error(`${name} is not installed in this repository`);
    mkdirSync(dirname(join(dir, "node_modules", name)), { recursive: true });
    symlinkSync(target, join(dir, "node_modules", name), "dir");
  }
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, ...options.packageJson }, null, 2));
  const env = { ...process.env, NODE_OPTIONS: "" };
  return {
    dir,
    write(path, text) {
      const file = join(dir, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
      return file;
    },
    read: (path) => readFileSync(join(dir, path), "utf8"),
    node(args, runOptions = {}) {
      const result = spawnSync(process.execPath, args, { cwd: dir, input: runOptions.input ?? "", encoding: "utf8", env, timeout: 30_000 });
      return { code: result.status, stdout: result.stdout, stderr: result.stderr };
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
