import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { readImageHeader } from '../src/index.js';

const dir = new URL('./fixtures/images/', import.meta.url);
const read = (name: string) => new Uint8Array(readFileSync(new URL(name, dir)));

describe('readImageHeader', () => {
  // Fixture names end in WxH; their formats are given by the writer (sharp, or fixtures/images/make-images.py).
  const expected: Record<string, [format: string, width: number, height: number]> = {
    'red-37x21.jpg': ['jpeg', 37, 21],
    'progressive-exif-37x21.jpg': ['jpeg', 37, 21],
    'red-37x21.png': ['png', 37, 21],
    'wide-4097x15.png': ['png', 4097, 15],
    'thin-100x14.png': ['png', 100, 14],
    'top-down-37x21.bmp': ['bmp', 37, 21],
    'red-37x21-le.tif': ['tiff', 37, 21],
    'gray-37x21-be.tif': ['tiff', 37, 21],
    'red-37x21.gif': ['gif', 37, 21],
    'red-37x21-lossy.webp': ['webp', 37, 21],
    'red-37x21-lossless.webp': ['webp', 37, 21],
    'alpha-37x21-extended.webp': ['webp', 37, 21],
    'gray-37x21.pcx': ['pcx', 37, 21],
    'two-sizes-256.ico': ['ico', 256, 256],
    'rgb-37x21.psd': ['psd', 37, 21],
  };

  test.each(Object.entries(expected))('reads %s', (name, [format, width, height]) => {
    expect(readImageHeader(read(name))).toEqual({ format, width, height });
  });

  test('every committed image fixture has an expectation', () => {
    const names = readdirSync(dir).filter((name) => !/\.(pdf|py)$/.test(name));
    expect(names.sort()).toEqual(Object.keys(expected).sort());
  });

  test('knows a PDF without a size', () => {
    expect(readImageHeader(read('one-page.pdf'))).toEqual({ format: 'pdf' });
  });

  test('reads a header that starts inside a larger buffer', () => {
    const png = read('red-37x21.png');
    const shifted = new Uint8Array(png.length + 7);
    shifted.set(png, 7);
    expect(readImageHeader(shifted.subarray(7))).toEqual({ format: 'png', width: 37, height: 21 });
  });

  test.each(Object.keys(expected))('returns undefined, never throws, for %s cut before its size', (name) => {
    const bytes = read(name);
    for (let length = 0; length < Math.min(bytes.length, 40); length++) {
      const header = readImageHeader(bytes.subarray(0, length));
      // A prefix either is too short to know, or (PNG/GIF/PSD...) already holds the full size.
      if (header !== undefined) expect(header).toEqual(readImageHeader(bytes));
    }
  });

  test('text, JSON and random bytes are no image', () => {
    expect(readImageHeader(new TextEncoder().encode('{"image": "x"}'))).toBeUndefined();
    expect(readImageHeader(new Uint8Array(0))).toBeUndefined();
    let seed = 42;
    for (let i = 0; i < 2000; i++) {
      const bytes = new Uint8Array(64).map(() => {
        seed = (seed * 1103515245 + 12345) >>> 0;
        return seed >>> 24;
      });
      expect(() => readImageHeader(bytes)).not.toThrow();
    }
  });

  test('a JPEG whose scan starts before any frame header has no size', () => {
    expect(readImageHeader(new Uint8Array([0xff, 0xd8, 0xff, 0xda, 0x00, 0x08, 0, 0, 0, 0, 0, 0]))).toBeUndefined();
  });
});
