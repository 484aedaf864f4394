import type { Quad } from '@ocrkit/protocol';

/** An axis-aligned box in image pixels: origin top-left, y down, `minX < maxX`, `minY < maxY`. */
export interface Box {
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
}

/** A baseline: the line's bottom edge, from its start to its end in reading direction (image pixels). */
export interface Baseline {
  readonly start: readonly [x: number, y: number];
  readonly end: readonly [x: number, y: number];
}

export interface Word {
  readonly text: string;
  /** Clockwise from the text's top-left, rotated with the text. */
  readonly quad: Quad;
  readonly box: Box;
  /** 0..1 */
  readonly confidence: number;
}

export interface Line {
  readonly box: Box;
  /** Clockwise from the line's top-left, rotated with the text. */
  readonly quad: Quad;
  readonly baseline: Baseline;
  /** Words in reading order. */
  readonly words: readonly Word[];
}

/** A paragraph-like region; blocks come in reading order. */
export interface Block {
  readonly box: Box;
  readonly lines: readonly Line[];
  /**
   * Added by layout: set when this block is a table's text, as the table's index in `Page.tables`.
   * Its lines are the cells' lines, row by row, cell by cell.
   */
  readonly table?: number;
}

export interface TableCell {
  readonly row: number;
  readonly col: number;
  readonly rowSpan: number;
  readonly colSpan: number;
  readonly text: string;
  readonly box: Box;
}

export interface Table {
  readonly box: Box;
  readonly rows: number;
  readonly cols: number;
  readonly cells: readonly TableCell[];
}

/** One page's text, rebuilt from the API's result. Plain, readonly, JSON-safe data. */
export interface Page {
  /** Image width and height in pixels. */
  readonly width: number;
  readonly height: number;
  /** Counter-clockwise angle of the text from upright, degrees [0, 360). */
  readonly angle: number;
  readonly blocks: readonly Block[];
  readonly tables: readonly Table[];
}
