// What a build reads and where each output goes: the inputs (files, folders, stdin) walked into jobs, one per
// file to compile or copy, with the output path each mirrors to (-d, -o, --root-dir, --out-file-extension).
import { readdirSync, statSync } from "node:fs";
import { basename, dirname, extname, join, relative, resolve, sep } from "node:path";
import picomatch from "picomatch";
import type { BabelConfigOptions, Printing } from "./compile.ts";
import type { Mode } from "./mode.ts";
import { CliError, EXIT, fsMessage, shortPath as shown } from "./shared.ts";

export const DEFAULT_EXTENSIONS = [".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx"];

/** The outputs' extensions, by the inputs' (others are kept); `.tsx` → `.js` where the configuration compiles the JSX (tsxExtension). */
export const OUTPUT_EXTENSION: Record<string, string> = { ".ts": ".js", ".mts": ".mjs", ".cts": ".cjs", ".tsx": ".jsx" };

/** A `.tsx` file's output extension: `.jsx` while its JSX stays in it, `.js` once the Babel configuration compiles it (as tsc and @babel/cli write). */
export function tsxExtension(input: string, options: BuildOptions): string {
  return options.jsxCompiled?.(input) ? ".js" : OUTPUT_EXTENSION[".tsx"];
}

export type SourceMapsKind = "none" | "inline" | "true" | "both";

export interface BuildOptions {
  outDir?: string;
  outFile?: string;
  extensions: string[];
  ignore: (path: string) => boolean;
  /** --only: whether a file of a directory input is one to compile (the others are left out, or copied). */
  only: (path: string) => boolean;
  sourceMaps: SourceMapsKind;
  /** --source-root: the `sourceRoot` of the maps written. */
  sourceRoot?: string;
  /** --source-map-target, --source-file-name: the one output's map's `file` and `sources[0]`. */
  sourceMapTarget?: string;
  sourceFileName?: string;
  /** --source-type: how every input is parsed (else by its extension and package). */
  sourceType?: "script" | "module" | "unambiguous";
  /** Code frames in colour where the terminal has them (--no-highlight-code: never). */
  highlightCode: boolean;
  /** --keep-file-extension: every output keeps its input's extension (`a.ts` → `a.ts`). */
  keepFileExtension: boolean;
  runtime?: "import" | "require" | "inline";
  runtimeModule?: string;
  mode?: Mode;
  /** False: generators stay native (the plugin's `generators` option). */
  generators: boolean;
  quiet: boolean;
  verbose: boolean;
  overwrite: boolean;
  copyFiles: boolean;
  /** With copyFiles: whether files left uncompiled by --ignore, --only or the Babel configuration are copied too (--no-copy-ignored: not). */
  copyIgnored: boolean;
  includeDotfiles: boolean;
  /**
   * --relative: --out-dir is taken from each input's folder (a directory input's own, a file input's parent),
   * as @babel/cli's (`build packages/a/src packages/b/src -d ../lib --relative` writes packages/a/lib, packages/b/lib).
   */
  relative: boolean;
  /** --root-dir, absolute: outputs mirror the inputs' paths from it. */
  rootDir?: string;
  /** The extension of compiled outputs in --out-dir; undefined: by the input's (OUTPUT_EXTENSION). */
  outFileExtension?: string;
  /**
   * Whether the Babel configuration of a file's folder compiles JSX (compile.ts's configurationCompilesJsx):
   * a `.tsx` file's output is `.js` then, not `.jsx`. Absent: not known (no `.tsx` file in the build), `.jsx`.
   */
  jsxCompiled?: (input: string) => boolean;
  commonjs: boolean;
  retainLines: boolean;
  /** --compact, --minified, --no-comments (compile.ts's `printing`). */
  printing?: Printing;
  babel: BabelConfigOptions;
}

/** One file to compile: where it is read from and where its output goes. */
export interface Job {
  input: string;
  /** The input path as shown in messages (relative to the current directory). */
  shown: string;
  output: string;
  /** Copied as it is (--copy-files), not compiled. */
  copy?: boolean;
  /** Named on the command line (or stdin), not found in a directory input. */
  named?: boolean;
}

