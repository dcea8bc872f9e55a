import { transform } from "./src/transform/index.ts";
import { readFileSync, writeFileSync } from "node:fs";
writeFileSync("/tmp/g1-t.js", transform(readFileSync("/tmp/g1.js", "utf8"), { filename: "g1.js", runtime: "inline" }).code);
