import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import type { Page } from '@ocrkit/layout';
import { degrees, PDFDocument, PDFName, type PDFRawStream, StandardFonts } from 'pdf-lib';
import { describe, expect, test } from 'vitest';
import { addTextLayer, imagesToPdf, type Matrix, type PdfError } from '../src/index.js';
import { lineOf, pageOf, word } from './pages.js';
import { readBack, textOf } from './read-back.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));

async function blankPdf(
  size: [number, number],
  edit?: (doc: PDFDocument) => void | Promise<void>,
): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage(size);
  await edit?.(doc);
  return doc.save();
}

// A 1000 x 500 px image of a 500 x 250 pt page (144 dpi): x / 2, and y flipped.
const halfScale: Matrix = [0.5, 0, 0, -0.5, 0, 250];

const mixed: Page = pageOf(1000, 500, [
  lineOf(['Invoice', 'No.', '2026-11', '😀'], 100, 100, 40, 18, 12),
  lineOf([...'通用文字识别'], 100, 200, 40, 40, 0),
  lineOf(['Total:', '42.00', 'CNY'], 100, 300, 40, 18, 12),
]);

describe('addTextLayer', () => {
  test('pdf.js reads back the exact text, a space after every word, none between Chinese characters', async () => {
    const out = await addTextLayer(await blankPdf([500, 250]), [{ pageNumber: 1, page: mixed, transform: halfScale }]);
    const { pages, warnings } = await readBack(out);
    expect(warnings).toEqual([]);
    expect(textOf(pages[0] as never)).toBe('Invoice No. 2026-11 😀\n通用文字识别\nTotal: 42.00 CNY');
  });

  test('each line starts at its first word, spans to its last, on a baseline 20% above its bottom', async () => {
    const out = await addTextLayer(await blankPdf([500, 250]), [{ pageNumber: 1, page: mixed, transform: halfScale }]);
    const { pages } = await readBack(out);
    const items = pages[0]?.items ?? [];
    const lines = mixed.blocks.flatMap((b) => b.lines);
    // pdf.js merges the words of a line into one item.
    expect(items).toHaveLength(lines.length);
    items.forEach((item, i) => {
      const line = lines[i];
      if (!line) throw new Error('missing line');
      const [, b, c, d, e, f] = item.transform;
      const height = (line.box.maxY - line.box.minY) / 2;
      expect(e).toBeCloseTo(line.box.minX / 2, 2);
      expect(f).toBeCloseTo(250 - line.box.maxY / 2 + 0.2 * height, 2);
      expect(b).toBeCloseTo(0, 5);
      expect(c).toBeCloseTo(0, 5);
      expect(d).toBeCloseTo(height, 2);
      expect(item.width).toBeCloseTo((line.box.maxX - line.box.minX) / 2, 1);
    });
  });

  test('text turned 90 degrees runs up the page', async () => {
    // A line whose text reads bottom to top: quad clockwise from the text's top-left (image pixels).
    const turned: Page = {
      width: 1000,
      height: 500,
      angle: 90,
      tables: [],
      blocks: [
        {
          box: { minX: 100, minY: 100, maxX: 140, maxY: 400 },
          lines: [
            {
              box: { minX: 100, minY: 100, maxX: 140, maxY: 400 },
              quad: [
                [100, 400],
                [100, 100],
                [140, 100],
                [140, 400],
              ],
              baseline: { start: [140, 400], end: [140, 100] },
              words: [
                {
                  text: 'upwards',
                  quad: [
                    [100, 400],
                    [100, 100],
                    [140, 100],
                    [140, 400],
                  ],
                  box: { minX: 100, minY: 100, maxX: 140, maxY: 400 },
                  confidence: 1,
                },
              ],
            },
          ],
        },
      ],
    };
    const out = await addTextLayer(await blankPdf([500, 250]), [{ pageNumber: 1, page: turned, transform: halfScale }]);
    const [item] = (await readBack(out)).pages[0]?.items ?? [];
    expect(item?.str).toBe('upwards');
    const [a, b, c, d, e, f] = item?.transform ?? [];
    // Baseline direction (a, b) points up (+y in user space); the glyphs' up (c, d) points left.
    expect(a).toBeCloseTo(0, 5);
    expect(b).toBeGreaterThan(0);
    expect(c).toBeLessThan(0);
    expect(d).toBeCloseTo(0, 5);
    // Starts at the bottom of the box: image (140 - 0.2 * 40, 400) → user space.
    expect(e).toBeCloseTo((140 - 0.2 * 40) / 2, 2);
    expect(f).toBeCloseTo(250 - 400 / 2, 2);
  });

  test('on a /Rotate 90 page the layer lines up with the page as displayed', async () => {
    const original = await blankPdf([500, 250], (doc) => {
      doc.getPage(0).setRotation(degrees(90));
    });
    // Displayed, the page is 250 x 500 pt; its 500 x 1000 px image maps pixel (x, y) to user space
    // (u, v) = (y / 2, x / 2): display x runs along user y, display y along user x.
    const transform: Matrix = [0, 0.5, 0.5, 0, 0, 0];
    const page = pageOf(500, 1000, [lineOf(['rotated', 'page'], 50, 100, 30, 15, 10)]);
    const out = await addTextLayer(original, [{ pageNumber: 1, page, transform }]);
    const [result] = (await readBack(out)).pages;
    expect(result?.rotate).toBe(90);
    const [first] = result?.items ?? [];
    const [va, vb, vc, vd, ve, vf] = result?.viewport ?? [];
    const [a = 0, b = 0, , , e = 0, f = 0] = first?.transform ?? [];
    // Map the baseline origin and direction into display space (pdf.js viewport: y down).
    const x = (va ?? 0) * e + (vc ?? 0) * f + (ve ?? 0);
    const y = (vb ?? 0) * e + (vd ?? 0) * f + (vf ?? 0);
    expect(x).toBeCloseTo(50 / 2, 1);
    expect(y).toBeCloseTo((100 + 30 - 0.2 * 30) / 2, 1);
    const dx = (va ?? 0) * a + (vc ?? 0) * b;
    const dy = (vb ?? 0) * a + (vd ?? 0) * b;
    expect(dy).toBeCloseTo(0, 5);
    expect(dx).toBeGreaterThan(0);
  });

  test('the page content is kept byte for byte and still extracts, before the layer', async () => {
    const original = await blankPdf([500, 250], async (doc) => {
      const font = await doc.embedFont(StandardFonts.Helvetica);
      doc.getPage(0).drawText('Original words', { x: 20, y: 20, size: 12, font });
    });
    const contentsOf = async (bytes: Uint8Array) => {
      const doc = await PDFDocument.load(bytes);
      const contents = doc.getPage(0).node.Contents();
      const refs = contents && 'asArray' in contents ? contents.asArray() : [];
      return refs.map((ref) => doc.context.lookup(ref) as PDFRawStream);
    };
    const before = (await contentsOf(original)).map((stream) => Buffer.from(stream.contents));
    const out = await addTextLayer(original, [{ pageNumber: 1, page: mixed, transform: halfScale }]);
    const after = (await contentsOf(out)).map((stream) => ({ data: Buffer.from(stream.contents), dict: stream.dict }));
    const decoded = after.map(({ data }) => inflateSync(data).toString('latin1'));
    const first = after.findIndex(({ data }) => data.equals(before[0] ?? Buffer.alloc(0)));
    expect(before.length).toBeGreaterThan(0);
    expect(after.slice(first, first + before.length).map(({ data }) => data)).toEqual(before);
    // Between q and Q, and the layer after them.
    expect(decoded.slice(0, first).join('')).toMatch(/^\s*q\s*$/);
    expect(decoded.slice(first + before.length, -1).join('')).toMatch(/^\s*Q\s*$/);
    expect(after.at(-1)?.dict.get(PDFName.of('OcrKit'))).toEqual(PDFName.of('TextLayer'));
    const text = textOf((await readBack(out)).pages[0] as never);
    expect(text.startsWith('Original words')).toBe(true);
    expect(text).toContain('Invoice No.');
  });

  test('an earlier layer is kept by default and replaced with redo', async () => {
    const page = pageOf(1000, 500, [lineOf(['once'], 100, 100, 40, 18, 12)]);
    const first = await addTextLayer(await blankPdf([500, 250]), [{ pageNumber: 1, page, transform: halfScale }]);
    const kept = await addTextLayer(first, [{ pageNumber: 1, page, transform: halfScale }]);
    // Two layers, one above the other: pdf.js sees the word twice.
    expect(textOf((await readBack(kept)).pages[0] as never).match(/once/g)).toHaveLength(2);
    const redone = await addTextLayer(first, [{ pageNumber: 1, page, transform: halfScale }], { redo: true });
    expect(textOf((await readBack(redone)).pages[0] as never)).toBe('once');
  });

  test('grows the file by at most 5 KB plus 30 bytes per word', async () => {
    const lines = Array.from({ length: 30 }, (_, row) =>
      lineOf(
        Array.from({ length: 10 }, (_, i) => `word${row}x${i}`),
        40,
        20 + row * 32,
        24,
        10,
        14,
      ),
    );
    const page = pageOf(1300, 1000, lines);
    const original = await blankPdf([650, 500]);
    const out = await addTextLayer(original, [{ pageNumber: 1, page, transform: [0.5, 0, 0, -0.5, 0, 500] }]);
    expect(out.length - original.length).toBeLessThanOrEqual(5000 + 30 * 300);
    const text = textOf((await readBack(out)).pages[0] as never);
    expect(text.split(/\s+/)).toEqual(lines.flat().map((w) => w.text));
  });

  test('bad input is a PdfError with a stable code', async () => {
    const codeOf = (promise: Promise<unknown>) =>
      promise.then(
        () => 'resolved',
        (error: PdfError) => error.code,
      );
    expect(await codeOf(addTextLayer(new TextEncoder().encode('%PDF-1.4 not really'), []))).toBe('PDF_INVALID');
    expect(await codeOf(addTextLayer(fixture('encrypted.pdf'), []))).toBe('PDF_ENCRYPTED');
    expect(
      await codeOf(addTextLayer(fixture('one-page.pdf'), [{ pageNumber: 2, page: mixed, transform: halfScale }])),
    ).toBe('PAGE_OUT_OF_RANGE');
  });
});

