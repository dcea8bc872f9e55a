// Babel presets ship no types.
declare module "@babel/preset-typescript";
declare module "@babel/plugin-transform-react-jsx";
declare module "@babel/plugin-transform-modules-commonjs";
declare module "@babel/plugin-transform-export-namespace-from";
