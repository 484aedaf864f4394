import type { Quad } from '@ocrkit/protocol';
import './no-telemetry.js';
import ort from 'onnxruntime-node';
import {
  clamp,
  convexHull,
  expandRect,
  findComponents,
  minAreaRect,
  type RotatedRect,
  rectCorners,
  unclipDistance,
} from './geometry.js';

export interface DetectedBox {
  /** Clockwise from the box's own top-left; the first edge is the side closer to horizontal. */
  readonly quad: Quad;
  /** Mean text probability inside the box, 0..1. */
  readonly score: number;
}

// PaddleOCR's DB post-processing defaults for PP-OCRv4 (tools/infer/utility.py):
// det_db_thresh 0.3, det_db_box_thresh 0.6, det_db_unclip_ratio 1.5, min_size 3, max_candidates 1000.
const pixelThreshold = 0.3;
const boxThreshold = 0.6;
const unclipRatio = 1.5;
const minSizePx = 3;
const maxCandidates = 1000;

// ImageNet mean and std, applied to B, G, R planes in that order: PaddleOCR feeds OpenCV's BGR images
// to NormalizeImage (ppocr/data/imaug/operators.py), so the models were trained on BGR.
const mean = [0.485, 0.456, 0.406] as const;
const std = [0.229, 0.224, 0.225] as const;

/** The image scaled for the detector: both sides multiples of 32, the longest at most `maxSidePx`. */
export interface DetectionInput {
  /** RGB pixels, `width` x `height`. */
  readonly pixels: Uint8Array;
  readonly width: number;
  readonly height: number;
  /** Size of the image the boxes are reported in. */
  readonly imageWidth: number;
  readonly imageHeight: number;
}

/** Text line boxes in the original image's pixels, from the DB detection model. */
export async function detectText(session: ort.InferenceSession, input: DetectionInput): Promise<DetectedBox[]> {
  const { width, height, imageWidth, imageHeight } = input;
  const outputs = await session.run({
    [session.inputNames[0] as string]: new ort.Tensor('float32', normalizeBgr(input.pixels, width, height), [
      1,
      3,
      height,
      width,
    ]),
  });
  const probability = outputs[session.outputNames[0] as string]?.data as Float32Array;
  return boxesFromProbability(probability, width, height, imageWidth / width, imageHeight / height, {
    width: imageWidth,
    height: imageHeight,
  });
}

function normalizeBgr(rgb: Uint8Array, width: number, height: number): Float32Array {
  const plane = width * height;
  const out = new Float32Array(3 * plane);
  for (let i = 0, p = 0; p < plane; p++, i += 3) {
    out[p] = ((rgb[i + 2] as number) / 255 - mean[0]) / std[0];
    out[plane + p] = ((rgb[i + 1] as number) / 255 - mean[1]) / std[1];
    out[2 * plane + p] = ((rgb[i] as number) / 255 - mean[2]) / std[2];
  }
  return out;
}

/** DB post-processing: threshold, components, minimum-area rectangles, box score, unclip, rescale. */
export function boxesFromProbability(
  probability: Float32Array,
  width: number,
  height: number,
  scaleX: number,
  scaleY: number,
  bounds: { readonly width: number; readonly height: number },
): DetectedBox[] {
  const mask = new Uint8Array(width * height);
  for (let i = 0; i < mask.length; i++) mask[i] = (probability[i] as number) > pixelThreshold ? 1 : 0;
  const components = findComponents(mask, width, height)
    .filter((component) => component.area >= minSizePx)
    .sort((a, b) => b.area - a.area)
    .slice(0, maxCandidates);
  const boxes: DetectedBox[] = [];
  for (const component of components) {
    const fitted = minAreaRect(convexHull(component.boundary));
    // Hull points are pixel indices; the pixels themselves reach half a pixel further on every side.
    const rect = {
      ...fitted,
      cx: fitted.cx + 0.5,
      cy: fitted.cy + 0.5,
      width: fitted.width + 1,
      height: fitted.height + 1,
    };
    if (Math.min(rect.width, rect.height) < minSizePx) continue;
    const score = meanInside(probability, width, rect, component);
    if (score < boxThreshold) continue;
    const grown = expandRect(rect, unclipDistance(rect, unclipRatio));
    if (Math.min(grown.width, grown.height) < minSizePx + 2) continue;
    const quad = rectCorners(grown).map(([x, y]) => [
      clamp(x * scaleX, 0, bounds.width),
      clamp(y * scaleY, 0, bounds.height),
    ]) as unknown as Quad;
    boxes.push({ quad, score });
  }
  return boxes;
}

/** Mean probability over the map pixels whose centres fall inside `rect` (PaddleOCR's box_score_fast). */
function meanInside(
  probability: Float32Array,
  width: number,
  rect: RotatedRect,
  box: { minX: number; minY: number; maxX: number; maxY: number },
): number {
  const cos = Math.cos(rect.angle);
  const sin = Math.sin(rect.angle);
  const halfW = rect.width / 2;
  const halfH = rect.height / 2;
  let sum = 0;
  let count = 0;
  for (let y = box.minY; y <= box.maxY; y++) {
    for (let x = box.minX; x <= box.maxX; x++) {
      const dx = x + 0.5 - rect.cx;
      const dy = y + 0.5 - rect.cy;
      if (Math.abs(dx * cos + dy * sin) <= halfW && Math.abs(-dx * sin + dy * cos) <= halfH) {
        sum += probability[y * width + x] as number;
        count++;
      }
    }
  }
  return count === 0 ? 0 : sum / count;
}
