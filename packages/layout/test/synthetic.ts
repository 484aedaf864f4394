// Builds the API's result for a fixture page: blocks laid out upright, then the whole page turned by a
// multiple of 90 degrees (page size swapped as a scanner would) and optionally skewed about its centre.
// Corners are rounded to integers, as the API returns them.
import type { GeneralTextChar, GeneralTextResult, GeneralTextWordsBlock, Point, Quad } from '@ocrkit/protocol';
import { charWidth } from '../src/chars.js';

export interface FixtureBlock {
  readonly text: string;
  /** Upright top-left corner and text size (the quad is one `size` tall), pixels. */
  readonly x: number;
  readonly y: number;
  readonly size: number;
  /** Add a `char_list` whose characters sit on a fixed pitch (a typewriter), spaces included. */
  readonly mono?: boolean;
}

export interface Fixture {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly blocks: readonly FixtureBlock[];
}

export interface Turned {
  readonly width: number;
  readonly height: number;
  readonly result: GeneralTextResult;
  /** Maps an upright fixture point to the turned page. */
  readonly map: (p: Point) => Point;
}

/** Width of a block's text at `size`, as the layout estimates it. */
export function textWidth(text: string, size: number): number {
  return (Array.from(text).reduce((sum, c) => sum + charWidth(c), 0) * size) / 1000;
}

/** The fixture turned `rotation` degrees counter-clockwise (0/90/180/270), then skewed `skew` degrees. */
export function turn(fixture: Fixture, rotation: number, skew = 0): Turned {
  const { width: w, height: h } = fixture;
  const quarter = ((rotation % 360) + 360) % 360;
  const [width, height] = quarter === 90 || quarter === 270 ? [h, w] : [w, h];
  const rotate = (p: Point): Point => {
    const [x, y] = p;
    if (quarter === 90) return [y, w - x];
    if (quarter === 180) return [w - x, h - y];
    if (quarter === 270) return [h - y, x];
    return [x, y];
  };
  const r = (skew * Math.PI) / 180;
  const cx = width / 2;
  const cy = height / 2;
  const map = (p: Point): Point => {
    const [x, y] = rotate(p);
    return [cx + (x - cx) * Math.cos(r) + (y - cy) * Math.sin(r), cy - (x - cx) * Math.sin(r) + (y - cy) * Math.cos(r)];
  };
  const round = (p: Point): Point => [Math.round(p[0]), Math.round(p[1])];
  const quadOf = (x0: number, y0: number, x1: number, y1: number): Quad =>
    [map([x0, y0]), map([x1, y0]), map([x1, y1]), map([x0, y1])].map(round) as unknown as Quad;
  const words_block_list: GeneralTextWordsBlock[] = fixture.blocks.map((b) => {
    const length = textWidth(b.text, b.size);
    const block: GeneralTextWordsBlock = {
      words: b.text,
      location: quadOf(b.x, b.y, b.x + length, b.y + b.size),
      confidence: 0.95,
    };
    if (!b.mono) return block;
    const chars = Array.from(b.text);
    const pitch = length / chars.length;
    const char_list: GeneralTextChar[] = [];
    chars.forEach((c, i) => {
      if (c === ' ') return;
      const x0 = b.x + i * pitch;
      char_list.push({ char: c, char_location: quadOf(x0, b.y, x0 + pitch, b.y + b.size), char_confidence: 0.9 });
    });
    return { ...block, char_list };
  });
  return {
    width,
    height,
    map,
    result: { direction: -1, words_block_count: words_block_list.length, words_block_list },
  };
}
