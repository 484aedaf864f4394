export { type ApiErrorCode, type ErrorCodeInfo, errorCodeInfo, errorCodes, type RetryAdvice } from './error-codes.js';
export { type ApiError, apiError, parseErrorBody } from './errors.js';
export {
  type ImageFormat,
  type ImageHeader,
  imageMimeTypes,
  type RasterFormat,
  readImageHeader,
} from './image-header.js';
export { base64Length, currentLimits, type Limits, type LimitsPreset, resolveLimits, seedLimits } from './limits.js';
export type {
  ApiErrorBody,
  GeneralTextChar,
  GeneralTextOptions,
  GeneralTextRequest,
  GeneralTextResponse,
  GeneralTextResult,
  GeneralTextWordsBlock,
  Point,
  Quad,
  RecognizeOptions,
  TextRecognizer,
} from './types.js';
export {
  type Checked,
  checkImage,
  decodeBase64,
  parseGeneralTextRequest,
  type ValidRequest,
  validateGeneralTextRequest,
} from './validate.js';
