import XMLBuilder from 'fast-xml-builder';
import { quadAngle } from './angle.js';
import { frameOf, uprightX, uprightY } from './frame.js';
import type { Block, Box, Line, Page, Word } from './types.js';

export interface HocrOptions {
  /** The document's `<title>`. @default '' */
  readonly title?: string;
  /** Image file of each page, by page index: the `image` property of its `ocr_page`. @default none */
  readonly images?: readonly (string | undefined)[];
  /** Language of the text (BCP 47), for `lang` and `xml:lang`. @default 'en' */
  readonly lang?: string;
}

/** Kept in step with package.json by a test. */
export const HOCR_SYSTEM = 'ocrkit-layout 0.1.0';
/** Every class and property capability this writer can emit (hOCR 1.2, section "Capabilities"). */
export const HOCR_CAPABILITIES = 'ocr_page ocr_carea ocr_par ocr_line ocrx_word ocrp_wconf';

// XHTML 1.0 Transitional, the doctype Tesseract and OCRmyPDF write: hOCR 1.2 leaves it open (spec issue #1).
const PROLOGUE =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n';

type XmlNode = { [tag: string]: XmlNode[] | string | Record<string, string> };

/**
 * hOCR 1.2 for pages in reading order: `ocr_page > ocr_carea (a block) > ocr_par > ocr_line > ocrx_word`,
 * with `bbox`, `baseline`, `textangle`, `x_wconf`, `ppageno` and `image`. A table block has one
 * `ocr_par` per cell. Well-formed XHTML: built by fast-xml-builder, which escapes text and attributes;
 * characters XML 1.0 forbids (controls, lone surrogates) are dropped.
 */
export function toHocr(pages: readonly Page[], options: HocrOptions = {}): string {
  const lang = options.lang ?? 'en';
  if (!/^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(lang)) {
    throw new RangeError(`lang "${lang}" is not a BCP 47 language tag: pass e.g. "en" or "zh-Hans".`);
  }
  const head: XmlNode[] = [
    element('title', {}, text(options.title ?? '')),
    element('meta', { 'http-equiv': 'Content-Type', content: 'text/html; charset=utf-8' }),
    element('meta', { name: 'ocr-system', content: HOCR_SYSTEM }),
    element('meta', { name: 'ocr-capabilities', content: HOCR_CAPABILITIES }),
    element('meta', { name: 'ocr-number-of-pages', content: String(pages.length) }),
  ];
  const body = pages.map((page, index) => pageNode(page, index, options.images?.[index]));
  const html = element('html', { xmlns: 'http://www.w3.org/1999/xhtml', 'xml:lang': lang, lang }, [
    element('head', {}, head),
    element('body', {}, body),
  ]);
  const builder = new XMLBuilder({ preserveOrder: true, ignoreAttributes: false, format: true, indentBy: ' ' });
  return `${PROLOGUE}${builder.build([html])}`;
}

function pageNode(page: Page, index: number, image: string | undefined): XmlNode {
  const n = index + 1;
  const props = [
    ...(image === undefined ? [] : [`image "${image.replace(/[\\"]/g, '\\$&')}"`]),
    `bbox 0 0 ${Math.round(page.width)} ${Math.round(page.height)}`,
    `ppageno ${index}`,
  ];
  const ids = { line: 0, word: 0, par: 0 };
  const areas = page.blocks.map((block, k) =>
    element('div', { class: 'ocr_carea', id: `block_${n}_${k + 1}`, title: `bbox ${bbox(block.box, page)}` }, [
      ...paragraphsOf(page, block).map((lines) =>
        element(
          'p',
          { class: 'ocr_par', id: `par_${n}_${++ids.par}`, title: `bbox ${bbox(unionOf(lines), page)}` },
          lines.map((line) => lineNode(page, line, n, ids)),
        ),
      ),
    ]),
  );
  return element('div', { class: 'ocr_page', id: `page_${n}`, title: props.join('; ') }, areas);
}

