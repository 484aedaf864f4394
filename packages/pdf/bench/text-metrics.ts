// Error rates and character alignment of extracted text. Both sides are NFKC-normalised per character
// (pdftotext and pdf.js may hand back compatibility forms); rates are Levenshtein (1966) edit distances
// over the reference length, so they exceed 1 when the output holds much more text than the reference.

import { levenshtein } from '../../../test/support/levenshtein.ts';
import { words } from '../../../test/support/words.ts';

export const han = /\p{Script=Han}/u;

/** Code points, each NFKC-normalised (a ligature may become several code points). */
export function chars(text: string): string[] {
  return Array.from(text.normalize('NFKC'));
}

/** Character error rate with all whitespace removed: the text, whatever its spacing and line breaks. */
export function cer(output: string, reference: string): number {
  const ref = chars(reference.replace(/\s+/gu, ''));
  return rate(levenshtein(chars(output.replace(/\s+/gu, '')), ref), ref.length);
}

/** Word error rate over whitespace-separated words, each CJK character a word of its own. */
export function wer(output: string, reference: string): number {
  const ids = new Map<string, number>();
  const id = (word: string) => {
    let known = ids.get(word);
    if (known === undefined) {
      known = ids.size;
      ids.set(word, known);
    }
    return known;
  };
  const ref = words(reference).map(id);
  return rate(levenshtein(words(output).map(id), ref), ref.length);
}

export { levenshtein, words };

/**
 * Pairs (i, j) with a[i] === b[j], tolerant of moved blocks (a column or table another reader puts
 * elsewhere): the longest common run of unpaired characters is paired first, then the next longest,
 * down to `minRun` characters (shorter runs are as likely chance as text). This is Ratcliff and
 * Obershelp's (1988) greedy matching without its order constraint; each pass is an O(n·m) longest
 * common substring, and a page holds a few thousand characters in a few dozen runs.
 */
export function alignChars(a: readonly string[], b: readonly string[], minRun = 4): Map<number, number> {
  const pairs = new Map<number, number>();
  const freeA = new Uint8Array(a.length).fill(1);
  const freeB = new Uint8Array(b.length).fill(1);
  let previous = new Uint16Array(b.length + 1);
  let current = new Uint16Array(b.length + 1);
  for (;;) {
    let best = { length: 0, endA: 0, endB: 0 };
    previous.fill(0);
    for (let i = 1; i <= a.length; i++) {
      const ai = a[i - 1];
      const free = freeA[i - 1] === 1;
      for (let j = 1; j <= b.length; j++) {
        const run = free && freeB[j - 1] === 1 && ai === b[j - 1] ? (previous[j - 1] as number) + 1 : 0;
        current[j] = run;
        if (run > best.length) best = { length: run, endA: i, endB: j };
      }
      [previous, current] = [current, previous];
    }
    if (best.length < minRun) break;
    for (let k = 1; k <= best.length; k++) {
      pairs.set(best.endA - k, best.endB - k);
      freeA[best.endA - k] = 0;
      freeB[best.endB - k] = 0;
    }
  }
  return pairs;
}

/** Spaces or tabs between two Han characters: the reference texts here never have one. */
export function hanSpaces(text: string): number {
  return [...text.normalize('NFKC').matchAll(/\p{Script=Han}[ \t]+(?=\p{Script=Han})/gu)].length;
}

function rate(distance: number, length: number): number {
  return length === 0 ? (distance === 0 ? 0 : 1) : distance / length;
}
