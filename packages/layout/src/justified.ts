import RBush from 'rbush';
import { unionBoxes } from './box.js';

/** A line piece in its orientation group's upright frame. */
export interface Piece {
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
  /** Across the text, pixels. */
  readonly height: number;
  /** Spaces between the first two and the last two words, pixels; none for a single word. */
  readonly firstGap: number | undefined;
  readonly lastGap: number | undefined;
  /** Only figures ("40%", "26.6", "(3)"): a table's or a chart axis's, never stretched running text. */
  readonly figures: boolean;
}

interface Indexed {
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
  readonly centreY: number;
  readonly height: number;
  readonly firstGap: number | undefined;
  readonly lastGap: number | undefined;
  readonly figures: boolean;
  /** Index of the run (joined pieces) this box stands for. */
  readonly run: number;
}

/**
 * Widest gap (line heights) a justified line stretches a word space to: the constructed justified page
 * sets long words in narrow columns with spaces up to 2.6 line heights; a column gutter is as narrow.
 */
export const MAX_JUSTIFIED_GAP = 3;
/** Rows looked at above and below a gap, in line heights (two or three lines of text each way). */
const WINDOW = 3.5;
/** Pieces on one row: centres within half a line height, heights within this ratio. */
const MAX_HEIGHT_RATIO = 1.3;
/** Rounds of joining: a line whose neighbours were split themselves is decided once they are whole. */
const ROUNDS = 3;
/** Share of the strip a row covers to count as crossing it, and the rows' mean share. */
const MOSTLY = 0.5;
/** A stretched space is at most this many times the spaces next to it on its line. */
const MAX_SPACE_RATIO = 1.3;

/**
 * Joins pieces of one line that the word-gap test split at a justified line's stretched spaces. The
 * strip between two pieces on one row is a word space, not a column gutter or a table's column border,
 * when the lines around cross it: rows above and below each have a piece spanning the whole strip, and
 * most rows around do. A gutter or a column border is a white channel that most rows leave open;
 * a justified paragraph's stretched spaces fall at different places on every line (Breuel's whitespace
 * rectangles, 2002, must be tall as well as wide). Returns runs of indices into `pieces`, left to right.
 */
export function joinJustified(pieces: readonly Piece[]): number[][] {
  let runs = pieces.map((_, i) => [i]);
  for (let round = 0; round < ROUNDS; round++) {
    const boxes = runs.map((run, k) => boxOf(run, pieces, k));
    const tree = new RBush<Indexed>();
    tree.load(boxes);
    const right = boxes.map((a) => rightOf(a, tree));
    const left = new Map<Indexed, Indexed>();
    right.forEach((b, k) => {
      if (b) left.set(b, boxes[k] as Indexed);
    });
    const next = new Map<number, { to: number; gap: number }>();
    const prev = new Map<number, { from: number; gap: number }>();
    for (const a of boxes) {
      const b = right[a.run];
      if (!b) continue;
      const gap = b.minX - a.maxX;
      const taken = prev.get(b.run);
      if (taken && taken.gap <= gap) continue;
      if (a.figures || b.figures) continue;
      const before = a.lastGap ?? gapBetween(left.get(a), a);
      const after = b.firstGap ?? gapBetween(b, right[b.run]);
      if (!evenSpacing(gap, before, after) || !crossed(a, b, tree)) continue;
      if (taken) next.delete(taken.from);
      prev.set(b.run, { from: a.run, gap });
      next.set(a.run, { to: b.run, gap });
    }
    if (next.size === 0) break;
    const joined: number[][] = [];
    runs.forEach((_, k) => {
      if (prev.has(k)) return;
      const run: number[] = [];
      for (let r: number | undefined = k; r !== undefined; r = next.get(r)?.to) run.push(...(runs[r] as number[]));
      joined.push(run);
    });
    runs = joined;
  }
  return runs;
}

