import type { Point } from '@ocrkit/protocol';

/**
 * The upright frame of text rotated `angle` degrees counter-clockwise: x along the reading direction,
 * y down the text's lines. A rotation, so distances and areas are the image's own pixels.
 */
export interface Frame {
  readonly cos: number;
  readonly sin: number;
}

export function frameOf(angleDegrees: number): Frame {
  const r = (angleDegrees * Math.PI) / 180;
  return { cos: Math.cos(r), sin: Math.sin(r) };
}

/** Image point to upright x (reading direction `(cos, -sin)` in image pixels, y down). */
export function uprightX(frame: Frame, x: number, y: number): number {
  return x * frame.cos - y * frame.sin;
}

/** Image point to upright y (the text's down direction `(sin, cos)`). */
export function uprightY(frame: Frame, x: number, y: number): number {
  return x * frame.sin + y * frame.cos;
}

/** Upright point back to image pixels. */
export function fromUpright(frame: Frame, u: number, v: number): Point {
  return [u * frame.cos + v * frame.sin, -u * frame.sin + v * frame.cos];
}
