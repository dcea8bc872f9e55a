// A project that uses stepwise the way a user's does: the packed tarballs (the compiler and its runtime
// package) unpacked into its node_modules (what `npm install stepwise-x.y.z.tgz` does with them), next to
// the packages the compiler names, linked from this repository's node_modules so that no registry is
// needed. Temporary; `dispose()` removes it.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export const root = join(import.meta.dirname, "..", "..");

export interface Packed {
  /** The compiler, `stepwise`. */
  tarball: string;
  files: string[];
  /** The runtime package, `@stepwise/runtime` (packages/runtime), which the compiler depends on. */
  runtimeTarball: string;
  runtimeFiles: string[];
  dir: string;
}

/** `npm pack` of this repository and of its runtime workspace (dist/ is built by `npm test` before vitest runs). */
export function pack(): Packed {
  if (!existsSync(join(root, "dist", "transform", "babel.js"))) throw new Error("dist/ is not built: run npm run build");
  if (!existsSync(join(root, "packages", "runtime", "dist", "runtime", "index.js"))) throw new Error("packages/runtime/dist/ is not built: run npm run build");
  const dir = mkdtempSync(join(tmpdir(), "stepwise-pack-"));
  const npmPack = (...args: string[]) => {
    const out = execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir, ...args], { cwd: root, encoding: "utf8", timeout: 60_000, stdio: ["ignore", "pipe", "pipe"] });
    const [info] = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
    return { tarball: join(dir, info.filename), files: info.files.map((file) => file.path).sort() };
  };
  const compiler = npmPack();
  const runtime = npmPack("--workspace", "packages/runtime");
  return { ...compiler, runtimeTarball: runtime.tarball, runtimeFiles: runtime.files, dir };
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
 * A project with the runtime tarball installed as node_modules/@stepwise/runtime, the compiler's as
 * node_modules/stepwise (unless `compiler: false`), and `links` (package names) linked from this
 * repository's node_modules. `withDependencies` also links the compiler's other dependencies, as npm
 * would install them; without it the project has the two packages alone, and with `compiler: false` the
 * runtime alone (what an app that only runs its output needs).
 */
export function consumer(packed: Packed, options: { packageJson?: object; links?: string[]; withDependencies?: boolean; compiler?: boolean } = {}): Consumer {
  const dir = mkdtempSync(join(tmpdir(), "stepwise-consumer-"));
  const unpack = (tarball: string, name: string) => {
    const installed = join(dir, "node_modules", name);
    mkdirSync(installed, { recursive: true });
    execFileSync("tar", ["-xzf", tarball, "-C", installed, "--strip-components=1"], { timeout: 30_000 });
    return installed;
  };
  unpack(packed.runtimeTarball, "@stepwise/runtime");
  const links = new Set(options.links ?? []);
  if (options.compiler !== false) {
    const installed = unpack(packed.tarball, "stepwise");
    const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
    if (options.withDependencies) for (const name of Object.keys(manifest.dependencies ?? {})) if (name !== "@stepwise/runtime") links.add(name);
  }
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
