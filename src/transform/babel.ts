// `stepwise/babel`: the Babel plugin, for `plugins: ["stepwise/babel"]` or `plugins: [["stepwise/babel", { mode: "loop" }]]`.
// Options (validated; an unknown or ill-typed one throws): see StepwiseOptions.
export { default } from "./plugin.ts";
export type { StepwiseOptions } from "./plugin.ts";
export type { RuntimeMode } from "./emit/runtime-import.ts";
