// The CommonJS side of `stepwise run`, in the program's thread: Node's CommonJS loader transforms the
// program's CommonJS files through its own extension point (Module._extensions, as @babel/register and
// pirates do), so they get Node's real `require` (require.cache, require.extensions, require.resolve,
// require(esm)) and test runners and mocking libraries work as they do natively. ES modules go through the
// module hooks (run-hooks.ts); both use run-transform.ts. Babel is loaded only on a cache miss.
import Module, { createRequire } from "node:module";
import { extname } from "node:path";
import { pathToFileURL } from "node:url";
import { formatOf, transformForRun, transformsFile, typeScriptNamed, type Format, type RunTransformData } from "./run-transform.ts";
import type { Compiler } from "./shared.ts";

interface LoadedModule {
  _compile(content: string, filename: string, format?: string): unknown;
}
type Extension = (this: unknown, module: LoadedModule, filename: string) => unknown;
interface ModuleInternals {
  _extensions: Record<string, Extension>;
  _resolveFilename(this: unknown, request: string, parent: { filename?: string | null } | null | undefined, ...rest: unknown[]): string;
}

/** Files `require` finds without their extension, after .js, .json and .node (as tsx does). */
const EXTENSIONS = [".ts", ".cts", ".mts", ".tsx", ".jsx"];

/**
 * `compiler`: Babel already loaded (with --trace, so that loading it mid-run adds no turns to the trace);
 * else it is required the first time a file is not in the cache.
 */
export function installRequireHook(data: RunTransformData, loaded: Compiler | null = null): void {
  const internals = Module as unknown as ModuleInternals;
  // Node's own loader for JavaScript, also the one it uses for any extension it does not know.
  const loadJavaScript = internals._extensions[".js"];
  let compiler: Compiler | null = loaded;
  /** Files Babel requires while it compiles (the user's plugins, babel.config.js) load as they are. */
  let compiling = false;
  const transform = (source: string, filename: string, format: Format): string => {
    compiling = true;
    try {
      return (
        transformForRun(source, filename, format, data, compiler) ??
        transformForRun(source, filename, format, data, (compiler ??= createRequire(import.meta.url)("./compile.js") as Compiler))!
      );
    } finally {
      compiling = false;
    }
  };
  const extension: Extension = function (module, filename) {
    if (!compiling && transformsFile(pathToFileURL(filename).href)) {
      const compile = module._compile;
      // Node reads the file and decides its format (a .js file's package "type"); the transform goes between.
      module._compile = function (this: LoadedModule, content: string, name: string, given?: string) {
        module._compile = compile;
        // (Node gives none for a file no package "type" names: it tells it by its syntax, and so does formatOf)
        const format: Format = given === "module" || given === "commonjs" ? given : extname(filename) === ".cjs" ? "commonjs" : formatOf(filename, content);
        return compile.call(this, transform(content, filename, format), name, format);
      };
    }
    return loadJavaScript.call(JAVASCRIPT_HOLDER, module, filename);
  };
  // (called on an object that holds it as `.js`, as Module._extensions did: V8 names its frame by the
  // property it finds it under, `Object..js`, not `Object.<anonymous>`)
  const JAVASCRIPT_HOLDER = { ".js": loadJavaScript };
  internals._extensions[".js"] = extension;
  for (const ext of [".cjs", ...EXTENSIONS]) internals._extensions[ext] = extension;

  // TypeScript's convention: `require("./x.js")` names x.ts.
  const resolveFilename = internals._resolveFilename;
  internals._resolveFilename = function (request, parent, ...rest) {
    const from = parent?.filename ?? undefined;
    const named = from !== undefined && transformsFile(pathToFileURL(from).href) ? typeScriptNamed(request, from) : null;
    return resolveFilename.call(this, named ?? request, parent, ...rest);
  };
}
