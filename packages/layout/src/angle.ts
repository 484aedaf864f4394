import type { Quad } from '@ocrkit/protocol';

const DEGREES = 180 / Math.PI;

/** `angle` in [0, 360). */
export function normalizeDegrees(angle: number): number {
  const a = angle % 360;
  return a < 0 ? a + 360 : a + 0;
}

/** The smaller difference between two angles, 0..180 degrees. */
export function angleDifference(a: number, b: number): number {
  const d = Math.abs(normalizeDegrees(a) - normalizeDegrees(b));
  return d > 180 ? 360 - d : d;
}

/**
 * Counter-clockwise angle of the text in a quad, degrees [0, 360), as a reader sees it (image y points
 * down, hence the minus). Top and bottom edges are averaged: API quads have integer corners, and one
 * edge of a short word alone is off by up to a degree.
 */
export function quadAngle(quad: Quad): number {
  const [p0, p1, p2, p3] = quad;
  const dx = p1[0] - p0[0] + p2[0] - p3[0];
  const dy = p1[1] - p0[1] + p2[1] - p3[1];
  if (dx === 0 && dy === 0) return 0;
  return normalizeDegrees(Math.atan2(-dy, dx) * DEGREES);
}

/** Length of the quad along its text direction (mean of top and bottom edges). */
export function quadLength(quad: Quad): number {
  const [p0, p1, p2, p3] = quad;
  return (Math.hypot(p1[0] - p0[0], p1[1] - p0[1]) + Math.hypot(p2[0] - p3[0], p2[1] - p3[1])) / 2;
}

/** Height of the quad across its text direction (mean of left and right edges). */
export function quadHeight(quad: Quad): number {
  const [p0, p1, p2, p3] = quad;
  return (Math.hypot(p3[0] - p0[0], p3[1] - p0[1]) + Math.hypot(p2[0] - p1[0], p2[1] - p1[1])) / 2;
}

const BIN_DEGREES = 5;
const BINS = 360 / BIN_DEGREES;
/** Angles within this of a peak belong to its orientation: skew is a few degrees, rotations are 90 apart. */
export const ORIENTATION_TOLERANCE_DEGREES = 20;

/**
 * The weighted mean of the angles around the heaviest direction: a 5-degree histogram smoothed over
 * three bins finds the peak, then the unit vectors within 20 degrees of it are averaged. Linear in the
 * number of angles. Returns `undefined` when every weight is zero.
 */
export function dominantAngle(angles: readonly number[], weights: readonly number[]): number | undefined {
  const histogram = new Float64Array(BINS);
  let total = 0;
  for (let i = 0; i < angles.length; i++) {
    const w = weights[i] ?? 0;
    const bin = Math.floor(normalizeDegrees((angles[i] ?? 0) + BIN_DEGREES / 2) / BIN_DEGREES) % BINS;
    histogram[bin] = (histogram[bin] ?? 0) + w;
    total += w;
  }
  if (total <= 0) return undefined;
  let peak = 0;
  let peakWeight = -1;
  for (let b = 0; b < BINS; b++) {
    const w = (histogram[(b + BINS - 1) % BINS] ?? 0) + (histogram[b] ?? 0) + (histogram[(b + 1) % BINS] ?? 0);
    if (w > peakWeight) {
      peakWeight = w;
      peak = b;
    }
  }
  const centre = peak * BIN_DEGREES;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < angles.length; i++) {
    const a = angles[i] ?? 0;
    if (angleDifference(a, centre) > ORIENTATION_TOLERANCE_DEGREES) continue;
    const w = weights[i] ?? 0;
    sx += w * Math.cos(a / DEGREES);
    sy += w * Math.sin(a / DEGREES);
  }
  return roundAngle(normalizeDegrees(Math.atan2(sy, sx) * DEGREES));
}

/** Angles to 1/100 degree; 359.999 becomes 0. */
export function roundAngle(angle: number): number {
  const a = Math.round(angle * 100) / 100;
  return a >= 360 ? 0 : a + 0;
}
