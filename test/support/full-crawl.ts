// @babel/core's route for a file, as the oracle of transform()'s own pass: the plugin inside Babel's pipeline
// crawls the whole file and reads Babel's scopes throughout, where transform() narrows the crawl and reads
// the file's scope tree (src/transform/narrow-crawl.ts, src/transform/analyze/scope-tree.ts).
import { transformSync } from "@babel/core";
import { parse } from "@babel/parser";
import generateModule from "@babel/generator";
import { parsingOf, stepwisePluginItem, stopAfterLowering, type TransformOptions } from "../../src/transform/index.ts";

const generate = ((generateModule as unknown as { default?: unknown }).default ?? generateModule) as (node: object) => { code: string };

/** The file through @babel/core's pipeline with the plugin as transform() runs it: the whole file crawled. */
export function throughBabelCore(code: string, filename: string, options: TransformOptions = {}) {
  const result = transformSync(code, {
    filename,
    sourceFileName: filename,
    babelrc: false,
    configFile: false,
    ...parsingOf(filename),
    plugins: [stepwisePluginItem(options), stopAfterLowering],
    caller: { name: "stepwise", lastPass: true } as never,
    inputSourceMap: false as never,
    browserslistConfigFile: false,
  })!;
  const metadata = result.metadata as unknown as { stepwise: { machines: unknown[]; warnings: string[] } };
  return { code: result.code!, machines: metadata.stepwise.machines, warnings: metadata.stepwise.warnings };
}

/** The program as Babel prints it (formatting aside, comments kept): transform() prints what it leaves as written. */
export function normalized(code: string, filename: string): string {
  const { sourceType, parserOpts } = parsingOf(filename);
  return generate(parse(code, { sourceType, ...parserOpts })).code;
}
