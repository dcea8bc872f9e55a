// The input's own source map (an earlier step's: `//# sourceMappingURL=data:...` or `=x.js.map`), which Babel
// reads and merges into the output's map. Babel keeps the sources that map names as it wrote them, relative to
// where it is (the input's folder, or the .map file's) and to its `sourceRoot`: they are made absolute here, so
// that whoever writes the output's map elsewhere can name them from there (build.ts, run-transform.ts).
// A map comment whose map Babel could not use (no such file, not JSON) is one warning line, where Babel says
// nothing and the output's map would silently go back to the intermediate file alone.
import type { BabelFile, PluginObj } from "@babel/core";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isUrl } from "./inline-map.ts";

/** A source map as Babel gives it (version 3). */
export interface SourceMap {
  version: number;
  file?: string;
  /**
   * The file's name as given (`filename`) or, where the input's own map was merged in, the sources it names:
   * absolute paths, or URLs (input-map.ts). Whoever writes the map names them from where it goes.
   */
  sources: string[];
  sourcesContent?: (string | null)[];
  names: string[];
  mappings: string;
  sourceRoot?: string;
}

// @babel/core's patterns for a `//# sourceMappingURL=` comment (transformation/normalize-file.js)
const INLINE_MAP_COMMENT = /^[@#]\s+sourceMappingURL=data:(?:application|text)\/json;(?:charset[:=]\S+?;)?base64,(.*)$/;
const EXTERNAL_MAP_COMMENT = /^[@#][ \t]+sourceMappingURL=([^\s'"`]+)[ \t]*$/;

/** What the pass found of the input's map: the folder its sources are relative to, or why it was not used. */
export type InputMap = { used: true; dir: string } | { used: false; warning: string } | null;

let found: InputMap = null;

/**
 * A plugin that looks at what Babel made of the input's map comments (Babel has read them before any plugin
 * runs, into `file.inputMap`; the comments are still in `ast.comments`). `takeInputMap` gives what it found.
 */
export const inputMapPlugin = (): PluginObj => ({
  name: "stepwise-input-map",
  pre(file) {
    found = inputMapOf(file, (this as unknown as { filename?: string }).filename);
  },
  visitor: {},
});

/** What inputMapPlugin found in the last pass (then forgotten). */
export function takeInputMap(): InputMap {
  const taken = found;
  found = null;
  return taken;
}

function inputMapOf(file: BabelFile, filename: string | undefined): InputMap {
  if (filename === undefined || (file.opts as { inputSourceMap?: unknown }).inputSourceMap === false) return null;
  let inline: { value: string; loc?: { start: { line: number; column: number } } | null } | undefined;
  let external: typeof inline;
  for (const comment of file.ast.comments ?? []) {
    if (INLINE_MAP_COMMENT.test(comment.value)) inline = comment;
    else if (EXTERNAL_MAP_COMMENT.test(comment.value)) external = comment;
  }
  const here = dirname(filename);
  // Babel takes the last inline map that decodes, else the file the last external comment names.
  const inlineDecodes = inline !== undefined && decodes(INLINE_MAP_COMMENT.exec(inline.value)![1]);
  const url = external === undefined ? undefined : EXTERNAL_MAP_COMMENT.exec(external.value)![1];
  if ((file as { inputMap?: unknown }).inputMap) {
    // (neither: a map the configuration's `inputSourceMap` gives, named from the file's folder)
    return { used: true, dir: inlineDecodes || url === undefined ? here : dirname(resolve(here, url)) };
  }
  const at = (comment: typeof inline) => (comment?.loc ? `:${comment.loc.start.line}:${comment.loc.start.column + 1}` : "");
  const shown = (file.opts as { sourceFileName?: string }).sourceFileName ?? filename;
  const itself = `the output's map goes back to ${shown} itself`;
  if (url !== undefined) return { used: false, warning: `${shown}${at(external)}: warning: its source map ${url} is not used (${unreadable(resolve(here, url))}): ${itself}` };
  if (inline !== undefined) return { used: false, warning: `${shown}${at(inline)}: warning: its inline source map is not used (not base64-encoded JSON): ${itself}` };
  return null;
}

function decodes(base64: string): boolean {
  try {
    JSON.parse(Buffer.from(base64, "base64").toString("utf8"));
    return true;
  } catch {
    return false;
  }
}

/** Why Babel read no map from the file (it discards what fails, silently). */
function unreadable(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? "no such file" : code === "EISDIR" ? "a directory" : code === "EACCES" ? "permission denied" : (code ?? String(error));
  }
  try {
    JSON.parse(text);
  } catch {
    return "not JSON";
  }
  // (@babel/core's read-input-source-map-file.js: a map outside the input's folder must be inside its package)
  return "outside the input's package, where Babel does not read it";
}

/**
 * The merged map with the input map's sources as absolute paths (`file:` URLs too), or as URLs where they are
 * URLs of another kind; its `sourceRoot` folded into them.
 */
export function withAbsoluteSources(map: SourceMap, dir: string): SourceMap {
  const root = map.sourceRoot ?? "";
  const sources = map.sources.map((source) => {
    const joined = root === "" || isUrl(source) || source.startsWith("/") ? source : root.endsWith("/") ? root + source : `${root}/${source}`;
    if (!isUrl(joined)) return resolve(dir, joined);
    return joined.startsWith("file:") ? fileURLToPath(joined) : joined;
  });
  const { sourceRoot: _, ...rest } = map;
  return { ...rest, sources };
}
