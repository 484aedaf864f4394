// Born-digital pages whose reading order is known by construction: each page is written line by line in
// the order a reader takes (columns top to bottom, left to right; a full-width float splits the page
// into bands read one after another; a table row by row, cell by cell; a sidebar after the main text),
// and every line is recorded with its text, its order and its box. Seeded, so the same seed gives the
// same pages and before/after runs compare. Built with pdf-lib, resolved the way @ocrkit/pdf resolves
// it (the layout package does not depend on it).
//
// CJK: pdf-lib cannot embed the Noto CJK collection without @pdf-lib/fontkit, which is not installed, so
// CJK runs are set in a non-embedded Type0 font (Identity-H, CID = Unicode code point, 1 em wide, with a
// ToUnicode CMap). pdftotext reads text from widths and ToUnicode only, so the words it returns are
// those of an embedded font; only a viewer would show substitute glyphs.
import { createRequire } from 'node:module';
import { mulberry32 } from '../../../test/support/mulberry32.ts';
import type * as PdfLib from '../../pdf/node_modules/pdf-lib/cjs/index.js';
import type { GridCell } from './metrics.ts';

const pdfLib = createRequire(new URL('../../pdf/package.json', import.meta.url))('pdf-lib') as typeof PdfLib;
const {
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFString,
  StandardFonts,
  beginText,
  endText,
  moveText,
  rgb,
  setFontAndSize,
  showText,
} = pdfLib;

/** A4 in PDF points. */
const PAGE_WIDTH_PT = 595;
const PAGE_HEIGHT_PT = 842;
const MARGIN_PT = 56;
const TEXT_WIDTH_PT = PAGE_WIDTH_PT - 2 * MARGIN_PT;

export interface ConstructedLine {
  readonly text: string;
  /** Position in the reading order, from 0. */
  readonly order: number;
  /** In PDF points, origin top-left: from the ascender to the descender of the text as drawn. */
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
}

export interface ConstructedPage {
  readonly name: string;
  /** What the page exercises, for the report. */
  readonly features: string;
  readonly pdf: Uint8Array;
  /** In reading order. */
  readonly lines: readonly ConstructedLine[];
  /** Each table's cells with their text as drawn (one line per cell). */
  readonly tables: readonly (readonly GridCell[])[];
}

type Font = PdfLib.PDFFont;
interface Fonts {
  readonly regular: Font;
  readonly bold: Font;
  readonly cjk: PdfLib.PDFName;
}

/** One page being written: lines are recorded in the order they are drawn, which is the reading order. */
interface Sheet {
  readonly page: PdfLib.PDFPage;
  readonly fonts: Fonts;
  readonly rand: () => number;
  readonly lines: ConstructedLine[];
  readonly tables: GridCell[][];
}

const VOCABULARY = (
  'layout column reading order table cell page line word text block figure caption paragraph heading ' +
  'section result method baseline margin gutter document region measure report model value sample ' +
  'average annual growth energy market policy country member state regional budget analysis survey ' +
  'the of and to in for with on by from as at is are was were that this which under between across ' +
  'during within without before after among overall estimate increase decrease share rate total level ' +
  'national european statistical evidence framework assessment production consumption transport'
).split(' ');
const LONG_WORDS = (
  'internationalisation characteristically interdisciplinary telecommunications responsibilities ' +
  'representativeness disproportionately infrastructure implementation recommendations'
).split(' ');
const HANZI = '我们使用光学字符识别引擎处理文档页面中的文本行与表格结构并按阅读顺序输出结果数据来自年度统计报告';

