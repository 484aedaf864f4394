import { createHash, createHmac } from 'node:crypto';

/** Access key credentials for `SDK-HMAC-SHA256` request signing. */
export interface AccessKeyCredentials {
  readonly accessKey: string;
  readonly secretKey: string;
  /** Set for temporary keys; sent (and signed) as `X-Security-Token`. */
  readonly securityToken?: string;
}

export interface SignableRequest {
  readonly method: string;
  /** Absolute URL, query included. */
  readonly url: string | URL;
  readonly headers?: Readonly<Record<string, string>>;
  /** The exact bytes that will be sent; strings are hashed as UTF-8. */
  readonly body?: string | Uint8Array;
}

export interface SignOptions {
  /**
   * Header names to sign. @default every header given plus `host`, except names holding `_`
   * (the vendor's SDKs never sign those: proxies drop them).
   */
  readonly signedHeaders?: readonly string[];
  /** Signing time; ignored when the request already has `X-Sdk-Date`. @default new Date() */
  readonly date?: Date;
}

const algorithm = 'SDK-HMAC-SHA256';

/**
 * Signs a request with an access key (Huawei Cloud API signing guide, `SDK-HMAC-SHA256`) and returns
 * the headers to send: the request's own plus `Host`, `X-Sdk-Date`, `Authorization` and, for temporary
 * keys, `X-Security-Token`. Reproduces every vector in test/fixtures/signing-vectors.json.
 */
export function signRequest(
  request: SignableRequest,
  credentials: AccessKeyCredentials,
  options: SignOptions = {},
): Record<string, string> {
  const url = typeof request.url === 'string' ? new URL(request.url) : request.url;
  const headers: Record<string, string> = { ...request.headers };
  const dateName = findHeader(headers, 'x-sdk-date');
  const date = dateName === undefined ? sdkDate(options.date ?? new Date()) : (headers[dateName] as string);
  if (dateName === undefined) headers['X-Sdk-Date'] = date;
  if (findHeader(headers, 'host') === undefined) headers.Host = url.host;
  if (credentials.securityToken !== undefined && findHeader(headers, 'x-security-token') === undefined) {
    headers['X-Security-Token'] = credentials.securityToken;
  }

  const lower = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  const signed = (
    options.signedHeaders?.map((name) => name.toLowerCase()) ?? [...lower.keys()].filter((name) => !name.includes('_'))
  )
    .filter((name, index, all) => all.indexOf(name) === index)
    .sort();
  for (const name of signed) {
    if (!lower.has(name)) throw new TypeError(`Cannot sign header "${name}": the request does not have it.`);
  }
  const canonicalHeaders = signed.map((name) => `${name}:${(lower.get(name) as string).trim()}\n`).join('');
  const canonical = [
    request.method.toUpperCase(),
    canonicalUri(url.pathname),
    canonicalQueryString(queryPairs(url.search)),
    canonicalHeaders,
    signed.join(';'),
    sha256Hex(request.body ?? ''),
  ].join('\n');
  const stringToSign = `${algorithm}\n${date}\n${sha256Hex(canonical)}`;
  const signature = createHmac('sha256', credentials.secretKey).update(stringToSign).digest('hex');
  headers.Authorization = `${algorithm} Access=${credentials.accessKey}, SignedHeaders=${signed.join(';')}, Signature=${signature}`;
  return headers;
}

/** `X-Sdk-Date` format: `YYYYMMDDTHHMMSSZ` in UTC. */
export function sdkDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** The time an `X-Sdk-Date` value names, or undefined when it is malformed. */
export function parseSdkDate(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  const date = new Date(Date.UTC(y as number, (mo as number) - 1, d, h, mi, s));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** RFC 3986 encoding that also escapes `!'()*` (the SDKs' `urlencode`, API.md). */
export function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Each path segment decoded and re-encoded, always ending with `/`. */
function canonicalUri(pathname: string): string {
  const path = pathname
    .split('/')
    .map((segment) => rfc3986(safeDecode(segment)))
    .join('/');
  return path.endsWith('/') ? path : `${path}/`;
}

/** Pairs sorted by encoded name, then encoded value, joined with `&`. */
export function canonicalQueryString(pairs: readonly (readonly [string, string])[]): string {
  return pairs
    .map(([name, value]) => [rfc3986(name), rfc3986(value)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

// Split by hand: URLSearchParams would read `+` as a space, which the server does not.
function queryPairs(search: string): [string, string][] {
  if (search.length <= 1) return [];
  return search
    .slice(1)
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const at = part.indexOf('=');
      return at < 0 ? [safeDecode(part), ''] : [safeDecode(part.slice(0, at)), safeDecode(part.slice(at + 1))];
    });
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function findHeader(headers: Record<string, string>, lowerName: string): string | undefined {
  return Object.keys(headers).find((name) => name.toLowerCase() === lowerName);
}

function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
