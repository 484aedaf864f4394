// The pdf.js side of `PdfRenderer`, in a worker thread so that a page that hangs or runs away can be stopped
// by terminating the thread. Self-contained on purpose: Node loads this file directly (as .ts in the tests,
// by type stripping), so it imports packages and types only, never other files of this package.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { type Canvas, createCanvas } from '@napi-rs/canvas';
import { AnnotationMode, getDocument, type PDFDocumentProxy, type PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type {
  OpenReply,
  PageReply,
  RecycleMessage,
  RenderReply,
  RenderRequest,
  RenderResponse,
  WorkerFailure,
} from './render-protocol.js';

type PdfCanvas = Parameters<PDFPageProxy['render']>[0]['canvas'];

const port = parentPort;
if (!port) throw new Error('render-worker.ts runs as a worker thread of PdfRenderer only.');

// Fonts, CMaps, ICC profiles and WASM decoders come from the installed package, read with fs by pdf.js's
// NodeBinaryDataFactory: never the network. pdf.js wants each directory with a trailing slash.
const root = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
const assets = {
  standardFontDataUrl: `${join(root, 'standard_fonts')}/`,
  cMapUrl: `${join(root, 'cmaps')}/`,
  iccUrl: `${join(root, 'iccs')}/`,
  wasmUrl: `${join(root, 'wasm')}/`,
};

let document: PDFDocumentProxy | undefined;
let current: PDFPageProxy | undefined;

port.on('message', (request: RenderRequest | RecycleMessage) => {
  if (request.type === 'recycle') {
    recycle(request.slot);
    return;
  }
  handle(request).then(
    ({ value, transfer }) => reply({ id: request.id, ok: true, value }, transfer),
    (error: unknown) => reply({ id: request.id, ok: false, failure: describe(error) }, []),
  );
});

function reply(response: RenderResponse, transfer: ArrayBuffer[]): void {
  port?.postMessage(response, transfer);
}

async function handle(
  request: RenderRequest,
): Promise<{ value: OpenReply | PageReply | RenderReply; transfer: ArrayBuffer[] }> {
  switch (request.type) {
    case 'open': {
      const task = getDocument({
        data: request.data,
        ...(request.password === undefined ? {} : { password: request.password }),
        ...assets,
        // Node defaults, spelled out: glyphs drawn as paths (no FontFace in Node), no system fonts.
        disableFontFace: true,
        useSystemFonts: false,
        // Render what can be rendered of a damaged file, as viewers do.
        stopAtErrors: false,
        verbosity: 0,
      });
      document = await task.promise;
      return { value: { numPages: document.numPages }, transfer: [] };
    }
    case 'page': {
      const page = await pageOf(request.pageNumber);
      const [x1 = 0, y1 = 0, x2 = 0, y2 = 0] = page.view;
      return { value: { view: [x1, y1, x2, y2], rotate: page.rotate, userUnit: page.userUnit }, transfer: [] };
    }
    case 'render': {
      const page = await pageOf(request.pageNumber);
      const viewport = page.getViewport({ scale: request.scale, offsetX: -request.left, offsetY: -request.top });
      const canvas = canvasOf(request.width, request.height);
      // pdf.js types its canvas as the DOM's; @napi-rs/canvas is the Node stand-in pdf.js itself uses.
      // AnnotationMode.ENABLE draws form fields' appearance streams too: the default (ENABLE_FORMS) leaves
      // them to a viewer's HTML layer, and a filled-in form would come out blank where its values are.
      await page.render({ canvas: canvas as unknown as PdfCanvas, viewport, annotationMode: AnnotationMode.ENABLE })
        .promise;
      const slot = pixelsOf(canvas);
      const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = viewport.transform;
      const buffer = slot.sent ? undefined : slot.buffer;
      slot.sent = true;
      return {
        value: {
          slot: slot.id,
          buffer,
          retired: retired.splice(0),
          width: request.width,
          height: request.height,
          viewportTransform: [a, b, c, d, e, f],
        },
        transfer: [],
      };
    }
  }
}

let canvas: Canvas | undefined;

/**
 * One canvas kept from page to page while the size stays (a book's pages all share one): a fresh 35 MB
 * surface a page costs its allocation and page faults again. pdf.js paints the white background itself,
 * so a reset context is as good as a new canvas.
 */
function canvasOf(width: number, height: number): Canvas {
  if (canvas?.width === width && canvas.height === height) {
    canvas.getContext('2d').reset();
    return canvas;
  }
  if (canvas) {
    // Frees the old surface now rather than at the next garbage collection.
    canvas.width = 0;
    canvas.height = 0;
  }
  canvas = createCanvas(width, height);
  return canvas;
}

async function pageOf(pageNumber: number): Promise<PDFPageProxy> {
  if (!document) throw new Error('No document is open.');
  if (current?.pageNumber === pageNumber) return current;
  current?.cleanup();
  current = await document.getPage(pageNumber);
  return current;
}

/** Shared pixel memory, kept by both threads (see `RenderReply`); `sent` once the main thread has it. */
interface Slot {
  readonly id: number;
  readonly buffer: SharedArrayBuffer;
  sent: boolean;
}

/** Slots the main thread handed back for the next pages (one encoding, one waiting: two suffice). */
const spares: Slot[] = [];
const MAX_SPARES = 2;
/** Every slot not retired, by id: spares and those the main thread holds. */
const slots = new Map<number, Slot>();
/** Slots dropped since the last reply, for the main thread to drop too. */
const retired: number[] = [];
let nextSlot = 1;

function recycle(id: number): void {
  const slot = slots.get(id);
  // A slot handed back twice must not be given out twice.
  if (!slot || spares.includes(slot)) return;
  if (spares.length < MAX_SPARES) spares.push(slot);
  else retire(slot);
}

function retire(slot: Slot): void {
  slots.delete(slot.id);
  retired.push(slot.id);
}

/** A spare slot of `byteLength` bytes, or a new one. */
function slotOf(byteLength: number): Slot {
  const index = spares.findIndex((spare) => spare.buffer.byteLength === byteLength);
  if (index >= 0) return spares.splice(index, 1)[0] as Slot;
  // Spares of another size are a previous page size's: dropped rather than held to the end of the document.
  for (const spare of spares.splice(0)) retire(spare);
  const slot: Slot = { id: nextSlot++, buffer: new SharedArrayBuffer(byteLength), sent: false };
  slots.set(slot.id, slot);
  return slot;
}

/**
 * The canvas's pixels, copied into a slot. `canvas.data()` is already a copy (its cost is mostly Skia
 * drawing what pdf.js recorded: @napi-rs/canvas defers drawing to the first read), but in memory owned by
 * the canvas library, freed with this thread, hence the second copy into memory both threads own; it costs
 * 2-4 ms for A4 at 300 dpi.
 */
function pixelsOf(canvas: Canvas): Slot {
  const data = canvas.data();
  const slot = slotOf(data.byteLength);
  new Uint8Array(slot.buffer).set(data);
  release(data);
  return slot;
}

/**
 * Frees the copy now instead of at a garbage collection: left to the collector, every page adds its size in
 * external memory, and V8 answers with full collections over pdf.js's heap (--cpu-prof, the book's first 60
 * pages: 825 ms of GC in this thread before, 510-690 ms after).
 */
function release(data: Uint8Array): void {
  const { buffer } = data;
  if (!(buffer instanceof ArrayBuffer)) return;
  try {
    buffer.transfer(0);
  } catch {
    // A buffer that cannot be detached is left to the collector.
  }
}

/** pdf.js's exceptions by name (PasswordException code 1 = NEED_PASSWORD, 2 = INCORRECT_PASSWORD). */
function describe(error: unknown): WorkerFailure {
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'PasswordException') {
    const code = (error as { code?: unknown }).code;
    return { kind: code === 2 ? 'password-wrong' : 'password-required', name, message };
  }
  if (name === 'InvalidPDFException' || name === 'FormatError' || name === 'UnknownErrorException') {
    return { kind: 'invalid', name, message };
  }
  return { kind: 'failed', name, message };
}
