// Issue #9's reliability suites, one after another, each in its own process (a crash ends that suite, not
// the run): corpus sweep, server fuzzing, rasterize fuzzing, URL-mode SSRF, faults (client, pipeline,
// CLI), kill and resume, overload and shutdown. Exit code 1 when any suite reports a failure or
// dies. Not part of `pnpm test`: the suites take minutes and print their tables for the record.
//
// Run: pnpm build && pnpm test:stress   (each suite's bounds are env vars, listed at the top of its file)
import { spawnSync } from 'node:child_process';

const suites: { readonly name: string; readonly args: string[] }[] = [
  { name: 'corpus-sweep', args: ['corpus-sweep.ts'] },
  // --expose-gc: RSS before and after is read after a full collection.
  { name: 'server-fuzz', args: ['--expose-gc', 'server-fuzz.ts'] },
  { name: 'rasterize-fuzz', args: ['rasterize-fuzz.ts'] },
  { name: 'ssrf', args: ['ssrf.ts'] },
  { name: 'faults', args: ['faults.ts'] },
  { name: 'kill-resume', args: ['kill-resume.ts'] },
  // --expose-gc: memory is read after a full collection.
  { name: 'overload', args: ['--expose-gc', 'overload.ts'] },
];

const here = new URL('.', import.meta.url).pathname;
const results: string[] = [];
for (const suite of suites) {
  console.log(`\n=== ${suite.name} ===`);
  const started = performance.now();
  const run = spawnSync(process.execPath, suite.args, { cwd: here, stdio: 'inherit' });
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  const verdict = run.status === 0 ? 'pass' : `FAIL (${run.signal ? `signal ${run.signal}` : `exit ${run.status}`})`;
  results.push(`| ${suite.name} | ${verdict} | ${seconds} s |`);
  if (run.status !== 0) process.exitCode = 1;
}
console.log(`\n| suite | result | time |\n|---|---|---|\n${results.join('\n')}`);
