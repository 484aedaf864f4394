// Where pdftotext finds the text layer's words, against where the OCR saw them.
//
// Matching is by characters, not by word order or by IoU: poppler makes its own words (a run of CJK
// characters written without spaces is one poppler word, a skewed word may be cut in two) and its own
// reading order. The page's characters (blocks → lines → words, the order the layer writes them) are
// paired with pdftotext's, longest common runs first, so that a block poppler reads elsewhere is still
// paired (text-metrics.ts `alignChars`). Words linked by a paired character form a group (usually one
// OCR word and one poppler word; a CJK run and its characters; a word poppler cut in two); a group's IoU
// is that of the union of its OCR boxes and the union of its poppler boxes. OCR words with no paired
// character count as IoU 0.
import type { Page, Word } from '@ocrkit/layout';
import type { Box, PopplerWord } from './readers.ts';
import { alignChars, chars, han } from './text-metrics.ts';

type Matrix = readonly number[];

// The characters the layer writes without a space between them (src/text-layer.ts `unspaced`).
const unspaced = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\uff00-\uffef]/u;

export interface BoxScores {
  /** Mean IoU over groups (see above); NaN when the page has no words. */
  readonly meanIou: number;
  readonly minIou: number;
  readonly groups: number;
  /** Groups of exactly one OCR word and one poppler word. */
  readonly oneToOne: number;
  /** OCR words none of whose characters pdftotext reports. */
  readonly unmatched: number;
  /** The group with the lowest IoU, for the report. */
  readonly worst: string;
}

export interface SpaceScores {
  /** Adjacent Han words of one OCR line that the extracted text separates by spaces or tabs. */
  readonly hanSpaces: number;
  /** The same for any pair the layer writes unspaced (Han, kana, CJK punctuation, full-width forms). */
  readonly cjkSpaces: number;
  /** Adjacent words of one OCR line that the extracted text puts on different lines. */
  readonly breaks: number;
  /** Adjacent words the layer separates by a space that the extracted text glues together. */
  readonly lostSpaces: number;
  /** Examples of lost spaces, "left|right". */
  readonly lostExamples: readonly string[];
}

interface Placed {
  readonly word: Word;
  readonly line: number;
  /** Index of its first character in the page's character sequence. */
  readonly first: number;
  readonly count: number;
}

/** The OCR words in the layer's order, with their lines and character offsets. */
function placeWords(page: Page): { placed: Placed[]; pageChars: string[]; owner: number[] } {
  const placed: Placed[] = [];
  const pageChars: string[] = [];
  const owner: number[] = [];
  let line = 0;
  for (const block of page.blocks) {
    for (const l of block.lines) {
      for (const word of l.words) {
        const text = chars(word.text);
        if (text.length === 0) continue;
        placed.push({ word, line, first: pageChars.length, count: text.length });
        for (const c of text) {
          pageChars.push(c);
          owner.push(placed.length - 1);
        }
      }
      line++;
    }
  }
  return { placed, pageChars, owner };
}

function popplerChars(words: readonly PopplerWord[]): { popChars: string[]; popOwner: number[] } {
  const popChars: string[] = [];
  const popOwner: number[] = [];
  words.forEach((word, index) => {
    for (const c of chars(word.text)) {
      popChars.push(c);
      popOwner.push(index);
    }
  });
  return { popChars, popOwner };
}

