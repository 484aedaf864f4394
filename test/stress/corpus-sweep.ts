// Issue #9, corpus sweep: every PDF of the pdfjs and ocrmypdf corpora through the real `ocrkit` CLI with the
// local engine, one process per file, under a wall-time bound and GNU time for peak RSS. Each file is ok
// (exit 0, or 3 with the output written), a typed error (exit 1 with one `ocrkit: ...` line) or a failure
// (crash, signal, timeout, stack trace or unhandled rejection on stderr, an output or `.tmp` file left
// behind by a failed run). One line per file, then a summary table; exit code 1 on any failure.
//
// Only pages 1-2 of each file are converted (pages 1..n for shorter files), to bound the time: the engine
// takes seconds a page and the corpora hold hundreds of pages.
//
// Run: pnpm build && node test/stress/corpus-sweep.ts   (needs GNU time at /usr/bin/time)
// Env: OCRKIT_CORPORA           the public corpora (default /work/shared/corpora); skipped when missing
//      STRESS_FILE_TIMEOUT_S    wall time one file may take before it is killed (default 120)
//      STRESS_SWEEP_SECONDS     stop starting files after this many seconds (default: no bound)
//      STRESS_SWEEP_FILTER      only files whose `folder/name` contains this string
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

const corporaDir = resolve(process.env.OCRKIT_CORPORA ?? '/work/shared/corpora');
const cli = new URL('../../packages/ocrkit/dist/cli.js', import.meta.url).pathname;
const fileTimeoutMs = Number(process.env.STRESS_FILE_TIMEOUT_S ?? 120) * 1000;
const budgetMs = Number(process.env.STRESS_SWEEP_SECONDS ?? 0) * 1000;
const filter = process.env.STRESS_SWEEP_FILTER ?? '';
// Text on stderr that means something escaped the CLI's error handling.
const untyped = /Unhandled|TypeError|ReferenceError|RangeError|SyntaxError|FATAL|Segmentation|Aborted|\n\s+at /;

interface CorpusPdf {
  readonly name: string;
  readonly path: string;
  readonly password: string | undefined;
}

type Verdict = 'ok' | 'typed error' | 'failure';

interface Run {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  readonly stderr: string;
  readonly seconds: number;
  readonly maxRssMiB: number;
}

/** Every PDF of `folder` (pdfjs keeps them under pdfs/), with pdf.js's test passwords by file name. */
function corpusPdfs(folder: string): CorpusPdf[] {
  const root = join(corporaDir, folder);
  const dir = existsSync(join(root, 'pdfs')) ? join(root, 'pdfs') : root;
  if (!existsSync(dir)) return [];
  const passwords = new Map<string, string>();
  const manifest = join(root, 'test_manifest.json');
  if (existsSync(manifest)) {
    for (const entry of JSON.parse(readFileSync(manifest, 'utf8')) as { file?: string; password?: string }[]) {
      if (entry.file && typeof entry.password === 'string') passwords.set(basename(entry.file), entry.password);
    }
  }
  return readdirSync(dir)
    .filter((name) => name.toLowerCase().endsWith('.pdf'))
    .sort()
    .map((name) => ({ name: `${folder}/${name}`, path: join(dir, name), password: passwords.get(name) }));
}

/** Runs the CLI under GNU time, killed (its whole process group) after `fileTimeoutMs`. */
function runCli(args: string[]): Promise<Run> {
  const started = performance.now();
  return new Promise((done) => {
    const child = spawn('/usr/bin/time', ['-f', 'MAXRSS %M', process.execPath, cli, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    let stderr = '';
    let timedOut = false;
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, fileTimeoutMs);
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      const rss = /MAXRSS (\d+)\s*$/.exec(stderr);
      // GNU time reports a child killed by a signal as "Command terminated by signal N".
      const bySignal = /Command terminated by signal (\d+)/.exec(stderr);
      const clean = stderr
        .replace(/MAXRSS \d+\s*$/, '')
        .replace(/Command (exited with non-zero status \d+|terminated by signal \d+)\n?/, '')
        .trim();
      done({
        exitCode: bySignal ? null : exitCode,
        signal: bySignal ? `signal ${bySignal[1]}` : signal,
        timedOut,
        stderr: clean,
        seconds: (performance.now() - started) / 1000,
        maxRssMiB: rss ? Number(rss[1]) / 1024 : 0,
      });
    });
  });
}

function classify(run: Run, outDir: string, out: string): { verdict: Verdict; detail: string } {
  const left = readdirSync(outDir);
  const tmpLeft = left.filter((name) => name.includes('.tmp'));
  const lines = run.stderr.split('\n').filter((line) => line.trim() !== '');
  const first = lines[0] ?? '';
  if (run.timedOut) return { verdict: 'failure', detail: `timeout after ${fileTimeoutMs / 1000} s` };
  if (run.signal) return { verdict: 'failure', detail: `killed by ${run.signal}` };
  if (untyped.test(run.stderr)) return { verdict: 'failure', detail: `untyped error: ${first.slice(0, 160)}` };
  if (tmpLeft.length > 0) return { verdict: 'failure', detail: `left behind: ${tmpLeft.join(', ')}` };
  if (run.exitCode === 0 && !existsSync(out)) {
    // The CLI writes nothing, exit 0, when every page already has text (silent under --quiet).
    return { verdict: 'typed error', detail: 'already has text: exit 0, nothing written' };
  }
  if (run.exitCode === 0 || run.exitCode === 3) {
    if (!existsSync(out)) return { verdict: 'failure', detail: `exit ${run.exitCode} but no output written` };
    return { verdict: 'ok', detail: run.exitCode === 3 ? `exit 3: ${lines.join(' | ').slice(0, 160)}` : 'exit 0' };
  }
  if (run.exitCode === 1) {
    if (existsSync(out)) return { verdict: 'failure', detail: `exit 1 with ${basename(out)} left: ${first}` };
    // Pages that failed are named on lines of their own before the line that ends the run.
    const last = lines.at(-1) ?? '';
    if (lines.length > 0 && lines.every((line) => line.startsWith('ocrkit: '))) {
      return { verdict: 'typed error', detail: lines.join(' | ') };
    }
    if (last.startsWith('ocrkit: ')) {
      const stray = lines.filter((line) => !line.startsWith('ocrkit: ')).length;
      return { verdict: 'typed error', detail: `${last} [+${stray} stray stderr lines, not ocrkit's]` };
    }
    if (/already has text/i.test(run.stderr)) return { verdict: 'typed error', detail: first };
    return { verdict: 'failure', detail: `exit 1 without one typed line: ${lines.join(' | ').slice(0, 160)}` };
  }
  return { verdict: 'failure', detail: `exit ${run.exitCode}: ${lines.join(' | ').slice(0, 160)}` };
}

