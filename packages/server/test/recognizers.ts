import type { GeneralTextResult, RecognizeOptions, TextRecognizer } from '@ocrkit/protocol';
import { vi } from 'vitest';

/** What the recognizers below answer with. */
export const cannedResult: GeneralTextResult = {
  direction: -1,
  words_block_count: 1,
  words_block_list: [
    {
      words: 'canned',
      location: [
        [15, 15],
        [95, 15],
        [95, 40],
        [15, 40],
      ],
      confidence: 0.99,
    },
  ],
};

export interface RecognizeCall {
  readonly image: Uint8Array;
  readonly options: RecognizeOptions;
}

/**
 * A `TextRecognizer` (the server's injection point) whose calls each wait for the test to let them
 * finish: `release()` finishes the oldest waiting call, `open()` every call now and later. A call
 * whose signal aborts rejects with `OCRKIT_ABORTED`, as the engine does.
 */
export class GatedRecognizer implements TextRecognizer {
  readonly calls: RecognizeCall[] = [];
  readonly #waiting: (() => void)[] = [];
  #open = false;

  async recognize(image: Uint8Array, options: RecognizeOptions = {}): Promise<GeneralTextResult> {
    this.calls.push({ image, options });
    if (!this.#open) {
      await new Promise<void>((resolve, reject) => {
        this.#waiting.push(resolve);
        options.signal?.addEventListener(
          'abort',
          () => reject(Object.assign(new Error('The recognition was aborted.'), { code: 'OCRKIT_ABORTED' })),
          { once: true },
        );
      });
    }
    return cannedResult;
  }

  /** Resolves once `count` calls have started. */
  async started(count: number): Promise<void> {
    await vi.waitFor(
      () => {
        if (this.calls.length < count) throw new Error(`${this.calls.length} of ${count} recognitions started`);
      },
      { timeout: 5000, interval: 5 },
    );
  }

  release(): void {
    const next = this.#waiting.shift();
    if (!next) throw new Error('No recognition is waiting to be released.');
    next();
  }

  open(): void {
    this.#open = true;
    for (const resolve of this.#waiting.splice(0)) resolve();
  }
}

/** A recognizer that answers at once and records what it was given. */
export class RecordingRecognizer implements TextRecognizer {
  readonly calls: RecognizeCall[] = [];

  async recognize(image: Uint8Array, options: RecognizeOptions = {}): Promise<GeneralTextResult> {
    this.calls.push({ image, options });
    return cannedResult;
  }
}

/** A recognizer whose every call rejects with `error`. */
export function failingRecognizer(error: Error): TextRecognizer {
  return {
    async recognize() {
      throw error;
    },
  };
}
