import type { Point } from '@ocrkit/protocol';
import { describe, expect, test } from 'vitest';
import { layout, type Word } from '../src/index.js';
import { loadFixtures } from './fixtures.js';
import { textWidth, turn } from './synthetic.js';

const charList = loadFixtures().find((f) => f.name === 'word quads from char_list');
if (!charList) throw new Error('fixture char-list.json is missing');

// Helvetica advances (1/1000 em) of i, space, W, m: the estimate used when there is no char_list.
const I = 222;
const SPACE = 278;
const W = 944;
const M = 833;
const TOTAL = 4 * I + SPACE + 4 * W + SPACE + 2 * M;

describe.each([0, 90, 180, 270])('word quads at %i°', (rotation) => {
  for (const skew of [0, 3]) {
    const turned = turn(charList, rotation, skew);
    const lines = layout(turned).blocks.flatMap((b) => b.lines);
    const expectQuad = (word: Word | undefined, block: number, t0: number, t1: number) => {
      const b = charList.blocks[block];
      if (!b || !word) throw new Error('missing block or word');
      const length = textWidth(b.text, b.size);
      const x0 = b.x + length * t0;
      const x1 = b.x + length * t1;
      const corners: Point[] = [
        [x0, b.y],
        [x1, b.y],
        [x1, b.y + b.size],
        [x0, b.y + b.size],
      ];
      corners.forEach((corner, k) => {
        const [x, y] = turned.map(corner);
        // Corners of the API quads are rounded to whole pixels, so slices are within a pixel or two.
        expect(Math.abs((word.quad[k] as Point)[0] - x)).toBeLessThan(2);
        expect(Math.abs((word.quad[k] as Point)[1] - y)).toBeLessThan(2);
      });
    };

    test(`skew ${skew}°: char_list positions place the words (a fixed pitch)`, () => {
      const [iiii, wwww, mm] = lines[0]?.words ?? [];
      expectQuad(iiii, 0, 0, 4 / 12);
      expectQuad(wwww, 0, 5 / 12, 9 / 12);
      expectQuad(mm, 0, 10 / 12, 1);
      expect(iiii?.confidence).toBe(0.9);
    });

    test(`skew ${skew}°: without char_list, character widths place the words`, () => {
      const [iiii, wwww, mm] = lines[1]?.words ?? [];
      expectQuad(iiii, 1, 0, (4 * I) / TOTAL);
      expectQuad(wwww, 1, (4 * I + SPACE) / TOTAL, (4 * I + SPACE + 4 * W) / TOTAL);
      expectQuad(mm, 1, (TOTAL - 2 * M) / TOTAL, 1);
      expect(iiii?.confidence).toBe(0.95);
    });
  }
});

describe('char_list that does not match the text', () => {
  test('is ignored in favour of estimated widths', () => {
    const page = layout({
      width: 300,
      height: 100,
      result: {
        direction: -1,
        words_block_count: 1,
        words_block_list: [
          {
            words: 'ab cd',
            location: [
              [0, 0],
              [100, 0],
              [100, 20],
              [0, 20],
            ],
            char_list: [
              {
                char: 'a',
                char_location: [
                  [0, 0],
                  [90, 0],
                  [90, 20],
                  [0, 20],
                ],
                char_confidence: 0.5,
              },
            ],
          },
        ],
      },
    });
    const words = page.blocks[0]?.lines[0]?.words ?? [];
    expect(words.map((w) => w.text)).toEqual(['ab', 'cd']);
    // Helvetica: a 556, b 556, space 278, c 500, d 556; 'ab' ends at 1112/2446 of the block, not 90%.
    expect(words[0]?.box.maxX).toBeCloseTo((100 * 1112) / 2446, 1);
    expect(words[0]?.confidence).toBe(1);
  });
});

describe('layout input', () => {
  const empty = { direction: -1, words_block_count: 0, words_block_list: [] };

  test('an empty result is an empty page at angle 0', () => {
    expect(layout({ width: 10, height: 20, result: empty })).toEqual({
      width: 10,
      height: 20,
      angle: 0,
      blocks: [],
      tables: [],
    });
  });

  test('blocks of whitespace are dropped', () => {
    const page = layout({
      width: 100,
      height: 100,
      result: {
        ...empty,
        words_block_list: [
          {
            words: '  \t ',
            location: [
              [0, 0],
              [50, 0],
              [50, 10],
              [0, 10],
            ],
          },
        ],
      },
    });
    expect(page.blocks).toEqual([]);
  });

  test.each([
    [0, 10],
    [10, Number.NaN],
    [-1, 10],
  ])('rejects a page size of %s x %s with a RangeError naming it', (width, height) => {
    expect(() => layout({ width, height, result: empty })).toThrow(RangeError);
    expect(() => layout({ width, height, result: empty })).toThrow(`${width}x${height}`);
  });

  test('rejects a result without words_block_list with a TypeError', () => {
    expect(() => layout({ width: 10, height: 10, result: {} as typeof empty })).toThrow(TypeError);
  });
});
