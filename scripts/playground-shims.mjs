import { readFile } from "node:fs/promises";
// Stand-ins for the few Node built-ins that the transform and Babel import at module level; in the
// playground nothing reads files (Babel's config loading is off: babelrc and configFile are false).
export const shims = {
  fs: `export function readFileSync(path) { throw new Error("no file system in the browser: " + path); }
export function realpathSync(path) { return path; }
export function lstatSync() { return undefined; }
export function existsSync() { return false; }
export function readFile(path, ...rest) { rest.at(-1)?.(new Error("no file system in the browser: " + path)); }
export function writeFile(path, data, ...rest) { rest.at(-1)?.(new Error("no file system in the browser: " + path)); }
export default { readFileSync, realpathSync, lstatSync, existsSync, readFile, writeFile };`,
  net: `function unavailable() { throw new Error("no network in the playground"); }
export const createConnection = unavailable;
export const createServer = unavailable;
export default { createConnection, createServer };`,
  path: `function normalize(path) {
  const absolute = path.startsWith("/");
  const out = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return (absolute ? "/" : "") + out.join("/") || (absolute ? "/" : ".");
}
export const sep = "/";
export const delimiter = ":";
export function isAbsolute(path) { return path.startsWith("/"); }
export function join(...parts) { return normalize(parts.filter(Boolean).join("/")); }
export function resolve(...parts) {
  let path = "";
  for (const part of parts) path = part.startsWith("/") ? part : path + "/" + part;
  return normalize(path.startsWith("/") ? path : "/" + path);
}
export function dirname(path) { const at = path.lastIndexOf("/"); return at < 0 ? "." : at === 0 ? "/" : path.slice(0, at); }
export function basename(path, ext) { let base = path.split("/").pop(); if (ext && base.endsWith(ext)) base = base.slice(0, -ext.length); return base; }
export function extname(path) { const base = basename(path); const at = base.lastIndexOf("."); return at <= 0 ? "" : base.slice(at); }
export function relative(from, to) { return to.startsWith(from + "/") ? to.slice(from.length + 1) : to; }
export { normalize };
const path = { sep, delimiter, isAbsolute, join, resolve, dirname, basename, extname, relative, normalize };
path.posix = path;
export default path;`,
  // CommonJS: Babel calls what require("assert") returns.
  assert: `module.exports = function assert(value, message) { if (!value) throw new Error(message || "assertion failed"); };`,
  module: `export function createRequire() { return { resolve(name) { throw new Error("no packages in the browser: " + name); } }; }
export default { createRequire };`,
  url: `export function fileURLToPath(url) { return String(url); }
export function pathToFileURL(path) { return new URL("file://" + path); }
export default { fileURLToPath, pathToFileURL };`,
};

/** The line of src/transform/babel-packages.ts that makes Node's require(): without it, the bundler's bundles Babel. */
const NODE_REQUIRE = /^const require = createRequire\(import\.meta\.url\);$/m;

/**
 * An esbuild plugin that resolves `fs`, `path`, `url`, `assert`, `net`, `module` (and their `node:` names) to the
 * stand-ins, and gives src/transform/babel-packages.ts the bundler's require() in place of Node's.
 */
export const nodeShims = {
  name: "node-shims",
  setup(build) {
    build.onResolve({ filter: /^(node:)?(fs|path|url|assert|net|module)$/ }, (args) => ({ path: args.path.replace(/^node:/, ""), namespace: "node-shim" }));
    build.onLoad({ filter: /.*/, namespace: "node-shim" }, (args) => ({ contents: shims[args.path], loader: "js" }));
    build.onLoad({ filter: /[\\/]src[\\/]transform[\\/]babel-packages\.ts$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      if (!NODE_REQUIRE.test(source)) throw new Error(`${args.path} no longer makes Node's require() as the playground's build expects`);
      return { contents: source.replace(NODE_REQUIRE, ""), loader: "ts" };
    });
  },
};
