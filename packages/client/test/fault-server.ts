import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseSdkDate, signRequest } from '../src/index.js';

/** One request as the server received it. */
export interface RecordedRequest {
  readonly method: string;
  /** Path and query as sent, e.g. `/v3/auth/tokens?nocatalog=true`. */
  readonly url: string;
  /** The path alone. */
  readonly path: string;
  /** Names lower-cased, as node:http gives them. */
  readonly headers: IncomingHttpHeaders;
  /** The body as UTF-8 text. */
  readonly body: string;
  /** `performance.now()` once the whole body had arrived. */
  readonly at: number;
}

/** What the server does with one request. Build them with `reply`. */
export type Behaviour =
  | {
      readonly kind: 'reply';
      readonly status: number;
      readonly body: string;
      readonly headers: Readonly<Record<string, string>>;
      readonly delayMs: number;
    }
  | { readonly kind: 'reset'; readonly afterHeaders: boolean }
  | { readonly kind: 'stall' }
  | {
      readonly kind: 'token';
      readonly delayMs: number;
      readonly tokenBytes: number | undefined;
      readonly lifetimeMs: number | undefined;
    }
  | { readonly kind: 'decide'; readonly decide: (request: RecordedRequest) => Behaviour };

/** The error body shapes the service and its gateways send (API.md, Errors). */
export type ErrorShape = 'error_code' | 'errorCode' | 'code' | 'nested';

export interface ErrorOptions {
  readonly shape?: ErrorShape;
  readonly message?: string;
  /** Put into the body as `request_id` (the `error_code` shape only, as the gateway does). */
  readonly requestId?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The general-text result every success answers with. */
export const generalTextResult = Object.freeze({
  direction: -1,
  words_block_count: 1,
  words_block_list: [
    {
      words: 'ocrkit',
      location: [
        [15, 15],
        [95, 15],
        [95, 40],
        [15, 40],
      ],
      confidence: 0.9987,
    },
  ],
});

export const reply = {
  /** `body` as JSON with `status`, after `delayMs`. */
  json(
    status: number,
    body: unknown,
    options: { readonly headers?: Readonly<Record<string, string>>; readonly delayMs?: number } = {},
  ): Behaviour {
    return {
      kind: 'reply',
      status,
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...options.headers },
      delayMs: options.delayMs ?? 0,
    };
  },

  /** 200 with `{ result: generalTextResult }`. */
  success(options: { readonly headers?: Readonly<Record<string, string>>; readonly delayMs?: number } = {}): Behaviour {
    return reply.json(200, { result: generalTextResult }, options);
  },

  /** An API error `code` with `status`, in any of the body shapes. */
  error(status: number, code: string, options: ErrorOptions = {}): Behaviour {
    const message = options.message ?? `${code} from the fault server`;
    const bodies: Record<ErrorShape, unknown> = {
      error_code: {
        error_code: code,
        error_msg: message,
        ...(options.requestId === undefined ? {} : { request_id: options.requestId }),
      },
      errorCode: { errorCode: code, errorMsg: message },
      code: { code, message },
      nested: { error: { code, message } },
    };
    return reply.json(
      status,
      bodies[options.shape ?? 'error_code'],
      options.headers ? { headers: options.headers } : {},
    );
  },

  /** Any text body, e.g. a proxy's HTML error page. */
  text(status: number, body: string, contentType: string): Behaviour {
    return { kind: 'reply', status, body, headers: { 'content-type': contentType }, delayMs: 0 };
  },

  /** Reads the request, then resets the connection (TCP RST) before any response byte. */
  reset(): Behaviour {
    return { kind: 'reset', afterHeaders: false };
  },

  /** Sends a 200's headers and part of its body, then resets the connection. */
  resetAfterHeaders(): Behaviour {
    return { kind: 'reset', afterHeaders: true };
  },

  /** Reads the request and never answers; `close()` ends the connection. */
  stall(): Behaviour {
    return { kind: 'stall' };
  },

  /**
   * IAM's answer to `POST /v3/auth/tokens`: 201, a fresh `X-Subject-Token` and `{token: {issued_at, expires_at}}`.
   * `tokenBytes` and `lifetimeMs` default to the server's options.
   */
  token(
    options: { readonly tokenBytes?: number; readonly lifetimeMs?: number; readonly delayMs?: number } = {},
  ): Behaviour {
    return {
      kind: 'token',
      delayMs: options.delayMs ?? 0,
      tokenBytes: options.tokenBytes,
      lifetimeMs: options.lifetimeMs,
    };
  },

