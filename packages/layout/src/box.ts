import type { Point } from '@ocrkit/protocol';
import type { Box } from './types.js';

/** A mutable box, for building; `Box` is its readonly view. */
export interface MutableBox {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export function emptyBox(): MutableBox {
  return { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
}

export function extendPoint(box: MutableBox, x: number, y: number): MutableBox {
  if (x < box.minX) box.minX = x;
  if (y < box.minY) box.minY = y;
  if (x > box.maxX) box.maxX = x;
  if (y > box.maxY) box.maxY = y;
  return box;
}

export function extendBox(box: MutableBox, other: Box): MutableBox {
  if (other.minX < box.minX) box.minX = other.minX;
  if (other.minY < box.minY) box.minY = other.minY;
  if (other.maxX > box.maxX) box.maxX = other.maxX;
  if (other.maxY > box.maxY) box.maxY = other.maxY;
  return box;
}

export function boxOfPoints(points: readonly Point[]): Box {
  const box = emptyBox();
  for (const [x, y] of points) extendPoint(box, x, y);
  return roundBox(box);
}

export function unionBoxes(boxes: Iterable<Box>): Box {
  const box = emptyBox();
  for (const other of boxes) extendBox(box, other);
  return roundBox(box);
}

export function boxArea(box: Box): number {
  return Math.max(0, box.maxX - box.minX) * Math.max(0, box.maxY - box.minY);
}

/** Intersection over union of two boxes, 0..1. */
export function iou(a: Box, b: Box): number {
  const w = Math.min(a.maxX, b.maxX) - Math.max(a.minX, b.minX);
  const h = Math.min(a.maxY, b.maxY) - Math.max(a.minY, b.minY);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (boxArea(a) + boxArea(b) - inter);
}

/** Length of the overlap of two intervals (negative: the gap between them). */
export function overlap(minA: number, maxA: number, minB: number, maxB: number): number {
  return Math.min(maxA, maxB) - Math.max(minA, minB);
}

/** Coordinates to 1/100 px: enough for any renderer, and JSON stays short and stable. */
export function round2(value: number): number {
  return Math.round(value * 100) / 100 + 0;
}

function roundBox(box: MutableBox): Box {
  if (box.minX > box.maxX) return { minX: 0, minY: 0, maxX: 0, maxY: 0 };
  return { minX: round2(box.minX), minY: round2(box.minY), maxX: round2(box.maxX), maxY: round2(box.maxY) };
}
