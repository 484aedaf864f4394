import type { Point, Quad } from '@ocrkit/protocol';
import { describe, expect, test } from 'vitest';
import { mulberry32 } from '../../../test/support/mulberry32.ts';
import {
  type Component,
  convexHull,
  expandRect,
  findComponents,
  minAreaRect,
  perspectiveTransform,
  quadAngle,
  type RotatedRect,
  rectCorners,
  rotateQuad,
  unclipDistance,
  warpQuad,
} from '../src/geometry.js';

// Seeded so that a failure reproduces.
const random = mulberry32;

const degrees = Math.PI / 180;
/** Quarter turns clockwise on screen (y down), every geometry fixture is run at each. */
const turns = [0, 1, 2, 3] as const;

/** Turns a point k quarter turns clockwise on screen about the origin: (x, y) → (-y, x) per turn. */
function turnPoint([x, y]: Point, k: number): Point {
  let p: Point = [x, y];
  for (let i = 0; i < k; i++) p = [-p[1], p[0]];
  return p;
}

function turnQuad(quad: Quad, k: number): Quad {
  return [turnPoint(quad[0], k), turnPoint(quad[1], k), turnPoint(quad[2], k), turnPoint(quad[3], k)];
}

function flat(points: readonly Point[]): number[] {
  return points.flat();
}

