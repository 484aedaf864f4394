/**
 * Han, Hiragana, Katakana, CJK punctuation and full-width forms: scripts written without spaces, where
 * every character is a word of its own for layout and no space joins two of them in text.
 * (Hangul is written with spaces, so it splits like Latin.)
 */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\u30fc\uff00-\uffef]/u;

export function isCjk(char: string): boolean {
  // Everything below U+2E80 (CJK Radicals Supplement) is not CJK: skip the regular expression.
  return (char.codePointAt(0) ?? 0) >= 0x2e80 && CJK.test(char);
}

// Advance widths of Helvetica's printable ASCII (U+0020..U+007E) in 1/1000 em, from Adobe's core-14
// AFM file (Helvetica.afm). Only ratios matter: they place word boundaries inside a block whose quad
// has no per-character positions.
const HELVETICA = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556,
  556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833,
  722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556,
  556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334,
  260, 334, 584,
];

/** Estimated advance width of one character (a code point) in 1/1000 em. */
export function charWidth(char: string): number {
  const code = char.codePointAt(0) ?? 0x20;
  if (code >= 0x20 && code <= 0x7e) return HELVETICA[code - 0x20] ?? 556;
  if (isCjk(char)) return 1000;
  // Combining marks take no advance; other letters (accented Latin, Greek, Cyrillic, Hangul...) an average.
  if (/\p{M}/u.test(char)) return 0;
  if (/[\p{Script=Hangul}]/u.test(char)) return 1000;
  return 556;
}

export function isSpace(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  if (code < 0x80) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  return /\s/u.test(char);
}
