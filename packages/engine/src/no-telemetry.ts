// ONNX Runtime 1.29 and later, as published, send usage telemetry from Linux and macOS too: a device id
// under ~/.cache/Microsoft/DeveloperTools/.onnxruntime and session, model and error events uploaded to
// mobile.events.data.microsoft.com (onnxruntime#27379). The engine must reach no network the user did not
// point it at, so it opts out before ONNX Runtime starts: ORT_DISABLE_TELEMETRY=1 is the runtime's own
// full opt-out (no uploader, no device id, no event cache), read once per process when the runtime
// initialises. Every module that imports onnxruntime-node imports this one first. A value the user set
// is left as it is.
process.env.ORT_DISABLE_TELEMETRY ??= '1';
