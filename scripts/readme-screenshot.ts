// `npm run screenshot`: the README's picture of the explorer, made the way the browser test makes its
// own (the real bin writes the page for examples/loop/question.js, headless Chromium steps to the
// moment the second coroutine resumes), written to docs/images/explorer.png. Needs a build (`npm run
// build`) and Debian's chromium (or STEPWISE_CHROMIUM naming another Chromium binary).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const root = fileURLToPath(new URL("../", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "stepwise-screenshot-"));
try {
  const page = join(dir, "explore.html");
  const made = spawnSync(process.execPath, [join(root, "dist/cli/main.js"), "explore", "--mode", "loop", "examples/loop/question.js", "-o", page], { cwd: root, encoding: "utf8" });
  if (made.status !== 0) throw new Error(`stepwise explore failed: ${made.stderr}`);
  const browser = await chromium.launch({ executablePath: process.env.STEPWISE_CHROMIUM ?? "/usr/bin/chromium" });
  try {
    const tab = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: "light", deviceScaleFactor: 1 });
    await tab.goto(pathToFileURL(page).href);
    await tab.waitForSelector("body[data-step]");
    const target = "loop: Task-3: Coro resumes in state 1 (woken by sleep(0))";
    for (let i = 0; i < 60 && (await tab.locator("#now .what").textContent()) !== target; i++) await tab.keyboard.press("ArrowRight");
    if ((await tab.locator("#now .what").textContent()) !== target) throw new Error(`never reached "${target}"`);
    mkdirSync(join(root, "docs/images"), { recursive: true });
    await tab.screenshot({ path: join(root, "docs/images/explorer.png") });
    process.stderr.write("docs/images/explorer.png written\n");
  } finally {
    await browser.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
