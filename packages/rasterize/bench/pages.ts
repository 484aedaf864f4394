// Pages per second at 300 dpi: rasterize (PDF → JPEG/PNG within the seed limits) beside poppler's
// `pdftoppm -r 300` on the same pages in the same run, with each run's peak RSS. Every run is a fresh process.
//
// Like with like:
// - rasterize runs with its default options (what the ocrkit CLI uses; renderThreads is 1 on a machine with
//   2 cores, 2 with 3 or more) and with the other renderThreads value.
// - pdftoppm runs three times: raw PPM (no encoding at all: pdf.js drawing against poppler's Splash, a floor
//   rather than a peer, since rasterize must hand over encoded images), `-png`, and `-jpeg` at quality 90. Its
//   "same format" figure is pdftoppm writing what rasterize wrote for those pages (PNG for the pages it chose
//   PNG for, JPEG for the others; for a mixed set the PNG and JPEG runs' times weighted by the share of each).
// - Three figures per run: "total", pages / wall time of the whole process (start-up included: Node, imports
//   and pdf.js's first page ~0.5 s, pdftoppm a few ms); "median", the median time between two pages coming
//   out (rasterize: the iterator yielding; pdftoppm: its page files' modification times), which leaves
//   start-up out (sets of one page have none); and CPU time a page, every thread and start-up included,
//   which other load on the machine moves least.
//
// Run: pnpm exec tsc -b (at the repo root: rasterize is imported from its dist), then
//      pnpm --filter @ocrkit/rasterize bench
// Env: OCRKIT_CORPORA   the public corpora; default ../../../shared/corpora from this package
//      BENCH_BOOK=0     skip the 352-page book (about 6 minutes for the five runs)
//      BENCH_SETS=text,jbig2  only the sets whose name contains one of these words
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { corporaDir } from './corpora.ts';
import { runChild } from './run-child.ts';

const run = promisify(execFile);

interface BenchSet {
  readonly name: string;
  readonly file: string;
  readonly first: number;
  readonly last: number;
}

const allSets: BenchSet[] = [
  { name: 'text (TAMReview, pdf.js)', file: 'pdfjs/pdfs/TAMReview.pdf', first: 1, last: 10 },
  { name: 'scanned JBIG2 (cardinal)', file: 'ocrmypdf/cardinal.pdf', first: 1, last: 4 },
  { name: 'colour scan (multipage)', file: 'ocrmypdf/multipage.pdf', first: 1, last: 6 },
  { name: 'CCITT scan (epson)', file: 'ocrmypdf/epson.pdf', first: 1, last: 1 },
  { name: 'CJK fonts (arial_unicode_ab)', file: 'pdfjs/pdfs/arial_unicode_ab_cidfont.pdf', first: 1, last: 1 },
  { name: 'CJK fonts (issue14438)', file: 'pdfjs/pdfs/issue14438.pdf', first: 1, last: 1 },
  { name: 'vector (ocrmypdf vector)', file: 'ocrmypdf/vector.pdf', first: 1, last: 1 },
];
if (process.env.BENCH_BOOK !== '0') {
  allSets.push({ name: '352-page book (freeculture)', file: 'pdfjs/pdfs/freeculture.pdf', first: 1, last: 352 });
}
const only = process.env.BENCH_SETS?.split(',').map((word) => word.trim().toLowerCase());
const sets = only ? allSets.filter((set) => only.some((word) => set.name.toLowerCase().includes(word))) : allSets;

/** What rasterize uses when renderThreads is not given (options.ts), and the other value to compare with. */
const defaultThreads = Math.max(1, Math.min(2, availableParallelism() - 1));
const otherThreads = defaultThreads === 1 ? 2 : 1;