export function compareWords(
  page: Page,
  imageToUser: Matrix,
  userToDisplay: Matrix,
  poppler: readonly PopplerWord[],
): BoxScores {
  const { placed, pageChars, owner } = placeWords(page);
  const { popChars, popOwner } = popplerChars(poppler);
  const pairs = alignChars(pageChars, popChars);

  // Union-find over OCR words (0..P-1) and poppler words (P..P+T-1).
  const P = placed.length;
  const parent = Array.from({ length: P + poppler.length }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i] as number] as number;
      i = parent[i] as number;
    }
    return i;
  };
  for (const [i, j] of pairs) parent[find(owner[i] as number)] = find(P + (popOwner[j] as number));

  const groups = new Map<number, { ocr: number[]; pop: number[] }>();
  for (let i = 0; i < parent.length; i++) {
    const root = find(i);
    const group = groups.get(root) ?? { ocr: [], pop: [] };
    if (i < P) group.ocr.push(i);
    else group.pop.push(i - P);
    groups.set(root, group);
  }
  const toDisplay = (word: Word): Box => {
    const points = word.quad.map(([x, y]) => apply(userToDisplay, ...apply(imageToUser, x, y)));
    const xs = points.map(([x]) => x);
    const ys = points.map(([, y]) => y);
    return { minX: Math.min(...xs), minY: Math.min(...ys), maxX: Math.max(...xs), maxY: Math.max(...ys) };
  };
  const ious: number[] = [];
  let oneToOne = 0;
  let unmatched = 0;
  let worst = { iou: 2, text: '' };
  for (const { ocr, pop } of groups.values()) {
    if (ocr.length === 0) continue;
    const text = `${ocr.map((i) => placed[i]?.word.text).join(' ')} ↔ ${pop.map((j) => poppler[j]?.text).join(' ')}`;
    if (pop.length === 0) {
      unmatched += ocr.length;
      ious.push(0);
      if (worst.iou > 0) worst = { iou: 0, text };
      continue;
    }
    if (ocr.length === 1 && pop.length === 1) oneToOne++;
    const value = iou(
      union(ocr.map((i) => toDisplay((placed[i] as Placed).word))),
      union(pop.map((j) => (poppler[j] as PopplerWord).box)),
    );
    ious.push(value);
    if (value < worst.iou) worst = { iou: value, text };
  }

  return {
    meanIou: ious.length === 0 ? Number.NaN : ious.reduce((s, v) => s + v, 0) / ious.length,
    minIou: ious.length === 0 ? Number.NaN : Math.min(...ious),
    groups: ious.length,
    oneToOne,
    unmatched,
    worst: worst.iou <= 1 ? `${worst.text} (${worst.iou.toFixed(2)})` : '',
  };
}

/**
 * What an extracted text (pdftotext's, pdf.js's) puts between adjacent words of one OCR line: the page's
 * characters are aligned with the text's non-space characters; where the two words' characters are
 * consecutive there, the whitespace between them is a space, a line break or nothing.
 */
export function compareSpacing(page: Page, text: string): SpaceScores {
  const { placed, pageChars } = placeWords(page);
  const textChars: string[] = [];
  const before: string[] = []; // the whitespace in front of each non-space character
  let gap = '';
  for (const char of chars(text)) {
    if (/\s/u.test(char)) gap += char;
    else {
      textChars.push(char);
      before.push(gap);
      gap = '';
    }
  }
  const pairs = alignChars(pageChars, textChars);
  let hanSpaces = 0;
  let cjkSpaces = 0;
  let breaks = 0;
  let lostSpaces = 0;
  const lostExamples: string[] = [];
  placed.forEach((a, k) => {
    const b = placed[k + 1];
    if (!b || b.line !== a.line) return;
    const ja = pairs.get(a.first + a.count - 1);
    const jb = pairs.get(b.first);
    if (ja === undefined || jb !== ja + 1) return;
    const between = before[jb] ?? '';
    // The layer decides on the characters as OCR gave them (NFKC would turn "，" into ",").
    const last = [...a.word.text].at(-1) ?? '';
    const first = [...b.word.text][0] ?? '';
    if (/\n/.test(between)) breaks++;
    else if (unspaced.test(last) && unspaced.test(first)) {
      if (between.length > 0) {
        cjkSpaces++;
        if (han.test(last) && han.test(first)) hanSpaces++;
      }
    } else if (between.length === 0) {
      lostSpaces++;
      if (lostExamples.length < 4) lostExamples.push(`${a.word.text}|${b.word.text}`);
    }
  });
  return { hanSpaces, cjkSpaces, breaks, lostSpaces, lostExamples };
}

/** The page's words in the order the layer writes them, a line per line (CERs here ignore whitespace). */
export function layerText(page: Page): string {
  return page.blocks.flatMap((b) => b.lines.map((l) => l.words.map((w) => w.text).join(' '))).join('\n');
}

export function wordCount(page: Page): number {
  return page.blocks.reduce((n, b) => n + b.lines.reduce((m, l) => m + l.words.length, 0), 0);
}

function apply(m: Matrix, x: number, y: number): [number, number] {
  const [a = 1, b = 0, c = 0, d = 1, e = 0, f = 0] = m;
  return [a * x + c * y + e, b * x + d * y + f];
}

function union(boxes: readonly Box[]): Box {
  return {
    minX: Math.min(...boxes.map((b) => b.minX)),
    minY: Math.min(...boxes.map((b) => b.minY)),
    maxX: Math.max(...boxes.map((b) => b.maxX)),
    maxY: Math.max(...boxes.map((b) => b.maxY)),
  };
}

function iou(a: Box, b: Box): number {
  const w = Math.min(a.maxX, b.maxX) - Math.max(a.minX, b.minX);
  const h = Math.min(a.maxY, b.maxY) - Math.max(a.minY, b.minY);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  const area = (box: Box) => (box.maxX - box.minX) * (box.maxY - box.minY);
  return inter / (area(a) + area(b) - inter);
}
