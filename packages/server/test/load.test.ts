import { request } from 'node:http';
import { isOcrError } from '@ocrkit/client';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { base64, png } from '../../../test/support/images.ts';
import type { RunningServer } from '../src/index.js';
import { raw as call, json, type RawResponse } from './http.js';
import { cannedResult, failingRecognizer, GatedRecognizer, RecordingRecognizer } from './recognizers.js';
import { apiUrl, clientOf, closeAfterTest, closeAll, requestIdPattern, serve, token } from './servers.js';

afterEach(closeAll);

const image = png(48, 24);
const body = JSON.stringify({ image: base64(image) });

function post(server: RunningServer, payload = body): Promise<RawResponse> {
  return call(apiUrl(server), {
    headers: { 'Content-Type': 'application/json', 'X-Auth-Token': token },
    body: payload,
  });
}

async function health(server: RunningServer): Promise<{ running: number; waiting: number }> {
  return json(await call(`${server.url}/health`, { method: 'GET' })) as { running: number; waiting: number };
}

/** A gated recognizer whose calls are all let through when the test ends, before its server closes. */
function gated(): GatedRecognizer {
  const recognizer = new GatedRecognizer();
  closeAfterTest(() => recognizer.open());
  return recognizer;
}

describe('the bounded queue (concurrency 1, maxQueue 1)', () => {
  test('a third concurrent request is 429 APIG.0308 with Retry-After; the first two still succeed', async () => {
    const recognizer = gated();
    const server = await serve({ recognizer, concurrency: 1, maxQueue: 1 });

    const first = post(server);
    await recognizer.started(1);
    const second = post(server);
    await vi.waitFor(async () => expect(await health(server)).toMatchObject({ running: 1, waiting: 1 }));

    const third = await post(server);

    expect({ status: third.status, body: json(third) }).toEqual({
      status: 429,
      body: { error_code: 'APIG.0308', error_msg: expect.any(String) },
    });
    expect(third.headers['retry-after']).toBe('2');
    expect(third.headers['x-request-id']).toMatch(requestIdPattern);
    expect(recognizer.calls).toHaveLength(1);

    recognizer.release();
    expect((await first).status).toBe(200);
    await recognizer.started(2);
    recognizer.release();
    expect({ status: (await second).status, body: json(await second) }).toEqual({
      status: 200,
      body: { result: cannedResult },
    });
  });

  test('after the first completes, a new request succeeds (recovery)', async () => {
    const recognizer = gated();
    const server = await serve({ recognizer, concurrency: 1, maxQueue: 1 });

    const first = post(server);
    await recognizer.started(1);
    const second = post(server);
    await vi.waitFor(async () => expect(await health(server)).toMatchObject({ running: 1, waiting: 1 }));
    expect((await post(server)).status).toBe(429);

    recognizer.release();
    expect((await first).status).toBe(200);
    await recognizer.started(2);
    // The second now runs and nothing waits: a new request is queued, not refused.
    const fourth = post(server);
    await vi.waitFor(async () => expect(await health(server)).toMatchObject({ running: 1, waiting: 1 }));
    recognizer.open();

    expect((await second).status).toBe(200);
    expect((await fourth).status).toBe(200);
    expect(recognizer.calls).toHaveLength(3);
    expect(await health(server)).toMatchObject({ running: 0, waiting: 0 });
  });

  test('OcrClient without retries reports APIG.0308 with the server-advised wait', async () => {
    const recognizer = gated();
    const server = await serve({ recognizer, concurrency: 1, maxQueue: 0 });

    const first = post(server);
    await recognizer.started(1);
    const outcome = await clientOf(server)
      .recognize(image)
      .then(
        () => undefined,
        (error: unknown) => error,
      );

    expect(isOcrError(outcome)).toBe(true);
    expect(outcome).toMatchObject({ code: 'APIG.0308', status: 429, retryable: true, retryAfterMs: 2000 });
    recognizer.release();
    expect((await first).status).toBe(200);
  });

  test('OcrClient with retries gets through once the server is free again', async () => {
    const recognizer = gated();
    const server = await serve({ recognizer, concurrency: 1, maxQueue: 0 });

    const first = post(server);
    await recognizer.started(1);
    // Retry-After: 2 is honoured; the slot frees long before the retry.
    const retried = clientOf(server, { retry: { maxAttempts: 2, maxDelayMs: 5000 } }).recognize(image);
    await new Promise((resolve) => setTimeout(resolve, 100));
    recognizer.release();
    expect((await first).status).toBe(200);
    recognizer.open();

    expect(await retried).toEqual(cannedResult);
    expect(recognizer.calls).toHaveLength(2);
  }, 10_000);
});

