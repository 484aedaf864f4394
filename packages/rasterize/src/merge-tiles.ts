import type { GeneralTextChar, GeneralTextResult, GeneralTextWordsBlock, Point, Quad } from '@ocrkit/protocol';
import { apply, compose, invert, type Transform } from './transform.js';
import type { PageImage, TileInfo } from './types.js';

/** One tile's image as `rasterize` yielded it, and what a recognizer returned for it. */
export interface TileResult {
  readonly image: PageImage;
  readonly result: GeneralTextResult;
}

/**
 * Overlap ratio (intersection over the smaller box) from which two blocks of different tiles are taken for
 * the same text seen twice.
 */
const SAME_TEXT_OVERLAP = 0.5;

/**
 * One result for a tiled page, in the pixels of the page's virtual image (`tile.pageWidth` x
 * `tile.pageHeight`, mapped to the page by `tile.pageTransform`). Text seen by two tiles in their overlap
 * is kept once: from the tile where it lies farthest from an inner tile edge, so a word cut by one tile's
 * edge gives way to the whole word in its neighbour. A line longer than the overlap that crosses a tile
 * edge comes out as two pieces. `markdown_result` is not merged. A single untiled image returns its
 * result unchanged.
 */
export function mergeTileResults(tiles: readonly TileResult[]): GeneralTextResult {
  const first = tiles[0];
  if (!first) throw new RangeError('mergeTileResults needs at least one tile.');
  const page = first.image.tile;
  if (!page) {
    if (tiles.length > 1) throw new RangeError('Only tiles of one page merge; these images are not tiles.');
    return first.result;
  }
  for (const { image } of tiles) {
    if (image.pageNumber !== first.image.pageNumber || !image.tile || image.tile.pageWidth !== page.pageWidth) {
      throw new RangeError(`Tiles of page ${first.image.pageNumber} only: got page ${image.pageNumber}.`);
    }
  }
  const toPage = invert(page.pageTransform);
  const candidates: Candidate[] = [];
  tiles.forEach(({ image, result }, tileIndex) => {
    const tile = image.tile as TileInfo;
    const map = compose(toPage, image.transform);
    for (const block of result.words_block_list) {
      const mapped = mapBlock(block, map);
      const box = bounds(mapped.location);
      candidates.push({ block: mapped, box, tileIndex, margin: innerMargin(box, tile) });
    }
  });
  // Best seen first: far from any inner edge, so never cut.
  candidates.sort((a, b) => b.margin - a.margin);
  const kept: Candidate[] = [];
  for (const candidate of candidates) {
    const duplicate = kept.some(
      (other) => other.tileIndex !== candidate.tileIndex && overlap(other.box, candidate.box) >= SAME_TEXT_OVERLAP,
    );
    if (!duplicate) kept.push(candidate);
  }
  kept.sort((a, b) => a.box.top - b.box.top || a.box.left - b.box.left);
  const blocks = kept.map((candidate) => candidate.block);
  return { direction: direction(tiles), words_block_count: blocks.length, words_block_list: blocks };
}

interface Box {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

interface Candidate {
  readonly block: GeneralTextWordsBlock;
  readonly box: Box;
  readonly tileIndex: number;
  /** Distance from the block to the nearest tile edge that is not a page edge, in page pixels. */
  readonly margin: number;
}

function mapBlock(block: GeneralTextWordsBlock, map: Transform): GeneralTextWordsBlock {
  const mapped: GeneralTextWordsBlock = { ...block, location: mapQuad(block.location, map) };
  if (!block.char_list) return mapped;
  const chars: GeneralTextChar[] = block.char_list.map((c) => ({ ...c, char_location: mapQuad(c.char_location, map) }));
  return { ...mapped, char_list: chars };
}

/** Integer pixels, as the API gives them. */
function mapQuad(quad: Quad, map: Transform): Quad {
  const point = ([x, y]: Point): Point => {
    const [px, py] = apply(map, x, y);
    return [Math.round(px), Math.round(py)];
  };
  return [point(quad[0]), point(quad[1]), point(quad[2]), point(quad[3])];
}

function bounds(quad: Quad): Box {
  const xs = quad.map((p) => p[0]);
  const ys = quad.map((p) => p[1]);
  return { left: Math.min(...xs), top: Math.min(...ys), right: Math.max(...xs), bottom: Math.max(...ys) };
}

function innerMargin(box: Box, tile: TileInfo): number {
  const distances: number[] = [];
  if (tile.left > 0) distances.push(box.left - tile.left);
  if (tile.top > 0) distances.push(box.top - tile.top);
  if (tile.left + tile.tileWidth < tile.pageWidth) distances.push(tile.left + tile.tileWidth - box.right);
  if (tile.top + tile.tileHeight < tile.pageHeight) distances.push(tile.top + tile.tileHeight - box.bottom);
  return distances.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...distances);
}

/** Intersection over the smaller box's area; for degenerate boxes, whether they touch. */
function overlap(a: Box, b: Box): number {
  const width = Math.min(a.right, b.right) - Math.max(a.left, b.left);
  const height = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
  if (width < 0 || height < 0) return 0;
  const smaller = Math.min((a.right - a.left) * (a.bottom - a.top), (b.right - b.left) * (b.bottom - b.top));
  return smaller > 0 ? (width * height) / smaller : 1;
}

/** The direction most tiles report (-1 when none was asked for). */
function direction(tiles: readonly TileResult[]): number {
  const counts = new Map<number, number>();
  for (const { result } of tiles) counts.set(result.direction, (counts.get(result.direction) ?? 0) + 1);
  let best = -1;
  let bestCount = 0;
  for (const [value, count] of counts) {
    if (count > bestCount) {
      best = value;
      bestCount = count;
    }
  }
  return best;
}
