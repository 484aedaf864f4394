import type { RawPixels } from './encode.js';
import { RasterizeError } from './errors.js';

// Netpbm (PBM, PGM, PPM: what `scanimage` and many scanner tools write) decoded here: sharp's prebuilt
// libvips has no Netpbm loader, and the npm decoders either draw on a browser canvas or return their own
// pixel types with a dependency tree of their own. The format is a short text header and the samples
// (netpbm.sourceforge.net/doc/pbm.html, pgm.html, ppm.html).

/** Whether `bytes` start like a Netpbm image: "P1" to "P6" and whitespace. */
export function isNetpbm(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && (bytes[1] ?? 0) >= 0x31 && (bytes[1] ?? 0) <= 0x36 && isSpace(bytes[2] ?? 0);
}

/**
 * Decodes a PBM/PGM/PPM (plain or raw) to 8-bit gray or RGB. The declared size is checked against
 * `maxPixels` before any pixel buffer is allocated; a header that does not parse or samples that run
 * short are `IMAGE_INVALID`.
 */
export function decodeNetpbm(bytes: Uint8Array, maxPixels: number): RawPixels {
  const kind = (bytes[1] ?? 0) - 0x30;
  const bitmap = kind === 1 || kind === 4;
  const channels = kind === 3 || kind === 6 ? 3 : 1;
  const header = new HeaderReader(bytes, 2);
  const width = header.integer('width');
  const height = header.integer('height');
  const maxval = bitmap ? 1 : header.integer('maxval');
  if (width < 1 || height < 1) throw invalid(`its size is ${width} x ${height}`);
  if (maxval < 1 || maxval > 65_535) throw invalid(`its maximum sample value is ${maxval}`);
  if (width * height > maxPixels) {
    throw new RasterizeError(
      'PAGE_TOO_LARGE',
      `The image has ${width * height} pixels (${width} x ${height}); at most ${maxPixels} are decoded.`,
      { pageNumber: 1 },
    );
  }
  const pixels = new Uint8Array(width * height * channels);
  if (kind === 4) {
    // Raw bitmap: one bit a pixel, 1 is black, rows padded to whole bytes.
    const start = header.position + 1;
    const rowBytes = Math.ceil(width / 8);
    if (bytes.length < start + rowBytes * height) throw invalid('its pixel data is cut short');
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const bit = ((bytes[start + y * rowBytes + (x >> 3)] as number) >> (7 - (x & 7))) & 1;
        pixels[y * width + x] = bit ? 0 : 255;
      }
    }
  } else if (kind >= 5) {
    // Raw gray or RGB: one byte a sample, two (big-endian) when maxval is over 255.
    const start = header.position + 1;
    const size = maxval > 255 ? 2 : 1;
    if (bytes.length < start + pixels.length * size) throw invalid('its pixel data is cut short');
    for (let i = 0; i < pixels.length; i++) {
      const at = start + i * size;
      const sample = size === 2 ? ((bytes[at] as number) << 8) | (bytes[at + 1] as number) : (bytes[at] as number);
      pixels[i] = Math.round((sample * 255) / maxval);
    }
  } else {
    // Plain (ASCII) samples; a plain bitmap's digits need no space between them.
    for (let i = 0; i < pixels.length; i++) {
      if (bitmap) pixels[i] = header.bit() ? 0 : 255;
      else pixels[i] = Math.round((Math.min(maxval, header.integer('sample')) * 255) / maxval);
    }
  }
  return { pixels, width, height, channels };
}

class HeaderReader {
  readonly #bytes: Uint8Array;
  position: number;

  constructor(bytes: Uint8Array, position: number) {
    this.#bytes = bytes;
    this.position = position;
  }

  /** The next decimal number, after whitespace and `#` comments; `position` is left on the byte after it. */
  integer(name: string): number {
    this.#skip();
    let value = 0;
    let digits = 0;
    while (isDigit(this.#bytes[this.position] ?? -1) && digits < 10) {
      value = value * 10 + ((this.#bytes[this.position] as number) - 0x30);
      this.position++;
      digits++;
    }
    if (digits === 0) throw invalid(`its ${name} is missing`);
    return value;
  }

  /** The next 0 or 1 of a plain bitmap. */
  bit(): number {
    this.#skip();
    const byte = this.#bytes[this.position++];
    if (byte !== 0x30 && byte !== 0x31) throw invalid('its pixel data is cut short');
    return byte - 0x30;
  }

  #skip(): void {
    for (;;) {
      const byte = this.#bytes[this.position];
      if (byte === undefined) return;
      if (byte === 0x23) {
        while (this.position < this.#bytes.length && this.#bytes[this.position] !== 0x0a) this.position++;
      } else if (isSpace(byte)) this.position++;
      else return;
    }
  }
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d || byte === 0x0b || byte === 0x0c;
}

function isDigit(byte: number): boolean {
  return byte >= 0x30 && byte <= 0x39;
}

function invalid(detail: string): RasterizeError {
  return new RasterizeError('IMAGE_INVALID', `The Netpbm image could not be decoded: ${detail}.`);
}
