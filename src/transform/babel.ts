// `stepwise/babel`: the Babel plugin, for `plugins: ["stepwise/babel"]` or `plugins: [["stepwise/babel", { mode: "loop" }]]`.
// Options (validated; an unknown or ill-typed one throws): see StepwiseOptions.
import plugin from "./plugin.ts";

/**
 * The plugin, typed as both Babel 7's and Babel 8's configurations take a plugin (its own types are Babel
 * 7's, whose AST types Babel 8's do not match): a function of Babel's API and the options.
 */
const stepwise: (api: object, options?: object) => { name?: string; visitor: {} } = plugin;
export default stepwise;
export type { StepwiseOptions } from "./plugin.ts";
export type { RuntimeMode } from "./emit/runtime-import.ts";
