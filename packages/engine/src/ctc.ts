/** One character read by CTC greedy decoding, with the output frames it was read from. */
export interface DecodedChar {
  readonly text: string;
  /** First frame of the character's run. */
  readonly start: number;
  /** One past its last frame. */
  readonly end: number;
  /** Highest probability over its frames, 0..1. */
  readonly confidence: number;
}

export interface DecodedLine {
  readonly text: string;
  /** Mean character confidence, 0..1 (0 for an empty line). */
  readonly confidence: number;
  readonly chars: readonly DecodedChar[];
}

/**
 * CTC greedy decoding of one sample: the best class per frame, repeats merged, blanks (class 0) dropped
 * (Graves et al. 2006). `probabilities` holds `frames x classes` softmax outputs from `offset`; frames
 * from `usedFrames` on belong to batch padding and are ignored.
 */
export interface DecodeOptions {
  /** Per input column of the line image, 1 where it has ink: spaces from gaps need a blank run there. */
  readonly ink?: Uint8Array;
  /** Input columns per output frame. @default 8 */
  readonly columnsPerFrame?: number;
}

export function decodeCtc(
  probabilities: Float32Array,
  offset: number,
  usedFrames: number,
  classes: number,
  characters: readonly string[],
  options: DecodeOptions = {},
): DecodedLine {
  const chars: DecodedChar[] = [];
  let previous = 0;
  for (let t = 0; t < usedFrames; t++) {
    const row = offset + t * classes;
    let best = 0;
    let bestP = probabilities[row] as number;
    for (let c = 1; c < classes; c++) {
      const p = probabilities[row + c] as number;
      if (p > bestP) {
        bestP = p;
        best = c;
      }
    }
    if (best !== 0 && best === previous) {
      const last = chars[chars.length - 1] as DecodedChar;
      chars[chars.length - 1] = { ...last, end: t + 1, confidence: Math.max(last.confidence, bestP) };
    } else if (best !== 0) {
      chars.push({ text: halfWidth(characters[best] ?? ''), start: t, end: t + 1, confidence: bestP });
    }
    previous = best;
  }
  const spaced = withDigitsAndLetters(withGapSpaces(trimSpaces(chars), blankRun(options)));
  const text = spaced.map((c) => c.text).join('');
  const confidence = spaced.length === 0 ? 0 : spaced.reduce((sum, c) => sum + c.confidence, 0) / spaced.length;
  return { text, confidence, chars: spaced };
}

/**
 * Full-width digits and Latin letters (U+FF10-FF5A) as their ASCII selves: the dictionary has both, and
 * the model picks the full-width ones now and then in Latin text ("５ ０00", ICDAR eu-001). Chinese text
 * writes numbers half-width too; full-width punctuation is left alone.
 */
function halfWidth(text: string): string {
  const code = text.codePointAt(0) ?? 0;
  return /^[０-９Ａ-Ｚａ-ｚ]$/u.test(text) ? String.fromCodePoint(code - 0xfee0) : text;
}

// Blank columns a word gap shows at least, in the 48-pixel-high line image: a space is about a quarter
// of an em (8-10 columns at this scale); letters stand 1-4 apart, ligatures ("ff") and "ll" less.
const minGapColumns = 6;

/** The longest run of blank columns between two frames, or undefined without ink data. */
function blankRun(options: DecodeOptions): ((fromFrame: number, toFrame: number) => number) | undefined {
  const { ink } = options;
  if (!ink) return undefined;
  const perFrame = options.columnsPerFrame ?? 8;
  return (fromFrame, toFrame) => {
    let longest = 0;
    let run = 0;
    for (let x = Math.max(0, fromFrame * perFrame); x < Math.min(ink.length, toFrame * perFrame); x++) {
      run = ink[x] === 1 ? 0 : run + 1;
      longest = Math.max(longest, run);
    }
    return longest;
  };
}

function trimSpaces(chars: DecodedChar[]): DecodedChar[] {
  let first = 0;
  let last = chars.length;
  while (first < last && chars[first]?.text === ' ') first++;
  while (last > first && chars[last - 1]?.text === ' ') last--;
  // Collapse runs of spaces into one.
  return chars.slice(first, last).filter((c, i, all) => !(c.text === ' ' && all[i - 1]?.text === ' '));
}

