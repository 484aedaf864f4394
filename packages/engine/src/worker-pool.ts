import { Worker } from 'node:worker_threads';
import { EngineError } from './errors.js';
import type { WorkerConfig } from './model-worker.js';
import type { ModelPaths } from './models.js';
import type { Task, TaskReply, TaskResults } from './tasks.js';

export interface PoolOptions {
  readonly paths: ModelPaths;
  /** Worker threads, each with its own sessions of the three models. */
  readonly size: number;
  /** The worker script. @default model-worker.js beside this module */
  readonly script?: URL;
}

interface Job {
  readonly task: Task;
  /** The one worker that must run it (`load` goes to each), or any. */
  readonly slot: number | undefined;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

interface Slot {
  readonly index: number;
  worker: Worker | undefined;
  job: (Job & { readonly id: number }) | undefined;
  /** What the worker threw before it exited, for the message. */
  failure: Error | undefined;
  /** Called once the running task is over (answered, or the worker gone). */
  onIdle: (() => void) | undefined;
}

/**
 * Model workers fed from one FIFO queue, one task per worker at a time. Workers start on first use, are
 * replaced when one dies (its task fails with `AIS.0105`), and never keep the process alive while idle.
 */
export class WorkerPool {
  readonly #options: PoolOptions;
  readonly #slots: Slot[];
  readonly #queue: Job[] = [];
  #nextId = 0;
  #closed = false;

  constructor(options: PoolOptions) {
    this.#options = options;
    this.#slots = Array.from({ length: options.size }, (_, index) => ({
      index,
      worker: undefined,
      job: undefined,
      failure: undefined,
      onIdle: undefined,
    }));
  }

  get size(): number {
    return this.#slots.length;
  }

  /** Loads every worker's models; rejects with the first failure. */
  async load(): Promise<void> {
    await Promise.all(this.#slots.map((slot) => this.#enqueue({ kind: 'load' }, slot.index, undefined)));
  }

  run<K extends Task['kind']>(task: Task & { kind: K }, signal?: AbortSignal): Promise<TaskResults[K]> {
    return this.#enqueue(task, undefined, signal) as Promise<TaskResults[K]>;
  }

  /**
   * Stops every worker; queued and running tasks fail with `OCRKIT_ENGINE_CLOSED` at once. A worker is
   * terminated only once its running task is over: terminating a thread inside ONNX Runtime (a model
   * loading or running) aborts the whole process (a Napi::Error thrown during teardown, SIGABRT).
   */
  async close(): Promise<void> {
    this.#closed = true;
    const closed = () => new EngineError('OCRKIT_ENGINE_CLOSED', 'The engine is closed: create a new one.');
    for (const job of this.#queue.splice(0)) settle(job, closed());
    await Promise.all(
      this.#slots.map(async (slot) => {
        const { worker, job } = slot;
        if (job) {
          settle(job, closed());
          await new Promise<void>((resolve) => {
            slot.onIdle = resolve;
          });
        }
        slot.worker = undefined;
        slot.job = undefined;
        await worker?.terminate();
      }),
    );
  }

  #enqueue(task: Task, slot: number | undefined, signal: AbortSignal | undefined): Promise<unknown> {
    if (this.#closed)
      return Promise.reject(new EngineError('OCRKIT_ENGINE_CLOSED', 'The engine is closed: create a new one.'));
    if (signal?.aborted) return Promise.reject(aborted(signal));
    return new Promise((resolve, reject) => {
      const job: Job = {
        task,
        slot,
        resolve,
        reject,
        signal,
        onAbort: () => {
          const queued = this.#queue.indexOf(job);
          if (queued < 0) return; // running: its result is dropped by the caller
          this.#queue.splice(queued, 1);
          reject(aborted(signal as AbortSignal));
        },
      };
      signal?.addEventListener('abort', job.onAbort, { once: true });
      this.#queue.push(job);
      this.#dispatch();
    });
  }

  #dispatch(): void {
    for (const slot of this.#slots) {
      if (slot.job) continue;
      const next = this.#queue.findIndex((job) => job.slot === undefined || job.slot === slot.index);
      if (next < 0) continue;
      const [job] = this.#queue.splice(next, 1) as [Job];
      const worker = this.#worker(slot);
      const id = this.#nextId++;
      slot.job = { ...job, id };
      worker.ref();
      worker.postMessage({ id, task: job.task });
    }
  }

  #worker(slot: Slot): Worker {
    if (slot.worker) return slot.worker;
    // A first page goes to the first idle worker, which is worker 0.
    const config: WorkerConfig = { paths: this.#options.paths, warmDetection: slot.index === 0 };
    const worker = new Worker(this.#options.script ?? new URL('./model-worker.js', import.meta.url), {
      workerData: config,
    });
    worker.unref();
    worker.on('message', (reply: TaskReply) => {
      const job = slot.job;
      if (!job || job.id !== reply.id) return;
      slot.job = undefined;
      slot.onIdle?.();
      worker.unref();
      settle(job, 'error' in reply ? new EngineError(reply.error.code, reply.error.message) : undefined, reply);
      this.#dispatch();
    });
    worker.on('error', (error) => {
      slot.failure = error;
    });
    worker.on('exit', (code) => {
      slot.onIdle?.();
      if (slot.worker !== worker) return; // terminated by close()
      slot.worker = undefined;
      const job = slot.job;
      slot.job = undefined;
      const reason = slot.failure ? `: ${slot.failure.message}` : ` with code ${code}`;
      slot.failure = undefined;
      if (job) {
        settle(
          job,
          new EngineError('AIS.0105', `The OCR worker thread stopped${reason} while running a ${job.task.kind} task.`),
        );
      }
      this.#dispatch();
    });
    slot.worker = worker;
    return worker;
  }
}

function settle(job: Job, error: Error | undefined, reply?: TaskReply): void {
  job.signal?.removeEventListener('abort', job.onAbort);
  if (error) job.reject(error);
  else job.resolve(reply && 'result' in reply ? reply.result : undefined);
}

function aborted(signal: AbortSignal): EngineError {
  return new EngineError('OCRKIT_ABORTED', 'Recognition was aborted by its signal.', { cause: signal.reason });
}
