import { checkImage, readImageHeader } from '@ocrkit/protocol';
import sharp, { type Metadata, type Sharp, type SharpOptions } from 'sharp';
import { decodeBmp } from './bmp.js';
import type { RawPixels } from './encode.js';
import { abortError, RasterizeError } from './errors.js';
import { decodeNetpbm, isNetpbm } from './netpbm.js';
import type { Settings } from './options.js';
import { selectPages } from './page-selection.js';
import { planPage, tileInfo } from './plan.js';
import type { SourceItem } from './source.js';
import { compose, type Transform, translation } from './transform.js';

/** Resolution assumed for an image that states none: the usual document scan. */
const DEFAULT_IMAGE_DPI = 300;
const WHITE = { r: 255, g: 255, b: 255, alpha: 1 };

/** How sharp should read the input: the bytes, or pixels already decoded (BMP, Netpbm). */
interface Input {
  readonly data: Uint8Array;
  readonly raw?: RawPixels;
}

/**
 * The pages of an image input: every page of a TIFF, the first frame of anything else. Each page is
 * upright (EXIF orientation applied), flattened on white, downscaled or tiled to fit the limits; a JPEG or
 * PNG that already fits is passed through unchanged.
 */
export async function* imageSource(bytes: Uint8Array, settings: Settings): AsyncGenerator<SourceItem> {
  const input = readInput(bytes, settings);
  const first = await metadata(input, 0);
  const count = first.format === 'tiff' ? (first.pages ?? 1) : 1;
  const pages = selectPages(count, settings.pages, 'image');
  for (const pageNumber of pages) {
    if (settings.signal?.aborted) throw abortError(settings.signal);
    try {
      const meta = pageNumber === 1 ? first : await metadata(input, pageNumber - 1);
      yield* imagePage(input, pageNumber, meta, settings);
    } catch (error) {
      if (settings.signal?.aborted) throw abortError(settings.signal);
      yield { kind: 'failure', failure: { pageNumber, error: pageError(error, pageNumber) } };
    }
  }
}

/** Pages in an image: a TIFF's directories, 1 for anything else. */
export async function imagePageCount(bytes: Uint8Array): Promise<number> {
  if (isNetpbm(bytes)) return 1;
  const header = readImageHeader(bytes);
  if (!header || header.format === 'pdf') throw notAnImage();
  if (header.format === 'bmp') return 1;
  const meta = await metadata({ data: bytes }, 0);
  return meta.format === 'tiff' ? (meta.pages ?? 1) : 1;
}

function notAnImage(): RasterizeError {
  return new RasterizeError('IMAGE_INVALID', 'The input is neither a PDF nor an image of a known format.');
}

function readInput(bytes: Uint8Array, settings: Settings): Input {
  const maxPixels = Math.min(2 ** 28, settings.maxCanvasPixels * 8);
  if (isNetpbm(bytes)) return { data: bytes, raw: decodeNetpbm(bytes, maxPixels) };
  const header = readImageHeader(bytes);
  if (!header || header.format === 'pdf') throw notAnImage();
  if (header.format !== 'bmp') return { data: bytes };
  return { data: bytes, raw: decodeBmp(bytes, maxPixels) };
}

function open(input: Input, page: number): Sharp {
  const options: SharpOptions = input.raw
    ? { raw: { width: input.raw.width, height: input.raw.height, channels: input.raw.channels } }
    : { page, failOn: 'error' };
  return sharp(input.raw ? input.raw.pixels : input.data, options);
}

async function metadata(input: Input, page: number): Promise<Metadata> {
  try {
    return await open(input, page).metadata();
  } catch (error) {
    const message = ((error as Error).message ?? '').split('\n')[0];
    throw new RasterizeError('IMAGE_INVALID', `The image could not be read: ${message}`, {
      cause: error,
    });
  }
}

