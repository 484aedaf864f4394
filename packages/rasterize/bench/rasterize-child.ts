// Rasterizes one file in its own process and prints one JSON line: what came out, how long it took and the
// process's peak RSS (the render worker thread included). Used by pages.ts and sweep.ts, so that a crash or a
// hang is the file's alone and RSS is measured per file.
//   node bench/rasterize-child.ts FILE [--password P] [--pages 1-10] [--page-timeout-ms N] [--dpi N] [--render-threads N]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkImage, seedLimits } from '@ocrkit/protocol';
import { isRasterizeError, rasterize } from '@ocrkit/rasterize';

export interface ChildReport {
  readonly pages: number;
  readonly images: number;
  readonly tiles: number;
  /** Pages that failed, by code. */
  readonly pageErrors: Record<string, number>;
  /** The error that stopped the whole file (a RasterizeError code, or `UNTYPED: message`). */
  readonly fileError?: string;
  /** Images written, by format. */
  readonly formats: { readonly png: number; readonly jpeg: number };
  /** Images that checkImage refused: must stay 0. */
  readonly overLimits: number;
  readonly seconds: number;
  /** From the start to the first page out: start-up, document parsing and one page. */
  readonly firstPageSeconds: number;
  /** When each page came out (its last image, or its failure), in seconds from the start, in page order. */
  readonly pageSeconds: readonly number[];
  readonly peakRssMb: number;
  /** User + system CPU time of the process (every thread), start-up included. */
  readonly cpuSeconds: number;
  readonly firstPageError?: string;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    password: { type: 'string' },
    pages: { type: 'string' },
    'page-timeout-ms': { type: 'string' },
    dpi: { type: 'string' },
    'render-threads': { type: 'string' },
  },
});
const [file] = positionals;
if (!file) throw new Error('usage: rasterize-child.ts FILE [--password P] [--pages A-B]');

const range = values.pages?.split('-').map(Number);
const pages = range
  ? Array.from({ length: (range[1] ?? range[0] ?? 1) - (range[0] ?? 1) + 1 }, (_, i) => (range[0] ?? 1) + i)
  : undefined;
const input = new Uint8Array(readFileSync(file));
const started = performance.now();
const pageErrors: Record<string, number> = {};
const seenPages = new Set<number>();
let images = 0;
let tiles = 0;
let overLimits = 0;
const formats = { png: 0, jpeg: 0 };
let fileError: string | undefined;
let firstPageError: string | undefined;
let firstPageAt: number | undefined;
const pageAt = new Map<number, number>();
try {
  for await (const page of rasterize(input, {
    ...(values.password === undefined ? {} : { password: values.password }),
    ...(pages ? { pages } : {}),
    ...(values.dpi ? { dpi: Number(values.dpi) } : {}),
    ...(values['render-threads'] ? { renderThreads: Number(values['render-threads']) } : {}),
    pageTimeoutMs: Number(values['page-timeout-ms'] ?? 60_000),
  })) {
    seenPages.add(page.pageNumber);
    firstPageAt ??= performance.now();
    // A tiled page is out with its last tile: the latest time wins.
    pageAt.delete(page.pageNumber);
    pageAt.set(page.pageNumber, (performance.now() - started) / 1000);
    if ('error' in page) {
      pageErrors[page.error.code] = (pageErrors[page.error.code] ?? 0) + 1;
      firstPageError ??= page.error.message.slice(0, 160);
      continue;
    }
    images++;
    formats[page.mimeType === 'image/png' ? 'png' : 'jpeg']++;
    if (page.tile) tiles++;
    if (!checkImage(page.data, seedLimits).ok) overLimits++;
  }
} catch (error) {
  fileError = isRasterizeError(error) ? error.code : `UNTYPED: ${(error as Error).message}`.slice(0, 200);
  if (isRasterizeError(error)) firstPageError ??= error.message.slice(0, 160);
}
const report: ChildReport = {
  pages: seenPages.size,
  images,
  tiles,
  pageErrors,
  formats,
  ...(fileError ? { fileError } : {}),
  overLimits,
  seconds: (performance.now() - started) / 1000,
  firstPageSeconds: ((firstPageAt ?? performance.now()) - started) / 1000,
  pageSeconds: [...pageAt.values()],
  peakRssMb: process.resourceUsage().maxRSS / 1024,
  cpuSeconds: (process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1e6,
  ...(firstPageError ? { firstPageError } : {}),
};
console.log(JSON.stringify(report));
