import { parseErrorBody } from '@ocrkit/protocol';
import type { Dispatcher } from 'undici';
import { untilAborted } from './abort.js';
import type { IamPasswordCredentials } from './credentials.js';
import { OcrError } from './errors.js';
import { header, send } from './http.js';

export interface IamTokenSourceOptions {
  readonly region: string | undefined;
  readonly dispatcher: Dispatcher;
  readonly timeoutMs: number;
  readonly now?: () => number;
}

interface CachedToken {
  readonly token: string;
  readonly refreshAt: number;
  readonly expiresAt: number;
}

// IAM tokens live 24 h (API.md); refresh an hour early, or halfway for tokens that live less than 2 h.
const earlyRefreshMs = 60 * 60 * 1000;
const defaultLifetimeMs = 24 * 60 * 60 * 1000;

/**
 * Fetches a project-scoped IAM token with a user's password (`POST /v3/auth/tokens`), caches it,
 * refreshes it before it expires, one request in flight at a time however many calls wait for it.
 */
export class IamTokenSource {
  readonly #iam: IamPasswordCredentials['iam'];
  readonly #url: string;
  readonly #projectName: string;
  readonly #options: IamTokenSourceOptions;
  readonly #now: () => number;
  #cached: CachedToken | undefined;
  #inflight: Promise<CachedToken> | undefined;

  constructor(credentials: IamPasswordCredentials, options: IamTokenSourceOptions) {
    this.#iam = credentials.iam;
    const projectName = credentials.iam.projectName ?? options.region;
    if (!projectName) throw new TypeError('IAM credentials need a project: set region or credentials.iam.projectName.');
    const endpoint = credentials.iam.endpoint ?? (options.region && `https://iam.${options.region}.myhuaweicloud.com`);
    if (!endpoint) throw new TypeError('IAM credentials need an endpoint: set region or credentials.iam.endpoint.');
    this.#url = `${endpoint.replace(/\/+$/, '')}/v3/auth/tokens?nocatalog=true`;
    this.#projectName = projectName;
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** A valid token: the cached one, or a fresh one when it is due for refresh. */
  async token(signal?: AbortSignal): Promise<string> {
    const cached = this.#cached;
    const now = this.#now();
    if (cached && now < cached.refreshAt) return cached.token;
    try {
      return (await this.#refresh(signal)).token;
    } catch (error) {
      // A refresh that fails early is no reason to fail a call the current token still serves.
      if (cached && now < cached.expiresAt) return cached.token;
      throw error;
    }
  }

  /** Drops `token` from the cache after the API rejected it (the next `token()` fetches a new one). */
  invalidate(token: string): void {
    if (this.#cached?.token === token) this.#cached = undefined;
  }

  #refresh(signal: AbortSignal | undefined): Promise<CachedToken> {
    // Shared by every waiting call, so one caller's abort must not cancel it for the others.
    this.#inflight ??= this.#fetch().finally(() => {
      this.#inflight = undefined;
    });
    return untilAborted(this.#inflight, signal);
  }

  async #fetch(): Promise<CachedToken> {
    const { username, password, domain } = this.#iam;
    const body = JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user: { name: username, password, domain: { name: domain } } } },
        scope: { project: { name: this.#projectName } },
      },
    });
    const started = this.#now();
    const response = await send(this.#url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json;charset=utf8' },
      body,
      dispatcher: this.#options.dispatcher,
      timeoutMs: this.#options.timeoutMs,
    });
    const token = header(response, 'x-subject-token');
    const requestId = header(response, 'x-request-id');
    if (response.status < 200 || response.status > 299 || !token) {
      const parsed = parseErrorBody(safeJson(response.text));
      const retryable = response.status === 429 || response.status >= 500;
      throw new OcrError(
        parsed?.error_code ?? 'OCRKIT_IAM_FAILED',
        `IAM refused a token for user "${username}" in domain "${domain}" (HTTP ${response.status}${parsed ? `, ${parsed.error_code}: ${parsed.error_msg}` : ''}).`,
        { status: response.status, retryable, requestId },
      );
    }
    const expiresAt = Date.parse(tokenField(response.text, 'expires_at') ?? '');
    const issuedAt = Date.parse(tokenField(response.text, 'issued_at') ?? '');
    const end = Number.isNaN(expiresAt) ? started + defaultLifetimeMs : expiresAt;
    const lifetime = end - (Number.isNaN(issuedAt) ? started : issuedAt);
    const cached = { token, expiresAt: end, refreshAt: end - Math.min(earlyRefreshMs, lifetime / 2) };
    this.#cached = cached;
    return cached;
  }
}

function tokenField(text: string, name: 'expires_at' | 'issued_at'): string | undefined {
  const body = safeJson(text) as { token?: Record<string, unknown> } | undefined;
  const value = body?.token?.[name];
  return typeof value === 'string' ? value : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
