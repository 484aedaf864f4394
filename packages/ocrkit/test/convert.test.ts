import { readFileSync } from 'node:fs';
import { createEngine } from '@ocrkit/engine';
import type { GeneralTextResult, RecognizeOptions, TextRecognizer } from '@ocrkit/protocol';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, expect, test } from 'vitest';
import { type ConvertedPage, convert, isFailure, isSkipped, type PageResult, searchablePdf } from '../src/index.js';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../engine/test/fixtures/${name}`, import.meta.url)));
const engine = createEngine();
afterAll(() => engine.close());

/** A PDF whose pages are the given PNGs, each drawn full page at 144 dpi. */
async function pdfOf(...pngs: Uint8Array[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (const png of pngs) {
    const image = await doc.embedPng(png);
    const page = doc.addPage([image.width / 2, image.height / 2]);
    page.drawImage(image, { x: 0, y: 0, width: image.width / 2, height: image.height / 2 });
  }
  return doc.save();
}

async function all(pages: AsyncIterable<ConvertedPage>): Promise<ConvertedPage[]> {
  const out: ConvertedPage[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

const words = (page: ConvertedPage) =>
  isFailure(page) || isSkipped(page)
    ? []
    : page.page.blocks.flatMap((b) => b.lines.map((l) => l.words.map((w) => w.text).join(' ')));

test('a PDF converts page by page, in order, each with its result, layout and transform', async () => {
  const pdf = await pdfOf(fixture('english-line.png'), fixture('chinese-line.png'), fixture('page.png'));
  const progress: number[] = [];
  // Rendered at the 144 dpi the images were drawn at, so the engine sees the original pixels.
  const pages = await all(
    convert(pdf, { recognizer: engine, dpi: 144, onProgress: (p) => progress.push(p.pageNumber) }),
  );
  expect(pages.map((p) => p.pageNumber)).toEqual([1, 2, 3]);
  expect(progress).toEqual([1, 2, 3]);
  expect(words(pages[0] as ConvertedPage)).toEqual(['The quick brown fox jumps over the lazy dog 42']);
  expect(words(pages[1] as ConvertedPage)).toEqual(['通 用 文 字 识 别 服 务 支 持 扫 描 文 件']);
  expect(words(pages[2] as ConvertedPage)).toContain('Revenue grew by 12 percent in the third quarter,');
  const first = pages[0] as PageResult;
  expect(first.image.dpi).toBe(144);
  expect(first.image.transform[0]).toBeCloseTo(72 / 144, 5);
  expect(first.result.words_block_count).toBe(1);
});

test('pages picks pages; results still come in the order asked', async () => {
  const pdf = await pdfOf(fixture('english-line.png'), fixture('chinese-line.png'), fixture('mixed-line.png'));
  const pages = await all(convert(pdf, { recognizer: engine, pages: [3, 1] }));
  expect(pages.map((p) => p.pageNumber)).toEqual([3, 1]);
});

/** The engine, but pages whose image is in `failing` throw like a cloud error after retries. */
class FlakyRecognizer implements TextRecognizer {
  calls = 0;
  constructor(readonly failOn: number) {}
  async recognize(image: Uint8Array, options?: RecognizeOptions): Promise<GeneralTextResult> {
    this.calls++;
    if (this.calls === this.failOn) throw Object.assign(new Error('throttled after 4 attempts'), { code: 'APIG.0308' });
    return engine.recognize(image, options);
  }
}

test('a page whose recognition fails is reported with its code; the others complete', async () => {
  const pdf = await pdfOf(fixture('english-line.png'), fixture('chinese-line.png'), fixture('mixed-line.png'));
  const pages = await all(convert(pdf, { recognizer: new FlakyRecognizer(2) }));
  expect(pages.map((p) => [p.pageNumber, isFailure(p) ? (p.error.code ?? 'error') : 'ok'])).toEqual([
    [1, 'ok'],
    [2, 'APIG.0308'],
    [3, 'ok'],
  ]);
});

test('several pages in flight still come out in page order', async () => {
  const pdf = await pdfOf(fixture('page.png'), fixture('english-line.png'), fixture('chinese-line.png'));
  const pages = await all(convert(pdf, { recognizer: engine, concurrency: 3 }));
  expect(pages.map((p) => p.pageNumber)).toEqual([1, 2, 3]);
});

test('an aborted signal stops the conversion with an abort error', async () => {
  const pdf = await pdfOf(fixture('english-line.png'));
  const controller = new AbortController();
  controller.abort();
  await expect(all(convert(pdf, { recognizer: engine, signal: controller.signal }))).rejects.toMatchObject({
    code: expect.stringMatching(/ABORTED/),
  });
});

test('an abort with several pages in flight rejects once; the pages behind are not unhandled rejections', async () => {
  const pdf = await pdfOf(...Array.from({ length: 6 }, () => fixture('english-line.png')));
  const controller = new AbortController();
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  let calls = 0;
  // Every page waits for the abort (once four are in flight), the first one 100 ms longer, so the others
  // reject while it is awaited.
  const recognizer: TextRecognizer = {
    recognize: (_image, options?: RecognizeOptions) => {
      const delay = calls++ === 0 ? 100 : 0;
      if (calls === 4) setTimeout(() => controller.abort(), 10);
      return new Promise<GeneralTextResult>((_, reject) => {
        options?.signal?.addEventListener('abort', () =>
          setTimeout(() => reject(Object.assign(new Error('aborted'), { code: 'OCRKIT_ABORTED' })), delay),
        );
      });
    },
  };
  try {
    // The recognizer's or the rasterizer's abort, whichever comes first.
    await expect(all(convert(pdf, { recognizer, concurrency: 4, signal: controller.signal }))).rejects.toMatchObject({
      code: expect.stringMatching(/ABORTED/),
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
  expect(calls).toBe(4);
  expect(unhandled).toEqual([]);
});

test('an image converts to a one-page searchable PDF of itself', async () => {
  const png = fixture('english-line.png');
  const pages = (await all(convert(png, { recognizer: engine }))) as PageResult[];
  const pdf = await PDFDocument.load(await searchablePdf(png, pages));
  expect(pdf.getPageCount()).toBe(1);
});

test('PDF pages that already have text are skipped in their place, unless asked not to', async () => {
  const scans = await PDFDocument.load(await pdfOf(fixture('english-line.png'), fixture('chinese-line.png')));
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const [scan1, scan2] = await doc.copyPages(scans, [0, 1]);
  doc.addPage(scan1);
  doc.addPage([300, 100]).drawText('Born digital text', { x: 10, y: 50, size: 12, font });
  doc.addPage(scan2);
  const pdf = await doc.save();
  const pages = await all(convert(pdf, { recognizer: engine, dpi: 144 }));
  expect(pages.map((p) => [p.pageNumber, isSkipped(p) ? 'skipped' : isFailure(p) ? 'failed' : 'read'])).toEqual([
    [1, 'read'],
    [2, 'skipped'],
    [3, 'read'],
  ]);
  const forced = await all(convert(pdf, { recognizer: engine, dpi: 144, skipPagesWithText: false, pages: [2] }));
  expect(words(forced[0] as ConvertedPage)).toEqual(['Born digital text']);
});
