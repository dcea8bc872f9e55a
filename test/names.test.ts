// The names the transform makes up (file-context.ts): a machine class's name is one no identifier of the
// file has, the first free one of `base`, `base_2`, ... (`uniqueName`: the search for a base resumes where
// the last one stopped, so a file of many functions of one name stays linear); a flattened block binding's
// new name is the first of `name_1`, `name_2`, ... that no identifier of the file has and none of the
// function's own, numbered anew in each function (`renamedName`: other functions' renames are their
// machines' own). These pin the first free name.
import { describe, expect, it } from "vitest";
import { transform } from "../src/transform/index.ts";

/** The classes and the fields named like `i` of the output, in order, each once in a row. */
function madeNames(code: string): string[] {
  const output = transform(code, { filename: "names.js", runtime: "import" }).code;
  const names = [...output.matchAll(/class (\w+)|this\.(i(?:_\d+)?)\b/g)].map((match) => match[1] ?? match[2]);
  return names.filter((name, index) => name !== names[index - 1]);
}

describe("made-up names", () => {
  it("skip the source's names, each function numbering its renames anew", () => {
    const loops = "for (let i = 0; i < 2; i++) await xs[i]; for (let i = 0; i < 2; i++) await xs[i];";
    const code = `const i_1 = 0, FMachine_3 = 0;
async function F(xs) { ${loops} }
{ async function F(xs) { let i_3; ${loops} return i_1; } }
{ async function F(xs) { ${loops} } }
{ async function F(xs) { ${loops} } }
`;
    // (\`i_1\` and \`i_3\` are names of the file's; the names an inner machine class living in the function
    // took are the function's own: fixtures/functions/renames-per-function.js)
    expect(madeNames(code)).toEqual(["FMachine", "i", "i_2", "i", "i_2", "FMachine_2", "i", "i_2", "i", "i_2", "FMachine_4", "i", "i_2", "i", "i_2", "FMachine_5", "i", "i_2", "i", "i_2"]);
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

describe("a machine class's doc comment", () => {
  /** The doc comments of the output's machine classes, in order. */
  function heads(code: string, filename: string): string[] {
    return [...transform(code, { filename }).code.matchAll(/\/\*\* (.*) — /g)].map((match) => match[1]);
  }

  it("shows the source's head as JavaScript: no types, `?`, type assertions or TypeScript's modifiers", () => {
    const code = `
export async function f<T extends object>(this: Window, a: number, b?: string, { c, d }: { c: T; d: number } = {} as any, ...rest: Array<number>): Promise<void> { await a; }
export async function g(a = <number>(x as unknown), b = y!, c = f<string>, d = (z satisfies object), e: string | undefined = undefined) { await a; }
export class K {
  async *gen<U>(x: U, y = 1 as number): AsyncGenerator<U, void, unknown> { yield await x; }
  private static async m(q: readonly string[]) { await q; }
  protected async [Symbol.iterator](): Promise<void> { await 0; }
}
export const anon = class extends Object { public override async run(n: number): Promise<number> { return await n; } };
export const arrow = async <V,>(v: V, w: V | null = null): Promise<V> => { await null; return v; };
`;
    expect(heads(code, "sig.ts")).toEqual([
      "async function f(a, b, { c, d } = {}, ...rest)",
      "async function g(a = x, b = y, c = f, d = (z), e = undefined)",
      "async *K.gen(x, y = 1)",
      "static async K.m(q)",
      "async K.[Symbol.iterator]()",
      "async anon.run(n)",
      "async (v, w = null) =>",
    ]);
  });

  it("keeps a JavaScript file's head as written, a method named like a modifier too", () => {
    const code = "class C { async private(a = 1) { await a; } static async *public() { yield 1; } }\nasync function h({ a } = {}, [b] = []) { await a; }\n";
    expect(heads(code, "plain.js")).toEqual(["async function h({ a } = {}, [b] = [])", "async C.private(a = 1)", "static async *C.public()"]);
  });
});
