import { base64Length, type Limits } from '@ocrkit/protocol';
import sharp, { type Sharp } from 'sharp';
import { RasterizeError } from './errors.js';

/** Decoded pixels, row-major without padding; 4 channels are opaque RGBA (alpha ignored). */
export interface RawPixels {
  readonly pixels: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3 | 4;
}

export interface Encoded {
  readonly data: Uint8Array;
  readonly mimeType: 'image/jpeg' | 'image/png';
  /** Image size, padding included. */
  readonly width: number;
  readonly height: number;
  /** Size of the scaled content, padding excluded: the source's pixels were resized to this. */
  readonly contentWidth: number;
  readonly contentHeight: number;
}

export interface EncodeOptions {
  readonly limits: Limits;
  /** Forced format; chosen per page when undefined. */
  readonly format: 'jpeg' | 'png' | undefined;
  readonly pageNumber: number;
}

/**
 * zlib level of PNGs. Level 3 against sharp's 6 (A4 at 300 dpi, sharp 0.35, CPU ms / KB): rendered text
 * pages 33/850 against 53/800 (RGB), a JBIG2 scan 17/258 against 42/211 (gray), vector art 28/481 against
 * 39/393; level 2 is no faster on text and 30% larger on vector art; level 1 is 40% larger on text.
 * Lossless either way: only the byte count changes, far below the API's 10 MB.
 */
const PNG_COMPRESSION_LEVEL = 3;
/** JPEG qualities tried in turn while the image is over the size limit, before it is downscaled. */
const JPEG_QUALITIES = [90, 75, 60] as const;
/** Encoding attempts before giving up (each downscale shrinks by at least 5%). */
const MAX_ATTEMPTS = 12;
const WHITE = { r: 255, g: 255, b: 255, alpha: 1 };

/**
 * Encodes raw pixels as JPEG or PNG within `limits`: sides and pixel count (downscaling), base64 size
 * (lower JPEG quality, then downscaling) and the shortest side (white padding at the right and bottom,
 * which leaves the pixel-to-page transform unchanged). Gray pages are written with one channel.
 */
export async function encodeWithinLimits(raw: RawPixels, options: EncodeOptions): Promise<Encoded> {
  const { limits, pageNumber } = options;
  const gray = isGray(raw);
  const canJpeg = limits.formats.includes('jpeg');
  const canPng = limits.formats.includes('png');
  let [width, height] = fitSides(raw.width, raw.height, limits);
  let quality = 0;
  // Rendered text and vector art (gray, or flat colour) compress losslessly better than JPEG does them;
  // scans and photos do not. A PNG over this many bytes a pixel is retried as JPEG and the smaller kept;
  // the flatness test spares that second encode for gray photos, which go to JPEG at once.
  const pngFirst = canPng && flatness(raw) >= (gray ? FLAT_GRAY_FOR_PNG : FLAT_FOR_PNG);
  const pngBudget = gray ? 1 / 8 : 1 / 4;
  let format: 'jpeg' | 'png' = options.format ?? (pngFirst || !canJpeg ? 'png' : 'jpeg');
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const padRight = Math.max(0, limits.minSidePx - width);
    const padBottom = Math.max(0, limits.minSidePx - height);
    const base = () => pipeline(raw, gray, width, height, padRight, padBottom);
    let data: Buffer;
    if (format === 'png') {
      data = await base().png({ compressionLevel: PNG_COMPRESSION_LEVEL }).toBuffer();
      // A gray photo or halftone compresses worse in PNG than in JPEG: keep the smaller when free to choose.
      if (options.format === undefined && canJpeg && data.byteLength > width * height * pngBudget) {
        const jpeg = await base().jpeg({ quality: JPEG_QUALITIES[0] }).toBuffer();
        if (jpeg.byteLength < data.byteLength) {
          data = jpeg;
          format = 'jpeg';
        }
      }
    } else {
      data = await base()
        .jpeg({ quality: JPEG_QUALITIES[quality] ?? 60 })
        .toBuffer();
    }
    const encodedBytes = base64Length(data.byteLength);
    if (encodedBytes <= limits.maxBase64Bytes) {
      return {
        data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
        mimeType: format === 'png' ? 'image/png' : 'image/jpeg',
        width: width + padRight,
        height: height + padBottom,
        contentWidth: width,
        contentHeight: height,
      };
    }
    if (format === 'png' && options.format === undefined && canJpeg) {
      format = 'jpeg';
    } else if (format === 'jpeg' && quality < JPEG_QUALITIES.length - 1) {
      quality++;
    } else {
      // Bytes grow about linearly with pixels: aim a little under the limit.
      const factor = Math.min(0.95, Math.sqrt(limits.maxBase64Bytes / encodedBytes) * 0.95);
      width = Math.max(1, Math.floor(width * factor));
      height = Math.max(1, Math.floor(height * factor));
    }
  }
  throw new RasterizeError(
    'PAGE_TOO_LARGE',
    `Page ${pageNumber} does not encode within ${limits.maxBase64Bytes} base64 bytes even downscaled; ` +
      'raise limits.maxBase64Bytes.',
    { pageNumber },
  );
}

