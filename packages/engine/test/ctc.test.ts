import { expect, test } from 'vitest';
import { decodeCtc } from '../src/ctc.js';

// A tiny alphabet: class 0 is the CTC blank, the last class the space, as in PP-OCR's models.
const characters = ['', ...'0123456789%.,aceiklmnorACEINOPRV', ' '];

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
