import { abortError, RasterizeError } from './errors.js';
import type { Settings } from './options.js';
import { selectPages } from './page-selection.js';
import { type CallOptions, PdfRenderer, RendererFailure, RendererStopped } from './pdf-renderer.js';
import { planPage, tileInfo } from './plan.js';
import { readAhead } from './read-ahead.js';
import type { PageReply } from './render-protocol.js';
import type { SourceItem } from './source.js';
import { compose, invert, type Transform, translation } from './transform.js';

/**
 * Renders the selected pages of a PDF, tile by tile, as raw pixels, in page order. Document-level problems
 * (not a PDF, password, `pages` out of range, abort) throw; a page that fails yields its failure and the
 * next page follows. Pages are dealt round-robin to `renderThreads` renderers, each its own worker thread
 * with the document open and one page ahead, so pages render side by side while the caller encodes.
 * Each page gets `pageTimeoutMs` of renderer time; on timeout its renderer thread is replaced.
 */
export async function* pdfSource(input: Uint8Array, outer: Settings): AsyncGenerator<SourceItem> {
  // Our own signal: leaving early stops every renderer's page in flight at once.
  const controller = new AbortController();
  const onAbort = () => controller.abort(outer.signal?.reason);
  outer.signal?.addEventListener('abort', onAbort, { once: true });
  if (outer.signal?.aborted) onAbort();
  const settings: Settings = { ...outer, signal: controller.signal };
  const lanes: AsyncGenerator<SourceItem>[] = [];
  try {
    const opened = await openDocument(input, settings, settings.pageTimeoutMs);
    let pages: readonly number[];
    try {
      pages = selectPages(opened.numPages, settings.pages, 'PDF');
    } catch (error) {
      opened.renderer.close();
      throw error;
    }
    const count = Math.max(1, Math.min(settings.renderThreads, pages.length));
    for (let lane = 0; lane < count; lane++) {
      const own = pages.filter((_, index) => index % count === lane);
      lanes.push(readAhead(laneSource(input, own, lane === 0 ? opened.renderer : undefined, settings)));
    }
    for (const [index, pageNumber] of pages.entries()) {
      const lane = lanes[index % count] as AsyncGenerator<SourceItem>;
      for (;;) {
        const next = await lane.next();
        if (next.done) throw new Error(`The renderer of page ${pageNumber} stopped before the page came out.`);
        yield next.value;
        if (endsPage(next.value)) break;
      }
    }
  } finally {
    outer.signal?.removeEventListener('abort', onAbort);
    controller.abort();
    await Promise.all(lanes.map((lane) => lane.return(undefined)));
  }
}

/** Whether `item` is the last one of its page: a failure, a whole page or its last tile. */
function endsPage(item: SourceItem): boolean {
  return item.kind !== 'raw' || item.tile === undefined || item.tile.index === item.tile.count - 1;
}

/** `pages` rendered one after the other by one renderer (`opened`, or a new one). */
async function* laneSource(
  input: Uint8Array,
  pages: readonly number[],
  opened: PdfRenderer | undefined,
  settings: Settings,
): AsyncGenerator<SourceItem> {
  const { signal } = settings;
  let renderer = opened;
  try {
    for (const pageNumber of pages) {
      if (signal?.aborted) throw abortError(signal);
      // Renderer time only: the time the caller holds a yielded tile does not count.
      let budget = settings.pageTimeoutMs;
      const timed = async <T>(work: (timeoutMs: number) => Promise<T>): Promise<T> => {
        const started = performance.now();
        try {
          return await work(Math.max(1, budget));
        } finally {
          budget -= performance.now() - started;
        }
      };
      try {
        if (!renderer?.alive) {
          renderer = (await timed((timeoutMs) => openDocument(input, settings, timeoutMs))).renderer;
        }
        const live = renderer;
        const geometry = await timed((timeoutMs) => live.page(pageNumber, { timeoutMs, signal }));
        yield* renderPage(live, pageNumber, geometry, settings, timed);
      } catch (error) {
        if (signal?.aborted) throw abortError(signal);
        yield { kind: 'failure', failure: { pageNumber, error: pageError(error, pageNumber, settings) } };
      }
    }
  } finally {
    renderer?.close();
  }
}

