// Babel plugins and presets the bench loads for comparison (bench/lowerings.ts); they ship no declarations.
declare module "@babel/preset-env";
declare module "@babel/plugin-transform-async-generator-functions";
declare module "@babel/plugin-transform-async-to-generator";
declare module "@babel/plugin-transform-regenerator";
declare module "babel-plugin-transform-async-to-promises";
declare module "@babel/plugin-transform-block-scoping";
declare module "@babel/plugin-transform-destructuring";
declare module "@babel/plugin-transform-for-of";
declare module "@babel/plugin-transform-parameters";
