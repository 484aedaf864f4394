import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AccessKeyCredentials } from '@ocrkit/client';
import { createEngine } from '@ocrkit/engine';
import {
  type ApiError,
  apiError,
  checkImage,
  type GeneralTextResult,
  type Limits,
  type LimitsPreset,
  parseGeneralTextRequest,
  type RecognizeOptions,
  resolveLimits,
  type TextRecognizer,
} from '@ocrkit/protocol';
import { authenticate } from './auth.js';
import { FetchImageError, fetchImage } from './fetch-image.js';
import { BoundedQueue } from './queue.js';

export interface ServerOptions {
  /** @default "127.0.0.1" */
  readonly host?: string;
  /** 0 picks a free port. @default 8086 */
  readonly port?: number;
  /** Accepted `X-Auth-Token` values; none accepts any non-empty token. @default [] */
  readonly tokens?: readonly string[];
  /** Access keys whose `SDK-HMAC-SHA256` signed requests are accepted. @default [] */
  readonly accessKeys?: readonly AccessKeyCredentials[];
  /** @default "seed" */
  readonly limits?: Limits | LimitsPreset;
  /** Let url mode fetch from loopback, private and link-local addresses. @default false */
  readonly allowPrivateUrls?: boolean;
  /** Recognitions waiting beyond the running ones; past that, 429 `APIG.0308`. @default 16 */
  readonly maxQueue?: number;
  /**
   * Recognitions run at once. @default 2: the engine's workers take both requests' model runs in turn
   * while the next request's image is decoded
   */
  readonly concurrency?: number;
  /** What recognizes the images. @default a `LocalEngine`, closed with the server */
  readonly recognizer?: TextRecognizer;
  /** Time allowed to fetch an image in url mode. @default 10000 */
  readonly urlTimeoutMs?: number;
  /** One JSON line per request. @default lines to stderr */
  readonly log?: ((line: RequestLog) => void) | false;
}

export interface RequestLog {
  readonly time: string;
  readonly id: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly ms: number;
  readonly code?: string;
}

export interface RunningServer {
  /** `http://host:port` */
  readonly url: string;
  /** Stops accepting, finishes the requests in flight, then releases the recognizer it created. */
  close(): Promise<void>;
}

const apiPath = /^\/v2\/([^/]+)\/ocr\/general-text\/?$/;
// A body holds the base64 image and a few small fields; allow 64 KiB of JSON around it.
const jsonOverheadBytes = 64 * 1024;
// IAM tokens are sent as headers of 10-16 KB and more (API.md).
const maxHeaderBytes = 64 * 1024;
// The vendor advises retrying throttled calls after 2-5 s (error-codes.json notes).
const retryAfterSeconds = 2;
const clientClosed = 'client-closed';

