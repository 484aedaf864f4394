import { quadHeight } from './angle.js';
import { frameOf, uprightY } from './frame.js';
import { lineText } from './text.js';
import type { Block, Line, Page, Table } from './types.js';

/**
 * The page's text in reading order: one text line per line, lines on the same row (form labels and
 * their values) joined by a tab, a blank line between blocks; a table's rows are lines with cells
 * separated by tabs (the API's own `markdown_result` convention). Ends with a newline unless empty.
 */
export function toText(page: Page): string {
  const text = page.blocks
    .map((block) => {
      const table = tableOf(page, block);
      return table
        ? tableRows(table)
            .map((row) => row.join('\t'))
            .join('\n')
        : blockLines(page, block, '\t');
    })
    .filter((t) => t.length > 0)
    .join('\n\n');
  return text.length > 0 ? `${text}\n` : '';
}

export function tableOf(page: Page, block: Block): Table | undefined {
  return block.table === undefined ? undefined : page.tables[block.table];
}

/** A table as a grid of cell texts; a spanning cell's text sits in its first row and column. */
export function tableRows(table: Table): string[][] {
  const rows = Array.from({ length: table.rows }, () => Array.from({ length: table.cols }, () => ''));
  for (const cell of table.cells) {
    const row = rows[cell.row];
    if (row && cell.col < row.length) row[cell.col] = cell.text;
  }
  return rows;
}

/** A block's lines, one per text line, lines on one row joined by `rowJoin`. */
export function blockLines(
  page: Page,
  block: Block,
  rowJoin: string,
  format: (s: string) => string = (s) => s,
): string {
  const frame = frameOf(page.angle);
  let text = '';
  let previous: Line | undefined;
  for (const line of block.lines) {
    const t = format(lineText(line));
    if (previous) text += sameRow(frame, previous, line) ? rowJoin : '\n';
    text += t;
    previous = line;
  }
  return text;
}

function sameRow(frame: ReturnType<typeof frameOf>, a: Line, b: Line): boolean {
  const centre = (l: Line) => l.quad.reduce((sum, [x, y]) => sum + uprightY(frame, x, y), 0) / 4;
  return Math.abs(centre(a) - centre(b)) < Math.min(quadHeight(a.quad), quadHeight(b.quad)) / 2;
}
