import { createServer } from 'node:net';
import { isOcrError } from '@ocrkit/client';
import { seedLimits } from '@ocrkit/protocol';
import { afterEach, describe, expect, test } from 'vitest';
import { noisyPng, png } from '../../../test/support/images.ts';
import { raw as call, json, type RawResponse } from './http.js';
import { cannedResult, RecordingRecognizer } from './recognizers.js';
import { apiUrl, clientOf, closeAll, imageServer, requestIdPattern, serve, servesImage, token } from './servers.js';

afterEach(closeAll);

const image = png(40, 20);

function postUrl(apiEndpoint: string, url: string): Promise<RawResponse> {
  return call(apiEndpoint, {
    headers: { 'Content-Type': 'application/json', 'X-Auth-Token': token },
    body: JSON.stringify({ url }),
  });
}

function expectApiError(response: RawResponse, status: number, code: string): void {
  expect({ status: response.status, body: json(response) }).toEqual({
    status,
    body: { error_code: code, error_msg: expect.any(String) },
  });
  expect(response.headers['x-request-id']).toMatch(requestIdPattern);
}

/** A TCP port nothing listens on: taken from the OS, then released. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('url mode with allowPrivateUrls', () => {
  test('fetches the image and recognizes exactly its bytes, with the request options', async () => {
    const images = await imageServer(servesImage(image));
    const recognizer = new RecordingRecognizer();
    const server = await serve({ recognizer, allowPrivateUrls: true });

    const response = await call(apiUrl(server), {
      headers: { 'Content-Type': 'application/json', 'X-Auth-Token': token },
      body: JSON.stringify({ url: `${images.url}/scan.png?v=1`, detect_direction: true }),
    });

    expect({ status: response.status, body: json(response) }).toEqual({ status: 200, body: { result: cannedResult } });
    expect(images.paths).toEqual(['/scan.png?v=1']);
    expect(recognizer.calls.map((c) => Buffer.from(c.image))).toEqual([Buffer.from(image)]);
    expect(recognizer.calls[0]?.options.detect_direction).toBe(true);
  });

  test('OcrClient.generalText with a url gets the result', async () => {
    const images = await imageServer(servesImage(image));
    const server = await serve({ recognizer: new RecordingRecognizer(), allowPrivateUrls: true });

    expect(await clientOf(server).generalText({ url: `${images.url}/scan.png` })).toEqual(cannedResult);
  });

  test('follows a redirect to the image', async () => {
    const images = await imageServer((request, response) => {
      if (request.url === '/old.png') response.writeHead(302, { location: '/new.png' }).end();
      else servesImage(image)(request, response);
    });
    const recognizer = new RecordingRecognizer();
    const server = await serve({ recognizer, allowPrivateUrls: true });

    const response = await postUrl(apiUrl(server), `${images.url}/old.png`);

    expect(response.status).toBe(200);
    expect(images.paths).toEqual(['/old.png', '/new.png']);
    expect(recognizer.calls).toHaveLength(1);
  });

  test('a 404 from the image server is 400 ModelArts.4603', async () => {
    const images = await imageServer((_request, response) => response.writeHead(404).end('not here'));
    const recognizer = new RecordingRecognizer();
    const server = await serve({ recognizer, allowPrivateUrls: true });

    expectApiError(await postUrl(apiUrl(server), `${images.url}/missing.png`), 400, 'ModelArts.4603');
    expect(images.paths).toEqual(['/missing.png']);
    expect(recognizer.calls).toHaveLength(0);
  });

  test('a refused connection is 400 ModelArts.4603', async () => {
    const port = await closedPort();
    const server = await serve({ recognizer: new RecordingRecognizer(), allowPrivateUrls: true });

    expectApiError(await postUrl(apiUrl(server), `http://127.0.0.1:${port}/x.png`), 400, 'ModelArts.4603');
  });

  test('an image server that stalls past urlTimeoutMs is 400 ModelArts.4603, soon after the timeout', async () => {
    const images = await imageServer(() => {
      // Never answers; closeAll ends the connection.
    });
    const server = await serve({ recognizer: new RecordingRecognizer(), allowPrivateUrls: true, urlTimeoutMs: 300 });

    const started = performance.now();
    const response = await postUrl(apiUrl(server), `${images.url}/slow.png`);
    const elapsedMs = performance.now() - started;

    expectApiError(response, 400, 'ModelArts.4603');
    expect(images.paths).toEqual(['/slow.png']);
    expect(elapsedMs).toBeGreaterThanOrEqual(250);
    expect(elapsedMs).toBeLessThan(3000);
  });

  test('more than five redirects is 400 ModelArts.4603', async () => {
    const images = await imageServer((request, response) => {
      const hop = Number(request.url?.slice(1) ?? 0);
      response.writeHead(302, { location: `/${hop + 1}` }).end();
    });
    const server = await serve({ recognizer: new RecordingRecognizer(), allowPrivateUrls: true });

    expectApiError(await postUrl(apiUrl(server), `${images.url}/0`), 400, 'ModelArts.4603');
    expect(images.paths).toEqual(['/0', '/1', '/2', '/3', '/4', '/5']);
  });

  describe('an image over the size cap (maxBase64Bytes 4096, so 3072 bytes)', () => {
    const limits = { ...seedLimits, maxBase64Bytes: 4096 };

    test('is 400 AIS.0103', async () => {
      const big = noisyPng(64, 64);
      expect(big.byteLength).toBeGreaterThan(3072);
      const images = await imageServer(servesImage(big));
      const recognizer = new RecordingRecognizer();
      const server = await serve({ recognizer, allowPrivateUrls: true, limits });

      expectApiError(await postUrl(apiUrl(server), `${images.url}/big.png`), 400, 'AIS.0103');
      expect(recognizer.calls).toHaveLength(0);
    });

    test('is 400 AIS.0103 while an endless body is still streaming', async () => {
      const images = await imageServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'image/png' });
        const header = Buffer.from(png(100, 100));
        response.write(header);
        const pump = setInterval(() => {
          if (response.destroyed) clearInterval(pump);
          else response.write(Buffer.alloc(1024, 0x42));
        }, 1);
        response.on('close', () => clearInterval(pump));
      });
      const server = await serve({ recognizer: new RecordingRecognizer(), allowPrivateUrls: true, limits });

      expectApiError(await postUrl(apiUrl(server), `${images.url}/endless.png`), 400, 'AIS.0103');
    });

    test('an image under the cap is recognized (the control)', async () => {
      const small = noisyPng(40, 40);
      expect(small.byteLength).toBeLessThan(3072);
      const images = await imageServer(servesImage(small));
      const server = await serve({ recognizer: new RecordingRecognizer(), allowPrivateUrls: true, limits });

      expect((await postUrl(apiUrl(server), `${images.url}/small.png`)).status).toBe(200);
    });
  });

  test('fetched bytes that are no image are 400 AIS.0102', async () => {
    const images = await imageServer(servesImage(Buffer.from('<html>not an image</html>'), 'text/html'));
    const server = await serve({ recognizer: new RecordingRecognizer(), allowPrivateUrls: true });

    expectApiError(await postUrl(apiUrl(server), `${images.url}/page.html`), 400, 'AIS.0102');
  });

  test('a fetched image 10 px wide is 400 AIS.0103', async () => {
    const images = await imageServer(servesImage(png(10, 40)));
    const server = await serve({ recognizer: new RecordingRecognizer(), allowPrivateUrls: true });

    expectApiError(await postUrl(apiUrl(server), `${images.url}/tiny.png`), 400, 'AIS.0103');
  });
});

describe('url mode by default (private addresses refused)', () => {
  // Each URL, if fetched, would reach the image server on 127.0.0.1 or another internal address.
  test.each([
    ['loopback 127.0.0.1', (port: number) => `http://127.0.0.1:${port}/x.png`],
    ['a DNS name resolving to loopback', (port: number) => `http://localhost:${port}/x.png`],
    ['IPv6 loopback', (port: number) => `http://[::1]:${port}/x.png`],
    ['IPv4-mapped IPv6 loopback', (port: number) => `http://[::ffff:127.0.0.1]:${port}/x.png`],
    ['IPv4-compatible IPv6 loopback', (port: number) => `http://[::127.0.0.1]:${port}/x.png`],
    ['decimal IPv4 2130706433', (port: number) => `http://2130706433:${port}/x.png`],
    ['hex and short IPv4 0x7f.1', (port: number) => `http://0x7f.1:${port}/x.png`],
    ['0.0.0.0 (this host)', (port: number) => `http://0.0.0.0:${port}/x.png`],
    ['cloud metadata 169.254.169.254', () => 'http://169.254.169.254/latest/meta-data'],
    ['private 10.0.0.1', () => 'http://10.0.0.1/x.png'],
    ['private 192.168.1.1', () => 'http://192.168.1.1/x.png'],
    ['carrier-grade NAT 100.64.0.1', () => 'http://100.64.0.1/x.png'],
    ['unique local fd00::1', () => 'http://[fd00::1]/x.png'],
    ['a file: URL', () => 'file:///etc/passwd'],
    ['an ftp: URL', (port: number) => `ftp://127.0.0.1:${port}/x.png`],
  ])('%s is 400 ModelArts.4601 and nothing is fetched', async (_name, url) => {
    const images = await imageServer(servesImage(image));
    const recognizer = new RecordingRecognizer();
    const server = await serve({ recognizer });

    const response = await postUrl(apiUrl(server), url(images.port));

    expectApiError(response, 400, 'ModelArts.4601');
    expect(images.paths).toEqual([]);
    expect(recognizer.calls).toHaveLength(0);
  });

  test('OcrClient gets ModelArts.4601, not retryable', async () => {
    const images = await imageServer(servesImage(image));
    const server = await serve({ recognizer: new RecordingRecognizer() });

    const outcome = await clientOf(server)
      .generalText({ url: `${images.url}/x.png` })
      .then(
        () => undefined,
        (error: unknown) => error,
      );

    expect(isOcrError(outcome)).toBe(true);
    expect(outcome).toMatchObject({ code: 'ModelArts.4601', status: 400, retryable: false });
    expect(images.paths).toEqual([]);
  });
});
