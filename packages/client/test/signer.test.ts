import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { canonicalQueryString, parseSdkDate, sdkDate, signRequest } from '../src/index.js';

interface Vector {
  name: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  ak: string;
  sk: string;
  signedHeaders: string[];
  authorization: string;
}

// A copy of shared/fixtures/huawei/signing-vectors.json: vectors from the vendor's guide and SDK tests.
const fixture = JSON.parse(readFileSync(new URL('./fixtures/signing-vectors.json', import.meta.url), 'utf8')) as {
  vectors: Vector[];
  canonicalQuery: { params: [string, string][]; expected: string };
};

test.each(fixture.vectors.map((v) => [v.name, v] as const))('%s', (_, v) => {
  const headers = signRequest(
    { method: v.method, url: v.url, headers: v.headers, body: v.body },
    { accessKey: v.ak, secretKey: v.sk },
    { signedHeaders: v.signedHeaders },
  );
  expect(headers.Authorization).toBe(v.authorization);
});

test.each(fixture.vectors.filter((v) => v.signedHeaders.includes('host')).map((v) => [v.name, v] as const))(
  '%s: the default signed headers are the ones the Python SDK signs',
  (_, v) => {
    const headers = signRequest(
      { method: v.method, url: v.url, headers: v.headers, body: v.body },
      { accessKey: v.ak, secretKey: v.sk },
    );
    expect(headers.Authorization).toBe(v.authorization);
  },
);

test('body bytes and the same text as a string sign alike', () => {
  const v = fixture.vectors.find((vector) => vector.body !== '') as Vector;
  const headers = signRequest(
    { method: v.method, url: v.url, headers: v.headers, body: new TextEncoder().encode(v.body) },
    { accessKey: v.ak, secretKey: v.sk },
    { signedHeaders: v.signedHeaders },
  );
  expect(headers.Authorization).toBe(v.authorization);
});

test('the canonical query string sorts and escapes like the SDKs', () => {
  expect(canonicalQueryString(fixture.canonicalQuery.params)).toBe(fixture.canonicalQuery.expected);
});

test('a query read from a URL is decoded once and re-encoded, + kept literal', () => {
  const base = { method: 'GET', headers: { 'X-Sdk-Date': '20240101T000000Z' } };
  const keys = { accessKey: 'a', secretKey: 's' };
  const fromEncoded = signRequest({ ...base, url: 'https://h.example/p?b=%28x%29&a=1+2' }, keys);
  const fromRaw = signRequest({ ...base, url: 'https://h.example/p?a=1%2B2&b=(x)' }, keys);
  expect(fromEncoded.Authorization).toBe(fromRaw.Authorization);
});

test('adds Host and X-Sdk-Date, and signs X-Security-Token for temporary keys', () => {
  const headers = signRequest(
    { method: 'POST', url: 'https://ocr.cn-north-4.myhuaweicloud.com:8443/v2/p/ocr/general-text', body: '{}' },
    { accessKey: 'AK', secretKey: 'SK', securityToken: 'temp-token' },
    { date: new Date(Date.UTC(2026, 10, 27, 8, 9, 10)) },
  );
  expect(headers.Host).toBe('ocr.cn-north-4.myhuaweicloud.com:8443');
  expect(headers['X-Sdk-Date']).toBe('20261127T080910Z');
  expect(headers['X-Security-Token']).toBe('temp-token');
  expect(headers.Authorization).toMatch(/SignedHeaders=host;x-sdk-date;x-security-token, Signature=[0-9a-f]{64}$/);
});

test('a changed body, path or key changes the signature', () => {
  const request = {
    method: 'POST',
    url: 'https://h.example/v2/p/ocr/general-text',
    headers: { 'X-Sdk-Date': '20240101T000000Z' },
    body: '{"a":1}',
  };
  const keys = { accessKey: 'a', secretKey: 's' };
  const reference = signRequest(request, keys).Authorization;
  expect(signRequest({ ...request, body: '{"a":2}' }, keys).Authorization).not.toBe(reference);
  expect(signRequest({ ...request, url: 'https://h.example/v2/q/ocr/general-text' }, keys).Authorization).not.toBe(
    reference,
  );
  expect(signRequest(request, { ...keys, secretKey: 't' }).Authorization).not.toBe(reference);
});

test('asking to sign a header the request lacks is a TypeError naming it', () => {
  expect(() =>
    signRequest(
      { method: 'GET', url: 'https://h.example/' },
      { accessKey: 'a', secretKey: 's' },
      { signedHeaders: ['content-type'] },
    ),
  ).toThrow(/content-type/);
});

test('sdkDate and parseSdkDate round-trip to the second', () => {
  const date = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
  expect(sdkDate(new Date(date.getTime() + 678))).toBe('20260102T030405Z');
  expect(parseSdkDate('20260102T030405Z')?.getTime()).toBe(date.getTime());
  expect(parseSdkDate('2026-01-02T03:04:05Z')).toBeUndefined();
});
