export {
  type ConvertedPage,
  type ConvertOptions,
  convert,
  type ImageInfo,
  isFailure,
  isResult,
  isSkipped,
  type PageFailure,
  type PageResult,
  type PageSkipped,
  type Progress,
} from './convert.js';
export { type OutputPaths, searchablePdf, writeOutputs } from './outputs.js';
export { serveCommand } from './serve-command.js';
