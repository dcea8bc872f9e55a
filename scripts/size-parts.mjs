// What each part of the runtime costs an app (after npm run build): the app of npm run size named on the
// command line (default: the one with async functions, generators and async generators) is lowered and
// bundled as npm run size bundles it, and each top-level declaration of the runtime in the bundle (a
// function, a class with all its methods, a constant, a statement) is left out in turn: what the minified
// bundle weighs less, gzipped, is that part's cost. Gzip shares what parts have in common (names, the
// same shapes of code), so the costs add up to less than the runtime's share; the rest is printed as
// "shared". A part whose cost is negative is cheaper kept: a constant the minifier would inline.
//
//   node scripts/size-parts.mjs ["one async function"] [--all]   (--all: every part, not only those over 4 B)
import { build, transformSync } from "esbuild";
import { parse } from "@babel/parser";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { APPS, BUNDLING } from "./size-apps.mjs";

const root = new URL("../", import.meta.url);
if (!existsSync(new URL("dist/transform/index.js", root))) {
  console.error("size-parts.mjs measures the built packages: run npm run build first");
  process.exit(2);
}
const { transform } = await import(new URL("dist/transform/index.js", root).href);

const name = process.argv.slice(2).find((arg) => !arg.startsWith("--")) ?? "async, generators, async generators";
const app = APPS.find((one) => one.name === name);
if (app === undefined) {
  console.error(`no such app: ${name} (${APPS.map((one) => JSON.stringify(one.name)).join(", ")})`);
  process.exit(2);
}
const { code } = transform(app.code, { filename: "app.js", mode: app.mode, runtime: "import" });
// Bundled but not minified, each module's code after a `// path` comment, then minified as a whole.
const result = await build({ ...BUNDLING, stdin: { contents: code, resolveDir: fileURLToPath(root), sourcefile: "app.js", loader: "js" }, minify: false, external: ["node:*"] });
const text = result.outputFiles[0].text;
const gzip = (source) => gzipSync(transformSync(source, { minify: true, format: "esm", target: "es2022" }).code, { level: 9 }).length;
const appStart = text.indexOf("\n// app.js\n");
const whole = gzip(text);
// (the runtime's share as npm run size measures it: the minified bundle less the app bundled alone)
const measured = async (external) => {
  const bundled = await build({ ...BUNDLING, stdin: { contents: code, resolveDir: fileURLToPath(root), sourcefile: "app.js", loader: "js" }, minify: true, external });
  return gzipSync(bundled.outputFiles[0].text, { level: 9 }).length;
};
const share = (await measured(["node:*"])) - (await measured(["node:*", "@stepwise/runtime", "@stepwise/runtime/loop", "stepwise/runtime", "stepwise/loop"]));
const runtime = whole - gzip(text.slice(appStart));

const modules = [...text.matchAll(/^\/\/ (\S+)$/gm)].map((match) => ({ at: match.index, file: match[1].replace(/^.*\/dist\/(runtime|loop)\//, "$1/") }));
const parts = [];
for (const node of parse(text, { sourceType: "module" }).program.body) {
  if (node.start >= appStart) break;
  const file = modules.findLast((module) => module.at < node.start)?.file ?? "?";
  const declared =
    node.type === "VariableDeclaration"
      ? node.declarations.map((declaration) => (declaration.id.type === "Identifier" ? declaration.id.name : "{...}")).join(", ")
      : node.type === "FunctionDeclaration" || node.type === "ClassDeclaration"
        ? node.id.name
        : text.slice(node.start, node.end).replace(/\s+/g, " ").slice(0, 48);
  parts.push({ file, declared, cost: whole - gzip(text.slice(0, node.start) + text.slice(node.end)) });
}

const all = process.argv.includes("--all");
console.log(`${app.name}: the runtime's share ${share} B gzipped (npm run size); here, minified as one, ${runtime} B of ${whole} B`);
/** @type {Map<string, typeof parts>} */
const byFile = new Map();
for (const part of parts) byFile.set(part.file, [...(byFile.get(part.file) ?? []), part]);
let counted = 0;
for (const [file, list] of [...byFile].sort((a, b) => sum(b[1]) - sum(a[1]))) {
  counted += sum(list);
  console.log(`  ${String(sum(list)).padStart(5)}  ${file}`);
  for (const part of list.sort((a, b) => b.cost - a.cost)) if (all || part.cost > 4) console.log(`  ${String(part.cost).padStart(12)}  ${part.declared}`);
}
console.log(`  ${String(runtime - counted).padStart(5)}  shared (what gzip finds in common between the parts)`);

/** @param {{ cost: number }[]} list */
function sum(list) {
  return list.reduce((total, part) => total + part.cost, 0);
}
