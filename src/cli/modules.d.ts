// Babel presets ship no types.
declare module "@babel/preset-typescript";
