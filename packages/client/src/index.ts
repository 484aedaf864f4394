export { type CallOptions, OcrClient, type OcrClientOptions } from './client.js';
export {
  type AccessKeyCredentials,
  type ConnectionOptions,
  type Credentials,
  connectionFromEnv,
  credentialsFromEnv,
  type IamPasswordCredentials,
  type TokenCredentials,
} from './credentials.js';
export { isOcrError, type LocalErrorCode, OcrError, type OcrErrorCode, type OcrErrorOptions } from './errors.js';
export {
  classify,
  defaultRetry,
  parseRetryAfter,
  type RetryDecision,
  type RetryOptions,
  type RetryPolicy,
  resolveRetry,
  retryDelayMs,
} from './retry.js';
export {
  canonicalQueryString,
  parseSdkDate,
  type SignableRequest,
  type SignOptions,
  sdkDate,
  signRequest,
} from './signer.js';
