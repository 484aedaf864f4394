// A seeded synthetic page of `words` words, the way the API would return it: columns of paragraphs,
// each text line cut into blocks of one to six words, plus a small table every few paragraphs.
// The same seed gives the same page, so before/after runs compare.
import type { GeneralTextResult, GeneralTextWordsBlock, Quad } from '@ocrkit/protocol';
import { mulberry32 } from '../../../test/support/mulberry32.ts';

/** Seeded numbers in [0, 1), so before/after runs compare. */
export const random = mulberry32;

const SIZE = 20;
const PITCH = 26;
const CHAR = 10;
const COLUMN_WIDTH = 560;
const GUTTER = 40;

export interface RandomPage {
  readonly width: number;
  readonly height: number;
  readonly result: GeneralTextResult;
}

export function randomPage(words: number, seed = 1): RandomPage {
  const rand = random(seed);
  const columns = 3;
  const blocks: GeneralTextWordsBlock[] = [];
  const word = () => 'abcdefghijklmnopqrstuvwxyz'.slice(0, 2 + Math.floor(rand() * 8));
  const quad = (x: number, y: number, w: number): Quad => [
    [Math.round(x), y],
    [Math.round(x + w), y],
    [Math.round(x + w), y + SIZE],
    [Math.round(x), y + SIZE],
  ];
  // Lines per column so that the page holds about `words` words at ~7 words a line.
  const linesPerColumn = Math.max(1, Math.ceil(words / 7 / columns));
  let left = words;
  let bottom = 0;
  for (let c = 0; c < columns && left > 0; c++) {
    const x0 = 40 + c * (COLUMN_WIDTH + GUTTER);
    let y = 40;
    let paragraph = 0;
    for (let l = 0; l < linesPerColumn && left > 0; l++) {
      if (rand() < 0.12) {
        y += PITCH;
        if (++paragraph % 5 === 0) {
          // A 4x3 table of short cells.
          for (let r = 0; r < 4 && left > 0; r++, y += PITCH + 4) {
            for (let k = 0; k < 3 && left > 0; k++, left--) {
              const t = word();
              blocks.push({ words: t, location: quad(x0 + k * 180, y, t.length * CHAR), confidence: 0.9 });
            }
          }
          y += PITCH;
        }
      }
      let x = x0 + (rand() < 0.1 ? 30 : 0);
      const texts: string[] = [];
      while (left > 0 && x + 9 * CHAR < x0 + COLUMN_WIDTH) {
        const t = word();
        texts.push(t);
        x += (t.length + 1) * CHAR;
        left--;
      }
      // Cut the line into blocks of 1..6 words at word spaces.
      let bx = x - texts.reduce((sum, t) => sum + (t.length + 1) * CHAR, 0);
      for (let i = 0; i < texts.length; ) {
        const n = 1 + Math.floor(rand() * 6);
        const part = texts.slice(i, i + n).join(' ');
        blocks.push({ words: part, location: quad(bx, y, part.length * CHAR), confidence: 0.9 });
        bx += (part.length + 1) * CHAR;
        i += n;
      }
      y += PITCH;
    }
    bottom = Math.max(bottom, y);
  }
  return {
    width: 40 + columns * (COLUMN_WIDTH + GUTTER),
    height: bottom + 40,
    result: { direction: -1, words_block_count: blocks.length, words_block_list: blocks },
  };
}
