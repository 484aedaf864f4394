import type { Limits, LimitsPreset } from '@ocrkit/protocol';
import type { RasterizeError } from './errors.js';
import type { Transform } from './transform.js';

/**
 * One rendered page (or one tile of a page too large for a single image), encoded and within the limits.
 *
 * `transform` maps a point of this image, in pixels (origin at the top-left corner of the top-left pixel,
 * x right, y down; pixel centres at +0.5), to the page's PDF user space, in user-space units (points unless
 * the page sets /UserUnit), y up: `[a, b, c, d, e, f]` sends (x, y) to (a*x + c*y + e, b*x + d*y + f).
 * /Rotate, the CropBox and a non-zero MediaBox origin are all inside it. For an image input the "page"
 * is the image placed on a page of `width * 72 / dpi` by `height * 72 / dpi` points, origin bottom-left.
 */
export interface PageImage {
  /** 1-based page of the input (a TIFF's page for a multi-page TIFF; 1 for other images). */
  readonly pageNumber: number;
  /** Pixels, padding included. */
  readonly width: number;
  readonly height: number;
  /** The encoded image. */
  readonly data: Uint8Array;
  readonly mimeType: 'image/jpeg' | 'image/png';
  /** Pixels per inch of the page as rendered (horizontal; vertical differs by at most a rounding pixel). */
  readonly dpi: number;
  /** Image pixels to PDF user space; see the interface's comment. */
  readonly transform: Transform;
  /** Set when the page was split into tiles: this image is one of `tile.count`. */
  readonly tile?: TileInfo;
}

/** Where a tile sits in its page: the page as one virtual image of `pageWidth` x `pageHeight` pixels. */
export interface TileInfo {
  /** 0-based, row by row from the top-left tile. */
  readonly index: number;
  readonly count: number;
  readonly columns: number;
  readonly rows: number;
  /** The tile's top-left corner in the virtual page image, in its pixels. */
  readonly left: number;
  readonly top: number;
  /** The tile's size in the virtual page image (before any downscale of this tile to fit the limits). */
  readonly tileWidth: number;
  readonly tileHeight: number;
  readonly pageWidth: number;
  readonly pageHeight: number;
  /** The virtual page image's pixels to PDF user space, the same convention as `PageImage.transform`. */
  readonly pageTransform: Transform;
}

/** A page that could not be rasterized. Every other page still comes out. */
export interface PageFailure {
  readonly pageNumber: number;
  readonly error: RasterizeError;
}

/** What `rasterize` yields: one `PageImage` per page (one per tile for a tiled page), or the page's failure. */
export type RasterizedPage = PageImage | PageFailure;

export interface RasterizeOptions {
  /**
   * Resolution PDF pages are rendered at, in pixels per inch. Lowered for a page that would not fit
   * the limits. Images keep their own resolution (only ever downscaled).
   * @default 300
   */
  readonly dpi?: number;
  /**
   * The lowest resolution still considered readable. A page that only fits the limits below it is split
   * into overlapping tiles instead. For images it is relative to a 300 dpi scan: an image is tiled only
   * when fitting it would shrink it more than 300 / minDpi times.
   * @default 100
   */
  readonly minDpi?: number;
  /**
   * Most tiles for one page. A page that would need more at `minDpi` is tiled at a lower resolution
   * (its text is poster-sized), down to a single image.
   * @default 8
   */
  readonly maxTiles?: number;
  /** 1-based pages to rasterize, in the order given. @default every page */
  readonly pages?: readonly number[];
  /** Password of an encrypted PDF (user or owner password). @default none */
  readonly password?: string;
  /** Limits every image must satisfy: `'seed'`, `'current'` or a `Limits` object. @default 'seed' */
  readonly limits?: LimitsPreset | Limits;
  /**
   * Output format. By default chosen per page: PNG for gray or bitonal pages when it is smaller than
   * JPEG, JPEG (quality 90) otherwise.
   * @default chosen per page
   */
  readonly format?: 'jpeg' | 'png';
  /**
   * Resolution of image inputs in pixels per inch, for `dpi` and `transform`.
   * @default the file's own resolution (JFIF, EXIF, pHYs, TIFF tags) when it has one, else 300
   */
  readonly imageDpi?: number;
  /**
   * Largest canvas allocated for one render, in pixels, whatever the limits allow (a render costs 4 bytes
   * a pixel). Pages that need more are tiled or rendered at a lower resolution.
   * @default 40_000_000
   */
  readonly maxCanvasPixels?: number;
  /**
   * Time one page may take to render, in milliseconds, opening the document included for the first page.
   * The renderer runs in a worker thread that is stopped on timeout; the page fails with `PAGE_TIMEOUT`.
   * @default 60_000
   */
  readonly pageTimeoutMs?: number;
  /**
   * Worker threads rendering PDF pages side by side, each with its own copy of the document open and one
   * page rendered ahead; the calling thread encodes meanwhile. Each holds up to two pages of pixels (about
   * 35 MB each for A4 at 300 dpi) besides pdf.js's own memory. 1 renders one page while the previous encodes.
   * @default 2 with 3 or more cores, else 1
   */
  readonly renderThreads?: number;
  /** Aborts the work: the iterator throws `ABORTED` and the renderer stops. @default none */
  readonly signal?: AbortSignal;
}

export interface PageCountOptions {
  /** Password of an encrypted PDF. @default none */
  readonly password?: string;
  /** Time allowed to open the document, in milliseconds. @default 60_000 */
  readonly timeoutMs?: number;
  /** @default none */
  readonly signal?: AbortSignal;
}
