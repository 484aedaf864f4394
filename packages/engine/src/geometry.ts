import type { Point, Quad } from '@ocrkit/protocol';

/**
 * Geometry of PP-OCR's DB text detector post-processing and the perspective crops that feed the recognizer,
 * in plain TypeScript instead of OpenCV (`cv2.findContours`, `cv2.minAreaRect`, `cv2.getPerspectiveTransform`,
 * `cv2.warpPerspective`). Coordinates are image pixels: origin top-left, x right, y down.
 */

/** An 8-connected component of a mask. Bounds are inclusive pixel indices. */
export interface Component {
  /** Pixel count. */
  readonly area: number;
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
  /**
   * Interleaved `x, y` of the boundary pixels, those with a 4-neighbour that is zero or outside the image,
   * each once, in raster order (top to bottom, left to right). Raster order lets `convexHull` skip its sort.
   * The boundaries of one `findComponents` call are views of one buffer: `slice()` one to keep it alone.
   */
  readonly boundary: Int32Array;
}

/** A rectangle of any rotation. */
export interface RotatedRect {
  readonly cx: number;
  readonly cy: number;
  /** Length of the side along `angle`. */
  readonly width: number;
  /** Length of the side along `angle + π/2`. */
  readonly height: number;
  /** Radians, y down (positive turns clockwise on screen), in (-π/4, π/4]: the side closer to horizontal. */
  readonly angle: number;
}

function checkDimension(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
  }
}

function grow(array: Int32Array<ArrayBuffer>, length: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(Math.max(length, array.length * 2));
  bigger.set(array);
  return bigger;
}

/** Union-find root with path halving (Tarjan & van Leeuwen, "Worst-case analysis of set union algorithms", 1984). */
function findRoot(parent: Int32Array, i: number): number {
  let node = i;
  let up = parent[node] as number;
  while (up !== node) {
    const grand = parent[up] as number;
    parent[node] = grand;
    node = grand;
    up = parent[node] as number;
  }
  return node;
}

/**
 * 8-connected components of the non-zero pixels of a row-major `width × height` mask, ordered by their first
 * pixel in raster order. 8-connectivity because DB's boxes come from `cv2.findContours`, which follows
 * 8-connected borders. Two passes over horizontal runs with union-find (the run-based labelling of
 * L. He et al., "Fast connected-component labeling", Pattern Recognition 42(9), 2009): linear time, no
 * recursion, and per-run rather than per-pixel bookkeeping, since DB masks are mostly long runs.
 */