function cross(o: Point, a: Point, b: Point): number {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

function twiceArea(points: readonly Point[]): number {
  let sum = 0;
  points.forEach((p, i) => {
    const q = points[(i + 1) % points.length] as Point;
    sum += p[0] * q[1] - q[0] * p[1];
  });
  return sum;
}

/** Same angle modulo π: a rectangle's side has no direction. */
function sameLine(a: number, b: number): number {
  const d = (((a - b) % Math.PI) + Math.PI) % Math.PI;
  return Math.min(d, Math.PI - d);
}

describe('findComponents', () => {
  // Drawn masks: '.' is zero; a letter is a pixel of the component of that letter, uppercase on its boundary
  // (a 4-neighbour is zero or off the image), lowercase inside. Letters are in raster order of first pixel.
  const drawings: Record<string, string[]> = {
    'two blobs, one on the right border': ['..........', '.AA....BBB', '.AA....BbB', '.......BBB'],
    'diagonal chains are 8-connected': ['A.....', '.A..B.', '..A.B.', '.A...B', 'A....B'],
    'squares touching at a corner are one component': ['AA..', 'AA..', '..AA', '..AA'],
    'a checkerboard is one component': ['A.A.A', '.A.A.', 'A.A.A', '.A.A.'],
    'blobs in the four corners': ['AA..BB', 'A....B', '......', 'C....D', 'CC..DD'],
    'a ring with a hole and a dot in the hole': [
      '.........',
      '.AAAAAAA.',
      '.AaAAAaA.',
      '.AA...AA.',
      '.AA.B.AA.',
      '.AA...AA.',
      '.AaAAAaA.',
      '.AAAAAAA.',
      '.........',
    ],
    'a full mask': ['AAAAAA', 'AaaaaA', 'AaaaaA', 'AAAAAA'],
    'an empty mask': ['.....', '.....', '.....'],
    'a single row': ['AA.B'],
    'a single column': ['A', 'A', '.', 'B'],
    'a U whose arms join at the bottom': ['A...A', 'A...A', 'A...A', 'AAAAA'],
    'a W whose arms join late, beside a dot': ['A.A.A.B', 'A.A.A..', 'AAAAA..'],
  };

  interface Expected {
    area: number;
    minX: number;
    minY: number;
    maxX: number;
    maxY: number;
    boundary: string[];
  }

  function parse(rows: string[]): { mask: Uint8Array; width: number; height: number; letters: string[] } {
    const height = rows.length;
    const width = rows[0]?.length ?? 0;
    const letters = rows.join('').split('');
    return { mask: Uint8Array.from(letters, (c) => (c === '.' ? 0 : 1)), width, height, letters };
  }

  /** Turns a drawing k quarter turns clockwise: pixel (x, y) of a w × h image goes to (h - 1 - y, x). */
  function turnDrawing(rows: string[], k: number): string[] {
    let out = rows;
    for (let i = 0; i < k; i++) {
      const h = out.length;
      const w = out[0]?.length ?? 0;
      const src = out;
      out = Array.from({ length: w }, (_, y) =>
        Array.from({ length: h }, (_, x) => (src[h - 1 - x] as string)[y] as string).join(''),
      );
    }
    return out;
  }

  /** Expectations read off the drawing, in raster order of each letter's first pixel. */
  function expectedFrom(rows: string[]): Expected[] {
    const byLetter = new Map<string, Expected>();
    rows.forEach((row, y) => {
      [...row].forEach((c, x) => {
        if (c === '.') return;
        const key = c.toUpperCase();
        const e = byLetter.get(key) ?? { area: 0, minX: x, minY: y, maxX: x, maxY: y, boundary: [] };
        e.area++;
        e.minX = Math.min(e.minX, x);
        e.maxX = Math.max(e.maxX, x);
        e.minY = Math.min(e.minY, y);
        e.maxY = Math.max(e.maxY, y);
        if (c === key) e.boundary.push(`${x},${y}`);
        byLetter.set(key, e);
      });
    });
    return [...byLetter.values()];
  }

  function actual(component: Component): Expected {
    const boundary: string[] = [];
    for (let i = 0; i < component.boundary.length; i += 2) {
      boundary.push(`${component.boundary[i]},${component.boundary[i + 1]}`);
    }
    const { area, minX, minY, maxX, maxY } = component;
    return { area, minX, minY, maxX, maxY, boundary };
  }

  const cases = Object.entries(drawings).flatMap(([name, rows]) =>
    turns.map((k) => [`${name}, turned ${90 * k}°`, turnDrawing(rows, k)] as const),
  );

  test.each(cases)('%s', (_, rows) => {
    const { mask, width, height } = parse(rows);
    const expected = expectedFrom(rows);
    // Raster order of components and of boundary pixels is part of the contract (it lets convexHull skip sorting);
    // raster order of a letter's first pixel is also the order in which expectedFrom meets them.
    expect(findComponents(mask, width, height).map(actual)).toEqual(expected);
  });

  test('the drawings are consistent with the rule they illustrate', () => {
    // Guards the fixtures themselves: uppercase exactly where a 4-neighbour is '.' or off the drawing.
    for (const rows of Object.values(drawings)) {
      rows.forEach((row, y) => {
        [...row].forEach((c, x) => {
          if (c === '.') return;
          const off = (dx: number, dy: number) => (rows[y + dy]?.[x + dx] ?? '.') === '.';
          expect(c === c.toUpperCase()).toBe(off(-1, 0) || off(1, 0) || off(0, -1) || off(0, 1));
        });
      });
    }
  });

  test('does not change the mask', () => {
    const { mask, width, height } = parse(drawings['a ring with a hole and a dot in the hole'] as string[]);
    const copy = mask.slice();
    findComponents(mask, width, height);
    expect(mask).toEqual(copy);
  });

  test('a zero-size mask has no components', () => {
    expect(findComponents(new Uint8Array(0), 0, 0)).toEqual([]);
    expect(findComponents(new Uint8Array(0), 5, 0)).toEqual([]);
  });

  test('any non-zero byte counts as set', () => {
    expect(findComponents(Uint8Array.of(0, 255, 7, 0), 4, 1).map((c) => c.area)).toEqual([2]);
  });

  test('a 2000 × 2000 serpentine is one component', () => {
    // Rows 0, 2, 4, ... full; odd rows hold one pixel joining their neighbours at alternating ends.
    const size = 2000;
    const mask = new Uint8Array(size * size);
    for (let y = 0; y < size; y += 2) mask.fill(1, y * size, (y + 1) * size);
    for (let y = 1; y < size - 1; y += 2) mask[y * size + (y % 4 === 1 ? size - 1 : 0)] = 1;
    const components = findComponents(mask, size, size);
    expect(components).toHaveLength(1);
    const [snake] = components as [Component];
    expect(snake.area).toBe((size / 2) * size + (size / 2 - 1));
    expect([snake.minX, snake.minY, snake.maxX, snake.maxY]).toEqual([0, 0, size - 1, size - 2]);
  });

  test('random masks agree with a flood fill that follows the definition', () => {
    const next = random(7);
    for (const density of [0.2, 0.45, 0.6]) {
      const width = 61;
      const height = 37;
      const mask = Uint8Array.from({ length: width * height }, () => (next() < density ? 1 : 0));
      const label = new Int32Array(width * height).fill(-1);
      const expected: Expected[] = [];
      for (let start = 0; start < mask.length; start++) {
        if (mask[start] === 0 || label[start] !== -1) continue;
        const e: Expected = { area: 0, minX: width, minY: height, maxX: -1, maxY: -1, boundary: [] };
        const queue = [start];
        label[start] = expected.length;
        const pixels: number[] = [];
        while (queue.length > 0) {
          const i = queue.pop() as number;
          pixels.push(i);
          const x = i % width;
          const y = (i - x) / width;
          for (let dy = -1; dy <= 1; dy++) {
            for (let dx = -1; dx <= 1; dx++) {
              const nx = x + dx;
              const ny = y + dy;
              const j = ny * width + nx;
              if (nx >= 0 && ny >= 0 && nx < width && ny < height && mask[j] !== 0 && label[j] === -1) {
                label[j] = expected.length;
                queue.push(j);
              }
            }
          }
        }
        pixels.sort((a, b) => a - b);
        for (const i of pixels) {
          const x = i % width;
          const y = (i - x) / width;
          e.area++;
          e.minX = Math.min(e.minX, x);
          e.maxX = Math.max(e.maxX, x);
          e.minY = Math.min(e.minY, y);
          e.maxY = Math.max(e.maxY, y);
          const zero = (nx: number, ny: number) =>
            nx < 0 || ny < 0 || nx >= width || ny >= height || mask[ny * width + nx] === 0;
          if (zero(x - 1, y) || zero(x + 1, y) || zero(x, y - 1) || zero(x, y + 1)) e.boundary.push(`${x},${y}`);
        }
        expected.push(e);
      }
      expect(findComponents(mask, width, height).map(actual)).toEqual(expected);
    }
  });

  test('rejects a mask of the wrong length', () => {
    expect(() => findComponents(new Uint8Array(11), 4, 3)).toThrow(RangeError);
    expect(() => findComponents(new Uint8Array(12), 4.5, 3)).toThrow(/width must be an integer/);
  });
});

describe('convexHull', () => {
  function expectHullOf(points: readonly Point[], hull: readonly Point[]): void {
    const keys = new Set(points.map((p) => `${p[0]},${p[1]}`));
    for (const p of hull) expect(keys.has(`${p[0]},${p[1]}`)).toBe(true);
    if (hull.length < 3) return;
    hull.forEach((a, i) => {
      const b = hull[(i + 1) % hull.length] as Point;
      const c = hull[(i + 2) % hull.length] as Point;
      // Strictly convex and clockwise on screen: every turn is a right turn on screen, so no collinear vertex.
      expect(cross(a, b, c)).toBeGreaterThan(0);
      // Every point lies on the inner side of every edge, or on it.
      for (const p of points) expect(cross(a, b, p)).toBeGreaterThanOrEqual(0);
    });
    // Starts at the topmost point, the leftmost of those.
    const [first] = hull as [Point];
    for (const p of points) expect(p[1] > first[1] || (p[1] === first[1] && p[0] >= first[0])).toBe(true);
  }

  const next = random(11);
  const sets = Array.from({ length: 30 }, (_, i) => {
    const n = 1 + Math.floor(next() * 120);
    // Small integer grids give many duplicates and collinear points; floats give general position.
    const grid = i % 2 === 0;
    return Array.from({ length: n }, (): Point => {
      const x = grid ? Math.floor(next() * 9) : next() * 100 - 50;
      const y = grid ? Math.floor(next() * 9) : next() * 100 - 50;
      return [x, y];
    });
  });

  test.each(turns)('random point sets turned %i quarter turns: a convex hull containing every point', (k) => {
    for (const set of sets) {
      const points = set.map((p) => turnPoint(p, k));
      expectHullOf(points, convexHull(flat(points)));
    }
  });

  test.each(turns)('the hull turns with the points (%i quarter turns)', (k) => {
    for (const set of sets) {
      const turned = convexHull(flat(set)).map((p) => turnPoint(p, k));
      const ofTurned = convexHull(flat(set.map((p) => turnPoint(p, k))));
      // Same vertices in the same cyclic order; only the starting vertex may differ.
      const start = turned.findIndex((p) => p[0] === ofTurned[0]?.[0] && p[1] === ofTurned[0]?.[1]);
      expect([...turned.slice(start), ...turned.slice(0, start)]).toEqual(ofTurned);
    }
  });

  test('a raster-ordered input and the same points shuffled give the same hull', () => {
    const rows: Point[] = [];
    for (let y = 0; y < 5; y++) for (let x = 0; x < 7; x++) if ((x * y) % 3 !== 1) rows.push([x, y]);
    const shuffled = [...rows].sort(() => next() - 0.5);
    expect(convexHull(flat(shuffled))).toEqual(convexHull(flat(rows)));
    expect(convexHull(Int32Array.from(flat(rows)))).toEqual(convexHull(flat(rows)));
  });

  test.each([
    [
      'a square with points on its edges and inside',
      [0, 0, 1, 0, 2, 0, 2, 1, 2, 2, 1, 2, 0, 2, 0, 1, 1, 1],
      [
        [0, 0],
        [2, 0],
        [2, 2],
        [0, 2],
      ],
    ],
    [
      'a triangle given counter-clockwise',
      [0, 0, 0, 4, 3, 4],
      [
        [0, 0],
        [3, 4],
        [0, 4],
      ],
    ],
    [
      'collinear points: the two ends',
      [3, 3, 1, 1, 2, 2, 0, 0, 2, 2],
      [
        [0, 0],
        [3, 3],
      ],
    ],
    [
      'a vertical segment',
      [5, 9, 5, 2, 5, 4],
      [
        [5, 2],
        [5, 9],
      ],
    ],
    [
      'two points',
      [4, 1, 0, 1],
      [
        [0, 1],
        [4, 1],
      ],
    ],
    ['one point repeated', [2, 3, 2, 3, 2, 3], [[2, 3]]],
    ['one point', [2, 3], [[2, 3]]],
    ['no points', [], []],
  ] as [string, number[], Point[]][])('%s', (_, points, expected) => {
    expect(convexHull(points)).toEqual(expected);
  });

  test('rejects an odd number of coordinates', () => {
    expect(() => convexHull([1, 2, 3])).toThrow(RangeError);
  });
});

describe('minAreaRect', () => {
  /** Pixels whose centres lie inside the rectangle, as a mask. */
  function drawRect(rect: RotatedRect, width: number, height: number): Uint8Array {
    const mask = new Uint8Array(width * height);
    const cos = Math.cos(rect.angle);
    const sin = Math.sin(rect.angle);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const dx = x + 0.5 - rect.cx;
        const dy = y + 0.5 - rect.cy;
        const along = dx * cos + dy * sin;
        const across = -dx * sin + dy * cos;
        if (Math.abs(along) <= rect.width / 2 && Math.abs(across) <= rect.height / 2) mask[y * width + x] = 1;
      }
    }
    return mask;
  }

  const drawn = [0, 7, -15, 30].flatMap((angle) => turns.map((k) => [angle, k] as const));

  test.each(drawn)('a drawn 200 × 40 rectangle at %i° turned %i quarter turns', (angle, k) => {
    const truth = { cx: 150.3, cy: 130.6, width: 200, height: 40, angle: (angle + 90 * k) * degrees };
    const [component, ...others] = findComponents(drawRect(truth, 300, 260), 300, 260);
    expect(others).toHaveLength(0);
    const rect = minAreaRect(convexHull((component as Component).boundary));
    // Width is the side closer to horizontal: the long side unless turned by an odd number of quarter turns.
    const [width, height] = k % 2 === 0 ? [200, 40] : [40, 200];
    // Hull points are pixel indices, the pixels reach half a pixel beyond them: one pixel less per side.
    expect(Math.abs(rect.width + 1 - width)).toBeLessThanOrEqual(2);
    expect(Math.abs(rect.height + 1 - height)).toBeLessThanOrEqual(2);
    expect(Math.abs(rect.angle - angle * degrees)).toBeLessThanOrEqual(1 * degrees);
    expect(Math.hypot(rect.cx + 0.5 - truth.cx, rect.cy + 0.5 - truth.cy)).toBeLessThanOrEqual(1);
  });

  /** The definition, O(m²): the best rectangle has a side on a hull edge, so try every edge. */
  function bruteForceArea(hull: readonly Point[]): number {
    let best = Number.POSITIVE_INFINITY;
    hull.forEach((a, i) => {
      const b = hull[(i + 1) % hull.length] as Point;
      const length = Math.hypot(b[0] - a[0], b[1] - a[1]);
      const u = [(b[0] - a[0]) / length, (b[1] - a[1]) / length] as const;
      const along = hull.map((p) => (p[0] - a[0]) * u[0] + (p[1] - a[1]) * u[1]);
      const across = hull.map((p) => -(p[0] - a[0]) * u[1] + (p[1] - a[1]) * u[0]);
      const area = (Math.max(...along) - Math.min(...along)) * (Math.max(...across) - Math.min(...across));
      best = Math.min(best, area);
    });
    return best;
  }

  test.each(turns)('random hulls turned %i quarter turns: the smallest rectangle over all edges', (k) => {
    const next = random(23);
    for (let trial = 0; trial < 200; trial++) {
      const n = 3 + Math.floor(next() * 60);
      // Elongated clouds at random angles, like text lines.
      const angle = next() * Math.PI * 2;
      const points = Array.from({ length: n }, (): Point => {
        const a = (next() - 0.5) * 100;
        const b = (next() - 0.5) * (5 + next() * 40);
        return turnPoint(
          [40 + a * Math.cos(angle) - b * Math.sin(angle), 20 + a * Math.sin(angle) + b * Math.cos(angle)],
          k,
        );
      });
      const hull = convexHull(flat(points));
      if (hull.length < 3) continue;
      const rect = minAreaRect(hull);
      expect(rect.width * rect.height).toBeCloseTo(bruteForceArea(hull), 6);
      expect(rect.angle).toBeGreaterThan(-Math.PI / 4);
      expect(rect.angle).toBeLessThanOrEqual(Math.PI / 4);
      const cos = Math.cos(rect.angle);
      const sin = Math.sin(rect.angle);
      for (const [x, y] of points) {
        const dx = x - rect.cx;
        const dy = y - rect.cy;
        expect(Math.abs(dx * cos + dy * sin)).toBeLessThanOrEqual(rect.width / 2 + 1e-9);
        expect(Math.abs(-dx * sin + dy * cos)).toBeLessThanOrEqual(rect.height / 2 + 1e-9);
      }
    }
  });

  test.each(turns)('an exact 10 × 4 rectangle turned %i quarter turns', (k) => {
    const corners = turnQuad(
      [
        [2, 3],
        [12, 3],
        [12, 7],
        [2, 7],
      ],
      k,
    );
    const rect = minAreaRect(convexHull(flat(corners)));
    expect(rect).toEqual({
      cx: turnPoint([7, 5], k)[0],
      cy: turnPoint([7, 5], k)[1],
      width: k % 2 === 0 ? 10 : 4,
      height: k % 2 === 0 ? 4 : 10,
      angle: 0,
    });
  });

  test('a hull given counter-clockwise on screen gives the same rectangle', () => {
    const hull = convexHull([0, 0, 10, 1, 9, 5, -1, 4]);
    expect(minAreaRect([...hull].reverse())).toEqual(minAreaRect(hull));
  });

  test.each([
    ['a point', [[3, 4]], { cx: 3, cy: 4, width: 0, height: 0, angle: 0 }],
    [
      'a horizontal segment',
      [
        [1, 2],
        [7, 2],
      ],
      { cx: 4, cy: 2, width: 6, height: 0, angle: 0 },
    ],
    [
      'a vertical segment: height, not width',
      [
        [1, 2],
        [1, 8],
      ],
      { cx: 1, cy: 5, width: 0, height: 6, angle: 0 },
    ],
    [
      'a segment leaving down and right',
      [
        [0, 0],
        [4, 3],
      ],
      { cx: 2, cy: 1.5, width: 5, height: 0, angle: Math.atan2(3, 4) },
    ],
    [
      'a segment rising to the right',
      [
        [0, 3],
        [4, 0],
      ],
      { cx: 2, cy: 1.5, width: 5, height: 0, angle: -Math.atan2(3, 4) },
    ],
  ] as [string, Point[], RotatedRect][])('%s', (_, hull, expected) => {
    const rect = minAreaRect(hull);
    for (const key of ['cx', 'cy', 'width', 'height', 'angle'] as const)
      expect(rect[key]).toBeCloseTo(expected[key], 12);
  });

  test('rejects an empty hull', () => {
    expect(() => minAreaRect([])).toThrow(/empty/);
  });
});

