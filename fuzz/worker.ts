// A fuzz worker (started by fuzz/run.ts): runs one fast-check seed ("chunk") at a time and reports every
// program's verdict and construct counts, then the shrunk counterexample if the chunk failed.
import { parentPort } from "node:worker_threads";
import fc from "fast-check";
import { checkProgram, fuzzProperty, isFailure, reformat, type FailureRecord } from "./check.ts";
import { render, type ProgramModel } from "./generate.ts";

export interface Job {
  seed: number;
  runs: number;
  path?: string;
  disable: string[];
  node24: boolean;
}

export type WorkerMessage =
  | { type: "run"; counts: [string, number][]; verdict: string; note?: string }
  | { type: "done"; seed: number; runs: number; failure: (FailureRecord & { path: string; shrinks: number }) | null; error?: string };

const port = parentPort!;

async function runJob(job: Job): Promise<WorkerMessage> {
  const { property, state } = fuzzProperty(
    { disable: job.disable, node24: job.node24 },
    {
      onRun: (rendered, verdict) =>
        port.postMessage({
          type: "run",
          counts: [...rendered.counts],
          verdict: verdict.kind,
          note: verdict.kind === "unsupported" ? verdict.message : undefined,
        } satisfies WorkerMessage),
    },
  );
  const details = await fc.check(property, { seed: job.seed, numRuns: job.runs, path: job.path });
  if (!details.failed) return { type: "done", seed: job.seed, runs: details.numRuns, failure: null };
  if (!state.last) {
    return { type: "done", seed: job.seed, runs: details.numRuns, failure: null, error: String(details.errorInstance ?? "failed") };
  }
  // The counterexample fast-check settled on, checked once more; then a tidier print of it if that still fails
  // the same way.
  let record: FailureRecord = state.last;
  const model = details.counterexample?.[0] as ProgramModel | undefined;
  if (model) {
    const code = render(model, { disable: job.disable, node24: job.node24 }).code;
    const verdict = await checkProgram(code);
    if (isFailure(verdict) && verdict.kind === record.verdict.kind) record = { code, verdict };
  }
  try {
    const code = reformat(record.code);
    const verdict = await checkProgram(code);
    if (isFailure(verdict) && verdict.kind === record.verdict.kind) record = { code, verdict };
  } catch {
    // keep the generated text
  }
  return {
    type: "done",
    seed: job.seed,
    runs: details.numRuns,
    failure: { ...record, path: details.counterexamplePath ?? "", shrinks: details.numShrinks },
  };
}

port.on("message", (job: Job) => {
  runJob(job).then(
    (message) => port.postMessage(message),
    (error) => port.postMessage({ type: "done", seed: job.seed, runs: 0, failure: null, error: String(error?.stack ?? error) }),
  );
});
