import type { GeneralTextWordsBlock, Point, Quad } from '@ocrkit/protocol';
import { quadAngle, quadHeight, quadLength } from './angle.js';
import { boxOfPoints, round2 } from './box.js';
import { charWidth, isCjk, isSpace } from './chars.js';
import type { Word } from './types.js';

/** One API block cut into words: the unit that lines are merged from. */
export interface Segment {
  readonly words: readonly Word[];
  readonly quad: Quad;
  /** Counter-clockwise degrees [0, 360). */
  readonly angle: number;
  /** Across the text, pixels. */
  readonly height: number;
  /** Along the text, pixels. */
  readonly length: number;
  readonly confidence: number;
}

interface Unit {
  /** Code point indices into the block's text, end exclusive. */
  readonly start: number;
  readonly end: number;
}

/**
 * Splits one API block into words along its quad: at whitespace, and every CJK character on its own.
 * Word extents come from `char_list` when it matches the text, else from estimated character widths.
 * Word quads are slices of the block's quad, so they keep its rotation and its height.
 */
export function splitBlock(block: GeneralTextWordsBlock): Segment | undefined {
  const chars = Array.from(block.words.trim());
  const units = wordUnits(chars);
  if (units.length === 0) return undefined;
  const quad = block.location;
  const blockConfidence = clampConfidence(block.confidence ?? 1);
  const spans = charSpans(chars, quad, block) ?? estimatedSpans(chars);
  const words: Word[] = [];
  for (const unit of units) {
    let t0 = Infinity;
    let t1 = -Infinity;
    let confidence = 0;
    let known = 0;
    for (let i = unit.start; i < unit.end; i++) {
      const span = spans[i];
      if (!span) continue;
      if (span.t0 < t0) t0 = span.t0;
      if (span.t1 > t1) t1 = span.t1;
      if (span.confidence !== undefined) {
        confidence += span.confidence;
        known++;
      }
    }
    if (!(t1 > t0)) continue;
    words.push(
      sliceWord(
        chars.slice(unit.start, unit.end).join(''),
        quad,
        t0,
        t1,
        known > 0 ? confidence / known : blockConfidence,
      ),
    );
  }
  if (words.length === 0) return undefined;
  return {
    words,
    quad,
    angle: quadAngle(quad),
    height: quadHeight(quad),
    length: quadLength(quad),
    confidence: blockConfidence,
  };
}

function wordUnits(chars: readonly string[]): Unit[] {
  const units: Unit[] = [];
  let start = -1;
  for (let i = 0; i <= chars.length; i++) {
    const c = chars[i];
    const breaks = c === undefined || isSpace(c) || isCjk(c);
    if (breaks && start >= 0) {
      units.push({ start, end: i });
      start = -1;
    }
    if (c !== undefined && isCjk(c)) units.push({ start: i, end: i + 1 });
    else if (c !== undefined && !isSpace(c) && start < 0) start = i;
  }
  return units;
}

interface Span {
  /** Fractions of the block's length, 0..1. */
  readonly t0: number;
  readonly t1: number;
  readonly confidence?: number;
}

/**
 * Per-character spans from `char_list`, projected on the block's top edge. Used only when the list
 * holds exactly the text's non-space characters (the engine and the service leave spaces out);
 * anything else falls back to estimated widths rather than guessing an alignment.
 */
function charSpans(
  chars: readonly string[],
  quad: Quad,
  block: GeneralTextWordsBlock,
): (Span | undefined)[] | undefined {
  const list = block.char_list?.filter((c) => !isSpace(c.char));
  if (!list || list.length === 0) return undefined;
  const visible = chars.filter((c) => !isSpace(c));
  if (visible.length !== list.length) return undefined;
  const [p0, p1] = quad;
  const ax = p1[0] - p0[0];
  const ay = p1[1] - p0[1];
  const len2 = ax * ax + ay * ay;
  if (len2 === 0) return undefined;
  const spans: (Span | undefined)[] = [];
  let k = 0;
  for (const c of chars) {
    if (isSpace(c)) {
      spans.push(undefined);
      continue;
    }
    const item = list[k++];
    if (!item) return undefined;
    let t0 = Infinity;
    let t1 = -Infinity;
    for (const [x, y] of item.char_location) {
      const t = ((x - p0[0]) * ax + (y - p0[1]) * ay) / len2;
      if (t < t0) t0 = t;
      if (t > t1) t1 = t;
    }
    spans.push({ t0: clamp01(t0), t1: clamp01(t1), confidence: clampConfidence(item.char_confidence) });
  }
  return spans;
}

function estimatedSpans(chars: readonly string[]): Span[] {
  let total = 0;
  for (const c of chars) total += charWidth(c);
  if (total === 0) total = 1;
  const spans: Span[] = [];
  let at = 0;
  for (const c of chars) {
    const w = charWidth(c);
    spans.push({ t0: at / total, t1: (at + w) / total });
    at += w;
  }
  return spans;
}

function sliceWord(text: string, quad: Quad, t0: number, t1: number, confidence: number): Word {
  const [p0, p1, p2, p3] = quad;
  const wordQuad: Quad = [lerp(p0, p1, t0), lerp(p0, p1, t1), lerp(p3, p2, t1), lerp(p3, p2, t0)];
  return { text, quad: wordQuad, box: boxOfPoints(wordQuad), confidence };
}

function lerp(a: Point, b: Point, t: number): Point {
  return [round2(a[0] + (b[0] - a[0]) * t), round2(a[1] + (b[1] - a[1]) * t)];
}

function clamp01(t: number): number {
  return Math.min(Math.max(t, 0), 1);
}

function clampConfidence(c: number): number {
  return Number.isFinite(c) ? Math.round(clamp01(c) * 10000) / 10000 : 1;
}
