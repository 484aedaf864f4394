import { describe, expect, test } from 'vitest';
import { classify, defaultRetry, parseRetryAfter, resolveRetry, retryDelayMs } from '../src/index.js';

describe('classify', () => {
  test.each([
    ['APIG.0308', 429, 'retry'],
    ['ModelArts.4401', 429, 'retry'],
    ['ModelArts.4402', 504, 'retry'],
    ['ModelArts.4403', 503, 'retry'],
    ['ModelArts.4302', 500, 'retry'],
    ['APIG.0201', 504, 'retry'],
    ['APIG.0307', 401, 'refresh-token'],
    ['ModelArts.0203', 401, 'refresh-token'],
    ['AIS.0101', 400, 'stop'],
    ['AIS.0103', 400, 'stop'],
    ['APIG.0301', 401, 'stop'],
    ['ModelArts.4203', 403, 'stop'],
    ['ModelArts.4104', 413, 'stop'],
  ] as const)('%s (HTTP %i): %s', (code, status, decision) => {
    expect(classify(code, status)).toBe(decision);
  });

  test('the table wins over the status: a listed no-retry code stays unretried even on 5xx', () => {
    expect(classify('AIS.0105', 500)).toBe('stop');
  });

  test.each([
    [undefined, 429, 'retry'],
    [undefined, 500, 'retry'],
    [undefined, 503, 'retry'],
    ['Vendor.9999', 502, 'retry'],
    [undefined, 400, 'stop'],
    [undefined, 401, 'stop'],
    [undefined, 403, 'stop'],
    ['Vendor.9999', 404, 'stop'],
    [undefined, undefined, 'stop'],
  ] as const)('unlisted code %s with HTTP %s: %s', (code, status, decision) => {
    expect(classify(code, status)).toBe(decision);
  });
});

describe('retryDelayMs', () => {
  const policy = { maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 1000 };

  test('full jitter: uniform in 0..min(max, base * 2^(retry-1))', () => {
    expect(retryDelayMs(1, policy, {}, () => 0)).toBe(0);
    expect(retryDelayMs(1, policy, {}, () => 0.5)).toBe(50);
    expect(retryDelayMs(3, policy, {}, () => 0.999)).toBeCloseTo(399.6);
    expect(retryDelayMs(10, policy, {}, () => 0.5)).toBe(500);
  });

  test('Retry-After is honoured as given, and one beyond maxDelayMs gives up', () => {
    expect(retryDelayMs(1, policy, { retryAfterMs: 700 }, () => 0)).toBe(700);
    expect(retryDelayMs(1, policy, { retryAfterMs: 1001 }, () => 0)).toBeUndefined();
  });

  test('throttling without Retry-After waits the vendor-advised 2-5 s', () => {
    const wide = { ...policy, maxDelayMs: 60_000 };
    expect(retryDelayMs(1, wide, { code: 'APIG.0308' }, () => 0)).toBe(2000);
    expect(retryDelayMs(1, wide, { code: 'APIG.0308' }, () => 1)).toBe(5000);
    expect(retryDelayMs(1, policy, { code: 'APIG.0308' }, () => 1)).toBe(1000);
  });
});

describe('parseRetryAfter', () => {
  test('reads delay-seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(' 0 ')).toBe(0);
    const now = Date.parse('Fri, 27 Nov 2026 10:00:00 GMT');
    expect(parseRetryAfter('Fri, 27 Nov 2026 10:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Fri, 27 Nov 2026 09:00:00 GMT', now)).toBe(0);
  });

  test('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter('-1')).toBeUndefined();
  });
});

describe('resolveRetry', () => {
  test('defaults, overrides and false', () => {
    expect(resolveRetry(undefined)).toEqual(defaultRetry);
    expect(resolveRetry({ maxAttempts: 2 })).toEqual({ ...defaultRetry, maxAttempts: 2 });
    expect(resolveRetry(false).maxAttempts).toBe(1);
  });

  test.each([{ maxAttempts: 0 }, { maxAttempts: 1.5 }, { baseDelayMs: -1 }, { maxDelayMs: Number.NaN }])(
    '%j is a RangeError',
    (options) => {
      expect(() => resolveRetry(options)).toThrow(RangeError);
    },
  );
});
