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
 * per line along its own baseline and angle; each word placed with its own text matrix and stretched
 * (`Tz`) to its box; a space after every word (also the last of a line, so extractors keep lines
 * apart) except between two characters written without spaces.
 */
export function textLayerContent(page: Page, transform: Matrix, fontName: string, encoder: TextEncoder16): string {
  const out: string[] = [];
  for (const block of page.blocks) {
    for (const line of block.lines) {
      const [q0, , q2, q3] = line.quad.map(([x, y]) => apply(transform, x, y)) as unknown as [Vec, Vec, Vec, Vec];
      const along = sub(q2, q3);
      const length = Math.hypot(along[0], along[1]);
      if (length === 0) continue;
      const u: Vec = [along[0] / length, along[1] / length];
      const n: Vec = [-u[1], u[0]];
      const size = Math.abs(dot(sub(q0, q3), n));
      if (!(size > 0)) continue;
      const words = line.words.filter((word) => word.text.length > 0);
      if (words.length === 0) continue;
      out.push('BT', '3 Tr', `/${fontName} ${num(size)} Tf`);
      words.forEach((word, i) => {
        const [start, end] = extent(word, transform, q3, u);
        const width = Math.max(end - start, size * 0.05);
        const chars = [...word.text].length;
        const stretch = (100 * width) / (chars * emWidth * size);
        const origin: Vec = [
          q3[0] + u[0] * start + n[0] * baselineRaise * size,
          q3[1] + u[1] * start + n[1] * baselineRaise * size,
        ];
        const next = words[i + 1];
        const space = next && unspaced.test(lastChar(word.text)) && unspaced.test(firstChar(next.text)) ? '' : ' ';
        out.push(`${num(u[0])} ${num(u[1])} ${num(n[0])} ${num(n[1])} ${num(origin[0])} ${num(origin[1])} Tm`);
        out.push(`${num(stretch)} Tz`, `<${encoder.hex(word.text + space)}> Tj`);
      });
      out.push('ET');
    }
  }
  return out.join('\n');
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
