import { transform } from "./src/transform/index.ts";
import { readFileSync, writeFileSync } from "node:fs";
writeFileSync("/tmp/bank-t.js", transform(readFileSync("fixtures/hunt-control/nasty-bank-ledger.js", "utf8"), { filename: "b.js", runtime: "inline" }).code);
