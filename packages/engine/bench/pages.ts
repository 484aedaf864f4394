// Accuracy and speed of the engine on real pages, beside tesseract (Debian's CLI) and @gutenye/ocr-node (the
// same PP-OCRv4 models with PaddleOCR's own post-processing), as markdown tables on stdout.
//
// Run: pnpm exec tsc -b (at the repo root: the engine is imported from its dist), then
//      pnpm --filter @ocrkit/engine bench
// Env: OCRKIT_CORPORA    the public corpora; default ../../../shared/corpora from this package
//      BENCH_RUNS        engine calls per page, median reported (default 3)
//      BENCH_PEER_RUNS   calls per page for the peers (default 1: tesseract takes seconds a page)
//      BENCH_SETS        comma-separated set names to run (default all)
//      BENCH_ENGINE_OPTIONS  createEngine() options as JSON, e.g. '{"detectMaxSidePx":1280}' (default {})
//      BENCH_KEEP=1      keep the rendered pages and every tool's text (their folder is printed)
//      MALLOC_ARENA_MAX  glibc malloc arenas of the engine's and gutenye's processes (default 2, as the ocrkit command)
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildPageSets, type Page, type PageSet } from './corpus.ts';
import type { Stages, WorkerReply } from './ocr-worker.ts';
import { score, type TextScores } from './text-metrics.ts';

const corporaDir = process.env.OCRKIT_CORPORA
  ? resolve(process.env.OCRKIT_CORPORA)
  : fileURLToPath(new URL('../../../../shared/corpora', import.meta.url));
const engineRuns = positiveInteger('BENCH_RUNS', 3);
const peerRuns = positiveInteger('BENCH_PEER_RUNS', 1);
const onlySets = process.env.BENCH_SETS?.split(',').map((name) => name.trim());
// The issue's bound: a peer that takes longer on one page is killed and the page recorded as an error.
const timeoutMs = 120_000;
// A4 at 300 dpi, either way up, within 1% (pdftoppm rounds 841.89 pt to 3509 px).
const isA4At300 = (page: Page) => {
  const [short, long] = [Math.min(page.widthPx, page.heightPx), Math.max(page.widthPx, page.heightPx)];
  return Math.abs(short - 2480) <= 25 && Math.abs(long - 3508) <= 35;
};

interface Reading {
  readonly texts?: readonly string[];
  readonly ms?: readonly number[];
  readonly stages?: readonly Stages[];
  readonly error?: string;
}

interface Tool {
  readonly name: string;
  readonly runs: number;
  /** What it is and how it is called, once started. */
  readonly about: string;
  /** Undefined once ready to read, or why it cannot run here. */
  start(): Promise<string | undefined>;
  read(path: string): Promise<Reading>;
  close(): Promise<void>;
}

const run = promisify(execFile);

/** `tesseract IMAGE stdout -l eng+chi_sim --psm 3`, one process per page, single-threaded. */
class TesseractCli implements Tool {
  readonly name = 'tesseract';
  readonly runs = peerRuns;
  about = 'tesseract';

  async start(): Promise<string | undefined> {
    try {
      const { stdout } = await run('tesseract', ['--version']);
      const { stdout: langs } = await run('tesseract', ['--list-langs']);
      const missing = ['eng', 'chi_sim'].filter((lang) => !langs.split(/\s+/).includes(lang));
      if (missing.length > 0) return `skipped: tesseract has no ${missing.join(', ')} data (tesseract-ocr-chi-sim)`;
      this.about = `${stdout.split('\n')[0]} (-l eng+chi_sim --psm 3, OMP_THREAD_LIMIT=1)`;
      return undefined;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return code === 'ENOENT' ? 'skipped: tesseract not installed' : `skipped: ${(error as Error).message}`;
    }
  }

  async read(path: string): Promise<Reading> {
    const texts: string[] = [];
    const ms: number[] = [];
    for (let i = 0; i < this.runs; i++) {
      const started = performance.now();
      try {
        const { stdout } = await run('tesseract', [path, 'stdout', '-l', 'eng+chi_sim', '--psm', '3'], {
          env: { ...process.env, OMP_THREAD_LIMIT: '1' },
          timeout: timeoutMs,
          killSignal: 'SIGKILL',
          maxBuffer: 1 << 26,
        });
        ms.push(performance.now() - started);
        texts.push(stdout);
      } catch (error) {
        const { killed, stderr } = error as { killed?: boolean; stderr?: string };
        if (killed) return { error: `killed after ${timeoutMs / 1000} s` };
        return { error: lastLine(stderr) || (error as Error).message };
      }
    }
    return { texts, ms };
  }

