// Issue #9, kill and resume: a 12-page PDF through the real CLI (packages/ocrkit/dist/cli.js) with
// --endpoint at the real server (@ocrkit/server) backed by a deterministic recognizer (documents.ts,
// ~200 ms a page, so a run takes a few seconds and the kill points are reachable). Each run is stopped
// once its progress output has reported N pages (N = 1, 4, 8, 11, 12: start, middle, one page left, all
// pages read but outputs not yet written), by SIGKILL and by SIGINT (Ctrl-C), then run again with
// --resume. Also: killed twice in a row; and a state file whose last line was torn by the kill.
//
// Expected after the stop: SIGINT exits 130 with its "interrupted ... --resume" line (or 0 if the run
// had already finished); no output path holds a file that differs from the uninterrupted run's (atomic
// writes: either absent or whole); the state file keeps every page reported. After --resume: exit 0,
// "resuming: K of 12", exactly the 12 - K missing pages read again, text, JSON and hOCR byte for byte
// and the PDF's text (pdftotext) equal to an uninterrupted run's, the state file gone. Stray
// `<output>.<pid>.tmp` files are counted (a kill between a temp write and its rename leaves one).
//
// Run: pnpm build && node test/stress/kill-resume.ts   (about 90 s)
// Env: STRESS_PAGE_MS   the recognizer's time per page (default 200)
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../../packages/server/dist/index.js';
import { documentDpi, PageRecognizer, pagedPdf } from './documents.ts';
import { printTable, since, verdict } from './table.ts';

const pageMs = Number(process.env.STRESS_PAGE_MS ?? 200);
const pageCount = 12;
const cli = new URL('../../packages/ocrkit/dist/cli.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'ocrkit-kill-resume-'));
const input = join(dir, 'doc.pdf');
writeFileSync(input, await pagedPdf(pageCount));
const recognizer = new PageRecognizer(() => ({ kind: 'ok', delayMs: pageMs }));
const server = await startServer({ port: 0, log: false, recognizer, maxQueue: 64 });

const outputs = ['text', 'json', 'hocr', 'pdf'] as const;
type Outputs = Record<(typeof outputs)[number], string>;
const outputsIn = (name: string): Outputs => ({
  text: join(dir, `${name}.txt`),
  json: join(dir, `${name}.json`),
  hocr: join(dir, `${name}.hocr`),
  pdf: join(dir, `${name}.pdf`),
});
const args = (out: Outputs, ...extra: string[]) => [
  cli,
  input,
  '--endpoint',
  server.url,
  '--dpi',
  String(documentDpi),
  '--text',
  out.text,
  '--json',
  out.json,
  '--hocr',
  out.hocr,
  '-o',
  out.pdf,
  ...extra,
];
// The state file sits beside the PDF output (the first output by the CLI's rule: -o when given).
const stateOf = (out: Outputs) => `${out.pdf}.ocrkit-resume`;
const pdftotext = (path: string) => spawnSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' }).stdout;

/** Runs the CLI to its end. */
function run(
  out: Outputs,
  ...extra: string[]
): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  const child = spawn(process.execPath, args(out, ...extra), { stdio: ['ignore', 'ignore', 'pipe'] });
  return finish(child);
}

function finish(child: ChildProcess): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  return once(child, 'close').then(([code, signal]) => ({ code, signal, stderr }));
}

/** Runs the CLI and sends `signal` once its progress output has reported `pages` pages. */
async function runAndStop(
  out: Outputs,
  pages: number,
  signal: 'SIGKILL' | 'SIGINT',
  ...extra: string[]
): Promise<{ code: number | null; signal: string | null; stderr: string; reported: number }> {
  const child = spawn(process.execPath, args(out, ...extra), { stdio: ['ignore', 'ignore', 'pipe'] });
  let reported = 0;
  let sent = false;
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    reported += (text.match(/page \d+ done/g) ?? []).length;
    if (!sent && reported >= pages) {
      sent = true;
      child.kill(signal);
    }
  });
  const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const result = await finish(child);
  clearTimeout(guard);
  return { ...result, reported };
}

const problems: string[] = [];
const rows: (string | number)[][] = [];

// The reference: one uninterrupted run.
const reference = outputsIn('whole');
const referenceRun = await run(reference);
if (referenceRun.code !== 0) {
  console.log(`the uninterrupted run failed (exit ${referenceRun.code}):\n${referenceRun.stderr}`);
  process.exit(1);
}
const want = {
  text: readFileSync(reference.text, 'utf8'),
  json: readFileSync(reference.json, 'utf8'),
  hocr: readFileSync(reference.hocr, 'utf8'),
  pdfText: pdftotext(reference.pdf),
  pdfBytes: readFileSync(reference.pdf),
};
if (!want.pdfText.includes(`Page ${pageCount} of the stress document`)) {
  problems.push(
    `the uninterrupted run's PDF text lacks page ${pageCount}: ${JSON.stringify(want.pdfText.slice(0, 200))}`,
  );
}

