// Every PDF of the pdfjs and ocrmypdf corpora through rasterize, each file in its own process: one line per
// file (pages out, typed page errors, a typed error that stopped the file, or a failure: crash, hang,
// untyped error, an image over the limits), then a summary. Exit code 1 when anything failed.
//
// Run: pnpm exec tsc -b (at the repo root: rasterize is imported from its dist), then
//      pnpm --filter @ocrkit/rasterize sweep
// Env: OCRKIT_CORPORA      the public corpora; default ../../../shared/corpora from this package
//      SWEEP_PAGE_TIMEOUT  per-page timeout in ms (default 30000)
//      SWEEP_DPI           render dpi (default 300)
import { type CorpusPdf, corporaDir, corpusPdfs } from './corpora.ts';
import { runChild } from './run-child.ts';

const pageTimeoutMs = Number(process.env.SWEEP_PAGE_TIMEOUT ?? 30_000);
const dpi = process.env.SWEEP_DPI ?? '300';
// The whole file may take its pages' timeouts and then some; beyond that it hangs.
const fileKillMs = (pages: number) => 120_000 + pages * (pageTimeoutMs + 5_000);

const files: CorpusPdf[] = [...corpusPdfs('pdfjs'), ...corpusPdfs('ocrmypdf')];
if (files.length === 0) {
  console.log(`No corpora under ${corporaDir}: nothing to sweep (set OCRKIT_CORPORA).`);
  process.exit(0);
}

const summary = {
  files: 0,
  filesAllPagesOk: 0,
  pagesOk: 0,
  tiledPages: 0,
  pageErrors: {} as Record<string, number>,
  fileErrors: {} as Record<string, number>,
  failures: [] as string[],
  seconds: 0,
  peakRssMb: 0,
};
const add = (into: Record<string, number>, code: string, count = 1) => {
  into[code] = (into[code] ?? 0) + count;
};

console.log(`sweep: ${files.length} PDFs from ${corporaDir}, ${dpi} dpi, per-page timeout ${pageTimeoutMs} ms`);
for (const file of files) {
  const args = [file.path, '--page-timeout-ms', String(pageTimeoutMs), '--dpi', dpi];
  if (file.password !== undefined) args.push('--password', file.password);
  // The biggest file has 352 pages: a generous bound, far above any honest run.
  const outcome = await runChild(args, fileKillMs(400));
  summary.files++;
  if (!outcome.ok) {
    summary.failures.push(`${file.name}: ${outcome.reason}`);
    summary.seconds += outcome.seconds;
    console.log(`${file.name.padEnd(58)} FAILURE ${outcome.reason}`);
    continue;
  }
  const r = outcome.report;
  summary.seconds += r.seconds;
  summary.peakRssMb = Math.max(summary.peakRssMb, r.peakRssMb);
  const failedPages = Object.values(r.pageErrors).reduce((a, b) => a + b, 0);
  summary.pagesOk += r.pages - failedPages;
  for (const [code, count] of Object.entries(r.pageErrors)) add(summary.pageErrors, code, count);
  let status: string;
  if (r.fileError?.startsWith('UNTYPED')) {
    summary.failures.push(`${file.name}: ${r.fileError}`);
    status = `FAILURE ${r.fileError}`;
  } else if (r.overLimits > 0) {
    summary.failures.push(`${file.name}: ${r.overLimits} images over the limits`);
    status = `FAILURE ${r.overLimits} images over the limits`;
  } else if (r.fileError) {
    add(summary.fileErrors, r.fileError);
    status = `file error ${r.fileError}`;
  } else {
    if (failedPages === 0) summary.filesAllPagesOk++;
    status = 'ok';
  }
  const errors = Object.entries(r.pageErrors)
    .map(([code, count]) => `${code} x${count}`)
    .join(', ');
  console.log(
    `${file.name.padEnd(58)} ${status.padEnd(30)} pages ok ${String(r.pages - failedPages).padStart(3)}` +
      `${r.tiles ? ` (${r.tiles} tiles)` : ''}${errors ? `  page errors: ${errors}` : ''}` +
      `  ${r.seconds.toFixed(1)} s  ${Math.round(r.peakRssMb)} MB${r.firstPageError && (errors || r.fileError) ? `  [${r.firstPageError}]` : ''}`,
  );
  if (r.tiles) summary.tiledPages++;
}

const list = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([code, count]) => `${code} ${count}`)
    .join(', ') || 'none';
console.log('\nsummary');
console.log(`  files                 ${summary.files} (${summary.filesAllPagesOk} with every page out)`);
console.log(`  pages out             ${summary.pagesOk} (files with tiled pages: ${summary.tiledPages})`);
console.log(`  page errors (typed)   ${list(summary.pageErrors)}`);
console.log(`  file errors (typed)   ${list(summary.fileErrors)}`);
console.log(`  failures              ${summary.failures.length}${summary.failures.map((f) => `\n    ${f}`).join('')}`);
console.log(
  `  time                  ${summary.seconds.toFixed(0)} s in rasterize; peak RSS of a file ${Math.round(summary.peakRssMb)} MB`,
);
process.exitCode = summary.failures.length > 0 ? 1 : 0;