describe('rectCorners', () => {
  test('an axis-aligned rectangle: top-left, top-right, bottom-right, bottom-left', () => {
    expect(rectCorners({ cx: 10, cy: 20, width: 8, height: 4, angle: 0 })).toEqual([
      [6, 18],
      [14, 18],
      [14, 22],
      [6, 22],
    ]);
  });

  test('a rectangle at 30°: p0 = centre - (w/2)u - (h/2)v, then along u by w and along v by h', () => {
    const rect = { cx: 50, cy: 40, width: 30, height: 10, angle: 30 * degrees };
    const u = [Math.cos(rect.angle), Math.sin(rect.angle)] as const;
    const v = [-u[1], u[0]] as const;
    const p0: Point = [rect.cx - 15 * u[0] - 5 * v[0], rect.cy - 15 * u[1] - 5 * v[1]];
    const expected = [
      p0,
      [p0[0] + 30 * u[0], p0[1] + 30 * u[1]],
      [p0[0] + 30 * u[0] + 10 * v[0], p0[1] + 30 * u[1] + 10 * v[1]],
      [p0[0] + 10 * v[0], p0[1] + 10 * v[1]],
    ];
    rectCorners(rect).forEach((corner, i) => {
      expect(corner[0]).toBeCloseTo((expected[i] as Point)[0], 12);
      expect(corner[1]).toBeCloseTo((expected[i] as Point)[1], 12);
    });
    expect(quadAngle(rectCorners(rect))).toBeCloseTo(rect.angle, 12);
  });

  test.each(turns)('round-trips through convexHull and minAreaRect, turned %i quarter turns', (k) => {
    const next = random(31);
    for (let trial = 0; trial < 100; trial++) {
      const rect = {
        cx: next() * 200 - 100,
        cy: next() * 200 - 100,
        width: 1 + next() * 300,
        height: 1 + next() * 300,
        angle: (next() - 0.5) * (Math.PI / 2) * 0.999,
      };
      const corners = turnQuad(rectCorners(rect), k);
      // Clockwise on screen: positive shoelace area, equal to width × height.
      expect(twiceArea(corners) / 2).toBeCloseTo(rect.width * rect.height, 6);
      const back = minAreaRect(convexHull(flat(corners)));
      const [cx, cy] = turnPoint([rect.cx, rect.cy], k);
      expect(back.cx).toBeCloseTo(cx, 9);
      expect(back.cy).toBeCloseTo(cy, 9);
      expect(back.width).toBeCloseTo(k % 2 === 0 ? rect.width : rect.height, 9);
      expect(back.height).toBeCloseTo(k % 2 === 0 ? rect.height : rect.width, 9);
      expect(sameLine(back.angle, rect.angle)).toBeLessThan(1e-9);
    }
  });
});

