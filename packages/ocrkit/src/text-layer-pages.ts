import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const root = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

/**
 * The pages of a PDF that already carry text (born-digital pages, or a layer from an earlier OCR run,
 * ours included): OCRing them again would add a second layer. pdf.js extracts their text; fonts and
 * CMaps come from the installed package, never the network.
 */
export async function pagesWithText(
  pdf: Uint8Array,
  options: { readonly pages?: readonly number[]; readonly password?: string } = {},
): Promise<Set<number>> {
  const task = getDocument({
    data: pdf.slice(),
    verbosity: 0,
    useSystemFonts: false,
    disableFontFace: true,
    standardFontDataUrl: `${join(root, 'standard_fonts')}/`,
    cMapUrl: `${join(root, 'cmaps')}/`,
    ...(options.password ? { password: options.password } : {}),
  });
  const withText = new Set<number>();
  try {
    const doc = await task.promise;
    const pages = options.pages ?? Array.from({ length: doc.numPages }, (_, i) => i + 1);
    for (const pageNumber of pages) {
      if (pageNumber < 1 || pageNumber > doc.numPages) continue;
      const page = await doc.getPage(pageNumber);
      const content = await page.getTextContent();
      if (content.items.some((item) => 'str' in item && item.str.trim() !== '')) withText.add(pageNumber);
      page.cleanup();
    }
  } catch {
    // A PDF pdf.js cannot read here will fail in rasterize with a typed error; treat it as textless.
  } finally {
    await task.destroy();
  }
  return withText;
}