const pick = <T>(rand: () => number, list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
const sentence = (rand: () => number, n: number) => Array.from({ length: n }, () => pick(rand, VOCABULARY));
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Records a line of text set in `font` at `x`, baseline at `y` (points from the top). */
function record(sheet: Sheet, text: string, x: number, y: number, width: number, size: number): void {
  // Helvetica's ascender and descender (AFM: 718 and -207 per 1000); the box only has to hold the
  // word centres pdftotext reports, it is not compared with anything.
  sheet.lines.push({
    text,
    order: sheet.lines.length,
    minX: x,
    minY: y - 0.9 * size,
    maxX: x + width,
    maxY: y + 0.3 * size,
  });
}

function draw(sheet: Sheet, text: string, x: number, y: number, size: number, font = sheet.fonts.regular): number {
  sheet.page.drawText(text, { x, y: PAGE_HEIGHT_PT - y, size, font });
  const width = font.widthOfTextAtSize(text, size);
  record(sheet, text, x, y, width, size);
  return width;
}

function centred(sheet: Sheet, text: string, y: number, size: number, font = sheet.fonts.regular): void {
  draw(sheet, text, MARGIN_PT + (TEXT_WIDTH_PT - font.widthOfTextAtSize(text, size)) / 2, y, size, font);
}

/** Greedy line breaking of `words` to `width` points. */
function wrap(words: readonly string[], width: number, size: number, font: Font, indent = 0): string[][] {
  const lines: string[][] = [[]];
  for (const w of words) {
    const line = lines.at(-1) as string[];
    const room = width - (lines.length === 1 ? indent : 0);
    if (line.length > 0 && font.widthOfTextAtSize([...line, w].join(' '), size) > room) lines.push([w]);
    else line.push(w);
  }
  return lines;
}

interface ParagraphOptions {
  readonly x: number;
  readonly width: number;
  readonly size: number;
  readonly leading: number;
  /** First-line indent in points. */
  readonly indent?: number;
  /** Spread every line but the last to the full width (word by word, so the gaps are real gaps). */
  readonly justify?: boolean;
  readonly font?: Font;
}

/** Draws `words` as a paragraph with its first baseline at `y`; returns the next free baseline. */
function paragraph(sheet: Sheet, words: readonly string[], y: number, o: ParagraphOptions): number {
  const font = o.font ?? sheet.fonts.regular;
  const lines = wrap(words, o.width, o.size, font, o.indent ?? 0);
  lines.forEach((line, k) => {
    const x = o.x + (k === 0 ? (o.indent ?? 0) : 0);
    const width = o.width - (k === 0 ? (o.indent ?? 0) : 0);
    const text = line.join(' ');
    if (!o.justify || k === lines.length - 1 || line.length < 2) {
      draw(sheet, text, x, y, o.size, font);
    } else {
      const inked = line.reduce((s, w) => s + font.widthOfTextAtSize(w, o.size), 0);
      const gap = (width - inked) / (line.length - 1);
      let at = x;
      for (const w of line) {
        sheet.page.drawText(w, { x: at, y: PAGE_HEIGHT_PT - y, size: o.size, font });
        at += font.widthOfTextAtSize(w, o.size) + gap;
      }
      record(sheet, text, x, y, width, o.size);
    }
    y += o.leading;
  });
  return y;
}

/** Fills a column from baseline `top` down to `bottom` with paragraphs of seeded text. */
function column(
  sheet: Sheet,
  x: number,
  width: number,
  top: number,
  bottom: number,
  o: Partial<ParagraphOptions> = {},
) {
  const size = o.size ?? 9.5;
  const leading = o.leading ?? size * 1.25;
  let y = top;
  while (y + 3 * leading <= bottom) {
    const room = Math.floor((bottom - y) / leading);
    const perLine = Math.max(3, Math.round(width / (size * 3.2)));
    const lines = Math.min(room, 3 + Math.floor(sheet.rand() * 5));
    const words = sentence(sheet.rand, Math.max(perLine, lines * perLine - 2));
    words[0] = capitalise(words[0] as string);
    const fit = wrap(words, width, size, o.font ?? sheet.fonts.regular, o.indent ?? 0).slice(0, room);
    y = paragraph(sheet, fit.flat(), y, { x, width, size, leading, ...o }) + leading * 0.5;
  }
}

/** Two or more columns between baselines `top` and `bottom`, read column by column. */
function columns(
  sheet: Sheet,
  count: number,
  top: number,
  bottom: number,
  gutter = 20,
  o: Partial<ParagraphOptions> = {},
) {
  const width = (TEXT_WIDTH_PT - (count - 1) * gutter) / count;
  for (let c = 0; c < count; c++) column(sheet, MARGIN_PT + c * (width + gutter), width, top, bottom, o);
}

interface TableCellSpec {
  readonly text: string;
  readonly colSpan?: number;
}

/**
 * A table from its first baseline `y`, columns `widths` points wide starting at `x`; cells are written
 * row by row (numbers right-aligned), ruled as a full grid or not at all. Returns the next free baseline.
 */
function table(
  sheet: Sheet,
  rows: readonly (readonly TableCellSpec[])[],
  x: number,
  y: number,
  widths: number[],
  ruled: boolean,
): number {
  const size = 9;
  const rowHeight = 15;
  const pad = 4;
  const cells: GridCell[] = [];
  const top = y - size - 3;
  rows.forEach((row, r) => {
    let c = 0;
    for (const cell of row) {
      const span = cell.colSpan ?? 1;
      const left = x + widths.slice(0, c).reduce((s, w) => s + w, 0);
      const width = widths.slice(c, c + span).reduce((s, w) => s + w, 0);
      const font =
        r === 0 || (r === 1 && rows[0]?.some((h) => (h.colSpan ?? 1) > 1)) ? sheet.fonts.bold : sheet.fonts.regular;
      const textWidth = font.widthOfTextAtSize(cell.text, size);
      const numeric = /^[\d.,%+-]+$/.test(cell.text);
      const at = span > 1 ? left + (width - textWidth) / 2 : numeric ? left + width - pad - textWidth : left + pad;
      if (cell.text) draw(sheet, cell.text, at, y + r * rowHeight, size, font);
      cells.push({ r0: r, r1: r, c0: c, c1: c + span - 1, text: cell.text });
      c += span;
    }
  });
  const total = widths.reduce((s, w) => s + w, 0);
  const bottom = top + rows.length * rowHeight;
  const line = (x0: number, y0: number, x1: number, y1: number) =>
    sheet.page.drawLine({
      start: { x: x0, y: PAGE_HEIGHT_PT - y0 },
      end: { x: x1, y: PAGE_HEIGHT_PT - y1 },
      thickness: 0.6,
    });
  if (ruled) {
    for (let r = 0; r <= rows.length; r++) line(x, top + r * rowHeight, x + total, top + r * rowHeight);
    // Vertical rules stop at spanning cells: a rule only where a cell boundary is, row by row.
    rows.forEach((row, r) => {
      let at = x;
      line(at, top + r * rowHeight, at, top + (r + 1) * rowHeight);
      let c = 0;
      for (const cell of row) {
        c += cell.colSpan ?? 1;
        at = x + widths.slice(0, c).reduce((s, w) => s + w, 0);
        line(at, top + r * rowHeight, at, top + (r + 1) * rowHeight);
      }
    });
  }
  sheet.tables.push(cells);
  return bottom + 16;
}

/** A seeded statistics table: a header with a spanning group, a sub-header, `bodyRows` rows of numbers. */
function statsTable(rand: () => number, bodyRows: number): TableCellSpec[][] {
  const rows: TableCellSpec[][] = [
    [{ text: 'Country' }, { text: 'Energy use', colSpan: 2 }, { text: 'Emissions', colSpan: 2 }],
    [{ text: '' }, { text: '2010' }, { text: '2020' }, { text: '2010' }, { text: '2020' }],
  ];
  const names = ['Austria', 'Belgium', 'Croatia', 'Denmark', 'Estonia', 'Finland', 'Greece', 'Hungary', 'Ireland'];
  for (let r = 0; r < bodyRows; r++) {
    rows.push([
      { text: names[r % names.length] as string },
      ...Array.from({ length: 4 }, () => ({ text: (rand() * 900 + 10).toFixed(1) })),
    ]);
  }
  return rows;
}

/** Mixed Chinese/English: CJK runs in the CID font (1 em per character), Latin runs in Helvetica. */
function mixedLine(sheet: Sheet, runs: readonly string[], x: number, y: number, size: number): void {
  let at = x;
  for (const run of runs) {
    if (/^[\p{Script=Han}，。、]+$/u.test(run)) {
      const codes = [...run].map((ch) => ch.codePointAt(0) as number);
      sheet.page.pushOperators(
        beginText(),
        setFontAndSize(sheet.fonts.cjk, size),
        moveText(at, PAGE_HEIGHT_PT - y),
        showText(PDFHexString.of(codes.map((c) => c.toString(16).padStart(4, '0')).join(''))),
        endText(),
      );
      at += codes.length * size;
    } else {
      const text = run.trim();
      const lead = run.startsWith(' ') ? sheet.fonts.regular.widthOfTextAtSize(' ', size) : 0;
      sheet.page.drawText(text, { x: at + lead, y: PAGE_HEIGHT_PT - y, size, font: sheet.fonts.regular });
      at += lead + sheet.fonts.regular.widthOfTextAtSize(text, size) + (run.endsWith(' ') ? size * 0.28 : 0);
    }
  }
  record(sheet, runs.join(''), x, y, at - x, size);
}

function hanzi(rand: () => number, n: number): string {
  return Array.from({ length: n }, () => HANZI.charAt(Math.floor(rand() * HANZI.length))).join('');
}

type Builder = (sheet: Sheet) => void;

const title = (sheet: Sheet, y = 78) =>
  centred(sheet, capitalise(sentence(sheet.rand, 6).join(' ')), y, 17, sheet.fonts.bold);
/** A paragraph, a full-width statistics table (`label`: its caption's number), a paragraph. */
function tableBetweenText(sheet: Sheet, label: string, ruled: boolean): void {
  const text = { x: MARGIN_PT, width: TEXT_WIDTH_PT, size: 10, leading: 12.5 };
  let y = paragraph(sheet, sentence(sheet.rand, 70), 80, text);
  draw(sheet, `${label}: Energy use and emissions by country`, MARGIN_PT, y + 10, 9, sheet.fonts.bold);
  y = table(sheet, statsTable(sheet.rand, 9), MARGIN_PT, y + 30, [163, 80, 80, 80, 80], ruled);
  paragraph(sheet, sentence(sheet.rand, 80), y + 10, text);
}
const footer = (sheet: Sheet, n: number) =>
  centred(sheet, `Journal of Constructed Layouts, vol. 3, page ${n}`, PAGE_HEIGHT_PT - 34, 8);

const BUILDERS: Record<string, { features: string; build: Builder }> = {
  'two-column': {
    features: 'full-width title and authors, two columns, footer',
    build(s) {
      title(s);
      centred(s, 'A. Author, B. Writer and C. Reader, Institute of Layout', 100, 10);
      columns(s, 2, 130, 770);
      footer(s, 1);
    },
  },
  'three-column': {
    features: 'title, three columns, footer',
    build(s) {
      title(s);
      columns(s, 3, 110, 780, 16, { size: 8.5 });
      footer(s, 2);
    },
  },
  'figure-between-columns': {
    features: 'two columns, full-width figure with a two-line caption, two columns',
    build(s) {
      title(s);
      columns(s, 2, 110, 330);
      s.page.drawRectangle({
        x: MARGIN_PT,
        y: PAGE_HEIGHT_PT - 500,
        width: TEXT_WIDTH_PT,
        height: 160,
        borderColor: rgb(0.3, 0.3, 0.3),
        borderWidth: 0.8,
        color: rgb(0.92, 0.92, 0.92),
      });
      paragraph(s, ['Figure', '1:', ...sentence(s.rand, 26)], 515, {
        x: MARGIN_PT,
        width: TEXT_WIDTH_PT,
        size: 9,
        leading: 11.5,
      });
      columns(s, 2, 560, 790);
    },
  },
  'table-between-columns': {
    features: 'two columns, full-width ruled table with spans, two columns',
    build(s) {
      title(s);
      columns(s, 2, 110, 330);
      centred(s, `Table 1: ${sentence(s.rand, 7).join(' ')}`, 352, 9, s.fonts.bold);
      const y = table(s, statsTable(s.rand, 7), MARGIN_PT, 372, [143, 85, 85, 85, 85], true);
      columns(s, 2, y + 14, 790);
    },
  },
  headings: {
    features: 'single column, heading hierarchy 16/13/11 pt, indented paragraphs',
    build(s) {
      let y = 80;
      const para = (n: number) => {
        const words = sentence(s.rand, n);
        words[0] = capitalise(words[0] as string);
        y = paragraph(s, words, y, { x: MARGIN_PT, width: TEXT_WIDTH_PT, size: 10, leading: 12.5, indent: 14 }) + 8;
      };
      const heading = (text: string, size: number) => {
        y += size * 0.6;
        draw(s, text, MARGIN_PT, y, size, s.fonts.bold);
        y += size * 1.4;
      };
      heading(capitalise(sentence(s.rand, 5).join(' ')), 16);
      para(70);
      heading('1 Introduction', 13);
      para(90);
      heading('1.1 Scope of the survey', 11);
      para(60);
      heading('1.2 Related work', 11);
      para(80);
      heading('2 Method', 13);
      para(50);
      heading('2.1 Data', 11);
      para(90);
    },
  },
  sidebar: {
    features: 'title, main column, boxed sidebar beside it (read after the main text)',
    build(s) {
      title(s);
      column(s, MARGIN_PT, 300, 112, 790);
      s.page.drawRectangle({
        x: 376,
        y: PAGE_HEIGHT_PT - 430,
        width: 163,
        height: 300,
        borderColor: rgb(0.2, 0.2, 0.5),
        borderWidth: 1,
        color: rgb(0.9, 0.92, 1),
      });
      draw(s, 'Box 1: Key figures', 386, 150, 10, s.fonts.bold);
      column(s, 386, 143, 168, 420, { size: 8.5 });
    },
  },
  'table-ruled': {
    features: 'text, full-width ruled table with spanning header, text',
    build: (s) => tableBetweenText(s, 'Table 2', true),
  },
  'table-unruled': {
    features: 'text, full-width unruled table with spanning header, text',
    build: (s) => tableBetweenText(s, 'Table 3', false),
  },
  'mixed-cjk': {
    features: 'mixed Chinese/English lines, a Chinese-only paragraph, two columns below',
    build(s) {
      let y = 80;
      mixedLine(s, [hanzi(s.rand, 6), ' OCR Layout ', hanzi(s.rand, 4)], MARGIN_PT, y, 15);
      y += 30;
      for (let p = 0; p < 3; p++) {
        for (let k = 0; k < 4; k++) {
          mixedLine(
            s,
            [
              hanzi(s.rand, 8),
              ` ${sentence(s.rand, 2).join(' ')} `,
              hanzi(s.rand, 10),
              ` PDF ${p}.${k} `,
              hanzi(s.rand, 6),
            ],
            MARGIN_PT,
            y,
            10,
          );
          y += 14;
        }
        y += 8;
      }
      for (let k = 0; k < 4; k++) {
        mixedLine(s, [hanzi(s.rand, 40)], MARGIN_PT, y, 10);
        y += 14;
      }
      columns(s, 2, y + 20, 790);
    },
  },
  justified: {
    features: 'two justified columns with long words: word gaps up to 2.6 line heights (7 lines over 1.5)',
    build(s) {
      title(s);
      const width = (TEXT_WIDTH_PT - 20) / 2;
      for (const x of [MARGIN_PT, PAGE_WIDTH_PT - MARGIN_PT - width]) {
        let y = 115;
        while (y < 700) {
          const words = Array.from({ length: 24 }, () =>
            s.rand() < 0.1 ? pick(s.rand, LONG_WORDS) : pick(s.rand, VOCABULARY),
          );
          y = paragraph(s, words, y, { x, width, size: 10, leading: 12.5, justify: true }) + 6;
        }
      }
    },
  },
  lists: {
    features: 'bullet, dash and numbered lists with hanging indents and nesting',
    build(s) {
      let y =
        paragraph(s, sentence(s.rand, 40), 80, { x: MARGIN_PT, width: TEXT_WIDTH_PT, size: 10, leading: 12.5 }) + 8;
      const item = (marker: string, level: number, n: number) => {
        const x = MARGIN_PT + 14 + level * 18;
        const textX = x + 14;
        const lines = wrap(sentence(s.rand, n), MARGIN_PT + TEXT_WIDTH_PT - textX, 10, s.fonts.regular);
        lines.forEach((line, k) => {
          const text = line.join(' ');
          if (k === 0) {
            // Marker and item text are one line of the page: drawn apart, read together.
            s.page.drawText(marker, { x, y: PAGE_HEIGHT_PT - y, size: 10, font: s.fonts.regular });
            s.page.drawText(text, { x: textX, y: PAGE_HEIGHT_PT - y, size: 10, font: s.fonts.regular });
            record(s, `${marker} ${text}`, x, y, textX - x + s.fonts.regular.widthOfTextAtSize(text, 10), 10);
          } else {
            draw(s, text, textX, y, 10);
          }
          y += 12.5;
        });
        y += 3;
      };
      for (let i = 0; i < 4; i++) item('•', 0, 12 + Math.floor(s.rand() * 25));
      for (let i = 0; i < 3; i++) item('–', 1, 8 + Math.floor(s.rand() * 20));
      item('•', 0, 20);
      y += 8;
      for (let i = 1; i <= 5; i++) item(`${i}.`, 0, 10 + Math.floor(s.rand() * 30));
      y = paragraph(s, sentence(s.rand, 50), y + 8, { x: MARGIN_PT, width: TEXT_WIDTH_PT, size: 10, leading: 12.5 });
    },
  },
  'abstract-two-column': {
    features: 'running head, title, authors, indented full-width abstract, two columns with headings, page number',
    build(s) {
      draw(s, 'Constructed Layouts 3 (2025) 11-24', MARGIN_PT, 40, 8);
      title(s, 80);
      centred(s, 'D. Editor and E. Typesetter', 102, 10);
      draw(s, 'Abstract', MARGIN_PT + 30, 130, 10, s.fonts.bold);
      let y = paragraph(s, sentence(s.rand, 90), 145, {
        x: MARGIN_PT + 30,
        width: TEXT_WIDTH_PT - 60,
        size: 9,
        leading: 11.5,
      });
      const width = (TEXT_WIDTH_PT - 20) / 2;
      y += 22;
      for (const x of [MARGIN_PT, MARGIN_PT + width + 20]) {
        draw(s, `${x === MARGIN_PT ? 1 : 3} ${capitalise(sentence(s.rand, 2).join(' '))}`, x, y, 11, s.fonts.bold);
        column(s, x, width, y + 18, 480);
        draw(s, `${x === MARGIN_PT ? 2 : 4} ${capitalise(sentence(s.rand, 3).join(' '))}`, x, 500, 11, s.fonts.bold);
        column(s, x, width, 518, 790);
      }
      draw(s, '11', PAGE_WIDTH_PT - MARGIN_PT - 10, PAGE_HEIGHT_PT - 34, 8);
    },
  },
};

/** ToUnicode for CID = Unicode code point: one bfrange per high byte (ranges may not cross it). */
function identityToUnicode(): string {
  const ranges = Array.from({ length: 256 }, (_, hi) => {
    const h = hi.toString(16).padStart(2, '0');
    return `<${h}00> <${h}ff> <${h}00>`;
  });
  const chunks: string[] = [];
  for (let i = 0; i < ranges.length; i += 100) {
    const part = ranges.slice(i, i + 100);
    chunks.push(`${part.length} beginbfrange\n${part.join('\n')}\nendbfrange`);
  }
  return [
    '/CIDInit /ProcSet findresource begin 12 dict begin begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def /CMapType 2 def',
    '1 begincodespacerange <0000> <ffff> endcodespacerange',
    ...chunks,
    'endcmap CMapName currentdict /CMap defineresource pop end end',
  ].join('\n');
}

function cjkFont(doc: PdfLib.PDFDocument): PdfLib.PDFRef {
  const c = doc.context;
  const name = PDFName.of('NotoSansCJKsc-Regular');
  const descriptor = c.obj({
    Type: 'FontDescriptor',
    FontName: name,
    Flags: 4,
    FontBBox: [-1000, -150, 1000, 880],
    ItalicAngle: 0,
    // Noto Sans CJK's hhea ascender and descender per 1000 em.
    Ascent: 880,
    Descent: -120,
    CapHeight: 733,
    StemV: 80,
  });
  const descendant = c.obj({
    Type: 'Font',
    Subtype: 'CIDFontType2',
    BaseFont: name,
    CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('Identity'), Supplement: 0 },
    FontDescriptor: c.register(descriptor),
    DW: 1000,
    CIDToGIDMap: 'Identity',
  });
  return c.register(
    c.obj({
      Type: 'Font',
      Subtype: 'Type0',
      BaseFont: name,
      Encoding: 'Identity-H',
      DescendantFonts: [c.register(descendant)],
      ToUnicode: c.register(c.flateStream(identityToUnicode())),
    }),
  );
}

