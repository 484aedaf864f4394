import { decode as decodeBmp } from 'bmp-ts';
import sharp from 'sharp';
import type { DetectionInput } from './detect.js';
import { EngineError } from './errors.js';

/** Decoded pixels: row-major, `channels` bytes per pixel, no padding. */
export interface RgbImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly channels: 3;
}

/**
 * Decodes any image sharp reads (JPEG, PNG, TIFF's first page, WEBP, GIF...) and BMP (through bmp-ts:
 * sharp's prebuilt libvips has no BMP loader) into upright RGB on white: EXIF orientation applied,
 * transparency flattened. `AIS.0102` for bytes that do not decode, `AIS.0103` for an empty image or one
 * over `maxPixels`.
 */
export async function decodeImage(bytes: Uint8Array, maxPixels: number): Promise<RgbImage> {
  if (bytes.byteLength === 0) throw new EngineError('AIS.0102', 'The image is empty (0 bytes).');
  const source: SharpInput = isBmp(bytes)
    ? bmpToRaw(bytes, maxPixels)
    : { data: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  try {
    const { data, info } = await sharp(source.data, {
      ...(source.raw ? { raw: source.raw } : {}),
      limitInputPixels: maxPixels,
      failOn: 'error',
      pages: 1,
    })
      .rotate()
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`expected 3 channels, got ${info.channels}`);
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
      channels: 3,
    };
  } catch (error) {
    const message = (error as Error).message;
    if (/pixel limit/i.test(message)) {
      throw new EngineError('AIS.0103', `The image has more than ${maxPixels} pixels.`, { cause: error });
    }
    throw new EngineError('AIS.0102', `The image could not be decoded: ${message}`, { cause: error });
  }
}

/** The same image as raw RGB at `width` x `height` (a plain resize, no aspect kept). */
export async function resizeRgb(image: RgbImage, width: number, height: number): Promise<Uint8Array> {
  if (width === image.width && height === image.height) return image.data;
  const data = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(width, height, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer();
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** `image` scaled for the detector: the longest side at most `maxSidePx`, both sides multiples of 32. */
export async function prepareDetection(image: RgbImage, maxSidePx: number): Promise<DetectionInput> {
  const scale = Math.min(1, maxSidePx / Math.max(image.width, image.height));
  // The network downsamples by 32: both sides must be multiples of it.
  const width = Math.max(32, Math.round((image.width * scale) / 32) * 32);
  const height = Math.max(32, Math.round((image.height * scale) / 32) * 32);
  const pixels = await resizeRgb(image, width, height);
  return { pixels, width, height, imageWidth: image.width, imageHeight: image.height };
}

/** The image turned 90 degrees clockwise: pixel (x, y) moves to (height - 1 - y, x). */
export async function turnClockwise(image: RgbImage): Promise<RgbImage> {
  const data = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .rotate(90)
    .raw()
    .toBuffer();
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    width: image.height,
    height: image.width,
    channels: 3,
  };
}

function isBmp(bytes: Uint8Array): boolean {
  return bytes[0] === 0x42 && bytes[1] === 0x4d;
}

interface SharpInput {
  readonly data: Buffer;
  /** Set when `data` is raw RGBA pixels rather than an encoded image. */
  readonly raw?: { width: number; height: number; channels: 4 };
}

function bmpToRaw(bytes: Uint8Array, maxPixels: number): SharpInput {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Check the size from the header before bmp-ts allocates width x height x 4 bytes.
  const declared = bytes.byteLength >= 26 ? Math.abs(view.getInt32(18, true) * view.getInt32(22, true)) : 0;
  if (declared > maxPixels)
    throw new EngineError('AIS.0103', `The BMP has ${declared} pixels; the cap is ${maxPixels}.`);
  try {
    const bmp = decodeBmp(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { toRGBA: true });
    if (!(bmp.width > 0 && bmp.height > 0)) throw new Error(`size ${bmp.width}x${bmp.height}`);
    // bmp-ts leaves alpha 0 for formats without an alpha channel; those pixels are opaque.
    const data = bmp.data;
    const hasAlpha = bmp.bitPP === 32 && data.some((value, index) => index % 4 === 3 && value !== 0);
    if (!hasAlpha) for (let i = 3; i < data.length; i += 4) data[i] = 255;
    return { raw: { width: bmp.width, height: bmp.height, channels: 4 }, data };
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw new EngineError('AIS.0102', `The BMP could not be decoded: ${(error as Error).message}`, { cause: error });
  }
}
