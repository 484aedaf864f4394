import { checkImage } from '@ocrkit/protocol';
import { type Encoded, encodeWithinLimits } from './encode.js';
import { abortError, RasterizeError } from './errors.js';
import { imagePageCount, imageSource } from './image-source.js';
import { isPdf } from './input-kind.js';
import { settings as resolveSettings, type Settings } from './options.js';
import { openPdf, pdfSource } from './pdf-source.js';
import { readAhead } from './read-ahead.js';
import type { SourceItem } from './source.js';
import { compose, scaling } from './transform.js';
import type { PageCountOptions, PageImage, RasterizedPage, RasterizeOptions } from './types.js';

/**
 * The pages of a PDF or an image as encoded images within the API's limits, one page at a time.
 * Yields, in page order, a `PageImage` per page (one per tile for a tiled page) or a `PageFailure`
 * `{ pageNumber, error }` for a page that failed; the other pages still come. Throws `RasterizeError`
 * for what stops the whole input: `PDF_INVALID`, `PDF_PASSWORD_REQUIRED`, `PDF_PASSWORD_WRONG`,
 * `IMAGE_INVALID` (undecodable image), `PAGE_OUT_OF_RANGE` (a `pages` entry), `ABORTED`.
 */
export function rasterize(input: Uint8Array, options: RasterizeOptions = {}): AsyncIterable<RasterizedPage> {
  if (!(input instanceof Uint8Array)) throw new TypeError('input must be a Uint8Array (a Buffer is one).');
  const settings = resolveSettings(options);
  return { [Symbol.asyncIterator]: () => pages(input, settings) };
}

async function* pages(input: Uint8Array, outer: Settings): AsyncGenerator<RasterizedPage> {
  // Our own signal, tied to the caller's: stopping iteration early also stops the renderer at once.
  const controller = new AbortController();
  const onAbort = () => controller.abort(outer.signal?.reason);
  outer.signal?.addEventListener('abort', onAbort, { once: true });
  if (outer.signal?.aborted) onAbort();
  const settings: Settings = { ...outer, signal: controller.signal };
  try {
    if (controller.signal.aborted) throw abortError(controller.signal);
    // The PDF source reads ahead itself, a page per render thread; an image is decoded while the previous encodes.
    const source = isPdf(input)
      ? pdfSource(input, settings)
      : readAhead(imageSource(input, settings), () => controller.abort());
    for await (const item of source) {
      if (outer.signal?.aborted) throw abortError(outer.signal);
      if (item.kind === 'failure') {
        yield item.failure;
        continue;
      }
      let page: RasterizedPage;
      try {
        page = await finish(item, settings);
      } catch (error) {
        page = { pageNumber: item.pageNumber, error: encodeError(error, item.pageNumber) };
      }
      yield page;
    }
  } finally {
    outer.signal?.removeEventListener('abort', onAbort);
    controller.abort();
  }
}

/** Encodes a rendered page within the limits and states where its pixels lie on the page. */
async function finish(item: Exclude<SourceItem, { kind: 'failure' }>, settings: Settings): Promise<PageImage> {
  const { pageNumber } = item;
  let page: PageImage;
  if (item.kind === 'encoded') {
    const { data, mimeType, width, height, transform, dpi } = item;
    page = { pageNumber, width, height, data, mimeType, dpi, transform };
  } else {
    let encoded: Encoded;
    try {
      encoded = await encodeWithinLimits(item.raw, { limits: settings.limits, format: settings.format, pageNumber });
    } finally {
      item.recycle?.();
    }
    // A downscale to fit the byte limit stretches each pixel over more of the page; padding does not move it.
    const scaleX = encoded.contentWidth / item.raw.width;
    const scaleY = encoded.contentHeight / item.raw.height;
    const transform =
      scaleX === 1 && scaleY === 1 ? item.transform : compose(item.transform, scaling(1 / scaleX, 1 / scaleY));
    page = {
      pageNumber,
      width: encoded.width,
      height: encoded.height,
      data: encoded.data,
      mimeType: encoded.mimeType,
      dpi: item.dpi * scaleX,
      transform,
      ...(item.tile ? { tile: item.tile } : {}),
    };
  }
  const checked = checkImage(page.data, settings.limits);
  if (!checked.ok) {
    throw new RasterizeError(
      'PAGE_TOO_LARGE',
      `Page ${pageNumber} is not within the limits: ${checked.error.error_msg}`,
      {
        pageNumber,
      },
    );
  }
  return page;
}

/** An encoding failure is the page's alone, like a rendering one. */
function encodeError(error: unknown, pageNumber: number): RasterizeError {
  if (error instanceof RasterizeError) return error;
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
  return new RasterizeError('PAGE_RENDER_FAILED', `Page ${pageNumber} could not be encoded: ${message}`, {
    pageNumber,
    cause: error,
  });
}

/**
 * The number of pages of a PDF (opened with `password` when encrypted) or an image (a TIFF's pages, 1 for
 * other images). Throws `RasterizeError`: `PDF_INVALID`, `PDF_PASSWORD_REQUIRED`, `PDF_PASSWORD_WRONG`,
 * `IMAGE_INVALID`, `ABORTED`.
 */
export async function pageCount(input: Uint8Array, options: PageCountOptions = {}): Promise<number> {
  if (!(input instanceof Uint8Array)) throw new TypeError('input must be a Uint8Array (a Buffer is one).');
  const { signal } = options;
  if (signal?.aborted) throw abortError(signal);
  if (!isPdf(input)) return imagePageCount(input);
  const { renderer, numPages } = await openPdf(input, options.password, {
    timeoutMs: options.timeoutMs ?? 60_000,
    signal,
  });
  renderer.close();
  return numPages;
}
