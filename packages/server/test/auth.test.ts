import { signRequest } from '@ocrkit/client';
import { afterEach, describe, expect, test } from 'vitest';
import { base64, png } from '../../../test/support/images.ts';
import { failure } from '../../client/test/failure.ts';
import { raw as call, json, type RawResponse } from './http.js';
import { cannedResult, RecordingRecognizer } from './recognizers.js';
import { apiUrl, clientOf, closeAll, requestIdPattern, serve } from './servers.js';

afterEach(closeAll);

const image = png(48, 24);
const body = JSON.stringify({ image: base64(image) });
const keys = { accessKey: 'HPUAEXAMPLEACCESSKEY', secretKey: 'example-secret-key-0123456789abcdef' };
// IAM tokens are 10-16 KB and more (API.md); 20 KB is over Node's default 16 KiB header limit.
const bigToken = `MIIZ${'x'.repeat(20 * 1024)}`;

function expectApiError(response: RawResponse, status: number, code: string): void {
  expect({ status: response.status, body: json(response) }).toEqual({
    status,
    body: { error_code: code, error_msg: expect.any(String) },
  });
  expect(response.headers['x-request-id']).toMatch(requestIdPattern);
}

/** Headers of `body` signed with `credentials` at `date`, as the vendor's SDKs sign them. */
function signed(url: string, credentials: typeof keys, date: Date, signedBody = body): Record<string, string> {
  return signRequest(
    { method: 'POST', url, headers: { 'Content-Type': 'application/json' }, body: signedBody },
    credentials,
    {
      date,
    },
  );
}

describe('X-Auth-Token', () => {
  test('a request with neither a token nor a signature is 401 ModelArts.4101', async () => {
    const recognizer = new RecordingRecognizer();
    const server = await serve({ recognizer, tokens: ['good-token'] });

    expectApiError(
      await call(apiUrl(server), { headers: { 'Content-Type': 'application/json' }, body }),
      401,
      'ModelArts.4101',
    );
    expect(recognizer.calls).toHaveLength(0);
  });

  test('an empty token counts as none: 401 ModelArts.4101', async () => {
    const server = await serve({ recognizer: new RecordingRecognizer() });

    expectApiError(await call(apiUrl(server), { headers: { 'X-Auth-Token': '' }, body }), 401, 'ModelArts.4101');
  });

  test('with tokens configured, an unknown token is 401 APIG.0301, raw and through OcrClient', async () => {
    const recognizer = new RecordingRecognizer();
    const server = await serve({ recognizer, tokens: ['good-token'] });

    expectApiError(await call(apiUrl(server), { headers: { 'X-Auth-Token': 'good-token-2' }, body }), 401, 'APIG.0301');
    const error = await failure(clientOf(server, { credentials: { token: 'bad-token' } }).recognize(image));
    expect({ code: error.code, status: error.status, retryable: error.retryable }).toEqual({
      code: 'APIG.0301',
      status: 401,
      retryable: false,
    });
    expect(recognizer.calls).toHaveLength(0);
  });

  test('with tokens configured, a configured token is accepted', async () => {
    const recognizer = new RecordingRecognizer();
    const server = await serve({ recognizer, tokens: ['first-token', 'good-token'] });

    expect(await clientOf(server, { credentials: { token: 'good-token' } }).recognize(image)).toEqual(cannedResult);
    expect(recognizer.calls.map((c) => Buffer.from(c.image))).toEqual([Buffer.from(image)]);
  });

  test('with no tokens configured, any non-empty token is accepted', async () => {
    const recognizer = new RecordingRecognizer();
    const server = await serve({ recognizer });

    for (const token of ['x', 'MIIT-anything', 'Bearer something else']) {
      const response = await call(apiUrl(server), { headers: { 'X-Auth-Token': token }, body });
      expect({ token, status: response.status, body: json(response) }).toEqual({
        token,
        status: 200,
        body: { result: cannedResult },
      });
    }
    expect(recognizer.calls).toHaveLength(3);
  });

  test('a 20 KB token header is accepted, raw and through OcrClient, and compared in full', async () => {
    const server = await serve({ recognizer: new RecordingRecognizer(), tokens: [bigToken] });

    const response = await call(apiUrl(server), { headers: { 'X-Auth-Token': bigToken }, body });
    expect(response.status).toBe(200);
    expect(await clientOf(server, { credentials: { token: bigToken } }).recognize(image)).toEqual(cannedResult);
    const almost = `${bigToken.slice(0, -1)}y`;
    expectApiError(await call(apiUrl(server), { headers: { 'X-Auth-Token': almost }, body }), 401, 'APIG.0301');
  });
});

