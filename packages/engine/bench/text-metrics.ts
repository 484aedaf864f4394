import { levenshtein } from '../../../test/support/levenshtein.ts';
import { cjkClass, words } from '../../../test/support/words.ts';
// Character and word error rates of OCR output against known text.
//
// Both texts are NFKC-normalised first (ligatures such as "ﬁ" from pdftotext, full-width ASCII, compatibility
// forms). Rates are edit distances over the reference length (Levenshtein 1966), so they can exceed 100% when
// the output holds much more text than the reference.

export interface TextScores {
  /** Character error rate with all whitespace removed: recognition alone, whatever the spacing. 0..∞ */
  readonly cer: number;
  /** Character error rate with whitespace runs collapsed to one space: recognition and word spacing. */
  readonly cerSpaced: number;
  /** Word error rate over whitespace-separated words, each CJK character counting as a word. */
  readonly wer: number;
  /**
   * Bag-of-words error: the words of the reference not matched in the output's multiset, or the output's
   * surplus, over the reference's word count. Blind to order, so WER far above it means reading order.
   */
  readonly bow: number;
  /**
   * The WER that `cer` alone predicts if character errors fall independently, 1 − (1 − CER)^L with L the
   * reference's mean word length in characters; WER above it means lost or spurious spaces.
   */
  readonly expectedWer: number;
  readonly referenceChars: number;
  readonly referenceWords: number;
}

const cjkSpace = new RegExp(`(${cjkClass}) (?=${cjkClass})`, 'gu');

export function score(output: string, reference: string): TextScores {
  const out = output.normalize('NFKC');
  const ref = reference.normalize('NFKC');
  const refWords = words(ref);
  const outWords = words(out);
  const refBare = codePoints(ref.replace(/\s+/gu, ''));
  const cer = rate(levenshtein(codePoints(out.replace(/\s+/gu, '')), refBare), refBare.length);
  const refSpaced = codePoints(collapse(ref));
  const cerSpaced = rate(levenshtein(codePoints(collapse(out)), refSpaced), refSpaced.length);
  const ids = new Map<string, number>();
  const id = (word: string) => {
    const known = ids.get(word);
    if (known !== undefined) return known;
    ids.set(word, ids.size);
    return ids.size - 1;
  };
  const refIds = refWords.map(id);
  const wer = rate(levenshtein(outWords.map(id), refIds), refIds.length);
  const meanWordLength = refWords.length === 0 ? 1 : refBare.length / refWords.length;
  return {
    cer,
    cerSpaced,
    wer,
    bow: rate(bagDistance(outWords, refWords), refWords.length),
    expectedWer: 1 - (1 - Math.min(1, cer)) ** meanWordLength,
    referenceChars: refBare.length,
    referenceWords: refWords.length,
  };
}

function bagDistance(output: readonly string[], reference: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const word of reference) counts.set(word, (counts.get(word) ?? 0) + 1);
  let matched = 0;
  for (const word of output) {
    const left = counts.get(word) ?? 0;
    if (left > 0) {
      counts.set(word, left - 1);
      matched++;
    }
  }
  return Math.max(output.length, reference.length) - matched;
}

function rate(distance: number, length: number): number {
  return length === 0 ? (distance === 0 ? 0 : 1) : distance / length;
}

/** Whitespace runs as one space, none between two CJK characters (those scripts do not space words). */
function collapse(text: string): string {
  return text.replace(/\s+/gu, ' ').replace(cjkSpace, '$1').trim();
}

function codePoints(text: string): number[] {
  return Array.from(text, (char) => char.codePointAt(0) as number);
}
