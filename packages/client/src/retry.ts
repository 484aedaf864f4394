import { errorCodeInfo } from '@ocrkit/protocol';

export interface RetryOptions {
  /** Attempts in all, the first included. @default 4 */
  readonly maxAttempts?: number;
  /** Backoff cap of the first retry; doubles each retry. @default 500 */
  readonly baseDelayMs?: number;
  /** Longest wait between attempts; a `Retry-After` beyond it ends the retries. @default 30000 */
  readonly maxDelayMs?: number;
}

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const defaultRetry: RetryPolicy = Object.freeze({ maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 30_000 });
const noRetry: RetryPolicy = Object.freeze({ ...defaultRetry, maxAttempts: 1 });

export function resolveRetry(options: RetryOptions | false | undefined): RetryPolicy {
  if (options === false) return noRetry;
  const policy = { ...defaultRetry, ...options };
  for (const [name, value] of Object.entries(policy)) {
    if (!Number.isFinite(value) || value < 0)
      throw new RangeError(`retry.${name} must be a finite number >= 0, got ${value}.`);
  }
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new RangeError(`retry.maxAttempts must be an integer >= 1, got ${policy.maxAttempts}.`);
  }
  return policy;
}

/** What to do after a failed attempt. */
export type RetryDecision = 'retry' | 'refresh-token' | 'stop';

/**
 * The vendor's table decides for the codes it lists (`fixtures/huawei/error-codes.json`); an unlisted
 * code is retried on 429 and 5xx only. Signature and permission errors are never retried: five failed
 * signatures in a row lock an access key for five minutes (the table's notes).
 */
export function classify(code: string | undefined, status: number | undefined): RetryDecision {
  const info = code === undefined ? undefined : errorCodeInfo(code);
  if (info) return info.retry === 'yes' ? 'retry' : info.retry === 'refresh-token' ? 'refresh-token' : 'stop';
  if (status === undefined) return 'stop';
  return status === 429 || status >= 500 ? 'retry' : 'stop';
}

/** Codes that mean "slow down": the vendor advises waiting 2-5 s when no `Retry-After` is sent. */
const throttleCodes = new Set(['APIG.0308', 'ModelArts.4401']);
const throttleDelayMs = { min: 2000, max: 5000 };

/**
 * The wait before retry number `retry` (1 for the first retry): `Retry-After` when the server sent one,
 * else exponential backoff with full jitter (uniform in 0..min(maxDelayMs, baseDelayMs * 2^(retry-1)))
 * and, for throttling codes, at least the vendor's 2-5 s. Undefined when the server asks for a wait
 * longer than `maxDelayMs`: the caller should give up and report `retryAfterMs`.
 */
export function retryDelayMs(
  retry: number,
  policy: RetryPolicy,
  hint: { readonly retryAfterMs?: number | undefined; readonly code?: string | undefined } = {},
  random: () => number = Math.random,
): number | undefined {
  if (hint.retryAfterMs !== undefined) return hint.retryAfterMs <= policy.maxDelayMs ? hint.retryAfterMs : undefined;
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  const backoff = random() * cap;
  if (hint.code !== undefined && throttleCodes.has(hint.code)) {
    const throttle = throttleDelayMs.min + random() * (throttleDelayMs.max - throttleDelayMs.min);
    return Math.min(policy.maxDelayMs, Math.max(backoff, throttle));
  }
  return backoff;
}

/** `Retry-After` as milliseconds: delay-seconds or an HTTP date (RFC 9110 section 10.2.3). */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP date always names its day and zone ("Fri, 27 Nov 2026 10:00:05 GMT"); Date.parse alone
  // would also take "-1" or "2026" as dates.
  const date = /[a-z]{3}/i.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
