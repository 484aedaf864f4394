/** Messages between `PdfRenderer` (main thread) and `render-worker.ts` (its worker thread). */

export type RenderRequest =
  | { readonly id: number; readonly type: 'open'; readonly data: Uint8Array; readonly password: string | undefined }
  | { readonly id: number; readonly type: 'page'; readonly pageNumber: number }
  | {
      readonly id: number;
      readonly type: 'render';
      readonly pageNumber: number;
      /** Pixels per point of 1/72 inch (pdf.js multiplies it by /UserUnit). */
      readonly scale: number;
      /** The canvas's rectangle within the whole page rendered at `scale`, in pixels. */
      readonly left: number;
      readonly top: number;
      readonly width: number;
      readonly height: number;
    };

/**
 * The pixel slot of a `RenderReply`, handed back once encoded for the worker to copy the next page into: warm
 * memory instead of a fresh 35 MB buffer a page, whose page faults cost more than the copy. No reply.
 */
export interface RecycleMessage {
  readonly type: 'recycle';
  readonly slot: number;
}

/** How a request failed, as plain data (errors do not cross threads with their class). */
export interface WorkerFailure {
  readonly kind: 'password-required' | 'password-wrong' | 'invalid' | 'failed';
  readonly name: string;
  readonly message: string;
}

export interface OpenReply {
  readonly numPages: number;
}

export interface PageReply {
  /** pdf.js's `page.view`: the CropBox clipped to the MediaBox, [x1, y1, x2, y2] in user space. */
  readonly view: readonly [number, number, number, number];
  /** /Rotate normalised to 0, 90, 180 or 270. */
  readonly rotate: number;
  readonly userUnit: number;
}

/**
 * Pixels come in slots: `SharedArrayBuffer`s that both threads keep, each sent once. Moving a 35 MB
 * `ArrayBuffer` to and fro instead made each isolate count it as new external memory every page, and V8
 * answered with a full garbage collection per page in both (--trace-gc: 20 Mark-Compacts for 23 pages
 * where pdf.js alone needs 2).
 */
export interface RenderReply {
  /** The slot holding the pixels: premultiplied RGBA, opaque (pdf.js paints a white background first). */
  readonly slot: number;
  /** The slot's memory, sent the first time the slot is used only; keep it for the slot's later replies. */
  readonly buffer: SharedArrayBuffer | undefined;
  /** Slots the worker has dropped since its last reply: forget them. */
  readonly retired: readonly number[];
  readonly width: number;
  readonly height: number;
  /** The viewport's transform: user space to canvas pixels. */
  readonly viewportTransform: readonly [number, number, number, number, number, number];
}

export type RenderResponse =
  | { readonly id: number; readonly ok: true; readonly value: OpenReply | PageReply | RenderReply }
  | { readonly id: number; readonly ok: false; readonly failure: WorkerFailure };