export function findComponents(mask: Uint8Array, width: number, height: number): Component[] {
  checkDimension('findComponents: width', width, 0);
  checkDimension('findComponents: height', height, 0);
  if (mask.length !== width * height) {
    throw new RangeError(
      `findComponents: mask holds ${mask.length} bytes, expected width * height = ${width * height}`,
    );
  }
  // Runs [start, end) of non-zero pixels; the runs of row y are firstRun[y] .. firstRun[y + 1] - 1.
  const firstRun = new Int32Array(height + 1);
  let starts = new Int32Array(1024);
  let ends = new Int32Array(1024);
  let parent = new Int32Array(1024);
  let runs = 0;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let above = y > 0 ? (firstRun[y - 1] as number) : 0;
    const aboveEnd = runs;
    firstRun[y] = runs;
    let x = 0;
    for (;;) {
      while (x < width && mask[row + x] === 0) x++;
      if (x === width) break;
      const start = x;
      while (x < width && mask[row + x] !== 0) x++;
      if (runs === starts.length) {
        starts = grow(starts, 0);
        ends = grow(ends, 0);
        parent = grow(parent, 0);
      }
      starts[runs] = start;
      ends[runs] = x;
      parent[runs] = runs;
      // A run above touches this one, diagonals included, when it covers some x in [start - 1, end].
      while (above < aboveEnd && (ends[above] as number) < start) above++;
      for (let q = above; q < aboveEnd && (starts[q] as number) <= x; q++) {
        const a = findRoot(parent, runs);
        const b = findRoot(parent, q);
        // Linking to the smaller index keeps every root the first run of its component.
        if (a < b) parent[b] = a;
        else if (b < a) parent[a] = b;
      }
      runs++;
    }
  }
  firstRun[height] = runs;

  const label = new Int32Array(runs);
  let count = 0;
  for (let r = 0; r < runs; r++) {
    const root = findRoot(parent, r);
    label[r] = root === r ? count++ : (label[root] as number);
  }
  const area = new Int32Array(count);
  const minX = new Int32Array(count).fill(width);
  const maxX = new Int32Array(count).fill(-1);
  const minY = new Int32Array(count).fill(-1);
  const maxY = new Int32Array(count);
  const boundaryCount = new Int32Array(count);
  // Boundary pixels of all components as (x, y, label) triples in raster order, sorted by label afterwards.
  let found = new Int32Array(3072);
  let foundLength = 0;
  const lastY = height - 1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const edgeRow = y === 0 || y === lastY;
    for (let r = firstRun[y] as number, end = firstRun[y + 1] as number; r < end; r++) {
      const c = label[r] as number;
      const start = starts[r] as number;
      const stop = ends[r] as number;
      area[c] = (area[c] as number) + stop - start;
      if (start < (minX[c] as number)) minX[c] = start;
      if (stop - 1 > (maxX[c] as number)) maxX[c] = stop - 1;
      if (minY[c] === -1) minY[c] = y;
      maxY[c] = y;
      if (foundLength + 3 * (stop - start) > found.length) found = grow(found, foundLength + 3 * (stop - start));
      const before = foundLength;
      for (let x = start; x < stop; x++) {
        // Run ends always border a zero or the image side; inner pixels only vertically.
        if (x === start || x === stop - 1 || edgeRow || mask[row + x - width] === 0 || mask[row + x + width] === 0) {
          found[foundLength++] = x;
          found[foundLength++] = y;
          found[foundLength++] = c;
        }
      }
      boundaryCount[c] = (boundaryCount[c] as number) + (foundLength - before) / 3;
    }
  }
  // Counting sort by label into one buffer; each component gets a view of its slice, which saves a million
  // small allocations on a speckled mask.
  const offset = new Int32Array(count + 1);
  for (let c = 0; c < count; c++) offset[c + 1] = (offset[c] as number) + 2 * (boundaryCount[c] as number);
  const all = new Int32Array(offset[count] as number);
  const filled = offset.slice(0, count);
  for (let i = 0; i < foundLength; i += 3) {
    const c = found[i + 2] as number;
    const at = filled[c] as number;
    all[at] = found[i] as number;
    all[at + 1] = found[i + 1] as number;
    filled[c] = at + 2;
  }
  const components: Component[] = [];
  for (let c = 0; c < count; c++) {
    components.push({
      area: area[c] as number,
      minX: minX[c] as number,
      minY: minY[c] as number,
      maxX: maxX[c] as number,
      maxY: maxY[c] as number,
      boundary: all.subarray(offset[c] as number, offset[c + 1] as number),
    });
  }
  return components;
}

/** Twice the signed area of triangle o, a, b; positive when o → a → b turns clockwise on screen (y down). */
function cross(ox: number, oy: number, ax: number, ay: number, bx: number, by: number): number {
  return (ax - ox) * (by - oy) - (ay - oy) * (bx - ox);
}

/**
 * Convex hull of interleaved `x, y` points by Andrew's monotone chain (A. M. Andrew, "Another efficient
 * algorithm for convex hulls in two dimensions", Information Processing Letters 9(5), 1979), with the points
 * ordered by y, then x: any lexicographic order works, and this one is the raster order `findComponents`
 * already gives, so sorting is skipped for such input. The hull runs clockwise on screen (y down; that is
 * counter-clockwise in y-up maths, positive shoelace area) from the topmost point (smallest y, then smallest x).
 * Duplicates and collinear points are dropped: one distinct point gives `[p]`, collinear points their two ends.
 */
