import type { GeneralTextResult, RecognizeOptions, TextRecognizer } from '@ocrkit/protocol';
import { Agent, request } from 'undici';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { base64, png } from '../../../test/support/images.ts';
import { raw as call, json, type RawResponse, tryConnect } from './http.js';
import { cannedResult, GatedRecognizer } from './recognizers.js';
import { apiUrl, closeAfterTest, closeAll, serve, token } from './servers.js';

afterEach(closeAll);

const body = JSON.stringify({ image: base64(png(48, 24)) });

function post(url: string): Promise<RawResponse> {
  return call(url, { headers: { 'Content-Type': 'application/json', 'X-Auth-Token': token }, body });
}

/** A gated recognizer whose calls are all let through when the test ends, before its server closes. */
function gated(): GatedRecognizer {
  const recognizer = new GatedRecognizer();
  closeAfterTest(() => recognizer.open());
  return recognizer;
}

/** Whether `promise` has settled, checked after pending I/O callbacks have run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  await new Promise((resolve) => setTimeout(resolve, 50));
  return done;
}

describe('close()', () => {
  test('finishes the running and queued requests (with Connection: close), refuses new connections, then resolves', async () => {
    const recognizer = gated();
    const server = await serve({ recognizer, concurrency: 1, maxQueue: 1 });
    const url = apiUrl(server);
    // The running request comes over a keep-alive connection, which close() must end once it is idle.
    const agent = new Agent({ keepAliveTimeout: 60_000 });
    closeAfterTest(() => agent.close());
    const running = request(url, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'Content-Type': 'application/json', 'X-Auth-Token': token },
      body,
    }).then(async (response) => ({
      status: response.statusCode,
      connection: response.headers.connection,
      body: await response.body.json(),
    }));
    await recognizer.started(1);
    const queued = post(url);
    await vi.waitFor(async () =>
      expect(json(await call(`${server.url}/health`, { method: 'GET' }))).toMatchObject({ running: 1, waiting: 1 }),
    );

    const closing = server.close();

    expect(await tryConnect(server.url)).toBe('ECONNREFUSED');
    expect(await settled(closing)).toBe(false);
    recognizer.release();
    // Answered, and told not to send another request on a connection that is about to close.
    expect(await running).toEqual({ status: 200, connection: 'close', body: { result: cannedResult } });
    expect(await settled(closing)).toBe(false);
    recognizer.release();
    expect((await queued).status).toBe(200);
    const finished = performance.now();
    await closing;
    expect(performance.now() - finished).toBeLessThan(1000);
    expect(await tryConnect(server.url)).toBe('ECONNREFUSED');
  });

  test('is not held up by an idle keep-alive connection', async () => {
    const server = await serve({ recognizer: gated() });
    const agent = new Agent({ keepAliveTimeout: 60_000 });
    closeAfterTest(() => agent.close());
    const response = await request(`${server.url}/health`, { dispatcher: agent });
    await response.body.dump();
    expect(response.statusCode).toBe(200);

    const started = performance.now();
    await server.close();

    expect(performance.now() - started).toBeLessThan(1000);
  });

  test('called twice, both calls resolve', async () => {
    const server = await serve({ recognizer: gated() });

    await expect(Promise.all([server.close(), server.close()])).resolves.toEqual([undefined, undefined]);
  });

  test('leaves a recognizer it was given open', async () => {
    let closed = 0;
    const recognizer: TextRecognizer & { close(): Promise<void> } = {
      async recognize(_image: Uint8Array, _options?: RecognizeOptions): Promise<GeneralTextResult> {
        return cannedResult;
      },
      async close() {
        closed++;
      },
    };
    const server = await serve({ recognizer });
    expect((await post(apiUrl(server))).status).toBe(200);

    await server.close();

    expect(closed).toBe(0);
  });
});
