// Part of npm run build, after tsc. The runtime, the event loop and the explorer page's script are plain
// JavaScript, shipped as written: tsc has type-checked them and emitted their declarations; the files
// themselves are the sources.
//
// The runtime and the event loop are their own package, packages/runtime (@stepwise/runtime): their
// sources and declarations go to packages/runtime/dist/{runtime,loop}/. The compiler's dist/runtime and
// dist/loop become re-exports of that package (`stepwise/runtime`, `stepwise/loop`, and the compiler's
// own imports of the runtime's constants), so that a program has one runtime instance whichever name
// it imports; their index.cjs re-exports the package's CommonJS build (made next, by build-cjs.mjs) for
// CommonJS loaders without require(esm). The CLI's entry is made executable: on a fresh `npm ci` the
// build runs after npm linked the package's bin, so nothing else would (and `npx stepwise` in a checkout
// runs the file).
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";

const root = new URL("../", import.meta.url);
const runtimePackage = new URL("packages/runtime/", root);
const REEXPORT = { runtime: "@stepwise/runtime", loop: "@stepwise/runtime/loop" };

if (!existsSync(new URL("dist/runtime/machine.d.ts", root))) {
  // (Run again after it replaced dist/runtime, it would copy the re-export as the runtime's declarations.)
  console.error("copy-js.mjs runs after tsc (npm run build): dist/runtime/ holds no declarations from tsc");
  process.exit(1);
}
rmSync(new URL("dist/", runtimePackage), { recursive: true, force: true });
for (const dir of ["runtime", "loop"]) {
  const target = new URL(`dist/${dir}/`, runtimePackage);
  mkdirSync(target, { recursive: true });
  for (const name of readdirSync(new URL(`src/${dir}/`, root))) {
    if (!name.endsWith(".js")) continue;
    copyFileSync(new URL(`src/${dir}/${name}`, root), new URL(name, target));
  }
  // The declarations tsc emitted (tsconfig.types.json), then the compiler's folder is the re-export.
  const built = new URL(`dist/${dir}/`, root);
  for (const name of readdirSync(built)) {
    if (name.endsWith(".d.ts")) copyFileSync(new URL(name, built), new URL(name, target));
  }
  rmSync(built, { recursive: true, force: true });
  mkdirSync(built, { recursive: true });
  const line = `// ${dir === "runtime" ? "stepwise/runtime" : "stepwise/loop"}: the runtime package, re-exported (one instance whichever name a program imports).\nexport * from "${REEXPORT[dir]}";\n`;
  writeFileSync(new URL("index.js", built), line);
  writeFileSync(new URL("index.d.ts", built), line);
  // The `require` condition's file, for CommonJS loaders without require(esm) (build-cjs.mjs): the runtime
  // package's CommonJS build, the very object `require("${REEXPORT[dir]}")` returns.
  writeFileSync(new URL("index.cjs", built), `${line.split("\n")[0]}\nmodule.exports = require("${REEXPORT[dir]}");\n`);
}
for (const name of readdirSync(new URL("src/explore/", root))) {
  if (!name.endsWith(".js")) continue;
  copyFileSync(new URL(`src/explore/${name}`, root), new URL(`dist/explore/${name}`, root));
  rmSync(new URL(`dist/explore/${name}.map`, root), { force: true });
}
chmodSync(new URL("dist/cli/main.js", root), 0o755);
