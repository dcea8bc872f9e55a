// A real bundler: Rollup with @rollup/plugin-babel (stepwise from the app's babel.config.json) and
// @rollup/plugin-node-resolve builds a small app of two modules; the bundle carries one copy of the
// runtime, resolved through the package's exports, and runs like the unbundled app, as an ES module and
// as a self-contained IIFE for browsers.
import { afterAll, describe, expect, it } from "vitest";
import { babel } from "@rollup/plugin-babel";
import { nodeResolve } from "@rollup/plugin-node-resolve";
import { rollup } from "rollup";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runProgram } from "../support/harness.ts";
import { root } from "./consumer.ts";

const dir = mkdtempSync(join(tmpdir(), "stepwise-rollup-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(path: string, text: string): string {
  const file = join(dir, path);
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, text);
  return file;
}

// The app: node_modules/stepwise is this repository, node_modules/@stepwise/runtime its runtime package
// (dist/ of both is built by npm test).
mkdirSync(join(dir, "app", "node_modules"), { recursive: true });
symlinkSync(root, join(dir, "app", "node_modules", "stepwise"), "dir");
mkdirSync(join(dir, "app", "node_modules", "@stepwise"));
symlinkSync(join(root, "packages", "runtime"), join(dir, "app", "node_modules", "@stepwise", "runtime"), "dir");
write("app/package.json", JSON.stringify({ name: "app", private: true, type: "module" }));
write("app/babel.config.json", JSON.stringify({ plugins: ["stepwise/babel"] }));
write(
  "app/src/queue.js",
  `export async function* drain(items, delay) {
  for (const item of items) {
    await delay();
    yield item;
  }
}

export function* ids(prefix) {
  let n = 0;
  while (true) yield prefix + n++;
}
`,
);
const main = write(
  "app/src/main.js",
  `import { drain, ids } from "./queue.js";

const delay = () => new Promise((resolve) => setTimeout(resolve, 1));

async function worker(name, items, log) {
  const next = ids(name);
  for await (const item of drain(items, delay)) log.push(next.next().value + "=" + item);
  return name;
}

async function main() {
  const log = [];
  const done = await Promise.all([worker("a", [1, 2], log), worker("b", [3], log)]);
  try {
    await Promise.reject(new Error("handled"));
  } catch (error) {
    log.push(error.message);
  }
  console.log(done.join(","), log.join(" "));
}

main();
`,
);

async function build(format: "es" | "iife"): Promise<string> {
  const bundle = await rollup({
    input: main,
    plugins: [
      nodeResolve({ rootDir: join(dir, "app") }),
      babel({ babelHelpers: "bundled", cwd: join(dir, "app"), configFile: join(dir, "app", "babel.config.json"), extensions: [".js"] }),
    ],
    onwarn(warning) {
      throw new Error(`rollup: ${warning.message}`);
    },
  });
  const { output } = await bundle.generate({ format });
  await bundle.close();
  expect(output).toHaveLength(1);
  return output[0].code;
}

describe("Rollup with @rollup/plugin-babel", () => {
  it("bundles the app with one copy of the runtime, and the bundle runs like the app", async () => {
    const native = spawnSync(process.execPath, [main], { encoding: "utf8", timeout: 30_000 });
    expect(native.stdout).toBe("a,b a0=1 b0=3 a1=2 handled\n");

    const code = await build("es");
    expect(code).not.toContain("stepwise/runtime"); // (nor @stepwise/runtime)
    expect(code.match(/^class AsyncMachine extends Machine/gm)).toHaveLength(1);
    // The app's functions are machines; the runtime (bundled as is, not lowered itself) drives them.
    for (const machine of ["Drain extends AsyncGeneratorMachine", "Ids extends GeneratorMachine", "Worker extends AsyncMachine", "Main extends AsyncMachine"]) {
      expect(code).toContain(`class ${machine} {`);
    }
    expect(code.replace(/\/\*\*.*\*\//g, "")).not.toMatch(/async function\*? (drain|worker|main)|function\* ids/);
    // Runs where nothing is installed: the bundle is self-contained.
    const file = write("deploy/app.mjs", code);
    const ran = spawnSync(process.execPath, [file], { encoding: "utf8", timeout: 30_000 });
    expect(ran.stderr).toBe("");
    expect(ran.stdout).toBe(native.stdout);
  });

  it("as an IIFE for browsers (run in a bare context)", async () => {
    const code = await build("iife");
    expect(code).not.toMatch(/\bimport\b|require\(/);
    expect((await runProgram(code, "app.js")).log).toEqual(["a,b a0=1 b0=3 a1=2 handled"]);
  });
});
