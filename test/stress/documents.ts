// A multi-page PDF whose pages a recognizer can tell apart from the page image alone (each page is a
// different width), and a deterministic recognizer that answers each page with its own text: the fault,
// kill-resume and overload suites drive the real pipeline, CLI and server with it, fast and repeatably.
import { createRequire } from 'node:module';
import type { GeneralTextResult, Quad, RecognizeOptions, TextRecognizer } from '../../packages/protocol/dist/index.js';
import { readImageHeader } from '../../packages/protocol/dist/index.js';

// pdf-lib is a dependency of the packages, not of the workspace root: load it from where ocrkit has it.
const { PDFDocument, rgb } = createRequire(new URL('../../packages/ocrkit/package.json', import.meta.url))(
  'pdf-lib',
) as typeof import('../../packages/ocrkit/node_modules/pdf-lib/cjs/index.js');

/** Page `n` (1-based) is `baseWidthPt + n * stepPt` points wide, `heightPt` high. */
const baseWidthPt = 200;
const stepPt = 8;
const heightPt = 120;

/** The dpi the suites render at: 72, so that one pixel is one point and the width names the page. */
export const documentDpi = 72;

/** A PDF of `count` image-only pages (no text layer), page n a grey bar on white, n-dependent width. */
export async function pagedPdf(count: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (let n = 1; n <= count; n++) {
    const page = doc.addPage([baseWidthPt + n * stepPt, heightPt]);
    page.drawRectangle({ x: 10, y: 50, width: 40 + n * 4, height: 12, color: rgb(0.2, 0.2, 0.2) });
  }
  // Fixed dates: the same bytes every run.
  doc.setCreationDate(new Date(0));
  doc.setModificationDate(new Date(0));
  return doc.save();
}

/** Which page of `pagedPdf` an image rendered at `documentDpi` is; undefined if it is none of them. */
export function pageOfImage(image: Uint8Array): number | undefined {
  const header = readImageHeader(image);
  if (!header || header.format === 'pdf') return undefined;
  const n = Math.round((header.width - baseWidthPt) / stepPt);
  return n >= 1 ? n : undefined;
}

/** What the deterministic recognizer reads on page `n`: two lines naming it. */
export function pageResult(n: number): GeneralTextResult {
  const line = (words: string, top: number) => ({
    words,
    location: [
      [10, top],
      [10 + words.length * 7, top],
      [10 + words.length * 7, top + 14],
      [10, top + 14],
    ] as Quad,
    confidence: 0.99,
  });
  return {
    direction: 0,
    words_block_count: 2,
    words_block_list: [line(`Page ${n} of the stress document`, 20), line(`line two says ${n * 7919}`, 60)],
  };
}

/** How the recognizer treats page n: answer after `delayMs`, or fail in one of these ways. */
export type PageBehaviour =
  | { readonly kind: 'ok'; readonly delayMs?: number }
  | { readonly kind: 'throw'; readonly code: string; readonly message?: string }
  | { readonly kind: 'reject-plain'; readonly message: string }
  /** Waits for the signal; then rejects, `rejectAfterAbortMs` later (as a request being torn down may). */
  | { readonly kind: 'hang'; readonly rejectAfterAbortMs?: number };

/**
 * A `TextRecognizer` answering `pageResult(n)` for page n of `pagedPdf`, or failing as `behaviour(n)`
 * says. A hanging page waits for its signal and then rejects with OCRKIT_ABORTED, as the engine does.
 */
export class PageRecognizer implements TextRecognizer {
  readonly calls: number[] = [];
  readonly #behaviour: (page: number) => PageBehaviour;

  constructor(behaviour: (page: number) => PageBehaviour = () => ({ kind: 'ok' })) {
    this.#behaviour = behaviour;
  }

  async recognize(image: Uint8Array, options: RecognizeOptions = {}): Promise<GeneralTextResult> {
    const page = pageOfImage(image);
    if (page === undefined) throw Object.assign(new Error('Not a page of the stress document.'), { code: 'AIS.0102' });
    this.calls.push(page);
    const behaviour = this.#behaviour(page);
    const { signal } = options;
    if (behaviour.kind === 'throw') {
      throw Object.assign(new Error(behaviour.message ?? `page ${page} failed on purpose`), { code: behaviour.code });
    }
    if (behaviour.kind === 'reject-plain') return Promise.reject(new Error(behaviour.message));
    const delayMs = behaviour.kind === 'hang' ? Number.POSITIVE_INFINITY : (behaviour.delayMs ?? 0);
    if (delayMs > 0) {
      await new Promise<void>((resolve, reject) => {
        const abort = () => {
          clearTimeout(timer);
          const error = Object.assign(new Error('The recognition was aborted.'), { code: 'OCRKIT_ABORTED' });
          const lateMs = behaviour.kind === 'hang' ? (behaviour.rejectAfterAbortMs ?? 0) : 0;
          if (lateMs > 0) setTimeout(() => reject(error), lateMs);
          else reject(error);
        };
        const done = () => {
          signal?.removeEventListener('abort', abort);
          resolve();
        };
        const timer = Number.isFinite(delayMs) ? setTimeout(done, delayMs) : undefined;
        if (signal?.aborted) abort();
        signal?.addEventListener('abort', abort, { once: true });
      });
    }
    return pageResult(page);
  }
}
