import { abortError, RasterizeError } from './errors.js';
import type { Settings } from './options.js';
import { selectPages } from './page-selection.js';
import { type CallOptions, PdfRenderer, RendererFailure, RendererStopped } from './pdf-renderer.js';
import { planPage, tileInfo } from './plan.js';
import type { PageReply } from './render-protocol.js';
import type { SourceItem } from './source.js';
import { compose, invert, type Transform, translation } from './transform.js';

/**
 * Renders the selected pages of a PDF, tile by tile, as raw pixels. Document-level problems (not a PDF,
 * password, `pages` out of range, abort) throw; a page that fails yields its failure and the next page
 * follows. Each page gets `pageTimeoutMs` of renderer time; on timeout the renderer thread is replaced.
 */
export async function* pdfSource(input: Uint8Array, settings: Settings): AsyncGenerator<SourceItem> {
  const { signal } = settings;
  let renderer: PdfRenderer | undefined;
  try {
    const opened = await openDocument(input, settings, settings.pageTimeoutMs);
    renderer = opened.renderer;
    const pages = selectPages(opened.numPages, settings.pages, 'PDF');
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
    yield {
      kind: 'raw',
      pageNumber,
      raw: { pixels: rendered.pixels, width: rendered.width, height: rendered.height, channels: 4 },
      transform,
      dpi: plan.dpi,
      tile: tileInfo(plan, index, pageTransform),
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
