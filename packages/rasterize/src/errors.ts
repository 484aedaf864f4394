/** Codes `RasterizeError` carries; match on these, not on the message. */
export type RasterizeErrorCode =
  /** The bytes are not a PDF pdf.js can open (not a PDF, or damaged beyond repair). */
  | 'PDF_INVALID'
  /** The PDF is encrypted with a user password and none was given. */
  | 'PDF_PASSWORD_REQUIRED'
  /** The PDF is encrypted and the given password opens it neither as user nor as owner. */
  | 'PDF_PASSWORD_WRONG'
  /** `pages` names a page the document does not have. */
  | 'PAGE_OUT_OF_RANGE'
  /** The bytes are neither a PDF nor an image that decodes (corrupt, truncated, unknown format). */
  | 'IMAGE_INVALID'
  /** The page cannot be brought within the limits (too large even when tiled, or too many pixels to decode). */
  | 'PAGE_TOO_LARGE'
  /** The page's content failed to render (damaged content stream, renderer error); other pages are unaffected. */
  | 'PAGE_RENDER_FAILED'
  /** The page took longer than `pageTimeoutMs`; its renderer was stopped. */
  | 'PAGE_TIMEOUT'
  /** The caller's `signal` aborted the work. */
  | 'ABORTED';

/**
 * The one error class of `@ocrkit/rasterize`. `pageNumber` (1-based) is set when the error is about one
 * page. Match on `code` (or `isRasterizeError`), not on `instanceof`: two copies of the package may be loaded.
 */
export class RasterizeError extends Error {
  override readonly name = 'RasterizeError';
  readonly code: RasterizeErrorCode;
  readonly pageNumber: number | undefined;

  constructor(code: RasterizeErrorCode, message: string, options: { pageNumber?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.pageNumber = options.pageNumber;
  }
}

/** Whether `value` is a `RasterizeError` from any loaded copy of this package. */
export function isRasterizeError(value: unknown): value is RasterizeError {
  return (
    value instanceof Error && value.name === 'RasterizeError' && typeof (value as { code?: unknown }).code === 'string'
  );
}

/** The ABORTED error for `signal`, with its reason as the cause. */
export function abortError(signal: AbortSignal): RasterizeError {
  return new RasterizeError('ABORTED', 'Rasterizing was aborted by the caller.', { cause: signal.reason });
}
