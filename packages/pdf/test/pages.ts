import type { Page, Word } from '@ocrkit/layout';
import type { Quad } from '@ocrkit/protocol';

// Known layouts for the tests: words given by their boxes in image pixels.
export const box = (x0: number, y0: number, x1: number, y1: number) => ({ minX: x0, minY: y0, maxX: x1, maxY: y1 });
export const quad = (x0: number, y0: number, x1: number, y1: number): Quad => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
];

export function word(text: string, x0: number, y0: number, x1: number, y1: number): Word {
  return { text, quad: quad(x0, y0, x1, y1), box: box(x0, y0, x1, y1), confidence: 0.95 };
}

/** One line of words (quads from their boxes) on a page of `width` x `height` pixels. */
export function pageOf(width: number, height: number, lines: Word[][]): Page {
  return {
    width,
    height,
    angle: 0,
    tables: [],
    blocks: lines.map((words) => {
      const x0 = Math.min(...words.map((w) => w.box.minX));
      const y0 = Math.min(...words.map((w) => w.box.minY));
      const x1 = Math.max(...words.map((w) => w.box.maxX));
      const y1 = Math.max(...words.map((w) => w.box.maxY));
      return {
        box: box(x0, y0, x1, y1),
        lines: [
          { box: box(x0, y0, x1, y1), quad: quad(x0, y0, x1, y1), baseline: { start: [x0, y1], end: [x1, y1] }, words },
        ],
      };
    }),
  };
}

/** Words laid out left to right from `x`, each `pitch` pixels per character plus a gap of `gap`. */
export function lineOf(texts: string[], x: number, y: number, height: number, pitch: number, gap: number): Word[] {
  let left = x;
  return texts.map((text) => {
    const right = left + [...text].length * pitch;
    const w = word(text, left, y, right, y + height);
    left = right + gap;
    return w;
  });
}
