import { type Dispatcher, request } from 'undici';
import { OcrError } from './errors.js';

export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
}

export interface SendOptions {
  readonly method: 'GET' | 'POST';
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly dispatcher: Dispatcher;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

// The largest response read. A full page with character_mode is well under 1 MiB of JSON; a body far
// beyond that is no API response, and reading it whole would cost its size in memory.
export const maxResponseBytes = 32 * 1024 * 1024;

/**
 * One HTTP exchange, whole body read (at most `maxResponseBytes`, else `OCRKIT_BAD_RESPONSE`), within
 * `timeoutMs`. Failures become `OcrError`s:
 * `OCRKIT_ABORTED` (the caller's signal), `OCRKIT_TIMEOUT` and `OCRKIT_NETWORK` (both retryable).
 */
export async function send(url: string, options: SendOptions): Promise<HttpResponse> {
  const { signal } = options;
  if (signal?.aborted) throw aborted(signal.reason);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  const onAbort = () => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const response = await request(url, {
      method: options.method,
      headers: options.headers,
      body: options.body ?? null,
      dispatcher: options.dispatcher,
      signal: controller.signal,
    });
    const chunks: Buffer[] = [];
    let bytes = 0;
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      bytes += chunk.byteLength;
      if (bytes > maxResponseBytes) {
        response.body.destroy();
        throw new OcrError(
          'OCRKIT_BAD_RESPONSE',
          `The response from ${origin(url)} is over ${maxResponseBytes} bytes: no API response is that large.`,
          { status: response.statusCode },
        );
      }
      chunks.push(chunk);
    }
    return { status: response.statusCode, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') };
  } catch (error) {
    if (error instanceof OcrError) throw error;
    if (signal?.aborted) throw aborted(signal.reason);
    if (timedOut) {
      throw new OcrError('OCRKIT_TIMEOUT', `No complete response from ${origin(url)} within ${options.timeoutMs} ms.`, {
        retryable: true,
        cause: error,
      });
    }
    const reason =
      error instanceof Error ? `${(error as { code?: string }).code ?? error.name}: ${error.message}` : String(error);
    throw new OcrError('OCRKIT_NETWORK', `Request to ${origin(url)} failed (${reason}).`, {
      retryable: true,
      cause: error,
    });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

export function aborted(reason: unknown): OcrError {
  return new OcrError('OCRKIT_ABORTED', 'The call was aborted by its signal.', { cause: reason });
}

export function header(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function origin(url: string): string {
  return URL.parse(url)?.origin ?? url;
}