  async close(): Promise<void> {}
}

// The engine runs as the ocrkit command runs it, with two glibc malloc arenas (packages/ocrkit/src/bin.ts;
// the engine README asks services and embedders to do the same): with one arena per thread, freed memory
// piles up per worker and the peak over seven A4 pages grew from 933 to 1178 MiB. Set MALLOC_ARENA_MAX
// yourself to measure otherwise.
const mallocArenas = process.env.MALLOC_ARENA_MAX ?? '2';

/** A tool hosted by bench/ocr-worker.ts in a child process of its own. */
class WorkerTool implements Tool {
  readonly name: string;
  readonly runs: number;
  about: string;
  loadMs = 0;
  maxRssKiB: number | undefined;
  readonly #kind: 'engine' | 'gutenye';
  #child: ChildProcess | undefined;
  #pending: ((reply: WorkerReply) => void) | undefined;
  #stderr = '';

  constructor(name: string, kind: 'engine' | 'gutenye', runs: number) {
    this.name = name;
    this.about = name;
    this.#kind = kind;
    this.runs = runs;
  }

  async start(): Promise<string | undefined> {
    const child = spawn(process.execPath, [fileURLToPath(new URL('./ocr-worker.ts', import.meta.url)), this.#kind], {
      stdio: ['pipe', 'ignore', 'pipe', 'pipe'],
      // The peer runs ONNX Runtime as published too: no telemetry from it either (src/no-telemetry.ts).
      env: { ...process.env, MALLOC_ARENA_MAX: mallocArenas, ORT_DISABLE_TELEMETRY: '1' },
    });
    this.#child = child;
    this.#stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString()).slice(-4000);
    });
    createInterface({ input: child.stdio[3] as Readable }).on('line', (line) => this.#settle(JSON.parse(line)));
    child.on('exit', (code, signal) => {
      if (this.#child === child) this.#child = undefined;
      this.#settle({ error: `worker exited (${signal ?? code}): ${lastLine(this.#stderr)}` });
    });
    const ready = await this.#reply(timeoutMs);
    if ('ready' in ready) {
      this.about = ready.version;
      this.loadMs = ready.loadMs;
      return undefined;
    }
    const message = 'error' in ready ? ready.error : JSON.stringify(ready);
    if (this.#kind === 'gutenye' && /Cannot find (package|module) '@gutenye\/ocr-node'/.test(message)) {
      return 'skipped: @gutenye/ocr-node not installed (pnpm install)';
    }
    return `skipped: ${message}`;
  }

  async read(path: string): Promise<Reading> {
    // A worker killed on a timeout is started again for the next page; its load is not timed.
    if (!this.#child) {
      const problem = await this.start();
      if (problem) return { error: problem };
    }
    const reply = await this.#ask({ path, runs: this.runs });
    if ('error' in reply) return { error: reply.error };
    if ('texts' in reply) return reply;
    return { error: `unexpected reply ${JSON.stringify(reply)}` };
  }

  async close(): Promise<void> {
    if (!this.#child) return;
    const reply = await this.#ask({ exit: true });
    if ('maxRssKiB' in reply) this.maxRssKiB = Math.max(this.maxRssKiB ?? 0, reply.maxRssKiB);
  }

  #ask(request: object): Promise<WorkerReply> {
    const stdin = this.#child?.stdin;
    if (!stdin) return Promise.resolve({ error: 'worker not running' });
    const reply = this.#reply(timeoutMs * this.runs);
    stdin.write(`${JSON.stringify(request)}\n`);
    return reply;
  }

  #reply(waitMs: number): Promise<WorkerReply> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending = undefined;
        this.#child?.kill('SIGKILL');
        resolve({ error: `killed after ${waitMs / 1000} s` });
      }, waitMs);
      this.#pending = (reply) => {
        clearTimeout(timer);
        resolve(reply);
      };
    });
  }

  #settle(reply: WorkerReply): void {
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.(reply);
  }
}

