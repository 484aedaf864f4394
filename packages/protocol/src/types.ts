/** A point in image pixels: origin top-left, x right, y down. */
export type Point = readonly [x: number, y: number];

/** Four points clockwise from the text's top-left corner (rotated text gives a rotated quad). */
export type Quad = readonly [Point, Point, Point, Point];

/** Body of `POST /v2/{project_id}/ocr/general-text`. Exactly one of `image` / `url`. */
export interface GeneralTextRequest {
  /** Base64 of the image bytes, without a `data:` prefix. */
  readonly image?: string;
  /** http(s) URL the service fetches the image from. */
  readonly url?: string;
  /** Detect and correct any rotation of the image. @default false */
  readonly detect_direction?: boolean;
  /** Fast path for an image that holds a single text line. @default false */
  readonly quick_mode?: boolean;
  /** (newer) Add `char_list` to each block. @default false */
  readonly character_mode?: boolean;
  /** (newer) `zh` (Chinese and English), `auto`, `ja`, `ko`, `ru`, `ar`, ... @default "zh" */
  readonly language?: string;
  /** (newer) All text shares one orientation. @default false */
  readonly single_orientation_mode?: boolean;
  /** (newer) Page of a PDF sent as `image`, 1-based. @default 1 */
  readonly pdf_page_number?: number;
  /** (newer) Also return `markdown_result`. @default false */
  readonly return_markdown_result?: boolean;
}

/** The optional fields of a request: what a recognizer accepts besides the image. */
export type GeneralTextOptions = Omit<GeneralTextRequest, 'image' | 'url'>;

export interface GeneralTextChar {
  readonly char: string;
  readonly char_location: Quad;
  /** 0..1 */
  readonly char_confidence: number;
}

export interface GeneralTextWordsBlock {
  /** The text of the block (about one line). */
  readonly words: string;
  /** Integer pixel coordinates, clockwise from the text's top-left. */
  readonly location: Quad;
  /** 0..1 (newer service; absent from the seed's responses). */
  readonly confidence?: number;
  /** Present when `character_mode` was requested. */
  readonly char_list?: readonly GeneralTextChar[];
}

export interface GeneralTextResult {
  /** Counter-clockwise rotation of the image in degrees [0, 360) when `detect_direction`, else -1. */
  readonly direction: number;
  readonly words_block_count: number;
  /** Ordered left to right, top to bottom. */
  readonly words_block_list: readonly GeneralTextWordsBlock[];
  /** Present when `return_markdown_result`: blocks on one line joined by `\t`, lines by `\n`. */
  readonly markdown_result?: string;
}

/** The 200 response body. */
export interface GeneralTextResponse {
  readonly result: GeneralTextResult;
}

/** The error body the service sends with a 4xx/5xx status. */
export interface ApiErrorBody {
  readonly error_code: string;
  readonly error_msg: string;
  /** Added by the API gateway on some errors. */
  readonly request_id?: string;
}

/** Options of one recognition: the request's optional fields plus cancellation. */
export interface RecognizeOptions extends GeneralTextOptions {
  readonly signal?: AbortSignal;
}

/**
 * Anything that turns an image into the API's result: the cloud client, the embedded engine, a server.
 * The only seam between OCR and everything after it.
 */
export interface TextRecognizer {
  recognize(image: Uint8Array, options?: RecognizeOptions): Promise<GeneralTextResult>;
}
