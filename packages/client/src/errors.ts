import type { ApiErrorCode } from '@ocrkit/protocol';

/** Codes the client itself raises, beside the API's own `error_code` values. */
export type LocalErrorCode =
  /** One attempt ran past `timeoutMs`. */
  | 'OCRKIT_TIMEOUT'
  /** The connection failed: refused, reset, closed, DNS, TLS. */
  | 'OCRKIT_NETWORK'
  /** The caller's `signal` aborted the call. */
  | 'OCRKIT_ABORTED'
  /** A response that is not the API's: not JSON, wrong shape, an error status without a code. */
  | 'OCRKIT_BAD_RESPONSE'
  /** The IAM token request failed without an error code of its own. */
  | 'OCRKIT_IAM_FAILED';

/** Every `code` an `OcrError` can carry; any other string is an API code this client does not list. */
export type OcrErrorCode = ApiErrorCode | LocalErrorCode | (string & {});

export interface OcrErrorOptions {
  readonly status?: number | undefined;
  readonly requestId?: string | undefined;
  readonly retryable?: boolean | undefined;
  /** How long the server asked to wait before retrying (`Retry-After`). */
  readonly retryAfterMs?: number | undefined;
  readonly cause?: unknown;
}

/**
 * The one error the client throws for a failed call. Match on `code` (stable; the API's
 * `error_code` or an `OCRKIT_*` code), not on `instanceof`: two copies of the package may be loaded.
 */
export class OcrError extends Error {
  override readonly name = 'OcrError';
  readonly code: OcrErrorCode;
  /** HTTP status, when a response arrived. */
  readonly status: number | undefined;
  /** `X-Request-Id` of the response (or the body's `request_id`), for the vendor's support. */
  readonly requestId: string | undefined;
  /** Whether the same call may succeed later. */
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(code: OcrErrorCode, message: string, options: OcrErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.requestId = options.requestId;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Whether `error` is an `OcrError`, also from another copy of this package. */
export function isOcrError(error: unknown): error is OcrError {
  return error instanceof Error && error.name === 'OcrError' && typeof (error as OcrError).code === 'string';
}
