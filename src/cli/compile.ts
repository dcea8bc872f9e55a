// One file through the transform, then (for TypeScript) through Babel's TypeScript preset and (for
// `stepwise run`) JSX through Babel's JSX transform, with one source map from the original to the output.
import { transformSync, type PluginItem } from "@babel/core";
import transformReactJsx from "@babel/plugin-transform-react-jsx";
import presetTypescript from "@babel/preset-typescript";
import { transform, type MachineInfo, type TransformOptions } from "../transform/index.ts";
import { MODES, type Mode } from "./mode.ts";

export interface CompileOptions {
  /** The file name shown in messages and state comments (as the user spelled it). */
  filename: string;
  sourceMaps: boolean;
  runtime?: TransformOptions["runtime"];
  runtimeModule?: string;
  mode?: Mode;
  /** False: generators stay native. */
  generators?: boolean;
  sourceType?: TransformOptions["sourceType"];
  /** Each machine class carries its own metadata (for `run --trace`). */
  machineInfo?: boolean;
  /**
   * JSX becomes calls (for `run`, which must execute it): the automatic runtime (`react/jsx-runtime`)
   * unless the file's `@jsxImportSource` or `@jsxRuntime classic` / `@jsx` pragmas say otherwise.
   */
  compileJSX?: boolean;
}

export interface SourceMap {
  version: number;
  file?: string;
  sources: string[];
  sourcesContent?: (string | null)[];
  names: string[];
  mappings: string;
  sourceRoot?: string;
}

export interface Compiled {
  code: string;
  map: SourceMap | null;
  machines: MachineInfo[];
}

const TYPESCRIPT = /\.[mc]?tsx?$/;
const JSX = /\.[jt]sx$/;

export function isTypeScript(filename: string): boolean {
  return TYPESCRIPT.test(filename);
}

export function compile(source: string, options: CompileOptions): Compiled {
  const { filename, sourceMaps, machineInfo, mode, compileJSX, ...rest } = options;
  const transformOptions: TransformOptions & Record<string, unknown> = { filename, sourceMaps, ...rest };
  if (machineInfo) transformOptions.machineInfo = true;
  if (mode !== undefined) transformOptions.mode = MODES[mode].transformMode;
  for (const key of Object.keys(transformOptions)) if (transformOptions[key] === undefined) delete transformOptions[key];
  const result = transform(source, transformOptions);
  for (const warning of result.warnings) process.stderr.write(`stepwise: ${warning}\n`);
  let code = result.code;
  let map = result.map as SourceMap | null;
  const typescript = isTypeScript(filename);
  const jsx = compileJSX === true && JSX.test(filename);
  if (typescript || jsx) {
    const presets: PluginItem[] = typescript ? [[presetTypescript, {}]] : [];
    const plugins: PluginItem[] = jsx ? [[transformReactJsx, { runtime: "automatic" }]] : [];
    const stripped = transformSync(code, {
      filename,
      sourceFileName: filename,
      babelrc: false,
      configFile: false,
      sourceType: rest.sourceType ?? "unambiguous",
      presets,
      plugins,
      inputSourceMap: (map ?? undefined) as never,
      sourceMaps,
      compact: false,
      retainLines: false,
    });
    code = stripped?.code ?? "";
    map = (stripped?.map as SourceMap | null | undefined) ?? null;
  }
  return { code, map, machines: result.machines };
}

/** `//# sourceMappingURL=data:...` for a map. */
export function inlineMapComment(map: SourceMap): string {
  return `//# sourceMappingURL=data:application/json;charset=utf-8;base64,${Buffer.from(JSON.stringify(map)).toString("base64")}`;
}
