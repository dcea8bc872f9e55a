import { CliError } from "./shared.ts";

export async function run(_args: string[]): Promise<number> {
  throw new CliError("stepwise run: not implemented yet");
}
