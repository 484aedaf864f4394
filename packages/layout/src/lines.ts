import RBush from 'rbush';
import { angleDifference, normalizeDegrees, roundAngle } from './angle.js';
import { unionBoxes } from './box.js';
import { type Frame, frameOf, uprightX, uprightY } from './frame.js';
import { joinJustified, type Piece } from './justified.js';
import { makeLine } from './line-geometry.js';
import { isListMarker } from './list-marker.js';
import { orientationGroups } from './orientation.js';
import type { Line, Word } from './types.js';
import type { Segment } from './words.js';

export interface LineOptions {
  /** Widest gap inside a line, in line heights. */
  readonly maxWordGap: number;
}

/** A line with the orientation it was built in. */
export interface LineDraft {
  readonly line: Line;
  /** Counter-clockwise degrees [0, 360). */
  readonly angle: number;
  /** Across the text, pixels. */
  readonly height: number;
}

/** A segment placed in its orientation group's upright frame; the box is what rbush indexes. */
interface Node {
  readonly segment: Segment;
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
  readonly leftX: number;
  readonly rightX: number;
  readonly leftTop: number;
  readonly leftBottom: number;
  readonly rightTop: number;
  readonly rightBottom: number;
  readonly centreX: number;
  readonly centreY: number;
  readonly height: number;
}

/** A figure in a table or on a chart axis: digits with their signs, separators and brackets. */
const FIGURE = /^[([]?[-+\u2212\u2013]?[\d.,]*\d[\d.,]*[%)\]*]*$/u;
/** Gaps up to this many line heights are word spaces, merged without looking around (justified text). */
const WORD_GAP = 0.5;
/** Neighbours of the same line differ by at most this angle (degrees) and this height ratio. */
const MAX_ANGLE_DIFFERENCE = 10;
const MAX_HEIGHT_RATIO = 2;
/** Ends of two neighbours must overlap across the text by half the smaller height. */
const MIN_VERTICAL_OVERLAP = 0.5;
/** Rows looked at above and below a wide gap, in line heights. */
const GUTTER_WINDOW = 2.5;
/** A whitespace strip this wide (line heights) that most rows around leave empty is a gutter. */
const MIN_GUTTER = 0.5;
/** With fewer than two rows around, a lone gap this wide (line heights) still splits. */
const LONE_GAP = 1.5;
const MIN_ROWS_ACROSS = 2;
/** Rows looked at above and below a narrow gap for text crossing it on both sides, in line heights. */
const RIVER_WINDOW = 4.5;
/** Both sides of a river are at least this long (line heights): several words of running text. */
const RIVER_MIN_LENGTH = 5;

/**
 * Merges segments that sit on one baseline into lines, per orientation group, through one bulk-loaded
 * R-tree per group: each segment asks the tree for its nearest right-hand neighbour of the same angle
 * and height whose left end overlaps its right end across the text. Small gaps merge; wider gaps
 * merge only when the rows around cross them, so column gutters and table cell borders are never
 * bridged (the whitespace-corridor test of Breuel's column finding, 2002, reduced to one gap).
 */
export function buildLines(segments: readonly Segment[], options: LineOptions): LineDraft[] {
  const drafts: LineDraft[] = [];
  const groups = orientationGroups(
    segments,
    (s) => s.angle,
    (s) => s.length,
  );
  for (const group of groups) {
    const frame = frameOf(group.angle);
    const nodes = group.members.map((segment) => toNode(segment, frame));
    const tree = new RBush<Node>();
    tree.load(nodes);
    const next = new Map<Node, { node: Node; gap: number }>();
    const prev = new Map<Node, { node: Node; gap: number }>();
    for (const a of nodes) {
      const b = rightNeighbour(a, tree, options.maxWordGap);
      if (!b) continue;
      const gap = b.leftX - a.rightX;
      const h = (a.height + b.height) * 0.5;
      if (gap > WORD_GAP * h && !(isMarker(a) && gap <= LONE_GAP * h) && hasGutter(a, b, tree)) continue;
      const taken = prev.get(b);
      if (taken && taken.gap <= gap) continue;
      if (taken) next.delete(taken.node);
      prev.set(b, { node: a, gap });
      next.set(a, { node: b, gap });
    }
    const chains: Node[][] = [];
    for (const start of nodes) {
      if (prev.has(start)) continue;
      const chain: Node[] = [];
      for (let n: Node | undefined = start; n; n = next.get(n)?.node) chain.push(n);
      chains.push(chain);
    }
    for (const run of joinJustified(chains.map((c) => pieceOf(c, frame))))
      drafts.push(draftOf(run.flatMap((k) => chains[k] as Node[])));
  }
  return drafts;
}