describe('imagesToPdf', () => {
  test('one page per image, sized from its dpi, with the image and its text', async () => {
    const png = new Uint8Array(readFileSync(new URL('../../engine/test/fixtures/english-line.png', import.meta.url)));
    const view = new DataView(png.buffer, png.byteOffset);
    // PNG IHDR: width and height at bytes 16 and 20.
    const [pixelsWide, pixelsHigh] = [view.getUint32(16), view.getUint32(20)];
    const page = pageOf(pixelsWide, pixelsHigh, [lineOf(['The', 'quick', 'brown', 'fox'], 18, 14, 35, 16, 10)]);
    const out = await imagesToPdf([{ data: png, mimeType: 'image/png', dpi: 144, page }]);
    const doc = await PDFDocument.load(out);
    const { width, height } = doc.getPage(0).getSize();
    expect(width).toBeCloseTo(pixelsWide / 2, 5);
    expect(height).toBeCloseTo(pixelsHigh / 2, 5);
    const { pages, warnings } = await readBack(out);
    expect(warnings).toEqual([]);
    expect(textOf(pages[0] as never)).toBe('The quick brown fox');
    expect(pages[0]?.items[0]?.transform[4]).toBeCloseTo(18 / 2, 2);
  });

  test('an image that is not JPEG or PNG is IMAGE_INVALID naming its page', async () => {
    const error = await imagesToPdf([
      { data: new Uint8Array([1, 2, 3]), mimeType: 'image/png', dpi: 72, page: mixed },
    ]).catch((e: PdfError) => e);
    expect(error).toMatchObject({ code: 'IMAGE_INVALID', pageNumber: 1 });
  });

  test('words made by word() keep their text', () => {
    expect(word('x', 0, 0, 1, 1).text).toBe('x');
  });
});
