import { type Limits, seedLimits } from '@ocrkit/protocol';
import { describe, expect, test } from 'vitest';
import { applyTransform, pageCount, type RasterizeError, rasterize } from '../src/index.js';
import { centroid, collect, decode, fixture, isRed, mappedCorners, round } from './helpers.js';

/** The error `promise` rejects with (fails the test when it resolves). */
async function rejection(promise: Promise<unknown>): Promise<RasterizeError> {
  try {
    await promise;
  } catch (error) {
    return error as RasterizeError;
  }
  throw new Error('expected a rejection');
}

describe('pageCount', () => {
  test('counts the pages of a PDF', async () => {
    expect(await pageCount(fixture('rotations.pdf'))).toBe(4);
    expect(await pageCount(fixture('tall.pdf'))).toBe(2);
  });

  test('opens an encrypted PDF with its password only', async () => {
    expect(await pageCount(fixture('encrypted.pdf'), { password: 'secret' })).toBe(1);
    expect((await rejection(pageCount(fixture('encrypted.pdf')))).code).toBe('PDF_PASSWORD_REQUIRED');
    expect((await rejection(pageCount(fixture('encrypted.pdf'), { password: 'nope' }))).code).toBe(
      'PDF_PASSWORD_WRONG',
    );
  });

  test('a broken PDF is PDF_INVALID', async () => {
    expect((await rejection(pageCount(fixture('corrupt.pdf')))).code).toBe('PDF_INVALID');
  });
});

describe('encrypted PDFs', () => {
  test('render with the user or the owner password', async () => {
    for (const password of ['secret', 'owner']) {
      const { images } = await collect(rasterize(fixture('encrypted.pdf'), { password, dpi: 72 }));
      expect(images.map((image) => [image.width, image.height])).toEqual([[200, 300]]);
    }
  });

  test('without a password or with a wrong one, the iterator throws a typed error', async () => {
    const missing = await rejection(collect(rasterize(fixture('encrypted.pdf'))));
    expect([missing.code, missing.name]).toEqual(['PDF_PASSWORD_REQUIRED', 'RasterizeError']);
    expect((await rejection(collect(rasterize(fixture('encrypted.pdf'), { password: 'nope' })))).code).toBe(
      'PDF_PASSWORD_WRONG',
    );
  });
});

