import { type ApiError, apiError } from './errors.js';
import { type ImageHeader, readImageHeader } from './image-header.js';
import { base64Length, type Limits, seedLimits } from './limits.js';
import type { GeneralTextRequest } from './types.js';

/** A request that passed validation, with its image already decoded or its URL parsed. */
export type ValidRequest =
  | { readonly request: GeneralTextRequest; readonly image: Uint8Array; readonly header: ImageHeader }
  | { readonly request: GeneralTextRequest; readonly url: URL };

/** Either the value or the exact error the service answers with. */
export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiError };

const booleanFields = [
  'detect_direction',
  'quick_mode',
  'character_mode',
  'single_orientation_mode',
  'return_markdown_result',
] as const;

/** Parses a JSON body (text or UTF-8 bytes), then validates it. Malformed JSON is `ModelArts.4105`. */
export function parseGeneralTextRequest(json: string | Uint8Array, limits: Limits = seedLimits): Checked<ValidRequest> {
  let body: unknown;
  try {
    body = JSON.parse(typeof json === 'string' ? json : new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return fail('ModelArts.4105', `The body is not valid UTF-8 JSON (${reason}).`);
  }
  return validateGeneralTextRequest(body, limits);
}

/**
 * Checks a parsed body the way the service does and returns the exact API error for a bad one:
 * `AIS.0101` for a wrong shape or type (both or neither of image and url), `AIS.0102` for text that is
 * not base64 or an image that is not of an accepted format, `AIS.0103` for an image outside the size
 * limits, `ModelArts.4601` for a URL that is not http(s). Image headers are read, pixels never decoded.
 */
export function validateGeneralTextRequest(body: unknown, limits: Limits = seedLimits): Checked<ValidRequest> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return fail('AIS.0101', 'The body must be a JSON object.');
  }
  const fields = body as Record<string, unknown>;
  const hasImage = fields.image !== undefined && fields.image !== null;
  const hasUrl = fields.url !== undefined && fields.url !== null;
  if (hasImage === hasUrl) {
    return fail('AIS.0101', hasImage ? 'Give image or url, not both.' : 'Give one of image (base64) or url.');
  }
  for (const name of booleanFields) {
    if (fields[name] !== undefined && typeof fields[name] !== 'boolean') {
      return fail('AIS.0101', `${name} must be a boolean, got ${describe(fields[name])}.`);
    }
  }
  if (fields.language !== undefined && (typeof fields.language !== 'string' || fields.language === '')) {
    return fail('AIS.0101', `language must be a non-empty string, got ${describe(fields.language)}.`);
  }
  const page = fields.pdf_page_number;
  if (page !== undefined && !(typeof page === 'number' && Number.isSafeInteger(page) && page >= 1)) {
    return fail('AIS.0101', `pdf_page_number must be an integer >= 1, got ${describe(page)}.`);
  }
  const request = fields as GeneralTextRequest;

  if (hasUrl) {
    if (typeof fields.url !== 'string' || fields.url === '') {
      return fail('AIS.0101', `url must be a non-empty string, got ${describe(fields.url)}.`);
    }
    const url = URL.parse(fields.url);
    if (!url) return fail('AIS.0101', 'url is not a valid URL.');
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return fail('ModelArts.4601', `Only http and https URLs are fetched, not ${url.protocol}`);
    }
    return { ok: true, value: { request, url } };
  }

  if (typeof fields.image !== 'string' || fields.image === '') {
    return fail('AIS.0101', `image must be a non-empty base64 string, got ${describe(fields.image)}.`);
  }
  if (fields.image.length > limits.maxBase64Bytes) {
    return fail('AIS.0103', `The base64 image is ${fields.image.length} bytes; the limit is ${limits.maxBase64Bytes}.`);
  }
  const decoded = decodeBase64(fields.image);
  if (!decoded.ok) return decoded;
  const header = checkImage(decoded.value, limits);
  if (!header.ok) return header;
  return { ok: true, value: { request, image: decoded.value, header: header.value } };
}

// Standard alphabet (RFC 4648 section 4), padded or not. CR and LF are dropped first: MIME encoders
// wrap lines at 76 characters and the service's own samples are produced by such encoders.
const base64Pattern = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes strict base64; anything else (a `data:` URL, URL-safe or stray characters) is `AIS.0102`. */
export function decodeBase64(text: string): Checked<Uint8Array> {
  if (/^data:/i.test(text)) {
    return fail('AIS.0102', 'image must be bare base64: remove the "data:...;base64," prefix.');
  }
  const compact = text.includes('\n') ? text.replace(/\r?\n/g, '') : text;
  const unpadded = compact.replace(/=+$/, '');
  if (!base64Pattern.test(compact) || compact.length - unpadded.length > 2 || unpadded.length % 4 === 1) {
    return fail('AIS.0102', 'image is not valid base64 (standard alphabet A-Z a-z 0-9 + /, optional = padding).');
  }
  if (compact.length % 4 !== 0 && compact.length !== unpadded.length) {
    return fail('AIS.0102', 'image is not valid base64: padding with = must make the length a multiple of 4.');
  }
  const buffer = Buffer.from(compact, 'base64');
  return { ok: true, value: new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength) };
}

/**
 * Checks image bytes against `limits` from the header alone: `AIS.0102` for an unknown or unaccepted
 * format, `AIS.0103` for sides or a pixel count outside the limits, or a base64 form over the size limit.
 */
export function checkImage(bytes: Uint8Array, limits: Limits = seedLimits): Checked<ImageHeader> {
  const header = readImageHeader(bytes);
  const accepted = limits.formats.join(', ').toUpperCase();
  if (!header) return fail('AIS.0102', `The bytes are not an image of an accepted format (${accepted}).`);
  if (!limits.formats.includes(header.format)) {
    return fail('AIS.0102', `${header.format.toUpperCase()} is not accepted; use one of ${accepted}.`);
  }
  const encodedBytes = base64Length(bytes.byteLength);
  if (encodedBytes > limits.maxBase64Bytes) {
    return fail('AIS.0103', `The image is ${encodedBytes} bytes as base64; the limit is ${limits.maxBase64Bytes}.`);
  }
  if (header.format === 'pdf') return { ok: true, value: header };
  const { width, height } = header;
  const shortest = Math.min(width, height);
  const longest = Math.max(width, height);
  if (shortest < limits.minSidePx || longest > limits.maxSidePx || width * height > limits.maxPixels) {
    return fail(
      'AIS.0103',
      `The image is ${width}x${height} px; sides must be ${limits.minSidePx}..${limits.maxSidePx} px` +
        ` and at most ${limits.maxPixels} pixels in all.`,
    );
  }
  return { ok: true, value: header };
}

function fail(code: string, detail: string): { ok: false; error: ApiError } {
  return { ok: false, error: apiError(code, detail) };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}...` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
