// Reads a PDF back with pdf.js, the way a browser viewer extracts and searches its text.
import { createRequire } from 'node:module';
import { getDocument, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';

const root = createRequire(import.meta.url)
  .resolve('pdfjs-dist/package.json')
  .replace(/package\.json$/, '');

export interface TextItem {
  readonly str: string;
  /** pdf.js ends a line here (its text layer puts a line break after the item). */
  readonly hasEOL: boolean;
  /** Text space → user space: [a, b, c, d, e, f]; (e, f) is the item's baseline origin. */
  readonly transform: number[];
  readonly width: number;
}

export interface ReadBack {
  readonly pages: { items: TextItem[]; view: number[]; rotate: number; viewport: number[] }[];
  /** pdf.js warnings printed while reading; a clean file has none. */
  readonly warnings: string[];
}

export async function readBack(data: Uint8Array): Promise<ReadBack> {
  const warnings: string[] = [];
  const { log, warn } = console;
  const capture =
    (print: typeof console.log) =>
    (...args: unknown[]) => {
      const line = args.map(String).join(' ');
      if (line.startsWith('Warning:')) warnings.push(line);
      else print(...args);
    };
  console.log = capture(log);
  console.warn = capture(warn);
  const task = getDocument({
    data: data.slice(),
    verbosity: 1,
    standardFontDataUrl: `${root}standard_fonts/`,
    cMapUrl: `${root}cmaps/`,
  });
  try {
    const doc: PDFDocumentProxy = await task.promise;
    const pages = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      const items = content.items.filter((item): item is TextItem & typeof item => 'str' in item && item.str !== '');
      pages.push({ items, view: page.view, rotate: page.rotate, viewport: page.getViewport({ scale: 1 }).transform });
    }
    return { pages, warnings };
  } finally {
    await task.destroy();
    console.log = log;
    console.warn = warn;
  }
}

/**
 * The page's text as pdf.js's text layer and find bar see it: items in content order, a line break
 * after each item that ends a line. (pdf.js merges a line's words into one item and drops the space
 * that ends the line, marking the item `hasEOL` instead.)
 */
export function textOf(page: { items: TextItem[] }): string {
  return page.items.map((item) => item.str + (item.hasEOL ? '\n' : '')).join('');
}
