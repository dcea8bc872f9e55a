// Part of npm run build, after copy-js.mjs: the CommonJS build of the runtime package, for the tools that
// load CommonJS and cannot `require()` an ES module (Jest, whose babel-jest turns the generated `import`
// into `require("@stepwise/runtime")`; Node with require(esm) turned off), and for esbuild bundling a
// CommonJS `require`.
//
// Each ES module of packages/runtime/dist/{runtime,loop}/ gets a CommonJS twin beside it, `name.cjs`,
// which Babel makes from that one file (@babel/plugin-transform-modules-commonjs, nothing else: no
// lowering, comments kept): the same code, strict as an ES module is, with its imports turned into
// `require`s (`./machine.js` is required as `./machine.cjs`; `node:*` stays Node's) and its exports into
// the exports object. The module graph is the ES one file for file, so the CommonJS runtime and loop share
// their modules as the ES ones do: one tracer, one set of captured intrinsics
// (`require("@stepwise/runtime/loop").AsyncMachine` is `require("@stepwise/runtime").AsyncMachine`).
// `import.meta.url` (in the loop's event-loop.js: its own folder, which debug mode skips in stack traces)
// becomes the .cjs file's URL, in the same folder.
//
// (Babel rather than esbuild's transform: esbuild's CommonJS exports are getters, and the runtime's
// modules call each other's exports, the captured intrinsics first, on every step of every machine:
// a lowered program ran 2 to 3 times slower on them. Babel's are data properties, and a program runs as
// fast as on the ES modules.)
//
// The package's exports send `require` here only where Node's require(esm) is unavailable: "module-sync"
// comes first and names the ES file, so Node itself loads one instance for `import` and `require` alike.
import { transformSync } from "@babel/core";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = new URL("../", import.meta.url);
const dist = new URL("packages/runtime/dist/", root);
if (!existsSync(new URL("runtime/index.js", dist))) {
  console.error("build-cjs.mjs runs after copy-js.mjs (npm run build): packages/runtime/dist/runtime/ is empty");
  process.exit(1);
}
const ANY_REQUIRE = /\brequire\(([^)]*)\)/g;

/** What makes a twin besides Babel's CommonJS transform: `import.meta.url` becomes the CommonJS file's URL, and relative imports name twins. */
function twins({ types: t, template }) {
  const url = template.expression.ast`require("node:url").pathToFileURL(__filename).href`;
  return {
    visitor: {
      MetaProperty(path) {
        const member = path.parentPath;
        if (!member.isMemberExpression({ object: path.node }) || !t.isIdentifier(member.node.property, { name: "url" }) || member.node.computed) {
          throw path.buildCodeFrameError("the CommonJS build knows import.meta.url alone");
        }
        member.replaceWith(t.cloneNode(url));
      },
      "ImportDeclaration|ExportNamedDeclaration|ExportAllDeclaration"(path) {
        const source = path.node.source;
        if (!source) return;
        if (/^\.\.?\/(runtime\/)?[\w-]+\.js$/.test(source.value)) source.value = source.value.replace(/\.js$/, ".cjs");
        else if (!source.value.startsWith("node:")) throw path.buildCodeFrameError(`the runtime imports ${JSON.stringify(source.value)} (it must have no dependencies)`);
      },
    },
  };
}

let count = 0;
for (const dir of ["runtime", "loop"]) {
  for (const name of readdirSync(new URL(`${dir}/`, dist))) {
    if (!name.endsWith(".js")) continue;
    const file = new URL(`${dir}/${name}`, dist);
    const source = readFileSync(file, "utf8");
    const result = transformSync(source, {
      filename: fileURLToPath(file),
      cwd: fileURLToPath(root),
      babelrc: false,
      configFile: false,
      sourceType: "module",
      // Named imports of the runtime's own modules and of Node's: no interop helpers needed.
      plugins: [twins, ["@babel/plugin-transform-modules-commonjs", { importInterop: "none" }]],
    });
    const code = result.code + "\n";
    // What it requires: its sibling twins and Node's modules, nothing else (the runtime has no dependencies).
    for (const [, specifier] of code.matchAll(ANY_REQUIRE)) {
      if (!/^"(\.\.?\/(runtime\/)?[\w-]+\.cjs|node:[\w/]+)"$/.test(specifier)) throw new Error(`${dir}/${name}: unexpected require(${specifier})`);
    }
    if (code.includes("import.meta")) throw new Error(`${dir}/${name}: import.meta left in the CommonJS build`);
    writeFileSync(new URL(`${dir}/${name.replace(/\.js$/, ".cjs")}`, dist), code);
    count++;
  }
}
console.log(`build-cjs: ${count} CommonJS twins in ${fileURLToPath(dist)}{runtime,loop}/*.cjs`);
