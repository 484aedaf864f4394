import type { GeneralTextResult } from '@ocrkit/protocol';
import { angleDifference, dominantAngle, ORIENTATION_TOLERANCE_DEGREES } from './angle.js';
import { frameOf, uprightX, uprightY } from './frame.js';
import type { LineItem } from './item.js';
import { buildLines, type LineDraft } from './lines.js';
import { paragraphs } from './paragraphs.js';
import { readingOrder } from './reading-order.js';
import { type FoundTable, findTables } from './tables.js';
import type { Page } from './types.js';
import { type Segment, splitBlock } from './words.js';

export interface LayoutInput {
  /** Image width in pixels. */
  readonly width: number;
  /** Image height in pixels. */
  readonly height: number;
  /** The API's result for that image. */
  readonly result: GeneralTextResult;
}

export interface LayoutOptions {
  /** Find tables; without, their cells come out as ordinary lines. @default true */
  readonly tables?: boolean;
  /**
   * Widest gap inside a line, in line heights: wider gaps always split. Poppler's text extraction
   * allows 1.5 font sizes between words (`maxWordSpacing`, TextOutputDev); wider ones are tabs or
   * columns: a chart's axis labels, the figures along a table row. @default 1.5
   */
  readonly maxWordGap?: number;
}

/**
 * Rebuilds one page from the API's result: API blocks are cut into words, words on one baseline are
 * merged into lines, lines ordered by XY-cut and grouped into paragraph blocks; tables found among the
 * lines are blocks of their own, in reading order. A pure function of its input.
 */
export function layout(input: LayoutInput, options: LayoutOptions = {}): Page {
  const { width, height, result } = input;
  if (!(Number.isFinite(width) && width > 0) || !(Number.isFinite(height) && height > 0)) {
    throw new RangeError(
      `Page size ${width}x${height} is not a positive size in pixels: pass the image's width and height.`,
    );
  }
  if (!Array.isArray(result?.words_block_list)) {
    throw new TypeError('result.words_block_list is not an array: pass the `result` of a general-text response.');
  }
  const maxWordGap = options.maxWordGap ?? 1.5;
  if (!(maxWordGap >= 0)) throw new RangeError(`maxWordGap ${maxWordGap} must be >= 0 (line heights).`);

  const segments = result.words_block_list.map(splitBlock).filter((s): s is Segment => s !== undefined);
  const drafts = buildLines(segments, { maxWordGap });
  const angle =
    dominantAngle(
      drafts.map((d) => d.angle),
      drafts.map((d) => d.line.words.length),
    ) ?? 0;
  const items = drafts.map((d) => toItem(d, angle));
  const upright = items.filter((i) => angleDifference(i.angle, angle) <= ORIENTATION_TOLERANCE_DEGREES);
  const found = options.tables === false ? [] : findTables(upright);
  const taken = new Set(found.flatMap((t) => t.lines));
  const ordered = readingOrder<LineItem | FoundTable>([...items.filter((i) => !taken.has(i)), ...found]);
  const tables = ordered.filter((i): i is FoundTable => !('line' in i));
  const tableIndex = new Map(tables.map((t, k) => [t, k]));
  return { width, height, angle, blocks: paragraphs(ordered, tableIndex), tables: tables.map((t) => t.table) };
}

/** A line's box in the page's upright frame (rotated by the page's dominant angle). */
function toItem(draft: LineDraft, pageAngle: number): LineItem {
  const frame = frameOf(pageAngle);
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of draft.line.quad) {
    const u = uprightX(frame, x, y);
    const v = uprightY(frame, x, y);
    if (u < minX) minX = u;
    if (u > maxX) maxX = u;
    if (v < minY) minY = v;
    if (v > maxY) maxY = v;
  }
  return { minX, minY, maxX, maxY, height: draft.height, line: draft.line, angle: draft.angle };
}
