import type { GeneralTextRequest } from '@ocrkit/protocol';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { base64, gif, png } from '../../../test/support/images.ts';
import { failure } from '../../client/test/failure.ts';
import type { RequestLog } from '../src/index.js';
import { raw as call, exchange, json, parseResponse, type RawResponse } from './http.js';
import { cannedResult, RecordingRecognizer } from './recognizers.js';
import { apiUrl, clientOf, closeAll, projectId, requestIdPattern, serve, token } from './servers.js';

afterEach(closeAll);

const image = base64(png(32, 32));

/** A body the API rejects, the status and code it answers with. */
const invalidBodies: [name: string, body: unknown, status: number, code: string][] = [
  ['both image and url', { image, url: 'https://example.com/a.png' }, 400, 'AIS.0101'],
  ['neither image nor url', { detect_direction: true }, 400, 'AIS.0101'],
  ['an empty object', {}, 400, 'AIS.0101'],
  ['image that is a number', { image: 123 }, 400, 'AIS.0101'],
  ['image that is an empty string', { image: '' }, 400, 'AIS.0101'],
  ['url that is a number', { url: 42 }, 400, 'AIS.0101'],
  ['detect_direction that is a string', { image, detect_direction: 'yes' }, 400, 'AIS.0101'],
  ['quick_mode that is a number', { image, quick_mode: 1 }, 400, 'AIS.0101'],
  ['pdf_page_number 0', { image, pdf_page_number: 0 }, 400, 'AIS.0101'],
  ['a JSON array', [image], 400, 'AIS.0101'],
  ['a JSON string', image, 400, 'AIS.0101'],
  ['image that is not base64', { image: 'not base64 at all!' }, 400, 'AIS.0102'],
  ['image in URL-safe base64', { image: `${image.slice(0, 8)}-_${image.slice(10)}` }, 400, 'AIS.0102'],
  ['image with a data: prefix', { image: `data:image/png;base64,${image}` }, 400, 'AIS.0102'],
  ['a GIF (not a seed format)', { image: base64(gif(32, 32)) }, 400, 'AIS.0102'],
  ['bytes that are no image', { image: base64(Buffer.from('plain text, not an image at all')) }, 400, 'AIS.0102'],
  ['an image 14 px wide', { image: base64(png(14, 100)) }, 400, 'AIS.0103'],
  ['an image 14 px high', { image: base64(png(100, 14)) }, 400, 'AIS.0103'],
  ['an image 4097 px wide', { image: base64(png(4097, 15)) }, 400, 'AIS.0103'],
  ['an image 4097 px high', { image: base64(png(15, 4097)) }, 400, 'AIS.0103'],
];