describe('unclipDistance and expandRect', () => {
  test.each([0, 0.3, -1.2])('a 100 × 20 box at %f rad with ratio 1.5 grows by 12.5 on every side', (angle) => {
    const rect = { cx: 60, cy: 30, width: 100, height: 20, angle };
    // Area 2000, perimeter 240: 2000 × 1.5 / 240.
    expect(unclipDistance(rect, 1.5)).toBe(12.5);
    const grown = expandRect(rect, 12.5);
    expect(grown).toEqual({ cx: 60, cy: 30, width: 125, height: 45, angle });
    // Each side moved outward by the distance: corner p0 moves by -d·u - d·v.
    const [before] = rectCorners(rect);
    const [after] = rectCorners(grown);
    const u = [Math.cos(angle), Math.sin(angle)] as const;
    expect(after[0]).toBeCloseTo(before[0] - 12.5 * u[0] + 12.5 * u[1], 9);
    expect(after[1]).toBeCloseTo(before[1] - 12.5 * u[1] - 12.5 * u[0], 9);
  });

  test('a zero-size rectangle has zero distance', () => {
    expect(unclipDistance({ cx: 1, cy: 1, width: 0, height: 0, angle: 0 }, 1.5)).toBe(0);
  });

  test('a negative distance shrinks, but not below zero', () => {
    expect(expandRect({ cx: 0, cy: 0, width: 10, height: 4, angle: 0 }, -3)).toEqual({
      cx: 0,
      cy: 0,
      width: 4,
      height: 0,
      angle: 0,
    });
  });
});

