import type { Quad } from '@ocrkit/protocol';
import { type DetectedBox, type DetectionInput, detectText } from './detect.js';
import { EngineError, type EngineErrorCode } from './errors.js';
import type { RgbImage } from './image.js';
import { classifyUpsideDown, type ReadLine, type ReadOptions, readLines } from './lines.js';
import type { Models } from './models.js';

/** Work a model worker does; images travel as shared memory, so a page is never copied per task. */
export type Task =
  | { readonly kind: 'load' }
  | { readonly kind: 'detect'; readonly input: DetectionInput }
  | { readonly kind: 'classify'; readonly image: RgbImage; readonly quads: readonly Quad[] }
  | {
      readonly kind: 'read';
      readonly image: RgbImage;
      readonly quads: readonly Quad[];
      readonly options: ReadOptions;
    };

export interface TaskResults {
  readonly load: undefined;
  readonly detect: DetectedBox[];
  readonly classify: boolean[];
  readonly read: ReadLine[];
}

export type TaskReply =
  | { readonly id: number; readonly result: TaskResults[Task['kind']] }
  | { readonly id: number; readonly error: { readonly code: EngineErrorCode; readonly message: string } };

/** Runs one task on a worker's models. */
export async function runTask(models: Models, task: Task): Promise<TaskResults[Task['kind']]> {
  switch (task.kind) {
    case 'load':
      return undefined;
    case 'detect':
      return detectText(models.detection, task.input);
    case 'classify':
      return classifyUpsideDown(models.classification, task.image, task.quads);
    case 'read':
      return readLines(models.recognition, models.characters, task.image, task.quads, task.options);
  }
}

/** What crosses back to the engine's thread for an error: its code and message. */
export function errorReply(id: number, error: unknown): TaskReply {
  if (error instanceof EngineError) return { id, error: { code: error.code, message: error.message } };
  return {
    id,
    error: { code: 'AIS.0105', message: `The OCR model run failed: ${(error as Error)?.message ?? error}` },
  };
}
