// Characters written without spaces between them: each is a word of its own (the usual convention for
// scoring Chinese and Japanese word error rates).
export const cjkClass =
  '[\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}\\u3000-\\u303f\\uff00-\\uffef]';
const cjk = new RegExp(cjkClass, 'u');

/** Whitespace-separated words (NFKC), with every CJK character split out as a word of its own. */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const token of text.normalize('NFKC').split(/\s+/u)) {
    let run = '';
    for (const char of token) {
      if (cjk.test(char)) {
        if (run) out.push(run);
        out.push(char);
        run = '';
      } else run += char;
    }
    if (run) out.push(run);
  }
  return out;
}
