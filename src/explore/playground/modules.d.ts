// Babel plugins without type declarations of their own.
declare module "@babel/plugin-transform-modules-commonjs";