interface Timing {
  readonly seconds: number;
  /** Images rasterize wrote as PNG and as JPEG (rasterize only). */
  readonly formats?: { readonly png: number; readonly jpeg: number };
  /** Median seconds between two pages coming out; undefined for one page. */
  readonly medianPageSeconds?: number | undefined;
  readonly peakRssMb: number;
  /** User + system CPU seconds of the whole run, every thread. */
  readonly cpuSeconds?: number | undefined;
  readonly note?: string;
}

/** rasterize with its default options, or with `renderThreads` given. */
async function ours(path: string, set: BenchSet, renderThreads: number | undefined): Promise<Timing> {
  const outcome = await runChild(
    [
      path,
      '--pages',
      `${set.first}-${set.last}`,
      ...(renderThreads === undefined ? [] : ['--render-threads', String(renderThreads)]),
    ],
    30 * 60_000,
  );
  if (!outcome.ok) return { seconds: Number.NaN, peakRssMb: Number.NaN, note: outcome.reason };
  const { report } = outcome;
  const failed = Object.values(report.pageErrors).reduce((a, b) => a + b, 0) + (report.fileError ? 1 : 0);
  return {
    seconds: outcome.seconds,
    medianPageSeconds: medianGap(report.pageSeconds),
    peakRssMb: report.peakRssMb,
    cpuSeconds: report.cpuSeconds,
    formats: report.formats,
    ...(failed ? { note: `${failed} pages failed` } : {}),
  };
}