describe('perspectiveTransform', () => {
  const next = random(41);
  // Random convex quads, clockwise on screen: four points at increasing angles around a centre.
  const quads = Array.from({ length: 40 }, (): Quad => {
    const cx = next() * 200;
    const cy = next() * 200;
    const corner = (i: number): Point => {
      const a = ((i - 2.5 + next() * 0.6) * Math.PI) / 2;
      const r = 20 + next() * 80;
      return [cx + r * Math.cos(a), cy + r * Math.sin(a)];
    };
    return [corner(0), corner(1), corner(2), corner(3)];
  });

  /** Where the diagonals p0p2 and p1p3 cross: a homography keeps incidences, so the centre goes there. */
  function diagonalsCross([p0, p1, p2, p3]: Quad): Point {
    const d = cross([0, 0], [p2[0] - p0[0], p2[1] - p0[1]], [p3[0] - p1[0], p3[1] - p1[1]]);
    const t = cross([0, 0], [p1[0] - p0[0], p1[1] - p0[1]], [p3[0] - p1[0], p3[1] - p1[1]]) / d;
    return [p0[0] + t * (p2[0] - p0[0]), p0[1] + t * (p2[1] - p0[1])];
  }

  test.each(turns)('maps the corners exactly and the centre to where the diagonals cross (%i quarter turns)', (k) => {
    for (const original of quads) {
      const quad = turnQuad(original, k);
      const [width, height] = [320, 48];
      const map = perspectiveTransform(quad, width, height);
      const corners = [map(0, 0), map(width, 0), map(width, height), map(0, height)];
      corners.forEach((p, i) => {
        expect(p[0]).toBeCloseTo((quad[i] as Point)[0], 9);
        expect(p[1]).toBeCloseTo((quad[i] as Point)[1], 9);
      });
      const centre = map(width / 2, height / 2);
      const expected = diagonalsCross(quad);
      expect(centre[0]).toBeCloseTo(expected[0], 9);
      expect(centre[1]).toBeCloseTo(expected[1], 9);
    }
  });

  test.each(turns)('is affine on a parallelogram (%i quarter turns)', (k) => {
    const quad = turnQuad(
      [
        [10, 20],
        [110, 35],
        [95, 75],
        [-5, 60],
      ],
      k,
    );
    const map = perspectiveTransform(quad, 200, 80);
    const centre = map(100, 40);
    expect(centre[0]).toBeCloseTo(quad.reduce((s, p) => s + p[0], 0) / 4, 12);
    expect(centre[1]).toBeCloseTo(quad.reduce((s, p) => s + p[1], 0) / 4, 12);
    for (let trial = 0; trial < 20; trial++) {
      const a: Point = [next() * 200, next() * 80];
      const b: Point = [next() * 200, next() * 80];
      const mid = map((a[0] + b[0]) / 2, (a[1] + b[1]) / 2);
      const [ma, mb] = [map(...a), map(...b)];
      expect(mid[0]).toBeCloseTo((ma[0] + mb[0]) / 2, 9);
      expect(mid[1]).toBeCloseTo((ma[1] + mb[1]) / 2, 9);
    }
  });

  test('rejects a quad that is no parallelogram with corners 1, 2, 3 collinear, and an empty rectangle', () => {
    const quad: Quad = [
      [0, 0],
      [10, 0],
      [10, 5],
      [10, 10],
    ];
    expect(() => perspectiveTransform(quad, 10, 10)).toThrow(/collinear/);
    expect(() => perspectiveTransform(quads[0] as Quad, 0, 10)).toThrow(RangeError);
  });
});

