// Ground-truth words and lines of a born-digital PDF from `pdftotext -bbox-layout` (poppler), the way the
// API would return them: one block per word, quads in pixels at PX_PER_PT, origin top-left.
import { execFileSync } from 'node:child_process';
import type { Box } from '@ocrkit/layout';
import type { GeneralTextWordsBlock, Quad } from '@ocrkit/protocol';

/** 144 dpi. */
export const PX_PER_PT = 2;

export interface TruthLine {
  readonly box: Box;
  readonly text: string;
}
export interface TruthPage {
  /** Page height in PDF points (ICDAR boxes have y up). */
  readonly heightPt: number;
  readonly width: number;
  readonly height: number;
  readonly words: GeneralTextWordsBlock[];
  /** poppler's lines, in poppler's order. */
  readonly lines: TruthLine[];
}

export const decode = (s: string) =>
  s.replace(
    /&(amp|lt|gt|quot|apos);/g,
    (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e] ?? '',
  );
export const attr = (tag: string, name: string) =>
  Number(new RegExp(`${name}=["']([^"']*)["']`).exec(tag)?.[1] ?? Number.NaN);
export const px = (v: number) => Math.round(v * PX_PER_PT);

export function readPdf(pdf: string): TruthPage[] {
  const html = execFileSync('pdftotext', ['-bbox-layout', pdf, '-'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return html
    .split('<page ')
    .slice(1)
    .map((chunk) => {
      const words: GeneralTextWordsBlock[] = [];
      const lines: TruthLine[] = [];
      for (const line of chunk.matchAll(/<line ([^>]*)>([\s\S]*?)<\/line>/g)) {
        const texts: string[] = [];
        const [lx0, ly0, lx1, ly1] = ['xMin', 'yMin', 'xMax', 'yMax'].map((n) => attr(line[1] ?? '', n)) as [
          number,
          number,
          number,
          number,
        ];
        const lineText = [...(line[2] ?? '').matchAll(/<word [^>]*>([^<]*)<\/word>/g)].map((w) => decode(w[1] ?? ''));
        // poppler gives boxes, not the text's direction: a line of two or more characters at least twice
        // as tall as wide is set bottom to top (axis titles, rotated headers; eu-005 p1), and the API
        // would return its words' quads turned 90 degrees, so that is what layout gets. The line decides,
        // not the word: a narrow word in a horizontal line ("it", eu-008) is not turned, and every word
        // of a turned line is, short ones too ("of", "EU" in eu-005 p1's axis title).
        const upward = [...lineText.join(' ')].length >= 2 && ly1 - ly0 >= 2 * (lx1 - lx0);
        for (const w of (line[2] ?? '').matchAll(/<word ([^>]*)>([^<]*)<\/word>/g)) {
          const [x0, y0, x1, y1] = ['xMin', 'yMin', 'xMax', 'yMax'].map((n) => px(attr(w[1] ?? '', n)));
          const text = decode(w[2] ?? '');
          texts.push(text);
          if (x1 === undefined || y1 === undefined || x0 === undefined || y0 === undefined) continue;
          const right = Math.max(x1, x0 + 1);
          const bottom = Math.max(y1, y0 + 1);
          const location: Quad = upward
            ? [
                [x0, bottom],
                [x0, y0],
                [right, y0],
                [right, bottom],
              ]
            : [
                [x0, y0],
                [right, y0],
                [right, bottom],
                [x0, bottom],
              ];
          words.push({ words: text, location, confidence: 1 });
        }
        const [minX, minY, maxX, maxY] = ['xMin', 'yMin', 'xMax', 'yMax'].map((n) => px(attr(line[1] ?? '', n))) as [
          number,
          number,
          number,
          number,
        ];
        lines.push({ box: { minX, minY, maxX, maxY }, text: texts.join(' ') });
      }
      return {
        heightPt: attr(chunk, 'height'),
        width: px(attr(chunk, 'width')),
        height: px(attr(chunk, 'height')),
        words,
        lines,
      };
    });
}
