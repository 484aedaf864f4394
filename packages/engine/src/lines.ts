import type { Quad } from '@ocrkit/protocol';
import './no-telemetry.js';
import ort from 'onnxruntime-node';
import { type DecodedLine, decodeCtc } from './ctc.js';
import { clamp, perspectiveTransform, warpQuad } from './geometry.js';
import type { RgbImage } from './image.js';

// Input height of PP-OCRv4 recognition (rec_image_shape 3,48,320) and of the mobile v2 classifier
// (cls_image_shape 3,48,192); PaddleOCR tools/infer/predict_rec.py and predict_cls.py.
const lineHeight = 48;
const classifierWidth = 192;
// Boxes this much shorter than the page's typical line, and short, hold a lone mark: a dash in a table
// cell, a bullet. Scaled to fill the recognizer's 48-pixel input they read as anything ("-" as 1, _, \,
// 『; ICDAR eu-001); drawn at the scale of the page's lines, on their own background, they read as what
// they are, given PaddleOCR's minimum input width of 320 columns (rec_image_shape 3,48,320; padded with
// zeros in predict_rec.py resize_norm_img): a few frames alone are too little to read. Lines keep their
// own width: the padding changes how the recognizer reads them ("5 000" as "5000"). (Growing a mark's box
// instead takes in a table's rules above and below: "-" read as 二.)
const markHeight = 0.8;
const markWidth = 2;
const markInputWidth = 320;
const markBatch = 16;
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

