export type PdfErrorCode =
  /** The bytes are not a PDF pdf-lib can read. */
  | 'PDF_INVALID'
  /** The PDF is encrypted: decrypt it first (e.g. `qpdf --decrypt --password=... in.pdf out.pdf`). */
  | 'PDF_ENCRYPTED'
  /** A page number outside 1..pageCount. */
  | 'PAGE_OUT_OF_RANGE'
  /** An image that is neither JPEG nor PNG, or does not decode. */
  | 'IMAGE_INVALID';

/** The one error class of `@ocrkit/pdf`; match on `code`. */
export class PdfError extends Error {
  override readonly name = 'PdfError';
  readonly code: PdfErrorCode;
  readonly pageNumber: number | undefined;

  constructor(code: PdfErrorCode, message: string, options: { pageNumber?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.pageNumber = options.pageNumber;
  }
}
