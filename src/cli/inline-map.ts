// An inline source map's comment and a map's sources named from where it goes, in a module of their own: a
// build's main thread writes maps without loading Babel (compile.ts), and compile.ts re-exports them for the
// other commands.
import { relative, resolve, sep } from "node:path";

/** `//# sourceMappingURL=data:...` for a map. */
export function inlineMapComment(map: { version: number }): string {
  return `//# sourceMappingURL=data:application/json;charset=utf-8;base64,${Buffer.from(JSON.stringify(map)).toString("base64")}`;
}

/**
 * A map's sources (paths relative to the current directory or absolute, or URLs: compile.ts's SourceMap) as a
 * map in `dir` names them: relative paths with `/`. A source is a URL relative to the map's (Node resolves it
 * so): `%`, `#` and `?` in a file's name are escaped, which would otherwise decode or end its path; the rest is
 * left as Babel and tsc write it (a space, which the URL parser takes as it is).
 */
export function sourcesFrom(sources: readonly string[], dir: string): string[] {
  return sources.map((source) => {
    if (isUrl(source)) return source;
    const path = relative(dir, resolve(source));
    return (sep === "/" ? path : path.split(sep).join("/")).replace(/[%#?]/g, (char) => encodeURIComponent(char));
  });
}

/** A source named by a URL with a scheme (`webpack://`, `file:`), not by a path (a Windows drive's `C:\` is a path). */
export function isUrl(source: string): boolean {
  return /^[a-z][\w+.-]*:/i.test(source) && !/^[a-z]:[\\/]/i.test(source);
}