/** Starts the general-text API on `host:port`. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const limits = resolveLimits(options.limits);
  const ownsRecognizer = options.recognizer === undefined;
  const recognizer = options.recognizer ?? createEngine();
  const queue = new BoundedQueue(options.concurrency ?? 2, options.maxQueue ?? 16);
  const auth = {
    tokens: new Set(options.tokens ?? []),
    accessKeys: new Map((options.accessKeys ?? []).map((keys) => [keys.accessKey, keys])),
  };
  const log =
    options.log === false
      ? () => {}
      : (options.log ?? ((line: RequestLog) => process.stderr.write(`${JSON.stringify(line)}\n`)));
  const maxBodyBytes = limits.maxBase64Bytes + jsonOverheadBytes;
  const settings = {
    limits,
    recognizer,
    queue,
    auth,
    maxBodyBytes,
    allowPrivateUrls: options.allowPrivateUrls ?? false,
    urlTimeoutMs: options.urlTimeoutMs ?? 10_000,
  };

  // Responses not yet answered: when shutdown starts they say `Connection: close`, so that keep-alive
  // clients do not send another request on a connection about to close (it would be reset).
  const open = new Set<ServerResponse>();
  let shuttingDown = false;
  const server = createServer({ maxHeaderSize: maxHeaderBytes, requestTimeout: 120_000 }, (request, response) => {
    const id = randomUUID();
    const started = performance.now();
    response.setHeader('X-Request-Id', id);
    if (shuttingDown) response.setHeader('Connection', 'close');
    open.add(response);
    response.on('close', () => open.delete(response));
    handle(settings, request, response).then(
      // 499: the client closed the connection before an answer (nginx's convention).
      (code) => log(entry(id, request, code === clientClosed ? 499 : response.statusCode, started, code)),
      (error: unknown) => {
        // handle() answers every expected failure itself; this is a bug, still answered in the API's shape.
        if (!response.headersSent) reply(response, apiError('ModelArts.4505', 'The server failed unexpectedly.'));
        else response.destroy();
        log(entry(id, request, 500, started, `ModelArts.4505 ${(error as Error).message}`));
      },
    );
  });
  // Requests Node's parser rejects (oversized headers, malformed HTTP) never reach the handler; answer
  // them in the API's shape too, with a request id.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    // Node's documented pattern: a reset or closed socket cannot be answered.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const id = randomUUID();
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? 431 : 400;
    const body = JSON.stringify({
      error_code: tooLarge ? 'ModelArts.4104' : 'ModelArts.4105',
      error_msg: tooLarge ? `Request headers are over ${maxHeaderBytes} bytes.` : 'The request is not valid HTTP.',
    });
    socket.end(
      `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
        `Content-Type: application/json;charset=utf8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${id}\r\nConnection: close\r\n\r\n${body}`,
    );
    log({ time: new Date().toISOString(), id, method: '', path: '', status, ms: 0, code: error.code ?? 'clientError' });
  });
  server.listen(options.port ?? 8086, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    close() {
      shuttingDown = true;
      for (const response of open) if (!response.headersSent) response.setHeader('Connection', 'close');
      closing ??= shutDown(server, async () => {
        if (ownsRecognizer) await (recognizer as { close?: () => Promise<void> }).close?.();
      });
      return closing;
    },
  };
}

interface Settings {
  readonly limits: Limits;
  readonly recognizer: TextRecognizer;
  readonly queue: BoundedQueue;
  readonly auth: Parameters<typeof authenticate>[0];
  readonly maxBodyBytes: number;
  readonly allowPrivateUrls: boolean;
  readonly urlTimeoutMs: number;
}

/** Answers one request; resolves to the error code sent, if any. */
async function handle(
  settings: Settings,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<string | undefined> {
  const path = (request.url ?? '/').split('?')[0] ?? '/';
  if (request.method === 'GET' && path === '/health') {
    const { queue } = settings;
    sendJson(response, 200, {
      status: 'ok',
      running: queue.running,
      waiting: queue.waiting,
      rssBytes: process.memoryUsage.rss(),
    });
    return undefined;
  }
  if (request.method !== 'POST' || !apiPath.test(path)) {
    request.resume();
    return reply(response, apiError('APIG.0101', `No API at ${request.method} ${path}.`));
  }

  const declared = Number(request.headers['content-length']);
  if (declared > settings.maxBodyBytes) return refuseBody(request, response, declared, settings.maxBodyBytes);
  const body = await readBody(request, settings.maxBodyBytes);
  if (body === 'too-large') return refuseBody(request, response, undefined, settings.maxBodyBytes);
  if (body === 'aborted') return clientClosed;

  const authorized = authenticate(settings.auth, {
    method: 'POST',
    url: request.url ?? path,
    headers: request.headers,
    body,
  });
  if (!authorized.ok) return reply(response, apiError(authorized.code, authorized.detail));

  const checked = parseGeneralTextRequest(body, settings.limits);
  if (!checked.ok) return reply(response, checked.error);
  const { request: fields } = checked.value;

  const aborted = new AbortController();
  response.on('close', () => {
    if (!response.writableFinished) aborted.abort();
  });

  let image: Uint8Array;
  if ('url' in checked.value) {
    try {
      image = await fetchImage(checked.value.url, {
        allowPrivate: settings.allowPrivateUrls,
        maxBytes: Math.floor((settings.limits.maxBase64Bytes * 3) / 4),
        timeoutMs: settings.urlTimeoutMs,
        signal: aborted.signal,
      });
    } catch (error) {
      if (error instanceof FetchImageError) return reply(response, apiError(error.code, error.message));
      throw error;
    }
    const fetched = checkImage(image, settings.limits);
    if (!fetched.ok) return reply(response, fetched.error);
  } else {
    image = checked.value.image;
  }

  const options: RecognizeOptions = {
    ...pick(fields),
    signal: aborted.signal,
  };
  // A request whose client left while it waited is not worth recognizing.
  const job = settings.queue.tryRun(() =>
    aborted.signal.aborted ? Promise.reject(aborted.signal.reason) : settings.recognizer.recognize(image, options),
  );
  if (!job) {
    response.setHeader('Retry-After', String(retryAfterSeconds));
    return reply(response, apiError('APIG.0308', `The server is busy (${settings.queue.waiting} requests waiting).`));
  }
  let result: GeneralTextResult;
  try {
    result = await job;
  } catch (error) {
    if (aborted.signal.aborted) return clientClosed;
    return reply(response, recognitionError(error));
  }
  sendJson(response, 200, { result });
  return undefined;
}

// The request's optional fields a recognizer understands (API.md, body fields).
const optionFields = [
  'detect_direction',
  'quick_mode',
  'character_mode',
  'language',
  'single_orientation_mode',
  'pdf_page_number',
  'return_markdown_result',
] as const;

/** The request's optional fields the recognizer understands, those that were sent. */
function pick(fields: RecognizeOptions): RecognizeOptions {
  return Object.fromEntries(optionFields.flatMap((name) => (fields[name] === undefined ? [] : [[name, fields[name]]])));
}

/** A recognizer's failure as the API's error: its own API code when it has one, else AIS.0105. */
function recognitionError(error: unknown): ApiError {
  const code = (error as { code?: unknown }).code;
  const message = (error as Error).message ?? String(error);
  if (typeof code === 'string' && /^(AIS|ModelArts|APIG)\./.test(code)) {
    try {
      return apiError(code, message);
    } catch {
      // A code outside the table: fall through.
    }
  }
  return apiError('AIS.0105', message);
}

type Body = Uint8Array | 'too-large' | 'aborted';

function readBody(request: IncomingMessage, maxBytes: number): Promise<Body> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > maxBytes) {
        request.off('data', onData);
        request.pause();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.on('end', () => resolve(Buffer.concat(chunks, total)));
    request.on('aborted', () => resolve('aborted'));
    request.on('error', () => resolve('aborted'));
  });
}