describe('warpQuad', () => {
  interface Image {
    data: Uint8Array;
    width: number;
    height: number;
    channels: number;
  }

  function noise(width: number, height: number, channels: number, seed: number): Image {
    const next = random(seed);
    return {
      data: Uint8Array.from({ length: width * height * channels }, () => Math.floor(next() * 256)),
      width,
      height,
      channels,
    };
  }

  function crop(image: Image, x0: number, y0: number, width: number, height: number): Image {
    const data = new Uint8Array(width * height * image.channels);
    for (let y = 0; y < height; y++) {
      const from = ((y0 + y) * image.width + x0) * image.channels;
      data.set(image.data.subarray(from, from + width * image.channels), y * width * image.channels);
    }
    return { data, width, height, channels: image.channels };
  }

  /** Turns an image one quarter turn clockwise on screen: pixel (x, y) goes to (h - 1 - y, x). */
  function turnImage(image: Image): Image {
    const { width, height, channels } = image;
    const data = new Uint8Array(image.data.length);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const to = (x * height + (height - 1 - y)) * channels;
        data.set(image.data.subarray((y * width + x) * channels, (y * width + x + 1) * channels), to);
      }
    }
    return { data, width: height, height: width, channels };
  }

  const box: Quad = [
    [5, 3],
    [17, 3],
    [17, 12],
    [5, 12],
  ];

  test.each([1, 3, 4])('an integer-aligned axis-aligned quad copies the pixels exactly (%i channels)', (channels) => {
    const image = noise(23, 17, channels, channels);
    expect(warpQuad(image, box, 12, 9)).toEqual(crop(image, 5, 3, 12, 9).data);
  });

  test.each(turns)('rotateQuad(box, %i) crops the box turned counter-clockwise that many quarter turns', (k) => {
    const image = noise(23, 17, 3, 99);
    let expected = crop(image, 5, 3, 12, 9);
    for (let i = 0; i < (4 - k) % 4; i++) expected = turnImage(expected);
    expect(warpQuad(image, rotateQuad(box, k), expected.width, expected.height)).toEqual(expected.data);
  });

  test('samples a linear ramp through a perspective quad at pixel centres', () => {
    // Bilinear interpolation reproduces a linear function exactly; pixel (x, y) holds its value at its centre.
    const width = 50;
    const height = 40;
    const ramp = (x: number, y: number) => 3 * x + 2 * y + 5;
    const data = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = ramp(x, y);
    const quad: Quad = [
      [10.2, 8.7],
      [44.5, 12.1],
      [41.3, 33.8],
      [12.9, 30.4],
    ];
    const [outWidth, outHeight] = [30, 20];
    const out = warpQuad({ data, width, height, channels: 1 }, quad, outWidth, outHeight);
    const map = perspectiveTransform(quad, outWidth, outHeight);
    for (let y = 0; y < outHeight; y++) {
      for (let x = 0; x < outWidth; x++) {
        const [sx, sy] = map(x + 0.5, y + 0.5);
        // Within rounding; a half-pixel slip in either convention would be off by 2.5.
        expect(Math.abs((out[y * outWidth + x] as number) - ramp(sx - 0.5, sy - 0.5))).toBeLessThanOrEqual(0.5 + 1e-9);
      }
    }
  });

  test('replicates the border outside the image', () => {
    const image = { data: Uint8Array.of(10, 20, 30, 40), width: 4, height: 1, channels: 1 };
    const wide: Quad = [
      [-4, -3],
      [8, -3],
      [8, 4],
      [-4, 4],
    ];
    expect([...warpQuad(image, wide, 12, 1)]).toEqual([10, 10, 10, 10, 10, 20, 30, 40, 40, 40, 40, 40]);
    const dot = { data: Uint8Array.of(7, 8, 9), width: 1, height: 1, channels: 3 };
    expect([...warpQuad(dot, box, 2, 2)]).toEqual([7, 8, 9, 7, 8, 9, 7, 8, 9, 7, 8, 9]);
  });

  test('rejects image data of the wrong length and empty outputs', () => {
    const image = { data: new Uint8Array(10), width: 2, height: 2, channels: 3 };
    expect(() => warpQuad(image, box, 4, 4)).toThrow(/expected width \* height \* channels = 12/);
    expect(() => warpQuad(noise(4, 4, 1, 1), box, 0, 4)).toThrow(RangeError);
  });
});

