// Prints the machines generated for a file, then runs it: `npm run example` (the README's main job).
import { readFileSync } from "node:fs";
import { transform } from "../transform/index.ts";

const file = process.argv[2] ?? "examples/question.js";
const { code } = transform(readFileSync(file, "utf8"), { filename: file, runtime: "inline" });
const start = code.indexOf("})();");
console.log(start >= 0 ? code.slice(start + 5).trim() : code);
console.log("\n--- running it ---");
await import(`data:text/javascript,${encodeURIComponent(code)}`);