/**
 * Justification stretches every space of a line alike, so the spaces next to a stretched one are as
 * wide; a table header's words sit close together with wide gaps only between cells (eu-003's header,
 * "Number of | Pct of | all"). Two lone words give no such evidence and stay apart.
 */
function gapBetween(a: Indexed | undefined, b: Indexed | undefined): number | undefined {
  return a && b ? b.minX - a.maxX : undefined;
}

function evenSpacing(gap: number, before: number | undefined, after: number | undefined): boolean {
  const near = [before, after].filter((g): g is number => g !== undefined);
  return near.length > 0 && near.every((g) => gap <= MAX_SPACE_RATIO * g);
}

function boxOf(run: readonly number[], pieces: readonly Piece[], k: number): Indexed {
  const first = pieces[run[0] as number] as Piece;
  const second = pieces[run[1] as number];
  const last = pieces[run[run.length - 1] as number] as Piece;
  const beforeLast = pieces[run[run.length - 2] as number];
  const members = run.map((i) => pieces[i] as Piece);
  const { minX, minY, maxX, maxY } = unionBoxes(members);
  return {
    minX,
    minY,
    maxX,
    maxY,
    centreY: (minY + maxY) / 2,
    height: members.reduce((sum, p) => sum + p.height, 0) / run.length,
    firstGap: first.firstGap ?? (second ? second.minX - first.maxX : undefined),
    lastGap: last.lastGap ?? (beforeLast ? last.minX - beforeLast.maxX : undefined),
    figures: run.every((i) => (pieces[i] as Piece).figures),
    run: k,
  };
}

function sameRow(a: Indexed, b: Indexed): boolean {
  const small = Math.min(a.height, b.height);
  return Math.max(a.height, b.height) <= small * MAX_HEIGHT_RATIO && Math.abs(a.centreY - b.centreY) < small / 2;
}

function rightOf(a: Indexed, tree: RBush<Indexed>): Indexed | undefined {
  let best: Indexed | undefined;
  for (const b of tree.search({
    minX: a.maxX,
    maxX: a.maxX + MAX_JUSTIFIED_GAP * a.height * MAX_HEIGHT_RATIO,
    minY: a.centreY,
    maxY: a.centreY,
  })) {
    if (b === a || b.minX <= a.maxX || !sameRow(a, b)) continue;
    if (b.minX - a.maxX > (MAX_JUSTIFIED_GAP * (a.height + b.height)) / 2) continue;
    if (!best || b.minX < best.minX) best = b;
  }
  return best;
}

/**
 * How much of the strip between `a` and `b` the rows around cover, on average, and whether rows above
 * and below both cover most of it. Neighbouring justified lines cover it, with their own stretched
 * spaces elsewhere (they may still be split themselves); a gutter or column border is left open.
 */
function crossed(a: Indexed, b: Indexed, tree: RBush<Indexed>): boolean {
  const h = (a.height + b.height) / 2;
  const y = (a.centreY + b.centreY) / 2;
  const lo = a.maxX;
  const hi = b.minX;
  const around = tree
    .search({ minX: a.minX, maxX: b.maxX, minY: y - WINDOW * h, maxY: y + WINDOW * h })
    .filter((n) => Math.abs(n.centreY - y) >= h / 2 && Math.abs(n.centreY - y) <= WINDOW * h)
    .sort((m, n) => m.centreY - n.centreY);
  let rows = 0;
  let covered = 0;
  let above = false;
  let below = false;
  let i = 0;
  while (i < around.length) {
    const first = around[i] as Indexed;
    let cover = 0;
    for (; i < around.length && (around[i] as Indexed).centreY - first.centreY < h / 2; i++) {
      const n = around[i] as Indexed;
      cover += Math.max(0, Math.min(hi, n.maxX) - Math.max(lo, n.minX));
    }
    const share = cover / (hi - lo);
    rows++;
    covered += share;
    if (share < MOSTLY) continue;
    if (first.centreY < y) above = true;
    else below = true;
  }
  return above && below && covered > MOSTLY * rows;
}
