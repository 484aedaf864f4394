import { isCjk } from './chars.js';
import type { Line, Word } from './types.js';

/** Words joined by one space, except between two CJK characters, which are written without one. */
export function joinWords(words: readonly Pick<Word, 'text'>[]): string {
  let text = '';
  let last = '';
  for (const word of words) {
    if (word.text.length === 0) continue;
    const first = String.fromCodePoint(word.text.codePointAt(0) ?? 0x20);
    if (text.length > 0 && !(isCjk(last) && isCjk(first))) text += ' ';
    text += word.text;
    last = Array.from(word.text).at(-1) ?? '';
  }
  return text;
}

/** The text of one line. */
export function lineText(line: Line): string {
  return joinWords(line.words);
}
