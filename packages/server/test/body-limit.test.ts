import { isOcrError } from '@ocrkit/client';
import { seedLimits } from '@ocrkit/protocol';
import { afterEach, describe, expect, test } from 'vitest';
import { base64, png } from '../../../test/support/images.ts';
import { raw as call, exchange, json, parseResponse } from './http.js';
import { cannedResult, RecordingRecognizer } from './recognizers.js';
import { apiUrl, clientOf, closeAll, projectId, requestIdPattern, serve, token } from './servers.js';

afterEach(closeAll);

// A small image limit keeps the bodies small; the server allows 64 KiB of JSON around the base64
// image (server.ts, jsonOverheadBytes), so its body limit is this plus 65536.
const limits = { ...seedLimits, maxBase64Bytes: 4096 };
const maxBodyBytes = limits.maxBase64Bytes + 64 * 1024;
const path = `/v2/${projectId}/ocr/general-text`;

function head(framing: string): string {
  return `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-Auth-Token: ${token}\r\n${framing}\r\n\r\n`;
}

describe('a body over the limit', () => {
  test('declared by Content-Length is refused with 413 ModelArts.4104 before the body is sent', async () => {
    const recognizer = new RecordingRecognizer();
    const server = await serve({ recognizer, limits });

    // A gigabyte is announced and 14 bytes sent: an answer can only come from the declared length.
    const started = performance.now();
    const { received } = await exchange(server.url, head('Content-Length: 1000000000'), '{"image":"iVBO');
    const elapsedMs = performance.now() - started;

    const response = parseResponse(received);
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body)).toEqual({ error_code: 'ModelArts.4104', error_msg: expect.any(String) });
    expect(response.headers['x-request-id']).toMatch(requestIdPattern);
    expect(response.headers.connection).toBe('close');
    // The server closed the connection itself, well before the exchange's own 5 s deadline.
    expect(elapsedMs).toBeLessThan(2000);
    expect(recognizer.calls).toHaveLength(0);
  });

  test('sent chunked is refused with 413 ModelArts.4104 once it grows past the limit', async () => {
    const server = await serve({ recognizer: new RecordingRecognizer(), limits });
    const piece = 'A'.repeat(8192);

    const { received, bodyBytesSent } = await exchange(server.url, head('Transfer-Encoding: chunked'), '', {
      more: () => `${piece.length.toString(16)}\r\n${piece}\r\n`,
    });

    const response = parseResponse(received);
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body)).toEqual({ error_code: 'ModelArts.4104', error_msg: expect.any(String) });
    expect(response.headers['x-request-id']).toMatch(requestIdPattern);
    // The answer came while the client was still sending, after more than the limit had been sent.
    expect(bodyBytesSent).toBeGreaterThan(maxBodyBytes);
  });

  test('one byte over the limit is 413, exactly at the limit is read (Content-Length)', async () => {
    const recognizer = new RecordingRecognizer();
    const server = await serve({ recognizer, limits });
    const json0 = JSON.stringify({ image: base64(png(32, 32)) });
    // JSON allows whitespace after the value: pad the body to the exact size wanted.
    const padded = (size: number) => json0 + ' '.repeat(size - json0.length);

    const atLimit = await call(apiUrl(server), { headers: { 'X-Auth-Token': token }, body: padded(maxBodyBytes) });
    const overLimit = await call(apiUrl(server), {
      headers: { 'X-Auth-Token': token },
      body: padded(maxBodyBytes + 1),
    });

    expect({ status: atLimit.status, body: json(atLimit) }).toEqual({ status: 200, body: { result: cannedResult } });
    expect({ status: overLimit.status, body: json(overLimit) }).toEqual({
      status: 413,
      body: { error_code: 'ModelArts.4104', error_msg: expect.any(String) },
    });
    expect(recognizer.calls).toHaveLength(1);
  });

  test('OcrClient sending a whole body over the limit gets 413 ModelArts.4104, not a network error', async () => {
    const server = await serve({ recognizer: new RecordingRecognizer(), limits });

    const outcome = await clientOf(server)
      .generalText({ image: 'A'.repeat(2 * 1024 * 1024) })
      .then(
        () => undefined,
        (error: unknown) => error,
      );

    expect(isOcrError(outcome)).toBe(true);
    expect(outcome).toMatchObject({ code: 'ModelArts.4104', status: 413 });
  });

  test('the server keeps answering after refusing a body', async () => {
    const server = await serve({ recognizer: new RecordingRecognizer(), limits });
    await exchange(server.url, head('Content-Length: 1000000000'), '{"image":"iVBO');

    const response = await call(apiUrl(server), {
      headers: { 'X-Auth-Token': token },
      body: JSON.stringify({ image: base64(png(32, 32)) }),
    });

    expect(response.status).toBe(200);
  });
});