// Word characters of Latin-script text, and the punctuation that ends or opens a word.
const latinWord = /^[\p{Script=Latin}\p{Nd}]$/u;
const wordEnd = /^[\p{Script=Latin}\p{Nd}.,;:!?%)\]'"]$/u;
const wordStart = /^[\p{Script=Latin}\p{Nd}(['"$€£#]$/u;

// Advance widths in 1/1000 em of Helvetica (Adobe's Core 14 AFM metrics), a stand-in for any
// proportional Latin face: what matters is that "m" is wide and "i" narrow.
const advances: Readonly<Record<string, number>> = {
  ...Object.fromEntries([...'abdeghnopqu0123456789'].map((c) => [c, 556])),
  ...Object.fromEntries([...'ckrsvxyzJ'].map((c) => [c, c === 'r' ? 333 : 500])),
  ...Object.fromEntries([...'fijlt.,;:!I'].map((c) => [c, c === 'i' || c === 'j' || c === 'l' ? 222 : 278])),
  m: 833,
  w: 722,
  ...Object.fromEntries([...'ABEKPSVXY'].map((c) => [c, 667])),
  ...Object.fromEntries([...'CDHNRUw'].map((c) => [c, 722])),
  ...Object.fromEntries([...'GOQ'].map((c) => [c, 778])),
  F: 611,
  T: 611,
  Z: 611,
  L: 556,
  M: 833,
  W: 944,
};
const spaceAdvance = 278;
const advance = (c: string) => advances[c] ?? 556;

/**
 * Spaces the model merged away. CTC fires near each glyph's centre, so the frame step between two
 * neighbours is about the mean of their advance widths; a space adds its own width on top. The line's
 * scale (frames per em unit) is the median over its Latin pairs, and a step that exceeds its expected
 * value by more than a space and half a frame (the firing jitter) becomes a space. The PP-OCR Chinese
 * model emits its space class for most gaps, but on tight Latin text it still runs words together
 * ("TAMANDAYA", "InvoiceNo."). Where the line image is known, the gap must also show as blank columns:
 * CTC timing alone split "dif ferent" and "al located" (ICDAR eu-004, eu-008).
 */
function withGapSpaces(
  chars: DecodedChar[],
  blankRun: ((fromFrame: number, toFrame: number) => number) | undefined,
): DecodedChar[] {
  const helvetica = (a: DecodedChar, b: DecodedChar) => (advance(a.text) + advance(b.text)) / 2;
  const steps: number[] = [];
  const widths: number[] = [];
  for (let i = 1; i < chars.length; i++) {
    const a = chars[i - 1] as DecodedChar;
    const b = chars[i] as DecodedChar;
    if (latinWord.test(a.text) && latinWord.test(b.text)) {
      steps.push(b.start - a.start);
      widths.push(helvetica(a, b));
    }
  }
  if (steps.length < 3) return chars;
  const ratios = steps.map((step, i) => step / (widths[i] as number)).sort((x, y) => x - y);
  const scale = ratios[ratios.length >> 1] as number;
  // Monospaced text (receipts, terminals) steps by one pitch whatever the letters: by Helvetica's widths
  // the narrow "I" of "GARDENIA" leaves room for a space on both sides ("GARDEN IA WH ITE"). The model
  // that fits the steps better, one pitch or proportional widths (least squares, one parameter each),
  // decides; a monospaced space is a whole pitch.
  const pitch = steps.reduce((sum, step) => sum + step, 0) / steps.length;
  const fit =
    steps.reduce((sum, step, i) => sum + step * (widths[i] as number), 0) / widths.reduce((sum, w) => sum + w * w, 0);
  const monoError = steps.reduce((sum, step) => sum + (step - pitch) ** 2, 0);
  const proportionalError = steps.reduce((sum, step, i) => sum + (step - fit * (widths[i] as number)) ** 2, 0);
  // Frames are coarse (8 columns), so a bold heading's steps can look even too: where the model read
  // spaces, they must also span two pitches, as a monospaced space does (a proportional one spans about
  // one and a half).
  const acrossSpaces = chars.flatMap((c, i) => {
    const before = chars[i - 1];
    const after = chars[i + 1];
    const inside = c.text === ' ' && before && after && before.text !== ' ' && after.text !== ' ';
    return inside ? [after.start - before.start] : [];
  });
  const monospaced =
    monoError < proportionalError &&
    (acrossSpaces.length === 0 ||
      acrossSpaces.reduce((sum, step) => sum + step, 0) / acrossSpaces.length >= 1.75 * pitch);
  const expected = (a: DecodedChar, b: DecodedChar) => (monospaced ? pitch : helvetica(a, b) * scale);
  const space = monospaced ? pitch / 2 : spaceAdvance * scale;
  // The line's usual blank between letters, where the line image is known: a blank three times as wide
  // (and at least a space's 10 columns) is a word gap whatever the timing says. A widely tracked bold
  // title steps evenly across its word gaps ("AnnualReport2026" as rendered by pdf.js: 5 frames where
  // its letters take 4), while its blank columns show the gap plainly (24 against 5-8).
  const letterGaps = blankRun
    ? chars.flatMap((c, i) => {
        const before = chars[i - 1];
        return before && latinWord.test(before.text) && latinWord.test(c.text) ? [blankRun(before.start, c.end)] : [];
      })
    : [];
  letterGaps.sort((x, y) => x - y);
  const letterGap = letterGaps[letterGaps.length >> 1];
  const out: DecodedChar[] = [];
  for (const c of chars) {
    const prev = out[out.length - 1];
    if (prev && wordEnd.test(prev.text) && wordStart.test(c.text)) {
      const extra = c.start - prev.start - expected(prev, c);
      const blank = blankRun?.(prev.start, c.end) ?? Number.POSITIVE_INFINITY;
      const wide = letterGap !== undefined && letterGaps.length >= 3 && blank >= Math.max(10, 3 * letterGap);
      if ((extra > space + 0.5 && blank >= minGapColumns) || wide) {
        out.push({ text: ' ', start: prev.end, end: c.start, confidence: Math.min(prev.confidence, c.confidence) });
      }
    }
    out.push(c);
  }
  return out;
}

/**
 * The Chinese model's most common Latin slips are round shapes read as the wrong class: "4o%", "85,ooo",
 * "INV0ICE", "0n weekdays", "Park, 0r call" (bench pages: rendered English and ICDAR reports). A token with
 * digits whose only letters are o/O gets zeros; an all-capitals token of three letters or more with zeros
 * inside gets O's, and so does a capitals label ending in a colon or full stop ("N0:" on a receipt); a
 * lower-case word whose only digits are zeros gets o's (punctuation around a token is not part of it). Characters are replaced one for one, so their positions stay.
 */
function withDigitsAndLetters(chars: DecodedChar[]): DecodedChar[] {
  const out = [...chars];
  let start = 0;
  while (start < out.length) {
    let end = start;
    while (end < out.length && out[end]?.text !== ' ') end++;
    const token = out
      .slice(start, end)
      .map((c) => c.text)
      .join('');
    const word = token.replace(/^[^\p{L}\p{Nd}]+|[^\p{L}\p{Nd}]+$/gu, '');
    let swap: Record<string, string> | undefined;
    if (/\d/.test(token) && /[oO]/.test(token) && !/[A-NP-Za-np-z]/.test(token)) swap = { o: '0', O: '0' };
    else if (/^[A-Z0]+$/.test(token) && /0/.test(token) && (token.match(/[A-Z]/g)?.length ?? 0) >= 3)
      swap = { '0': 'O' };
    else if (/^[a-z0]+$/.test(word) && /0/.test(word) && /[a-z]/.test(word)) swap = { '0': 'o' };
    else if (/^[A-Z][A-Z0]*[:.]$/.test(token) && /0/.test(token)) swap = { '0': 'O' };
    if (swap) {
      for (let i = start; i < end; i++) {
        const c = out[i] as DecodedChar;
        const replacement = swap[c.text];
        if (replacement !== undefined) out[i] = { ...c, text: replacement };
      }
    }
    start = end + 1;
  }
  return out;
}
