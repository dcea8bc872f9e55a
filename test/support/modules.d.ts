declare module "@babel/preset-typescript";