/** --ignore, --only: a pattern with a "/" matches the path from the current directory, one without matches the file name. */
export function pathMatcher(globs: string[]): (path: string) => boolean {
  const never = () => false;
  const paths = globs.filter((glob) => glob.includes("/"));
  const names = globs.filter((glob) => !glob.includes("/"));
  const byPath = paths.length > 0 ? picomatch(paths, { dot: true }) : never;
  const byName = names.length > 0 ? picomatch(names, { dot: true, basename: true }) : never;
  // A directory matches `dir/**` too.
  return (path) => byPath(path) || byPath(`${path}/`) || byName(path);
}

/** Where the outputs of an input go: --out-dir, or with --relative, --out-dir from `base` (the input's folder: BuildOptions.relative). */
export function outDirOf(base: string, options: BuildOptions): string {
  return options.relative ? resolve(base, options.outDir!) : resolve(options.outDir!);
}

/** Inputs to jobs; every refusal is checked before anything is written. */
export function plan(inputs: string[], options: BuildOptions): Job[] {
  const jobs: Job[] = [];
  const inputDirs: string[] = [];
  /** Directories of file inputs: the output may go below them, not next to the inputs. */
  const fileDirs: string[] = [];
  /** The output folders (one, or with --relative one per input folder). */
  const outDirs = new Set<string>();
  for (const raw of inputs) {
    const input = resolve(raw);
    if (options.rootDir !== undefined && input !== options.rootDir && !input.startsWith(options.rootDir + sep)) {
      throw new CliError(`stepwise build: ${raw} is not inside --root-dir ${shown(options.rootDir) || "."}`);
    }
    let stats;
    try {
      stats = statSync(input);
    } catch (error) {
      throw new CliError(`stepwise build: ${fsMessage(error, raw)}`, EXIT.io);
    }
    const isDirectory = stats.isDirectory();
    const outDir = options.outDir === undefined ? undefined : outDirOf(isDirectory ? input : dirname(input), options);
    if (outDir !== undefined) outDirs.add(outDir);
    if (isDirectory) {
      if (options.outFile !== undefined) throw new CliError(`stepwise build: --out-file takes one input file; ${raw} is a directory (use --out-dir)`);
      if (outDir === undefined) throw new CliError(`stepwise build: ${raw} is a directory: give --out-dir`);
      inputDirs.push(input);
      for (const { path: file, copy } of walk(input, options, outDir, raw)) {
        const rel = relative(options.rootDir ?? input, file);
        jobs.push({ input: file, shown: shown(file), output: join(outDir, copy ? rel : outputName(rel, options, file)), copy });
      }
    } else {
      fileDirs.push(dirname(input));
      const output = outDir !== undefined ? join(outDir, outputName(options.rootDir !== undefined ? relative(options.rootDir, input) : basename(input), options, input)) : options.outFile !== undefined ? resolve(options.outFile) : "-";
      jobs.push({ input, shown: shown(input), output, named: true });
    }
  }
  if (options.outFile !== undefined && jobs.length > 1) throw new CliError("stepwise build: --out-file takes one input file (use --out-dir for several)");
  if (options.outDir === undefined && options.outFile === undefined && jobs.length > 1) {
    throw new CliError("stepwise build: several inputs need --out-dir");
  }
  if (!options.overwrite) {
    const inputsSet = new Set(jobs.map((job) => job.input));
    for (const job of jobs) {
      if (inputsSet.has(job.output)) throw new CliError(`stepwise build: refusing to write over the input ${shown(job.output)} (pass --overwrite to allow it)`);
    }
    for (const outDir of outDirs) {
      const into = inputDirs.find((dir) => outDir === dir || outDir.startsWith(dir + sep)) ?? fileDirs.find((dir) => outDir === dir);
      if (into !== undefined) throw new CliError(`stepwise build: refusing to write into the input directory ${shown(into) || "."} (pass --overwrite to allow it)`);
    }
  }
  const seen = new Map<string, string>();
  for (const job of jobs) {
    const other = seen.get(job.output);
    if (other !== undefined && other !== job.input) {
      // Outputs differ only in their folders and extensions: two inputs of one folder are two names with one stem
      // (a.ts and a.js), which no --root-dir (nor --out-file-extension, which gives every output the same) tells apart.
      const hint =
        dirname(other) === dirname(job.input)
          ? " (their names differ only in the extension: rename one, or leave one out with --ignore)"
          : options.rootDir === undefined
            ? " (--root-dir . keeps each input's path under the current directory)"
            : "";
      throw new CliError(`stepwise build: ${shown(other)} and ${job.shown} would both write ${shown(job.output)}${hint}`);
    }
    seen.set(job.output, job.input);
  }
  return jobs;
}