/** Share of sampled pixels equal to their left neighbour from which a colour page is tried as PNG first. */
const FLAT_FOR_PNG = 0.9;
/**
 * The same for a gray page. Rendered and scanned text pages of the corpora sample 0.93-1.0; a gray photo
 * or halftone is far below (most neighbours differ), and its PNG is larger than its JPEG.
 */
const FLAT_GRAY_FOR_PNG = 0.5;
/** Rows sampled for flatness: every 8th (a text line is 30+ rows at 300 dpi). */
const FLAT_ROW_STEP = 8;

/** Share of pixels, on sampled rows, identical to the pixel on their left. */
export function flatness(raw: RawPixels): number {
  const { pixels, width, height, channels } = raw;
  let same = 0;
  let total = 0;
  for (let y = 0; y < height; y += FLAT_ROW_STEP) {
    const row = y * width * channels;
    for (let x = 1; x < width; x++) {
      const at = row + x * channels;
      total++;
      if (
        pixels[at] === pixels[at - channels] &&
        pixels[at + 1] === pixels[at + 1 - channels] &&
        pixels[at + 2] === pixels[at + 2 - channels]
      ) {
        same++;
      }
    }
  }
  return total === 0 ? 1 : same / total;
}

/** Whether every pixel has R = G = B (then one channel holds the page exactly). */
export function isGray(raw: RawPixels): boolean {
  if (raw.channels === 1) return true;
  const { pixels, channels } = raw;
  for (let i = 0; i < pixels.length; i += channels) {
    const r = pixels[i];
    if (pixels[i + 1] !== r || pixels[i + 2] !== r) return false;
  }
  return true;
}

/** The largest size of the same aspect within the limits' longest side and pixel count. */
function fitSides(width: number, height: number, limits: Limits): [number, number] {
  const factor = Math.min(
    1,
    limits.maxSidePx / Math.max(width, height),
    Math.sqrt(limits.maxPixels / (width * height)),
  );
  if (factor >= 1) return [width, height];
  let w = Math.max(1, Math.floor(width * factor));
  let h = Math.max(1, Math.floor(height * factor));
  while (w * h > limits.maxPixels) {
    w = Math.max(1, w - 1);
    h = Math.max(1, Math.floor((w * height) / width));
  }
  return [w, h];
}

function pipeline(raw: RawPixels, gray: boolean, width: number, height: number, right: number, bottom: number): Sharp {
  let image = sharp(raw.pixels, { raw: { width: raw.width, height: raw.height, channels: raw.channels } });
  if (gray && raw.channels > 1) image = image.extractChannel(0);
  else if (raw.channels === 4) image = image.removeAlpha();
  if (width !== raw.width || height !== raw.height) image = image.resize(width, height, { fit: 'fill' });
  if (right > 0 || bottom > 0) image = image.extend({ right, bottom, background: WHITE });
  return image;
}