/** Outputs that exist and differ from the reference (a partial file), by name. */
function partialOutputs(out: Outputs): string[] {
  const differs: string[] = [];
  for (const kind of outputs) {
    if (!existsSync(out[kind])) continue;
    const same = kind === 'pdf' ? pdftotext(out.pdf) === want.pdfText : readFileSync(out[kind], 'utf8') === want[kind];
    if (!same) differs.push(kind);
  }
  return differs;
}
const present = (out: Outputs) => outputs.filter((kind) => existsSync(out[kind]));
const strays = (name: string) =>
  readdirSync(dir).filter((file) => file.startsWith(`${name}.`) && file.endsWith('.tmp'));
/** Complete JSON lines of finished pages in the state file. */
function pagesInState(out: Outputs): number {
  if (!existsSync(stateOf(out))) return 0;
  return readFileSync(stateOf(out), 'utf8')
    .split('\n')
    .slice(1)
    .filter((line) => {
      try {
        return typeof (JSON.parse(line) as { pageNumber?: unknown }).pageNumber === 'number';
      } catch {
        return false;
      }
    }).length;
}

/** Resumes and checks the result against the reference; returns the table cells for it. */
async function resumeAndCheck(name: string, out: Outputs, kept: number, where: string): Promise<(string | number)[]> {
  const started = performance.now();
  const resumed = await run(out, '--resume');
  const ms = since(started);
  const reread = (resumed.stderr.match(/page \d+ done/g) ?? []).length;
  const fail = (what: string) => problems.push(`${name}: ${where}: ${what}`);
  if (resumed.code !== 0) fail(`--resume exited ${resumed.code}: ${resumed.stderr.trim()}`);
  if (kept > 0 && !resumed.stderr.includes(`resuming: ${kept} of ${pageCount} pages were done before`)) {
    fail(`no "resuming: ${kept} of ${pageCount}" line: ${resumed.stderr.trim().split('\n')[0]}`);
  }
  if (reread !== pageCount - kept) fail(`read ${reread} pages again, expected ${pageCount - kept}`);
  for (const kind of ['text', 'json', 'hocr'] as const) {
    if (!existsSync(out[kind]) || readFileSync(out[kind], 'utf8') !== want[kind])
      fail(`${kind} output differs from the uninterrupted run's`);
  }
  const pdfSame = existsSync(out.pdf) && pdftotext(out.pdf) === want.pdfText;
  if (!pdfSame) fail("the PDF's text differs from the uninterrupted run's");
  const bytesSame = existsSync(out.pdf) && readFileSync(out.pdf).equals(want.pdfBytes);
  if (existsSync(stateOf(out))) fail('the state file is still there');
  return [reread, `${ms} ms`, pdfSame ? (bytesSame ? 'equal (bytes too)' : 'equal text') : 'DIFFERS'];
}

for (const signal of ['SIGKILL', 'SIGINT'] as const) {
  for (const at of [1, 4, 8, pageCount - 1, pageCount]) {
    const name = `${signal.toLowerCase()}-${at}`;
    const out = outputsIn(name);
    const before = problems.length;
    const stopped = await runAndStop(out, at, signal);
    const finished = stopped.code === 0;
    const how = stopped.signal ? `killed (${stopped.signal})` : `exit ${stopped.code}`;
    const fail = (what: string) => problems.push(`${name}: after the stop: ${what}`);
    if (!finished) {
      if (signal === 'SIGKILL' && stopped.signal !== 'SIGKILL') fail(`ended ${how}, expected killed by SIGKILL`);
      // Once every page is read the CLI lets Ctrl-C end it the default way (the shell reports 130 too);
      // with the outputs written atomically and the state kept, that is as clean as its own exit 130.
      if (signal === 'SIGINT' && stopped.signal !== 'SIGINT') {
        if (stopped.code !== 130) fail(`ended ${how}, expected exit 130 (interrupted) or 0 (done before the signal)`);
        else if (!/interrupted; \d+ finished pages? kept in .*--resume/.test(stopped.stderr)) {
          fail(`no "interrupted ... --resume" line: ${stopped.stderr.trim().split('\n').at(-1)}`);
        }
      }
    }
    const partial = partialOutputs(out);
    if (partial.length > 0) fail(`partial output at ${partial.join(', ')}`);
    if (signal === 'SIGINT' && stopped.code === 130 && present(out).length > 0) {
      fail(`interrupted before the end but wrote ${present(out).join(', ')}`);
    }
    const kept = finished ? 0 : pagesInState(out);
    if (!finished && kept < Math.min(at, stopped.reported))
      fail(`the state file keeps ${kept} pages, ${stopped.reported} were reported`);
    const stopStrays = strays(name);
    const presentAfterStop = present(out).join(', ') || 'none';
    const resumedCells = finished
      ? [
          '-',
          '-',
          present(out).length === outputs.length && partialOutputs(out).length === 0
            ? 'equal (run had finished)'
            : 'DIFFERS',
        ]
      : await resumeAndCheck(name, out, kept, 'after --resume');
    const leftover = strays(name).length;
    rows.push([
      signal,
      `${at} of ${pageCount}`,
      finished ? 'finished first (exit 0)' : how,
      kept,
      presentAfterStop,
      stopStrays.length,
      ...resumedCells,
      leftover,
      problems.length === before ? 'ok' : 'FAIL',
    ]);
  }
}

