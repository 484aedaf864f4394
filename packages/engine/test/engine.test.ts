import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import type { GeneralTextResult, Point, Quad } from '@ocrkit/protocol';
import { encode as encodeBmp } from 'bmp-ts';
import sharp from 'sharp';
import { afterAll, describe, expect, test } from 'vitest';
import { createEngine, type EngineError, type RecognizeTimings } from '../dist/index.js';

// Images rendered by test/fixtures/make-fixtures.ts; the expected text is what was rendered.
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}.png`, import.meta.url));
const pageLines = [
  'Quarterly Report 2026',
  'Revenue grew by 12 percent in the third quarter,',
  'driven by strong demand for document scanning.',
  '本季度收入增长百分之十二',
  '主要来自文档扫描的需求',
];

const engine = createEngine();
afterAll(() => engine.close());

const texts = (result: GeneralTextResult) => result.words_block_list.map((block) => block.words);

/** Whether `p` lies inside the convex quad `q`, with `tolerance` pixels of slack. */
function inside(p: Point, q: Quad, tolerance: number): boolean {
  let sign = 0;
  for (let i = 0; i < 4; i++) {
    const a = q[i] as Point;
    const b = q[(i + 1) % 4] as Point;
    const cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
    const distance = cross / Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (Math.abs(distance) <= tolerance) continue;
    if (sign === 0) sign = Math.sign(distance);
    else if (Math.sign(distance) !== sign) return false;
  }
  return true;
}

describe('LocalEngine on single lines', () => {
  test.each([
    ['english-line', 'The quick brown fox jumps over the lazy dog 42'],
    ['chinese-line', '通用文字识别服务支持扫描文件'],
  ])('reads %s exactly, with a quad around the text', async (name, text) => {
    const bytes = fixture(name);
    const { width = 0, height = 0 } = await sharp(bytes).metadata();
    const result = await engine.recognize(bytes);
    expect(texts(result)).toEqual([text]);
    expect(result.direction).toBe(-1);
    expect(result.words_block_count).toBe(1);
    const [block] = result.words_block_list;
    expect(block?.confidence).toBeGreaterThan(0.9);
    const [topLeft, topRight, bottomRight, bottomLeft] = block?.location ?? [];
    // Clockwise from the top-left, inside the image, hugging the 16 px margin the text was drawn with.
    expect(topLeft?.[0]).toBeLessThan(topRight?.[0] ?? 0);
    expect(topRight?.[1]).toBeLessThan(bottomRight?.[1] ?? 0);
    expect(bottomLeft?.[0]).toBeLessThan(bottomRight?.[0] ?? 0);
    for (const [x, y] of block?.location ?? []) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(width);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThanOrEqual(height);
      expect(Number.isInteger(x) && Number.isInteger(y)).toBe(true);
    }
    expect(topLeft?.[0]).toBeGreaterThan(8);
    expect(topLeft?.[0]).toBeLessThan(24);
  });

  // The rendered line is "发票号码 Invoice No. 20261127"; Noto Sans CJK sets its Latin so tightly that
  // the spaces are within the recognizer's jitter, so only the characters are checked.
  test('reads a mixed Chinese and English line', async () => {
    const [text] = texts(await engine.recognize(fixture('mixed-line')));
    expect(text?.replace(/\s+/g, '')).toBe('发票号码InvoiceNo.20261127');
  });

  test('quick_mode reads a one-line image as one block spanning the image', async () => {
    const bytes = fixture('english-line');
    const { width = 0, height = 0 } = await sharp(bytes).metadata();
    const result = await engine.recognize(bytes, { quick_mode: true });
    expect(texts(result)).toEqual(['The quick brown fox jumps over the lazy dog 42']);
    expect(result.words_block_list[0]?.location).toEqual([
      [0, 0],
      [width, 0],
      [width, height],
      [0, height],
    ]);
  });

  test('character_mode gives one entry per non-space character, each inside its block', async () => {
    const result = await engine.recognize(fixture('english-line'), { character_mode: true });
    const [block] = result.words_block_list;
    const chars = block?.char_list ?? [];
    expect(chars.map((c) => c.char).join('')).toBe(block?.words.replace(/ /g, ''));
    for (const c of chars) {
      expect(c.char_confidence).toBeGreaterThan(0);
      expect(c.char_confidence).toBeLessThanOrEqual(1);
      for (const point of c.char_location) expect(inside(point, block?.location as Quad, 1)).toBe(true);
    }
    // Left to right along the line.
    const lefts = chars.map((c) => c.char_location[0][0]);
    expect([...lefts].sort((a, b) => a - b)).toEqual(lefts);
    const plain = await engine.recognize(fixture('english-line'));
    expect(plain.words_block_list[0]?.char_list).toBeUndefined();
  });

  test('reads a BMP like the PNG it was made from', async () => {
    const { data, info } = await sharp(fixture('english-line'))
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    // bmp-ts writes ABGR byte order.
    const abgr = Buffer.alloc(data.length);
    for (let i = 0; i < data.length; i += 4) {
      abgr[i] = 255;
      abgr[i + 1] = data[i + 2] as number;
      abgr[i + 2] = data[i + 1] as number;
      abgr[i + 3] = data[i] as number;
    }
    const bmp = encodeBmp({ data: abgr, width: info.width, height: info.height, bitPP: 24 }).data;
    expect(texts(await engine.recognize(bmp))).toEqual(['The quick brown fox jumps over the lazy dog 42']);
  });
});

describe('LocalEngine on a page', () => {
  test('reads every line, top to bottom', async () => {
    const result = await engine.recognize(fixture('page'));
    expect(texts(result)).toEqual(pageLines);
    expect(result.words_block_count).toBe(pageLines.length);
  });

  test('publishes where the time went on the ocrkit:engine:recognize diagnostics channel', async () => {
    const published: RecognizeTimings[] = [];
    const listener = (message: unknown) => published.push(message as RecognizeTimings);
    subscribe('ocrkit:engine:recognize', listener);
    try {
      await engine.recognize(fixture('page'));
    } finally {
      unsubscribe('ocrkit:engine:recognize', listener);
    }
    expect(published).toHaveLength(1);
    const [timings] = published as [RecognizeTimings];
    const { width = 0, height = 0 } = await sharp(fixture('page')).metadata();
    expect(timings).toMatchObject({ width, height, lines: pageLines.length });
    const stages = [timings.decodeMs, timings.detectMs, timings.classifyMs, timings.readMs];
    for (const ms of stages) expect(ms).toBeGreaterThanOrEqual(0);
    expect(timings.readMs).toBeGreaterThan(0);
    expect(stages.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(timings.totalMs);
  });

  test('return_markdown_result joins the lines with newlines', async () => {
    const result = await engine.recognize(fixture('page'), { return_markdown_result: true });
    expect(result.markdown_result).toBe(pageLines.join('\n'));
  });

  // sharp turns clockwise; the API reports the counter-clockwise angle of the text.
  test.each([
    [0, 0],
    [90, 270],
    [180, 180],
    [270, 90],
  ])(
    'turned %i degrees clockwise: same text, direction %i, quads starting at the text top-left',
    async (turn, direction) => {
      const bytes = await sharp(fixture('page')).rotate(turn).png().toBuffer();
      const result = await engine.recognize(bytes, { detect_direction: true });
      expect(texts(result)).toEqual(pageLines);
      const distance = Math.abs(((result.direction - direction + 540) % 360) - 180);
      expect(distance).toBeLessThan(1);
      for (const block of result.words_block_list) {
        const [p0, p1] = block.location;
        // The first edge runs along the text: its angle is the page's direction.
        const angle = (Math.atan2(-(p1[1] - p0[1]), p1[0] - p0[0]) * 180) / Math.PI;
        expect(Math.abs(((angle - direction + 540) % 360) - 180)).toBeLessThan(3);
      }
    },
  );

  test('a page skewed 3 degrees counter-clockwise reads the same and reports a direction near 3', async () => {
    const bytes = await sharp(fixture('page')).rotate(-3, { background: '#ffffff' }).png().toBuffer();
    const result = await engine.recognize(bytes, { detect_direction: true });
    expect(texts(result)).toEqual(pageLines);
    expect(result.direction).toBeGreaterThan(2);
    expect(result.direction).toBeLessThan(4);
  });

  test('without detect_direction a sideways page is still read, with direction -1', async () => {
    const bytes = await sharp(fixture('page')).rotate(90).png().toBuffer();
    const result = await engine.recognize(bytes);
    expect(result.direction).toBe(-1);
    expect(texts(result)).toEqual(pageLines);
  });
});

describe('LocalEngine on a ruled table', () => {
  // test/fixtures/make-fixtures.ts: empty cells hold a lone dash, whose box is smaller than a line and
  // often taller than wide; read at its own scale it came out as 1, _, \\ or 『 (ICDAR eu-001).
  const cells = ['Carbon dioxide', '100 million', 'Methane', '100 000', 'Nitrous oxide', '10 000', 'Ammonia', '-'];

  test('reads the lone dashes of empty cells as dashes, and every other cell as written', async () => {
    const result = await engine.recognize(fixture('table-dashes'));
    for (const text of texts(result)) expect(cells).toContain(text);
    expect(texts(result).filter((text) => text === '-').length).toBeGreaterThanOrEqual(4);
    expect(texts(result).filter((text) => text !== '-')).toEqual(cells.slice(0, -1));
  });
});

describe('LocalEngine errors', () => {
  const codeOf = (promise: Promise<unknown>) =>
    promise.then(
      () => 'resolved',
      (error: EngineError) => error.code,
    );

  test.each([
    ['empty bytes', new Uint8Array(0)],
    ['text', new TextEncoder().encode('not an image at all')],
    ['a truncated PNG', fixture('page').subarray(0, 200)],
    ['a corrupt BMP header', new Uint8Array([0x42, 0x4d, 1, 2, 3, 4, 5, 6, 7, 8])],
  ])('%s is AIS.0102', async (_, bytes) => {
    expect(await codeOf(engine.recognize(bytes))).toBe('AIS.0102');
  });

  test('an image over the pixel cap is AIS.0103', async () => {
    const small = createEngine({ maxPixels: 1000 });
    expect(await codeOf(small.recognize(fixture('english-line')))).toBe('AIS.0103');
    await small.close();
  });

  test('an aborted signal is OCRKIT_ABORTED, a closed engine OCRKIT_ENGINE_CLOSED', async () => {
    expect(await codeOf(engine.recognize(fixture('english-line'), { signal: AbortSignal.abort() }))).toBe(
      'OCRKIT_ABORTED',
    );
    const closed = createEngine();
    await closed.close();
    expect(await codeOf(closed.recognize(fixture('english-line')))).toBe('OCRKIT_ENGINE_CLOSED');
  });

  // Terminating a worker inside ONNX Runtime aborted the whole process (SIGABRT): close() waits for the
  // running model load or run to end.
  test('close() while the models load, or while a page is read, fails those calls and nothing else', async () => {
    const loading = createEngine();
    const ready = loading.ready().then(
      () => 'loaded',
      (error: EngineError) => error.code,
    );
    await loading.close();
    expect(['loaded', 'OCRKIT_ENGINE_CLOSED']).toContain(await ready);
    const reading = createEngine();
    await reading.ready();
    const page = codeOf(reading.recognize(fixture('page')));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await reading.close();
    expect(await page).toBe('OCRKIT_ENGINE_CLOSED');
  });

  test('bad options are RangeErrors', () => {
    expect(() => createEngine({ threads: 0 })).toThrow(RangeError);
    expect(() => createEngine({ detectMaxSidePx: 1.5 })).toThrow(RangeError);
  });
});
