export { createEngine, type EngineOptions, LocalEngine } from './engine.js';
export { EngineError, type EngineErrorCode } from './errors.js';
export { defaultModelPaths, type ModelPaths } from './models.js';
