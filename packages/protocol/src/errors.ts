import { errorCodeInfo } from './error-codes.js';
import type { ApiErrorBody } from './types.js';

/** An API error as the service would answer it: the HTTP status and the body's code and message. */
export interface ApiError {
  readonly status: number;
  readonly error_code: string;
  readonly error_msg: string;
}

/** The API error for `code` with the table's status, and `detail` after the table's message. */
export function apiError(code: string, detail?: string): ApiError {
  const info = errorCodeInfo(code);
  if (!info) throw new RangeError(`Unknown API error code ${JSON.stringify(code)}: add it to error-codes.ts first.`);
  return { status: info.status, error_code: code, error_msg: detail ? `${info.message} ${detail}` : info.message };
}

/**
 * The code, message and request id of any error body shape the service and its gateways send:
 * `{error_code, error_msg, request_id?}`, `{errorCode, errorMsg}`, `{code, message}` and
 * `{error: {code, message}}` (API.md, Errors). Undefined when `body` holds no code.
 */
export function parseErrorBody(body: unknown): ApiErrorBody | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const nested =
    typeof record.error === 'object' && record.error !== null ? (record.error as Record<string, unknown>) : {};
  const code = firstString(record.error_code, record.errorCode, record.code, nested.code, nested.error_code);
  if (code === undefined) return undefined;
  const message =
    firstString(record.error_msg, record.errorMsg, record.message, nested.message, nested.error_msg) ?? '';
  const requestId = firstString(record.request_id, record.requestId, nested.request_id);
  return requestId === undefined
    ? { error_code: code, error_msg: message }
    : { error_code: code, error_msg: message, request_id: requestId };
}

function firstString(...values: unknown[]): string | undefined {
  for (const value of values) {
    if (typeof value === 'string' && value !== '') return value;
    // Some gateways send numeric codes.
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  }
  return undefined;
}
