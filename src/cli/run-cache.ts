// The on-disk transform cache of `stepwise run`: a file's transformed code, keyed by a hash of everything
// that decides it (its source, its name, the run's options, the Babel configuration files that apply to it,
// and stepwise's and Babel's builds). Entries are written to a temporary file and renamed, so concurrent
// runs never read half an entry; a cache that cannot be read or written is simply not used.
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import type { BabelChoice } from "./shared.ts";

/** Where the cache lives: $STEPWISE_CACHE_DIR, else node_modules/.cache/stepwise of the nearest package with a node_modules, else $XDG_CACHE_HOME/stepwise (~/.cache/stepwise). */
export function cacheDirectory(cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.STEPWISE_CACHE_DIR) return env.STEPWISE_CACHE_DIR;
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (isDirectory(join(dir, "node_modules"))) return join(dir, "node_modules", ".cache", "stepwise");
    if (dirname(dir) === dir) break;
  }
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "stepwise");
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** What identifies this build of stepwise and Babel: versions, and when the transform was last built. */
let build: string | undefined;
function buildId(): string {
  if (build !== undefined) return build;
  const parts: string[] = [];
  for (const file of ["../../package.json", "./compile.js", "../transform/plugin.js", "@babel/core/package.json"]) {
    try {
      const url = file.startsWith(".") ? new URL(file, import.meta.url) : createRequire(import.meta.url).resolve(file);
      const stat = statSync(url);
      parts.push(`${file}:${stat.size}:${stat.mtimeMs}`);
      if (file.endsWith("package.json")) parts.push((JSON.parse(readFileSync(url, "utf8")) as { version?: string }).version ?? "");
    } catch {
      parts.push(`${file}:-`);
    }
  }
  return (build = parts.join("|"));
}

const CONFIG_NAMES = [".babelrc", ".babelrc.json", ".babelrc.js", ".babelrc.cjs", ".babelrc.mjs", ".babelrc.cts", "package.json"];
const ROOT_CONFIG_NAMES = ["babel.config.json", "babel.config.js", "babel.config.cjs", "babel.config.mjs", "babel.config.cts", "babel.config.ts"];

/** The contents of every Babel configuration file that may apply to `path` (a superset of what Babel reads). */
function configContents(path: string, babel: BabelChoice, cwd: string): string[] {
  const files = babel.configFile !== undefined ? [babel.configFile] : ROOT_CONFIG_NAMES.map((name) => join(cwd, name));
  // (--root-mode upward: the root's is in the first folder up from the current one that has one)
  if (babel.configFile === undefined && babel.rootMode !== undefined && babel.rootMode !== "root") {
    for (let dir = dirname(cwd); ; dir = dirname(dir)) {
      for (const name of ROOT_CONFIG_NAMES) files.push(join(dir, name));
      if (dirname(dir) === dir) break;
    }
  }
  if (babel.babelrc) {
    // .babelrc* and package.json "babel" of the file's package: its folders up to its package.json.
    for (let dir = dirname(path); ; dir = dirname(dir)) {
      for (const name of CONFIG_NAMES) files.push(join(dir, name));
      if (isFile(join(dir, "package.json")) || dirname(dir) === dir) break;
    }
  }
  return files.map((file) => {
    try {
      return `${file}\n${readFileSync(file, "utf8")}`;
    } catch {
      return "";
    }
  });
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export interface CacheKeyParts {
  path: string;
  source: string;
  /** Everything else that decides the output (format, mode, trace, runtime, the name shown...). */
  options: unknown;
  babel: BabelChoice;
  cwd: string;
}

export function cacheKey(parts: CacheKeyParts): string {
  const hash = createHash("sha256");
  hash.update(buildId());
  hash.update("\0");
  hash.update(JSON.stringify([parts.path, parts.options, parts.babel, process.env.BABEL_ENV ?? "", process.env.NODE_ENV ?? ""]));
  for (const text of configContents(parts.path, parts.babel, parts.cwd)) {
    hash.update("\0");
    hash.update(text);
  }
  hash.update("\0");
  hash.update(parts.source);
  return hash.digest("hex");
}

/**
 * The first line of an entry whose output the code of other files decided (the configuration's plugins and
 * presets, which the key cannot hash without loading them): each file's size and time of change, as
 * written. An entry is used only while they are the same (a plugin of the project's own, edited, is
 * compiled with again).
 */
const DEPENDS = "//stepwise-cache-depends-on ";

function signatureOf(file: string): [string, number, number] | null {
  try {
    const stat = statSync(file);
    return [file, stat.size, stat.mtimeMs];
  } catch {
    return null;
  }
}

export function readCache(dir: string, key: string): string | null {
  let entry: string;
  try {
    entry = readFileSync(join(dir, key.slice(0, 2), key.slice(2)), "utf8");
  } catch {
    return null;
  }
  if (!entry.startsWith(DEPENDS)) return entry;
  const end = entry.indexOf("\n");
  try {
    const written = JSON.parse(entry.slice(DEPENDS.length, end)) as [string, number, number][];
    for (const [file, size, mtimeMs] of written) {
      const now = signatureOf(file);
      if (now === null || now[1] !== size || now[2] !== mtimeMs) return null;
    }
  } catch {
    return null;
  }
  return entry.slice(end + 1);
}

export function writeCache(dir: string, key: string, code: string, dependencies: readonly string[] = []): void {
  const path = join(dir, key.slice(0, 2), key.slice(2));
  const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const signatures = dependencies.map(signatureOf);
  // (a dependency that cannot be read now: the entry could never be checked, so none is written)
  if (signatures.includes(null)) return;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(temp, signatures.length > 0 ? `${DEPENDS}${JSON.stringify(signatures)}\n${code}` : code);
    renameSync(temp, path);
  } catch {
    try {
      unlinkSync(temp);
    } catch {
      // never written
    }
  }
}
