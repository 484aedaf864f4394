import type { RawPixels } from './encode.js';
import type { Transform } from './transform.js';
import type { PageFailure, TileInfo } from './types.js';

/** What the PDF and image readers hand to the encoder: pixels with their geometry, or a failed page. */
export type SourceItem =
  | {
      readonly kind: 'raw';
      readonly pageNumber: number;
      readonly raw: RawPixels;
      /** The raw pixels to PDF user space. */
      readonly transform: Transform;
      readonly dpi: number;
      readonly tile: TileInfo | undefined;
      /** Hands `raw.pixels` back to their renderer once encoded; they must not be read after. */
      readonly recycle?: () => void;
    }
  | {
      /** An input image that already fits the limits as it is, passed through unchanged. */
      readonly kind: 'encoded';
      readonly pageNumber: number;
      readonly data: Uint8Array;
      readonly mimeType: 'image/jpeg' | 'image/png';
      readonly width: number;
      readonly height: number;
      readonly transform: Transform;
      readonly dpi: number;
    }
  | { readonly kind: 'failure'; readonly failure: PageFailure };
