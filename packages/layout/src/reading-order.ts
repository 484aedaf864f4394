import { centreY, type Item, median } from './item.js';
import { topologicalOrder } from './topological-order.js';

/** Narrowest vertical gap taken for a column gutter, in median line heights. */
const MIN_COLUMN_GAP = 0.5;
/** Lines overlap across their boxes by ascenders and descenders; horizontal cuts use this inner band. */
const CORE_SHRINK = 0.2;
/** Row structure (forms, tables) rather than columns: most items pair up and are shorter than this (line heights). */
const ROW_PAIRED = 0.6;
const ROW_MAX_WIDTH = 8;
/** The ordering fallback is quadratic in its leaf; bigger leaves are read top to bottom. */
const MAX_TOPOLOGICAL = 400;

/**
 * Items in reading order (left to right, top to bottom), by recursive XY-cut (Nagy and Seth, 1984):
 * 1. a vertical gutter with items on both sides at the same height splits columns, read left first,
 *    unless the two sides pair up row by row like a form, which is read by rows;
 * 2. else items that bridge the only gutter (titles, footers, spanning captions) are taken out and the
 *    remaining columns are read slab by slab between them;
 * 3. else every horizontal gap splits rows, read top first;
 * 4. else the items are ordered by Breuel's rules (`topologicalOrder`).
 */
export function readingOrder<T extends Item>(items: readonly T[]): T[] {
  const h = median(items.map((i) => i.height)) || 1;
  const out: T[] = [];
  cut(items, h, out, 0);
  return out;
}

function cut<T extends Item>(items: readonly T[], h: number, out: T[], depth: number): void {
  if (items.length <= 1 || depth > 64) {
    out.push(...topToBottom(items));
    return;
  }
  const vertical = verticalCut(items, h);
  if (vertical && !rowStructured(vertical.left, vertical.right, h)) {
    cut(vertical.left, h, out, depth + 1);
    cut(vertical.right, h, out, depth + 1);
    return;
  }
  if (!vertical) {
    const spanning = spanningCut(items, h);
    if (spanning) {
      spanning.slabs.forEach((slab, k) => {
        cut(slab, h, out, depth + 1);
        const span = spanning.spans[k];
        if (span) out.push(span);
      });
      return;
    }
  }
  const rows = horizontalSlabs(items);
  if (rows.length > 1) {
    for (const row of rows) cut(row, h, out, depth + 1);
    return;
  }
  if (vertical) {
    cut(vertical.left, h, out, depth + 1);
    cut(vertical.right, h, out, depth + 1);
    return;
  }
  out.push(...(items.length > MAX_TOPOLOGICAL ? topToBottom(items) : topologicalOrder(items)));
}

function topToBottom<T extends Item>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => a.minY - b.minY || a.minX - b.minX);
}

interface Split<T> {
  readonly left: T[];
  readonly right: T[];
}

/** The widest gap of the x-projection that has items on both sides at the same height. */
function verticalCut<T extends Item>(items: readonly T[], h: number): Split<T> | undefined {
  const sorted = [...items].sort((a, b) => a.minX - b.minX);
  let best: Split<T> | undefined;
  let bestWidth = 0;
  let end = -Infinity;
  for (let i = 0; i < sorted.length; i++) {
    const item = sorted[i] as T;
    const width = item.minX - end;
    if (i > 0 && width >= MIN_COLUMN_GAP * h && width > bestWidth) {
      const left = sorted.slice(0, i);
      const right = sorted.slice(i);
      if (sideBySide(left, right, h)) {
        best = { left, right };
        bestWidth = width;
      }
    }
    if (item.maxX > end) end = item.maxX;
  }
  return best;
}

/** The two groups overlap vertically: some item on one side has a partner at the same height on the other. */
function sideBySide(left: readonly Item[], right: readonly Item[], h: number): boolean {
  const [l0, l1] = extentY(left);
  const [r0, r1] = extentY(right);
  return Math.min(l1, r1) - Math.max(l0, r0) >= h / 2 && pairedShare(right, left) > 0;
}

function extentY(items: readonly Item[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const i of items) {
    if (i.minY < lo) lo = i.minY;
    if (i.maxY > hi) hi = i.maxY;
  }
  return [lo, hi];
}