interface Row {
  readonly set: string;
  readonly page: Page;
  readonly tool: string;
  readonly ms?: number;
  readonly scores?: TextScores;
  readonly stages?: Stages;
  readonly error?: string;
  readonly note?: string;
}

const startedAt = performance.now();
const keep = Boolean(process.env.BENCH_KEEP);
const out = (line = '') => console.log(line);

const engine = new WorkerTool('engine', 'engine', engineRuns);
const tesseract = new TesseractCli();
const gutenye = new WorkerTool('gutenye', 'gutenye', peerRuns);
const tools: Tool[] = [];
const skippedTools: string[] = [];
for (const tool of [engine, tesseract, gutenye]) {
  const problem = await tool.start();
  if (problem) skippedTools.push(`${tool.name}: ${problem}`);
  else tools.push(tool);
}
if (!tools.includes(engine)) throw new Error(`The engine did not start: ${skippedTools.join('; ')}`);

const workDir = await mkdtemp(join(tmpdir(), 'ocrkit-bench-'));
const sets = await buildPageSets(corporaDir, workDir, (name) => !onlySets || onlySets.includes(name));

out('# ocrkit engine: pages benchmark');
out();
out(
  `- machine: ${cpus()[0]?.model.trim()}, ${availableParallelism()} logical CPUs, load average ${loadavg()[0]?.toFixed(2)} ` +
    `at the start; node ${process.version}`,
);
out(`- corpora: ${corporaDir}`);
out(
  `- engine: ${engine.about}, createEngine(${process.env.BENCH_ENGINE_OPTIONS ?? ''}) (threads = CPUs unless set), ` +
    `recognize(bytes, { detect_direction: true }); models loaded in ${ms(engine.loadMs)} ms; ` +
    `MALLOC_ARENA_MAX=${mallocArenas} for its process and gutenye's`,
);
for (const tool of tools.filter((t) => t !== engine)) {
  out(`- ${tool.name}: ${tool.about}${tool instanceof WorkerTool ? `; models loaded in ${ms(tool.loadMs)} ms` : ''}`);
}
for (const skipped of skippedTools) out(`- ${skipped}`);
out(
  `- ms: engine median of ${plural(engineRuns, 'call')} on the bytes in memory; peers ${plural(peerRuns, 'call')} each${peerRuns > 1 ? ' (median)' : ''} ` +
    '(tesseract takes seconds a page): its time includes starting the process and loading eng+chi_sim, ' +
    "gutenye's reading and decoding the file. Every tool was warmed up once on the first page.",
);
out(
  '- CER: edit distance over reference characters, NFKC, all whitespace removed (recognition alone); CER sp: ' +
    'whitespace runs as one space; WER: words split on whitespace, each CJK character a word; ΔWER: WER minus ' +
    '1 − (1 − CER)^(mean word length), the WER that CER alone predicts (above +1 point: lost or spurious spaces); ' +
    'BoW: bag-of-words error, blind to order (WER far above BoW: reading order). Errors count as 100% in means.',
);

const firstPage = sets.flatMap((set) => set.pages)[0];
if (firstPage) for (const tool of tools) await tool.read(firstPage.path);

const rows: Row[] = [];
for (const set of sets) {
  out();
  out(`## ${set.name}`);
  out();
  out(set.about);
  for (const skipped of set.skipped) out(`- skipped: ${skipped}`);
  if (set.pages.length === 0) {
    out('- no pages: set skipped');
    continue;
  }
  const setRows: Row[] = [];
  for (const page of set.pages) {
    for (const tool of tools) {
      const reading = await tool.read(page.path);
      if (keep) await keepText(set, page, tool.name, reading);
      const row = toRow(set, page, tool.name, reading);
      setRows.push(row);
      rows.push(row);
    }
  }
  out();
  printTable(
    ['page', 'tool', 'ms', 'CER %', 'CER sp %', 'WER %', 'ΔWER', 'BoW %', 'note'],
    setRows.map((row) => [
      row.page.name,
      row.tool,
      row.ms === undefined ? '—' : ms(row.ms),
      percent(row.scores?.cer),
      percent(row.scores?.cerSpaced),
      percent(row.scores?.wer),
      row.scores ? signed(100 * (row.scores.wer - row.scores.expectedWer)) : '—',
      percent(row.scores?.bow),
      row.error ? `error: ${row.error}` : (row.note ?? ''),
    ]),
  );
}