async function pdftoppm(path: string, set: BenchSet, format: 'ppm' | 'png' | 'jpeg'): Promise<Timing> {
  const dir = await mkdtemp(join(tmpdir(), 'rasterize-bench-'));
  try {
    const args = [
      '-f',
      '%e %M %U %S',
      'pdftoppm',
      '-r',
      '300',
      ...(format === 'png' ? ['-png'] : []),
      ...(format === 'jpeg' ? ['-jpeg', '-jpegopt', 'quality=90'] : []),
      '-f',
      String(set.first),
      '-l',
      String(set.last),
      path,
      join(dir, 'p'),
    ];
    const { stderr } = await run('/usr/bin/time', args, { maxBuffer: 1 << 24 });
    const [seconds, rssKb, user, system] = (stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
    // Page files are named p-01.png, p-02.png, ...: name order is page order; each is written when done.
    const files = (await readdir(dir)).sort();
    const written = await Promise.all(
      files.map(async (file) => (await stat(join(dir, file), { bigint: true })).mtimeNs),
    );
    return {
      seconds: seconds ?? Number.NaN,
      medianPageSeconds: medianGap(written.map((ns) => Number(ns) / 1e9)),
      peakRssMb: (rssKb ?? Number.NaN) / 1024,
      cpuSeconds: (user ?? Number.NaN) + (system ?? Number.NaN),
    };
  } catch (error) {
    return { seconds: Number.NaN, peakRssMb: Number.NaN, note: (error as Error).message.split('\n')[0] ?? 'failed' };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The median of the differences between consecutive times; undefined for fewer than two. */
function medianGap(times: readonly number[]): number | undefined {
  const gaps = times.slice(1).map((time, i) => time - (times[i] as number));
  if (gaps.length === 0) return undefined;
  gaps.sort((a, b) => a - b);
  const middle = gaps.length >> 1;
  return gaps.length % 2 ? gaps[middle] : ((gaps[middle - 1] as number) + (gaps[middle] as number)) / 2;
}

/** "total p/s · median ms/page · CPU ms/page" */
function figures(pages: number, t: Timing): string {
  if (!Number.isFinite(t.seconds)) return 'n/a';
  const median = t.medianPageSeconds === undefined ? '-' : `${Math.round(t.medianPageSeconds * 1000)} ms`;
  const cpu = t.cpuSeconds === undefined ? '-' : `${Math.round((t.cpuSeconds * 1000) / pages)} ms`;
  return `${(pages / t.seconds).toFixed(2)} · ${median} · ${cpu}`;
}
const mb = (t: Timing) => (Number.isFinite(t.peakRssMb) ? String(Math.round(t.peakRssMb)) : 'n/a');

/** pdftoppm's time for the formats rasterize wrote: the PNG and JPEG runs weighted by rasterize's share of each. */
function sameFormat(ours: Timing, png: Timing, jpeg: Timing): Timing {
  const { png: p = 0, jpeg: j = 0 } = ours.formats ?? {};
  if (p + j === 0) return { seconds: Number.NaN, peakRssMb: Number.NaN };
  const weigh = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined ? undefined : (p * a + j * b) / (p + j);
  return {
    seconds: (p * png.seconds + j * jpeg.seconds) / (p + j),
    medianPageSeconds: weigh(png.medianPageSeconds, jpeg.medianPageSeconds),
    cpuSeconds: weigh(png.cpuSeconds, jpeg.cpuSeconds),
    peakRssMb: Math.max(png.peakRssMb, jpeg.peakRssMb),
  };
}

const [load1, load5] = loadavg();
console.log(
  `rasterize vs pdftoppm at 300 dpi on the same pages in the same run (${corporaDir}); ` +
    `${availableParallelism()} cores, load average ${load1?.toFixed(2)} / ${load5?.toFixed(2)} (1 / 5 min) at the start.`,
);
console.log(
  'Each cell: total pages/s (whole process, start-up included) · median ms between two pages · CPU ms a page ' +
    '(every thread, start-up included: the figure other load moves least). rasterize: default ' +
    `options (renderThreads ${defaultThreads} here, as the CLI) and renderThreads ${otherThreads}. pdftoppm: PPM ` +
    '(raw pixels, no encoding: a floor), -png, -jpeg (quality 90); "same format" = pdftoppm writing what rasterize ' +
    'wrote (PNG/JPEG), the peer to beat. Peak RSS in MB.\n',
);
console.log(
  `| set | pages | rasterize wrote | rasterize default (${defaultThreads} thr) | rasterize ${otherThreads} thr | pdftoppm same format | pdftoppm PPM (raw) | pdftoppm -png | pdftoppm -jpeg | RSS rasterize default / ${otherThreads} thr | RSS pdftoppm ppm/png/jpeg |`,
);
console.log('|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|');
const notes: string[] = [];
let skipped = 0;
for (const set of sets) {
  const path = join(corporaDir, set.file);
  if (!existsSync(path)) {
    skipped++;
    continue;
  }
  const pages = set.last - set.first + 1;
  const a = await ours(path, set, undefined);
  const a2 = await ours(path, set, otherThreads);
  const b = await pdftoppm(path, set, 'ppm');
  const c = await pdftoppm(path, set, 'png');
  const d = await pdftoppm(path, set, 'jpeg');
  for (const [tool, t] of [
    ['rasterize', a],
    [`rasterize, ${otherThreads} threads`, a2],
    ['pdftoppm', b],
    ['pdftoppm -png', c],
    ['pdftoppm -jpeg', d],
  ] as const) {
    if (t.note) notes.push(`${set.name}, ${tool}: ${t.note}`);
  }
  const wrote = a.formats ? `png ${a.formats.png}, jpeg ${a.formats.jpeg}` : 'n/a';
  console.log(
    `| ${set.name} | ${pages} | ${wrote} | ${figures(pages, a)} | ${figures(pages, a2)} | ${figures(pages, sameFormat(a, c, d))}` +
      ` | ${figures(pages, b)} | ${figures(pages, c)} | ${figures(pages, d)} | ${mb(a)} / ${mb(a2)} | ${mb(b)}/${mb(c)}/${mb(d)} |`,
  );
}
if (skipped === sets.length) console.log(`\nNo corpora under ${corporaDir}: nothing measured (set OCRKIT_CORPORA).`);
for (const note of notes) console.log(`note: ${note}`);
const [end1, end5] = loadavg();
console.log(`\nLoad average at the end: ${end1?.toFixed(2)} / ${end5?.toFixed(2)} (1 / 5 min).`);
