import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, onTestFinished, test } from 'vitest';
import { png } from '../../../test/support/images.ts';
import { connectionFromEnv, credentialsFromEnv, OcrClient, type OcrClientOptions } from '../src/index.js';
import { failure } from './failure.js';
import { type Behaviour, type ErrorShape, FaultServer, generalTextResult, reply } from './fault-server.js';

const projectId = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const credentials = { token: 'MIIT-token-obtained-elsewhere' };
const apiPath = `/v2/${projectId}/ocr/general-text`;
// Backoff of at most 5 ms keeps retries fast; it also caps the 2-5 s wait of throttling codes.
const fast = { baseDelayMs: 1, maxDelayMs: 5 };
const body = { image: Buffer.from(png(32, 16)).toString('base64'), quick_mode: true };

let server: FaultServer;

beforeEach(async () => {
  server = await FaultServer.start();
});

afterEach(async () => {
  await server.close();
});

function client(options: Partial<OcrClientOptions> = {}): OcrClient {
  const created = new OcrClient({ endpoint: server.url, projectId, credentials, retry: fast, ...options });
  onTestFinished(() => created.close());
  return created;
}

describe('a call with a token', () => {
  test('POSTs the body as given to /v2/{projectId}/ocr/general-text with X-Auth-Token and returns the result', async () => {
    const result = await client().generalText(body);

    expect(result).toEqual(generalTextResult);
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe(apiPath);
    expect(request?.headers['x-auth-token']).toBe(credentials.token);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers.authorization).toBeUndefined();
    expect(JSON.parse(request?.body ?? '')).toEqual(body);
  });

  test('recognize() sends the image as base64 along with the options', async () => {
    const image = png(64, 32);

    const result = await client().recognize(image, { detect_direction: true, signal: new AbortController().signal });

    expect(result).toEqual(generalTextResult);
    expect(JSON.parse(server.requests[0]?.body ?? '')).toEqual({
      image: Buffer.from(image).toString('base64'),
      detect_direction: true,
    });
  });

  test('recognize() encodes only the bytes of a view into a larger buffer', async () => {
    const image = png(40, 20);
    const framed = new Uint8Array(image.length + 16).fill(0x55);
    framed.set(image, 8);

    await client().recognize(framed.subarray(8, 8 + image.length));

    expect(JSON.parse(server.requests[0]?.body ?? '')).toEqual({ image: Buffer.from(image).toString('base64') });
  });
});

describe('a call signed with an access key', () => {
  test('carries an Authorization the server recomputes from the headers and body it received', async () => {
    server.setDefault(reply.signed({ AK4TEST: 'sk-secret' }));

    const result = await client({ credentials: { accessKey: 'AK4TEST', secretKey: 'sk-secret' } }).generalText(body);

    expect(result).toEqual(generalTextResult);
    const headers = server.requests[0]?.headers ?? {};
    expect(headers.authorization).toMatch(
      /^SDK-HMAC-SHA256 Access=AK4TEST, SignedHeaders=content-type;host;x-sdk-date, Signature=[0-9a-f]{64}$/,
    );
    expect(headers['x-security-token']).toBeUndefined();
    expect(headers['x-auth-token']).toBeUndefined();
  });

  test('with temporary keys sends X-Security-Token and signs it', async () => {
    server.setDefault(reply.signed({ AKTEMP: 'sk-temp' }));
    const keys = { accessKey: 'AKTEMP', secretKey: 'sk-temp', securityToken: 'security-token-of-the-session' };

    const result = await client({ credentials: keys }).generalText(body);

    expect(result).toEqual(generalTextResult);
    const headers = server.requests[0]?.headers ?? {};
    expect(headers['x-security-token']).toBe(keys.securityToken);
    expect(headers.authorization).toContain('SignedHeaders=content-type;host;x-sdk-date;x-security-token,');
  });

  test('a signature the gateway rejects (APIG.0301) fails at once: failed signatures lock the key', async () => {
    server.setDefault(reply.signed({ AK4TEST: 'sk-secret' }));

    const error = await failure(
      client({ credentials: { accessKey: 'AK4TEST', secretKey: 'a-wrong-secret' } }).generalText(body),
    );

    expect(error.code).toBe('APIG.0301');
    expect(error.status).toBe(401);
    expect(error.retryable).toBe(false);
    expect(server.requests).toHaveLength(1);
  });
});