/** 413 `ModelArts.4104` without reading the rest of the body, then the connection is closed. */
function refuseBody(
  request: IncomingMessage,
  response: ServerResponse,
  declared: number | undefined,
  maxBytes: number,
) {
  response.setHeader('Connection', 'close');
  const size = declared === undefined ? 'The body is' : `The body is ${declared} bytes,`;
  const code = reply(response, apiError('ModelArts.4104', `${size} over the limit of ${maxBytes} bytes.`));
  response.on('finish', () => request.socket.destroy());
  return code;
}

function reply(response: ServerResponse, error: ApiError): string {
  sendJson(response, error.status, { error_code: error.error_code, error_msg: error.error_msg });
  return error.error_code;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json;charset=utf8',
    'Content-Length': Buffer.byteLength(text),
  });
  response.end(text);
}

function entry(
  id: string,
  request: IncomingMessage,
  status: number,
  started: number,
  code: string | undefined,
): RequestLog {
  const line = {
    time: new Date().toISOString(),
    id,
    method: request.method ?? '',
    path: (request.url ?? '').split('?')[0] ?? '',
    status,
    ms: Math.round(performance.now() - started),
  };
  return code === undefined ? line : { ...line, code };
}

/** Graceful: no new connections, idle ones closed, busy ones finish their request, then `release`. */
async function shutDown(server: Server, release: () => Promise<void>): Promise<void> {
  const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  server.closeIdleConnections();
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  try {
    await closed;
  } finally {
    clearInterval(sweep);
  }
  await release();
}
