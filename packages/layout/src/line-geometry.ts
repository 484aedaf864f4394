import type { Point, Quad } from '@ocrkit/protocol';
import { boxOfPoints, round2 } from './box.js';
import { type Frame, frameOf, fromUpright, uprightX, uprightY } from './frame.js';
import type { Line, Word } from './types.js';

/**
 * A line from its words, in reading order: its quad is the smallest rectangle rotated by `angle` that
 * holds every word quad, its baseline that rectangle's bottom edge.
 */
export function makeLine(words: readonly Word[], angle: number): Line {
  const frame = frameOf(angle);
  let minU = Infinity;
  let minV = Infinity;
  let maxU = -Infinity;
  let maxV = -Infinity;
  for (const word of words) {
    for (const [x, y] of word.quad) {
      const u = uprightX(frame, x, y);
      const v = uprightY(frame, x, y);
      if (u < minU) minU = u;
      if (u > maxU) maxU = u;
      if (v < minV) minV = v;
      if (v > maxV) maxV = v;
    }
  }
  const quad: Quad = [
    corner(frame, minU, minV),
    corner(frame, maxU, minV),
    corner(frame, maxU, maxV),
    corner(frame, minU, maxV),
  ];
  return { box: boxOfPoints(quad), quad, baseline: { start: quad[3], end: quad[2] }, words };
}

function corner(frame: Frame, u: number, v: number): Point {
  const [x, y] = fromUpright(frame, u, v);
  return [round2(x), round2(y)];
}