export function convexHull(points: ArrayLike<number>): Point[] {
  if (points.length % 2 !== 0) {
    throw new RangeError(`convexHull: points must be interleaved x, y pairs, got an odd length ${points.length}`);
  }
  const n = points.length / 2;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    const x = points[2 * i] as number;
    const y = points[2 * i + 1] as number;
    xs[i] = x;
    ys[i] = y;
    if (i > 0 && (y < (ys[i - 1] as number) || (y === ys[i - 1] && x < (xs[i - 1] as number)))) sorted = false;
  }
  if (!sorted) {
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => (ys[a] as number) - (ys[b] as number) || (xs[a] as number) - (xs[b] as number));
    const unsortedX = xs.slice();
    const unsortedY = ys.slice();
    for (let i = 0; i < n; i++) {
      const from = order[i] as number;
      xs[i] = unsortedX[from] as number;
      ys[i] = unsortedY[from] as number;
    }
  }
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (m > 0 && xs[m - 1] === xs[i] && ys[m - 1] === ys[i]) continue;
    xs[m] = xs[i] as number;
    ys[m] = ys[i] as number;
    m++;
  }
  if (m <= 2) {
    const few: Point[] = [];
    for (let i = 0; i < m; i++) few.push([xs[i] as number, ys[i] as number]);
    return few;
  }
  // Vertex indices: the chain down the right side, then back up the left side to the start.
  const hull = new Int32Array(2 * m);
  let k = 0;
  for (let pass = 0; pass < 2; pass++) {
    const floor = pass === 0 ? 2 : k + 1;
    for (let step = pass === 0 ? 0 : 1; step < m; step++) {
      const i = pass === 0 ? step : m - 1 - step;
      const x = xs[i] as number;
      const y = ys[i] as number;
      while (k >= floor) {
        const a = hull[k - 2] as number;
        const b = hull[k - 1] as number;
        if (cross(xs[a] as number, ys[a] as number, xs[b] as number, ys[b] as number, x, y) > 0) break;
        k--;
      }
      hull[k++] = i;
    }
  }
  const result: Point[] = [];
  // The last vertex repeats the first.
  for (let i = 0; i < k - 1; i++) {
    const h = hull[i] as number;
    result.push([xs[h] as number, ys[h] as number]);
  }
  return result;
}

/**
 * Names a rectangle given along unit direction (ux, uy) with side `along` and side `across` so that `width`
 * is the side closer to horizontal, which for a nearly horizontal text line is along the line: of the
 * directions ±u, ±u⊥ exactly one has its angle in (-π/4, π/4]. Quarter turns are applied to the vector, not
 * the angle, so that exact inputs (axis-aligned edges) give exact angles.
 */
function orient(cx: number, cy: number, ux: number, uy: number, along: number, across: number): RotatedRect {
  const turns = Math.ceil((Math.atan2(uy, ux) - Math.PI / 4) / (Math.PI / 2));
  let x = ux;
  let y = uy;
  for (let t = ((turns % 4) + 4) % 4; t > 0; t--) {
    const previousX = x;
    x = y;
    y = -previousX;
  }
  const even = turns % 2 === 0;
  return {
    cx,
    cy,
    width: even ? along : across,
    height: even ? across : along,
    // `+ 0` turns -0 into 0.
    angle: Math.atan2(y, x) + 0,
  };
}

/**
 * Minimum-area enclosing rectangle of a convex hull (as `convexHull` returns; the other orientation is also
 * accepted) by rotating calipers: the optimal rectangle has a side on a hull edge (H. Freeman, R. Shapira,
 * "Determining the minimum-area encasing rectangle for an arbitrary closed curve", CACM 18(7), 1975), and the
 * three other supporting vertices only move forward as the edge advances (G. Toussaint, "Solving geometric
 * problems with the rotating calipers", IEEE MELECON 1983), so the search is linear in the hull size.
 * A single point gives a zero-size rectangle at angle 0; a segment gives zero height (or width).
 */
