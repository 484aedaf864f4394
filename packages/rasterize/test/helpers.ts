import { readFileSync } from 'node:fs';
import { checkImage, type Limits, seedLimits } from '@ocrkit/protocol';
import sharp from 'sharp';
import { expect } from 'vitest';
import { applyTransform, type PageFailure, type PageImage, type RasterizedPage } from '../src/index.js';

export const fixture = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));

/** Everything an iteration yields; every image is checked against `limits` with protocol's own check. */
export async function collect(pages: AsyncIterable<RasterizedPage>, limits: Limits = seedLimits) {
  const images: PageImage[] = [];
  const failures: PageFailure[] = [];
  const order: number[] = [];
  for await (const page of pages) {
    order.push(page.pageNumber);
    if ('error' in page) {
      failures.push(page);
      continue;
    }
    const checked = checkImage(page.data, limits);
    expect(checked.ok, `page ${page.pageNumber}: ${checked.ok ? '' : checked.error.error_msg}`).toBe(true);
    if (checked.ok && checked.value.format !== 'pdf') {
      expect([checked.value.width, checked.value.height]).toEqual([page.width, page.height]);
    }
    images.push(page);
  }
  return { images, failures, order };
}

export interface Decoded {
  readonly width: number;
  readonly height: number;
  rgb(x: number, y: number): [number, number, number];
}

export async function decode(image: PageImage): Promise<Decoded> {
  const { data, info } = await sharp(image.data).raw().toBuffer({ resolveWithObject: true });
  const channels = info.channels;
  return {
    width: info.width,
    height: info.height,
    rgb(x, y) {
      const at = (y * info.width + x) * channels;
      const r = data[at] ?? 0;
      return channels < 3 ? [r, r, r] : [r, data[at + 1] ?? 0, data[at + 2] ?? 0];
    },
  };
}

/** Centre (in continuous pixel coordinates) of the pixels `match` accepts, or undefined when none. */
export function centroid(
  image: Decoded,
  match: (rgb: [number, number, number]) => boolean,
): [number, number] | undefined {
  let sumX = 0;
  let sumY = 0;
  let count = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (!match(image.rgb(x, y))) continue;
      sumX += x + 0.5;
      sumY += y + 0.5;
      count++;
    }
  }
  return count === 0 ? undefined : [sumX / count, sumY / count];
}

export const isRed = ([r, g, b]: [number, number, number]) => r > 180 && g < 90 && b < 90;
export const isBlue = ([r, g, b]: [number, number, number]) => b > 180 && r < 90 && g < 90;
export const isBlack = ([r, g, b]: [number, number, number]) => r < 80 && g < 80 && b < 80;

/** Where the image's corners land on the page, as a sorted list of [x, y] rounded to `digits`. */
export function mappedCorners(image: PageImage, width = image.width, height = image.height, digits = 0) {
  const corners: [number, number][] = [
    [0, 0],
    [width, 0],
    [0, height],
    [width, height],
  ];
  return sortPoints(corners.map(([x, y]) => round(applyTransform(image.transform, x, y), digits)));
}

export function sortPoints(points: readonly [number, number][]): [number, number][] {
  return [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

export function round([x, y]: [number, number], digits = 0): [number, number] {
  const f = 10 ** digits;
  // `+ 0` turns -0 into 0 for toEqual.
  return [Math.round(x * f) / f + 0, Math.round(y * f) / f + 0];
}
