import { describe, expect, test } from 'vitest';
import { decodeCtc } from '../src/ctc.js';

// A tiny alphabet: class 0 is the CTC blank, the last class the space, as in PP-OCR's models.
const characters = ['', ...'0123456789%.,:aceiklmnoprtuABCDEGHINOPRTVW', ' '];

/** Probabilities of a line reading `text`: each character one frame, a blank frame between. */
function framesOf(text: string): { probabilities: Float32Array; frames: number } {
  const frames = text.length * 2 + 1;
  const probabilities = new Float32Array(frames * characters.length);
  for (let t = 0; t < frames; t++) {
    const char = t % 2 === 1 ? (text[(t - 1) / 2] as string) : '';
    const index = characters.indexOf(char);
    if (index < 0) throw new Error(`no class for ${char}`);
    probabilities[t * characters.length + index] = 0.9;
  }
  return { probabilities, frames };
}

const read = (text: string) => {
  const { probabilities, frames } = framesOf(text);
  return decodeCtc(probabilities, 0, frames, characters.length, characters).text;
};

test.each([
  ['4o%', '40%'],
  ['85,ooo', '85,000'],
  ['9OO', '900'],
  ['INV0ICE N0', 'INVOICE N0'],
  ['ICE 10am', 'ICE 10am'],
  ['No.2', 'No.2'],
  ['COVER', 'COVER'],
  ['0n', 'on'],
  ['Park, 0r call', 'Park, or call'],
  ['c0mm0n.', 'common.'],
  ['10am 0', '10am 0'],
  ['INV0ICE N0: 00123', 'INVOICE NO: 00123'],
  ['A0', 'A0'],
])('%s reads as %s', (raw, expected) => {
  expect(read(raw)).toBe(expected);
});

test('replacements keep one character per frame run, so positions stay', () => {
  const { probabilities, frames } = framesOf('4o%');
  const line = decodeCtc(probabilities, 0, frames, characters.length, characters);
  expect(line.chars.map((c) => [c.text, c.start])).toEqual([
    ['4', 1],
    ['0', 3],
    ['%', 5],
  ]);
});

/** Probabilities of a line reading `text`, character i firing alone at frame `at[i]`. */
function framesAt(text: string, at: readonly number[]): { probabilities: Float32Array; frames: number } {
  const frames = (at.at(-1) ?? 0) + 2;
  const probabilities = new Float32Array(frames * characters.length);
  for (let t = 0; t < frames; t++) probabilities[t * characters.length] = 0.9;
  [...text].forEach((char, i) => {
    const row = (at[i] as number) * characters.length;
    probabilities[row] = 0;
    probabilities[row + characters.indexOf(char)] = 0.9;
  });
  return { probabilities, frames };
}

describe('spaces from gaps between characters', () => {
  // "nine lemon": the step from "e" to "l" is three frames longer than the others, a space's worth.
  const { probabilities, frames } = framesAt('ninelemon', [1, 3, 5, 7, 12, 14, 16, 18, 20]);
  const read = (ink?: Uint8Array) =>
    decodeCtc(probabilities, 0, frames, characters.length, characters, ink ? { ink, columnsPerFrame: 8 } : {}).text;
  const inked = (blank: readonly [number, number]) =>
    Uint8Array.from({ length: frames * 8 }, (_, x) => (x >= blank[0] && x < blank[1] ? 0 : 1));

  test('without the line image, a long step is a space', () => {
    expect(read()).toBe('nine lemon');
  });

  test('with it, the gap must show as blank columns: a space where it does, none where ink runs on', () => {
    expect(read(inked([68, 84]))).toBe('nine lemon');
    expect(read(inked([70, 74]))).toBe('ninelemon');
  });
});

test('monospaced text steps by one pitch: narrow letters get no spaces, a whole pitch more is one', () => {
  // The frames of a receipt line in DejaVu Sans Mono (the bench's receipt photo), the model's own
  // spaces included: steps of 3 or 4. Proportional widths put spaces around the narrow I's.
  const text = 'GARDENIA WHITE BREAD';
  const at = [2, 5, 8, 12, 15, 18, 22, 25, 28, 32, 35, 39, 42, 45, 48, 52, 55, 59, 62, 65];
  const { probabilities, frames } = framesAt(text, at);
  expect(decodeCtc(probabilities, 0, frames, characters.length, characters).text).toBe('GARDENIA WHITE BREAD');
});

test('an evenly stepping bold heading gets its spaces from the blank columns of its word gaps', () => {
  // The bundled sample's title as pdf.js renders it: letters 4 frames apart, the word gaps 5; the blank
  // runs between letters 5-7 columns, at the word gaps 21 and 24.
  const text = 'AnnualReport2026';
  const at = [3, 7, 11, 15, 19, 22, 27, 31, 35, 40, 44, 46, 51, 55, 59, 63];
  const { probabilities, frames } = framesAt(text, at);
  const gapAfter = new Map([
    [22, 24],
    [46, 21],
  ]);
  // Ink everywhere but a 6-column blank before each letter, and the word gaps' wide blanks.
  const ink = new Uint8Array(frames * 8).fill(1);
  at.forEach((frame, i) => {
    const previous = at[i - 1];
    if (previous === undefined) return;
    const blank = gapAfter.get(previous) ?? 6;
    ink.fill(0, frame * 8 - blank, frame * 8);
  });
  const read = (options = {}) => decodeCtc(probabilities, 0, frames, characters.length, characters, options).text;
  expect(read({ ink, columnsPerFrame: 8 })).toBe('Annual Report 2026');
  // Without the line image the even steps say monospaced, and one pitch more is no space.
  expect(read()).toBe('AnnualReport2026');
});
