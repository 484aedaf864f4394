export {
  type ConvertedPage,
  type ConvertOptions,
  convert,
  type ImageInfo,
  isFailure,
  type PageFailure,
  type PageResult,
  type Progress,
} from './convert.js';
export { type OutputPaths, searchablePdf, writeOutputs } from './outputs.js';
export { serveCommand } from './serve-command.js';
