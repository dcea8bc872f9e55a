// `stepwise explore file [-o explore.html] [--mode promise|loop] [--serve]`: runs the program as `run
// --trace=json` does, then writes one self-contained HTML page (or serves it on 127.0.0.1) in which a
// person steps through the run: source, generated class, state graph and a timeline, kept in step.
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { buildExploreData, parseTrace, tracedFiles, type CompiledFile } from "../explore/data.ts";
import { renderExplorerHtml } from "../explore/page.ts";
import type { RunConfig } from "./run-config.ts";
import { loweredEntry, runProgram, type Entry } from "./run-program.ts";
import { babelChoice, checkConfigFile, checkOutputFile, choice, CliError, colorsEnabled, displayPath, EXIT, fsMessage, loadCompiler, parse, readStdin, reportCompileError, writeAtomic, writeMessage } from "./shared.ts";
import { DEFAULT_MODE, MODE_NAMES, modeOf } from "./mode.ts";

export const EXPLORE_HELP = `Usage: stepwise explore [options] <file> [args...]
       stepwise explore [options] -e CODE [args...]
       stepwise explore [options] - [args...] < program.js

Runs a program as \`stepwise run --trace=json\` does and writes an explorer: one self-contained HTML
page (no network needed to view it) in which you step through the run, forward and back, with the
source, the generated machine class and the state graph of the function in focus highlighted at each
step, and a timeline with one lane per call.

Options:
  -e, --eval CODE      explore CODE ([eval]), as run -e runs it
  -                    explore the code on stdin ([stdin]) (the default when no file is given and
                       stdin is not a terminal)
  -o, --output FILE    where the page goes (default: explore.html)
      --mode MODE      promise | loop (async functions return event-loop coroutines); default: loop
                       when the program imports stepwise/loop, else promise
      --serve          serve the page on 127.0.0.1 (a free port, URL printed) instead of writing
                       a file; stops on Ctrl-C
      --config-file FILE
                       the Babel configuration to use (default: babel.config.* of the current
                       directory, plus .babelrc* files and package.json "babel"), as for run
      --no-babelrc     ignore .babelrc* files and package.json "babel"
      --env-name NAME  the Babel configuration's env, as for run
      --root-mode MODE root | upward | upward-optional: where babel.config.* is looked for
      --presets LIST   presets to apply too (comma-separated), as for run
      --plugins LIST   plugins to apply too (comma-separated), as for run
  -h, --help           show this help
`;

const OPTIONS = {
  eval: { type: "string", short: "e" },
  output: { type: "string", short: "o" },
  mode: { type: "string" },
  serve: { type: "boolean" },
  "config-file": { type: "string" },
  "no-babelrc": { type: "boolean" },
  "env-name": { type: "string" },
  "root-mode": { type: "string" },
  presets: { type: "string", multiple: true },
  plugins: { type: "string", multiple: true },
  help: { type: "boolean", short: "h" },
} as const;

/** Explore's options that take the next argument as their value. */
const WITH_VALUES = new Set(Object.entries(OPTIONS).flatMap(([name, option]) => (option.type !== "string" ? [] : "short" in option ? [`--${name}`, `-${option.short}`] : [`--${name}`])));

/**
 * Explore's own arguments (options, the file) and the program's: everything after the file, as for run,
 * but for -o and --serve, which may follow it as run's --trace and --trace-file may (`stepwise explore
 * app.js -o app.html`); a `--` after the file, and everything after it, goes to the program.
 */
function ownAndProgramArgs(args: string[]): { own: string[]; after: string[] } {
  let fileAt = -1;
  for (let i = 0; i < args.length && fileAt < 0; i++) {
    if (args[i] === "--") break;
    if (WITH_VALUES.has(args[i])) i++;
    else if (!args[i].startsWith("-")) fileAt = i;
  }
  if (fileAt < 0) return { own: args, after: [] };
  const own = args.slice(0, fileAt + 1);
  const after: string[] = [];
  for (let i = fileAt + 1; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      // (passed on, as node and run pass it)
      after.push(...args.slice(i));
      break;
    }
    if (arg === "--serve" || arg.startsWith("--output=")) own.push(arg);
    else if ((arg === "-o" || arg === "--output") && i + 1 < args.length) own.push(arg, args[++i]);
    else after.push(arg);
  }
  return { own, after };
}

