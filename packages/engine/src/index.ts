export { createEngine, type EngineOptions, LocalEngine, type RecognizeTimings } from './engine.js';
export { EngineError, type EngineErrorCode } from './errors.js';
export { defaultModelPaths, type ModelPaths } from './models.js';
