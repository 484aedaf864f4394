import { readFile } from 'node:fs/promises';
import { createEngine, LocalEngine } from '@ocrkit/engine';
import { layout, type Page } from '@ocrkit/layout';
import type { GeneralTextResult, Limits, LimitsPreset, TextRecognizer } from '@ocrkit/protocol';
import { mergeTileResults, type PageImage, rasterize, type Transform } from '@ocrkit/rasterize';
import { isPdf } from './input-kind.js';
import { textLayerPages } from './text-layer-pages.js';

export interface ConvertOptions {
  /** What reads the page images. @default a `LocalEngine`, created and closed by `convert` */
  readonly recognizer?: TextRecognizer;
  /** 1-based pages to convert. @default every page */
  readonly pages?: readonly number[];
  /** Resolution pages are rendered at. @default 300 */
  readonly dpi?: number;
  /** Password of an encrypted PDF. */
  readonly password?: string;
  /** Limits the page images must fit (those of the recognizer's API). @default "seed" */
  readonly limits?: Limits | LimitsPreset;
  /**
   * Pages recognized at once. @default 2 with a `LocalEngine` (the next page renders and decodes while
   * the engine's workers read this one), 4 otherwise
   */
  readonly concurrency?: number;
  /** Ask the recognizer for the text's direction, so turned pages read right. @default true */
  readonly detectDirection?: boolean;
  readonly signal?: AbortSignal;
  /**
   * Leave PDF pages that already have text (born digital, or OCRed before) as they are: they come out
   * as `PageSkipped`. `false` OCRs them too. @default true
   */
  readonly skipPagesWithText?: boolean;
  /** Called after each page, in page order. */
  readonly onProgress?: (progress: Progress) => void;
}

export interface Progress {
  readonly pageNumber: number;
  /** Pages finished so far, failed ones included. */
  readonly done: number;
  readonly failed: number;
}

/** The page image that was recognized: its size, resolution and pixel → PDF user space matrix. */
export interface ImageInfo {
  readonly width: number;
  readonly height: number;
  readonly dpi: number;
  readonly transform: Transform;
  /** The encoded image; absent for a page read in tiles. */
  readonly data?: Uint8Array;
  readonly mimeType?: 'image/jpeg' | 'image/png';
}

export interface PageResult {
  readonly pageNumber: number;
  readonly image: ImageInfo;
  readonly result: GeneralTextResult;
  readonly page: Page;
}

/** A page that could not be converted; the other pages still are. `error.code` says why. */
export interface PageFailure {
  readonly pageNumber: number;
  readonly error: Error & { readonly code?: string };
}

/** A PDF page left alone because it already has text. */
export interface PageSkipped {
  readonly pageNumber: number;
  readonly skipped: 'has-text';
}

export type ConvertedPage = PageResult | PageFailure | PageSkipped;

export function isFailure(page: ConvertedPage): page is PageFailure {
  return 'error' in page;
}

export function isSkipped(page: ConvertedPage): page is PageSkipped {
  return 'skipped' in page;
}

/** Whether the page was read: its result and layout are there. */
export function isResult(page: ConvertedPage): page is PageResult {
  return 'result' in page;
}

/**
 * OCRs a PDF or image, page by page: rasterize → recognize → layout. Pages come out in page order,
 * each a `PageResult` or a `PageFailure`; a few pages are in flight at once, never the whole document.
 * `input` is the file's bytes or its path.
 */