/** A block is one paragraph; a table block is one per cell (lines go to the cell holding their centre). */
function paragraphsOf(page: Page, block: Block): Line[][] {
  const table = block.table === undefined ? undefined : page.tables[block.table];
  if (!table) return block.lines.length > 0 ? [[...block.lines]] : [];
  const cells = table.cells.map((): Line[] => []);
  const rest: Line[] = [];
  for (const line of block.lines) {
    const x = (line.box.minX + line.box.maxX) / 2;
    const y = (line.box.minY + line.box.maxY) / 2;
    const k = table.cells.findIndex((c) => x >= c.box.minX && x <= c.box.maxX && y >= c.box.minY && y <= c.box.maxY);
    (k >= 0 ? (cells[k] as Line[]) : rest).push(line);
  }
  return [...cells, rest].filter((lines) => lines.length > 0);
}

function lineNode(page: Page, line: Line, n: number, ids: { line: number; word: number }): XmlNode {
  const { textangle, baseline } = lineGeometry(line);
  const props = [`bbox ${bbox(line.box, page)}`, `baseline ${baseline}`];
  if (textangle !== 0) props.push(`textangle ${textangle}`);
  return element(
    'span',
    { class: 'ocr_line', id: `line_${n}_${++ids.line}`, title: props.join('; ') },
    line.words.map((word) => wordNode(page, word, n, ids)),
  );
}

function wordNode(page: Page, word: Word, n: number, ids: { word: number }): XmlNode {
  const title = `bbox ${bbox(word.box, page)}; x_wconf ${Math.round(word.confidence * 100)}`;
  return element('span', { class: 'ocrx_word', id: `word_${n}_${++ids.word}`, title }, text(word.text));
}

/**
 * `textangle` is the line's rotation rounded to a quarter turn, as Tesseract writes it; `baseline`
 * (slope, then offset from the bbox's bottom-left corner, hOCR 1.2 "baseline") is measured in the frame
 * turned by that quarter, so skew shows as a slope. With textangle 0 that frame is the image's.
 */
function lineGeometry(line: Line): { textangle: number; baseline: string } {
  const textangle = (Math.round(quadAngle(line.quad) / 90) * 90) % 360;
  const frame = frameOf(textangle);
  const u = (p: readonly [number, number]) => uprightX(frame, p[0], p[1]);
  const v = (p: readonly [number, number]) => uprightY(frame, p[0], p[1]);
  const us = line.quad.map(u);
  const vs = line.quad.map(v);
  const minU = Math.min(...us);
  const maxV = Math.max(...vs);
  const { start, end } = line.baseline;
  const du = u(end) - u(start);
  const slope = du === 0 ? 0 : (v(end) - v(start)) / du;
  const offset = v(start) + slope * (minU - u(start)) - maxV;
  return { textangle, baseline: `${round3(slope)} ${Math.round(offset) + 0}` };
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000 + 0;
}

/** `bbox` takes unsigned integers: the box is widened to whole pixels and clipped to the page. */
function bbox(box: Box, page: Page): string {
  const clip = (v: number, max: number) => Math.min(Math.max(v, 0), Math.round(max));
  return [
    clip(Math.floor(box.minX), page.width),
    clip(Math.floor(box.minY), page.height),
    clip(Math.ceil(box.maxX), page.width),
    clip(Math.ceil(box.maxY), page.height),
  ].join(' ');
}

function unionOf(lines: readonly Line[]): Box {
  return {
    minX: Math.min(...lines.map((l) => l.box.minX)),
    minY: Math.min(...lines.map((l) => l.box.minY)),
    maxX: Math.max(...lines.map((l) => l.box.maxX)),
    maxY: Math.max(...lines.map((l) => l.box.maxY)),
  };
}

function element(tag: string, attributes: Record<string, string>, children: XmlNode[] = []): XmlNode {
  const node: XmlNode = { [tag]: children };
  const attrs = Object.fromEntries(Object.entries(attributes).map(([k, v]) => [`@_${k}`, xmlSafe(v)]));
  if (Object.keys(attrs).length > 0) node[':@'] = attrs;
  return node;
}

function text(value: string): XmlNode[] {
  return [{ '#text': xmlSafe(value) }];
}

/** XML 1.0 "Char" production: no C0 controls but tab, LF and CR, no lone surrogates, no U+FFFE/U+FFFF. */
function xmlSafe(value: string): string {
  let out = '';
  for (const char of value) {
    const c = char.codePointAt(0) ?? 0;
    const allowed = c < 0x20 ? c === 0x09 || c === 0x0a || c === 0x0d : (c < 0xd800 || c > 0xdfff) && c < 0xfffe;
    if (allowed || c > 0xffff) out += char;
  }
  return out;
}
