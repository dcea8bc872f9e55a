// npm run size: the bytes and gzip bytes of the runtime users ship (stepwise/runtime), and of the event
// loop (stepwise/loop, which includes the runtime). Reads the built files (npm run build) when present.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { gzipSync } from "node:zlib";

const root = new URL("../", import.meta.url);
const pick = (dir) => (existsSync(new URL(`dist/${dir}/index.js`, root)) ? `dist/${dir}` : `src/${dir}`);

function measure(files) {
  const text = files.map((file) => readFileSync(new URL(file, root), "utf8")).join("\n");
  return { bytes: Buffer.byteLength(text), gzip: gzipSync(text, { level: 9 }).length, files: files.length };
}

const runtimeDir = pick("runtime");
const jsFiles = (dir) => readdirSync(new URL(dir, root)).filter((name) => name.endsWith(".js")).sort().map((name) => `${dir}/${name}`);
const runtimeFiles = jsFiles(runtimeDir);
// The runtime's modules import only each other (`./name.js`, also in JSDoc types): anything else would be a dependency.
const anyImport = /^[ \t]*import[ \t{*"']|^[ \t]*export[ \t][^;\n]*[ \t]from[ \t]|\brequire[ \t]*\(|\bimport[ \t]*\(/gm;
const ownImport = /^[ \t]*(import|export)[ \t][^;]*?from[ \t]*"\.\/[\w-]+\.js";|\bimport\("\.\/[\w-]+\.js"\)/gm;
for (const file of runtimeFiles) {
  const text = readFileSync(new URL(file, root), "utf8").replace(ownImport, "");
  if (anyImport.test(text)) {
    console.error(`${file} imports something: the runtime must have no dependencies`);
    process.exit(1);
  }
  anyImport.lastIndex = 0;
}
const loopFiles = jsFiles(pick("loop"));
const rows = [
  ["stepwise/runtime", `${runtimeDir}/*.js`, measure(runtimeFiles)],
  ["stepwise/loop", `${pick("loop")}/*.js + runtime`, measure([...loopFiles, ...runtimeFiles])],
];
const format = (n) => n.toLocaleString("en-US");
if (process.argv.includes("--json")) {
  console.log(JSON.stringify(Object.fromEntries(rows.map(([name, , m]) => [name, { bytes: m.bytes, gzip: m.gzip }]))));
} else {
  for (const [name, source, m] of rows) {
    console.log(`${name.padEnd(18)} ${format(m.bytes).padStart(8)} bytes  ${format(m.gzip).padStart(7)} gzip bytes  (${source}, ${m.files} file${m.files === 1 ? "" : "s"})`);
  }
  console.log("The runtime has no dependencies: no import, no require.");
}
