import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const root = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

export interface TextLayerOptions {
  /** 1-based pages to look at, in order. @default every page */
  readonly pages?: readonly number[];
  /** Look at no more than this many of them. @default all */
  readonly limit?: number;
  readonly password?: string;
}

/**
 * A PDF's page count and which of its pages already carry text (born-digital pages, or a layer from an
 * earlier OCR run, ours included): OCRing them again would add a second layer. pdf.js extracts their
 * text on this thread; fonts and CMaps come from the installed package, never the network. Rejects when
 * pdf.js cannot open the document; a page it cannot read counts as one without text.
 */
export async function textLayerPages(
  pdf: Uint8Array,
  options: TextLayerOptions = {},
): Promise<{ numPages: number; withText: Set<number>; withoutText: Set<number> }> {
  const task = getDocument({
    data: pdf.slice(),
    verbosity: 0,
    useSystemFonts: false,
    disableFontFace: true,
    standardFontDataUrl: `${join(root, 'standard_fonts')}/`,
    cMapUrl: `${join(root, 'cmaps')}/`,
    ...(options.password ? { password: options.password } : {}),
  });
  try {
    const doc = await task.promise;
    const all = options.pages ?? Array.from({ length: doc.numPages }, (_, i) => i + 1);
    const pages = all.filter((n) => n >= 1 && n <= doc.numPages).slice(0, options.limit);
    const withText = new Set<number>();
    const withoutText = new Set<number>();
    for (const pageNumber of pages) {
      ((await hasText(doc, pageNumber)) ? withText : withoutText).add(pageNumber);
    }
    return { numPages: doc.numPages, withText, withoutText };
  } finally {
    await task.destroy();
  }
}

async function hasText(doc: Awaited<ReturnType<typeof getDocument>['promise']>, pageNumber: number): Promise<boolean> {
  try {
    const page = await doc.getPage(pageNumber);
    const content = await page.getTextContent();
    page.cleanup();
    return content.items.some((item) => 'str' in item && item.str.trim() !== '');
  } catch {
    return false;
  }
}
