import {
  checkImage,
  type GeneralTextRequest,
  type GeneralTextResult,
  type Limits,
  type LimitsPreset,
  parseErrorBody,
  type RecognizeOptions,
  resolveLimits,
  type TextRecognizer,
} from '@ocrkit/protocol';
import { Agent, type Dispatcher } from 'undici';
import { sleep } from './abort.js';
import type { Credentials } from './credentials.js';
import { isOcrError, OcrError } from './errors.js';
import { aborted, type HttpResponse, header, send } from './http.js';
import { IamTokenSource } from './iam.js';
import { Limiter } from './limiter.js';
import { classify, parseRetryAfter, type RetryOptions, type RetryPolicy, resolveRetry, retryDelayMs } from './retry.js';
import { signRequest } from './signer.js';

export interface OcrClientOptions {
  /** Base URL of the service, e.g. `http://127.0.0.1:8086`. Wins over `region`. */
  readonly endpoint?: string;
  /** `cn-north-4`, `cn-east-3` or `ap-southeast-1`: the endpoint is `https://ocr.{region}.myhuaweicloud.com`. */
  readonly region?: string;
  /** The project id of the region (IAM `GET /v3/projects?name={region}`). */
  readonly projectId: string;
  readonly credentials: Credentials;
  /** Retry policy, or `false` for a single attempt. @default { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 30000 } */
  readonly retry?: RetryOptions | false;
  /** Time allowed for each attempt, response body included. @default 60000 */
  readonly timeoutMs?: number;
  /** Most requests in flight at once. @default 8 */
  readonly maxConcurrency?: number;
  /** What `recognize()` checks before sending. @default "seed" */
  readonly limits?: Limits | LimitsPreset;
  /** undici dispatcher for every request (proxies, tests). @default an Agent allowing 64 KiB response headers */
  readonly dispatcher?: Dispatcher;
}

export interface CallOptions {
  readonly signal?: AbortSignal;
}

// IAM tokens are sent and received as headers of 10-16 KB and more (API.md); Node's default cap is 16 KiB.
const maxHeaderBytes = 64 * 1024;
const userAgent = 'ocrkit-client/0.1';

/**
 * Client of `POST /v2/{project_id}/ocr/general-text`: authenticates (token, IAM password or AK/SK),
 * bounds requests in flight, retries what may succeed later and throws `OcrError` with a stable code.
 */
export class OcrClient implements TextRecognizer {
  readonly #url: string;
  readonly #target: URL;
  readonly #credentials: Credentials;
  readonly #retry: RetryPolicy;
  readonly #timeoutMs: number;
  readonly #limits: Limits;
  readonly #limiter: Limiter;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #iam: IamTokenSource | undefined;