export function minAreaRect(hull: readonly Point[]): RotatedRect {
  const m = hull.length;
  if (m === 0) throw new RangeError('minAreaRect: the hull is empty; pass convexHull(points) of at least one point');
  const xs = new Float64Array(m);
  const ys = new Float64Array(m);
  let twiceArea = 0;
  for (let i = 0; i < m; i++) {
    const [x, y] = hull[i] as Point;
    const [nextX, nextY] = hull[(i + 1) % m] as Point;
    twiceArea += x * nextY - nextX * y;
  }
  // The inward normal below assumes positive shoelace area (clockwise on screen); reverse the other way round.
  for (let i = 0; i < m; i++) {
    const [x, y] = hull[twiceArea < 0 ? m - 1 - i : i] as Point;
    xs[i] = x;
    ys[i] = y;
  }
  const x0 = xs[0] as number;
  const y0 = ys[0] as number;
  if (m === 1) return orient(x0, y0, 1, 0, 0, 0);
  if (m === 2) {
    const dx = (xs[1] as number) - x0;
    const dy = (ys[1] as number) - y0;
    const length = Math.hypot(dx, dy);
    const midX = x0 + dx / 2;
    const midY = y0 + dy / 2;
    return length === 0 ? orient(midX, midY, 1, 0, 0, 0) : orient(midX, midY, dx / length, dy / length, length, 0);
  }

  let best = Number.POSITIVE_INFINITY;
  let bestRect = orient(x0, y0, 1, 0, 0, 0);
  // Caliper vertices: farthest along the edge, farthest from it, farthest back along it.
  let right = 1;
  let far = 1;
  let left = 1;
  for (let i = 0; i < m; i++) {
    const j = i + 1 === m ? 0 : i + 1;
    const ox = xs[i] as number;
    const oy = ys[i] as number;
    const ex = (xs[j] as number) - ox;
    const ey = (ys[j] as number) - oy;
    const length = Math.hypot(ex, ey);
    if (length === 0) continue;
    const ux = ex / length;
    const uy = ey / length;
    // Each caliper climbs while the next vertex is farther. On the first edge they start one after the other;
    // later each resumes from its last vertex, which stays on the rising side of its new extreme because the
    // edge direction turns by less than π.
    if (i === 0) right = j;
    let r = right;
    let rNext = r + 1 === m ? 0 : r + 1;
    let along = ((xs[r] as number) - ox) * ux + ((ys[r] as number) - oy) * uy;
    for (let steps = 0; steps < m; steps++) {
      const next = ((xs[rNext] as number) - ox) * ux + ((ys[rNext] as number) - oy) * uy;
      if (next <= along) break;
      along = next;
      r = rNext;
      rNext = r + 1 === m ? 0 : r + 1;
    }
    right = r;
    const maxU = along;
    if (i === 0) far = right;
    let f = far;
    let fNext = f + 1 === m ? 0 : f + 1;
    // Inward normal (-uy, ux): left of the edge in y-up maths for a positive-area polygon.
    let across = -((xs[f] as number) - ox) * uy + ((ys[f] as number) - oy) * ux;
    for (let steps = 0; steps < m; steps++) {
      const next = -((xs[fNext] as number) - ox) * uy + ((ys[fNext] as number) - oy) * ux;
      if (next <= across) break;
      across = next;
      f = fNext;
      fNext = f + 1 === m ? 0 : f + 1;
    }
    far = f;
    if (i === 0) left = far;
    let l = left;
    let lNext = l + 1 === m ? 0 : l + 1;
    let back = ((xs[l] as number) - ox) * ux + ((ys[l] as number) - oy) * uy;
    for (let steps = 0; steps < m; steps++) {
      const next = ((xs[lNext] as number) - ox) * ux + ((ys[lNext] as number) - oy) * uy;
      if (next >= back) break;
      back = next;
      l = lNext;
      lNext = l + 1 === m ? 0 : l + 1;
    }
    left = l;
    const area = (maxU - back) * across;
    if (area < best) {
      best = area;
      const mid = (back + maxU) / 2;
      bestRect = orient(
        ox + ux * mid - (uy * across) / 2,
        oy + uy * mid + (ux * across) / 2,
        ux,
        uy,
        maxU - back,
        across,
      );
    }
  }
  return bestRect;
}

/**
 * Corners of a rotated rectangle, clockwise on screen from its own top-left: with u = (cos angle, sin angle)
 * and v = (-sin angle, cos angle), p0 = centre - (w/2)u - (h/2)v, p1 = p0 + w·u, p2 = p1 + h·v, p3 = p0 + h·v.
 */
export function rectCorners(rect: RotatedRect): Quad {
  const ux = Math.cos(rect.angle);
  const uy = Math.sin(rect.angle);
  const wx = (ux * rect.width) / 2;
  const wy = (uy * rect.width) / 2;
  const hx = (-uy * rect.height) / 2;
  const hy = (ux * rect.height) / 2;
  return [
    [rect.cx - wx - hx, rect.cy - wy - hy],
    [rect.cx + wx - hx, rect.cy + wy - hy],
    [rect.cx + wx + hx, rect.cy + wy + hy],
    [rect.cx - wx + hx, rect.cy - wy + hy],
  ];
}

