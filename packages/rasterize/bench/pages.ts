// Pages per second at 300 dpi: rasterize (PDF → JPEG/PNG within the seed limits) beside poppler's
// `pdftoppm -r 300` on the same pages in the same run, writing raw PPM (no encoding at all), PNG and JPEG
// (quality 90, what rasterize writes for colour scans), with each run's peak RSS. Every run is a fresh
// process, so times include start-up (Node + pdf.js ~0.3 s); "steady" is rasterize after its first page.
// rasterize runs with its default two render threads and with one (less memory).
//
// The target peer is "pdftoppm, same format": pdftoppm writing what rasterize wrote for those pages (PNG for
// the pages it chose PNG for, JPEG for the others; for a mixed set the two runs' times weighted by the
// share of each). rasterize must hand over encoded images within the API's limits, so PPM, which is no
// encoding at all, is the floor (pdf.js drawing against poppler's Splash), not a peer.
//
// Run: pnpm exec tsc -b (at the repo root: rasterize is imported from its dist), then
//      pnpm --filter @ocrkit/rasterize bench
// Env: OCRKIT_CORPORA   the public corpora; default ../../../shared/corpora from this package
//      BENCH_BOOK=0     skip the 352-page book (about 6 minutes for the four runs)
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
  /** Images rasterize wrote as PNG and as JPEG (rasterize only). */
  readonly formats?: { readonly png: number; readonly jpeg: number };
  /** Seconds from the first page out to the last (rasterize only). */
  readonly steadySeconds?: number;
  readonly peakRssMb: number;
  readonly note?: string;
}

async function ours(path: string, set: BenchSet, renderThreads: number): Promise<Timing> {
  const outcome = await runChild(
    [path, '--pages', `${set.first}-${set.last}`, '--dpi', '300', '--render-threads', String(renderThreads)],
    30 * 60_000,
  );
  if (!outcome.ok) return { seconds: Number.NaN, peakRssMb: Number.NaN, note: outcome.reason };
  const { report } = outcome;
  const failed = Object.values(report.pageErrors).reduce((a, b) => a + b, 0) + (report.fileError ? 1 : 0);
  return {
    seconds: report.seconds,
    steadySeconds: report.seconds - report.firstPageSeconds,
    peakRssMb: report.peakRssMb,
    formats: report.formats,
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
const steady = (pages: number, t: Timing) =>
  pages > 1 && t.steadySeconds ? ((pages - 1) / t.steadySeconds).toFixed(2) : '-';

/** pdftoppm's time for the formats rasterize wrote: the PNG and JPEG runs weighted by rasterize's share of each. */
function sameFormat(ours: Timing, png: Timing, jpeg: Timing): Timing {
  const { png: p = 0, jpeg: j = 0 } = ours.formats ?? {};
  if (p + j === 0) return { seconds: Number.NaN, peakRssMb: Number.NaN };
  return {
    seconds: (p * png.seconds + j * jpeg.seconds) / (p + j),
    peakRssMb: Math.max(png.peakRssMb, jpeg.peakRssMb),
  };
}

console.log(`rasterize vs pdftoppm at 300 dpi (${corporaDir}); pages/s, higher is better; peak RSS in MB\n`);
console.log(
  '| set | pages | rasterize wrote | rasterize p/s (steady) | 1 thread p/s (steady) | pdftoppm same format p/s | pdftoppm ppm / png / jpeg p/s | rasterize RSS (1 thread) | pdftoppm RSS ppm/png/jpeg |',
);
console.log('|---|---:|---|---:|---:|---:|---:|---:|---:|');
const notes: string[] = [];
let skipped = 0;
for (const set of sets) {
  const path = join(corporaDir, set.file);
  if (!existsSync(path)) {
    skipped++;
    continue;
  }
  const pages = set.last - set.first + 1;
  const a = await ours(path, set, 2);
  const a1 = await ours(path, set, 1);
  const b = await pdftoppm(path, set, 'ppm');
  const c = await pdftoppm(path, set, 'png');
  const d = await pdftoppm(path, set, 'jpeg');
  for (const [tool, t] of [
    ['rasterize', a],
    ['rasterize, 1 thread', a1],
    ['pdftoppm', b],
    ['pdftoppm -png', c],
    ['pdftoppm -jpeg', d],
  ] as const) {
    if (t.note) notes.push(`${set.name}, ${tool}: ${t.note}`);
  }
  const wrote = a.formats ? `png ${a.formats.png}, jpeg ${a.formats.jpeg}` : 'n/a';
  console.log(
    `| ${set.name} | ${pages} | ${wrote} | ${rate(pages, a)} (${steady(pages, a)}) | ${rate(pages, a1)} (${steady(pages, a1)})` +
      ` | ${rate(pages, sameFormat(a, c, d))} | ${rate(pages, b)} / ${rate(pages, c)} / ${rate(pages, d)}` +
      ` | ${mb(a)} (${mb(a1)}) | ${mb(b)}/${mb(c)}/${mb(d)} |`,
  );
}
if (skipped === sets.length) console.log(`\nNo corpora under ${corporaDir}: nothing measured (set OCRKIT_CORPORA).`);
for (const note of notes) console.log(`note: ${note}`);