  /** Chooses the behaviour from the request itself. */
  decide(decide: (request: RecordedRequest) => Behaviour): Behaviour {
    return { kind: 'decide', decide };
  },

  /**
   * What the API gateway does with `SDK-HMAC-SHA256`: recomputes the signature from the received method,
   * path, body and the headers listed in `SignedHeaders`, with the secret key of the `Access` key; a
   * mismatch, an unknown key or an `X-Sdk-Date` more than 15 minutes off is `401 APIG.0301`.
   */
  signed(secretKeys: Readonly<Record<string, string>>, then: Behaviour = reply.success()): Behaviour {
    return reply.decide((request) => {
      const refuse = (why: string) =>
        reply.error(401, 'APIG.0301', { message: `Incorrect IAM authentication: ${why}` });
      const authorization = String(request.headers.authorization ?? '');
      const match = /^SDK-HMAC-SHA256 Access=([^,]+), SignedHeaders=([^,]+), Signature=[0-9a-f]{64}$/.exec(
        authorization,
      );
      if (!match) return refuse(`malformed Authorization ${JSON.stringify(authorization)}`);
      const [, accessKey = '', signedList = ''] = match;
      const secretKey = secretKeys[accessKey];
      if (secretKey === undefined) return refuse(`unknown access key ${accessKey}`);
      const signedHeaders = signedList.split(';');
      const headers: Record<string, string> = {};
      for (const name of signedHeaders) {
        const value = request.headers[name];
        if (typeof value !== 'string') return refuse(`signed header ${name} is missing`);
        headers[name] = value;
      }
      const date = parseSdkDate(headers['x-sdk-date'] ?? '');
      if (!date || Math.abs(date.getTime() - Date.now()) > 15 * 60 * 1000) return refuse('X-Sdk-Date is off');
      const expected = signRequest(
        {
          method: request.method,
          url: `http://${headers.host ?? request.headers.host}${request.url}`,
          headers,
          body: request.body,
        },
        { accessKey, secretKey },
        { signedHeaders },
      );
      return expected.Authorization === authorization ? then : refuse('signature mismatch');
    });
  },
};

export interface FaultServerOptions {
  /** Length of each `X-Subject-Token` the IAM endpoint issues. @default 64 */
  readonly tokenBytes?: number;
  /** Lifetime of each issued token, written into `expires_at`. @default 24 h */
  readonly tokenLifetimeMs?: number;
}

// IAM tokens come as 10-16 KB headers and more (API.md); tests send 20 KB ones back.
const maxHeaderBytes = 64 * 1024;
const iamPath = '/v3/auth/tokens';

/**
 * A real HTTP server on 127.0.0.1 for client tests: the general-text API on every path but
 * `POST /v3/auth/tokens`, which is IAM. Each side answers from its queue of behaviours, in order,
 * then with its default. Records every request and the most requests ever in flight at once.
 */
export class FaultServer {
  readonly #server: Server;
  readonly #options: FaultServerOptions;
  readonly #queue: Behaviour[] = [];
  readonly #iamQueue: Behaviour[] = [];
  #default: Behaviour = reply.success();
  #iamDefault: Behaviour = reply.token();
  readonly #requests: RecordedRequest[] = [];
  readonly #tokens: string[] = [];
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #waiters: { readonly count: number; readonly resolve: () => void }[] = [];
  #inFlight = 0;
  #maxInFlight = 0;
  #url = '';

