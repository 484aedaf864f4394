import type { Quad } from '@ocrkit/protocol';
import ort from 'onnxruntime-node';
import { type DecodedLine, decodeCtc } from './ctc.js';
import { clamp, perspectiveTransform, warpQuad } from './geometry.js';
import type { RgbImage } from './image.js';

// Input height of PP-OCRv4 recognition (rec_image_shape 3,48,320) and of the mobile v2 classifier
// (cls_image_shape 3,48,192); PaddleOCR tools/infer/predict_rec.py and predict_cls.py.
const lineHeight = 48;
const classifierWidth = 192;
// The recognizer's output has one frame per 8 input columns (SVTR-LCNet downsampling).
const columnsPerFrame = 8;
const classifyBatch = 16;
// Lines longer than this many heights are read squeezed rather than at full width.
const maxAspect = 80;
// The classifier must be this sure before a line is read upside down (PaddleOCR cls_thresh 0.9).
const flipThreshold = 0.9;

/** Width and height of the upright crop of `quad`, in image pixels. */
export function quadSize(quad: Quad): { width: number; height: number } {
  const [p0, p1, p2, p3] = quad;
  const width = Math.max(Math.hypot(p1[0] - p0[0], p1[1] - p0[1]), Math.hypot(p2[0] - p3[0], p2[1] - p3[1]));
  const height = Math.max(Math.hypot(p3[0] - p0[0], p3[1] - p0[1]), Math.hypot(p2[0] - p1[0], p2[1] - p1[1]));
  return { width: Math.max(1, width), height: Math.max(1, height) };
}

/**
 * For each quad, whether its text reads upside down (the 0/180 classifier). PaddleOCR squeezes a whole
 * line into the classifier's 192 x 48 input; on long Latin lines that squeeze makes it confidently wrong
 * (measured: 0.994 "upside down" for an upright 46-character English line). So the classifier sees up to
 * three unsqueezed windows of four line heights (start, middle, end) and their scores are averaged.
 */
export async function classifyUpsideDown(
  session: ort.InferenceSession,
  image: RgbImage,
  quads: readonly Quad[],
): Promise<boolean[]> {
  const windows: { line: number; quad: Quad; width: number }[] = [];
  quads.forEach((quad, line) => {
    const { width, height } = quadSize(quad);
    const length = Math.min(width, (classifierWidth / lineHeight) * height);
    const toImage = perspectiveTransform(quad, width, height);
    const starts = width <= length ? [0] : [0, (width - length) / 2, width - length];
    for (const x of starts) {
      const window: Quad = [toImage(x, 0), toImage(x + length, 0), toImage(x + length, height), toImage(x, height)];
      windows.push({
        line,
        quad: window,
        width: Math.max(1, Math.min(classifierWidth, Math.round((lineHeight * length) / height))),
      });
    }
  });
  const upsideDown = new Float64Array(quads.length);
  const count = new Uint32Array(quads.length);
  for (let first = 0; first < windows.length; first += classifyBatch) {
    const batch = windows.slice(first, first + classifyBatch);
    const input = new Float32Array(batch.length * 3 * lineHeight * classifierWidth);
    batch.forEach((window, slot) => {
      writeNormalized(
        warpQuad(image, window.quad, window.width, lineHeight),
        window.width,
        input,
        slot,
        classifierWidth,
      );
    });
    const outputs = await session.run({
      [session.inputNames[0] as string]: new ort.Tensor('float32', input, [
        batch.length,
        3,
        lineHeight,
        classifierWidth,
      ]),
    });
    const scores = outputs[session.outputNames[0] as string]?.data as Float32Array;
    batch.forEach((window, slot) => {
      upsideDown[window.line] = (upsideDown[window.line] as number) + (scores[2 * slot + 1] as number);
      count[window.line] = (count[window.line] as number) + 1;
    });
  }
  return quads.map((_, i) => (upsideDown[i] as number) / (count[i] as number) >= flipThreshold);
}

export interface ReadLine extends DecodedLine {
  /** Character spans as fractions 0..1 of the crop width, parallel to `chars`. */
  readonly spans: readonly (readonly [start: number, end: number])[];
}

