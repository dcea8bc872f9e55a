#!/usr/bin/env node
// The `stepwise` command: build, inspect, run, explore. Exit codes are documented in docs/cli.md.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { CliError, didYouMean, errorLine, EXIT, internalError } from "./shared.ts";

const HELP = `Usage: stepwise <command> [options]

Commands:
  build [files...]     lower async functions and generators to state machines (stdin to stdout
                       when no input is given)
  inspect <file>       show each machine's states, what they await or yield, and their edges
  run <file> [args]    run a program with its async functions transformed on the fly
                       (--trace prints how the machines take turns)
  explore <file>       run a program and write a page that steps through the run: source,
                       generated class, state graph and timeline, side by side

Options:
  -h, --help           show this help (or a command's: stepwise build --help)
  -v, -V, --version    print stepwise's version and Babel's

Exit codes: 0 success, 1 an input did not compile, 2 bad command line, 3 a file could not be read
or written, 70 an internal error; \`run\` exits with the program's own code.
`;

const COMMANDS: Record<string, () => Promise<(args: string[]) => Promise<number>>> = {
  build: async () => (await import("./build.ts")).build,
  inspect: async () => (await import("./inspect.ts")).inspect,
  run: async () => (await import("./run.ts")).run,
  explore: async () => (await import("./explore.ts")).explore,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === "-h" || command === "--help" || command === "help") {
    process.stdout.write(HELP);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  if (command === "-v" || command === "-V" || command === "--version") {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    const babel = createRequire(import.meta.url)("@babel/core/package.json") as { version: string };
    process.stdout.write(`stepwise ${pkg.version} (@babel/core ${babel.version})\n`);
    return EXIT.ok;
  }
  const load = COMMANDS[command];
  if (!load) {
    throw new CliError(
      command.startsWith("-")
        ? `stepwise: unknown option ${command}${didYouMean(command, ["--help", "--version"])} (see stepwise --help)`
        : `stepwise: unknown command "${command}"${didYouMean(command, Object.keys(COMMANDS))} (commands: ${Object.keys(COMMANDS).join(", ")})`,
    );
  }
  return (await load())(args);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof CliError) {
    errorLine(error.message);
    process.exitCode = error.code;
  } else {
    internalError(process.argv[2] ?? "", error);
    process.exitCode = EXIT.internal;
  }
}