/**
 * A list marker ("•", "–", "1.", "a)", "(iv)") opens its item's line even across the hanging indent,
 * which leaves a gutter-like strip down a list (poppler keeps "• the facility ..." one line; eu-001 p1).
 */
function isMarker(n: Node): boolean {
  const words = n.segment.words;
  return words.length === 1 && isListMarker((words[0] as Word).text);
}

function toNode(segment: Segment, frame: Frame): Node {
  const [p0, p1, p2, p3] = segment.quad;
  const ux = (p: readonly [number, number]) => uprightX(frame, p[0], p[1]);
  const uy = (p: readonly [number, number]) => uprightY(frame, p[0], p[1]);
  const xs = [ux(p0), ux(p1), ux(p2), ux(p3)];
  const ys = [uy(p0), uy(p1), uy(p2), uy(p3)];
  const minX = Math.min(...xs);
  const maxX = Math.max(...xs);
  const minY = Math.min(...ys);
  const maxY = Math.max(...ys);
  return {
    segment,
    minX,
    minY,
    maxX,
    maxY,
    leftX: Math.min(ux(p0), ux(p3)),
    rightX: Math.max(ux(p1), ux(p2)),
    leftTop: uy(p0),
    leftBottom: uy(p3),
    rightTop: uy(p1),
    rightBottom: uy(p2),
    centreX: (minX + maxX) / 2,
    centreY: (minY + maxY) / 2,
    height: Math.max(segment.height, 1),
  };
}

function rightNeighbour(a: Node, tree: RBush<Node>, maxWordGap: number): Node | undefined {
  const candidates = tree.search({
    minX: a.rightX - a.height * WORD_GAP,
    maxX: a.rightX + a.height * maxWordGap * MAX_HEIGHT_RATIO,
    minY: a.rightTop,
    maxY: a.rightBottom,
  });
  let best: Node | undefined;
  let bestGap = Infinity;
  for (const b of candidates) {
    if (b === a || b.centreX <= a.centreX) continue;
    if (angleDifference(a.segment.angle, b.segment.angle) > MAX_ANGLE_DIFFERENCE) continue;
    const small = Math.min(a.height, b.height);
    const large = Math.max(a.height, b.height);
    if (large > small * MAX_HEIGHT_RATIO) continue;
    const gap = b.leftX - a.rightX;
    if (gap < -small * WORD_GAP || gap > maxWordGap * (a.height + b.height) * 0.5) continue;
    const across = Math.min(a.rightBottom, b.leftBottom) - Math.max(a.rightTop, b.leftTop);
    if (across < small * MIN_VERTICAL_OVERLAP) continue;
    if (gap < bestGap) {
      best = b;
      bestGap = gap;
    }
  }
  return best;
}

/**
 * True when a strip of the gap between `a` and `b`, at least half a line height wide, is left empty by
 * most of the rows within 2.5 line heights above and below: a column gutter or a table's column border.
 * Counting rows (not requiring all of them) keeps a spanning table header from hiding the border.
 */
