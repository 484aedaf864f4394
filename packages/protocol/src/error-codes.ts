/**
 * Error codes of the general-text API and its gateway, with the HTTP status the service answers with
 * and whether a client should retry. Source: the vendor's public error-code tables and FAQs
 * (kept equal to test/fixtures/error-codes.json by a test).
 */

/** `yes`: retry with backoff. `no`: never. `refresh-token`: get a new token, then retry once. */
export type RetryAdvice = 'yes' | 'no' | 'refresh-token';

export interface ErrorCodeInfo {
  readonly status: number;
  readonly message: string;
  readonly retry: RetryAdvice;
}

export const errorCodes = {
  'AIS.0101': { status: 400, message: 'The input parameter is invalid.', retry: 'no' },
  'AIS.0102': { status: 400, message: 'The image format is not supported.', retry: 'no' },
  'AIS.0103': { status: 400, message: 'The image size does not meet the requirements.', retry: 'no' },
  'AIS.0104': { status: 400, message: 'The image is not supported or the image quality is poor.', retry: 'no' },
  'AIS.0105': { status: 400, message: 'Recognition failed.', retry: 'no' },
  'ModelArts.0203': { status: 401, message: 'Invalid token.', retry: 'refresh-token' },
  'ModelArts.0212': { status: 401, message: 'Invalid Token header. The Token not contain project item.', retry: 'no' },
  'ModelArts.4101': { status: 401, message: 'Token header cannot be empty.', retry: 'no' },
  'ModelArts.4102': { status: 401, message: 'Parse Token error.', retry: 'refresh-token' },
  'ModelArts.4103': { status: 401, message: 'Invalid Token header.', retry: 'refresh-token' },
  'ModelArts.4104': { status: 413, message: 'Invalid Request Content Length.', retry: 'no' },
  'ModelArts.4105': { status: 400, message: 'The JSON format of the input data is incorrect.', retry: 'no' },
  'ModelArts.4203': { status: 403, message: 'Access denied! You do not have permission.', retry: 'no' },
  'ModelArts.4204': { status: 403, message: 'Request api error! The API is not subscribed.', retry: 'no' },
  'ModelArts.4301': { status: 500, message: 'Have error when get ai-service admin token.', retry: 'yes' },
  'ModelArts.4302': { status: 500, message: 'Gateway forwarding error.', retry: 'yes' },
  'ModelArts.4401': { status: 429, message: 'Max concurrency error.', retry: 'yes' },
  'ModelArts.4402': { status: 504, message: 'Backend service timeout error.', retry: 'yes' },
  'ModelArts.4403': { status: 503, message: 'Backend service unavailable error.', retry: 'yes' },
  'ModelArts.4502': { status: 500, message: 'Backend service response error.', retry: 'yes' },
  'ModelArts.4505': { status: 500, message: 'Internal error.', retry: 'yes' },
  'ModelArts.4601': { status: 400, message: 'The URL is not allowed.', retry: 'no' },
  'ModelArts.4603': { status: 400, message: 'Obtaining the file from the URL failed.', retry: 'no' },
  'APIG.0101': {
    status: 404,
    message: 'The API does not exist or has not been published in the environment.',
    retry: 'no',
  },
  'APIG.0201': { status: 504, message: 'Backend timeout.', retry: 'yes' },
  'APIG.0301': { status: 401, message: 'Incorrect IAM authentication information.', retry: 'no' },
  'APIG.0307': { status: 401, message: 'The token must be updated.', retry: 'refresh-token' },
  'APIG.0308': { status: 429, message: 'The throttling threshold has been reached.', retry: 'yes' },
} as const satisfies Record<string, ErrorCodeInfo>;

/** A code the API is documented to return. */
export type ApiErrorCode = keyof typeof errorCodes;

/** The table's entry for `code`, or undefined for a code the table does not list. */
export function errorCodeInfo(code: string): ErrorCodeInfo | undefined {
  return Object.hasOwn(errorCodes, code) ? errorCodes[code as ApiErrorCode] : undefined;
}
