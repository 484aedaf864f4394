import { crc32, deflateSync } from 'node:zlib';

// PNG signature, then chunks of length, type, data and CRC-32 over type and data (ISO/IEC 15948, 5.2-5.4).
const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A valid PNG of `width` x `height` white pixels: 8-bit greyscale, one IDAT, filter type None. */
export function png(width: number, height: number): Uint8Array {
  return encodePng(width, height, () => 0xff);
}

/**
 * A valid PNG of seeded noise: deflate cannot shrink it, so its size is about `width * height` bytes
 * (for tests of byte limits).
 */
export function noisyPng(width: number, height: number, seed = 1): Uint8Array {
  // Park-Miller minimal standard generator: the same bytes on every run.
  let state = seed;
  return encodePng(width, height, () => {
    state = (state * 48271) % 0x7fffffff;
    return state & 0xff;
  });
}

/** A PNG whose header says `width` x `height` but whose IDAT is not zlib data: passes header checks, fails decoding. */
export function corruptPng(width: number, height: number): Uint8Array {
  return Buffer.concat([
    signature,
    chunk('IHDR', ihdr(width, height)),
    chunk('IDAT', Buffer.alloc(64, 0x5a)),
    chunk('IEND'),
  ]);
}

/** A GIF89a logical screen of `width` x `height` with no image (enough for a format check). */
export function gif(width: number, height: number): Uint8Array {
  const screen = Buffer.alloc(13);
  screen.write('GIF89a', 0, 'latin1');
  screen.writeUInt16LE(width, 6);
  screen.writeUInt16LE(height, 8);
  return Buffer.concat([screen, Buffer.from([0x3b])]);
}

/** Base64 of `bytes`, as the `image` field carries it. */
export function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function encodePng(width: number, height: number, pixel: () => number): Uint8Array {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width);
    row[0] = 0; // filter type None
    for (let x = 1; x <= width; x++) row[x] = pixel();
    rows.push(row);
  }
  return Buffer.concat([
    signature,
    chunk('IHDR', ihdr(width, height)),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND'),
  ]);
}

function ihdr(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // colour type: greyscale; compression, filter and interlace methods stay 0
  return header;
}

function chunk(type: string, data: Buffer = Buffer.alloc(0)): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}