/** Reads the text of each quad (already oriented: quad[0] is the text's top-left corner). */
export async function readLines(
  session: ort.InferenceSession,
  characters: readonly string[],
  image: RgbImage,
  quads: readonly Quad[],
): Promise<ReadLine[]> {
  const padded = quads.map(padEnds);
  const widths = padded.map((quad) => {
    const { width, height } = quadSize(quad);
    return Math.max(columnsPerFrame, Math.min(lineHeight * maxAspect, Math.ceil((lineHeight * width) / height)));
  });
  const lines: ReadLine[] = new Array(quads.length);
  // One line per run: on 2 cores that is fastest (A4 page eu-004: 1.05 s against 1.93 s in batches of 8
  // and 1.19 s in batches of up to 4096 columns) and halves the peak memory (221 against 448 MiB); and
  // the recognizer attends across its whole input, so batch padding is not neutral ("Quarterly Report
  // 2026" lost both its spaces beside a wider line). Measured with packages/engine/bench/pages.ts.
  for (const batch of quads.map((_, index) => [index])) {
    const batchWidth =
      Math.ceil(Math.max(...batch.map((i) => widths[i] as number)) / columnsPerFrame) * columnsPerFrame;
    const input = new Float32Array(batch.length * 3 * lineHeight * batchWidth);
    batch.forEach((index, slot) => {
      const width = widths[index] as number;
      const crop = cropLine(image, padded[index] as Quad, width);
      writeNormalized(crop, width, input, slot, batchWidth);
    });
    const outputs = await session.run({
      [session.inputNames[0] as string]: new ort.Tensor('float32', input, [batch.length, 3, lineHeight, batchWidth]),
    });
    const output = outputs[session.outputNames[0] as string] as ort.Tensor;
    const [, frames = 0, classes = 0] = output.dims;
    const probabilities = output.data as Float32Array;
    batch.forEach((index, slot) => {
      const width = widths[index] as number;
      const usedFrames = Math.min(frames, Math.ceil((frames * width) / batchWidth));
      const line = decodeCtc(probabilities, slot * frames * classes, usedFrames, classes, characters);
      // Spans were measured on the padded crop; express them along the detected quad.
      const length = quadSize(quads[index] as Quad).width;
      const pad = (quadSize(padded[index] as Quad).width - length) / 2;
      const spans = spansOf(line, usedFrames).map(([start, end]) => [
        clamp((start * (length + 2 * pad) - pad) / length, 0, 1),
        clamp((end * (length + 2 * pad) - pad) / length, 0, 1),
      ]) as [number, number][];
      lines[index] = { ...line, spans };
    });
  }
  return lines;
}

// Detection boxes end right at the last glyph; a full stop or the tail of a letter at the very edge is
// then often dropped (seen on a page turned 180 degrees: "scanning." read as "scanning").
const endPadding = 0.15;

/** The quad lengthened by `endPadding` line heights at both ends, along its own axis. */
function padEnds(quad: Quad): Quad {
  const { width, height } = quadSize(quad);
  const pad = endPadding * height;
  const toImage = perspectiveTransform(quad, width, height);
  return [toImage(-pad, 0), toImage(width + pad, 0), toImage(width + pad, height), toImage(-pad, height)];
}

/**
 * Each character's share of the line: from halfway between its frames and its neighbour's to halfway to
 * the next one, the first and last extended to the edges of the text. CTC fires one or two frames per
 * character, so the spikes alone would give slivers.
 */
function spansOf(line: DecodedLine, usedFrames: number): [number, number][] {
  const { chars } = line;
  return chars.map((c, i) => {
    const before = chars[i - 1];
    const after = chars[i + 1];
    const start = before ? (before.end + c.start) / 2 : Math.max(0, c.start - 0.5 * (c.end - c.start) - 1);
    const end = after ? (c.end + after.start) / 2 : Math.min(usedFrames, c.end + 1);
    return [start / usedFrames, end / usedFrames];
  });
}

/**
 * The quad warped upright to `width` x 48. Tall text is sampled at a multiple of the target size and
 * box-averaged down, so strokes are not lost between bilinear samples.
 */
function cropLine(image: RgbImage, quad: Quad, width: number): Uint8Array {
  const factor = Math.max(1, Math.min(4, Math.floor(quadSize(quad).height / lineHeight)));
  if (factor === 1) return warpQuad(image, quad, width, lineHeight);
  const big = warpQuad(image, quad, width * factor, lineHeight * factor);
  const out = new Uint8Array(width * lineHeight * 3);
  const bigWidth = width * factor;
  const area = factor * factor;
  for (let y = 0; y < lineHeight; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let dy = 0; dy < factor; dy++) {
          const row = (y * factor + dy) * bigWidth;
          for (let dx = 0; dx < factor; dx++) sum += big[(row + x * factor + dx) * 3 + c] as number;
        }
        out[(y * width + x) * 3 + c] = sum / area;
      }
    }
  }
  return out;
}

/**
 * Writes an RGB crop into slot `slot` of an NCHW batch as BGR scaled to -1..1 ((x/255 - 0.5) / 0.5,
 * PaddleOCR's resize_norm_img); columns past the crop stay 0, the padding PaddleOCR uses.
 */
function writeNormalized(
  crop: Uint8Array,
  cropWidth: number,
  batch: Float32Array,
  slot: number,
  batchWidth: number,
): void {
  const plane = lineHeight * batchWidth;
  const base = slot * 3 * plane;
  for (let y = 0; y < lineHeight; y++) {
    for (let x = 0; x < cropWidth; x++) {
      const i = (y * cropWidth + x) * 3;
      const o = base + y * batchWidth + x;
      batch[o] = (crop[i + 2] as number) / 127.5 - 1;
      batch[o + plane] = (crop[i + 1] as number) / 127.5 - 1;
      batch[o + 2 * plane] = (crop[i] as number) / 127.5 - 1;
    }
  }
}
