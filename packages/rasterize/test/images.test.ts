import sharp from 'sharp';
import { describe, expect, test } from 'vitest';
import { pageCount, type RasterizeError, rasterize } from '../src/index.js';
import { centroid, collect, decode, fixture, isBlack, isBlue, isRed, mappedCorners } from './helpers.js';

// multipage.tif as make-fixtures.ts wrote it: each page's size, resolution and number of black bars.
const tiffPages = [
  { width: 200, height: 300, dpi: 100, bars: 1 },
  { width: 320, height: 120, dpi: 150, bars: 2 },
  { width: 90, height: 60, dpi: 72, bars: 3 },
];

/** Black bars crossing the image's middle column, counted top-down. */
async function bars(image: Parameters<typeof decode>[0]): Promise<number> {
  const pixels = await decode(image);
  let count = 0;
  let inBar = false;
  for (let y = 0; y < pixels.height; y++) {
    const black = isBlack(pixels.rgb(Math.floor(pixels.width / 2), y));
    if (black && !inBar) count++;
    inBar = black;
  }
  return count;
}

describe('TIFF', () => {
  test('every page of a multi-page TIFF, each at its own size and resolution', async () => {
    expect(await pageCount(fixture('multipage.tif'))).toBe(3);
    const { images } = await collect(rasterize(fixture('multipage.tif')));
    expect(images.map((image) => [image.pageNumber, image.width, image.height, image.dpi])).toEqual(
      tiffPages.map((page, i) => [i + 1, page.width, page.height, page.dpi]),
    );
    for (const [i, image] of images.entries()) {
      const page = tiffPages[i] as (typeof tiffPages)[0];
      expect(await bars(image)).toBe(page.bars);
      // The page of the image: width * 72 / dpi points, y up.
      expect(mappedCorners(image, image.width, image.height, 3)).toEqual([
        [0, 0],
        [0, (page.height * 72) / page.dpi],
        [(page.width * 72) / page.dpi, 0],
        [(page.width * 72) / page.dpi, (page.height * 72) / page.dpi],
      ]);
    }
  });

  test('pages picks TIFF pages in the order given; one past the end is PAGE_OUT_OF_RANGE', async () => {
    const { images } = await collect(rasterize(fixture('multipage.tif'), { pages: [3, 1] }));
    expect(await Promise.all(images.map(bars))).toEqual([3, 1]);
    await expect(collect(rasterize(fixture('multipage.tif'), { pages: [4] }))).rejects.toMatchObject({
      code: 'PAGE_OUT_OF_RANGE',
      pageNumber: 4,
    });
  });
});

describe('other images', () => {
  test('EXIF orientation is applied: the stored top-left block shows at the top-right', async () => {
    const { images } = await collect(rasterize(fixture('exif-rotated.jpg')));
    const [image] = images;
    if (!image) throw new Error('no image');
    expect([image.width, image.height, image.dpi]).toEqual([40, 60, 200]);
    const red = centroid(await decode(image), isRed);
    if (!red) throw new Error('block not found');
    expect(red[0]).toBeGreaterThan(30);
    expect(red[1]).toBeLessThan(10);
  });

  test('BMP decodes (blue block at the top-left)', async () => {
    const { images } = await collect(rasterize(fixture('block.bmp')));
    const [image] = images;
    if (!image) throw new Error('no image');
    expect([image.width, image.height]).toEqual([50, 30]);
    const blue = centroid(await decode(image), isBlue);
    expect(blue?.map(Math.round)).toEqual([4, 4]);
  });

  test.each(['alpha.png', 'block.gif', 'block.webp'])('%s is flattened on white into a PNG or JPEG', async (name) => {
    const { images } = await collect(rasterize(fixture(name)));
    const [image] = images;
    if (!image) throw new Error('no image');
    expect(['image/png', 'image/jpeg']).toContain(image.mimeType);
    const pixels = await decode(image);
    expect(pixels.rgb(30, 25)).toEqual([255, 255, 255]);
    expect(isBlack(pixels.rgb(10, 10))).toBe(true);
  });

  test('a JPEG that already fits is passed through byte for byte', async () => {
    const input = fixture('plain.jpg');
    const { images } = await collect(rasterize(input));
    expect(images[0]?.data).toEqual(input);
    expect(images[0]?.mimeType).toBe('image/jpeg');
  });

  test('an image over the longest side is downscaled, its transform still spanning the image page', async () => {
    const input = await sharp({ create: { width: 5000, height: 1000, channels: 3, background: '#808080' } })
      .png()
      .withMetadata({ density: 300 })
      .toBuffer();
    const { images } = await collect(rasterize(input));
    const [image] = images;
    if (!image) throw new Error('no image');
    expect([image.width, image.height]).toEqual([4096, 819]);
    expect(image.dpi).toBeCloseTo((300 * 4096) / 5000, 6);
    // 5000 x 1000 px at 300 dpi: 1200 x 240 pt.
    expect(mappedCorners(image, image.width, image.height)).toEqual([
      [0, 0],
      [0, 240],
      [1200, 0],
      [1200, 240],
    ]);
  });

  test('an image far too long to downscale readably is tiled', async () => {
    const input = await sharp({ create: { width: 300, height: 20000, channels: 3, background: '#ffffff' } })
      .png()
      .toBuffer();
    const { images } = await collect(rasterize(input));
    // 300 x 20000 px (taken as 300 dpi) fits one image only at 61 dpi; tiles keep the readable 100 dpi.
    expect(images.map((image) => [image.dpi, image.width, image.tile?.index, image.tile?.count])).toEqual([
      [100, 100, 0, 2],
      [100, 100, 1, 2],
    ]);
    const last = images[1]?.tile;
    expect(last && last.top + last.tileHeight).toBe(6667);
  });

  test('bytes that are no image are IMAGE_INVALID', async () => {
    const garbage = new TextEncoder().encode('hello, this is not an image at all');
    const error: RasterizeError = await collect(rasterize(garbage)).then(
      () => {
        throw new Error('expected a rejection');
      },
      (e: RasterizeError) => e,
    );
    expect(error.code).toBe('IMAGE_INVALID');
    await expect(pageCount(garbage)).rejects.toMatchObject({ code: 'IMAGE_INVALID' });
  });

  test('a damaged TIFF fails page by page as IMAGE_INVALID', async () => {
    // Cut inside page 2's pixels: the directory chain to page 3 is gone, which libvips reports on every page.
    const { images, failures } = await collect(rasterize(fixture('multipage.tif').slice(0, 100_000)));
    expect(images).toEqual([]);
    expect(failures.map((failure) => [failure.pageNumber, failure.error.code])).toEqual([
      [1, 'IMAGE_INVALID'],
      [2, 'IMAGE_INVALID'],
    ]);
    expect(failures[0]?.error.message).toMatch(/^Image page 1 could not be decoded: [^\n]+$/);
  });
});

