// Real third-party async code, lowered: test/real-code.test.ts runs this program once with the packages as
// published and once with them built by `stepwise build`, and compares the complete output.
import fc from 'fast-check';
import { Bench } from 'tinybench';
import { readdirp } from 'readdirp';
import { fdir } from 'fdir';
import { glob } from 'tinyglobby';
import prompts from 'prompts';
import { x } from 'tinyexec';
const log = (...a) => console.log(...a);
const data = process.argv[2];

// fast-check: async property with a scheduler (interleavings), shrinking, generators in arbitraries
const r1 = await fc.check(fc.asyncProperty(fc.scheduler(), fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 5 }), async (s, xs) => {
  const seen = [];
  await Promise.all(xs.map((x) => s.schedule(Promise.resolve(x)).then((v) => seen.push(v))).concat([s.waitAll()]));
  return seen.length === xs.length && seen.reduce((a, b) => a + b, 0) < 30;
}), { seed: 42, numRuns: 200 });
log('fc async', r1.failed, r1.numRuns, r1.numShrinks, JSON.stringify(r1.counterexample?.[1]));
const r2 = fc.check(fc.property(fc.string(), fc.nat(), (s, n) => s.length + n < 40), { seed: 7 });
log('fc sync', r2.failed, r2.numRuns, JSON.stringify(r2.counterexample));
log('fc sample', JSON.stringify(fc.sample(fc.tuple(fc.integer(), fc.boolean(), fc.option(fc.string({ maxLength: 2 }))), { seed: 3, numRuns: 5 })));
const order = [];
await fc.assert(fc.asyncProperty(fc.scheduler(), async (s) => {
  const a = s.schedule(Promise.resolve('a'), 'a'); const b = s.schedule(Promise.resolve('b'), 'b');
  a.then(() => order.push('a')); b.then(() => order.push('b'));
  await s.waitAll();
}), { seed: 1, numRuns: 6 });
log('fc order', order.join(''));

// readdirp: async iteration over a directory tree
const entries = [];
for await (const e of readdirp(data)) entries.push(e.path);
log('readdirp', entries.sort().join(','));
const early = readdirp(data);
for await (const e of early) { log('readdirp first', typeof e.path); break; }

// fdir and tinyglobby
log('fdir', (await new fdir().withRelativePaths().crawl(data).withPromise()).sort().join(','));
log('fdir sync', new fdir().withRelativePaths().crawl(data).sync().sort().join(','));
log('glob', (await glob(['**/*.txt'], { cwd: data })).sort().join(','));

// tinybench: async tasks, hooks
const bench = new Bench({ iterations: 5, time: 0, warmupIterations: 1, warmupTime: 0 });
let calls = 0;
bench.add('async', async () => { calls++; await null; }).add('sync', () => { calls++; });
await bench.run();
log('tinybench', bench.tasks.map((t) => t.name + ':' + (t.result?.samples.length ?? 0) + ':' + !t.result?.error).join(','), calls);
// prompts (CommonJS): questions answered by injected values, async validation and formatting
prompts.inject(['ada', 7, true]);
const answers = await prompts([
  { type: 'text', name: 'name', message: 'name?', format: async (v) => { await null; return v.toUpperCase(); } },
  { type: 'number', name: 'n', message: 'n?', validate: async (v) => v > 3 },
  { type: (prev) => (prev > 5 ? 'confirm' : null), name: 'sure', message: 'sure?' },
], { onSubmit: (q, a) => log('submitted', q.name, a) });
log('prompts', JSON.stringify(answers));

// tinyexec: a child process, its output as an async iterable of lines
const lines = [];
for await (const line of x(process.execPath, ['-e', 'console.log("one\\ntwo"); console.log("three")'])) lines.push(line);
const result = await x(process.execPath, ['-e', 'process.stdout.write("out"); process.exit(3)'], { throwOnError: false });
log('tinyexec', lines.join('|'), result.stdout, result.exitCode);
log('done');
