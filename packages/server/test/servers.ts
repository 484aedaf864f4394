import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OcrClient, type OcrClientOptions } from '@ocrkit/client';
import { type RunningServer, type ServerOptions, startServer } from '../src/index.js';

export const projectId = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
export const token = 'MIIT-test-token';
export const requestIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// Closed in the order they were opened, by `closeAll` in each file's afterEach: image servers before
// the API server that may be fetching from them, gates opened before the server waits for its requests.
const opened: (() => unknown)[] = [];

/** Runs `close` in this test's afterEach (`closeAll`). */
export function closeAfterTest(close: () => unknown): void {
  opened.push(close);
}

/** Closes everything opened during the test, in order; every file calls it in afterEach. */
export async function closeAll(): Promise<void> {
  const errors: unknown[] = [];
  for (const close of opened.splice(0)) {
    try {
      await close();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length > 0) throw new AggregateError(errors, 'Closing the test resources failed.');
}

/** The API server on a free port of 127.0.0.1, quiet unless `log` is given, closed after the test. */
export async function serve(options: ServerOptions = {}): Promise<RunningServer> {
  const server = await startServer({ port: 0, log: false, ...options });
  closeAfterTest(() => server.close());
  return server;
}

/** `POST` URL of the general-text API on `server`. */
export function apiUrl(server: RunningServer): string {
  return `${server.url}/v2/${projectId}/ocr/general-text`;
}

/** An `OcrClient` of `server` with a token and no retries, closed after the test. */
export function clientOf(server: RunningServer, options: Partial<OcrClientOptions> = {}): OcrClient {
  const client = new OcrClient({ endpoint: server.url, projectId, credentials: { token }, retry: false, ...options });
  closeAfterTest(() => client.close());
  return client;
}

export interface ImageServer {
  /** `http://host:port` */
  readonly url: string;
  readonly port: number;
  /** Path of every request received, in order. */
  readonly paths: string[];
}

/**
 * A plain node:http server standing in for the place url mode fetches from; `handle` answers each
 * request. Every connection, stalled ones included, is ended after the test.
 */
export async function imageServer(
  handle: (request: IncomingMessage, response: ServerResponse) => void,
  host = '127.0.0.1',
): Promise<ImageServer> {
  const paths: string[] = [];
  const server = createServer((request, response) => {
    paths.push(request.url ?? '');
    handle(request, response);
  });
  server.listen(0, host);
  await once(server, 'listening');
  closeAfterTest(async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://${host}:${port}`, port, paths };
}

/** A handler that answers every request with `bytes` as an image. */
export function servesImage(bytes: Uint8Array, contentType = 'image/png') {
  return (_request: IncomingMessage, response: ServerResponse) => {
    response.writeHead(200, { 'content-type': contentType, 'content-length': bytes.byteLength }).end(bytes);
  };
}