async function* imagePage(
  input: Input,
  pageNumber: number,
  meta: Metadata,
  settings: Settings,
): AsyncGenerator<SourceItem> {
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  const dpi = settings.imageDpi ?? (meta.density !== undefined && meta.density > 0 ? meta.density : DEFAULT_IMAGE_DPI);
  const widthPt = (width * 72) / dpi;
  const heightPt = (height * 72) / dpi;
  const { limits } = settings;
  const plan = planPage({
    widthPt,
    heightPt,
    dpi,
    readableDpi: (dpi * settings.minDpi) / DEFAULT_IMAGE_DPI,
    maxTiles: settings.maxTiles,
    maxSidePx: limits.maxSidePx,
    maxPixels: Math.min(limits.maxPixels, settings.maxCanvasPixels),
  });
  if (!plan) {
    throw new RasterizeError('PAGE_TOO_LARGE', `Image page ${pageNumber} is ${width} x ${height} px: too large.`, {
      pageNumber,
    });
  }
  // The page of the image: `widthPt` x `heightPt` points, origin bottom-left, y up.
  const pageTransform: Transform = [widthPt / plan.width, 0, 0, -heightPt / plan.height, 0, heightPt];
  const planDpi = (plan.width / widthPt) * 72;
  if (plan.tiles.length === 1 && plan.width === width && plan.height === height) {
    const passed = passThrough(input, meta, settings);
    if (passed) {
      yield { kind: 'encoded', pageNumber, ...passed, width, height, transform: pageTransform, dpi: planDpi };
      return;
    }
  }
  for (const [index, rect] of plan.tiles.entries()) {
    let image = open(input, pageNumber - 1)
      .autoOrient()
      .flatten({ background: WHITE })
      .toColourspace('srgb');
    // A resize before extract makes sharp cut the tile from the upright, resized image (its fixed operation
    // order runs an extract given after resize last).
    const tiled = plan.tiles.length > 1;
    if (tiled || plan.width !== width || plan.height !== height) {
      image = image.resize(plan.width, plan.height, { fit: 'fill' });
    }
    if (tiled) image = image.extract(rect);
    const raw = await decode(image, pageNumber);
    yield {
      kind: 'raw',
      pageNumber,
      raw,
      transform: compose(pageTransform, translation(rect.left, rect.top)),
      dpi: planDpi,
      tile: tileInfo(plan, index, pageTransform),
    };
  }
}

/** The input's own bytes when they are already an upright, opaque RGB/gray JPEG or PNG within the limits. */
function passThrough(
  input: Input,
  meta: Metadata,
  settings: Settings,
): { data: Uint8Array; mimeType: 'image/jpeg' | 'image/png' } | undefined {
  if (input.raw || (meta.format !== 'jpeg' && meta.format !== 'png')) return undefined;
  if (settings.format !== undefined && settings.format !== meta.format) return undefined;
  if ((meta.orientation ?? 1) !== 1 || meta.hasAlpha) return undefined;
  if (meta.space !== 'srgb' && meta.space !== 'b-w') return undefined;
  if (!checkImage(input.data, settings.limits).ok) return undefined;
  return { data: input.data, mimeType: meta.format === 'png' ? 'image/png' : 'image/jpeg' };
}

async function decode(image: Sharp, pageNumber: number): Promise<RawPixels> {
  try {
    const { data, info } = await image.removeAlpha().raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 3 && info.channels !== 1) throw new Error(`expected 1 or 3 channels, got ${info.channels}`);
    return {
      pixels: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
      channels: info.channels,
    };
  } catch (error) {
    throw pageError(error, pageNumber);
  }
}

function pageError(error: unknown, pageNumber: number): RasterizeError {
  if (error instanceof RasterizeError) {
    return error.pageNumber === pageNumber
      ? error
      : new RasterizeError(error.code, error.message, { pageNumber, cause: error.cause });
  }
  // libvips appends its whole log to the message: the first line says what failed.
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  if (/pixel limit/i.test(message)) {
    return new RasterizeError('PAGE_TOO_LARGE', `Image page ${pageNumber} has too many pixels to decode: ${message}`, {
      pageNumber,
      cause: error,
    });
  }
  return new RasterizeError('IMAGE_INVALID', `Image page ${pageNumber} could not be decoded: ${message}`, {
    pageNumber,
    cause: error,
  });
}