describe('retries', () => {
  test.each([
    [429, 'OCR.9429'],
    [503, 'ModelArts.4403'],
  ])('HTTP %i %s with Retry-After: 1 waits a second before the retry', async (status, code) => {
    // Codes outside the throttling set: without the header the 1 ms backoff would apply.
    server.script(reply.error(status, code, { headers: { 'retry-after': '1' } }));
    const started = performance.now();

    const result = await client({ retry: { baseDelayMs: 1, maxDelayMs: 2000 } }).generalText(body);

    expect(result).toEqual(generalTextResult);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1000);
    const [first, second] = server.requests;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(server.requests).toHaveLength(2);
  });

  test.each([
    [429, 'APIG.0308'],
    [429, 'ModelArts.4401'],
    [504, 'ModelArts.4402'],
    [503, 'ModelArts.4403'],
    [500, 'ModelArts.4302'],
    [500, 'ModelArts.4505'],
    [504, 'APIG.0201'],
    [503, 'OCR.9503'],
    [500, 'OCR.9500'],
    [429, 'OCR.9429'],
  ])('HTTP %i %s is retried and the next attempt succeeds', async (status, code) => {
    server.script(reply.error(status, code));

    const result = await client().generalText(body);

    expect(result).toEqual(generalTextResult);
    expect(server.requests).toHaveLength(2);
  });

  test.each([
    ['before the response', reply.reset()],
    ['after the response headers', reply.resetAfterHeaders()],
  ])('a connection reset %s is retried and the next attempt succeeds', async (_, reset) => {
    server.script(reset);

    const result = await client().generalText(body);

    expect(result).toEqual(generalTextResult);
    expect(server.requests).toHaveLength(2);
  });

  test.each([
    ['before the response', reply.reset()],
    ['after the response headers', reply.resetAfterHeaders()],
  ])('a connection reset %s fails the attempt with OCRKIT_NETWORK', async (_, reset) => {
    server.setDefault(reset);

    const error = await failure(client({ retry: false }).generalText(body));

    expect(error.code).toBe('OCRKIT_NETWORK');
    expect(error.retryable).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  test('a connection reset on every attempt fails with OCRKIT_NETWORK after exactly maxAttempts requests', async () => {
    server.setDefault(reply.reset());

    const error = await failure(client({ retry: { ...fast, maxAttempts: 3 } }).generalText(body));

    expect(error.code).toBe('OCRKIT_NETWORK');
    expect(error.status).toBeUndefined();
    expect(error.retryable).toBe(true);
    expect(error.cause).toBeInstanceOf(Error);
    expect(server.requests).toHaveLength(3);
  });

  test('an attempt that gets no answer times out and the retry succeeds', async () => {
    server.script(reply.stall());

    const result = await client({ timeoutMs: 150 }).generalText(body);

    expect(result).toEqual(generalTextResult);
    expect(server.requests).toHaveLength(2);
  });

  test('when no attempt is answered the call fails with OCRKIT_TIMEOUT after timeoutMs per attempt', async () => {
    server.setDefault(reply.stall());
    const started = performance.now();

    const error = await failure(client({ timeoutMs: 150, retry: { ...fast, maxAttempts: 2 } }).generalText(body));

    expect(error.code).toBe('OCRKIT_TIMEOUT');
    expect(error.retryable).toBe(true);
    expect(server.requests).toHaveLength(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(2 * 150);
  });

  test.each([
    [400, 'AIS.0101'],
    [400, 'AIS.0102'],
    [400, 'AIS.0103'],
    [401, 'APIG.0301'],
    [403, 'ModelArts.4203'],
    [403, 'ModelArts.4204'],
    [401, 'ModelArts.4101'],
    [400, 'OCR.9400'],
    [401, 'OCR.9401'],
    [403, 'OCR.9403'],
  ])('HTTP %i %s is never retried', async (status, code) => {
    server.setDefault(reply.error(status, code));

    const error = await failure(client().generalText(body));

    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
    expect(error.retryable).toBe(false);
    expect(server.requests).toHaveLength(1);
  });

  test('retry: false makes a single attempt even for a retryable error', async () => {
    server.setDefault(reply.error(503, 'ModelArts.4403'));

    const error = await failure(client({ retry: false }).generalText(body));

    expect(error.code).toBe('ModelArts.4403');
    expect(error.retryable).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  test('a Retry-After longer than maxDelayMs ends the retries and reports retryAfterMs', async () => {
    server.setDefault(reply.error(429, 'APIG.0308', { headers: { 'retry-after': '120' } }));

    const error = await failure(client({ retry: { baseDelayMs: 1, maxDelayMs: 1000 } }).generalText(body));

    expect(error.code).toBe('APIG.0308');
    expect(error.status).toBe(429);
    expect(error.retryAfterMs).toBe(120_000);
    expect(server.requests).toHaveLength(1);
  });
});

describe('errors', () => {
  test('an OcrError carries the code, status, X-Request-Id and whether a retry may succeed', async () => {
    server.setDefault(
      reply.error(500, 'ModelArts.4505', { message: 'Internal error.', headers: { 'x-request-id': 'req-0042' } }),
    );

    const error = await failure(client({ retry: false }).generalText(body));

    expect(error.name).toBe('OcrError');
    expect(error.code).toBe('ModelArts.4505');
    expect(error.status).toBe(500);
    expect(error.requestId).toBe('req-0042');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('Internal error.');
  });

  test("the body's request_id is the requestId when there is no X-Request-Id header", async () => {
    server.setDefault(reply.error(400, 'AIS.0101', { requestId: 'gw-7f3a' }));

    const error = await failure(client().generalText(body));

    expect(error.requestId).toBe('gw-7f3a');
  });

  test.each<[ErrorShape]>([['error_code'], ['errorCode'], ['code'], ['nested']])(
    'an error body of the %s shape gives its code and message',
    async (shape) => {
      server.setDefault(reply.error(400, 'AIS.0104', { shape, message: 'The image quality is poor.' }));

      const error = await failure(client().generalText(body));

      expect(error.code).toBe('AIS.0104');
      expect(error.status).toBe(400);
      expect(error.message).toContain('The image quality is poor.');
      expect(server.requests).toHaveLength(1);
    },
  );

  test.each<[string, Behaviour]>([
    ['text that is not JSON', reply.text(200, 'OK, recognised', 'text/plain')],
    ['JSON without a result', reply.json(200, { status: 'ok' })],
    ['a result without words_block_list', reply.json(200, { result: { direction: -1 } })],
    ['a body over 32 MiB', reply.text(200, `{"result":"${'x'.repeat(32 * 1024 * 1024)}"}`, 'application/json')],
  ])('a 200 with %s is OCRKIT_BAD_RESPONSE and not retried', async (_, behaviour) => {
    server.setDefault(behaviour);

    const error = await failure(client().generalText(body));

    expect(error.code).toBe('OCRKIT_BAD_RESPONSE');
    expect(error.status).toBe(200);
    expect(error.retryable).toBe(false);
    expect(server.requests).toHaveLength(1);
  });

  test("a proxy's HTML 502 is OCRKIT_BAD_RESPONSE with status 502, and retried", async () => {
    server.setDefault(reply.text(502, '<html><body><h1>502 Bad Gateway</h1></body></html>', 'text/html'));

    const error = await failure(client({ retry: { ...fast, maxAttempts: 2 } }).generalText(body));

    expect(error.code).toBe('OCRKIT_BAD_RESPONSE');
    expect(error.status).toBe(502);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('502 Bad Gateway');
    expect(server.requests).toHaveLength(2);
  });

  test("a proxy's HTML 502 followed by a success gives the result", async () => {
    server.script(reply.text(502, '<html><body><h1>502 Bad Gateway</h1></body></html>', 'text/html'));

    expect(await client().generalText(body)).toEqual(generalTextResult);
    expect(server.requests).toHaveLength(2);
  });
});

describe('abort', () => {
  test('aborting a stalled attempt rejects with OCRKIT_ABORTED at once and does not retry', async () => {
    server.setDefault(reply.stall());
    const controller = new AbortController();
    const call = failure(client().generalText(body, { signal: controller.signal }));
    await server.waitForRequests(1);
    const abortedAt = performance.now();

    controller.abort(new Error('user cancelled'));
    const error = await call;

    expect(error.code).toBe('OCRKIT_ABORTED');
    expect(error.cause).toBe(controller.signal.reason);
    expect(performance.now() - abortedAt).toBeLessThan(1000);
    expect(server.requests).toHaveLength(1);
  });

  test('aborting during the wait before a retry rejects with OCRKIT_ABORTED without the retry', async () => {
    server.script(reply.error(429, 'APIG.0308', { headers: { 'retry-after': '5' } }));
    const controller = new AbortController();
    const call = failure(
      client({ retry: { baseDelayMs: 1, maxDelayMs: 10_000 } }).generalText(body, { signal: controller.signal }),
    );
    await server.waitForRequests(1);
    await delay(100); // the 429 has arrived: the client sleeps out the Retry-After
    const abortedAt = performance.now();

    controller.abort();
    const error = await call;

    expect(error.code).toBe('OCRKIT_ABORTED');
    expect(performance.now() - abortedAt).toBeLessThan(1000);
    expect(server.requests).toHaveLength(1);
  });

  test('a signal aborted before the call sends nothing', async () => {
    const ocr = client();

    const fromGeneralText = await failure(ocr.generalText(body, { signal: AbortSignal.abort() }));
    const fromRecognize = await failure(ocr.recognize(png(32, 32), { signal: AbortSignal.abort() }));

    expect(fromGeneralText.code).toBe('OCRKIT_ABORTED');
    expect(fromRecognize.code).toBe('OCRKIT_ABORTED');
    expect(server.requests).toHaveLength(0);
  });

  test('a call waiting for a free slot is dropped when its signal aborts', async () => {
    server.setDefault(reply.stall());
    const ocr = client({ maxConcurrency: 1 });
    const first = new AbortController();
    const second = new AbortController();
    const running = failure(ocr.generalText(body, { signal: first.signal }));
    await server.waitForRequests(1);
    const waiting = failure(ocr.generalText(body, { signal: second.signal }));

    second.abort();
    const error = await waiting;
    first.abort();
    await running;

    expect(error.code).toBe('OCRKIT_ABORTED');
    expect(server.requests).toHaveLength(1);
  });
});

describe('concurrency', () => {
  test('20 parallel calls with maxConcurrency 3 keep exactly 3 requests in flight', async () => {
    server.setDefault(reply.success({ delayMs: 50 }));
    const ocr = client({ maxConcurrency: 3 });

    const results = await Promise.all(Array.from({ length: 20 }, () => ocr.generalText(body)));

    expect(results).toHaveLength(20);
    for (const result of results) expect(result).toEqual(generalTextResult);
    expect(server.requests).toHaveLength(20);
    expect(server.maxInFlight).toBe(3);
  });
});

describe('concurrency while waiting', () => {
  test('a call waiting to retry gives its slot to the next call', async () => {
    server.script(reply.error(429, 'APIG.0308'));
    const ocr = client({ maxConcurrency: 1, retry: { baseDelayMs: 1, maxDelayMs: 300 } });
    const settled: string[] = [];
    const started = performance.now();

    await Promise.all([
      ocr.generalText({ url: 'https://example.com/throttled.png' }).then(() => settled.push('throttled')),
      ocr.generalText({ url: 'https://example.com/next.png' }).then(() => settled.push('next')),
    ]);

    // APIG.0308 without Retry-After waits the vendor's 2-5 s, capped here at maxDelayMs.
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
    expect(settled).toEqual(['next', 'throttled']);
    expect(server.requests.map((request) => JSON.parse(request.body).url)).toEqual([
      'https://example.com/throttled.png',
      'https://example.com/next.png',
      'https://example.com/throttled.png',
    ]);
  });
});

describe('recognize() checks the image before sending', () => {
  test('a side over 4096 px is AIS.0103 and sends nothing', async () => {
    const error = await failure(client().recognize(png(5000, 20)));

    expect(error.code).toBe('AIS.0103');
    expect(error.status).toBeUndefined();
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('5000x20');
    expect(server.requests).toHaveLength(0);
  });

  test('bytes that are no image are AIS.0102 and send nothing', async () => {
    const error = await failure(client().recognize(new TextEncoder().encode('just some text, not an image')));

    expect(error.code).toBe('AIS.0102');
    expect(error.retryable).toBe(false);
    expect(server.requests).toHaveLength(0);
  });

  test('limits: "current" lets the 5000 px side through to the service', async () => {
    const result = await client({ limits: 'current' }).recognize(png(5000, 20));

    expect(result).toEqual(generalTextResult);
    expect(server.requests).toHaveLength(1);
  });
});

describe('credentialsFromEnv', () => {
  test.each([
    ['OCRKIT_TOKEN', { OCRKIT_TOKEN: 't0k' }, { token: 't0k' }],
    [
      'an access key pair',
      { HUAWEICLOUD_SDK_AK: 'AK', HUAWEICLOUD_SDK_SK: 'SK' },
      { accessKey: 'AK', secretKey: 'SK' },
    ],
    [
      'temporary keys',
      { HUAWEICLOUD_SDK_AK: 'AK', HUAWEICLOUD_SDK_SK: 'SK', HUAWEICLOUD_SDK_SECURITY_TOKEN: 'ST' },
      { accessKey: 'AK', secretKey: 'SK', securityToken: 'ST' },
    ],
    [
      'IAM user variables',
      { OCRKIT_IAM_USERNAME: 'u', OCRKIT_IAM_PASSWORD: 'p', OCRKIT_IAM_DOMAIN: 'd' },
      { iam: { username: 'u', password: 'p', domain: 'd' } },
    ],
    [
      'IAM user variables with an endpoint',
      { OCRKIT_IAM_USERNAME: 'u', OCRKIT_IAM_PASSWORD: 'p', OCRKIT_IAM_DOMAIN: 'd', OCRKIT_IAM_ENDPOINT: 'http://iam' },
      { iam: { username: 'u', password: 'p', domain: 'd', endpoint: 'http://iam' } },
    ],
    [
      'a token before an access key',
      { OCRKIT_TOKEN: 't0k', HUAWEICLOUD_SDK_AK: 'AK', HUAWEICLOUD_SDK_SK: 'SK' },
      { token: 't0k' },
    ],
    ['nothing', { OCRKIT_TOKEN: '', PATH: '/usr/bin' }, undefined],
  ])('reads %s', (_, env, expected) => {
    expect(credentialsFromEnv(env)).toEqual(expected);
  });

  test.each([
    ['an access key without a secret key', { HUAWEICLOUD_SDK_AK: 'AK' }, /HUAWEICLOUD_SDK_SK/],
    ['a secret key without an access key', { HUAWEICLOUD_SDK_SK: 'SK' }, /HUAWEICLOUD_SDK_AK/],
    ['an IAM user without a domain', { OCRKIT_IAM_USERNAME: 'u', OCRKIT_IAM_PASSWORD: 'p' }, /OCRKIT_IAM_DOMAIN/],
  ])('throws a TypeError for %s', (_, env, message) => {
    expect(() => credentialsFromEnv(env)).toThrow(TypeError);
    expect(() => credentialsFromEnv(env)).toThrow(message);
  });
});

describe('connectionFromEnv', () => {
  test('reads the project, region and credentials', () => {
    const env = { OCRKIT_TOKEN: 't0k', OCRKIT_PROJECT_ID: projectId, OCRKIT_REGION: 'cn-east-3' };

    expect(connectionFromEnv(env)).toEqual({ projectId, region: 'cn-east-3', credentials: { token: 't0k' } });
  });

  test("falls back to the vendor SDK's variables and reads OCRKIT_ENDPOINT", () => {
    const env = {
      HUAWEICLOUD_SDK_AK: 'AK',
      HUAWEICLOUD_SDK_SK: 'SK',
      HUAWEICLOUD_SDK_PROJECT_ID: 'p-1',
      HUAWEICLOUD_SDK_REGION: 'ap-southeast-1',
      OCRKIT_ENDPOINT: 'http://127.0.0.1:8086',
    };

    expect(connectionFromEnv(env)).toEqual({
      projectId: 'p-1',
      region: 'ap-southeast-1',
      endpoint: 'http://127.0.0.1:8086',
      credentials: { accessKey: 'AK', secretKey: 'SK' },
    });
  });

  test('gives options a client accepts', () => {
    const ocr = new OcrClient(
      connectionFromEnv({ OCRKIT_TOKEN: 't0k', OCRKIT_PROJECT_ID: 'p-1', OCRKIT_REGION: 'cn-north-4' }),
    );
    onTestFinished(() => ocr.close());

    expect(ocr.url).toBe('https://ocr.cn-north-4.myhuaweicloud.com/v2/p-1/ocr/general-text');
  });

  test.each([
    ['no project id', { OCRKIT_TOKEN: 't', OCRKIT_REGION: 'cn-north-4' }, /OCRKIT_PROJECT_ID/],
    ['no region or endpoint', { OCRKIT_TOKEN: 't', OCRKIT_PROJECT_ID: 'p' }, /OCRKIT_REGION/],
    ['no credentials', { OCRKIT_PROJECT_ID: 'p', OCRKIT_REGION: 'cn-north-4' }, /OCRKIT_TOKEN/],
    ['an access key without a secret key', { HUAWEICLOUD_SDK_AK: 'AK', OCRKIT_PROJECT_ID: 'p' }, /HUAWEICLOUD_SDK_SK/],
  ])('throws a TypeError naming what to set for %s', (_, env, message) => {
    expect(() => connectionFromEnv(env)).toThrow(TypeError);
    expect(() => connectionFromEnv(env)).toThrow(message);
  });
});

describe('new OcrClient()', () => {
  test.each([
    ['cn-north-4', 'https://ocr.cn-north-4.myhuaweicloud.com'],
    ['cn-east-3', 'https://ocr.cn-east-3.myhuaweicloud.com'],
    ['ap-southeast-1', 'https://ocr.ap-southeast-1.myhuaweicloud.com'],
  ])('region %s calls %s/v2/{projectId}/ocr/general-text', (region, origin) => {
    const ocr = new OcrClient({ region, projectId, credentials });
    onTestFinished(() => ocr.close());

    expect(ocr.url).toBe(`${origin}/v2/${projectId}/ocr/general-text`);
  });

  test('an endpoint wins over the region and loses its trailing slashes', () => {
    const ocr = new OcrClient({ endpoint: 'http://127.0.0.1:8086//', region: 'cn-north-4', projectId, credentials });
    onTestFinished(() => ocr.close());

    expect(ocr.url).toBe(`http://127.0.0.1:8086/v2/${projectId}/ocr/general-text`);
  });

  const endpoint = 'http://127.0.0.1:8086';
  test.each<[string, OcrClientOptions, RegExp]>([
    ['neither endpoint nor region', { projectId, credentials }, /endpoint or region/],
    ['an endpoint that is not http(s)', { endpoint: 'ftp://127.0.0.1/', projectId, credentials }, /http\(s\) URL/],
    ['a region that is not a region name', { region: 'CN North 4', projectId, credentials }, /region must look like/],
    ['a project id holding "/"', { endpoint, projectId: 'a/b', credentials }, /projectId/],
    ['an empty token', { endpoint, projectId, credentials: { token: '' } }, /credentials must be/],
    [
      'an access key without a secret key',
      { endpoint, projectId, credentials: { accessKey: 'AK' } as never },
      /credentials must be/,
    ],
    ['credentials of no known kind', { endpoint, projectId, credentials: {} as never }, /credentials must be/],
    [
      'IAM credentials without a domain',
      { endpoint, projectId, credentials: { iam: { username: 'u', password: 'p' } } as never },
      /credentials must be/,
    ],
    [
      'IAM credentials without a region or projectName',
      { endpoint, projectId, credentials: { iam: { username: 'u', password: 'p', domain: 'd' } } },
      /need a project/,
    ],
  ])('throws a TypeError for %s', (_, options, message) => {
    const create = () => new OcrClient(options);

    expect(create).toThrow(TypeError);
    expect(create).toThrow(message);
  });
});
