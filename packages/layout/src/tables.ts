import { unionBoxes } from './box.js';
import { centreY, type LineItem, median } from './item.js';
import { MAX_JUSTIFIED_GAP } from './justified.js';
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
/** A lone line this close (line heights) under a cell's line continues that cell. */
const WRAP_GAP = 0.5;
const WRAP_HEIGHT = 0.85;
/** Bands overlapping by more than this (line heights) are one row. */
const ROW_OVERLAP = 0.25;
/** Gaps within this of a table's narrowest (line heights) join the lines of a cell, given gaps this wide elsewhere. */
const TIGHT_GAP = 0.3;
const LOOSE_GAP = 0.6;
/** At least half of the grid holds text. */
const MIN_FILL = 0.5;

interface Band {
  readonly items: LineItem[];
  centre: number;
  readonly height: number;
}

/**
 * Tables from text boxes alone (no ruling lines are seen): runs of row bands holding two or more
 * separate lines each, whose cells line up in columns (`columnsOf`), rows from overlapping bands
 * (`rowsOf`), wrapped cells joined (`joinContinuations`). Conservative by design: a run is a table only if it has 2+ columns, 6+ grid cells, half of
 * the grid filled and cells of a few words (paragraphs and two-column text have long lines), and
 * a two-column run whose left cells end with a colon is a form, not a table.
 */
