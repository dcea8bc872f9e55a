// What the transform reports about each machine: the product `inspect` and other tools build on.

export interface StateInfo {
  index: number;
  /** Source line of the first statement of the state, if it has one. */
  line: number | null;
}

export interface MachineInfo {
  /** The function's name as the program knows it. */
  name: string;
  kind: "async" | "generator";
  className: string;
  line: number;
  states: StateInfo[];
  /** [try start, catch, finally, end] per try region (-1 where a part is missing). */
  tries: number[][];
}
