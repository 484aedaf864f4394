// The pdf.js side of `PdfRenderer`, in a worker thread so that a page that hangs or runs away can be stopped
// by terminating the thread. Self-contained on purpose: Node loads this file directly (as .ts in the tests,
// by type stripping), so it imports packages and types only, never other files of this package.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { createCanvas } from '@napi-rs/canvas';
import { getDocument, type PDFDocumentProxy, type PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type {
  OpenReply,
  PageReply,
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

port.on('message', (request: RenderRequest) => {
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
      const canvas = createCanvas(request.width, request.height);
      try {
        // pdf.js types its canvas as the DOM's; @napi-rs/canvas is the Node stand-in pdf.js itself uses.
        await page.render({ canvas: canvas as unknown as PdfCanvas, viewport }).promise;
        const pixels = transferable(canvas.data());
        const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = viewport.transform;
        return {
          value: { pixels, width: request.width, height: request.height, viewportTransform: [a, b, c, d, e, f] },
          transfer: [pixels.buffer as ArrayBuffer],
        };
      } finally {
        // Frees the surface now rather than at the next garbage collection.
        canvas.width = 0;
        canvas.height = 0;
      }
    }
  }
}

async function pageOf(pageNumber: number): Promise<PDFPageProxy> {
  if (!document) throw new Error('No document is open.');
  if (current?.pageNumber === pageNumber) return current;
  current?.cleanup();
  current = await document.getPage(pageNumber);
  return current;
}

/** A copy that owns its whole ArrayBuffer, unless `buffer` already does (then it moves, uncopied). */
function transferable(buffer: Uint8Array): Uint8Array {
  if (
    buffer.byteOffset === 0 &&
    buffer.byteLength === buffer.buffer.byteLength &&
    buffer.buffer instanceof ArrayBuffer
  ) {
    try {
      return new Uint8Array(structuredClone(buffer.buffer, { transfer: [buffer.buffer] }));
    } catch {
      // An external buffer owned by the canvas cannot be detached: copy it below.
    }
  }
  return new Uint8Array(buffer);
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
