import type { ImageFormat } from './image-header.js';

/** What the service accepts. Seed limits are the default everywhere; `currentLimits` is one option away. */
export interface Limits {
  /** Longest accepted base64 string (the `image` field), in bytes. */
  readonly maxBase64Bytes: number;
  /** Shortest accepted side, in pixels. */
  readonly minSidePx: number;
  /** Longest accepted side, in pixels. */
  readonly maxSidePx: number;
  /** Most accepted pixels (width x height). */
  readonly maxPixels: number;
  /** Accepted image formats. */
  readonly formats: readonly ImageFormat[];
}

/**
 * The seed specification: base64 <= 10 MB, sides 15..4096 px, JPEG/PNG/BMP/TIFF
 * (seed/general-text-api.zh.txt, field `image`).
 */
export const seedLimits: Limits = Object.freeze({
  maxBase64Bytes: 10 * 1024 * 1024,
  minSidePx: 15,
  maxSidePx: 4096,
  maxPixels: 4096 * 4096,
  formats: Object.freeze(['jpeg', 'png', 'bmp', 'tiff'] as const),
});

/**
 * The newer service: sides 15..30000 px and <= 160 M pixels; also GIF, WEBP, PCX, ICO, PSD and PDF
 * (the vendor's current SDK models and docs, restated in API.md).
 */
export const currentLimits: Limits = Object.freeze({
  maxBase64Bytes: 10 * 1024 * 1024,
  minSidePx: 15,
  maxSidePx: 30000,
  maxPixels: 160_000_000,
  formats: Object.freeze(['jpeg', 'png', 'bmp', 'tiff', 'gif', 'webp', 'pcx', 'ico', 'psd', 'pdf'] as const),
});

export type LimitsPreset = 'seed' | 'current';

/** The limits named by `preset`, or `limits` itself when given an object. */
export function resolveLimits(limits: LimitsPreset | Limits | undefined): Limits {
  if (limits === undefined || limits === 'seed') return seedLimits;
  if (limits === 'current') return currentLimits;
  if (typeof limits === 'object' && limits !== null) return limits;
  throw new TypeError(`Unknown limits preset ${JSON.stringify(limits)}: use "seed", "current" or a Limits object.`);
}

/** Length of the base64 text of `byteLength` bytes (padded). */
export function base64Length(byteLength: number): number {
  return Math.ceil(byteLength / 3) * 4;
}
