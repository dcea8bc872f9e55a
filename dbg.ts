import { transform } from "./src/transform/index.ts";
import { readFileSync, writeFileSync } from "node:fs";
writeFileSync("/tmp/m1-t.js", transform(readFileSync("/tmp/m1.js", "utf8"), { filename: "m1.js", runtime: "inline" }).code);
