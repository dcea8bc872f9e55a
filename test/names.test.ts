// The names the transform makes up (file-context.ts `uniqueName`, `numberedName`): a machine class's name
// and a flattened block binding's new name are names no identifier of the file has, the first free one of
// `base`, `base_2`, ... or `name_1`, `name_2`, ... The search for a base resumes where the last one for it
// stopped (a file of many functions of one name stays linear); these pin that it still finds the first free
// name: past the source's own names, and past the names the same function took before.
import { describe, expect, it } from "vitest";
import { transform } from "../src/transform/index.ts";

/** The classes and the fields named like `i` of the output, in order, each once in a row. */
function madeNames(code: string): string[] {
  const output = transform(code, { filename: "names.js", runtime: "import" }).code;
  const names = [...output.matchAll(/class (\w+)|this\.(i(?:_\d+)?)\b/g)].map((match) => match[1] ?? match[2]);
  return names.filter((name, index) => name !== names[index - 1]);
}

describe("made-up names", () => {
  it("skip the source's names and those taken before, function after function", () => {
    const loops = "for (let i = 0; i < 2; i++) await xs[i]; for (let i = 0; i < 2; i++) await xs[i];";
    const code = `const i_2 = 0, FMachine_3 = 0;
async function F(xs) { ${loops} }
{ async function F(xs) { ${loops} return i_2; } }
{ async function F(xs) { let i_4; ${loops} } }
{ async function F(xs) { ${loops} } }
`;
    expect(madeNames(code)).toEqual(["FMachine", "this.i", "this.i_1", "this.i", "this.i_1", "FMachine_2", "this.i", "this.i_3", "this.i", "this.i_3", "FMachine_4", "this.i", "this.i_5", "this.i", "this.i_5", "FMachine_5", "this.i", "this.i_6", "this.i", "this.i_6"].map((name) => name.replace(/^this\./, "")));
  });

  it("number a thousand machines of one name one after another", () => {
    const code = Array.from({ length: 1000 }, () => "use(async () => { await 0; });\n").join("");
    const classes = madeNames(code).filter((name) => !name.startsWith("i"));
    expect(classes).toHaveLength(1000);
    expect(new Set(classes).size).toBe(1000);
    expect(classes.slice(0, 3)).toEqual([classes[0], `${classes[0]}_2`, `${classes[0]}_3`]);
    expect(classes[999]).toBe(`${classes[0]}_1000`);
  });
});
