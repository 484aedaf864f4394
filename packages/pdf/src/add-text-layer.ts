import type { Page } from '@ocrkit/layout';
import {
  ParseSpeeds,
  PDFArray,
  PDFDocument,
  PDFName,
  type PDFPageLeaf,
  type PDFRef,
  PDFStream,
  PDFString,
} from 'pdf-lib';
import { PdfError } from './errors.js';
import { glyphless, glyphlessFontProgram } from './glyphless-font.js';
import { imageToPage, type Matrix } from './matrix.js';
import { TextEncoder16 } from './text-encoding.js';
import { textLayerContent } from './text-layer.js';

export interface TextLayerPage {
  /** 1-based page of the original PDF. */
  readonly pageNumber: number;
  readonly page: Page;
  /** Image pixels of `page` → the PDF page's user space (what `@ocrkit/rasterize` returns as `transform`). */
  readonly transform: Matrix;
}

export interface AddTextLayerOptions {
  /** Replace text layers ocrkit added before instead of keeping them. @default false */
  readonly redo?: boolean;
}

export interface ImagePage {
  /** JPEG or PNG bytes. */
  readonly data: Uint8Array;
  readonly mimeType: string;
  /** Pixels per inch: sets the page size. */
  readonly dpi: number;
  readonly page: Page;
}

// Streams ocrkit adds carry this key, so that a later run with `redo` can find and drop them.
const marker = PDFName.of('OcrKit');

/**
 * The original PDF with an invisible text layer on each given page. The page's own content streams are
 * kept byte for byte, wrapped in q/Q so their graphics state cannot leak into the layer, which is an
 * added content stream (marked /OcrKit /TextLayer) using one small embedded glyphless font for the
 * whole document.
 */
export async function addTextLayer(
  original: Uint8Array,
  pages: readonly TextLayerPage[],
  options: AddTextLayerOptions = {},
): Promise<Uint8Array> {
  const doc = await load(original);
  const count = doc.getPageCount();
  const layer = new FontResources(doc);
  for (const { pageNumber, page, transform } of pages) {
    if (!Number.isInteger(pageNumber) || pageNumber < 1 || pageNumber > count) {
      throw new PdfError('PAGE_OUT_OF_RANGE', `Page ${pageNumber} does not exist: the PDF has ${count} pages.`, {
        pageNumber,
      });
    }
    const leaf = doc.getPage(pageNumber - 1).node;
    if (options.redo) removeOwnStreams(leaf);
    addLayer(doc, leaf, layer, textLayerContent(page, transform, 'OcrKitText', layer.encoder));
  }
  layer.finish();
  return doc.save({ updateFieldAppearances: false });
}

/** A new PDF, one page per image (sized from its dpi), each with its invisible text layer. */
export async function imagesToPdf(images: readonly ImagePage[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const layer = new FontResources(doc);
  for (const [index, image] of images.entries()) {
    let embedded: Awaited<ReturnType<PDFDocument['embedPng']>>;
    try {
      if (image.mimeType === 'image/jpeg') embedded = await doc.embedJpg(image.data);
      else if (image.mimeType === 'image/png') embedded = await doc.embedPng(image.data);
      else throw new Error(`${image.mimeType} is not JPEG or PNG`);
    } catch (error) {
      throw new PdfError('IMAGE_INVALID', `Image ${index + 1} cannot be embedded: ${(error as Error).message}.`, {
        pageNumber: index + 1,
        cause: error,
      });
    }
    const scale = 72 / image.dpi;
    const pdfPage = doc.addPage([embedded.width * scale, embedded.height * scale]);
    pdfPage.drawImage(embedded, { x: 0, y: 0, width: embedded.width * scale, height: embedded.height * scale });
    const content = textLayerContent(image.page, imageToPage(embedded.height, image.dpi), 'OcrKitText', layer.encoder);
    addLayer(doc, pdfPage.node, layer, content);
  }
  layer.finish();
  return doc.save();
}

/**
 * Whether the PDF is encrypted, which `addTextLayer` cannot write back: ask before spending work on it.
 * A byte scan for the trailer's /Encrypt key first; only a file that has one is parsed to be sure.
 */
export async function isEncrypted(pdf: Uint8Array): Promise<boolean> {
  if (!Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).includes('/Encrypt')) return false;
  try {
    return (await parse(pdf)).isEncrypted;
  } catch {
    return false;
  }
}