  constructor(options: OcrClientOptions) {
    const { projectId, region, credentials } = options;
    if (typeof projectId !== 'string' || projectId === '' || projectId.includes('/')) {
      throw new TypeError(`projectId must be a non-empty id without "/", got ${JSON.stringify(projectId)}.`);
    }
    if (region !== undefined && !/^[a-z0-9-]+$/.test(region)) {
      throw new TypeError(`region must look like "cn-north-4", got ${JSON.stringify(region)}.`);
    }
    const endpoint = options.endpoint ?? (region && `https://ocr.${region}.myhuaweicloud.com`);
    if (!endpoint) throw new TypeError('Give endpoint or region, e.g. { region: "cn-north-4" }.');
    const base = URL.parse(endpoint);
    if (!base || (base.protocol !== 'https:' && base.protocol !== 'http:')) {
      throw new TypeError(`endpoint must be an http(s) URL, got ${JSON.stringify(endpoint)}.`);
    }
    this.#url = `${base.href.replace(/\/+$/, '')}/v2/${encodeURIComponent(projectId)}/ocr/general-text`;
    this.#target = new URL(this.#url);
    this.#credentials = checkCredentials(credentials);
    this.#retry = resolveRetry(options.retry);
    this.#timeoutMs = options.timeoutMs ?? 60_000;
    if (!(this.#timeoutMs > 0)) throw new RangeError(`timeoutMs must be > 0, got ${this.#timeoutMs}.`);
    this.#limits = resolveLimits(options.limits);
    this.#limiter = new Limiter(options.maxConcurrency ?? 8);
    this.#ownsDispatcher = options.dispatcher === undefined;
    this.#dispatcher = options.dispatcher ?? new Agent({ maxHeaderSize: maxHeaderBytes });
    this.#iam =
      'iam' in this.#credentials
        ? new IamTokenSource(this.#credentials, { region, dispatcher: this.#dispatcher, timeoutMs: this.#timeoutMs })
        : undefined;
  }

  /** The full URL calls go to. */
  get url(): string {
    return this.#url;
  }

  /**
   * Recognizes `image` (bytes of a JPEG, PNG, BMP or TIFF; more with the current limits). Checks the
   * format and size against `limits` first and throws `AIS.0102`/`AIS.0103` locally instead of
   * spending a call.
   */
  async recognize(image: Uint8Array, options: RecognizeOptions = {}): Promise<GeneralTextResult> {
    const checked = checkImage(image, this.#limits);
    if (!checked.ok) {
      throw new OcrError(checked.error.error_code, `${checked.error.error_msg} (checked before sending)`);
    }
    const { signal, ...fields } = options;
    const body: GeneralTextRequest = {
      image: Buffer.from(image.buffer, image.byteOffset, image.byteLength).toString('base64'),
      ...fields,
    };
    return this.generalText(body, signal ? { signal } : {});
  }

  /** Sends any request body as is and resolves to the service's `result`. */
  async generalText(body: GeneralTextRequest, options: CallOptions = {}): Promise<GeneralTextResult> {
    const { signal } = options;
    const json = JSON.stringify(body);
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw aborted(signal.reason);
      let token: string | undefined;
      try {
        return await this.#limiter.run(async () => {
          const auth = this.#iam ? { 'X-Auth-Token': await this.#iam.token(signal) } : undefined;
          const headers = this.#headers(json, auth);
          token = headers['X-Auth-Token'];
          const response = await send(this.#url, {
            method: 'POST',
            headers,
            body: json,
            dispatcher: this.#dispatcher,
            timeoutMs: this.#timeoutMs,
            signal,
          });
          return this.#result(response);
        }, signal);
      } catch (caught) {
        const error = isOcrError(caught) ? caught : signal?.aborted ? aborted(signal.reason) : undefined;
        if (!error) throw caught;
        if (error.code === 'OCRKIT_ABORTED') throw error;
        if (classify(error.code, error.status) === 'refresh-token') {
          // The token was revoked or expired early: fetch a new one and try again, once. A rejected
          // new token ends the call (and leaves the cache, so that a later call fetches another).
          if (!this.#iam || !token) throw error;
          this.#iam.invalidate(token);
          if (refreshed) throw error;
          refreshed = true;
          attempt--;
          continue;
        }
        if (!error.retryable || attempt >= this.#retry.maxAttempts) throw error;
        const delay = retryDelayMs(attempt, this.#retry, { retryAfterMs: error.retryAfterMs, code: error.code });
        if (delay === undefined) throw error;
        await sleep(delay, signal);
      }
    }
  }

  /** Closes the connections this client opened; a dispatcher given in the options is left open. */
  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }

  /** Request headers with the credentials applied; `auth` carries an IAM token fetched for this attempt. */
  #headers(json: string, auth: Record<string, string> | undefined): Record<string, string> {
    const headers = { 'Content-Type': 'application/json', 'User-Agent': userAgent, ...auth };
    const credentials = this.#credentials;
    if ('token' in credentials) return { ...headers, 'X-Auth-Token': credentials.token };
    if ('accessKey' in credentials) {
      return signRequest({ method: 'POST', url: this.#target, headers, body: json }, credentials, {
        signedHeaders: [
          'content-type',
          'host',
          'x-sdk-date',
          ...(credentials.securityToken ? ['x-security-token'] : []),
        ],
      });
    }
    return headers;
  }

  #result(response: HttpResponse): GeneralTextResult {
    const requestId = header(response, 'x-request-id');
    const body = parseJson(response.text);
    const result = (body as { result?: unknown } | undefined)?.result;
    if (response.status >= 200 && response.status < 300 && isResult(result)) return result;

    const parsed = parseErrorBody(body);
    const status = response.status;
    const options = {
      status,
      requestId: requestId ?? parsed?.request_id,
      retryAfterMs: parseRetryAfter(header(response, 'retry-after')),
    };
    if (parsed) {
      const decision = classify(parsed.error_code, status);
      const retryable = decision === 'retry' || (decision === 'refresh-token' && this.#iam !== undefined);
      throw new OcrError(parsed.error_code, `${parsed.error_code}: ${parsed.error_msg} (HTTP ${status})`, {
        ...options,
        retryable,
      });
    }
    const snippet = response.text.slice(0, 120).replace(/\s+/g, ' ');
    const what = status >= 200 && status < 300 ? 'a body without a result' : 'an error without a code';
    throw new OcrError('OCRKIT_BAD_RESPONSE', `HTTP ${status} with ${what}: ${JSON.stringify(snippet)}`, {
      ...options,
      retryable: classify(undefined, status) === 'retry',
    });
  }
}

function checkCredentials(credentials: Credentials): Credentials {
  const c = credentials as unknown as Partial<Record<string, unknown>> | undefined;
  if (c && typeof c.token === 'string' && c.token !== '') return credentials;
  if (
    c &&
    typeof c.accessKey === 'string' &&
    c.accessKey !== '' &&
    typeof c.secretKey === 'string' &&
    c.secretKey !== ''
  ) {
    return credentials;
  }
  const iam = c?.iam as Record<string, unknown> | undefined;
  if (iam && ['username', 'password', 'domain'].every((name) => typeof iam[name] === 'string' && iam[name] !== '')) {
    return credentials;
  }
  throw new TypeError(
    'credentials must be { token }, { accessKey, secretKey, securityToken? } or { iam: { username, password, domain } }; ' +
      'credentialsFromEnv() reads them from the environment.',
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isResult(value: unknown): value is GeneralTextResult {
  const result = value as Partial<GeneralTextResult> | undefined;
  return typeof result === 'object' && result !== null && Array.isArray(result.words_block_list);
}
