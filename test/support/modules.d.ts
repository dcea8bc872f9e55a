declare module "@babel/preset-typescript";
declare module "@babel/preset-env";
declare module "@babel/preset-react";
declare module "babel-plugin-istanbul";
declare module "@babel/plugin-proposal-decorators";