function hasGutter(a: Node, b: Node, tree: RBush<Node>): boolean {
  const h = (a.height + b.height) / 2;
  const lo = a.rightX;
  const hi = b.leftX;
  const rowY = (a.centreY + b.centreY) / 2;
  const around = tree
    .search({ minX: a.minX, maxX: b.maxX, minY: rowY - GUTTER_WINDOW * h, maxY: rowY + GUTTER_WINDOW * h })
    .filter((n) => Math.abs(n.centreY - rowY) >= h / 2)
    .sort((m, n) => m.centreY - n.centreY);
  if (around.length === 0) return hi - lo > LONE_GAP * h;
  // Rivers run through paragraphs: both sides are runs of words, never a table's short cells.
  const long = Math.min(a.rightX - a.leftX, b.rightX - b.leftX) >= RIVER_MIN_LENGTH * h;
  if (long && hi - lo <= LONE_GAP * h && enclosed(lo, hi, rowY, h, tree)) return false;
  // Rows: runs of neighbours whose centres lie within half a line height of the run's first.
  const events: [x: number, delta: number][] = [];
  let rows = 0;
  let i = 0;
  while (i < around.length) {
    const first = around[i] as Node;
    const spans: [number, number][] = [];
    for (; i < around.length && (around[i] as Node).centreY - first.centreY < h / 2; i++) {
      const n = around[i] as Node;
      const s = Math.max(lo, n.minX);
      const e = Math.min(hi, n.maxX);
      if (e > s) spans.push([s, e]);
    }
    rows++;
    for (const [s, e] of mergeSpans(spans)) events.push([s, 1], [e, -1]);
  }
  // One row is no evidence of running text across a wide gap: a caption or a source note under a
  // table's last row crosses every column border (eu-012 p5).
  if (rows < MIN_ROWS_ACROSS && hi - lo > LONE_GAP * h) return true;
  events.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  const minGutter = MIN_GUTTER * h;
  let covered = 0;
  let low = true;
  let runStart = lo;
  for (const [at, delta] of events) {
    if (low && at - runStart >= minGutter) return true;
    covered += delta;
    const nowLow = covered * 2 < rows;
    if (nowLow && !low) runStart = at;
    low = nowLow;
  }
  return low && hi - runStart >= minGutter;
}

/**
 * A narrow strip that text crosses both above and below, within a few rows, is a river of justified
 * word spaces running down a paragraph, not a gutter: columns are not closed off at both ends that soon.
 */
function enclosed(lo: number, hi: number, rowY: number, h: number, tree: RBush<Node>): boolean {
  let above = false;
  let below = false;
  for (const n of tree.search({ minX: lo, maxX: hi, minY: rowY - RIVER_WINDOW * h, maxY: rowY + RIVER_WINDOW * h })) {
    if (n.minX > lo || n.maxX < hi || Math.abs(n.centreY - rowY) < h / 2) continue;
    if (n.centreY < rowY) above = true;
    else below = true;
    if (above && below) return true;
  }
  return false;
}

function mergeSpans(spans: [number, number][]): [number, number][] {
  spans.sort((p, q) => p[0] - q[0]);
  const merged: [number, number][] = [];
  for (const [s, e] of spans) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return merged;
}

function pieceOf(chain: readonly Node[], frame: Frame): Piece {
  // Only the spaces at the two ends are asked for: the first two and the last two words.
  const words = chain.flatMap((n) => n.segment.words);
  const ends = words.length > 4 ? [...words.slice(0, 2), ...words.slice(-2)] : words;
  const spans = ends.map((w): [number, number] => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const [x, y] of w.quad) {
      const u = uprightX(frame, x, y);
      if (u < lo) lo = u;
      if (u > hi) hi = u;
    }
    return [lo, hi];
  });
  const last = spans.length - 1;
  const { minX, minY, maxX, maxY } = unionBoxes(chain);
  return {
    minX,
    minY,
    maxX,
    maxY,
    height: chain.reduce((sum, n) => sum + n.height, 0) / chain.length,
    firstGap: last > 0 ? (spans[1] as [number, number])[0] - (spans[0] as [number, number])[1] : undefined,
    lastGap: last > 0 ? (spans[last] as [number, number])[0] - (spans[last - 1] as [number, number])[1] : undefined,
    figures: chain.every((n) => n.segment.words.every((w) => FIGURE.test(w.text))),
  };
}

function draftOf(chain: readonly Node[]): LineDraft {
  const words: Word[] = [];
  let sx = 0;
  let sy = 0;
  let height = 0;
  let weight = 0;
  for (const n of chain) {
    words.push(...n.segment.words);
    const w = Math.max(n.segment.length, 1e-6);
    const r = (n.segment.angle * Math.PI) / 180;
    sx += w * Math.cos(r);
    sy += w * Math.sin(r);
    height += w * n.height;
    weight += w;
  }
  const angle = roundAngle(normalizeDegrees((Math.atan2(sy, sx) * 180) / Math.PI));
  return { line: makeLine(words, angle), angle, height: height / weight };
}
