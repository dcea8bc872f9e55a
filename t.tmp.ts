import { transform } from "./src/transform/index.ts";
import { readFileSync } from "node:fs";
try { console.log(transform(readFileSync("/tmp/f4.js","utf8"), { filename: "f4.js" }).code.slice(0, 100)); } catch (e) { console.log((e as Error).stack?.split("\n").slice(0, 14).join("\n")); }