// Killed twice: stop after 3 pages, resume and stop after 3 more, resume to the end.
{
  const name = 'twice';
  const out = outputsIn(name);
  const before = problems.length;
  await runAndStop(out, 3, 'SIGKILL');
  const first = pagesInState(out);
  await runAndStop(out, 3, 'SIGKILL', '--resume');
  const second = pagesInState(out);
  if (second < first + 3)
    problems.push(`${name}: the state kept ${second} pages after the second kill, expected >= ${first + 3}`);
  const presentAfterStop = present(out).join(', ') || 'none';
  const stopStrays = strays(name).length;
  const cells = await resumeAndCheck(name, out, second, 'after the second --resume');
  rows.push([
    'SIGKILL x2',
    `3, then 3 more`,
    'killed twice',
    second,
    presentAfterStop,
    stopStrays,
    ...cells,
    strays(name).length,
    problems.length === before ? 'ok' : 'FAIL',
  ]);
}

// A torn last line (what a kill in the middle of the state file's append leaves), then a resumed run
// killed again: the pages that resumed run finished must not be lost with the torn line.
{
  const name = 'torn';
  const out = outputsIn(name);
  const before = problems.length;
  await runAndStop(out, 4, 'SIGKILL');
  const state = readFileSync(stateOf(out), 'utf8');
  const lastLine = state.lastIndexOf('\n', state.length - 2);
  truncateSync(stateOf(out), lastLine + 1 + Math.floor((state.length - 2 - lastLine) / 2));
  const afterTear = pagesInState(out);
  const resumedAgain = await runAndStop(out, 3, 'SIGKILL', '--resume');
  const kept = pagesInState(out);
  // The torn page is read again by the resumed run; every page that run reported must be kept.
  if (kept < afterTear + resumedAgain.reported) {
    problems.push(
      `${name}: after a torn state line, the resumed run reported ${resumedAgain.reported} pages but the state keeps ` +
        `${kept - afterTear} of them (${kept} in all): a page finished after a torn line is lost`,
    );
  }
  const presentAfterStop = present(out).join(', ') || 'none';
  const stopStrays = strays(name).length;
  const cells = await resumeAndCheck(name, out, kept, 'after the last --resume');
  rows.push([
    'SIGKILL, torn line',
    `4, then 3 more`,
    'killed twice',
    kept,
    presentAfterStop,
    stopStrays,
    ...cells,
    strays(name).length,
    problems.length === before ? 'ok' : 'FAIL',
  ]);
}

await server.close();
printTable(
  [
    'signal',
    'sent after pages reported',
    'first run ended',
    'pages kept in state',
    'outputs present after the stop',
    'stray .tmp after the stop',
    'pages read on resume',
    'resume time',
    'final outputs vs uninterrupted (text, JSON, hOCR, PDF text)',
    'stray .tmp at the end',
    'verdict',
  ],
  rows,
);
const strayTotal = readdirSync(dir).filter((file) => file.endsWith('.tmp'));
console.log(
  `\n${rows.length} interrupted runs of a ${pageCount}-page PDF, recognizer ${pageMs} ms/page; stray temp files left: ${strayTotal.length}`,
);
if (verdict(problems, 'every interrupted run resumed to the uninterrupted output; no partial file at an output path')) {
  rmSync(dir, { recursive: true, force: true });
} else console.log(`(files kept in ${dir})`);
