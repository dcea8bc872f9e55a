// Part of npm run build: the runtime, the event loop and the explorer page's script are plain JavaScript, shipped as written. tsc has
// type-checked them and emitted their declarations; its re-printed copies (and their maps) are replaced
// by the sources themselves. The CLI's entry is made executable: on a fresh `npm ci` the build runs after
// npm linked the package's bin, so nothing else would (and `npx stepwise` in a checkout runs the file).
import { chmodSync, copyFileSync, readdirSync, rmSync } from "node:fs";

const root = new URL("../", import.meta.url);
for (const dir of ["runtime", "loop", "explore"]) {
  for (const name of readdirSync(new URL(`src/${dir}/`, root))) {
    if (!name.endsWith(".js")) continue;
    copyFileSync(new URL(`src/${dir}/${name}`, root), new URL(`dist/${dir}/${name}`, root));
    rmSync(new URL(`dist/${dir}/${name}.map`, root), { force: true });
  }
}
chmodSync(new URL("dist/cli/main.js", root), 0o755);
