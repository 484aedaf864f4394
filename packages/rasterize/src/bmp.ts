import { decode } from 'bmp-ts';
import type { RawPixels } from './encode.js';
import { RasterizeError } from './errors.js';

/**
 * Decodes a BMP to opaque RGBA (sharp's prebuilt libvips has no BMP loader). The declared size is checked
 * against `maxPixels` before bmp-ts allocates width x height x 4 bytes.
 */
export function decodeBmp(bytes: Uint8Array, maxPixels: number): RawPixels {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // BITMAPINFOHEADER: signed 32-bit width at 18 and height at 22 (negative height = top-down rows).
  const declared = bytes.byteLength >= 26 ? Math.abs(view.getInt32(18, true) * view.getInt32(22, true)) : 0;
  if (declared > maxPixels) {
    throw new RasterizeError('PAGE_TOO_LARGE', `The BMP has ${declared} pixels; at most ${maxPixels} are decoded.`, {
      pageNumber: 1,
    });
  }
  try {
    const bmp = decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { toRGBA: true });
    if (!(bmp.width > 0 && bmp.height > 0)) throw new Error(`its size is ${bmp.width} x ${bmp.height}`);
    const data = bmp.data;
    // bmp-ts leaves alpha at 0 for formats without an alpha channel: those pixels are opaque.
    const hasAlpha = bmp.bitPP === 32 && data.some((value, index) => index % 4 === 3 && value !== 0);
    if (!hasAlpha) for (let i = 3; i < data.length; i += 4) data[i] = 255;
    return {
      pixels: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: bmp.width,
      height: bmp.height,
      channels: 4,
    };
  } catch (error) {
    throw new RasterizeError('IMAGE_INVALID', `The BMP could not be decoded: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