export interface ReadOptions {
  /** The page's typical line height in pixels, to tell lone marks (dashes, bullets) from text. */
  readonly lineHeightPx?: number;
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
  options: ReadOptions = {},
): Promise<ReadLine[]> {
  const padded = quads.map(padEnds);
  // Input rows the text is drawn on: all 48, or fewer for a lone mark.
  const rows = quads.map((quad) => {
    const { width, height } = quadSize(quad);
    const typical = options.lineHeightPx ?? 0;
    if (height >= markHeight * typical || width >= markWidth * typical) return lineHeight;
    return Math.max(8, Math.round((lineHeight * height) / typical));
  });
  const widths = padded.map((quad, i) => {
    const { width, height } = quadSize(quad);
    const scale = (rows[i] as number) / height;
    return Math.max(columnsPerFrame, Math.min(lineHeight * maxAspect, Math.ceil(scale * width)));
  });
  const lines: ReadLine[] = new Array(quads.length);
  // One line per run: on 2 cores that is fastest (A4 page eu-004: 1.05 s against 1.93 s in batches of 8
  // and 1.19 s in batches of up to 4096 columns) and halves the peak memory (221 against 448 MiB); and
  // the recognizer attends across its whole input, so batch padding is not neutral ("Quarterly Report
  // 2026" lost both its spaces beside a wider line). Measured with packages/engine/bench/pages.ts.
  // Lone marks all take the same 320-column input, so they share runs (no padding differs between
  // them); text lines run one each.
  const marks = quads.flatMap((_, index) => (rows[index] === lineHeight ? [] : [index]));
  const batches = [
    ...Array.from({ length: Math.ceil(marks.length / markBatch) }, (_, b) =>
      marks.slice(b * markBatch, (b + 1) * markBatch),
    ),
    ...quads.flatMap((_, index) => (rows[index] === lineHeight ? [[index]] : [])),
  ];
  for (const batch of batches) {
    const mark = rows[batch[0] as number] !== lineHeight;
    const inputWidth = mark
      ? markInputWidth
      : Math.ceil((widths[batch[0] as number] as number) / columnsPerFrame) * columnsPerFrame;
    const input = new Float32Array(batch.length * 3 * lineHeight * inputWidth);
    const crops = batch.map((index, slot) => {
      const crop = cropLine(image, padded[index] as Quad, widths[index] as number, rows[index] as number);
      writeNormalized(crop, widths[index] as number, input, slot, inputWidth);
      return crop;
    });
    const outputs = await session.run({
      [session.inputNames[0] as string]: new ort.Tensor('float32', input, [batch.length, 3, lineHeight, inputWidth]),
    });
    const output = outputs[session.outputNames[0] as string] as ort.Tensor;
    const [, frames = 0, classes = 0] = output.dims;
    batch.forEach((index, slot) => {
      const width = widths[index] as number;
      const usedFrames = Math.min(frames, Math.ceil((frames * width) / inputWidth));
      const ink = inkColumns(crops[slot] as Uint8Array, width);
      const decoded = decodeCtc(output.data as Float32Array, slot * frames * classes, usedFrames, classes, characters, {
        ...(ink ? { ink, columnsPerFrame } : {}),
      });
      const line = mark ? asMark(decoded) : decoded;
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

// Round marks that stand alone are bullets; the model reads them as whichever dot it likes.
const bullets = new Set(['·', '●', '∙', '⋅', '•']);
const han = /\p{Script=Han}/u;

/**
 * A lone mark's reading: a round dot is a bullet, and a Han character is nothing at all: it is as tall
 * as a line and cannot fit a box smaller than one (such readings came from specks and from slivers
 * between two words of a receipt: "颜", "麻").
 */
function asMark(line: DecodedLine): DecodedLine {
  if (han.test(line.text)) return { text: '', confidence: 0, chars: [] };
  const [only] = line.chars;
  if (line.chars.length !== 1 || !only || !bullets.has(only.text)) return line;
  return { ...line, text: '•', chars: [{ ...only, text: '•' }] };
}

/**
 * Which columns of an RGB crop hold ink: at least two pixels darker than halfway between the crop's
 * light and dark (its 95th and 5th gray percentiles). Undefined for a crop without contrast.
 */
function inkColumns(crop: Uint8Array, width: number): Uint8Array | undefined {
  const rows = crop.length / 3 / width;
  const gray = new Uint8Array(width * rows);
  for (let i = 0; i < gray.length; i++) {
    gray[i] = ((crop[3 * i] as number) + (crop[3 * i + 1] as number) + (crop[3 * i + 2] as number)) / 3;
  }
  const sorted = gray.slice().sort();
  const dark = sorted[Math.floor(0.05 * sorted.length)] as number;
  const light = sorted[Math.floor(0.95 * sorted.length)] as number;
  if (light - dark < 40) return undefined;
  const threshold = (dark + light) / 2;
  const ink = new Uint8Array(width);
  for (let x = 0; x < width; x++) {
    let count = 0;
    for (let y = 0; y < rows && count < 2; y++) if ((gray[y * width + x] as number) < threshold) count++;
    ink[x] = count >= 2 ? 1 : 0;
  }
  return ink;
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
 * The quad warped upright to `width` x `rows`, drawn on 48 rows: a short crop (a lone mark) is centred
 * on its own background colour (the median of its pixels: a mark is mostly background). Tall text is
 * sampled at a multiple of the target size and box-averaged down, so strokes are not lost between
 * bilinear samples.
 */
function cropLine(image: RgbImage, quad: Quad, width: number, rows: number): Uint8Array {
  const factor = Math.max(1, Math.min(4, Math.floor(quadSize(quad).height / rows)));
  const crop =
    factor === 1
      ? warpQuad(image, quad, width, rows)
      : boxAverage(warpQuad(image, quad, width * factor, rows * factor), width, rows, factor);
  if (rows === lineHeight) return crop;
  const out = new Uint8Array(width * lineHeight * 3);
  for (let c = 0; c < 3; c++) {
    const values = Uint8Array.from({ length: width * rows }, (_, i) => crop[i * 3 + c] as number).sort();
    const background = values[values.length >> 1] as number;
    for (let i = c; i < out.length; i += 3) out[i] = background;
  }
  out.set(crop, ((lineHeight - rows) >> 1) * width * 3);
  return out;
}

/** `big` (`width * factor` x `rows * factor` RGB) shrunk by averaging each factor x factor block. */
function boxAverage(big: Uint8Array, width: number, rows: number, factor: number): Uint8Array {
  const out = new Uint8Array(width * rows * 3);
  const bigWidth = width * factor;
  const area = factor * factor;
  for (let y = 0; y < rows; y++) {
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
