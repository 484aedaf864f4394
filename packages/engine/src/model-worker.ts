// A worker thread that owns one set of ONNX Runtime sessions. onnxruntime-node runs a model synchronously
// on the calling thread (its `run` is a setImmediate around a blocking call), so models on the engine's
// own thread would stall the caller's event loop (an HTTP server's) for whole pages, and two runs could
// never overlap. The pool (worker-pool.ts) sends one task at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { loadModels, type ModelPaths } from './models.js';
import { errorReply, runTask, type Task, type TaskReply } from './tasks.js';

export interface WorkerConfig {
  readonly paths: ModelPaths;
  /** Warm the detector up at a page's size (see models.ts). */
  readonly warmDetection: boolean;
}

const port = parentPort;
if (!port) throw new Error('model-worker.js runs as a worker thread of @ocrkit/engine');
const config = workerData as WorkerConfig;
const models = loadModels(config.paths, { warmDetection: config.warmDetection });
// A load failure is reported to every task, not as an unhandled rejection.
models.catch(() => {});

port.on('message', async ({ id, task }: { id: number; task: Task }) => {
  let reply: TaskReply;
  try {
    reply = { id, result: await runTask(await models, task) };
  } catch (error) {
    reply = errorReply(id, error);
  }
  port.postMessage(reply);
});