/**
 * Offset distance of DB's "unclip" (M. Liao et al., "Real-time Scene Text Detection with Differentiable
 * Binarization", AAAI 2020: D' = A' × r' / L'), as PaddleOCR's `ppocr/postprocess/db_postprocess.py`
 * computes it on the box: `poly.area * unclip_ratio / poly.length`. PP-OCR's default ratio is 1.5.
 * A rectangle with zero perimeter gives 0.
 */
export function unclipDistance(rect: RotatedRect, ratio: number): number {
  const perimeter = 2 * (rect.width + rect.height);
  return perimeter === 0 ? 0 : (rect.width * rect.height * ratio) / perimeter;
}

/**
 * Grows both sides by `2 × distance`. PaddleOCR offsets the box with pyclipper (`JT_ROUND`, closed polygon)
 * and takes `cv2.minAreaRect` of the result; the round joins stay inside the rectangle grown by the distance
 * on every side, so for a rectangular box that rectangle is the answer. A negative distance shrinks, down to 0.
 */
export function expandRect(rect: RotatedRect, distance: number): RotatedRect {
  return {
    ...rect,
    width: Math.max(0, rect.width + 2 * distance),
    height: Math.max(0, rect.height + 2 * distance),
  };
}

type Homography = readonly [a: number, b: number, c: number, d: number, e: number, f: number, g: number, h: number];

/**
 * Coefficients [a, b, c, d, e, f, g, h] of the homography from the unit square to `quad`,
 * x = (a·u + b·v + c) / (g·u + h·v + 1), y = (d·u + e·v + f) / (g·u + h·v + 1), with (0,0), (1,0), (1,1),
 * (0,1) going to quad[0..3]: P. Heckbert, "Fundamentals of Texture Mapping and Image Warping", UC Berkeley
 * 1989, §2.2.3 (square-to-quadrilateral). g = h = 0, an affine map, exactly when the quad is a parallelogram.
 * The closed form divides by cross(p1 - p2, p3 - p2), so a non-parallelogram with corners 1, 2, 3 collinear
 * throws; other degenerate quads (zero area, three other corners collinear) give a singular map that
 * squeezes the rectangle onto a line, which is harmless for sampling.
 */
function squareToQuad(quad: Quad): Homography {
  const [[x0, y0], [x1, y1], [x2, y2], [x3, y3]] = quad;
  const sumX = x0 - x1 + x2 - x3;
  const sumY = y0 - y1 + y2 - y3;
  let g = 0;
  let h = 0;
  if (sumX !== 0 || sumY !== 0) {
    const dx1 = x1 - x2;
    const dx2 = x3 - x2;
    const dy1 = y1 - y2;
    const dy2 = y3 - y2;
    const det = dx1 * dy2 - dx2 * dy1;
    if (det === 0) {
      throw new RangeError(
        `perspectiveTransform: corners 1, 2 and 3 of quad ${JSON.stringify(quad)} are collinear, so no homography ` +
          'maps a rectangle onto it; skip boxes of zero width or height before cropping',
      );
    }
    g = (sumX * dy2 - dx2 * sumY) / det;
    h = (dx1 * sumY - sumX * dy1) / det;
  }
  return [x1 - x0 + g * x1, x3 - x0 + h * x3, x0, y1 - y0 + g * y1, y3 - y0 + h * y3, y0, g, h];
}

/** `squareToQuad` with the input scaled from `width × height` to the unit square. */
function rectToQuad(quad: Quad, width: number, height: number): Homography {
  if (!(width > 0 && height > 0 && Number.isFinite(width) && Number.isFinite(height))) {
    throw new RangeError(`perspectiveTransform: width and height must be finite and > 0, got ${width} × ${height}`);
  }
  const [a, b, c, d, e, f, g, h] = squareToQuad(quad);
  return [a / width, b / height, c, d / width, e / height, f, g / width, h / height];
}

/**
 * The homography taking the rectangle (0,0), (width,0), (width,height), (0,height) onto quad[0..3]
 * (what `cv2.getPerspectiveTransform` computes by solving the 8×8 system, here in closed form).
 */
export function perspectiveTransform(quad: Quad, width: number, height: number): (x: number, y: number) => Point {
  const [a, b, c, d, e, f, g, h] = rectToQuad(quad, width, height);
  return (x, y) => {
    const w = g * x + h * y + 1;
    return [(a * x + b * y + c) / w, (d * x + e * y + f) / w];
  };
}

