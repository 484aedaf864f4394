import type { Transform } from './transform.js';
import type { TileInfo } from './types.js';
/**
 * How big to render a page: one image at the requested resolution when it fits the limits, one image at
 * a lower resolution while that stays readable, or overlapping tiles. Pure arithmetic on the page size.
 */

export interface PlanRequest {
  /** The page as displayed (after /Rotate), in points of 1/72 inch (/UserUnit applied). */
  readonly widthPt: number;
  readonly heightPt: number;
  /** Wanted resolution, pixels per inch. */
  readonly dpi: number;
  /** Lowest resolution that still reads; below it the page is tiled. */
  readonly readableDpi: number;
  readonly maxTiles: number;
  /** Longest side and most pixels of one image (limits and canvas cap combined). */
  readonly maxSidePx: number;
  readonly maxPixels: number;
}

export interface TileRect {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

export interface Plan {
  readonly dpi: number;
  /** The whole page in pixels at `dpi`. */
  readonly width: number;
  readonly height: number;
  readonly columns: number;
  readonly rows: number;
  /** Row by row; a single `{0, 0, width, height}` when the page is not tiled. */
  readonly tiles: readonly TileRect[];
}

/** Below this a page is not worth rendering: its pixels would each cover more than an inch. */
const MIN_DPI = 1;

/** The plan for one page, or undefined when the page fits no plan (it is over ~4000 inches long). */
export function planPage(request: PlanRequest): Plan | undefined {
  const { widthPt, heightPt, maxSidePx, maxPixels } = request;
  const fit = fitDpi(widthPt, heightPt, maxSidePx, maxPixels);
  if (request.dpi <= fit) return single(request, request.dpi);
  const readable = Math.min(request.dpi, request.readableDpi);
  if (fit >= readable) return single(request, fit);
  // Tiles at the readable resolution, or fewer, coarser tiles for a page too big for `maxTiles` of them
  // (a poster or a map: its lettering is large). 0.9 steps keep the search short and the result near the best.
  for (let dpi = readable; dpi > fit && dpi >= MIN_DPI; dpi *= 0.9) {
    const grid = layout(request, dpi);
    if (grid.across.count * grid.down.count <= request.maxTiles) return tiled(grid);
  }
  return fit >= MIN_DPI ? single(request, fit) : undefined;
}

/** The highest resolution at which the whole page fits one image. */
export function fitDpi(widthPt: number, heightPt: number, maxSidePx: number, maxPixels: number): number {
  const inchesW = widthPt / 72;
  const inchesH = heightPt / 72;
  let dpi = Math.min(maxSidePx / Math.max(inchesW, inchesH), Math.sqrt(maxPixels / (inchesW * inchesH)));
  // Rounding to whole pixels may overshoot by one; step down until it does not.
  for (let i = 0; i < 8; i++) {
    const w = pixels(widthPt, dpi);
    const h = pixels(heightPt, dpi);
    if (Math.max(w, h) <= maxSidePx && w * h <= maxPixels) break;
    dpi *= 1 - 1e-4;
  }
  return dpi;
}

/** A length in points as whole pixels at `dpi`, at least 1. */
export function pixels(pt: number, dpi: number): number {
  return Math.max(1, Math.round((pt * dpi) / 72));
}

function single(request: PlanRequest, dpi: number): Plan {
  const width = pixels(request.widthPt, dpi);
  const height = pixels(request.heightPt, dpi);
  return { dpi, width, height, columns: 1, rows: 1, tiles: [{ left: 0, top: 0, width, height }] };
}

interface Spans {
  readonly count: number;
  readonly size: number;
  readonly step: number;
}

interface Grid {
  readonly dpi: number;
  readonly width: number;
  readonly height: number;
  readonly across: Spans;
  readonly down: Spans;
}

/** How tiles would cut the page at `dpi`, counted before any tile is listed (a huge page needs millions). */
function layout(request: PlanRequest, dpi: number): Grid {
  const width = pixels(request.widthPt, dpi);
  const height = pixels(request.heightPt, dpi);
  const side = Math.min(request.maxSidePx, Math.floor(Math.sqrt(request.maxPixels)));
  // One inch of overlap holds a whole line of ordinary text and most words, so every word is whole in at
  // least one tile; a quarter of the tile at most, so tiles still advance.
  const overlap = Math.min(Math.round(dpi), Math.floor(side / 4));
  const across = spans(width, width <= request.maxSidePx ? width : side, overlap);
  const downMax = Math.min(request.maxSidePx, Math.floor(request.maxPixels / across.size));
  return { dpi, width, height, across, down: spans(height, downMax, overlap) };
}

function tiled({ dpi, width, height, across, down }: Grid): Plan {
  const tiles: TileRect[] = [];
  for (let row = 0; row < down.count; row++) {
    for (let column = 0; column < across.count; column++) {
      tiles.push({
        left: Math.round(column * across.step),
        top: Math.round(row * down.step),
        width: across.size,
        height: down.size,
      });
    }
  }
  return { dpi, width, height, columns: across.count, rows: down.count, tiles };
}

/** `length` pixels covered by equal spans of at most `max`, overlapping by at least `overlap`, evenly spread. */
function spans(length: number, max: number, overlap: number): Spans {
  if (length <= max) return { count: 1, size: length, step: 0 };
  const count = Math.ceil((length - overlap) / (max - overlap));
  const size = Math.min(max, Math.ceil((length + (count - 1) * overlap) / count));
  return { count, size, step: (length - size) / (count - 1) };
}

/** Where tile `index` of `plan` sits in its page, or undefined when the page is one image. */
export function tileInfo(plan: Plan, index: number, pageTransform: Transform): TileInfo | undefined {
  const rect = plan.tiles[index];
  if (plan.tiles.length === 1 || !rect) return undefined;
  return {
    index,
    count: plan.tiles.length,
    columns: plan.columns,
    rows: plan.rows,
    left: rect.left,
    top: rect.top,
    tileWidth: rect.width,
    tileHeight: rect.height,
    pageWidth: plan.width,
    pageHeight: plan.height,
    pageTransform,
  };
}
