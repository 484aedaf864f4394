export {
  type AddTextLayerOptions,
  addTextLayer,
  type ImagePage,
  imagesToPdf,
  isEncrypted,
  type TextLayerPage,
} from './add-text-layer.js';
export { PdfError, type PdfErrorCode } from './errors.js';
export { imageToPage, type Matrix } from './matrix.js';