/**
 * Whether a file of a directory input is compiled, copied (--copy-files), or left out. `ignored`: --ignore
 * matches it or a folder it is in (a walk knows it of the folders on its way); such files are copied with
 * --copy-files, as @babel/cli copies the files it ignores, unless --no-copy-ignored.
 */
export function selectFile(path: string, options: BuildOptions, ignored: boolean): "compile" | "copy" | null {
  const name = basename(path);
  if (name.startsWith(".") && !options.includeDotfiles) return null;
  if (ignored) return copiesIgnored(options) ? "copy" : null;
  if (options.extensions.includes(extname(name)) && !/\.d\.[mc]?ts$/.test(name)) {
    if (options.only(path)) return "compile";
    return copiesIgnored(options) ? "copy" : null;
  }
  return options.copyFiles ? "copy" : null;
}

/** Files left uncompiled by --ignore, --only or the Babel configuration are copied: --copy-files without --no-copy-ignored. */
export function copiesIgnored(options: BuildOptions): boolean {
  return options.copyFiles && options.copyIgnored;
}

/** Whether --ignore matches `path` or a folder it is in below the input folder `root`. */
export function ignoredBelow(path: string, root: string, options: BuildOptions): boolean {
  for (let at = path; at.startsWith(root + sep); at = dirname(at)) if (options.ignore(at)) return true;
  return false;
}

function walk(dir: string, options: BuildOptions, outDir: string, raw: string): { path: string; copy: boolean }[] {
  const files: { path: string; copy: boolean }[] = [];
  const skipsModules = !isDependencies(dir);
  const visit = (current: string, ignored: boolean) => {
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch (error) {
      throw new CliError(`stepwise build: ${fsMessage(error, current === dir ? raw : shown(current))}`, EXIT.io);
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) {
        if ((entry.name === "node_modules" && skipsModules) || (entry.name.startsWith(".") && !options.includeDotfiles) || path === outDir) continue;
        // (an ignored folder is copied whole where ignored files are, else not walked)
        const below = ignored || options.ignore(path);
        if (below && !copiesIgnored(options)) continue;
        visit(path, below);
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        const what = selectFile(path, options, ignored || options.ignore(path));
        if (what !== null) files.push({ path, copy: what === "copy" });
      }
    }
  };
  visit(dir, false);
  return files;
}

/**
 * Whether a directory input is dependencies (a `node_modules` folder, or inside one): the `node_modules`
 * folders below any other input are its dependencies, left out of its build, but below dependencies they
 * are theirs, and a package built without them would load other versions (or none) from its copy.
 */
export function isDependencies(dir: string): boolean {
  return resolve(dir).split(sep).includes("node_modules");
}

/** `path` (relative) of the file `input` with its output's extension. */
export function outputName(path: string, options: BuildOptions, input: string): string {
  const ext = extname(path);
  if (options.keepFileExtension) return path;
  const replacement = options.outFileExtension ?? (ext === ".tsx" ? tsxExtension(input, options) : OUTPUT_EXTENSION[ext]);
  return replacement ? path.slice(0, -ext.length) + replacement : path;
}

export function toPosix(path: string): string {
  return sep === "/" ? path : path.split(sep).join("/");
}