describe('AK/SK signing (SDK-HMAC-SHA256)', () => {
  test('OcrClient with the access key the server has gets the result', async () => {
    const recognizer = new RecordingRecognizer();
    const server = await serve({ recognizer, accessKeys: [keys], tokens: ['some-token'] });

    const result = await clientOf(server, { credentials: keys }).recognize(image, { detect_direction: true });

    expect(result).toEqual(cannedResult);
    expect(recognizer.calls).toHaveLength(1);
    expect(recognizer.calls[0]?.options.detect_direction).toBe(true);
  });

  test('a request signed now by hand is accepted (the control for the date tests)', async () => {
    const server = await serve({ recognizer: new RecordingRecognizer(), accessKeys: [keys] });
    const url = apiUrl(server);

    const response = await call(url, { headers: signed(url, keys, new Date()), body });

    expect({ status: response.status, body: json(response) }).toEqual({ status: 200, body: { result: cannedResult } });
  });

  test('a wrong secret key is 401 APIG.0301 and nothing is recognized', async () => {
    const recognizer = new RecordingRecognizer();
    const server = await serve({ recognizer, accessKeys: [keys] });

    const error = await failure(
      clientOf(server, { credentials: { ...keys, secretKey: `${keys.secretKey}-wrong` } }).recognize(image),
    );

    expect({ code: error.code, status: error.status }).toEqual({ code: 'APIG.0301', status: 401 });
    expect(error.requestId).toMatch(requestIdPattern);
    expect(recognizer.calls).toHaveLength(0);
  });

  test('an access key the server does not have is 401 APIG.0301', async () => {
    const server = await serve({ recognizer: new RecordingRecognizer(), accessKeys: [keys] });

    const error = await failure(
      clientOf(server, { credentials: { ...keys, accessKey: 'HPUAOTHERACCESSKEY' } }).recognize(image),
    );

    expect({ code: error.code, status: error.status }).toEqual({ code: 'APIG.0301', status: 401 });
  });

  test.each([
    ['20 minutes in the past', -20],
    ['20 minutes in the future', 20],
  ])('X-Sdk-Date %s is 401 APIG.0301', async (_name, minutes) => {
    const recognizer = new RecordingRecognizer();
    const server = await serve({ recognizer, accessKeys: [keys] });
    const url = apiUrl(server);

    const headers = signed(url, keys, new Date(Date.now() + minutes * 60_000));

    expectApiError(await call(url, { headers, body }), 401, 'APIG.0301');
    expect(recognizer.calls).toHaveLength(0);
  });

  test('a body changed after signing is 401 APIG.0301 (the signature covers the exact bytes)', async () => {
    const server = await serve({ recognizer: new RecordingRecognizer(), accessKeys: [keys] });
    const url = apiUrl(server);

    const headers = signed(url, keys, new Date(), body);
    const changed = JSON.stringify({ image: base64(image), detect_direction: true });

    expectApiError(await call(url, { headers, body: changed }), 401, 'APIG.0301');
  });

  test('an Authorization header that is not SDK-HMAC-SHA256 is 401 APIG.0301', async () => {
    const server = await serve({ recognizer: new RecordingRecognizer(), accessKeys: [keys] });

    expectApiError(
      await call(apiUrl(server), { headers: { Authorization: 'Bearer abc.def.ghi' }, body }),
      401,
      'APIG.0301',
    );
  });

  test('a signature without X-Sdk-Date is 401 APIG.0301', async () => {
    const server = await serve({ recognizer: new RecordingRecognizer(), accessKeys: [keys] });
    const url = apiUrl(server);
    const { 'X-Sdk-Date': _date, ...headers } = signed(url, keys, new Date());

    expectApiError(await call(url, { headers, body }), 401, 'APIG.0301');
  });
});
