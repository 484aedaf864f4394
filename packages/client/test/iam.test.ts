import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, onTestFinished, test } from 'vitest';
import { OcrClient, type OcrClientOptions } from '../src/index.js';
import { failure } from './failure.js';
import { FaultServer, type FaultServerOptions, generalTextResult, reply } from './fault-server.js';

const projectId = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const region = 'cn-north-4';
const user = { username: 'ocr-bot', password: 'correct horse battery staple', domain: 'acme-corp' };
const body = { url: 'https://example.com/scan.png' };
// Backoff of at most 5 ms keeps retries fast.
const fast = { baseDelayMs: 1, maxDelayMs: 5 };

const servers: FaultServer[] = [];

async function start(options: FaultServerOptions = {}): Promise<FaultServer> {
  const server = await FaultServer.start(options);
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A client that signs in as `user` at `server`'s IAM endpoint; the project name defaults to the region. */
function client(server: FaultServer, options: Partial<OcrClientOptions> = {}): OcrClient {
  const created = new OcrClient({
    endpoint: server.url,
    region,
    projectId,
    credentials: { iam: { ...user, endpoint: server.url } },
    retry: fast,
    ...options,
  });
  onTestFinished(() => created.close());
  return created;
}

function sentTokens(server: FaultServer): (string | string[] | undefined)[] {
  return server.apiRequests.map((request) => request.headers['x-auth-token']);
}

describe('IAM password credentials', () => {
  test('ask IAM for a token with the documented body, scoped to the project named after the region', async () => {
    const server = await start();

    await client(server).generalText(body);

    expect(server.iamRequests).toHaveLength(1);
    const [request] = server.iamRequests;
    expect(request?.url).toBe('/v3/auth/tokens?nocatalog=true');
    expect(request?.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(request?.body ?? '')).toEqual({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: user.username, password: user.password, domain: { name: user.domain } } },
        },
        scope: { project: { name: region } },
      },
    });
  });

  test('scope the token to credentials.iam.projectName when given', async () => {
    const server = await start();
    const credentials = { iam: { ...user, endpoint: server.url, projectName: 'cn-north-4_ocr' } };

    await client(server, { credentials }).generalText(body);

    expect(JSON.parse(server.iamRequests[0]?.body ?? '')).toMatchObject({
      auth: { scope: { project: { name: 'cn-north-4_ocr' } } },
    });
  });

  test('send the issued token as X-Auth-Token and return the result', async () => {
    const server = await start();

    const result = await client(server).generalText(body);

    expect(result).toEqual(generalTextResult);
    expect(sentTokens(server)).toEqual(server.issuedTokens);
    expect(server.issuedTokens).toHaveLength(1);
  });

  test('fetch one token for 10 concurrent calls', async () => {
    const server = await start();
    server.setIamDefault(reply.token({ delayMs: 50 }));
    const ocr = client(server);

    const results = await Promise.all(Array.from({ length: 10 }, () => ocr.generalText(body)));

    expect(results).toHaveLength(10);
    expect(server.iamRequests).toHaveLength(1);
    expect(sentTokens(server)).toEqual(Array(10).fill(server.issuedTokens[0]));
  });

  test('keep the token across calls', async () => {
    const server = await start();
    const ocr = client(server);

    await ocr.generalText(body);
    await ocr.generalText(body);
    await ocr.generalText(body);

    expect(server.iamRequests).toHaveLength(1);
    expect(sentTokens(server)).toEqual(Array(3).fill(server.issuedTokens[0]));
  });

  test('work with a 20 KB X-Subject-Token', async () => {
    const server = await start({ tokenBytes: 20 * 1024 });

    const result = await client(server).generalText(body);

    expect(result).toEqual(generalTextResult);
    expect(server.issuedTokens[0]).toHaveLength(20 * 1024);
    expect(sentTokens(server)).toEqual(server.issuedTokens);
  });

  test.each([
    [401, 'APIG.0307'],
    [401, 'ModelArts.0203'],
    [401, 'ModelArts.4102'],
    [401, 'ModelArts.4103'],
  ])('on HTTP %i %s fetch a new token once and retry with it', async (status, code) => {
    const server = await start();
    server.script(reply.error(status, code));

    const result = await client(server).generalText(body);

    expect(result).toEqual(generalTextResult);
    expect(server.iamRequests).toHaveLength(2);
    expect(server.issuedTokens).toHaveLength(2);
    expect(sentTokens(server)).toEqual(server.issuedTokens);
  });

  test('share one new token among concurrent calls whose token was revoked', async () => {
    const server = await start();
    server.setDefault(
      reply.decide((request) =>
        request.headers['x-auth-token'] === server.issuedTokens[0] ? reply.error(401, 'APIG.0307') : reply.success(),
      ),
    );
    const ocr = client(server);

    const results = await Promise.all(Array.from({ length: 10 }, () => ocr.generalText(body)));

    expect(results).toHaveLength(10);
    expect(server.iamRequests).toHaveLength(2);
  });

  test("let one caller's abort end its wait for a token but not the token request others share", async () => {
    const server = await start();
    server.setIamDefault(reply.token({ delayMs: 200 }));
    const ocr = client(server);
    const controller = new AbortController();
    const abandoned = failure(ocr.generalText(body, { signal: controller.signal }));
    const patient = ocr.generalText(body);
    await server.waitForRequests(1);

    controller.abort();

    expect((await abandoned).code).toBe('OCRKIT_ABORTED');
    expect(await patient).toEqual(generalTextResult);
    expect(server.iamRequests).toHaveLength(1);
    expect(server.apiRequests).toHaveLength(1);
  });

  test('fail the call when the new token is rejected too, without retrying further', async () => {
    const server = await start();
    server.setDefault(reply.error(401, 'APIG.0307'));

    const error = await failure(client(server).generalText(body));

    expect(error.code).toBe('APIG.0307');
    expect(error.status).toBe(401);
    expect(server.iamRequests).toHaveLength(2);
    expect(sentTokens(server)).toEqual(server.issuedTokens);
  });

  test('refresh a short-lived token before it expires', async () => {
    const lifetimeMs = 2000;
    const server = await start({ tokenLifetimeMs: lifetimeMs });
    const ocr = client(server);

    await ocr.generalText(body);
    const issuedAt = performance.now();
    await ocr.generalText(body); // still fresh: reused
    await delay(1200); // past half its life, well before it expires
    await ocr.generalText(body);

    expect(performance.now() - issuedAt).toBeLessThan(lifetimeMs);
    expect(server.iamRequests).toHaveLength(2);
    const [first, second] = server.issuedTokens;
    expect(sentTokens(server)).toEqual([first, first, second]);
  });

  test('keep using a token that is still valid when its early refresh fails', async () => {
    const server = await start({ tokenLifetimeMs: 2000 });
    const ocr = client(server);
    await ocr.generalText(body);
    await delay(1200);
    server.scriptIam(reply.error(503, 'IAM.0001'));

    const result = await ocr.generalText(body);

    expect(result).toEqual(generalTextResult);
    expect(server.iamRequests).toHaveLength(2);
    expect(sentTokens(server)).toEqual([server.issuedTokens[0], server.issuedTokens[0]]);
  });

  test.each([
    [
      'with its code',
      reply.error(401, 'IAM.0002', { shape: 'nested', message: 'The username or password is wrong.' }),
      'IAM.0002',
    ],
    ['without a code', reply.text(401, 'Unauthorized', 'text/plain'), 'OCRKIT_IAM_FAILED'],
  ])('fail the call on an IAM 401 %s, without a retry or an API request', async (_, refusal, code) => {
    const server = await start();
    server.setIamDefault(refusal);

    const error = await failure(client(server).generalText(body));

    expect(error.code).toBe(code);
    expect(error.status).toBe(401);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(user.username);
    expect(error.message).not.toContain(user.password);
    expect(server.iamRequests).toHaveLength(1);
    expect(server.apiRequests).toHaveLength(0);
  });

  test('retry an IAM 500 and then call the API', async () => {
    const server = await start();
    server.scriptIam(reply.text(500, 'Internal Server Error', 'text/plain'));

    const result = await client(server).generalText(body);

    expect(result).toEqual(generalTextResult);
    expect(server.iamRequests).toHaveLength(2);
    expect(server.apiRequests).toHaveLength(1);
  });
});

describe('static token credentials', () => {
  test('fail on ModelArts.0203 without a retry: there is no way to a new token', async () => {
    const server = await start();
    server.setDefault(reply.error(401, 'ModelArts.0203'));

    const error = await failure(client(server, { credentials: { token: 'revoked' } }).generalText(body));

    expect(error.code).toBe('ModelArts.0203');
    expect(error.retryable).toBe(false);
    expect(server.apiRequests).toHaveLength(1);
    expect(server.iamRequests).toHaveLength(0);
  });
});
