export { isRasterizeError, RasterizeError, type RasterizeErrorCode } from './errors.js';
export { mergeTileResults, type TileResult } from './merge-tiles.js';
export { pageCount, rasterize } from './rasterize.js';
export { apply as applyTransform, invert as invertTransform, type Transform } from './transform.js';
export type {
  PageCountOptions,
  PageFailure,
  PageImage,
  RasterizedPage,
  RasterizeOptions,
  TileInfo,
} from './types.js';