/**
 * pdf-lib's parse, without its console: it warns about every object it skips ("Trying to parse invalid
 * object"), which a library must not print. Parsing at full speed never yields to the event loop
 * (ParseSpeeds.Fastest), so console.warn is ours only for that synchronous stretch.
 */
async function parse(pdf: Uint8Array): Promise<PDFDocument> {
  const warn = console.warn;
  console.warn = () => {};
  try {
    return await PDFDocument.load(pdf, {
      updateMetadata: false,
      ignoreEncryption: true,
      parseSpeed: ParseSpeeds.Fastest,
    });
  } finally {
    console.warn = warn;
  }
}

async function load(original: Uint8Array): Promise<PDFDocument> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(original, { updateMetadata: false, ignoreEncryption: true });
  } catch (error) {
    throw new PdfError('PDF_INVALID', `The input is not a readable PDF: ${(error as Error).message}`, { cause: error });
  }
  if (doc.isEncrypted) {
    throw new PdfError(
      'PDF_ENCRYPTED',
      'The PDF is encrypted: decrypt it first (qpdf --decrypt --password=... in.pdf out.pdf).',
    );
  }
  let pages = 0;
  try {
    pages = doc.getPageCount();
  } catch (error) {
    throw new PdfError('PDF_INVALID', `The PDF has no readable page tree: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (pages === 0) throw new PdfError('PDF_INVALID', 'The input has no pages: it is not a usable PDF.');
  return doc;
}

function addLayer(doc: PDFDocument, leaf: PDFPageLeaf, layer: FontResources, content: string): void {
  if (content === '') return;
  const { context } = doc;
  // pdf-lib's normalize() puts the page's own content streams between a shared `q` and `Q` stream (its
  // autoNormalizeCTM), so no graphics state the page leaves behind reaches the layer.
  leaf.normalize();
  leaf.setFontDictionary(PDFName.of('OcrKitText'), layer.font);
  leaf.addContentStream(context.register(context.flateStream(`${content}\n`, { OcrKit: 'TextLayer' })));
}

/** Drops the content streams an earlier `addTextLayer` added (they carry the /OcrKit key). */
function removeOwnStreams(leaf: PDFPageLeaf): void {
  const contents = leaf.Contents();
  if (!(contents instanceof PDFArray)) return;
  const kept = contents.asArray().filter((ref) => {
    const stream = leaf.context.lookup(ref);
    return !(stream instanceof PDFStream && stream.dict.has(marker));
  });
  leaf.set(PDFName.of('Contents'), leaf.context.obj(kept));
}

/** The glyphless Type0 font, registered once per document; its ToUnicode map is written last. */
class FontResources {
  readonly encoder = new TextEncoder16();
  readonly font: PDFRef;
  readonly #doc: PDFDocument;
  readonly #toUnicode: PDFRef;

  constructor(doc: PDFDocument) {
    this.#doc = doc;
    const { context } = doc;
    const name = glyphless.postScriptName;
    const program = context.register(context.flateStream(glyphlessFontProgram()));
    const descriptor = context.register(
      context.obj({
        Type: 'FontDescriptor',
        FontName: name,
        Flags: 5, // FixedPitch + Symbolic (PDF 32000-1 table 123)
        FontBBox: [0, glyphless.descent, glyphless.advance, glyphless.ascent],
        ItalicAngle: 0,
        Ascent: glyphless.ascent,
        Descent: glyphless.descent,
        CapHeight: glyphless.ascent,
        StemV: 80,
        FontFile2: program,
      }),
    );
    // Every CID shows glyph 1, the blank one: 65536 big-endian 0x0001 entries, a few hundred bytes compressed.
    const toGid = new Uint8Array(2 * 65536);
    for (let i = 1; i < toGid.length; i += 2) toGid[i] = 1;
    const cidFont = context.register(
      context.obj({
        Type: 'Font',
        Subtype: 'CIDFontType2',
        BaseFont: name,
        CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('Identity'), Supplement: 0 },
        FontDescriptor: descriptor,
        DW: glyphless.advance,
        CIDToGIDMap: context.register(context.flateStream(toGid)),
      }),
    );
    this.#toUnicode = context.nextRef();
    this.font = context.register(
      context.obj({
        Type: 'Font',
        Subtype: 'Type0',
        BaseFont: name,
        Encoding: 'Identity-H',
        DescendantFonts: [cidFont],
        ToUnicode: this.#toUnicode,
      }),
    );
  }

  finish(): void {
    const { context } = this.#doc;
    context.assign(this.#toUnicode, context.flateStream(this.encoder.toUnicodeCMap()));
  }
}
