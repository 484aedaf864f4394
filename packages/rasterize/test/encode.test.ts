import { checkImage, seedLimits } from '@ocrkit/protocol';
import sharp from 'sharp';
import { describe, expect, test } from 'vitest';
import { mulberry32 } from '../../../test/support/mulberry32.ts';
import { encodeWithinLimits, type RawPixels } from '../src/encode.js';

/**
 * A page as pdf.js hands it over (opaque RGBA): white, lines of "words" in `ink` with anti-aliased edges,
 * and a coloured rule when `accent` is set. Hundreds of colours, as rendered text has.
 */
function textPage(width: number, height: number, ink: [number, number, number], accent: boolean): RawPixels {
  const next = mulberry32(width * 31 + height);
  const pixels = new Uint8Array(width * height * 4).fill(255);
  for (let top = 20; top + 12 < height; top += 24) {
    for (let left = 10; left + 8 < width; left += 6 + Math.floor(next() * 40)) {
      const wordWidth = 8 + Math.floor(next() * 30);
      for (let y = top; y < top + 12; y++) {
        for (let x = left; x < Math.min(width - 10, left + wordWidth); x++) {
          // Solid strokes with anti-aliased edges: a grey level of its own at every word's left and right.
          const edge = x === left || x === left + wordWidth - 1 || y === top;
          const coverage = edge ? next() : 1;
          const at = (y * width + x) * 4;
          for (let c = 0; c < 3; c++) pixels[at + c] = Math.round(255 - coverage * (255 - (ink[c] as number)));
        }
      }
      left += wordWidth;
    }
  }
  if (accent) {
    for (let y = 4; y < 8; y++) {
      for (let x = 0; x < width; x++) pixels.set([79, 130, 189], (y * width + x) * 4);
    }
  }
  return { pixels, width, height, channels: 4 };
}

describe('PNG encoding', () => {
  test.each([
    ['gray text', [0, 0, 0], false, 1],
    ['near-black CMYK text with a colour rule', [35, 31, 32], true, 3],
  ] as const)('%s decodes to exactly the rendered pixels, within the limits', async (_, ink, accent, channels) => {
    const raw = textPage(600, 800, [...ink], accent);
    const encoded = await encodeWithinLimits(raw, { limits: seedLimits, format: undefined, pageNumber: 1 });
    expect(encoded.mimeType).toBe('image/png');
    expect(checkImage(encoded.data, seedLimits).ok).toBe(true);
    const { data, info } = await sharp(encoded.data).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([600, 800]);
    // Gray pages are written with one channel, others with three: sharp hands them back as written.
    const png = await sharp(encoded.data).metadata();
    expect(png.channels).toBe(channels);
    let differing = 0;
    for (let i = 0, j = 0; i < raw.pixels.length; i += 4, j += info.channels) {
      for (let c = 0; c < 3; c++) {
        if (raw.pixels[i + c] !== data[info.channels === 1 ? j : j + c]) differing++;
      }
    }
    expect(differing).toBe(0);
  });
});
