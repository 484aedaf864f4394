import { crc32, deflateSync } from 'node:zlib';

// PNG signature, then chunks of length, type, data and CRC-32 over type and data (ISO/IEC 15948, 5.2-5.4).
const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A valid PNG of `width` x `height` white pixels: 8-bit greyscale, one IDAT, filter type None. */
export function png(width: number, height: number): Uint8Array {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // colour type: greyscale; compression, filter and interlace methods stay 0
  const row = Buffer.alloc(1 + width, 0xff);
  row[0] = 0; // filter type None
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(pixels)), chunk('IEND')]);
}

function chunk(type: string, data: Buffer = Buffer.alloc(0)): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}
