import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { type AccessKeyCredentials, parseSdkDate, signRequest } from '@ocrkit/client';

export type AuthResult = { readonly ok: true } | { readonly ok: false; readonly code: string; readonly detail: string };

export interface AuthConfig {
  /** Accepted `X-Auth-Token` values; empty accepts any non-empty token. */
  readonly tokens: ReadonlySet<string>;
  /** Access keys whose signed requests are accepted. */
  readonly accessKeys: ReadonlyMap<string, AccessKeyCredentials>;
  readonly now?: () => number;
}

// The gateway rejects a signature whose X-Sdk-Date is more than 15 minutes off (API signing guide).
const maxSkewMs = 15 * 60 * 1000;
const authorizationPattern =
  /^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/;

/** Checks `X-Auth-Token`, or an `SDK-HMAC-SHA256` signature over the exact body bytes. */
export function authenticate(
  config: AuthConfig,
  request: { method: string; url: string; headers: IncomingHttpHeaders; body: Uint8Array },
): AuthResult {
  const token = single(request.headers['x-auth-token']);
  const authorization = single(request.headers.authorization);
  if (token !== undefined && token !== '') {
    if (config.tokens.size === 0 || config.tokens.has(token)) return { ok: true };
    return { ok: false, code: 'APIG.0301', detail: 'The token is not one this server accepts.' };
  }
  if (authorization === undefined || authorization === '') {
    return { ok: false, code: 'ModelArts.4101', detail: 'Send X-Auth-Token, or sign the request with an access key.' };
  }
  const match = authorizationPattern.exec(authorization);
  if (!match) return { ok: false, code: 'APIG.0301', detail: 'The Authorization header is not SDK-HMAC-SHA256.' };
  const [, accessKey = '', signedList = '', signature = ''] = match;
  const keys = config.accessKeys.get(accessKey);
  if (!keys) return { ok: false, code: 'APIG.0301', detail: 'Unknown access key.' };
  const dateText = single(request.headers['x-sdk-date']);
  const date = dateText === undefined ? undefined : parseSdkDate(dateText);
  if (!date) return { ok: false, code: 'APIG.0301', detail: 'X-Sdk-Date is missing or malformed.' };
  const now = (config.now ?? Date.now)();
  if (Math.abs(now - date.getTime()) > maxSkewMs) {
    return { ok: false, code: 'APIG.0301', detail: 'X-Sdk-Date is more than 15 minutes off the server clock.' };
  }
  const signedHeaders = signedList.split(';');
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = single(request.headers[name]);
    if (value === undefined) return { ok: false, code: 'APIG.0301', detail: `Signed header ${name} is missing.` };
    headers[name] = value;
  }
  const host = headers.host ?? single(request.headers.host) ?? 'localhost';
  const expected = signRequest(
    { method: request.method, url: `http://${host}${request.url}`, headers, body: request.body },
    keys,
    { signedHeaders },
  ).Authorization;
  const given = Buffer.from(`SDK-HMAC-SHA256 Access=${accessKey}, SignedHeaders=${signedList}, Signature=${signature}`);
  const wanted = Buffer.from(expected ?? '');
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    return { ok: false, code: 'APIG.0301', detail: 'The signature does not match.' };
  }
  return { ok: true };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