for (const tool of tools) await tool.close();
if (keep) out(`\nRendered pages and each tool's text kept in ${workDir}`);
else await rm(workDir, { recursive: true, force: true });

const staged = rows.filter((row) => row.tool === 'engine' && row.stages && row.page.widthPx * row.page.heightPx > 2e6);
if (staged.length > 0) {
  out();
  out('## Where the engine spends its time (pages over 2 Mpx, median call, ms)');
  out();
  out(
    'decode: the image into shared memory; detect: scaling, the model, DB post-processing; classify: the 0/180 ' +
      'classifier; read: line crops, recognition and CTC decoding over the model workers; other: reading ' +
      'order and the result.',
  );
  out();
  const stageNames = ['decode', 'detect', 'classify', 'read', 'other'] as const;
  printTable(
    ['page', 'px', 'total', ...stageNames],
    staged.map((row) => [
      row.page.name,
      `${row.page.widthPx}×${row.page.heightPx}`,
      ms(row.ms ?? 0),
      ...stageNames.map((name) => ms(row.stages?.[name] ?? 0)),
    ]),
  );
  const totals = stageNames.map((name) => staged.reduce((sum, row) => sum + (row.stages?.[name] ?? 0), 0));
  const all = totals.reduce((a, b) => a + b, 0);
  out();
  out(
    `Share over these pages: ${stageNames.map((name, i) => `${name} ${percent((totals[i] ?? 0) / all, 0)}%`).join(', ')}.`,
  );
}

out();
out('## Summary');
out();
if (rows.length === 0) out('No pages were read.');
else
  printTable(
    ['set', 'tool', 'pages', 'errors', 'median ms', 'mean CER %', 'mean CER sp %', 'mean WER %', 'mean BoW %'],
    sets.flatMap((set) =>
      tools.flatMap((tool) => {
        const mine = rows.filter((row) => row.set === set.name && row.tool === tool.name);
        if (mine.length === 0) return [];
        const timed = mine.flatMap((row) => (row.ms === undefined ? [] : [row.ms]));
        return [
          [
            set.name,
            tool.name,
            `${mine.length}`,
            `${mine.filter((row) => row.error).length}`,
            timed.length ? ms(median(timed)) : '—',
            percent(meanOf(mine, 'cer')),
            percent(meanOf(mine, 'cerSpaced')),
            percent(meanOf(mine, 'wer')),
            percent(meanOf(mine, 'bow')),
          ],
        ];
      }),
    ),
  );

out();
out('## Targets');
out();
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
if (tools.includes(tesseract)) {
  for (const set of sets) {
    const mine = rows.filter((row) => row.set === set.name);
    if (mine.length === 0) continue;
    const ours = meanOf(
      mine.filter((row) => row.tool === 'engine'),
      'cer',
    );
    const theirs = meanOf(
      mine.filter((row) => row.tool === 'tesseract'),
      'cer',
    );
    // At 0% nothing is below; a set both read without error meets the target.
    const met = ours < theirs || ours === 0;
    out(`- CER below tesseract's on ${set.name}: ${percent(ours)}% vs ${percent(theirs)}%: ${verdict(met)}`);
  }
} else out("- CER below tesseract's: not measured (tesseract skipped)");
const clean = rows.filter((row) => row.tool === 'engine' && ['rendered-en', 'rendered-zh'].includes(row.set));
for (const row of clean) {
  const cer = row.scores?.cer ?? 1;
  out(`- CER below 1% on clean 300-dpi text, ${row.page.name}: ${percent(cer)}%: ${verdict(cer < 0.01)}`);
}
const icdarEngine = rows.filter((row) => row.tool === 'engine' && row.set === 'icdar2013-eu');
if (icdarEngine.length > 0) {
  out(
    `- (for reference) ICDAR born-digital pages at 300 dpi, engine CER: ${icdarEngine.map((row) => `${row.page.name} ${percent(row.scores?.cer)}%`).join(', ')}`,
  );
}
for (const tool of tools) {
  const a4 = rows.filter((row) => row.tool === tool.name && isA4At300(row.page) && row.ms !== undefined);
  if (a4.length === 0) continue;
  const value = median(a4.map((row) => row.ms as number));
  const target = tool === engine ? ` (target < 1500 ms: ${verdict(value < 1500)})` : '';
  out(
    `- A4 at 300 dpi, ${tool.name}: median ${ms(value)} ms over ${a4.length} pages [${a4.map((row) => ms(row.ms as number)).join(', ')}]${target}`,
  );
}
const spacing = rows.filter(
  (row) => row.tool === 'engine' && row.scores && ['rendered-en', 'receipt', 'icdar2013-eu'].includes(row.set),
);
for (const row of spacing) {
  const { wer = 0, expectedWer = 0, cer = 1 } = row.scores ?? {};
  const delta = 100 * (wer - expectedWer);
  // With many misread characters the independence model behind the expectation says little.
  const judged = cer < 0.05 ? verdict(delta <= 1) : 'not judged (CER ≥ 5%)';
  out(`- English word spacing, ${row.page.name}: WER − expected ${signed(delta)} points: ${judged}`);
}
const peak = (tool: WorkerTool) => (tool.maxRssKiB === undefined ? 'not reported' : `${ms(tool.maxRssKiB / 1024)} MiB`);
out(
  `- Peak memory (maxRSS of its worker process): engine ${peak(engine)} (target < 1024 MiB: ${verdict((engine.maxRssKiB ?? Infinity) < 1024 * 1024)})` +
    (tools.includes(gutenye) ? `; gutenye ${peak(gutenye)}` : ''),
);
out();
out(`Load average at the end ${loadavg()[0]?.toFixed(2)} (other work on the machine skews the times).`);
out(`Total run time ${(Math.round((performance.now() - startedAt) / 100) / 10).toFixed(1)} s.`);

