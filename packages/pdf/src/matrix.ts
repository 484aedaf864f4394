/**
 * A PDF transformation matrix [a b c d e f] (PDF 32000-1 §8.3.4): it maps (x, y) to
 * (a·x + c·y + e, b·x + d·y + f). Here: from image pixels (origin top-left, y down) to page user space.
 */
export type Matrix = readonly [a: number, b: number, c: number, d: number, e: number, f: number];

export function apply(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

/** The matrix that places an image of `width` x `height` pixels at `dpi` on a page with origin bottom-left. */
export function imageToPage(heightPx: number, dpi: number): Matrix {
  const scale = 72 / dpi;
  return [scale, 0, 0, -scale, 0, heightPx * scale];
}