describe('broken input', () => {
  test('a PDF that does not parse is PDF_INVALID', async () => {
    const error = await rejection(collect(rasterize(fixture('corrupt.pdf'))));
    expect(error.code).toBe('PDF_INVALID');
    expect(error.message).toMatch(/could not be opened/);
  });

  test('a page that fails comes out as a failure between good pages', async () => {
    const { images, failures, order } = await collect(
      rasterize(fixture('damaged-page.pdf'), { pages: [2, 1], dpi: 72 }),
    );
    expect(order).toEqual([2, 1]);
    expect(images.map((image) => image.pageNumber)).toEqual([1]);
    expect(failures.map((failure) => [failure.pageNumber, failure.error.code, failure.error.pageNumber])).toEqual([
      [2, 'PAGE_RENDER_FAILED', 2],
    ]);
    expect(failures[0]?.error.message).toMatch(/^Page 2 /);
  });

  test('a page that renders too long times out alone; the pages after it still come', async () => {
    const started = performance.now();
    const { images, failures } = await collect(rasterize(fixture('slow-page.pdf'), { dpi: 72, pageTimeoutMs: 1500 }));
    expect(images.map((image) => image.pageNumber)).toEqual([1, 3]);
    expect(failures.map((failure) => [failure.pageNumber, failure.error.code])).toEqual([[2, 'PAGE_TIMEOUT']]);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

describe('pages', () => {
  test('come in the order asked for', async () => {
    const { order } = await collect(rasterize(fixture('rotations.pdf'), { pages: [3, 1], dpi: 72 }));
    expect(order).toEqual([3, 1]);
  });

  test('a page the document lacks is PAGE_OUT_OF_RANGE before any page renders', async () => {
    const seen: number[] = [];
    const error = await rejection(
      (async () => {
        for await (const page of rasterize(fixture('rotations.pdf'), { pages: [1, 5], dpi: 72 }))
          seen.push(page.pageNumber);
      })(),
    );
    expect([error.code, error.pageNumber, seen]).toEqual(['PAGE_OUT_OF_RANGE', 5, []]);
    expect(error.message).toMatch(/has 4 pages/);
  });

  test('one or three render threads yield the same images, failures and tiles in the order asked', async () => {
    const run = async (input: Uint8Array, pages: number[], renderThreads: number) => {
      const { images, failures, order } = await collect(rasterize(input, { pages, dpi: 72, renderThreads }));
      return {
        order,
        failures: failures.map((failure) => [failure.pageNumber, failure.error.code]),
        images: images.map((image) => [image.pageNumber, image.tile?.index, image.mimeType, image.data]),
      };
    };
    for (const [name, pages] of [
      ['damaged-page.pdf', [2, 1, 2, 1]],
      ['tall.pdf', [2, 1, 2]],
      ['rotations.pdf', [4, 3, 2, 1, 1]],
    ] as const) {
      const one = await run(fixture(name), [...pages], 1);
      expect(await run(fixture(name), [...pages], 3), name).toEqual(one);
      expect(one.order.length, name).toBeGreaterThanOrEqual(pages.length);
    }
  });

  test('wrong options are programmer errors, thrown at once', () => {
    expect(() => rasterize(fixture('rotations.pdf'), { renderThreads: 0 })).toThrow(RangeError);
    expect(() => rasterize(fixture('rotations.pdf'), { pages: [0] })).toThrow(RangeError);
    expect(() => rasterize(fixture('rotations.pdf'), { dpi: -1 })).toThrow(RangeError);
    expect(() => rasterize('x' as unknown as Uint8Array)).toThrow(TypeError);
  });
});

describe('fitting the limits', () => {
  test('a 14400 pt square page is tiled at a lowered dpi, every tile within the limits', async () => {
    const { images } = await collect(rasterize(fixture('huge.pdf')));
    expect(images.length).toBeGreaterThan(1);
    expect(images.length).toBeLessThanOrEqual(8);
    for (const image of images) {
      expect(image.dpi).toBeLessThan(100);
      expect(Math.max(image.width, image.height)).toBeLessThanOrEqual(seedLimits.maxSidePx);
      expect(image.tile?.count).toBe(images.length);
    }
    // The tiles cover the virtual page image, which is the whole page.
    const tile = images[0]?.tile;
    if (!tile) throw new Error('not tiled');
    const covered = new Set<string>();
    for (const image of images) {
      const t = image.tile;
      if (!t) throw new Error('not tiled');
      expect(t.left + t.tileWidth).toBeLessThanOrEqual(t.pageWidth);
      covered.add(`${t.left},${t.top}`);
      if (t.left + t.tileWidth === t.pageWidth) covered.add('right');
      if (t.top + t.tileHeight === t.pageHeight) covered.add('bottom');
    }
    expect(covered.has('0,0') && covered.has('right') && covered.has('bottom')).toBe(true);
    // Corner to corner, to the nearest whole pixel (one pixel is 72 / dpi pt).
    const pixelPt = 72 / (images[0]?.dpi ?? 1);
    const [right, bottom] = applyTransform(tile.pageTransform, tile.pageWidth, tile.pageHeight);
    expect(round(applyTransform(tile.pageTransform, 0, 0))).toEqual([0, 14400]);
    expect(Math.abs(right - 14400)).toBeLessThanOrEqual(pixelPt / 2);
    expect(Math.abs(bottom)).toBeLessThanOrEqual(pixelPt / 2);
    // The red mark of the top-left tile is where the page has it.
    const first = images[0];
    if (!first) throw new Error('no tile');
    const red = centroid(await decode(first), isRed);
    if (!red) throw new Error('mark not found');
    const [x, y] = applyTransform(first.transform, ...red);
    expect(Math.abs(x - 20)).toBeLessThan(3);
    expect(Math.abs(y - 14380)).toBeLessThan(3);
  });

  test('with tiling limited to one image the huge page comes out whole at about 20 dpi', async () => {
    const { images } = await collect(rasterize(fixture('huge.pdf'), { maxTiles: 1 }));
    expect(images.map((image) => [image.width, image.height, image.tile])).toEqual([[4096, 4096, undefined]]);
    expect(images[0]?.dpi).toBeCloseTo((4096 / 14400) * 72, 1);
  });

  test('a receipt roll is split into overlapping tiles at a readable dpi', async () => {
    const { images } = await collect(rasterize(fixture('tall.pdf'), { pages: [2] }));
    expect(images.map((image) => [image.dpi, image.width, image.tile?.index, image.tile?.count])).toEqual([
      [100, 314, 0, 2],
      [100, 314, 1, 2],
    ]);
    const [a, b] = images.map((image) => image.tile);
    if (!a || !b) throw new Error('not tiled');
    // One inch of overlap.
    expect(a.top + a.tileHeight - b.top).toBeGreaterThanOrEqual(100);
    expect(b.top + b.tileHeight).toBe(b.pageHeight);
  });

  test('a page shorter than the minimum side is padded, not stretched', async () => {
    const { images } = await collect(rasterize(fixture('tiny.pdf')));
    const [image] = images;
    if (!image) throw new Error('no image');
    expect([image.width, image.height, image.dpi]).toEqual([15, 15, 300]);
    // 3 pt at 300 dpi is 12.5 px: the page's corners are at 12.5 px, padding beyond.
    expect(mappedCorners(image, 12.5, 12.5, 3)).toEqual([
      [0, 0],
      [0, 3],
      [3, 0],
      [3, 3],
    ]);
  });

  test('an image over the base64 limit is re-encoded smaller, and its transform follows a downscale', async () => {
    const limits: Limits = { ...seedLimits, maxBase64Bytes: 40_000 };
    const { images } = await collect(rasterize(fixture('formats.pdf'), { pages: [1], limits }), limits);
    const [image] = images;
    if (!image) throw new Error('no image');
    expect(image.mimeType).toBe('image/jpeg');
    expect(image.data.byteLength).toBeLessThanOrEqual(30_000);
    expect(mappedCorners(image)).toEqual([
      [0, 0],
      [0, 300],
      [300, 0],
      [300, 300],
    ]);
    expect(image.dpi).toBeCloseTo((image.width / 300) * 72, 6);
  });
});

describe('format', () => {
  test('by default a photo is JPEG, a gray text page and flat colour art PNG', async () => {
    const { images } = await collect(rasterize(fixture('formats.pdf')));
    expect(images.map((image) => image.mimeType)).toEqual(['image/jpeg', 'image/png', 'image/png']);
  });

  test('a format given is used for every page', async () => {
    for (const format of ['jpeg', 'png'] as const) {
      const { images } = await collect(rasterize(fixture('formats.pdf'), { format, dpi: 100 }));
      expect(images.map((image) => image.mimeType)).toEqual(Array(3).fill(`image/${format}`));
    }
  });
});

describe('abort', () => {
  test('an aborted signal stops the iterator with ABORTED', async () => {
    const error = await rejection(collect(rasterize(fixture('rotations.pdf'), { signal: AbortSignal.abort() })));
    expect(error.code).toBe('ABORTED');
  });

  test('aborting between pages stops at once', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const error = await rejection(
      (async () => {
        for await (const page of rasterize(fixture('rotations.pdf'), { dpi: 72, signal: controller.signal })) {
          seen.push(page.pageNumber);
          controller.abort();
        }
      })(),
    );
    expect([error.code, seen]).toEqual(['ABORTED', [1]]);
  });

  test('aborting stops a page in the middle of rendering', async () => {
    const started = performance.now();
    const error = await rejection(
      collect(rasterize(fixture('slow-page.pdf'), { pages: [2], signal: AbortSignal.timeout(300) })),
    );
    expect(error.code).toBe('ABORTED');
    expect(performance.now() - started).toBeLessThan(3000);
  });

  test('leaving the loop early stops the renderer without waiting for the page in flight', async () => {
    const started = performance.now();
    for await (const page of rasterize(fixture('slow-page.pdf'), { dpi: 72 })) {
      expect(page.pageNumber).toBe(1);
      break;
    }
    expect(performance.now() - started).toBeLessThan(3000);
  });
});

describe('pixel memory reused from page to page', () => {
  // Each renderer copies pages into a few shared buffers that the encoder hands back: a buffer handed out
  // again too early, or kept across a change of page size, would show one page's pixels in another.
  test.each([
    ['tall.pdf', [1, 2, 1, 2, 1], 1],
    ['tall.pdf', [1, 2, 1, 2, 1], 2],
    ['rotations.pdf', [1, 2, 3, 4, 2, 1], 1],
    ['rotations.pdf', [1, 2, 3, 4, 2, 1], 2],
  ] as const)('%s pages %j with %i render threads come out as each page alone', async (name, pages, renderThreads) => {
    const alone = new Map<number, Uint8Array[]>();
    for (const page of new Set(pages)) {
      const { images } = await collect(rasterize(fixture(name), { pages: [page], dpi: 72, renderThreads: 1 }));
      alone.set(
        page,
        images.map((image) => image.data),
      );
    }
    const { images, failures } = await collect(rasterize(fixture(name), { pages: [...pages], dpi: 72, renderThreads }));
    expect(failures).toEqual([]);
    expect(images.map((image) => image.data)).toEqual(pages.flatMap((page) => alone.get(page)));
  });
});

test('the input is not consumed: the same bytes rasterize twice', async () => {
  const input = fixture('rotations.pdf');
  const first = await collect(rasterize(input, { pages: [1], dpi: 36 }));
  const second = await collect(rasterize(input, { pages: [1], dpi: 36 }));
  expect(input.byteLength).toBeGreaterThan(0);
  expect(second.images[0]?.data).toEqual(first.images[0]?.data);
});