export const CONSTRUCTED_PAGE_NAMES = Object.keys(BUILDERS);

/** One PDF per page (a page per file keeps pdftotext runs and failures apart). */
export async function constructedPages(options: { seed?: number; only?: string } = {}): Promise<ConstructedPage[]> {
  const seed = options.seed ?? 1;
  const out: ConstructedPage[] = [];
  let n = 0;
  for (const [name, { features, build }] of Object.entries(BUILDERS)) {
    n++;
    if (options.only && !name.includes(options.only)) continue;
    const doc = await PDFDocument.create();
    // Fixed dates, so the same seed gives the same bytes.
    doc.setCreationDate(new Date(0));
    doc.setModificationDate(new Date(0));
    const page = doc.addPage([PAGE_WIDTH_PT, PAGE_HEIGHT_PT]);
    const fonts: Fonts = {
      regular: await doc.embedFont(StandardFonts.Helvetica),
      bold: await doc.embedFont(StandardFonts.HelveticaBold),
      cjk: page.node.newFontDictionary('CJK', cjkFont(doc)),
    };
    const sheet: Sheet = { page, fonts, rand: mulberry32(seed * 1000 + n), lines: [], tables: [] };
    build(sheet);
    out.push({ name, features, pdf: await doc.save(), lines: sheet.lines, tables: sheet.tables });
  }
  return out;
}
