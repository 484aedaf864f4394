import type { Line } from './types.js';

/** Anything placed in reading order: a box in the page's upright frame and its text height. */
export interface Item {
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
  /** Height of the item's text lines, pixels. */
  readonly height: number;
}

export function centreY(item: Item): number {
  return (item.minY + item.maxY) / 2;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** A line placed in the page's upright frame. */
export interface LineItem extends Item {
  readonly line: Line;
  /** Counter-clockwise degrees [0, 360) of the line's own text. */
  readonly angle: number;
}
