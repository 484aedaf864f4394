import { describe, expect, test } from 'vitest';
import type { EngineError } from '../dist/index.js';
import { WorkerPool } from '../dist/worker-pool.js';

const script = new URL('./fixtures/scripted-worker.mjs', import.meta.url);
const paths = { detection: '', recognition: '', classification: '', dictionary: '' };
const pool = (size: number) => new WorkerPool({ paths, size, script });
// The scripted worker waits one millisecond per quad before answering a read.
const slowRead = (ms: number) =>
  ({
    kind: 'read',
    image: { data: new Uint8Array(), width: 0, height: 0, channels: 3 },
    quads: Array(ms).fill(0),
  }) as never;
/** The error a task fails with; a task that succeeds fails the test. */
const failure = (task: Promise<unknown>): Promise<EngineError> =>
  task.then(
    () => {
      throw new Error('the task succeeded');
    },
    (error: EngineError) => error,
  );
const scripted = (...quads: unknown[]) =>
  ({ kind: 'classify', image: { data: new Uint8Array(), width: 0, height: 0, channels: 3 }, quads }) as never;

describe('WorkerPool', () => {
  test('runs concurrent tasks on different workers, any kind on any worker', async () => {
    const workers = pool(2);
    const [a, b] = (await Promise.all([workers.run(slowRead(50)), workers.run(slowRead(50))])) as unknown as {
      threadId: number;
    }[];
    expect(a?.threadId).not.toBe(b?.threadId);
    const [read, detected] = (await Promise.all([
      workers.run(slowRead(50)),
      workers.run({ kind: 'detect' } as never),
    ])) as unknown as { threadId: number }[];
    expect(detected?.threadId).not.toBe(read?.threadId);
    await workers.close();
  });

  test('a worker that exits fails its task with AIS.0105 and is replaced for the next task', async () => {
    const workers = pool(1);
    const error = await failure(workers.run(scripted('exit', 7)));
    expect(error.code).toBe('AIS.0105');
    expect(error.message).toMatch(/stopped with code 7 while running a classify task/);
    expect(await workers.run(slowRead(1))).toMatchObject({ threadId: expect.any(Number) });
    await workers.close();
  });

  test('an uncaught error in a worker fails its task with AIS.0105 naming the error', async () => {
    const workers = pool(1);
    const error = await failure(workers.run(scripted('throw', 'tensor shape mismatch')));
    expect(error.code).toBe('AIS.0105');
    expect(error.message).toMatch(/tensor shape mismatch/);
    expect(await workers.run(slowRead(1))).toMatchObject({ threadId: expect.any(Number) });
    await workers.close();
  });

  test('a queued task whose signal aborts fails with OCRKIT_ABORTED; the running one completes', async () => {
    const workers = pool(1);
    const controller = new AbortController();
    const running = workers.run(slowRead(100), controller.signal);
    const queued = failure(workers.run(slowRead(1), controller.signal));
    controller.abort();
    expect((await queued).code).toBe('OCRKIT_ABORTED');
    expect(await running).toMatchObject({ threadId: expect.any(Number) });
    expect((await failure(workers.run(slowRead(1), controller.signal))).code).toBe('OCRKIT_ABORTED');
    await workers.close();
  });

  test('close() fails running and queued tasks with OCRKIT_ENGINE_CLOSED, and every later task', async () => {
    const workers = pool(1);
    const running = failure(workers.run(slowRead(500)));
    const queued = failure(workers.run(slowRead(1)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await workers.close();
    expect((await running).code).toBe('OCRKIT_ENGINE_CLOSED');
    expect((await queued).code).toBe('OCRKIT_ENGINE_CLOSED');
    expect((await failure(workers.run(slowRead(1)))).code).toBe('OCRKIT_ENGINE_CLOSED');
  });
});
