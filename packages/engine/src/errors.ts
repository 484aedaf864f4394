/** Codes the engine throws: the API's own for bad images, and its own for its lifecycle. */
export type EngineErrorCode =
  /** The bytes are no image the engine can decode (corrupt, truncated, unsupported format). */
  | 'AIS.0102'
  /** The image is empty, or larger than the engine's pixel cap. */
  | 'AIS.0103'
  /** The models could not be loaded or run. */
  | 'AIS.0105'
  /** `recognize()` after `close()`. */
  | 'OCRKIT_ENGINE_CLOSED'
  /** The caller's signal aborted the recognition. */
  | 'OCRKIT_ABORTED';

/** The one error class of `@ocrkit/engine`; match on `code`. `status` is the HTTP status the API uses. */
export class EngineError extends Error {
  override readonly name = 'EngineError';
  readonly code: EngineErrorCode;
  readonly status: number;

  constructor(code: EngineErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = code === 'AIS.0105' ? 500 : code.startsWith('AIS.') ? 400 : 499;
  }
}
