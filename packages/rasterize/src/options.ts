import { availableParallelism } from 'node:os';
import { type Limits, resolveLimits } from '@ocrkit/protocol';
import type { RasterizeOptions } from './types.js';

/** Every option with its default applied and checked. */
export interface Settings {
  readonly dpi: number;
  readonly minDpi: number;
  readonly maxTiles: number;
  readonly pages: readonly number[] | undefined;
  readonly password: string | undefined;
  readonly limits: Limits;
  readonly format: 'jpeg' | 'png' | undefined;
  readonly imageDpi: number | undefined;
  readonly maxCanvasPixels: number;
  readonly pageTimeoutMs: number;
  readonly renderThreads: number;
  readonly signal: AbortSignal | undefined;
}

/** Options with defaults applied; TypeError/RangeError for a wrong value (a programmer error). */
export function settings(options: RasterizeOptions = {}): Settings {
  const limits = resolveLimits(options.limits);
  if (!limits.formats.includes('jpeg') && !limits.formats.includes('png')) {
    throw new RangeError(`limits.formats is [${limits.formats.join(', ')}]; rasterize writes JPEG or PNG only.`);
  }
  const format = options.format;
  if (format !== undefined && format !== 'jpeg' && format !== 'png') {
    throw new TypeError(`format must be "jpeg" or "png", got ${JSON.stringify(format)}.`);
  }
  if (format !== undefined && !limits.formats.includes(format)) {
    throw new RangeError(`format "${format}" is not accepted by the limits (${limits.formats.join(', ')}).`);
  }
  const pages = options.pages;
  if (pages !== undefined) {
    if (!Array.isArray(pages)) throw new TypeError('pages must be an array of 1-based page numbers, e.g. [1, 3].');
    for (const page of pages) {
      if (!Number.isSafeInteger(page) || page < 1) {
        throw new RangeError(`pages holds ${String(page)}; page numbers are integers from 1.`);
      }
    }
  }
  return {
    dpi: positive('dpi', options.dpi ?? 300, 10_000),
    minDpi: positive('minDpi', options.minDpi ?? 100, 10_000),
    maxTiles: integer('maxTiles', options.maxTiles ?? 8),
    pages,
    password: options.password,
    limits,
    format,
    imageDpi: options.imageDpi === undefined ? undefined : positive('imageDpi', options.imageDpi, 100_000),
    maxCanvasPixels: integer('maxCanvasPixels', options.maxCanvasPixels ?? 40_000_000),
    pageTimeoutMs: positive('pageTimeoutMs', options.pageTimeoutMs ?? 60_000, 2 ** 31 - 1),
    renderThreads: integer('renderThreads', options.renderThreads ?? defaultRenderThreads()),
    signal: options.signal,
  };
}

/**
 * Two render threads where they leave a core to the calling thread, which encodes (and, in a pipeline, often
 * recognises): on two shared cores a second renderer measured no faster, for ~100-200 MB more (bench/pages.ts).
 */
function defaultRenderThreads(): number {
  return Math.max(1, Math.min(2, availableParallelism() - 1));
}

function positive(name: string, value: number, max: number): number {
  if (typeof value !== 'number' || !(value > 0 && value <= max)) {
    throw new RangeError(`${name} must be a number in (0, ${max}], got ${String(value)}.`);
  }
  return value;
}

function integer(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be an integer >= 1, got ${String(value)}.`);
  }
  return value;
}
