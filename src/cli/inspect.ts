// `stepwise inspect file [--function NAME] [--format table|json|dot|mermaid|svg]`
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { buildModel, selectFunctions } from "../inspect/model.ts";
import { FORMATS, renderDot, renderJson, renderMermaid, renderSvg, renderTable, SVG_MOST_STATES, type Format } from "../inspect/render.ts";
import { babelChoice, checkConfigFile, checkOutputFile, choice, CliError, colorsFor, displayPath, EXIT, fsMessage, loadCompiler, parse, readStdin, reportCompileError, writeAtomic, writeMessage } from "./shared.ts";

export const INSPECT_HELP = `Usage: stepwise inspect [options] <file | ->
       stepwise inspect [options] -e CODE

Shows, for each async function and generator in the file, its states with their source lines, what
each state awaits or yields, and its edges (normal, exceptional, through finally). Reads stdin
when the file is "-", or when none is given and stdin is not a terminal.

Options:
  -f, --format FORMAT     table | json | dot | mermaid | svg
                          (default: table on a terminal, json otherwise)
      --function NAME     only the function NAME (its name or its machine class's name)
  -e, --eval CODE         inspect CODE given here ([eval])
  -o, --output FILE       write to FILE instead of stdout
      --config-file FILE  the Babel configuration to use (default: the project's, as build reads it)
      --no-babelrc        ignore .babelrc* files and package.json "babel"
      --env-name NAME     the Babel configuration's env (as build takes it)
      --root-mode MODE    root | upward | upward-optional: where babel.config.* is looked for
      --presets LIST      presets to apply too (comma-separated; as build takes them)
      --plugins LIST      plugins to apply too (comma-separated; as build takes them)
      --filename NAME     the name of stdin's or -e's code (picks the syntax: .ts, .jsx, ...;
                          default stdin.js, or [eval])
  -h, --help              show this help
`;

export async function inspect(args: string[]): Promise<number> {
  const { values, positionals } = parse("inspect", args, {
    eval: { type: "string", short: "e" },
    format: { type: "string", short: "f" },
    function: { type: "string" },
    output: { type: "string", short: "o" },
    filename: { type: "string" },
    "config-file": { type: "string" },
    "no-babelrc": { type: "boolean" },
    "env-name": { type: "string" },
    "root-mode": { type: "string" },
    presets: { type: "string", multiple: true },
    plugins: { type: "string", multiple: true },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    process.stdout.write(INSPECT_HELP);
    return EXIT.ok;
  }
  const format: Format = choice("inspect", "--format", values.format, FORMATS, process.stdout.isTTY && values.output === undefined ? "table" : "json");
  const given = values.eval;
  if (given !== undefined && positionals.length > 0) throw new CliError(`stepwise inspect: -e gives the code: no input file with it (got ${positionals[0]})`);
  if (given === undefined && positionals.length === 0 && process.stdin.isTTY) throw new CliError("stepwise inspect: no input file (usage: stepwise inspect [options] <file | -> or -e CODE)");
  if (positionals.length > 1) throw new CliError(`stepwise inspect: one file at a time (got ${positionals.length})`);
  const file = positionals[0] ?? "-";
  const stdin = given === undefined && file === "-";
  if (given === undefined && !stdin && values.filename !== undefined) throw new CliError("stepwise inspect: --filename names stdin's or -e's code; it cannot be used with an input file");
  const babel = babelChoice("inspect", values);
  if (values["config-file"] !== undefined) checkConfigFile("inspect", values["config-file"]);
  if (values.output !== undefined) checkOutputFile("inspect", "--output", values.output);
  let source: string;
  try {
    source = given ?? (stdin ? await readStdin() : readFileSync(file, "utf8"));
  } catch (error) {
    throw new CliError(`stepwise inspect: ${fsMessage(error, stdin ? "stdin" : file)}`, EXIT.io);
  }
  const shown = given !== undefined ? (values.filename ?? "[eval]") : stdin ? (values.filename ?? "stdin.js") : displayPath(file);
  let machines;
  try {
    ({ machines } = (await loadCompiler()).compile(source, { filename: shown, sourceMaps: false, babel, whenIgnored: "lower" }));
  } catch (error) {
    if ((error as Error)?.name === "BabelConfigError") throw new CliError(`stepwise inspect: cannot load the Babel configuration: ${(error as Error).message}`);
    return reportCompileError(error, "inspect", source);
  }
  const doc = selectFunctions(buildModel(shown, machines), values.function);
  if (values.function !== undefined && doc.functions.length === 0) {
    const known = buildModel(shown, machines).functions.map((fn) => fn.name);
    throw new CliError(`stepwise inspect: no async function or generator named "${values.function}" in ${shown}${known.length ? ` (found: ${[...new Set(known)].join(", ")})` : ""}`);
  }
  let text: string;
  switch (format) {
    case "table":
      text = renderTable(doc, values.output === undefined ? colorsFor(process.stdout) : colorsFor({ isTTY: false }));
      break;
    case "json":
      text = renderJson(doc);
      break;
    case "dot":
      text = renderDot(doc);
      break;
    case "mermaid":
      text = renderMermaid(doc);
      break;
    case "svg": {
      // (the whole picture's)
      const states = doc.functions.reduce((sum, fn) => sum + fn.states.length, 0);
      if (states > SVG_MOST_STATES) {
        throw new CliError(`stepwise inspect: ${shown} has ${states.toLocaleString("en-US")} states, more than an svg picture lays out in reasonable time (${SVG_MOST_STATES.toLocaleString("en-US")}): pick one function with --function, or use --format table, json, dot or mermaid`);
      }
      text = await renderSvg(doc);
      break;
    }
  }
  if (values.output !== undefined) {
    try {
      writeAtomic(resolve(values.output), text);
    } catch (error) {
      throw new CliError(`stepwise inspect: cannot write ${values.output}: ${writeMessage(error, resolve(values.output))}`, EXIT.io);
    }
  } else {
    process.stdout.write(text);
  }
  return EXIT.ok;
}
