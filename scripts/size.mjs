// npm run size: what the runtime costs an app. Small apps are lowered by the transform (dist/, so run
// npm run build first) and bundled with a real bundler (esbuild: bundle, minify, ES module); the runtime's
// share of the gzipped bundle (the bundle less the app's own code bundled alone) is printed against its
// target. The runtime package is `sideEffects: false` and its generated
// imports are named, so the bundler keeps only what the app uses. Then the runtime package itself: every
// export bundled and minified, and its files as shipped (with their comments). Exits 1 when an app is
// over its target (the runtime's share), or when the runtime imports anything (it must have no dependencies).
// Each app is also lowered with the runtime inlined (`runtime: "inline"`, no bundler: the transform keeps
// what the file uses of the runtime) and minified, the whole file's gzip bytes printed beside the bundle's.
// Last (not with --json), the transform's output on real code, minified and gzipped, beside the input's
// (bench/corpus.ts --size-only, the files of node_modules that use `async` or `function*`): exit 1 over its
// target too.
// The apps and the bundler's options are scripts/size-apps.mjs's; scripts/size-parts.mjs breaks an app's
// runtime share down.
import { build, transform as minify } from "esbuild";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { APPS, BUNDLING } from "./size-apps.mjs";

const root = new URL("../", import.meta.url);
const runtimeDist = new URL("packages/runtime/dist/", root);
if (!existsSync(new URL("dist/transform/index.js", root)) || !existsSync(new URL("runtime/index.js", runtimeDist))) {
  console.error("npm run size measures the built packages: run npm run build first");
  process.exit(2);
}
const { transform } = await import(new URL("dist/transform/index.js", root).href);

/** Bundled and minified by esbuild, as an app's build would: its bytes and gzip bytes (`alone`: without the runtime). */
async function bundle(contents, alone = false) {
  const result = await build({
    ...BUNDLING,
    stdin: { contents, resolveDir: fileURLToPath(root), sourcefile: "app.js", loader: "js" },
    minify: true,
    // (The event loop's I/O is Node's: node:net, node:fs.)
    external: alone ? ["node:*", "@stepwise/runtime", "@stepwise/runtime/loop", "stepwise/runtime", "stepwise/loop"] : ["node:*"],
  });
  const text = result.outputFiles[0].text;
  return { bytes: Buffer.byteLength(text), gzip: gzipSync(text, { level: 9 }).length };
}

function measureFiles(files) {
  const text = files.map((file) => readFileSync(file, "utf8")).join("\n");
  return { bytes: Buffer.byteLength(text), gzip: gzipSync(text, { level: 9 }).length };
}

// The runtime's modules import only each other (`./name.js`, `../runtime/name.js` from the loop, also in
// JSDoc types), and the loop Node's own modules (`node:net`, its I/O): anything else would be a dependency.
const jsFiles = (dir) => readdirSync(new URL(`${dir}/`, runtimeDist)).filter((name) => name.endsWith(".js")).sort().map((name) => fileURLToPath(new URL(`${dir}/${name}`, runtimeDist)));
const runtimeFiles = jsFiles("runtime");
const loopFiles = jsFiles("loop");
const anyImport = /^[ \t]*import[ \t{*"']|^[ \t]*export[ \t][^;\n]*[ \t]from[ \t]|\brequire[ \t]*\(|\bimport[ \t]*\(/gm;
const ownImport = /^[ \t]*(import|export)[ \t][^;]*?from[ \t]*"\.\.?\/(runtime\/)?[\w-]+\.js";|\bimport\("\.\.?\/(runtime\/)?[\w-]+\.js"\)/gm;
const nodeImport = /^[ \t]*import[ \t][^;]*?from[ \t]*"node:[\w/]+";|\bimport\("node:[\w/]+"\)/gm;
for (const file of [...runtimeFiles, ...loopFiles]) {
  let text = readFileSync(file, "utf8").replace(ownImport, "");
  if (loopFiles.includes(file)) text = text.replace(nodeImport, "");
  anyImport.lastIndex = 0;
  if (anyImport.test(text)) {
    console.error(`${file} imports something: the runtime must have no dependencies`);
    process.exit(1);
  }
}

const apps = [];
for (const app of APPS) {
  const { code } = transform(app.code, { filename: "app.js", mode: app.mode, runtime: "import" });
  const total = await bundle(code);
  const alone = await bundle(code, true);
  // The runtime's share: what the bundle weighs more than the app's own code with the runtime left out.
  // (the loop's runtime is not inlined: it is one per program)
  const inlined = app.mode === "loop" ? null : gzipSync((await minify(transform(app.code, { filename: "app.mjs", runtime: "inline" }).code, { minify: true })).code, { level: 9 }).length;
  apps.push({ name: app.name, target: app.target, bytes: total.bytes, gzip: total.gzip, runtime: total.gzip - alone.gzip, inlined });
}
const whole = [
  { name: "@stepwise/runtime, every export", source: "bundled, minified", ...(await bundle(`export * from "@stepwise/runtime";`)) },
  { name: "@stepwise/runtime/loop, every export", source: "bundled, minified", ...(await bundle(`export * from "@stepwise/runtime/loop";`)) },
  { name: "@stepwise/runtime files", source: `dist/runtime/*.js as shipped, ${runtimeFiles.length} files`, ...measureFiles(runtimeFiles) },
  { name: "@stepwise/runtime/loop files", source: `dist/loop/*.js as shipped, ${loopFiles.length} files`, ...measureFiles(loopFiles) },
];

const over = apps.filter((app) => app.target !== null && app.runtime > app.target);
if (process.argv.includes("--json")) {
  console.log(JSON.stringify({ apps, runtime: whole }));
} else {
  const format = (n) => n.toLocaleString("en-US");
  const kb = (n) => `${(n / 1000).toFixed(2)} KB`;
  console.log("The runtime in an app's bundle (esbuild --bundle --minify, gzip -9; the app's own code left out; inlined: the whole");
  console.log("app lowered with runtime: \"inline\", minified, gzipped):");
  for (const app of apps) {
    const verdict = app.target === null ? "" : `  target ${kb(app.target)}: ${app.runtime <= app.target ? "ok" : "OVER"}`;
    const inlined = app.inlined === null ? "" : `; inlined: ${kb(app.inlined)}`;
    console.log(`  ${app.name.padEnd(38)} ${kb(app.runtime).padStart(8)} gzipped (whole bundle ${format(app.bytes)} bytes, ${kb(app.gzip)} gzipped${inlined})${verdict}`);
  }
  console.log("The runtime package:");
  for (const row of whole) console.log(`  ${row.name.padEnd(38)} ${format(row.bytes).padStart(7)} bytes  ${kb(row.gzip).padStart(8)} gzipped  (${row.source})`);
  console.log("The runtime has no dependencies: no import, no require.");
  console.log("The transform's output on real code (bench/corpus.ts --size-only):");
  const corpus = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(new URL("bench/corpus.ts", root)), "--size-only"], { stdio: "inherit" });
  if (corpus.status !== 0) over.push({ name: "the output on real code (bench/corpus.ts)" });
}
if (over.length > 0) {
  console.error(`over target: ${over.map((app) => app.name).join(", ")}`);
  process.exit(1);
}
