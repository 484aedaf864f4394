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
 * More than a tenth of the items may span the gutter when they come in at most this many bands: 17 of
 * 81 lines of mixed-cjk (constructed set) are a full-width mixed Chinese/English block above two columns.
 */
const MAX_SPAN_BANDS = 3;
const MIN_COLUMN_ROWS = 3;
/** A header or footer: at most this many lines, set off by this gap and centred within this (line heights). */
const MAX_END_LINES = 2;
const END_GAP = 1;
const END_CENTRE_TOLERANCE = 1;

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
    const framed = centredEnds(items, h);
    if (framed) {
      out.push(...framed.top);
      cut(framed.rest, h, out, depth + 1);
      out.push(...framed.bottom);
      return;
    }
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

interface Framed<T> {
  readonly top: T[];
  readonly rest: T[];
  readonly bottom: T[];
}

/**
 * A centred header or footer narrower than a column: a line or two above or below all the columns,
 * set off by a gap, centred on them. No gutter runs through it, so the vertical cut would hand it to
 * the column under it and read it before the columns to its right (three-column, constructed set).
 */
function centredEnds<T extends Item>(items: readonly T[], h: number): Framed<T> | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const i of items) {
    if (i.minX < lo) lo = i.minX;
    if (i.maxX > hi) hi = i.maxX;
  }
  const centred = (end: readonly T[]) =>
    end.length <= MAX_END_LINES &&
    end.every((i) => Math.abs((i.minX + i.maxX) / 2 - (lo + hi) / 2) <= END_CENTRE_TOLERANCE * h);
  const byTop = [...items].sort((a, b) => a.minY - b.minY);
  const byBottom = [...items].sort((a, b) => b.maxY - a.maxY);
  const head = band(
    byTop,
    (i) => i.minY,
    (i) => i.maxY,
    h,
  );
  const tail = band(
    byBottom,
    (i) => -i.maxY,
    (i) => -i.minY,
    h,
  );
  if (!centred(head)) head.length = 0;
  if (!centred(tail)) tail.length = 0;
  if (head.length === 0 && tail.length === 0) return undefined;
  const ends = new Set([...head, ...tail]);
  const rest = items.filter((i) => !ends.has(i));
  if (rest.length < 2 || !verticalCut(rest, h)) return undefined;
  return { top: head, rest, bottom: tail.reverse() };
}

/** The items before the first gap of END_GAP line heights, walking `sorted` by `near` with far edge `far`. */
function band<T extends Item>(sorted: readonly T[], near: (i: T) => number, far: (i: T) => number, h: number): T[] {
  let edge = -Infinity;
  for (let k = 0; k < sorted.length; k++) {
    const item = sorted[k] as T;
    if (k > 0 && near(item) - edge >= END_GAP * h) return sorted.slice(0, k);
    edge = Math.max(edge, far(item));
  }
  return [];
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
 * Full-width elements out first: the x-interval crossed by the fewest items whose removal leaves columns
 * side by side; at most a tenth of the items (at least two), or any number in a few bands (`bands`). Those items split the rest into
 * slabs, so a title, a mid-page caption and a footer each come between the column runs they separate.
 */
function spanningCut<T extends Item>(items: readonly T[], h: number): Spanning<T> | undefined {
  const events: [x: number, delta: number][] = [];
  for (const i of items) events.push([i.minX, 1], [i.maxX, -1]);
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const maxSpans = Math.max(2, Math.ceil(items.length / 10));
  const few = leastCovered(events, h, maxSpans, false);
  const found = few && splitAt(items, few, h);
  if (found) return found;
  // Any share of spanning items, but only at a strip with items wholly on both sides: a strip in a
  // column's ragged right edge is crossed by few lines and is no gutter.
  const many = leastCovered(events, h, Infinity, true);
  const split = many && splitAt(items, many, h);
  return split && split.spans.length > maxSpans && columnsUnderBands(split.spans, split.left, split.right, h)
    ? split
    : undefined;
}

/** The x-interval at least MIN_COLUMN_GAP wide crossed by the fewest items (at most `maxCover`), widest first. */
function leastCovered(
  events: readonly [number, number][],
  h: number,
  maxCover: number,
  bothSides: boolean,
): [number, number] | undefined {
  let best: [number, number] | undefined;
  let bestCover = Infinity;
  let cover = 0;
  let started = 0;
  const total = events.length / 2;
  for (let k = 0; k < events.length; k++) {
    const [x, delta] = events[k] as [number, number];
    cover += delta;
    if (delta > 0) started++;
    const next = events[k + 1];
    if (!next || started === 0 || (bothSides && (started === cover || started === total))) continue;
    const width = next[0] - x;
    if (cover < 1 || cover > maxCover || width < MIN_COLUMN_GAP * h) continue;
    if (cover < bestCover || (cover === bestCover && best && width > best[1] - best[0])) {
      bestCover = cover;
      best = [x, next[0]];
    }
  }
  return best;
}

function splitAt<T extends Item>(
  items: readonly T[],
  [start, end]: [number, number],
  h: number,
): (Spanning<T> & Split<T>) | undefined {
  const spans: T[] = [];
  const left: T[] = [];
  const right: T[] = [];
  for (const i of items) {
    if (i.minX <= start && i.maxX >= end) spans.push(i);
    else if (i.maxX <= start) left.push(i);
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
  return { slabs, spans, left, right };
}

/**
 * Many spanning items are full-width material over real columns when they come in a few bands and
 * each side is a column of running text several rows tall, not one row of a chart's axis labels
 * (eu-019 p2).
 */
function columnsUnderBands(spans: readonly Item[], left: readonly Item[], right: readonly Item[], h: number): boolean {
  for (const side of [left, right]) {
    if (horizontalSlabs(side).length < MIN_COLUMN_ROWS) return false;
    // Columns of running text, not an undetected table's short cells under a paragraph (eu-009a).
    if (median(side.map((i) => i.maxX - i.minX)) < ROW_MAX_WIDTH * h) return false;
  }
  return bands(spans, [...left, ...right]) <= MAX_SPAN_BANDS;
}

/**
 * Runs of consecutive spanning items, top to bottom, with no column item between them. Full-width
 * material comes in a few bands (a title block, a mixed-script abstract, a float, a footer) however
 * many lines it has; lines crossing a ragged strip come one here, one there, all down the page.
 */
function bands(spans: readonly Item[], rest: readonly Item[]): number {
  const ys = rest.map(centreY).sort((a, b) => a - b);
  let count = 0;
  let seen = 0;
  for (const span of spans) {
    const y = centreY(span);
    let k = seen;
    while (k < ys.length && (ys[k] as number) < y) k++;
    if (count === 0 || k > seen) count++;
    seen = k;
  }
  return count;
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