/**
 * Label/value forms and undetected tables: most items on each side have a partner on the other at the
 * same height, and items are short. Such pages read row by row; two columns of running text do not.
 */
function rowStructured(left: readonly Item[], right: readonly Item[], h: number): boolean {
  if (median([...left, ...right].map((i) => i.maxX - i.minX)) >= ROW_MAX_WIDTH * h) return false;
  return pairedShare(left, right) >= ROW_PAIRED && pairedShare(right, left) >= ROW_PAIRED;
}

function pairedShare(from: readonly Item[], to: readonly Item[]): number {
  const centres = to.map(centreY).sort((a, b) => a - b);
  let paired = 0;
  for (const item of from) {
    const y = centreY(item);
    const tolerance = item.height / 2;
    let lo = 0;
    let hi = centres.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((centres[mid] as number) < y - tolerance) lo = mid + 1;
      else hi = mid;
    }
    if (lo < centres.length && (centres[lo] as number) <= y + tolerance) paired++;
  }
  return from.length === 0 ? 0 : paired / from.length;
}

interface Spanning<T> {
  /** `slabs.length === spans.length + 1`: slab 0, span 0, slab 1, ... */
  readonly slabs: T[][];
  readonly spans: T[];
}

/**
 * Full-width elements out first: the x-interval crossed by the fewest items (at most a tenth of them,
 * at least two allowed) whose removal leaves columns side by side. Those items split the rest into
 * slabs, so a title, a mid-page caption and a footer each come between the column runs they separate.
 */
function spanningCut<T extends Item>(items: readonly T[], h: number): Spanning<T> | undefined {
  const events: [x: number, delta: number][] = [];
  for (const i of items) events.push([i.minX, 1], [i.maxX, -1]);
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const maxSpans = Math.max(2, Math.ceil(items.length / 10));
  let bestStart = 0;
  let bestEnd = 0;
  let bestCover = Infinity;
  let cover = 0;
  let started = 0;
  for (let k = 0; k < events.length; k++) {
    const [x, delta] = events[k] as [number, number];
    cover += delta;
    if (delta > 0) started++;
    const next = events[k + 1];
    if (!next || started === 0) continue;
    const width = next[0] - x;
    if (cover < 1 || cover > maxSpans || width < MIN_COLUMN_GAP * h) continue;
    if (cover < bestCover || (cover === bestCover && width > bestEnd - bestStart)) {
      bestCover = cover;
      bestStart = x;
      bestEnd = next[0];
    }
  }
  if (bestCover === Infinity) return undefined;
  const spans: T[] = [];
  const left: T[] = [];
  const right: T[] = [];
  for (const i of items) {
    if (i.minX <= bestStart && i.maxX >= bestEnd) spans.push(i);
    else if (i.maxX <= bestStart) left.push(i);
    else right.push(i);
  }
  if (left.length === 0 || right.length === 0 || !sideBySide(left, right, h)) return undefined;
  spans.sort((a, b) => centreY(a) - centreY(b));
  const slabs: T[][] = spans.map(() => []);
  slabs.push([]);
  const spanCentres = spans.map(centreY);
  for (const i of [...left, ...right]) {
    const y = centreY(i);
    let k = 0;
    while (k < spanCentres.length && (spanCentres[k] as number) < y) k++;
    (slabs[k] as T[]).push(i);
  }
  return { slabs, spans };
}

/** Splits at every gap of the y-projection of the items' inner bands, top to bottom. */
function horizontalSlabs<T extends Item>(items: readonly T[]): T[][] {
  const core = (i: Item): [number, number] => {
    const shrink = Math.min(CORE_SHRINK * i.height, (i.maxY - i.minY) / 2 - 1e-6);
    return [i.minY + Math.max(shrink, 0), i.maxY - Math.max(shrink, 0)];
  };
  const sorted = [...items].sort((a, b) => core(a)[0] - core(b)[0]);
  const slabs: T[][] = [];
  let end = -Infinity;
  for (const item of sorted) {
    const [top, bottom] = core(item);
    if (slabs.length === 0 || top > end) slabs.push([]);
    (slabs[slabs.length - 1] as T[]).push(item);
    if (bottom > end) end = bottom;
  }
  return slabs;
}
