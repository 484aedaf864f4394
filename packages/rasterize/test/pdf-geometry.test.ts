import { describe, expect, test } from 'vitest';
import { applyTransform, invertTransform, rasterize } from '../src/index.js';
import geometry from './fixtures/geometry.json' with { type: 'json' };
import {
  centroid,
  collect,
  decode,
  fixture,
  isBlack,
  isBlue,
  isRed,
  mappedCorners,
  round,
  sortPoints,
} from './helpers.js';

describe('transform maps image pixels to the page user space', () => {
  for (const spec of geometry.pages) {
    const [x1, y1, x2, y2] = spec.box as [number, number, number, number];

    test(`${spec.file} page ${spec.page} (/Rotate ${spec.rotate})`, async () => {
      const { images } = await collect(rasterize(fixture(spec.file), { pages: [spec.page], dpi: 150 }));
      const [image] = images;
      if (!image) throw new Error('no image');
      expect(image.dpi).toBe(150);
      const turned = spec.rotate === 90 || spec.rotate === 270;
      // The displayed page: width and height swap for a quarter turn.
      expect([image.width, image.height]).toEqual(
        turned
          ? [((y2 - y1) * 150) / 72, ((x2 - x1) * 150) / 72].map(Math.round)
          : [((x2 - x1) * 150) / 72, ((y2 - y1) * 150) / 72].map(Math.round),
      );
      // The image's corners are the box's corners.
      expect(mappedCorners(image)).toEqual(
        sortPoints([
          [x1, y1],
          [x2, y1],
          [x1, y2],
          [x2, y2],
        ]),
      );
      // And the marks found in the pixels land where the content stream drew them (1 pixel = 0.48 pt).
      const pixels = await decode(image);
      const red = centroid(pixels, isRed);
      const blue = centroid(pixels, isBlue);
      if (!red || !blue) throw new Error('marks not found');
      expect(round(applyTransform(image.transform, ...red))).toEqual([x1 + 20, y2 - 20]);
      expect(round(applyTransform(image.transform, ...blue))).toEqual([x2 - 20, y1 + 20]);
      // Where the red mark shows follows /Rotate: top-left unrotated, then turning clockwise.
      const corner = { 0: 'top-left', 90: 'top-right', 180: 'bottom-right', 270: 'bottom-left' }[spec.rotate];
      const seen = `${red[1] < image.height / 2 ? 'top' : 'bottom'}-${red[0] < image.width / 2 ? 'left' : 'right'}`;
      expect(seen).toBe(corner);
    });
  }

  test('content outside the CropBox does not show', async () => {
    const { images } = await collect(rasterize(fixture('cropbox.pdf'), { pages: [1], dpi: 72 }));
    const pixels = await decode(images[0] as (typeof images)[0]);
    expect(centroid(pixels, ([r, g, b]) => g > 180 && r < 90 && b < 90)).toBeUndefined();
  });

  test('a filled-in form field shows: its widget appearance is drawn where /Rect puts it', async () => {
    const { images } = await collect(rasterize(fixture('form-field.pdf'), { dpi: 72 }));
    const [image] = images;
    if (!image) throw new Error('no image');
    const pixels = await decode(image);
    // The appearance is a black bar over /Rect [20 200 180 240]; (30, 205) is bar, clear of its white text.
    const [x, y] = applyTransform(invertTransform(image.transform), 30, 205).map(Math.floor) as [number, number];
    expect(isBlack(pixels.rgb(x, y))).toBe(true);
    expect(isBlack(pixels.rgb(x, y - 50))).toBe(false);
  });

  test('/UserUnit scales the page: 200 x 300 units of 10 pt are 2000 x 3000 pt on paper', async () => {
    const { images } = await collect(rasterize(fixture('tall.pdf'), { pages: [1], dpi: 36, limits: 'current' }));
    const [image] = images;
    if (!image) throw new Error('no image');
    // 2000 pt at 36 dpi = 1000 px; one pixel is 0.2 user units.
    expect([image.width, image.height]).toEqual([1000, 1500]);
    expect(mappedCorners(image)).toEqual([
      [0, 0],
      [0, 300],
      [200, 0],
      [200, 300],
    ]);
  });
});