  private constructor(options: FaultServerOptions) {
    this.#options = options;
    this.#server = createServer({ maxHeaderSize: maxHeaderBytes }, (request, response) => {
      void this.#handle(request, response);
    });
  }

  /** A server listening on an ephemeral port of 127.0.0.1. */
  static async start(options: FaultServerOptions = {}): Promise<FaultServer> {
    const server = new FaultServer(options);
    await new Promise<void>((resolve, reject) => {
      server.#server.once('error', reject);
      server.#server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.#server.address() as AddressInfo;
    server.#url = `http://127.0.0.1:${port}`;
    return server;
  }

  /** `http://127.0.0.1:{port}`, without a trailing slash. */
  get url(): string {
    return this.#url;
  }

  /** Queues behaviours for the next API requests. */
  script(...behaviours: Behaviour[]): this {
    this.#queue.push(...behaviours);
    return this;
  }

  /** Queues behaviours for the next IAM token requests. */
  scriptIam(...behaviours: Behaviour[]): this {
    this.#iamQueue.push(...behaviours);
    return this;
  }

  /** What API requests get once the queue is empty. @default reply.success() */
  setDefault(behaviour: Behaviour): this {
    this.#default = behaviour;
    return this;
  }

  /** What IAM token requests get once their queue is empty. @default reply.token() */
  setIamDefault(behaviour: Behaviour): this {
    this.#iamDefault = behaviour;
    return this;
  }

  /** Every request so far, API and IAM, in arrival order. */
  get requests(): readonly RecordedRequest[] {
    return [...this.#requests];
  }

  /** The API requests (everything but IAM). */
  get apiRequests(): readonly RecordedRequest[] {
    return this.#requests.filter((request) => !isIam(request));
  }

  get iamRequests(): readonly RecordedRequest[] {
    return this.#requests.filter(isIam);
  }

  /** Every `X-Subject-Token` issued, in order. */
  get issuedTokens(): readonly string[] {
    return [...this.#tokens];
  }

  /** The most requests that were in flight (received, response not finished) at one time. */
  get maxInFlight(): number {
    return this.#maxInFlight;
  }

  /** Resolves once `count` requests (API and IAM) have arrived in full. */
  waitForRequests(count: number): Promise<void> {
    if (this.#requests.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  /** Stops listening and ends every connection, stalled ones included. */
  async close(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.#inFlight++;
    this.#maxInFlight = Math.max(this.#maxInFlight, this.#inFlight);
    response.once('close', () => {
      this.#inFlight--;
    });
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of request) chunks.push(chunk as Buffer);
    } catch {
      return; // the client went away mid-body
    }
    const url = request.url ?? '/';
    const recorded: RecordedRequest = {
      method: request.method ?? '',
      url,
      path: url.split('?')[0] ?? url,
      headers: request.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      at: performance.now(),
    };
    this.#requests.push(recorded);
    for (const waiter of this.#waiters.filter((w) => this.#requests.length >= w.count)) {
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    const iam = isIam(recorded);
    let behaviour = (iam ? this.#iamQueue : this.#queue).shift() ?? (iam ? this.#iamDefault : this.#default);
    while (behaviour.kind === 'decide') behaviour = behaviour.decide(recorded);
    this.#act(behaviour, request, response);
  }

  #act(behaviour: Exclude<Behaviour, { kind: 'decide' }>, request: IncomingMessage, response: ServerResponse): void {
    switch (behaviour.kind) {
      case 'reply':
        this.#later(behaviour.delayMs, response, () => {
          response.writeHead(behaviour.status, behaviour.headers).end(behaviour.body);
        });
        return;
      case 'reset':
        if (!behaviour.afterHeaders) {
          request.socket.resetAndDestroy();
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': '4096' });
        response.write('{"result":{"direction":-1,');
        // Give the client time to read the headers, so the reset lands in the body.
        this.#later(20, response, () => request.socket.resetAndDestroy());
        return;
      case 'stall':
        return;
      case 'token':
        this.#later(behaviour.delayMs, response, () => {
          const bytes = behaviour.tokenBytes ?? this.#options.tokenBytes ?? 64;
          const lifetimeMs = behaviour.lifetimeMs ?? this.#options.tokenLifetimeMs ?? 24 * 60 * 60 * 1000;
          // Real tokens are base64 of a CMS message ("MII..."); a serial number keeps each one unique.
          const prefix = `MIIT${this.#tokens.length + 1}-`;
          const token = prefix + 'A'.repeat(Math.max(0, bytes - prefix.length));
          this.#tokens.push(token);
          const issuedAt = Date.now();
          const body = {
            token: {
              methods: ['password'],
              issued_at: iamTime(issuedAt),
              expires_at: iamTime(issuedAt + lifetimeMs),
            },
          };
          response
            .writeHead(201, { 'content-type': 'application/json', 'x-subject-token': token })
            .end(JSON.stringify(body));
        });
        return;
    }
  }

  /** Runs `act` after `ms` unless the connection closed first; `close()` cancels it. */
  #later(ms: number, response: ServerResponse, act: () => void): void {
    if (ms <= 0) {
      act();
      return;
    }
    const socket = response.socket;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (socket && !socket.destroyed) act();
    }, ms);
    this.#timers.add(timer);
  }
}

function isIam(request: RecordedRequest): boolean {
  return request.method === 'POST' && request.path === iamPath;
}

/** IAM writes times with microseconds: `2026-11-27T08:09:10.123000Z`. */
function iamTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '000Z');
}