/** Border replication: an index outside 0..last reads the nearest edge pixel. */
function clampIndex(index: number, last: number): number {
  return Math.max(0, Math.min(index, last));
}

/**
 * Crops `quad` upright into an `outWidth × outHeight` image with the image's channel count, like PaddleOCR's
 * `get_rotate_crop_image` (`cv2.warpPerspective`, `INTER_CUBIC`, `BORDER_REPLICATE`) but bilinear: each output
 * pixel centre (x + 0.5, y + 0.5) goes through `perspectiveTransform`, and the source is sampled with pixel
 * centres at integer + 0.5, clamping at the border. Integer-aligned axis-aligned quads copy pixels exactly.
 */
export function warpQuad(
  image: { readonly data: Uint8Array; readonly width: number; readonly height: number; readonly channels: number },
  quad: Quad,
  outWidth: number,
  outHeight: number,
): Uint8Array {
  const { data, width, height, channels } = image;
  checkDimension('warpQuad: image.width', width, 1);
  checkDimension('warpQuad: image.height', height, 1);
  checkDimension('warpQuad: image.channels', channels, 1);
  checkDimension('warpQuad: outWidth', outWidth, 1);
  checkDimension('warpQuad: outHeight', outHeight, 1);
  if (data.length !== width * height * channels) {
    throw new RangeError(
      `warpQuad: image.data holds ${data.length} bytes, expected width * height * channels = ${width * height * channels}`,
    );
  }
  const [a, b, c, d, e, f, g, h] = rectToQuad(quad, outWidth, outHeight);
  const out = new Uint8Array(outWidth * outHeight * channels);
  const lastX = width - 1;
  const lastY = height - 1;
  const stride = width * channels;
  let o = 0;
  for (let oy = 0; oy < outHeight; oy++) {
    const v = oy + 0.5;
    for (let ox = 0; ox < outWidth; ox++) {
      const u = ox + 0.5;
      const w = g * u + h * v + 1;
      const sx = (a * u + b * v + c) / w - 0.5;
      const sy = (d * u + e * v + f) / w - 0.5;
      const fx = Math.floor(sx);
      const fy = Math.floor(sy);
      const tx = sx - fx;
      const ty = sy - fy;
      const xa = clampIndex(fx, lastX) * channels;
      const xb = clampIndex(fx + 1, lastX) * channels;
      const ya = clampIndex(fy, lastY) * stride;
      const yb = clampIndex(fy + 1, lastY) * stride;
      for (let ch = 0; ch < channels; ch++) {
        const p00 = data[ya + xa + ch] as number;
        const p10 = data[ya + xb + ch] as number;
        const p01 = data[yb + xa + ch] as number;
        const p11 = data[yb + xb + ch] as number;
        const top = p00 + (p10 - p00) * tx;
        const bottom = p01 + (p11 - p01) * tx;
        // Round, so that weights a rounding error away from 0 or 1 still copy a pixel exactly.
        out[o++] = (top + (bottom - top) * ty + 0.5) | 0;
      }
    }
  }
  return out;
}

/**
 * The same corners starting `steps` corners later (mod 4, negative allowed), still clockwise. Re-labels the
 * text's top-left after a turn: `warpQuad(image, rotateQuad(quad, 1), h, w)` is the `w × h` crop turned 90°
 * counter-clockwise, `rotateQuad(quad, 3)` (or -1) turns it clockwise, `rotateQuad(quad, 2)` by 180°.
 */
export function rotateQuad(quad: Quad, steps: number): Quad {
  if (!Number.isInteger(steps)) throw new RangeError(`rotateQuad: steps must be an integer, got ${steps}`);
  const s = ((steps % 4) + 4) % 4;
  return [quad[s] as Point, quad[(s + 1) % 4] as Point, quad[(s + 2) % 4] as Point, quad[(s + 3) % 4] as Point];
}

/** Angle in radians of the edge quad[0] → quad[1], in (-π, π]; y down, so positive turns clockwise on screen. */
export function quadAngle(quad: Quad): number {
  const [[x0, y0], [x1, y1]] = quad;
  return Math.atan2(y1 - y0, x1 - x0);
}

/** `value` limited to `min..max`. */
export function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}
