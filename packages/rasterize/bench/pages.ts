// Pages per second at 300 dpi: rasterize (PDF → JPEG/PNG within the seed limits) beside poppler's
// `pdftoppm -r 300` on the same pages in the same run, writing raw PPM (no encoding at all), PNG and JPEG
// (quality 90, what rasterize writes for colour scans), with each run's peak RSS. Every run is a fresh
// process, so times include start-up (Node + pdf.js ~0.3 s); "steady" is rasterize after its first page.
//
// Run: pnpm exec tsc -b (at the repo root: rasterize is imported from its dist), then
//      pnpm --filter @ocrkit/rasterize bench
// Env: OCRKIT_CORPORA   the public corpora; default ../../../shared/corpora from this package
//      BENCH_BOOK=0     skip the 352-page book (about 5 minutes for the three tools)
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
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

const sets: BenchSet[] = [
  { name: 'text (TAMReview, pdf.js)', file: 'pdfjs/pdfs/TAMReview.pdf', first: 1, last: 10 },
  { name: 'scanned JBIG2 (cardinal)', file: 'ocrmypdf/cardinal.pdf', first: 1, last: 4 },
  { name: 'colour scan (multipage)', file: 'ocrmypdf/multipage.pdf', first: 1, last: 6 },
  { name: 'CCITT scan (epson)', file: 'ocrmypdf/epson.pdf', first: 1, last: 1 },
  { name: 'CJK fonts (arial_unicode_ab)', file: 'pdfjs/pdfs/arial_unicode_ab_cidfont.pdf', first: 1, last: 1 },
  { name: 'CJK fonts (issue14438)', file: 'pdfjs/pdfs/issue14438.pdf', first: 1, last: 1 },
  { name: 'vector (ocrmypdf vector)', file: 'ocrmypdf/vector.pdf', first: 1, last: 1 },
];
if (process.env.BENCH_BOOK !== '0') {
  sets.push({ name: '352-page book (freeculture)', file: 'pdfjs/pdfs/freeculture.pdf', first: 1, last: 352 });
}

interface Timing {
  readonly seconds: number;
  /** Seconds from the first page out to the last (rasterize only). */
  readonly steadySeconds?: number;
  readonly peakRssMb: number;
  readonly note?: string;
}

async function ours(path: string, set: BenchSet): Promise<Timing> {
  const outcome = await runChild([path, '--pages', `${set.first}-${set.last}`, '--dpi', '300'], 30 * 60_000);
  if (!outcome.ok) return { seconds: Number.NaN, peakRssMb: Number.NaN, note: outcome.reason };
  const { report } = outcome;
  const failed = Object.values(report.pageErrors).reduce((a, b) => a + b, 0) + (report.fileError ? 1 : 0);
  return {
    seconds: report.seconds,
    steadySeconds: report.seconds - report.firstPageSeconds,
    peakRssMb: report.peakRssMb,
    ...(failed ? { note: `${failed} pages failed` } : {}),
  };
}

async function pdftoppm(path: string, set: BenchSet, format: 'ppm' | 'png' | 'jpeg'): Promise<Timing> {
  const dir = await mkdtemp(join(tmpdir(), 'rasterize-bench-'));
  try {
    const args = [
      '-f',
      '%e %M',
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
    const [seconds, rssKb] = (stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
    return { seconds: seconds ?? Number.NaN, peakRssMb: (rssKb ?? Number.NaN) / 1024 };
  } catch (error) {
    return { seconds: Number.NaN, peakRssMb: Number.NaN, note: (error as Error).message.split('\n')[0] ?? 'failed' };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const rate = (pages: number, t: Timing) => (Number.isFinite(t.seconds) ? (pages / t.seconds).toFixed(2) : 'n/a');
const mb = (t: Timing) => (Number.isFinite(t.peakRssMb) ? String(Math.round(t.peakRssMb)) : 'n/a');

console.log(`rasterize vs pdftoppm at 300 dpi (${corporaDir}); pages/s, higher is better; peak RSS in MB\n`);
console.log(
  '| set | pages | rasterize p/s | rasterize steady p/s | pdftoppm ppm p/s | pdftoppm png p/s | pdftoppm jpeg p/s | rasterize RSS | pdftoppm RSS (ppm/png/jpeg) |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
const notes: string[] = [];
let skipped = 0;
for (const set of sets) {
  const path = join(corporaDir, set.file);
  if (!existsSync(path)) {
    skipped++;
    continue;
  }
  const pages = set.last - set.first + 1;
  const a = await ours(path, set);
  const b = await pdftoppm(path, set, 'ppm');
  const c = await pdftoppm(path, set, 'png');
  const d = await pdftoppm(path, set, 'jpeg');
  for (const [tool, t] of [
    ['rasterize', a],
    ['pdftoppm', b],
    ['pdftoppm -png', c],
    ['pdftoppm -jpeg', d],
  ] as const) {
    if (t.note) notes.push(`${set.name}, ${tool}: ${t.note}`);
  }
  const steady = pages > 1 && a.steadySeconds ? ((pages - 1) / a.steadySeconds).toFixed(2) : '-';
  console.log(
    `| ${set.name} | ${pages} | ${rate(pages, a)} | ${steady} | ${rate(pages, b)} | ${rate(pages, c)} | ${rate(pages, d)}` +
      ` | ${mb(a)} | ${mb(b)}/${mb(c)}/${mb(d)} |`,
  );
}
if (skipped === sets.length) console.log(`\nNo corpora under ${corporaDir}: nothing measured (set OCRKIT_CORPORA).`);
for (const note of notes) console.log(`note: ${note}`);
