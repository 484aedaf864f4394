import { type IncomingHttpHeaders, request } from 'node:http';
import { connect } from 'node:net';

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

export interface RawRequest {
  /** @default "POST" */
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  readonly signal?: AbortSignal;
}

/**
 * One request on a fresh connection (no agent, so nothing is pooled between tests), the whole
 * response read. `Content-Length` is set from the body.
 */
export function raw(url: string, options: RawRequest = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, {
      method: options.method ?? 'POST',
      headers: options.headers,
      agent: false,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    outgoing.on('error', reject);
    outgoing.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    outgoing.end(options.body);
  });
}

/** The body of `response` parsed as JSON; throws with the text when it is not JSON. */
export function json(response: RawResponse): unknown {
  try {
    return JSON.parse(response.text);
  } catch {
    throw new Error(`Expected a JSON body, got HTTP ${response.status} ${JSON.stringify(response.text.slice(0, 200))}`);
  }
}

export interface SocketExchange {
  /** Everything the server sent before the connection ended, as latin1 text. */
  readonly received: string;
  /** Body bytes written after the head. */
  readonly bodyBytesSent: number;
  /** The socket error that ended the connection, if any (after the response, a reset is expected). */
  readonly error: string | undefined;
}

/**
 * Speaks HTTP/1.1 by hand on a TCP socket: writes `head` and `firstBody`, then `more()` (if given)
 * every few ms until the server answers, and collects what the server sends until it closes the
 * connection or `timeoutMs` passes.
 */
export function exchange(
  url: string,
  head: string,
  firstBody: string,
  options: { readonly more?: () => string; readonly timeoutMs?: number } = {},
): Promise<SocketExchange> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    let received = '';
    let bodyBytesSent = 0;
    let error: string | undefined;
    let pump: NodeJS.Timeout | undefined;
    const deadline = setTimeout(() => socket.destroy(), options.timeoutMs ?? 5000);
    socket.on('connect', () => {
      socket.write(head);
      socket.write(firstBody);
      bodyBytesSent += Buffer.byteLength(firstBody);
      const { more } = options;
      if (more) {
        pump = setInterval(() => {
          if (received !== '' || !socket.writable) return;
          const piece = more();
          bodyBytesSent += Buffer.byteLength(piece);
          socket.write(piece);
        }, 2);
      }
    });
    socket.on('data', (data: Buffer) => {
      received += data.toString('latin1');
    });
    socket.on('error', (caught: NodeJS.ErrnoException) => {
      error = caught.code ?? caught.message;
    });
    socket.on('close', () => {
      clearTimeout(deadline);
      clearInterval(pump);
      resolve({ received, bodyBytesSent, error });
    });
  });
}

/** Status line, headers (names lower-cased) and body of a response read off a socket. */
export function parseResponse(text: string): { status: number; headers: Record<string, string>; body: string } {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`No complete response head in ${JSON.stringify(text.slice(0, 200))}`);
  const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(statusLine)?.[1]);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status, headers, body: text.slice(end + 4) };
}

/** What happens when a TCP connection to `url`'s host and port is attempted: 'connected' or the error code. */
export function tryConnect(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.on('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}