export async function* convert(
  input: Uint8Array | string,
  options: ConvertOptions = {},
): AsyncGenerator<ConvertedPage> {
  const bytes = typeof input === 'string' ? new Uint8Array(await readFile(input)) : input;
  const ownsRecognizer = options.recognizer === undefined;
  const recognizer = options.recognizer ?? createEngine();
  const engine = recognizer instanceof LocalEngine ? recognizer : undefined;
  const concurrency = options.concurrency ?? (engine ? 2 : 4);
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be an integer >= 1, got ${concurrency}.`);
  }
  const { signal } = options;
  const recognizeOptions = { detect_direction: options.detectDirection ?? true, ...(signal ? { signal } : {}) };
  const read = async (image: PageImage) => ({
    image,
    result: await recognizer.recognize(image.data, recognizeOptions),
  });
  const inFlight: Promise<ConvertedPage>[] = [];
  let done = 0;
  let failed = 0;
  const finish = (page: ConvertedPage) => {
    done++;
    if (isFailure(page)) failed++;
    options.onProgress?.({ pageNumber: page.pageNumber, done, failed });
    return page;
  };
  // Pages with text are announced in their place among the others.
  const { toRead, skipped } = await planPages(bytes, options);
  const skippedBefore = function* (pageNumber: number | undefined) {
    while (skipped.length > 0 && (pageNumber === undefined || (skipped[0]?.order ?? 0) < order(pageNumber))) {
      const next = skipped.shift();
      if (next) yield finish({ pageNumber: next.pageNumber, skipped: 'has-text' } as const);
    }
  };
  const order = (pageNumber: number) => toRead?.indexOf(pageNumber) ?? pageNumber;

  try {
    let tiles: PageImage[] = [];
    const rendered = toRead?.filter((pageNumber) => !skipped.some((s) => s.pageNumber === pageNumber));
    // A local engine's models load while the first page renders; not when every page is skipped (a
    // failure to load shows again on the first recognition).
    if (rendered?.length !== 0) engine?.ready().catch(() => {});
    const source =
      rendered?.length === 0
        ? []
        : rasterize(bytes, {
            ...(rendered ? { pages: rendered } : {}),
            ...(options.dpi ? { dpi: options.dpi } : {}),
            ...(options.password ? { password: options.password } : {}),
            ...(options.limits ? { limits: options.limits } : {}),
            ...(signal ? { signal } : {}),
          });
    for await (const item of source) {
      let job: Promise<ConvertedPage> | undefined;
      if ('error' in item) {
        tiles = tiles.filter((tile) => tile.pageNumber !== item.pageNumber);
        job = Promise.resolve({ pageNumber: item.pageNumber, error: item.error });
      } else if (item.tile) {
        // A page too large for one image comes as consecutive tiles: read them all, then merge.
        const { tile } = item;
        tiles.push(item);
        if (tile.index === tile.count - 1) {
          const pageTiles = tiles;
          tiles = [];
          job = settle(item.pageNumber, async () => {
            const results = await Promise.all(pageTiles.map(read));
            const image = {
              width: tile.pageWidth,
              height: tile.pageHeight,
              dpi: item.dpi,
              transform: tile.pageTransform,
            };
            return pageResult(item.pageNumber, image, mergeTileResults(results));
          });
        }
      } else {
        job = settle(item.pageNumber, async () => {
          const { result } = await read(item);
          const { width, height, dpi, transform, data, mimeType } = item;
          return pageResult(item.pageNumber, { width, height, dpi, transform, data, mimeType }, result);
        });
      }
      if (!job) continue;
      // Only an abort rejects a job; jobs behind the one awaited must not surface as unhandled
      // rejections meanwhile (the awaited one rethrows it).
      job.catch(() => {});
      inFlight.push(job);
      if (inFlight.length >= concurrency) {
        const page = await (inFlight.shift() as Promise<ConvertedPage>);
        yield* skippedBefore(page.pageNumber);
        yield finish(page);
      }
    }
    while (inFlight.length > 0) {
      const page = await (inFlight.shift() as Promise<ConvertedPage>);
      yield* skippedBefore(page.pageNumber);
      yield finish(page);
    }
    yield* skippedBefore(undefined);
  } finally {
    if (ownsRecognizer) await (recognizer as { close?: () => Promise<void> }).close?.();
  }
}

/**
 * Which pages to read, in order (undefined: all, as rasterize decides), and which of them to skip for
 * having text, each with its place in that order.
 */
async function planPages(
  bytes: Uint8Array,
  options: ConvertOptions,
): Promise<{ toRead: number[] | undefined; skipped: { pageNumber: number; order: number }[] }> {
  if (options.skipPagesWithText === false || !isPdf(bytes))
    return { toRead: options.pages ? [...options.pages] : undefined, skipped: [] };
  // One pdf.js open on this thread counts the pages and finds those with text.
  let document: { numPages: number; withText: Set<number> };
  try {
    document = await textLayerPages(bytes, {
      ...(options.pages ? { pages: options.pages } : {}),
      ...(options.password ? { password: options.password } : {}),
    });
  } catch {
    // A document pdf.js cannot open: let rasterize report that with its typed error.
    return { toRead: options.pages ? [...options.pages] : undefined, skipped: [] };
  }
  const { numPages, withText } = document;
  const toRead = options.pages ? [...options.pages] : Array.from({ length: numPages }, (_, i) => i + 1);
  const skipped = toRead.flatMap((pageNumber, order) => (withText.has(pageNumber) ? [{ pageNumber, order }] : []));
  return { toRead, skipped };
}

function pageResult(pageNumber: number, image: ImageInfo, result: GeneralTextResult): PageResult {
  return { pageNumber, image, result, page: layout({ width: image.width, height: image.height, result }) };
}

/** Runs one page's work; a failure becomes the page's `PageFailure` unless the whole run was aborted. */
async function settle(pageNumber: number, work: () => Promise<PageResult>): Promise<ConvertedPage> {
  try {
    return await work();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'OCRKIT_ABORTED' || code === 'ABORTED') throw error;
    return { pageNumber, error: error instanceof Error ? error : new Error(String(error)) };
  }
}
