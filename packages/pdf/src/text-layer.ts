import type { Page, Word } from '@ocrkit/layout';
import { glyphless } from './glyphless-font.js';
import { apply, type Matrix } from './matrix.js';
import type { TextEncoder16 } from './text-encoding.js';

// Characters written without spaces between them (Chinese, Japanese kana, CJK punctuation).
const unspaced = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\uff00-\uffef]/u;
const emWidth = glyphless.advance / glyphless.unitsPerEm;
// The glyph box runs from the baseline -descent up to +ascent (in em): put the baseline that far above
// the line's bottom edge and use the line's height as the font size, and text extractors (pdftotext
// -bbox, pdf.js) report exactly the OCR box.
const baselineRaise = -glyphless.descent / glyphless.unitsPerEm;

type Vec = readonly [number, number];

/**
 * The content stream of one page's invisible text (render mode 3, PDF 32000-1 §9.3.6): one text object
 * per line along its own baseline; each word placed with its own text matrix and stretched (`Tz`) to its
 * box; a space after every word (also the last of a line, so extractors keep lines apart) except between
 * two characters written without spaces. What the extractors need, measured with pdftotext and pdf.js
 * (packages/pdf/bench/eval.ts):
 * - one font size per block (its median line height): poppler never joins lines whose sizes differ by
 *   more than 5% into one block (TextOutputDev.cc, maxBlockFontSizeDelta1), and two columns of lines
 *   with their own sizes came out interleaved;
 * - a line within 2 degrees of a right angle is written with an axis-aligned matrix (each word still
 *   starting on the real baseline): pdf.js reads words of a slightly tilted, stretched line as one line
 *   each;
 * - a gap of at least 0.15 font size after a word that a space follows (the word is narrowed when its box
 *   touches the next): poppler starts a new word only after a gap of 0.1 font size, ignoring the space
 *   character. Characters written without spaces keep their touching boxes, so they stay one word.
 */
export function textLayerContent(page: Page, transform: Matrix, fontName: string, encoder: TextEncoder16): string {
  const out: string[] = [];
  for (const block of page.blocks) {
    const lines = block.lines.map((line) => lineFrame(line.quad, transform)).filter((frame) => frame !== undefined);
    const sizes = lines.map((frame) => frame.height).sort((a, b) => a - b);
    const size = sizes[sizes.length >> 1];
    if (size === undefined) continue;
    block.lines.forEach((line) => {
      const frame = lineFrame(line.quad, transform);
      const words = line.words.filter((word) => word.text.length > 0);
      if (!frame || words.length === 0) return;
      const { start: lineStart, u, n } = frame;
      const [a, b, c, d] = axisAligned(u) ?? [u[0], u[1], n[0], n[1]];
      const spans = words.map((word) => extent(word, transform, lineStart, u));
      out.push('BT', '3 Tr', `/${fontName} ${num(size)} Tf`);
      words.forEach((word, i) => {
        const next = words[i + 1];
        const joined = next !== undefined && unspaced.test(lastChar(word.text)) && unspaced.test(firstChar(next.text));
        const [start, boxEnd] = spans[i] as [number, number];
        const nextStart = spans[i + 1]?.[0];
        // Joined characters keep touching boxes; a word followed by a space leaves its gap.
        const end = nextStart === undefined || joined ? boxEnd : Math.min(boxEnd, nextStart - minGap * size);
        const width = Math.max(end - start, (boxEnd - start) / 2, size * 0.05);
        const stretch = (100 * width) / ([...word.text].length * emWidth * size);
        const origin: Vec = [
          lineStart[0] + u[0] * start + n[0] * baselineRaise * size,
          lineStart[1] + u[1] * start + n[1] * baselineRaise * size,
        ];
        const space = joined ? '' : ' ';
        out.push(`${num(a)} ${num(b)} ${num(c)} ${num(d)} ${num(origin[0])} ${num(origin[1])} Tm`);
        out.push(`${num(stretch)} Tz`, `<${encoder.hex(word.text + space)}> Tj`);
      });
      out.push('ET');
    });
  }
  return out.join('\n');
}

// Gap kept between two words of a line, in font sizes (poppler's minWordBreakSpace is 0.1).
const minGap = 0.15;
// Lines this close to a right angle (degrees) are written axis-aligned.
const snapDegrees = 2;

interface LineFrame {
  /** The line's bottom-left corner in user space: where its baseline starts, before the raise. */
  readonly start: Vec;
  /** Unit vectors along the text and up from it. */
  readonly u: Vec;
  readonly n: Vec;
  readonly height: number;
}

function lineFrame(quad: Page['blocks'][number]['lines'][number]['quad'], transform: Matrix): LineFrame | undefined {
  const [q0, , q2, q3] = quad.map(([x, y]) => apply(transform, x, y)) as unknown as [Vec, Vec, Vec, Vec];
  const along = sub(q2, q3);
  const length = Math.hypot(along[0], along[1]);
  if (length === 0) return undefined;
  const u: Vec = [along[0] / length, along[1] / length];
  const n: Vec = [-u[1], u[0]];
  const height = Math.abs(dot(sub(q0, q3), n));
  return height > 0 ? { start: q3, u, n, height } : undefined;
}

/** The rotation [a b c d] of the nearest right angle when `u` is within `snapDegrees` of it. */
function axisAligned(u: Vec): [number, number, number, number] | undefined {
  const degrees = (Math.atan2(u[1], u[0]) * 180) / Math.PI;
  const quarter = Math.round(degrees / 90);
  if (Math.abs(degrees - quarter * 90) > snapDegrees) return undefined;
  const cos = Math.round(Math.cos((quarter * Math.PI) / 2));
  const sin = Math.round(Math.sin((quarter * Math.PI) / 2));
  return [cos, sin, -sin, cos];
}

/** Where the word starts and ends along the line's baseline, as distances from the line's start. */
function extent(word: Word, transform: Matrix, lineStart: Vec, u: Vec): [number, number] {
  const along = word.quad.map(([x, y]) => dot(sub(apply(transform, x, y), lineStart), u));
  return [Math.min(...along), Math.max(...along)];
}

function sub(a: Vec, b: Vec): Vec {
  return [a[0] - b[0], a[1] - b[1]];
}

function dot(a: Vec, b: Vec): number {
  return a[0] * b[0] + a[1] * b[1];
}

function firstChar(text: string): string {
  return String.fromCodePoint(text.codePointAt(0) ?? 32);
}

function lastChar(text: string): string {
  return [...text].at(-1) ?? ' ';
}

/** A number as PDF content: at most 3 decimals, no exponent, no negative zero. */
function num(value: number): string {
  const rounded = Math.round(value * 1000) / 1000;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}