const files = [...corpusPdfs('pdfjs'), ...corpusPdfs('ocrmypdf')].filter((file) => file.name.includes(filter));
if (files.length === 0) {
  console.log(`corpus-sweep: no corpora under ${corporaDir}: skipped (set OCRKIT_CORPORA).`);
  process.exit(0);
}

console.log(
  `corpus-sweep: ${files.length} PDFs from ${corporaDir} through the CLI (local engine), ` +
    `ONLY pages 1-2 of each (--pages 1-2) to bound the time; kill after ${fileTimeoutMs / 1000} s` +
    (budgetMs ? `; no new file after ${budgetMs / 1000} s` : ''),
);
const counts: Record<Verdict, number> = { ok: 0, 'typed error': 0, failure: 0 };
const failures: string[] = [];
const typedCodes = new Map<string, number>();
let maxRss = { mib: 0, name: '' };
let slowest = { seconds: 0, name: '' };
let totalSeconds = 0;
let skipped = 0;
const sweepStarted = performance.now();

for (const file of files) {
  if (budgetMs && performance.now() - sweepStarted > budgetMs) {
    skipped++;
    continue;
  }
  const dir = mkdtempSync(join(tmpdir(), 'ocrkit-sweep-'));
  const out = join(dir, 'out.pdf');
  const args = (pages: string) => {
    const list = [file.path, '-o', out, '--quiet', '--pages', pages];
    if (file.password !== undefined) list.push('--password', file.password);
    return list;
  };
  let run = await runCli(args('1-2'));
  let seconds = run.seconds;
  // A one-page file: ask again for the pages it has (the CLI names the count).
  const pageCount = /the PDF has (\d+) page/.exec(run.stderr);
  if (run.exitCode === 1 && pageCount && Number(pageCount[1]) < 2) {
    rmSync(dir, { recursive: true, force: true });
    const retryDir = mkdtempSync(join(tmpdir(), 'ocrkit-sweep-'));
    const retryOut = join(retryDir, 'out.pdf');
    run = await runCli(args('1').map((arg) => (arg === out ? retryOut : arg)));
    seconds += run.seconds;
    const result = classify(run, retryDir, retryOut);
    rmSync(retryDir, { recursive: true, force: true });
    record(file, run, seconds, result);
    continue;
  }
  const result = classify(run, dir, out);
  rmSync(dir, { recursive: true, force: true });
  record(file, run, seconds, result);
}

function record(file: CorpusPdf, run: Run, seconds: number, result: { verdict: Verdict; detail: string }): void {
  counts[result.verdict]++;
  totalSeconds += seconds;
  if (run.maxRssMiB > maxRss.mib) maxRss = { mib: run.maxRssMiB, name: file.name };
  if (seconds > slowest.seconds) slowest = { seconds, name: file.name };
  if (result.verdict === 'failure') failures.push(`${file.name}: ${result.detail}`);
  if (result.verdict === 'typed error') {
    const kind = (result.detail.split(' | ').at(-1) ?? '')
      .replace(/^ocrkit: /, '')
      .replace(/\d+/g, 'N')
      .replace(/\/\S+/g, '<file>')
      .slice(0, 70);
    typedCodes.set(kind, (typedCodes.get(kind) ?? 0) + 1);
  }
  console.log(
    `${file.name.padEnd(52)} ${result.verdict.toUpperCase().padEnd(11)} ${seconds.toFixed(1).padStart(6)} s ` +
      `${Math.round(run.maxRssMiB).toString().padStart(5)} MiB  ${result.detail.slice(0, 140)}`,
  );
}

console.log('\ncorpus-sweep summary (pages 1-2 of each file)');
console.log('| files | ok | typed errors | failures | not run (time bound) | max RSS | slowest file | total time |');
console.log('|---|---|---|---|---|---|---|---|');
console.log(
  `| ${files.length} | ${counts.ok} | ${counts['typed error']} | ${counts.failure} | ${skipped} | ` +
    `${Math.round(maxRss.mib)} MiB (${maxRss.name}) | ${slowest.seconds.toFixed(1)} s (${slowest.name}) | ` +
    `${totalSeconds.toFixed(0)} s |`,
);
if (typedCodes.size > 0) {
  console.log('\n| typed error | files |\n|---|---|');
  for (const [kind, count] of [...typedCodes].sort((a, b) => b[1] - a[1])) console.log(`| ${kind} | ${count} |`);
}
if (failures.length > 0) {
  console.log(`\nFAILURES:\n${failures.map((line) => `  ${line}`).join('\n')}`);
  process.exitCode = 1;
}