const malformedBodies: [name: string, body: string | Uint8Array][] = [
  ['truncated JSON', '{"image":"iVBOR'],
  ['text that is not JSON', 'image=iVBORw0KGgo'],
  ['an empty body', ''],
  ['bytes that are not UTF-8', Uint8Array.from([0x7b, 0x22, 0x69, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
];

function post(url: string, body: string | Uint8Array): Promise<RawResponse> {
  return call(url, { headers: { 'Content-Type': 'application/json', 'X-Auth-Token': token }, body });
}

function expectApiError(response: RawResponse, status: number, code: string): void {
  expect({ status: response.status, body: json(response) }).toEqual({
    status,
    body: { error_code: code, error_msg: expect.any(String) },
  });
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expect(response.headers['x-request-id']).toMatch(requestIdPattern);
}

describe('a body the API rejects', () => {
  test.each(invalidBodies)(
    '%s is %i %s over raw HTTP, and nothing is recognized',
    async (_name, body, status, code) => {
      const recognizer = new RecordingRecognizer();
      const server = await serve({ recognizer });

      const response = await post(apiUrl(server), JSON.stringify(body));

      expectApiError(response, status, code);
      expect(recognizer.calls).toHaveLength(0);
    },
  );

  test.each(invalidBodies)('%s is %i %s through OcrClient', async (_name, body, status, code) => {
    const server = await serve({ recognizer: new RecordingRecognizer() });

    const error = await failure(clientOf(server).generalText(body as GeneralTextRequest));

    expect({ code: error.code, status: error.status, retryable: error.retryable }).toEqual({
      code,
      status,
      retryable: false,
    });
    expect(error.requestId).toMatch(requestIdPattern);
  });

  test.each(malformedBodies)('%s is 400 ModelArts.4105', async (_name, body) => {
    const recognizer = new RecordingRecognizer();
    const server = await serve({ recognizer });

    expectApiError(await post(apiUrl(server), body), 400, 'ModelArts.4105');
    expect(recognizer.calls).toHaveLength(0);
  });

  test('images of exactly 15 px and 4096 px sides are accepted (the limits are inclusive)', async () => {
    const recognizer = new RecordingRecognizer();
    const server = await serve({ recognizer });

    for (const [width, height] of [
      [15, 15],
      [4096, 15],
      [15, 4096],
    ] as const) {
      const response = await post(apiUrl(server), JSON.stringify({ image: base64(png(width, height)) }));
      expect({ size: `${width}x${height}`, status: response.status, body: json(response) }).toEqual({
        size: `${width}x${height}`,
        status: 200,
        body: { result: cannedResult },
      });
    }
    expect(recognizer.calls).toHaveLength(3);
  });

  test('the message names what was wrong', async () => {
    const server = await serve({ recognizer: new RecordingRecognizer() });

    const response = await post(apiUrl(server), JSON.stringify({ image: base64(png(14, 100)) }));

    expect((json(response) as { error_msg: string }).error_msg).toContain('14x100');
  });
});

describe('a path that is not the API', () => {
  test.each([
    ['GET', '/'],
    ['POST', `/v2/${projectId}/ocr/handwriting`],
    ['POST', '/v2//ocr/general-text'],
    ['POST', `/v1/${projectId}/ocr/general-text`],
    ['GET', `/v2/${projectId}/ocr/general-text`],
    ['PUT', `/v2/${projectId}/ocr/general-text`],
    ['POST', '/health'],
  ])('%s %s is 404 APIG.0101', async (method, path) => {
    const recognizer = new RecordingRecognizer();
    const server = await serve({ recognizer });

    const response = await call(`${server.url}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', 'X-Auth-Token': token },
      ...(method === 'GET' ? {} : { body: JSON.stringify({ image }) }),
    });

    expectApiError(response, 404, 'APIG.0101');
    expect(recognizer.calls).toHaveLength(0);
  });

  test('the API path with a trailing slash or a query is the API', async () => {
    const server = await serve({ recognizer: new RecordingRecognizer() });

    for (const url of [`${apiUrl(server)}/`, `${apiUrl(server)}?trace=1`]) {
      const response = await post(url, JSON.stringify({ image }));
      expect({ url, status: response.status }).toEqual({ url, status: 200 });
    }
  });
});

describe('GET /health', () => {
  test('is 200 JSON with the queue counts, without credentials', async () => {
    const server = await serve({ recognizer: new RecordingRecognizer() });

    const response = await call(`${server.url}/health`, { method: 'GET' });

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(json(response)).toMatchObject({ status: 'ok', running: 0, waiting: 0 });
    expect(response.headers['x-request-id']).toMatch(requestIdPattern);
  });
});

describe('X-Request-Id', () => {
  test('every response carries its own: success, errors and /health', async () => {
    const server = await serve({ recognizer: new RecordingRecognizer(), tokens: [token] });
    const url = apiUrl(server);

    const responses = await Promise.all([
      post(url, JSON.stringify({ image })),
      post(url, JSON.stringify({ image, url: 'https://example.com/a.png' })),
      post(url, '{'),
      call(url, { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ image }) }),
      call(url, { headers: { 'X-Auth-Token': 'not-a-token-we-know' }, body: JSON.stringify({ image }) }),
      call(`${server.url}/nowhere`, { method: 'GET' }),
      call(`${server.url}/health`, { method: 'GET' }),
    ]);

    expect(responses.map((response) => response.status)).toEqual([200, 400, 400, 401, 401, 404, 200]);
    const ids = responses.map((response) => response.headers['x-request-id']);
    for (const id of ids) expect(id).toMatch(requestIdPattern);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('a response Node writes itself (431 for a header section over 64 KiB) carries one too', async () => {
    const server = await serve({ recognizer: new RecordingRecognizer() });
    const head = `GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Auth-Token: ${'a'.repeat(70 * 1024)}\r\n\r\n`;

    const response = parseResponse((await exchange(server.url, head, '')).received);

    expect(response.status).toBe(431);
    expect(response.headers['x-request-id']).toMatch(requestIdPattern);
  });

  test('OcrClient reports it on success and failure alike', async () => {
    const server = await serve({ recognizer: new RecordingRecognizer() });
    const client = clientOf(server);

    const error = await failure(client.generalText({ image: 'not base64!' }));

    expect(error.code).toBe('AIS.0102');
    expect(error.requestId).toMatch(requestIdPattern);
  });
});

describe('the request log', () => {
  test('has one line per request with its id, method, path, status, time and error code', async () => {
    const lines: RequestLog[] = [];
    const server = await serve({ recognizer: new RecordingRecognizer(), log: (line) => lines.push(line) });
    const url = apiUrl(server);

    const responses = [
      await call(`${server.url}/health?verbose=1`, { method: 'GET' }),
      await post(url, JSON.stringify({ image })),
      await call(url, { body: JSON.stringify({ image }) }),
      await call(`${server.url}/nowhere`, { method: 'GET' }),
    ];

    await vi.waitFor(() => expect(lines).toHaveLength(4));
    expect(lines.map(({ time, ms, ...rest }) => rest)).toEqual([
      { id: responses[0]?.headers['x-request-id'], method: 'GET', path: '/health', status: 200 },
      {
        id: responses[1]?.headers['x-request-id'],
        method: 'POST',
        path: `/v2/${projectId}/ocr/general-text`,
        status: 200,
      },
      {
        id: responses[2]?.headers['x-request-id'],
        method: 'POST',
        path: `/v2/${projectId}/ocr/general-text`,
        status: 401,
        code: 'ModelArts.4101',
      },
      { id: responses[3]?.headers['x-request-id'], method: 'GET', path: '/nowhere', status: 404, code: 'APIG.0101' },
    ]);
    for (const line of lines) {
      expect(Number.isInteger(line.ms) && line.ms >= 0).toBe(true);
      expect(Number.isNaN(Date.parse(line.time))).toBe(false);
    }
  });
});