describe('rotateQuad', () => {
  const quad: Quad = [
    [0, 0],
    [1, 0],
    [1, 1],
    [0, 1],
  ];

  test.each([
    [0, 0],
    [1, 1],
    [2, 2],
    [3, 3],
    [4, 0],
    [7, 3],
    [-1, 3],
    [-5, 3],
    [-8, 0],
  ])('%i steps start at corner %i', (steps, first) => {
    expect(rotateQuad(quad, steps)).toEqual([0, 1, 2, 3].map((i) => quad[(first + i) % 4]));
  });

  test('rejects fractional steps', () => {
    expect(() => rotateQuad(quad, 1.5)).toThrow(RangeError);
  });
});

describe('quadAngle', () => {
  const box: Quad = [
    [0, 0],
    [4, 0],
    [4, 2],
    [0, 2],
  ];

  test.each([
    [0, 0],
    [1, Math.PI / 2],
    [2, Math.PI],
    [3, -Math.PI / 2],
  ])('the box relabelled by %i steps has its first edge at %f rad (y down)', (steps, angle) => {
    expect(quadAngle(rotateQuad(box, steps))).toBe(angle);
  });

  test.each([-40, -15, 0, 7, 30, 45])('the corners of a rectangle at %i° give %i°', (angle) => {
    expect(quadAngle(rectCorners({ cx: 3, cy: 4, width: 20, height: 5, angle: angle * degrees }))).toBeCloseTo(
      angle * degrees,
      12,
    );
  });
});