async function* renderPage(
  renderer: PdfRenderer,
  pageNumber: number,
  geometry: PageReply,
  settings: Settings,
  timed: <T>(work: (timeoutMs: number) => Promise<T>) => Promise<T>,
): AsyncGenerator<SourceItem> {
  const { view, rotate, userUnit } = geometry;
  const turned = rotate === 90 || rotate === 270;
  const boxWidth = (view[2] - view[0]) * userUnit;
  const boxHeight = (view[3] - view[1]) * userUnit;
  if (!(boxWidth > 0 && boxHeight > 0 && Number.isFinite(boxWidth * boxHeight))) {
    throw new RasterizeError('PAGE_RENDER_FAILED', `Page ${pageNumber} has an empty page box [${view.join(' ')}].`, {
      pageNumber,
    });
  }
  const { limits } = settings;
  const plan = planPage({
    widthPt: turned ? boxHeight : boxWidth,
    heightPt: turned ? boxWidth : boxHeight,
    dpi: settings.dpi,
    readableDpi: settings.minDpi,
    maxTiles: settings.maxTiles,
    maxSidePx: limits.maxSidePx,
    maxPixels: Math.min(limits.maxPixels, settings.maxCanvasPixels),
  });
  if (!plan) {
    throw new RasterizeError(
      'PAGE_TOO_LARGE',
      `Page ${pageNumber} is ${Math.round(boxWidth)} x ${Math.round(boxHeight)} pt: too large to render at 1 dpi or more.`,
      { pageNumber },
    );
  }
  let pageTransform: Transform | undefined;
  for (const [index, rect] of plan.tiles.entries()) {
    const rendered = await timed((timeoutMs) =>
      renderer.render(
        { type: 'render', pageNumber, scale: plan.dpi / 72, ...rect },
        { timeoutMs, signal: settings.signal },
      ),
    );
    const transform = invert(rendered.viewportTransform);
    pageTransform ??= compose(transform, translation(rect.left, rect.top));
    // Handed back once only: a second hand-back after the slot went to another page would let that page's
    // rendering overwrite pixels still being encoded.
    let recycled = false;
    yield {
      kind: 'raw',
      pageNumber,
      raw: { pixels: rendered.pixels, width: rendered.width, height: rendered.height, channels: 4 },
      transform,
      dpi: plan.dpi,
      tile: tileInfo(plan, index, pageTransform),
      recycle: () => {
        if (!recycled) renderer.recycle(rendered.slot);
        recycled = true;
      },
    };
  }
}

function openDocument(input: Uint8Array, settings: Settings, timeoutMs: number) {
  return openPdf(input, settings.password, { timeoutMs, signal: settings.signal });
}

/** A renderer with `input` open; the document's own problems as `RasterizeError`s. */
export async function openPdf(
  input: Uint8Array,
  password: string | undefined,
  options: CallOptions,
): Promise<{ renderer: PdfRenderer; numPages: number }> {
  try {
    return await PdfRenderer.open(input, password, options);
  } catch (error) {
    throw documentError(error, options.timeoutMs);
  }
}

function documentError(error: unknown, timeoutMs: number): unknown {
  if (error instanceof RendererFailure) {
    const { kind, message } = error.failure;
    if (kind === 'password-required') {
      return new RasterizeError('PDF_PASSWORD_REQUIRED', 'The PDF is encrypted: pass its password as `password`.', {
        cause: error,
      });
    }
    if (kind === 'password-wrong') {
      return new RasterizeError('PDF_PASSWORD_WRONG', 'The password does not open the PDF (neither user nor owner).', {
        cause: error,
      });
    }
    return new RasterizeError('PDF_INVALID', `The PDF could not be opened: ${message}`, { cause: error });
  }
  if (error instanceof RendererStopped) {
    const detail = error.reason === 'timeout' ? `did not open within ${timeoutMs} ms` : error.message;
    return new RasterizeError('PDF_INVALID', `The PDF could not be opened: ${detail}`, { cause: error });
  }
  return error;
}

function pageError(error: unknown, pageNumber: number, settings: Settings): RasterizeError {
  if (error instanceof RasterizeError) {
    if (error.pageNumber === pageNumber) return error;
    // The document had to be reopened for this page and failed: the page fails, the caller decides.
    return new RasterizeError(error.code, `Page ${pageNumber}: ${error.message}`, { pageNumber, cause: error });
  }
  if (error instanceof RendererStopped && error.reason === 'timeout') {
    return new RasterizeError(
      'PAGE_TIMEOUT',
      `Page ${pageNumber} did not render within ${settings.pageTimeoutMs} ms; raise pageTimeoutMs to wait longer.`,
      { pageNumber, cause: error },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new RasterizeError('PAGE_RENDER_FAILED', `Page ${pageNumber} failed to render: ${message}`, {
    pageNumber,
    cause: error,
  });
}
