import type { GeneralTextResult, GeneralTextWordsBlock, Quad } from '@ocrkit/protocol';
import { beforeAll, describe, expect, test } from 'vitest';
import { applyTransform, invertTransform, mergeTileResults, type PageImage, rasterize } from '../src/index.js';
import receipt from './fixtures/merge-receipt.json' with { type: 'json' };
import { collect, fixture } from './helpers.js';

type Box = [number, number, number, number];

const quad = ([left, top, right, bottom]: Box): Quad => [
  [left, top],
  [right, top],
  [right, bottom],
  [left, bottom],
];

/** A fake recognizer's answer for one tile: each page block clipped to the tile, in the tile's pixels. */
function resultFor(image: PageImage): GeneralTextResult {
  const tile = image.tile;
  if (!tile) throw new Error('not a tile');
  // Page pixels to this tile's pixels.
  const toTile = (x: number, y: number) =>
    applyTransform(invertTransform(image.transform), ...applyTransform(tile.pageTransform, x, y));
  const blocks: GeneralTextWordsBlock[] = [];
  for (const block of receipt.blocks) {
    const [left, top, right, bottom] = block.box as Box;
    const clipped: Box = [
      Math.max(left, tile.left),
      Math.max(top, tile.top),
      Math.min(right, tile.left + tile.tileWidth),
      Math.min(bottom, tile.top + tile.tileHeight),
    ];
    if (clipped[0] >= clipped[2] || clipped[1] >= clipped[3]) continue;
    const cut = clipped.some((value, i) => value !== block.box[i]);
    const [x1, y1] = toTile(clipped[0], clipped[1]);
    const [x2, y2] = toTile(clipped[2], clipped[3]);
    blocks.push({ words: cut ? `${block.words} (cut)` : block.words, location: quad([x1, y1, x2, y2]) });
  }
  return { direction: -1, words_block_count: blocks.length, words_block_list: blocks };
}

describe('mergeTileResults', () => {
  let tiles: PageImage[] = [];
  beforeAll(async () => {
    tiles = (await collect(rasterize(fixture('tall.pdf'), { pages: [2] }))).images;
  });

  test('keeps text seen twice in the overlap once, and a word cut by a tile edge whole from its neighbour', () => {
    expect(tiles.map((image) => [image.tile?.top, image.tile?.tileHeight, image.tile?.pageHeight])).toEqual([
      [0, 3522, 6944],
      [3422, 3522, 6944],
    ]);
    const parts = tiles.map((image) => ({ image, result: resultFor(image) }));
    // Each tile saw the overlap's text; the first saw "across the edge" cut.
    expect(parts[0]?.result.words_block_list.map((block) => block.words)).toContain('across the edge (cut)');
    const merged = mergeTileResults(parts);
    expect(merged.words_block_list.map((block) => block.words)).toEqual(receipt.expected);
    expect(merged.words_block_count).toBe(receipt.expected.length);
    // Back in the page's pixels, where the blocks were put.
    for (const block of merged.words_block_list) {
      const source = receipt.blocks.find((b) => b.words === block.words);
      expect(block.location).toEqual(quad(source?.box as Box));
    }
  });

  test('the result of an untiled image comes back as it is', () => {
    const image = { ...(tiles[0] as PageImage) };
    delete (image as { tile?: unknown }).tile;
    const result: GeneralTextResult = { direction: 0, words_block_count: 0, words_block_list: [] };
    expect(mergeTileResults([{ image, result }])).toBe(result);
  });

  test('tiles of different pages do not merge', () => {
    const result: GeneralTextResult = { direction: -1, words_block_count: 0, words_block_list: [] };
    const other = { ...(tiles[1] as PageImage), pageNumber: 9 };
    expect(() =>
      mergeTileResults([
        { image: tiles[0] as PageImage, result },
        { image: other, result },
      ]),
    ).toThrow(RangeError);
    expect(() => mergeTileResults([])).toThrow(RangeError);
  });
});