describe('Netpbm (what scanimage writes)', () => {
  // A 24 x 20 image: left half black, right half white; in RGB the black half is red instead.
  const width = 24;
  const height = 20;
  const dark = (x: number) => x < width / 2;
  const encoder = new TextEncoder();
  const withHeader = (header: string, samples: Uint8Array) => {
    const head = encoder.encode(header);
    const bytes = new Uint8Array(head.length + samples.length);
    bytes.set(head);
    bytes.set(samples, head.length);
    return bytes;
  };
  const grid = <T>(sample: (x: number, y: number) => T[]) =>
    Array.from({ length: height }, (_, y) => Array.from({ length: width }, (_, x) => sample(x, y)).flat()).flat();

  const rawBitmap = () => {
    const rowBytes = Math.ceil(width / 8);
    const samples = new Uint8Array(rowBytes * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++)
        if (dark(x)) samples[y * rowBytes + (x >> 3)] = (samples[y * rowBytes + (x >> 3)] ?? 0) | (0x80 >> (x & 7));
    }
    return withHeader(`P4\n# a comment\n${width} ${height}\n`, samples);
  };
  const sixteenBit = () => {
    const samples = new Uint8Array(grid((x) => (dark(x) ? [0, 0] : [0xff, 0xff])));
    return withHeader(`P5 ${width} ${height} 65535\n`, samples);
  };

  test.each([
    ['P4 raw bitmap', rawBitmap],
    ['P5 raw gray, 16-bit samples', sixteenBit],
    [
      'P5 raw gray',
      () => withHeader(`P5\n${width} ${height}\n255\n`, new Uint8Array(grid((x) => [dark(x) ? 0 : 255]))),
    ],
    [
      'P1 plain bitmap',
      () => encoder.encode(`P1\n${width} ${height}\n${grid((x) => [dark(x) ? '1' : '0']).join('')}\n`),
    ],
    ['P2 plain gray', () => encoder.encode(`P2 ${width} ${height} 15\n${grid((x) => [dark(x) ? 0 : 15]).join(' ')}\n`)],
  ])('%s decodes: black left half, white right half', async (_, make) => {
    const { images } = await collect(rasterize(make()));
    const [image] = images;
    if (!image) throw new Error('no image');
    expect([image.width, image.height, image.mimeType]).toEqual([width, height, 'image/png']);
    const pixels = await decode(image);
    expect(isBlack(pixels.rgb(2, 5))).toBe(true);
    expect(pixels.rgb(width - 3, 5)).toEqual([255, 255, 255]);
  });

  test('P6 and P3 colour decode (red left half)', async () => {
    const red = grid((x) => (dark(x) ? [255, 0, 0] : [255, 255, 255]));
    for (const bytes of [
      withHeader(`P6\n${width} ${height}\n255\n`, new Uint8Array(red)),
      encoder.encode(`P3\n${width} ${height}\n255\n${red.join(' ')}\n`),
    ]) {
      const [image] = (await collect(rasterize(bytes))).images;
      if (!image) throw new Error('no image');
      expect(isRed((await decode(image)).rgb(2, 5))).toBe(true);
      expect(await pageCount(bytes)).toBe(1);
    }
  });

  test('cut short or malformed is IMAGE_INVALID; a declared size over the pixel cap is PAGE_TOO_LARGE', async () => {
    const failure = (bytes: Uint8Array) =>
      collect(rasterize(bytes)).then(
        () => 'no error',
        (error: RasterizeError) => `${error.code}: ${error.message}`,
      );
    expect(await failure(rawBitmap().subarray(0, 20))).toBe(
      'IMAGE_INVALID: The Netpbm image could not be decoded: its pixel data is cut short.',
    );
    expect(await failure(encoder.encode('P5\n# no size\n'))).toBe(
      'IMAGE_INVALID: The Netpbm image could not be decoded: its width is missing.',
    );
    expect(await failure(encoder.encode('P6 100000 100000 255\n'))).toMatch(
      /^PAGE_TOO_LARGE: The image has 10000000000 pixels/,
    );
  });
});
