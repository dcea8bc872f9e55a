import { transform } from "./src/transform/index.ts";
import { readFileSync, writeFileSync } from "node:fs";
const out = transform(readFileSync("bench/cases/generator.js", "utf8"), { filename: "g.js", runtime: "inline" }).code;
writeFileSync("/tmp/gen-t.js", out + "\nconst t0 = performance.now(); globalThis.__bench().then(s => console.log(s, (performance.now() - t0).toFixed(1)));\nglobalThis.__bench().then(() => { const t1 = performance.now(); return globalThis.__bench().then(s => console.log('warm', (performance.now() - t1).toFixed(1))); });");
writeFileSync("/tmp/gen-n.js", readFileSync("bench/cases/generator.js", "utf8") + "\nglobalThis.__bench().then(() => { const t1 = performance.now(); return globalThis.__bench().then(s => console.log('warm', (performance.now() - t1).toFixed(1))); });");
console.log(out.slice(out.indexOf("class Numbers")));