export function findTables(items: readonly LineItem[]): FoundTable[] {
  const bands = rowBands(items);
  const found: FoundTable[] = [];
  let i = 0;
  while (i < bands.length) {
    // A run starts at a row of cells, not at a caption: a label beside a title that is a sentence.
    if ((bands[i] as Band).items.length < 2 || isCaption(bands[i] as Band)) {
      i++;
      continue;
    }
    let j = i + 1;
    // Widest gap between two consecutive bands of the run so far.
    let widest = -Infinity;
    while (j < bands.length && bandsTouch(bands[j - 1] as Band, bands[j] as Band)) {
      const band = bands[j] as Band;
      const next = bands[j + 1];
      // One-cell rows stay inside a run when a multi-cell row follows: spanning or half-empty rows.
      // The wrapped lines of a last row's cell stay too, once two rows of cells make it a table (a
      // paragraph's lines under a numbered first line are not a cell's).
      const last = bands[j - 1] as Band;
      const multiFollows =
        next && next.items.length >= 2 && bandsTouch(band, next) && !setApart(widest, last, band, next);
      const established = bands.slice(i, j).filter((b) => b.items.length >= 2).length >= 2;
      if (band.items.length < 2 && !multiFollows && !(established && wrapsCell(last, band))) break;
      widest = Math.max(widest, bandTop(band) - bandBottom(last));
      j++;
    }
    const start = i > 0 && spanningHeader(bands[i - 1] as Band, bands[i] as Band) ? i - 1 : i;
    found.push(...tablesOf(bands.slice(start, j)));
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

/**
 * A caption set as a label beside its title ("Table 2:" | "Number of persons employed by sector of the
 * economy with breakdown by"; eu-012 p4): two lines, a short one ending in a colon or full stop before
 * a sentence of more words than any cell holds (ICDAR 2013 EU cells: median 1, rarely over 6). It would
 * otherwise open the table below as its first row. A row of cells with one long description among
 * others is a row.
 */
function isCaption(band: Band): boolean {
  const [label, title] = [...band.items].sort((a, b) => a.minX - b.minX);
  if (band.items.length !== 2 || !label || !title) return false;
  const words = label.line.words;
  return words.length <= 3 && /[:.]$/.test(words.at(-1)?.text ?? '') && title.line.words.length > SENTENCE_WORDS;
}

const SENTENCE_WORDS = 10;

/**
 * A one-line band between the run's last band and the next with more space above and below it than
 * between any two bands of the run so far (`widest`), by CAPTION_GAP line heights: a table's caption
 * or title between two tables ("Number of financial companies that applied ..." between the ruled
 * tables of eu-003 p1), not a spanning or section row, which sits at the table's own row spacing.
 * A run of one band has no spacing to compare with.
 */
function setApart(widest: number, last: Band, band: Band, next: Band): boolean {
  if (widest === -Infinity) return false;
  const h = Math.max(band.height, last.height, next.height);
  const above = bandTop(band) - bandBottom(last);
  const below = bandTop(next) - bandBottom(band);
  return Math.min(above, below) > widest + CAPTION_GAP * h;
}

/** Extra space (line heights) around a one-line band, beyond the run's widest row gap, that sets it apart. */
const CAPTION_GAP = 0.5;

/**
 * A one-line band right under a line of the band above, in the same text size, close as the lines of a
 * paragraph, and under no other line (the pieces of a justified line split at its stretched spaces are
 * one line).
 */
function wrapsCell(upper: Band, lower: Band): boolean {
  const only = lower.items[0] as LineItem;
  const h = Math.max(upper.height, lower.height);
  // Same text size: a superscript or a footnote under the last row does not continue its cell.
  if (Math.min(upper.height, lower.height) < WRAP_HEIGHT * h) return false;
  if (bandTop(lower) - bandBottom(upper) > WRAP_GAP * h) return false;
  const over = upper.items.filter((i) => i.maxX > only.minX && i.minX < only.maxX);
  return over.length > 0 && oneLine(over, h) && (over[0] as LineItem).minX - h <= only.minX;
}

/**
 * Lines left to right that are one text line split at a justified line's stretched spaces ("applied
 * the" in a narrow row-label cell; eu-003): each within a stretched space of the one before.
 */
function oneLine(items: readonly LineItem[], h: number): boolean {
  return items.every((item, k) => {
    const before = items[k - 1];
    return !before || (item.minX > before.maxX && item.minX - before.maxX <= MAX_JUSTIFIED_GAP * h);
  });
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

interface Draft {
  row: number;
  lastRow: number;
  readonly col: number;
  readonly colSpan: number;
  readonly items: LineItem[];
}

/**
 * The tables in a run of bands: one, or none, or several when the run is text and tables side by side.
 * Before a grid is taken for one table, an outer column whose lines mostly share no band with the
 * others is set aside as text beside the table (a chart's labels next to it; eu-015 p1), and the grid is split
 * into tables side by side where a column of figures is followed by a column of words that no cell
 * crosses, when both sides are tables of their own (three country/count tables in a row; eu-015 p2).
 */
function tablesOf(bands: readonly Band[]): FoundTable[] {
  if (bands.length < 2) return [];
  const h = median(bands.flatMap((b) => b.items.map((i) => i.height)));
  const rows = rowsOf(bands, h);
  const columns = joinHeaderColumns(columnsOf(bands, h), rows, h);
  if (columns.length < 2 || bands.length * columns.length < 6) return [];
  const cells: Draft[] = rows.flatMap((items, row) => cellsOfRow(items, row, columns));
  const aside = asideColumns(cells, columns.length, bands);
  if (aside.size > 0) return tablesOf(keepItems(bands, (i) => !aside.has(i)));
  const parts = sideBySide(cells, columns.length);
  if (parts.length > 1) {
    const tables = parts.map((part) => tablesOf(keepItems(bands, (i) => part.has(i))));
    if (tables.filter((t) => t.length > 0).length > 1) return tables.flat();
  }
  const table = tableOf(cells, columns.length, h);
  return table ? [table] : [];
}

/**
 * Header-only columns, holding no cell of the body (the rows from the first row of figures on), that
 * `columnsOf` split off a real column, joined back:
 * - a justified header's stretched spaces: in a narrow ruled cell, justification spreads a line's words
 *   over the cell's width ("Number        of", "FTSE Eurotop   100 companies"; eu-003), and the gaps
 *   between them open strips no other row crosses. A header-only column whose every line continues, on
 *   its own text line, a line of the column to its left joins the left one. No bound on the space: two
 *   short words stretched over a cell leave most of it between them ("Held          to"; eu-003).
 * - a header over a column of right-aligned figures that ends before they start ("Unhealthy" over
 *   "16", "32"; eu-025 p2): a header-only column whose right neighbour holds body cells and nothing in
 *   the header rows joins that neighbour (this goes first: such a header may share its text line with
 *   the header on its left).
 * A real column holds figures or words in the body too.
 */
function joinHeaderColumns(columns: readonly Span[], rows: readonly LineItem[][], h: number): Span[] {
  let cols = [...columns];
  for (;;) {
    const cells = rows.flatMap((items, row) => cellsOfRow(items, row, cols));
    const rowNumbers = [...new Set(cells.map((c) => c.row))].sort((a, b) => a - b);
    const body = firstFigureRow(cells, rowNumbers);
    if (body < 1) return cols;
    const bodyRow = rowNumbers[body] as number;
    const at = (row: number, col: number) =>
      cells.filter((c) => c.row === row && c.col <= col && c.col + c.colSpan > col);
    const headerOnly = (col: number) => {
      const own = cells.filter((c) => c.col === col);
      return own.length > 0 && own.every((c) => c.row < bodyRow);
    };
    const continuesLeft = (col: number) =>
      headerOnly(col) &&
      cells
        .filter((c) => c.col === col)
        .every((c) =>
          c.items.every((item) =>
            at(c.row, col - 1).some((l) =>
              l.items.some(
                (left) => Math.abs(centreY(left) - centreY(item)) <= ROW_OVERLAP * h && item.minX > left.maxX,
              ),
            ),
          ),
        );
    const headsRight = (col: number) =>
      headerOnly(col) &&
      col + 1 < cols.length &&
      cells.some((c) => c.col === col + 1 && c.row >= bodyRow) &&
      !cells.some((c) => c.row < bodyRow && c.col <= col + 1 && c.col + c.colSpan > col + 1);
    let k = -1;
    for (let col = 0; col < cols.length && k < 0; col++) {
      if (headsRight(col)) k = col;
      else if (col > 0 && continuesLeft(col)) k = col - 1;
    }
    if (k < 0) return cols;
    cols = [
      ...cols.slice(0, k),
      { start: (cols[k] as Span).start, end: (cols[k + 1] as Span).end },
      ...cols.slice(k + 2),
    ];
  }
}

function keepItems(bands: readonly Band[], keep: (item: LineItem) => boolean): Band[] {
  return bands.map((b) => ({ ...b, items: b.items.filter(keep) })).filter((b) => b.items.length > 0);
}

/**
 * Items of the first or last column when at most a quarter of them sit in a band (a line of text across
 * the page) with an item of another column: text beside the table whose lines fall between its rows
 * (a bar chart's labels; eu-015 p1, where one tick label shares the last row's band).
 */
function asideColumns(cells: readonly Draft[], columns: number, bands: readonly Band[]): Set<LineItem> {
  const bandOf = new Map<LineItem, number>();
  bands.forEach((b, k) => {
    for (const i of b.items) bandOf.set(i, k);
  });
  const aside = new Set<LineItem>();
  for (const col of [0, columns - 1]) {
    const own = cells.filter((c) => c.col <= col && c.col + c.colSpan > col);
    if (own.some((c) => c.colSpan > 1)) continue;
    const items = new Set(own.flatMap((c) => c.items));
    const shared = [...items].filter((i) => (bands[bandOf.get(i) ?? -1]?.items ?? []).some((o) => !items.has(o)));
    if (shared.length > ASIDE_SHARED * items.size) continue;
    // Row labels of several lines each (eu-003's third table) share a band only through their first
    // lines, but those stand beside the table's figures row after row; a chart's labels fall between.
    const figureBands = bands.filter((b) => b.items.some((o) => !items.has(o) && NUMERIC.test(lineText(o))));
    const labelled = figureBands.filter((b) => b.items.some((o) => items.has(o)));
    if (labelled.length * 2 >= figureBands.length && figureBands.length > 0) continue;
    for (const i of items) aside.add(i);
  }
  return aside;
}

/** Share of an outer column's lines that may sit in a band with other columns' and still be aside. */
const ASIDE_SHARED = 0.25;
/** A figure: digits with separators, signs and a percent sign ("1.178", "-3,5 %", "+12"). */
const FIGURE = /^[-+\u2212\u2013]?[\d.,\s]*\d[\d.,\s]*%?$/u;
/**
 * Figures in the wider sense of a body row: digits and no letters, so year spans and figures in
 * brackets count ("1990-96", "(78)"; eu-004 p6, where "Austria 79 +14 1990-96" was taken for a header).
 */
const NUMERIC = /^[^\p{L}]*\d[^\p{L}]*$/u;
/** Share of a column's cells that are figures for a column of figures, and at most for one of words. */
const FIGURES = 0.6;
const WORDS = 0.2;

/** Item sets of the tables side by side in a grid, split after columns of figures followed by words. */
function sideBySide(cells: readonly Draft[], columns: number): Set<LineItem>[] {
  // Judged on columns filled at least half way down: a header and two units over dashes are no column of words.
  const least = Math.max(3, new Set(cells.map((c) => c.row)).size / 2);
  const figureShare = Array.from({ length: columns }, (_, col) => {
    // Dashes and dots stand for a missing value in either kind of column ("-" under "to water"; eu-001).
    const own = cells.filter((c) => c.col === col && c.colSpan === 1 && !/^[\p{P}\p{S}]*$/u.test(cellText(c.items)));
    return own.length < least ? Number.NaN : own.filter((c) => FIGURE.test(cellText(c.items))).length / own.length;
  });
  const cuts: number[] = [];
  for (let col = 2; col <= columns - 2; col++) {
    if (!((figureShare[col - 1] as number) >= FIGURES && (figureShare[col] as number) <= WORDS)) continue;
    if (cells.some((c) => c.col < col && c.col + c.colSpan > col)) continue;
    if (col - (cuts[cuts.length - 1] ?? 0) >= 2) cuts.push(col);
  }
  if (cuts.length === 0) return [];
  const bounds = [0, ...cuts, columns];
  return bounds.slice(1).map((end, k) => {
    const start = bounds[k] as number;
    return new Set(cells.filter((c) => c.col >= start && c.col < end).flatMap((c) => c.items));
  });
}

function tableOf(drafts: Draft[], columns: number, h: number): FoundTable | undefined {
  let cells = drafts;
  const words = cells.flatMap((c) => c.items.map((i) => i.line.words.length));
  if (median(words) > MAX_MEDIAN_WORDS || words.reduce((a, b) => a + b, 0) / words.length > MAX_MEAN_WORDS) {
    return undefined;
  }
  cells = spanGroupHeaders(joinHeaderLines(joinContinuations(cells, h), h), columns);
  const used = [...new Set(cells.map((c) => c.row))].sort((a, b) => a - b);
  const rowIndex = new Map(used.map((r, k) => [r, k]));
  const filled = cells.reduce((sum, c) => sum + c.colSpan, 0);
  if (filled < MIN_FILL * used.length * columns) return undefined;
  if (columns === 2 && isForm(cells.filter((c) => c.col === 0).map((c) => cellText(c.items)))) return undefined;
  cells.sort((a, b) => a.row - b.row || a.col - b.col);
  const tableCells: TableCell[] = cells.map((c) => {
    const row = rowIndex.get(c.row) ?? 0;
    const last = used.filter((r) => r <= c.lastRow).length - 1;
    return {
      row,
      col: c.col,
      rowSpan: Math.max(1, last - row + 1),
      colSpan: c.colSpan,
      text: cellText(c.items),
      box: unionBoxes(c.items.map((i) => i.line.box)),
    };
  });
  const lines = cells.flatMap((c) => c.items);
  return {
    table: {
      box: unionBoxes(tableCells.map((c) => c.box)),
      rows: used.length,
      cols: columns,
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

/**
 * Rows: bands whose text overlaps by more than a quarter line height are one row. A cell of two lines
 * beside a cell of one centred on it gives three bands (upper line, centred line, lower line) that
 * are a single row of the table. But a band of more cells than a band of the row above it that it does
 * not overlap is a row of its own, tied to the row above only by cells spanning both: sub-column
 * headers ("N | % Pos" under each year) under group headers ("2007", "2006"), beside "Country" and
 * "Sample unit" set across both (eu-018). Wrapped lines are never more than the lines they continue.
 */
function rowsOf(bands: readonly Band[], h: number): LineItem[][] {
  const rows: { items: LineItem[]; bands: Band[]; bottom: number }[] = [];
  for (const band of bands) {
    const last = rows[rows.length - 1];
    const top = bandTop(band);
    if (last && top < last.bottom - ROW_OVERLAP * h) {
      const grouped = last.bands.some(
        (a) => a.items.length >= 2 && a.items.length < band.items.length && bandBottom(a) <= top + ROW_OVERLAP * h,
      );
      if (!grouped) {
        last.items.push(...band.items);
        last.bands.push(band);
        last.bottom = Math.max(last.bottom, bandBottom(band));
        continue;
      }
      // Lines of the row above that reach down into this band (a centred label's) stay above.
      const below = last.items.filter((i) => i.minY >= top - ROW_OVERLAP * h);
      last.items = last.items.filter((i) => !below.includes(i));
      last.bottom = Math.max(...last.items.map((i) => i.maxY));
      rows.push({ items: [...below, ...band.items], bands: [band], bottom: bandBottom(band) });
    } else rows.push({ items: [...band.items], bands: [band], bottom: bandBottom(band) });
  }
  return rows.map((r) => r.items);
}

/** A row's lines grouped into cells: lines whose column ranges overlap share a cell, top to bottom. */
function cellsOfRow(items: readonly LineItem[], row: number, columns: readonly Span[]): Draft[] {
  const placed = items
    .map((item) => ({ item, range: columnRange(item, columns) }))
    .sort((a, b) => a.range[0] - b.range[0] || a.item.minX - b.item.minX);
  const cells: { col: number; last: number; items: LineItem[] }[] = [];
  for (const { item, range } of placed) {
    const previous = cells[cells.length - 1];
    if (previous && range[0] <= previous.last) {
      previous.items.push(item);
      previous.last = Math.max(previous.last, range[1]);
    } else cells.push({ col: range[0], last: range[1], items: [item] });
  }
  return cells.map((c) => ({
    row,
    lastRow: row,
    col: c.col,
    colSpan: c.last - c.col + 1,
    items: readingLines(c.items),
  }));
}

/**
 * A cell's lines top to bottom, and left to right along one text line: the pieces of a justified line
 * split at its stretched spaces ("Number        of") sit on one baseline, give or take the rounding of
 * skewed quads, so centres within a quarter line height are one text line.
 */
function readingLines(items: readonly LineItem[]): LineItem[] {
  const sorted = [...items].sort((a, b) => centreY(a) - centreY(b));
  const lines: LineItem[][] = [];
  for (const item of sorted) {
    const line = lines[lines.length - 1];
    const first = line?.[0];
    if (line && first && centreY(item) - centreY(first) < ROW_OVERLAP * Math.min(item.height, first.height))
      line.push(item);
    else lines.push([item]);
  }
  return lines.flatMap((l) => l.sort((a, b) => a.minX - b.minX));
}

/**
 * Multi-line cells where rows are set apart by more space than the lines of a cell (ruled tables, or
 * padded rows): the gap between two lines in one column is "tight" when within 0.3 line heights of
 * the table's narrowest gap, and the table must also have gaps 0.6 line heights wider, or the space
 * does not tell a wrapped cell from the next row. A cell takes the one below it in its column when
 * their gap is tight and either every other pair of cells between the two rows is far apart (a
 * two-line label beside two one-line rows: the label spans both rows), or the lower row holds fewer
 * cells than the upper and each sits tight under a cell (the wrapped lines of a row; the row then
 * disappears). Where rows are set at the lines' own spacing, the wording still tells: a row of fewer
 * cells, each under a cell and starting in lower case, is the wrapped lines of the row above
 * ("beginning of project" under "Involvement “at the"; eu-009a), while a next row ("Total") does not.
 * Figures do not wrap: a figure under a figure is a next row (the total row of eu-018, whose empty
 * "Sample unit" cell leaves it fewer cells than the row above).
 */
function joinContinuations(cells: Draft[], h: number): Draft[] {
  const byRow = new Map<number, Draft[]>();
  for (const c of cells) byRow.set(c.row, [...(byRow.get(c.row) ?? []), c]);
  const rowNumbers = [...byRow.keys()].sort((a, b) => a - b);
  const top = (c: Draft) => Math.min(...c.items.map((i) => i.minY));
  const bottom = (c: Draft) => Math.max(...c.items.map((i) => i.maxY));
  const above = (upper: readonly Draft[], lower: Draft) =>
    upper.find((c) => c.col === lower.col && c.colSpan === lower.colSpan);
  const gaps: number[] = [];
  for (let k = 1; k < rowNumbers.length; k++) {
    const upper = byRow.get(rowNumbers[k - 1] as number) ?? [];
    for (const c of byRow.get(rowNumbers[k] as number) ?? []) {
      const a = above(upper, c);
      if (a) gaps.push(top(c) - bottom(a));
    }
  }
  if (gaps.length === 0) return cells;
  const narrowest = Math.min(...gaps);
  const contrast = Math.max(...gaps) >= narrowest + LOOSE_GAP * h;
  const tight = (a: Draft, b: Draft) => top(b) - bottom(a) <= narrowest + TIGHT_GAP * h;
  const gone = new Set<Draft>();
  // Upper cells by row as merging goes on: a cell that took the one below is the upper of the next row.
  let upper = byRow.get(rowNumbers[0] as number) ?? [];
  for (let k = 1; k < rowNumbers.length; k++) {
    const lower = byRow.get(rowNumbers[k] as number) ?? [];
    const pairs = lower.map((c) => [above(upper, c), c] as const);
    const wrapped =
      lower.length < upper.length &&
      pairs.every(
        ([a, c]) =>
          a !== undefined &&
          a.lastRow === c.row - 1 &&
          tight(a, c) &&
          (contrast || continuesText(c)) &&
          !(NUMERIC.test(cellText(a.items)) && NUMERIC.test(cellText(c.items))),
      );
    const next: Draft[] = [];
    for (const [a, c] of pairs) {
      const others = pairs.filter(([o, d]) => d !== c && o !== undefined);
      // A label whose wrapped lines already run below its row ends there (eu-003's third table).
      const spans =
        contrast &&
        a !== undefined &&
        tight(a, c) &&
        others.length > 0 &&
        others.every(([o, d]) => !tight(o as Draft, d) && (o as Draft).lastRow === a.lastRow);
      if (a && (wrapped || spans)) {
        a.items.push(...c.items);
        a.lastRow = c.row;
        gone.add(c);
        next.push(a);
      } else next.push(c);
    }
    // A wrapped row is gone: the cells that took it stay the upper row.
    if (!wrapped) upper = next;
  }
  return cells.filter((c) => !gone.has(c));
}

/**
 * A header set on several lines ("per capita / GNP ($000) / 1995" over a column of figures; eu-004 p2)
 * is one cell per column, not a row per line: rows above the first row of figures merge into the row
 * above them when each of their cells sits close (half a line height) under a cell of that row with
 * the same columns. Body rows need the contrast of `joinContinuations`; headers are told apart by the
 * figures under them.
 */
function joinHeaderLines(cells: Draft[], h: number): Draft[] {
  const rowNumbers = [...new Set(cells.map((c) => c.row))].sort((a, b) => a - b);
  const body = firstFigureRow(cells, rowNumbers);
  if (body < 2) return cells;
  const gone = new Set<Draft>();
  let upper = cells.filter((c) => c.row === rowNumbers[0]);
  for (let k = 1; k < body; k++) {
    const lower = cells.filter((c) => c.row === rowNumbers[k]);
    const pairs = lower.map((c) => [upper.find((a) => a.col === c.col && c.colSpan === a.colSpan), c] as const);
    // A row holding only a first-column cell is a row label of its own, a section of the body
    // ("Effectiveness" under "Indicators"; eu-014 p2), not a header's next line.
    const label = lower.length === 1 && lower[0]?.col === 0 && lower[0]?.colSpan === 1;
    const under =
      !label &&
      pairs.every(([a, c]) => {
        if (!a) return false;
        const gap = Math.min(...c.items.map((i) => i.minY)) - Math.max(...a.items.map((i) => i.maxY));
        return gap <= WRAP_GAP * h;
      });
    if (!under) {
      upper = lower;
      continue;
    }
    for (const [a, c] of pairs) {
      (a as Draft).items.push(...c.items);
      (a as Draft).lastRow = c.row;
      gone.add(c);
    }
  }
  return cells.filter((c) => !gone.has(c));
}

/** A cell whose text starts in lower case continues a sentence: the wrapped line of the cell above. */
function continuesText(cell: Draft): boolean {
  return /^\p{Ll}/u.test(cell.items[0]?.line.words[0]?.text ?? '');
}

/** Index in `rowNumbers` of the first row whose cells are mostly figures (the body under a header), or -1. */
function firstFigureRow(cells: readonly Draft[], rowNumbers: readonly number[]): number {
  return rowNumbers.findIndex((row) => {
    const texts = cells
      .filter((c) => c.row === row)
      .map((c) => cellText(c.items))
      .filter((t) => !/^[\p{P}\p{S}]*$/u.test(t));
    return texts.length >= 2 && texts.filter((t) => NUMERIC.test(t)).length * 2 >= texts.length;
  });
}

/**
 * A group header over two sub-columns ("Energy use" over "2010 | 2020", constructed table pages) is
 * centred on the boundary between their cells, so its text may not reach the second sub-column's
 * (right-aligned figures): its centre lies in the gap between the two columns' text in every other
 * row. Above the first row of figures, such a cell spans the empty column on that side of it when
 * the row under it fills that column.
 */
function spanGroupHeaders(cells: Draft[], columns: number): Draft[] {
  const rowNumbers = [...new Set(cells.map((c) => c.row))].sort((a, b) => a - b);
  const body = firstFigureRow(cells, rowNumbers);
  if (body < 1) return cells;
  // Text edge of a column in the other rows; NaN when they leave it empty (no gap to judge).
  const edge = (col: number, row: number, side: 'minX' | 'maxX') => {
    const xs = cells
      .filter((c) => c.row !== row && c.col === col && c.colSpan === 1)
      .flatMap((c) => c.items.map((i) => i[side]));
    if (xs.length === 0) return Number.NaN;
    return side === 'minX' ? Math.min(...xs) : Math.max(...xs);
  };
  const rowIndex = new Map(rowNumbers.map((r, k) => [r, k]));
  return cells.map((c) => {
    const k = rowIndex.get(c.row) ?? body;
    if (k >= body) return c;
    const row = cells.filter((d) => d.row === c.row);
    const below = cells.filter((d) => d.row === rowNumbers[k + 1]);
    const free = (col: number) =>
      col >= 0 &&
      col < columns &&
      !row.some((d) => d.col <= col && d.col + d.colSpan > col) &&
      below.some((d) => d.col === col && d.colSpan === 1);
    const centre = (Math.min(...c.items.map((i) => i.minX)) + Math.max(...c.items.map((i) => i.maxX))) / 2;
    const last = c.col + c.colSpan - 1;
    if (free(last + 1) && centre > edge(last, c.row, 'maxX') && centre < edge(last + 1, c.row, 'minX')) {
      return { ...c, colSpan: c.colSpan + 1 };
    }
    if (free(c.col - 1) && centre < edge(c.col, c.row, 'minX') && centre > edge(c.col - 1, c.row, 'maxX')) {
      return { ...c, col: c.col - 1, colSpan: c.colSpan + 1 };
    }
    return c;
  });
}

function lineText(item: LineItem): string {
  return joinWords(item.line.words);
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
 * Columns: x-intervals between borders. A border is a strip between two consecutive edges of the rows'
 * text where at most a quarter of the rows have text, no text starts at its left edge and none ends at
 * its right edge: every row that covers it reaches past it on both sides (a cell spanning columns, such
 * as a header over its sub-columns). Taking the strips edge to edge keeps a ragged column, or one with
 * few entries, from hiding the border beside it.
 */
function columnsOf(bands: readonly Band[], h: number): Span[] {
  const rows: Span[][] = bands.map((band) => mergeSpans(band.items.map((i) => ({ start: i.minX, end: i.maxX }))));
  const events: [x: number, delta: number][] = [];
  for (const spans of rows) for (const s of spans) events.push([s.start, 1], [s.end, -1]);
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const tolerance = Math.floor(bands.length / 4);
  const columns: Span[] = [];
  let at = (events[0] as [number, number])[0];
  let cover = 0;
  let k = 0;
  while (k < events.length) {
    const x = (events[k] as [number, number])[0];
    let starts = 0;
    for (; k < events.length && (events[k] as [number, number])[0] === x; k++) {
      const delta = (events[k] as [number, number])[1];
      cover += delta;
      if (delta > 0) starts++;
    }
    const next = events[k];
    if (!next || starts > 0 || cover > tolerance || next[0] - x < MIN_BORDER * h) continue;
    let ends = false;
    for (let j = k; j < events.length && (events[j] as [number, number])[0] === next[0]; j++) {
      if ((events[j] as [number, number])[1] < 0) ends = true;
    }
    if (ends) continue;
    columns.push({ start: at, end: x });
    at = next[0];
  }
  columns.push({ start: at, end: (events[events.length - 1] as [number, number])[0] });
  return columns.filter((c) => c.end > c.start);
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
