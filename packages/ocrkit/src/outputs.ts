import { rename, rm, writeFile } from 'node:fs/promises';
import { toHocr, toMarkdown, toText } from '@ocrkit/layout';
import { addTextLayer, imagesToPdf } from '@ocrkit/pdf';
import type { PageResult } from './convert.js';
import { isPdf } from './input-kind.js';

export interface OutputPaths {
  /** Searchable PDF. */
  readonly pdf?: string;
  readonly hocr?: string;
  readonly text?: string;
  readonly markdown?: string;
  /** Every page's API result and layout, as JSON. */
  readonly json?: string;
}

/** Writes each requested output from the converted pages (in page order), each file atomically. */
export async function writeOutputs(
  input: Uint8Array,
  pages: readonly PageResult[],
  paths: OutputPaths,
  options: { readonly title?: string; readonly redo?: boolean } = {},
): Promise<void> {
  const layouts = pages.map((p) => p.page);
  // Each page's text ends with a newline; pages are separated by a form feed, as pdftotext does.
  if (paths.text !== undefined) await writeAtomic(paths.text, layouts.map(toText).join('\f'));
  if (paths.markdown !== undefined)
    await writeAtomic(paths.markdown, layouts.map((page) => toMarkdown(page).replace(/\n*$/, '\n')).join('\n---\n\n'));
  if (paths.hocr !== undefined)
    await writeAtomic(paths.hocr, toHocr(layouts, options.title ? { title: options.title } : {}));
  if (paths.json !== undefined) {
    const json = pages.map(({ pageNumber, image, result, page }) => ({
      pageNumber,
      image: { width: image.width, height: image.height, dpi: image.dpi, transform: image.transform },
      result,
      page,
    }));
    await writeAtomic(paths.json, `${JSON.stringify({ pages: json }, null, 1)}\n`);
  }
  if (paths.pdf !== undefined)
    await writeAtomic(paths.pdf, await searchablePdf(input, pages, { redo: options.redo ?? false }));
}

/**
 * The input PDF with a text layer on the converted pages (`redo`: replacing layers ocrkit added before), or
 * for images a new PDF of the page images with theirs.
 */
export async function searchablePdf(
  input: Uint8Array,
  pages: readonly PageResult[],
  options: { readonly redo?: boolean } = {},
): Promise<Uint8Array> {
  if (isPdf(input)) {
    return addTextLayer(
      input,
      pages.map(({ pageNumber, page, image }) => ({ pageNumber, page, transform: image.transform })),
      { redo: options.redo ?? false },
    );
  }
  return imagesToPdf(
    pages.map(({ pageNumber, page, image }) => {
      if (!image.data || !image.mimeType) {
        throw new Error(`Page ${pageNumber} was read in tiles; a PDF of tiled image pages is not supported yet.`);
      }
      return { data: image.data, mimeType: image.mimeType, dpi: image.dpi, page };
    }),
  );
}

/** Writes to a temporary file beside `path`, then renames it: a reader never sees half a file. */
export async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, data);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
