// ONNX Runtime 1.29 and later, as published, send usage telemetry from Linux and macOS too: a device id
// under ~/.cache/Microsoft/DeveloperTools/.onnxruntime and session, model and error events uploaded to
// mobile.events.data.microsoft.com (onnxruntime#27379). The engine must reach no network the user did not
// point it at, so it opts out before ONNX Runtime starts: ORT_DISABLE_TELEMETRY=1 is the runtime's own
// full opt-out (no uploader, no device id, no event cache), read from the process environment once, when
// the runtime initialises. Every module that imports onnxruntime-node imports this one first. A value the
// user set is left as it is.
import { isMainThread } from 'node:worker_threads';

if (process.env.ORT_DISABLE_TELEMETRY === undefined) {
  process.env.ORT_DISABLE_TELEMETRY = '1';
  // A worker thread's process.env is its own copy (unless created with SHARE_ENV): the runtime, reading
  // the process's environment, does not see the value set here. The engine's own model workers inherit
  // it from the thread that created them; an application that loads the engine in a worker of its own
  // must set the variable in the process environment itself.
  if (!isMainThread) {
    process.emitWarning(
      'ocrkit: the engine was loaded in a worker thread, which cannot switch off ONNX Runtime telemetry for ' +
        'the process: set ORT_DISABLE_TELEMETRY=1 in the environment (or load @ocrkit/engine on the main thread first).',
      { code: 'OCRKIT_ORT_TELEMETRY' },
    );
  }
}
