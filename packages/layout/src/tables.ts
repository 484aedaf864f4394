import { unionBoxes } from './box.js';
import { centreY, type LineItem, median } from './item.js';
import { joinWords } from './text.js';
import type { Line, Table, TableCell } from './types.js';

/** A table found among the lines, with the lines it took (row by row, cell by cell). */
export interface FoundTable {
  readonly table: Table;
  readonly lines: readonly LineItem[];
  /** Its box in the page's upright frame. */
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
  readonly height: number;
}

/** Row bands further apart than this (line heights) end a table. */
const MAX_ROW_GAP = 1.5;
/** Strips narrower than this (line heights) are not column borders. */
const MIN_BORDER = 0.3;
/** Paragraph text, not cells: cells hold a few words (ICDAR 2013 EU cells: median 1, rarely over 6). */
const MAX_MEDIAN_WORDS = 4;
const MAX_MEAN_WORDS = 6;
/** At least half of the grid holds text. */
const MIN_FILL = 0.5;

interface Band {
  readonly items: LineItem[];
  centre: number;
  readonly height: number;
}

/**
 * Tables from text boxes alone (no ruling lines are seen): runs of row bands holding two or more
 * separate lines each, whose cells line up in columns. Column borders are x-strips that no row fills,
 * or that only cells reaching across them on both sides (spanning cells) fill, in at most a quarter of
 * the rows. Conservative by design: a run is a table only if it has 2+ columns, 6+ grid cells, half of
 * the grid filled and cells of a few words (paragraphs and two-column text have long lines), and
 * a two-column run whose left cells end with a colon is a form, not a table.
 */
export function findTables(items: readonly LineItem[]): FoundTable[] {
  const bands = rowBands(items);
  const found: FoundTable[] = [];
  let i = 0;
  while (i < bands.length) {
    if ((bands[i] as Band).items.length < 2) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < bands.length && bandsTouch(bands[j - 1] as Band, bands[j] as Band)) {
      const band = bands[j] as Band;
      const next = bands[j + 1];
      // One-cell rows stay inside a run when a multi-cell row follows: spanning or half-empty rows.
      if (band.items.length < 2 && !(next && next.items.length >= 2 && bandsTouch(band, next))) break;
      j++;
    }
    const start = i > 0 && spanningHeader(bands[i - 1] as Band, bands[i] as Band) ? i - 1 : i;
    const table = tableOf(bands.slice(start, j));
    if (table) found.push(table);
    i = j;
  }
  return found;
}

function rowBands(items: readonly LineItem[]): Band[] {
  const sorted = [...items].sort((a, b) => centreY(a) - centreY(b));
  const bands: Band[] = [];
  for (const item of sorted) {
    const band = bands[bands.length - 1];
    const y = centreY(item);
    if (band && Math.abs(y - band.centre) <= 0.4 * Math.min(item.height, band.height)) {
      band.items.push(item);
      band.centre += (y - band.centre) / band.items.length;
    } else bands.push({ items: [item], centre: y, height: item.height });
  }
  for (const band of bands) band.items.sort((a, b) => a.minX - b.minX);
  return bands;
}

function bandTop(band: Band): number {
  return Math.min(...band.items.map((i) => i.minY));
}

function bandBottom(band: Band): number {
  return Math.max(...band.items.map((i) => i.maxY));
}

function bandsTouch(upper: Band, lower: Band): boolean {
  const h = Math.max(upper.height, lower.height);
  return bandTop(lower) - bandBottom(upper) <= MAX_ROW_GAP * h;
}

/** A one-cell row right above a run that sits over its columns but leaves the first one empty. */
function spanningHeader(header: Band, first: Band): boolean {
  const only = header.items[0];
  const firstCell = first.items[0];
  if (header.items.length !== 1 || !only || !firstCell || !bandsTouch(header, first)) return false;
  const right = first.items[first.items.length - 1] as LineItem;
  return only.minX > firstCell.maxX && only.maxX <= right.maxX + first.height && only.minX < right.minX;
}

interface Span {
  start: number;
  end: number;
}