function toRow(set: PageSet, page: Page, tool: string, reading: Reading): Row {
  const base = { set: set.name, page, tool };
  if (reading.error || !reading.texts?.length || !reading.ms?.length) {
    return { ...base, error: (reading.error ?? 'no output').replaceAll('\n', ' ') };
  }
  const middle = medianIndex(reading.ms);
  const text = reading.texts[middle] as string;
  const varied = reading.texts.some((t) => t !== text);
  const stages = reading.stages?.[middle];
  return {
    ...base,
    ms: reading.ms[middle] as number,
    scores: score(text, page.truth),
    ...(stages ? { stages } : {}),
    ...(varied ? { note: 'output varied between calls' } : {}),
  };
}

async function keepText(set: PageSet, page: Page, tool: string, reading: Reading): Promise<void> {
  const dir = join(workDir, 'text', set.name);
  await mkdir(dir, { recursive: true });
  const base = join(dir, page.name.replaceAll(/[^\w.-]+/g, '_'));
  await writeFile(`${base}.truth.txt`, page.truth);
  await writeFile(`${base}.${tool}.txt`, reading.texts?.[0] ?? `error: ${reading.error}`);
}

function meanOf(rows: readonly Row[], key: 'cer' | 'cerSpaced' | 'wer' | 'bow'): number {
  if (rows.length === 0) return Number.NaN;
  return rows.reduce((sum, row) => sum + (row.scores ? row.scores[key] : 1), 0) / rows.length;
}

function printTable(headers: readonly string[], body: readonly (readonly string[])[]): void {
  const cells = [headers, ...body].map((row) => row.map((cell) => cell.replaceAll('|', '\\|')));
  const widths = headers.map((_, i) => Math.max(3, ...cells.map((row) => [...(row[i] ?? '')].length)));
  const line = (row: readonly string[]) =>
    `| ${row.map((cell, i) => cell + ' '.repeat((widths[i] ?? 0) - [...cell].length)).join(' | ')} |`;
  out(line(cells[0] as string[]));
  out(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  for (const row of cells.slice(1)) out(line(row));
}

function medianIndex(values: readonly number[]): number {
  const order = values.map((_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number));
  return order[(order.length - 1) >> 1] as number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function ms(value: number): string {
  return `${Math.round(value)}`;
}

function percent(value: number | undefined, digits = 2): string {
  return value === undefined || Number.isNaN(value) ? '—' : (100 * value).toFixed(digits);
}

function signed(points: number): string {
  return `${points >= 0 ? '+' : ''}${points.toFixed(2)}`;
}

function lastLine(text: string | undefined): string {
  return (text ?? '').trim().split('\n').at(-1) ?? '';
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got "${raw}".`);
  return value;
}
