import { Worker } from 'node:worker_threads';
import { abortError } from './errors.js';
import type {
  OpenReply,
  PageReply,
  RecycleMessage,
  RenderReply,
  RenderRequest,
  RenderResponse,
  WorkerFailure,
} from './render-protocol.js';

/** Why a call to the worker did not answer: its time ran out, the thread died, or it was stopped. */
export class RendererStopped extends Error {
  override readonly name = 'RendererStopped';
  readonly reason: 'timeout' | 'crashed' | 'stopped';
  constructor(reason: 'timeout' | 'crashed' | 'stopped', message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.reason = reason;
  }
}

/** A failure the worker reported for one request (the thread lives on). */
export class RendererFailure extends Error {
  override readonly name = 'RendererFailure';
  readonly failure: WorkerFailure;
  constructor(failure: WorkerFailure) {
    super(`${failure.name}: ${failure.message}`);
    this.failure = failure;
  }
}

/** A rendered tile on the main side: its pixels are slot memory, valid until `recycle(slot)`. */
export interface Rendered extends Omit<RenderReply, 'buffer' | 'retired'> {
  readonly pixels: Uint8Array;
}

export interface CallOptions {
  /** Time this call may take, in milliseconds; the thread is terminated when it runs out. */
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
}

type Distribute<T> = T extends unknown ? Omit<T, 'id'> : never;

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

// Node runs the .ts source directly under the tests (type stripping); the built package ships .js.
const workerUrl = new URL(
  import.meta.url.endsWith('.ts') ? './render-worker.ts' : './render-worker.js',
  import.meta.url,
);

/**
 * pdf.js in a worker thread, one document at a time. Every call has a deadline and a signal: when either
 * fires the thread is terminated (pdf.js cannot be interrupted inside a long operation), and the renderer
 * is dead; open a new one to go on.
 */
export class PdfRenderer {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  /** The worker's pixel slots, by id (see `RenderReply`). */
  readonly #slots = new Map<number, Uint8Array>();
  #nextId = 1;
  #stopped: RendererStopped | undefined;

  private constructor() {
    this.#worker = new Worker(workerUrl);
    this.#worker.on('message', (response: RenderResponse) => {
      const pending = this.#pending.get(response.id);
      if (!pending) return;
      if (response.ok) pending.resolve(response.value);
      else pending.reject(new RendererFailure(response.failure));
    });
    this.#worker.on('error', (error) => this.#stop(new RendererStopped('crashed', error.message, error)));
    this.#worker.on('exit', (code) => this.#stop(new RendererStopped('crashed', `The renderer exited (${code}).`)));
    // The thread must not keep a caller's process alive once iteration has stopped.
    this.#worker.unref();
  }

  /** Starts a worker and opens `data` in it (a copy is sent; `data` stays usable). */
  static async open(
    data: Uint8Array,
    password: string | undefined,
    options: CallOptions,
  ): Promise<{ renderer: PdfRenderer; numPages: number }> {
    const renderer = new PdfRenderer();
    try {
      const copy = data.slice();
      const reply = (await renderer.#call({ type: 'open', data: copy, password }, [copy.buffer], options)) as OpenReply;
      return { renderer, numPages: reply.numPages };
    } catch (error) {
      renderer.close();
      throw error;
    }
  }

  get alive(): boolean {
    return this.#stopped === undefined;
  }

  async page(pageNumber: number, options: CallOptions): Promise<PageReply> {
    return (await this.#call({ type: 'page', pageNumber }, [], options)) as PageReply;
  }

  async render(
    request: Distribute<Extract<RenderRequest, { type: 'render' }>>,
    options: CallOptions,
  ): Promise<Rendered> {
    const { buffer, retired, ...reply } = (await this.#call(request, [], options)) as RenderReply;
    for (const slot of retired) this.#slots.delete(slot);
    if (buffer) this.#slots.set(reply.slot, new Uint8Array(buffer));
    const pixels = this.#slots.get(reply.slot);
    if (!pixels) throw new Error(`The renderer replied with pixel slot ${reply.slot}, which it never sent.`);
    return { ...reply, pixels: pixels.subarray(0, reply.width * reply.height * 4) };
  }

  /** Hands the pixels of a `render` reply back once they are no longer read, for the next page to reuse. */
  recycle(slot: number): void {
    if (this.#stopped) return;
    const message: RecycleMessage = { type: 'recycle', slot };
    this.#worker.postMessage(message);
  }

  /** Terminates the thread; pending calls reject. */
  close(): void {
    this.#stop(new RendererStopped('stopped', 'The renderer was closed.'));
  }

  #stop(reason: RendererStopped): void {
    if (this.#stopped) return;
    this.#stopped = reason;
    this.#slots.clear();
    void this.#worker.terminate();
    for (const pending of this.#pending.values()) pending.reject(reason);
    this.#pending.clear();
  }

  #call(request: Distribute<RenderRequest>, transfer: ArrayBuffer[], options: CallOptions): Promise<unknown> {
    const { signal, timeoutMs } = options;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    if (this.#stopped) return Promise.reject(this.#stopped);
    const id = this.#nextId++;
    return new Promise<unknown>((resolve, reject) => {
      const onAbort = () => {
        settle();
        reject(abortError(signal as AbortSignal));
        this.#stop(new RendererStopped('stopped', 'Aborted.'));
      };
      const timer = setTimeout(() => {
        this.#stop(new RendererStopped('timeout', `The renderer did not answer within ${timeoutMs} ms.`));
      }, timeoutMs);
      const settle = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.#pending.delete(id);
      };
      this.#pending.set(id, {
        resolve: (value) => {
          settle();
          resolve(value);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#worker.postMessage({ ...request, id }, transfer);
    });
  }
}
