/**
 * An affine map [a, b, c, d, e, f] in the PDF convention (ISO 32000-2 section 8.3.3; pdf.js's
 * `Util.transform`): a point (x, y) goes to (a*x + c*y + e, b*x + d*y + f).
 */
export type Transform = readonly [a: number, b: number, c: number, d: number, e: number, f: number];

export const identity: Transform = [1, 0, 0, 1, 0, 0];

/** The map that applies `first`, then `second`. */
export function compose(second: Transform, first: Transform): Transform {
  const [a1, b1, c1, d1, e1, f1] = first;
  const [a2, b2, c2, d2, e2, f2] = second;
  return [
    a2 * a1 + c2 * b1,
    b2 * a1 + d2 * b1,
    a2 * c1 + c2 * d1,
    b2 * c1 + d2 * d1,
    a2 * e1 + c2 * f1 + e2,
    b2 * e1 + d2 * f1 + f2,
  ];
}

/** The inverse map; a RangeError for a singular one. */
export function invert(m: Transform): Transform {
  const [a, b, c, d, e, f] = m;
  const det = a * d - b * c;
  if (det === 0 || !Number.isFinite(det)) throw new RangeError(`The transform [${m.join(', ')}] is not invertible.`);
  return [d / det, -b / det, -c / det, a / det, (c * f - d * e) / det, (b * e - a * f) / det];
}

/** Where `m` sends the point (x, y). */
export function apply(m: Transform, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

export function translation(x: number, y: number): Transform {
  return [1, 0, 0, 1, x, y];
}

export function scaling(x: number, y: number): Transform {
  return [x, 0, 0, y, 0, 0];
}