describe('what the recognizer gets', () => {
  test('the decoded image and the request options, with a signal', async () => {
    const recognizer = new RecordingRecognizer();
    const server = await serve({ recognizer });
    const options = {
      detect_direction: true,
      quick_mode: false,
      character_mode: true,
      language: 'auto',
      single_orientation_mode: true,
      pdf_page_number: 1,
      return_markdown_result: true,
    };

    const response = await post(server, JSON.stringify({ image: base64(image), ...options }));

    expect(response.status).toBe(200);
    const [call0] = recognizer.calls;
    expect(Buffer.from(call0?.image ?? [])).toEqual(Buffer.from(image));
    const { signal, ...given } = call0?.options ?? {};
    expect(given).toEqual(options);
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(signal?.aborted).toBe(false);
  });

  test('options the request leaves out are left out', async () => {
    const recognizer = new RecordingRecognizer();
    const server = await serve({ recognizer });

    await post(server);

    const { signal: _signal, ...given } = recognizer.calls[0]?.options ?? {};
    expect(given).toEqual({});
  });
});

describe('a recognizer that fails', () => {
  test.each([
    ["an error with code 'AIS.0103'", Object.assign(new Error('Over 160 M pixels.'), { code: 'AIS.0103' }), 'AIS.0103'],
    ["an error with code 'AIS.0104'", Object.assign(new Error('Too blurry.'), { code: 'AIS.0104' }), 'AIS.0104'],
    ['a plain Error', new Error('The model crashed.'), 'AIS.0105'],
    ['a code outside the API table', Object.assign(new Error('Odd.'), { code: 'AIS.9999' }), 'AIS.0105'],
    ['a local code', Object.assign(new Error('Closed.'), { code: 'OCRKIT_ENGINE_CLOSED' }), 'AIS.0105'],
  ])('throwing %s answers 400 %s with its message', async (_name, error, code) => {
    const server = await serve({ recognizer: failingRecognizer(error) });

    const response = await post(server);

    expect({ status: response.status, body: json(response) }).toEqual({
      status: 400,
      body: { error_code: code, error_msg: expect.stringContaining(error.message) },
    });
    expect(response.headers['x-request-id']).toMatch(requestIdPattern);
  });

  test('frees its slot: the next request is served', async () => {
    let calls = 0;
    const server = await serve({
      concurrency: 1,
      maxQueue: 0,
      recognizer: {
        async recognize() {
          calls++;
          if (calls === 1) throw new Error('first call fails');
          return cannedResult;
        },
      },
    });

    expect((await post(server)).status).toBe(400);
    expect((await post(server)).status).toBe(200);
  });
});

describe('a client that disconnects mid-recognition', () => {
  test("aborts the recognizer's signal and frees the slot", async () => {
    const recognizer = gated();
    const server = await serve({ recognizer, concurrency: 1, maxQueue: 0 });

    const outgoing = request(apiUrl(server), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Auth-Token': token },
      agent: false,
    });
    outgoing.on('error', () => {
      // The socket is destroyed on purpose.
    });
    outgoing.end(body);
    await recognizer.started(1);
    const signal = recognizer.calls[0]?.options.signal;
    expect(signal?.aborted).toBe(false);

    outgoing.destroy();

    await vi.waitFor(() => expect(signal?.aborted).toBe(true), { timeout: 2000 });
    await vi.waitFor(async () => expect(await health(server)).toMatchObject({ running: 0, waiting: 0 }));
    recognizer.open();
    expect((await post(server)).status).toBe(200);
  });
});