export async function explore(args: string[]): Promise<number> {
  const { own, after } = ownAndProgramArgs(args);
  const { values, positionals } = parse("explore", own, OPTIONS);
  if (values.help) {
    process.stdout.write(EXPLORE_HELP);
    return EXIT.ok;
  }
  const chosen = values.mode === undefined ? undefined : choice("explore", "--mode", values.mode, MODE_NAMES, DEFAULT_MODE);
  if (values.serve && values.output !== undefined) throw new CliError("stepwise explore: --serve and --output do not go together (the page is served, not written)");
  // The program: a file, code given with -e (the arguments are all the program's then), or code on stdin.
  const given = values.eval;
  if (given === undefined && positionals.length === 0 && process.stdin.isTTY) throw new CliError("stepwise explore: no program to explore (usage: stepwise explore [options] <file> [args...], -e CODE, or code on stdin)");
  const file = given !== undefined ? undefined : (positionals[0] ?? "-");
  const programArgs = [...(given !== undefined ? positionals : positionals.slice(1)), ...after];
  const chosenBabel = babelChoice("explore", values);
  if (chosenBabel.configFile !== undefined) checkConfigFile("explore", chosenBabel.configFile);
  const output = values.output ?? "explore.html";
  const path = file === undefined || file === "-" ? null : resolve(file);
  // The page's folder is made (or a file in the way refused) before the program runs, as for run --trace-file.
  if (!values.serve) checkOutputFile("explore", "--output", output, path ?? undefined);
  let source: string;
  try {
    if (path !== null && statSync(path).isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    source = path !== null ? readFileSync(path, "utf8") : given ?? (await readStdin());
  } catch (error) {
    throw new CliError(`stepwise explore: ${fsMessage(error, file!)}`, EXIT.io);
  }
  const shown = path !== null ? displayPath(path) : given !== undefined ? "[eval]" : "[stdin]";
  const mode = chosen ?? modeOf(source);
  const compiler = await loadCompiler();
  // The project's Babel configuration, as run reads it (syntax plugins: decorators, JSX in .js files, ...).
  const babel = { ...chosenBabel, configFile: chosenBabel.configFile === undefined ? undefined : resolve(chosenBabel.configFile) };
  const compileFile = (at: string, text: string): CompiledFile => {
    const { code, machines } = compiler.compile(text, { filename: at, sourceMaps: false, mode: mode === "loop" ? "loop" : undefined, babel, whenIgnored: "lower" });
    return { path: at, source: text, code, machines };
  };
  let main: CompiledFile;
  try {
    main = compileFile(shown, source);
  } catch (error) {
    if ((error as Error)?.name === "BabelConfigError") throw new CliError(`stepwise explore: cannot load the Babel configuration: ${(error as Error).message}`);
    return reportCompileError(error, "explore", source);
  }

  // The run itself: `stepwise run --trace=json`, its trace in a temporary file.
  const dir = mkdtempSync(join(tmpdir(), "stepwise-explore-"));
  let traceText = "";
  let code: number;
  try {
    const traceFile = join(dir, "trace.jsonl");
    // As `stepwise run --mode MODE --trace=json --trace-file FILE` runs it (the project's Babel configuration included).
    const config: RunConfig = { file: shown, mode, trace: "json", traceFile, colors: colorsEnabled(process.stderr), babel };
    const nodeOptions: string[] = [];
    const entry: Entry = path !== null ? { file: path } : await loweredEntry(source, config, nodeOptions, given !== undefined ? { print: false } : "stdin");
    code = await runProgram(entry, programArgs, config, nodeOptions, "explore");
    try {
      traceText = readFileSync(traceFile, "utf8");
    } catch {
      // the program did not get as far as tracing
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const events = parseTrace(traceText);
  if (events.length === 0) throw new CliError(`stepwise explore: ${shown} exited with code ${code} before anything was traced`, code === 0 ? EXIT.io : code);
  if (!events.some((event) => event.type === "exit")) process.stderr.write(`stepwise explore: the program was killed (exit code ${code}); exploring what it did\n`);
  else if (code !== 0) process.stderr.write(`stepwise explore: the program exited with code ${code}; exploring what it did\n`);

  const files = [main];
  for (const other of tracedFiles(events)) {
    if (other === shown) continue;
    try {
      files.push(compileFile(other, readFileSync(resolve(other), "utf8")));
    } catch {
      // a file that cannot be read or compiled again: its steps show without source
    }
  }
  const html = renderExplorerHtml(await buildExploreData({ file: shown, mode, files, events, exitCode: code }));

  if (values.serve) return serve(html);
  try {
    writeAtomic(resolve(output), html);
  } catch (error) {
    throw new CliError(`stepwise explore: cannot write ${output}: ${writeMessage(error, resolve(output))}`, EXIT.io);
  }
  process.stderr.write(`stepwise explore: ${events.length} event${events.length === 1 ? "" : "s"} of ${shown} written to ${displayPath(output)}\n`);
  return EXIT.ok;
}

/** Serves the page on 127.0.0.1 at a free port until SIGINT or SIGTERM. */
function serve(html: string): Promise<number> {
  const body = Buffer.from(html, "utf8");
  const server = createServer((request, response) => {
    const url = (request.url ?? "/").split("?")[0];
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { allow: "GET, HEAD" }).end();
    } else if (url === "/" || url === "/index.html") {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-length": body.length, "cache-control": "no-store" });
      response.end(request.method === "HEAD" ? undefined : body);
    } else {
      response.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found\n");
    }
  });
  return new Promise((done, fail) => {
    server.on("error", (error) => fail(new CliError(`stepwise explore: cannot serve: ${error.message}`, EXIT.io)));
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      process.stdout.write(`stepwise explore: serving on http://127.0.0.1:${port}/ (Ctrl-C to stop)\n`);
      const stop = () => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        server.close(() => done(EXIT.ok));
        server.closeAllConnections();
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    });
  });
}
