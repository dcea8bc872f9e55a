// The programmatic API: a source string in; code, a source map and the machines' metadata out.
// Run it with `node examples/build/api.mjs` here (after npm run build), or anywhere stepwise is installed.
import { transform } from "stepwise";

const source = `async function coro(name) {
  console.log("before", name);
  await sleep(0);
  console.log("after", name);
}
`;

const { code, map, machines } = transform(source, {
  filename: "coro.js", // names the states' source lines; its extension picks the syntax (.ts, .tsx, .jsx, .mjs, .cjs)
  sourceMaps: true,
  runtime: "import", // "import" | "require" | "inline" (default: what the file is, a module or a script)
  mode: "promise", // or "loop": async functions return coroutines for stepwise/loop
  generators: true, // false leaves function* and async function* native
});

console.log(code.split("\n")[0]); // the runtime import
console.log(map.sources, map.mappings.length > 0);
for (const machine of machines) {
  console.log(`${machine.kind} function ${machine.name} (line ${machine.line}) -> class ${machine.className}`);
  for (const state of machine.states) {
    const suspends = state.suspends ? `, then ${state.suspends.kind} ${state.suspends.operand}` : "";
    console.log(`  state ${state.index}: line ${state.line}${suspends}${state.returns ? ", returns" : ""}`);
  }
}
