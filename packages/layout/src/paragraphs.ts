import { unionBoxes } from './box.js';
import { centreY, type LineItem, median } from './item.js';
import { isListMarker } from './list-marker.js';
import type { FoundTable } from './tables.js';
import type { Block, Word } from './types.js';

/** A paragraph starts where the gap to the previous line exceeds the page's usual gap by this (line heights). */
const EXTRA_GAP = 0.35;
/** Lines whose left edges differ by more than this (line heights) are in different paragraphs. */
const MAX_INDENT = 1;
/** A first line may be indented (or hang) by up to this many line heights. */
const MAX_FIRST_INDENT = 4;
/** Text height ratio above which two lines belong to different paragraphs (a heading and its body). */
const MAX_HEIGHT_RATIO = 1.3;

/**
 * Groups lines in reading order into paragraph-like blocks: a block ends at a table, at a jump
 * (the next line is not below the previous one, or beside it on the same row), at a gap wider than the
 * page's usual line gap, at a change of text size, or where the left edge moves (an indented first line
 * opens a paragraph; a hanging or indented first line may be followed by flush ones).
 */
export function paragraphs(ordered: readonly (LineItem | FoundTable)[], tableIndex: Map<FoundTable, number>): Block[] {
  const gaps = lineGaps(ordered);
  // With no line below another to learn from, half a line height.
  const usualGap = gaps.length > 0 ? median(gaps) : undefined;
  const blocks: Block[] = [];
  let current: LineItem[] = [];
  const flush = () => {
    if (current.length > 0) blocks.push(blockOf(current));
    current = [];
  };
  for (const item of ordered) {
    if (!('line' in item)) {
      flush();
      blocks.push({
        box: item.table.box,
        lines: item.lines.map((l) => l.line),
        table: tableIndex.get(item) ?? 0,
      });
      continue;
    }
    if (current.length > 0 && startsParagraph(current, item, usualGap)) flush();
    current.push(item);
  }
  flush();
  return blocks;
}

function blockOf(items: readonly LineItem[]): Block {
  return { box: unionBoxes(items.map((i) => i.line.box)), lines: items.map((i) => i.line) };
}

function sameRow(a: LineItem, b: LineItem): boolean {
  return Math.abs(centreY(a) - centreY(b)) < Math.min(a.height, b.height) / 2;
}

function startsParagraph(block: readonly LineItem[], item: LineItem, usualGap: number | undefined): boolean {
  const prev = block[block.length - 1] as LineItem;
  if (sameRow(prev, item)) return false;
  // The previous row as a whole: a form's next label sits below its previous label, not its value.
  let k = block.length - 1;
  while (k > 0 && sameRow(block[k - 1] as LineItem, prev)) k--;
  const row = block.slice(k);
  const rowMinX = Math.min(...row.map((i) => i.minX));
  const rowMaxX = Math.max(...row.map((i) => i.maxX));
  const rowMaxY = Math.max(...row.map((i) => i.maxY));
  const h = Math.max(prev.height, item.height);
  if (opensListItem(item)) return true;
  if (h > MAX_HEIGHT_RATIO * Math.min(prev.height, item.height)) return true;
  if (centreY(item) <= centreY(prev)) return true;
  if (item.minX >= rowMaxX || item.maxX <= rowMinX) return true;
  if (item.minY - rowMaxY > (usualGap ?? h / 2) + EXTRA_GAP * h) return true;
  // Left edges of the rows so far: the first row may be indented or hanging, the others set the body's.
  const rowStarts = block.filter((i, j) => j === 0 || !sameRow(block[j - 1] as LineItem, i));
  const body = rowStarts[1];
  if (!body) return Math.abs(item.minX - (rowStarts[0] as LineItem).minX) > MAX_FIRST_INDENT * h;
  return Math.abs(item.minX - body.minX) > MAX_INDENT * h;
}

/** A line that starts with a list marker ("•", "–", "1.", "a)") before its text starts an item of its own. */
function opensListItem(item: LineItem): boolean {
  const words = item.line.words;
  return words.length >= 2 && isListMarker((words[0] as Word).text);
}

/** Gaps between each line and the next in reading order when the next is below it. */
function lineGaps(ordered: readonly (LineItem | FoundTable)[]): number[] {
  const gaps: number[] = [];
  for (let k = 1; k < ordered.length; k++) {
    const a = ordered[k - 1];
    const b = ordered[k];
    if (!a || !b || !('line' in a) || !('line' in b)) continue;
    const gap = b.minY - a.maxY;
    const h = Math.max(a.height, b.height);
    if (gap > -0.5 * h && gap < 2 * h && centreY(b) > centreY(a) + h / 2) gaps.push(gap);
  }
  return gaps;
}