function tableOf(bands: readonly Band[]): FoundTable | undefined {
  if (bands.length < 2) return undefined;
  const h = median(bands.flatMap((b) => b.items.map((i) => i.height)));
  const columns = columnsOf(bands, h);
  if (columns.length < 2 || bands.length * columns.length < 6) return undefined;
  const cells: { row: number; col: number; colSpan: number; items: LineItem[] }[] = [];
  bands.forEach((band, row) => {
    const inRow: { col: number; last: number; items: LineItem[] }[] = [];
    for (const item of band.items) {
      const [first, last] = columnRange(item, columns);
      const previous = inRow[inRow.length - 1];
      if (previous && first <= previous.last) {
        previous.items.push(item);
        previous.last = Math.max(previous.last, last);
      } else inRow.push({ col: first, last, items: [item] });
    }
    for (const c of inRow) cells.push({ row, col: c.col, colSpan: c.last - c.col + 1, items: c.items });
  });
  const filled = cells.reduce((sum, c) => sum + c.colSpan, 0);
  if (filled < MIN_FILL * bands.length * columns.length) return undefined;
  const words = cells.map((c) => c.items.reduce((sum, i) => sum + i.line.words.length, 0));
  if (median(words) > MAX_MEDIAN_WORDS || words.reduce((a, b) => a + b, 0) / words.length > MAX_MEAN_WORDS) {
    return undefined;
  }
  if (columns.length === 2 && isForm(cells.filter((c) => c.col === 0).map((c) => cellText(c.items)))) return undefined;
  const tableCells: TableCell[] = cells.map((c) => ({
    row: c.row,
    col: c.col,
    rowSpan: 1,
    colSpan: c.colSpan,
    text: cellText(c.items),
    box: unionBoxes(c.items.map((i) => i.line.box)),
  }));
  const lines = cells.flatMap((c) => c.items);
  return {
    table: {
      box: unionBoxes(tableCells.map((c) => c.box)),
      rows: bands.length,
      cols: columns.length,
      cells: tableCells,
    },
    lines,
    minX: Math.min(...lines.map((i) => i.minX)),
    minY: Math.min(...lines.map((i) => i.minY)),
    maxX: Math.max(...lines.map((i) => i.maxX)),
    maxY: Math.max(...lines.map((i) => i.maxY)),
    height: h,
  };
}

function cellText(items: readonly LineItem[]): string {
  return joinWords(items.flatMap((i): Line['words'] => i.line.words));
}

/** Label/value pairs ("Name:", "日期：") make a form. */
function isForm(labels: readonly string[]): boolean {
  const colons = labels.filter((l) => /[:：]$/u.test(l)).length;
  return labels.length > 0 && colons * 2 >= labels.length;
}

/**
 * Columns: x-intervals between borders. A border is a maximal strip where at most a quarter of the rows
 * have text, and every row that does reaches past it on both sides (a cell spanning columns).
 */
function columnsOf(bands: readonly Band[], h: number): Span[] {
  const rows: Span[][] = bands.map((band) => mergeSpans(band.items.map((i) => ({ start: i.minX, end: i.maxX }))));
  const events: [x: number, delta: number][] = [];
  for (const spans of rows) for (const s of spans) events.push([s.start, 1], [s.end, -1]);
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const wide = (strip: Span) => strip.end - strip.start >= MIN_BORDER * h;
  const spanned = (strip: Span) =>
    rows.every((spans) =>
      spans.every((s) => s.end <= strip.start || s.start >= strip.end || (s.start < strip.start && s.end > strip.end)),
    );
  const tolerant = lowStrips(events, Math.floor(bands.length / 4)).filter((s) => wide(s) && spanned(s));
  const empty = lowStrips(events, 0).filter(
    (s) => wide(s) && !tolerant.some((t) => t.start <= s.start && t.end >= s.end),
  );
  const borders = [...tolerant, ...empty].sort((a, b) => a.start - b.start);
  const columns: Span[] = [];
  let at = (events[0] as [number, number])[0];
  for (const border of borders) {
    columns.push({ start: at, end: border.start });
    at = border.end;
  }
  columns.push({ start: at, end: (events[events.length - 1] as [number, number])[0] });
  return columns.filter((c) => c.end > c.start);
}

/** Maximal x-strips inside the rows' extent covered by at most `tolerance` rows. */
function lowStrips(events: readonly [number, number][], tolerance: number): Span[] {
  const low: Span[] = [];
  let cover = 0;
  for (let k = 0; k < events.length - 1; k++) {
    const [x, delta] = events[k] as [number, number];
    cover += delta;
    const next = (events[k + 1] as [number, number])[0];
    if (next <= x || cover > tolerance) continue;
    const last = low[low.length - 1];
    if (last && last.end >= x) last.end = next;
    else low.push({ start: x, end: next });
  }
  return low;
}

function mergeSpans(spans: Span[]): Span[] {
  spans.sort((a, b) => a.start - b.start);
  const merged: Span[] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else merged.push({ ...s });
  }
  return merged;
}

/** First and last column an item covers a real part of (a quarter of the narrower of the two). */
function columnRange(item: LineItem, columns: readonly Span[]): [number, number] {
  let first = -1;
  let last = -1;
  let nearest = 0;
  let nearestDistance = Infinity;
  columns.forEach((c, k) => {
    const overlap = Math.min(item.maxX, c.end) - Math.max(item.minX, c.start);
    if (overlap > 0.25 * Math.min(item.maxX - item.minX, c.end - c.start)) {
      if (first < 0) first = k;
      last = k;
    }
    const distance = Math.max(c.start - item.maxX, item.minX - c.end, -overlap);
    if (distance < nearestDistance) {
      nearestDistance = distance;
      nearest = k;
    }
  });
  return first < 0 ? [nearest, nearest] : [first, last];
}
