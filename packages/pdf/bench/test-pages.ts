// The evaluation's input PDFs, made at run time (no image is committed): A5 pages "scanned" at 300 dpi,
// text rendered by sharp (Pango) in DejaVu Sans and Noto Sans CJK SC (Debian fonts-dejavu-core,
// fonts-noto-cjk), each image wrapped into a one-page PDF by pdf-lib, plus examples/sample.pdf.
// Rendering follows examples/make-sample.ts: Pango draws white ink on black; parts are composed on
// black with "lighten", then negated in a second pipeline (sharp runs composite after every other
// operation, and negate also negates alpha unless told `{ alpha: false }`).
import { readFile } from 'node:fs/promises';
import { degrees, PDFDocument } from 'pdf-lib';
import sharp from 'sharp';

export interface TestPage {
  readonly name: string;
  /** A one-page PDF holding only a page image. */
  readonly pdf: Uint8Array;
  /** What the page says, in reading order (line breaks of the rendering do not matter: words are compared). */
  readonly truth: string;
}

const dpi = 300;
const [width, height] = [1748, 2480]; // A5 at 300 dpi
const pt = (points: number) => Math.round((points * dpi) / 72);
const margin = pt(40);

interface Part {
  readonly input: Buffer;
  readonly left: number;
  readonly top: number;
}

/** One text block as white-on-black coverage; `text` is plain (escaped here), `bold` wraps it in <b>. */
async function block(text: string, font: string, wrapWidth: number, bold = false) {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return sharp({
    text: {
      text: bold ? `<b>${escaped}</b>` : escaped,
      font,
      dpi,
      width: wrapWidth,
      spacing: pt(4),
      wrap: 'word',
    },
  })
    .extractChannel(0)
    .png()
    .toBuffer({ resolveWithObject: true });
}

/** Paragraphs stacked from `top`, each a block of the column's width; returns the parts and the next top. */
async function column(paragraphs: readonly string[], font: string, left: number, top: number, wrapWidth: number) {
  const parts: Part[] = [];
  let y = top;
  for (const paragraph of paragraphs) {
    const rendered = await block(paragraph, font, wrapWidth);
    parts.push({ input: rendered.data, left, top: y });
    y += rendered.info.height + pt(12);
  }
  return { parts, bottom: y };
}

/** Black text on white, grey PNG of the whole page. */
async function compose(parts: readonly Part[]): Promise<Buffer> {
  const ink = await sharp({ create: { width, height, channels: 3, background: '#000000' } })
    .composite(parts.map((part) => ({ ...part, blend: 'lighten' as const })))
    .png()
    .toBuffer();
  return sharp(ink).removeAlpha().negate({ alpha: false }).toColourspace('b-w').png().toBuffer();
}

/** A PDF page showing `png` at 300 dpi; `rotate` sets the page's /Rotate (the image is stored as given). */
async function imagePdf(png: Buffer, rotate = 0): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const image = await doc.embedPng(png);
  const [w, h] = [(image.width * 72) / dpi, (image.height * 72) / dpi];
  const page = doc.addPage([w, h]);
  page.drawImage(image, { x: 0, y: 0, width: w, height: h });
  if (rotate !== 0) page.setRotation(degrees(rotate));
  return doc.save();
}

const english = {
  title: 'Searchable PDF evaluation',
  paragraphs: [
    'Scanned documents become far more useful once their text can be searched, selected and copied. An ' +
      'invisible text layer placed exactly over each word lets a reader find a phrase and highlight it where ' +
      'it appears on the page.',
    'The quick brown fox jumps over the lazy dog. Invoice 2026-0117 was paid on 27 November 2026 for a total ' +
      'of 1,284.50 euros, including tax at 21 percent.',
    'Each line of text is written along its own baseline, and every word is stretched to the width measured ' +
      'by the recognizer, so that copying a column gives the words in reading order.',
  ],
};

const chinese = {
  title: '可搜索文件的评估',
  paragraphs: [
    '扫描的文件在文字可以被搜索、选择和复制之后会变得更加有用。在每个词的位置上放置一个看不见的文字层，读者就能找到' +
      '一个短语，并在页面上它出现的地方把它标出来。',
    '本季度收入增长百分之十二，主要来自银行和物流行业的文档扫描需求。我们在十一月完成了新系统的测试，平均处理一页只' +
      '需要两秒钟。',
    '发票号码 Invoice No. 20261127',
  ],
};

const twoColumns = {
  title: 'Two columns of text',
  left: [
    'Optical character recognition turns the pixels of a scanned page into text. The recognizer finds lines, ' +
      'reads their characters and reports where each character sits.',
    'A layout step then rebuilds words, lines and paragraphs from those positions.',
  ],
  right: [
    'Reading order matters when a page has more than one column. A reader expects the left column first, ' +
      'from top to bottom, and only then the right column.',
    'The lines of both columns share the same heights on the page.',
  ],
};

// The text of examples/sample.pdf, as examples/make-sample.ts renders it (title, English column, Chinese
// column, the table row by row, footer).
const sampleTruth = [
  'Annual Report 2026 · 年度报告',
  'Our document scanning service processed more pages than ever this year. Customers in banking and ' +
    'logistics moved their archives to searchable PDFs, and the average time to find a contract fell ' +
    'from hours to seconds.',
  '今年我们的文档扫描服务处理的页面数量创下新高。银行和物流行业的客户将档案转换为可搜索的文件，查找合同的平均时间从数小时缩短到几秒钟。',
  'Quarter 季度 Pages 页数 Growth 增长',
  'Q1 1,204,500 8%',
  'Q2 1,377,020 14%',
  'Q3 1,542,310 12%',
  'Page 1 · Prepared with ocrkit test data',
].join('\n');

async function singleColumn(content: { title: string; paragraphs: string[] }, font: string): Promise<Buffer> {
  const wrap = width - 2 * margin;
  const title = await block(content.title, font.replace(/\d+$/, '15'), wrap, true);
  const body = await column(content.paragraphs, font, margin, margin + title.info.height + pt(20), wrap);
  return compose([{ input: title.data, left: margin, top: margin }, ...body.parts]);
}

/** The evaluation's pages, in order; `samplePdf` is examples/sample.pdf. */
export async function testPages(samplePdf: string): Promise<TestPage[]> {
  const englishPng = await singleColumn(english, 'DejaVu Sans 10');
  const englishTruth = [english.title, ...english.paragraphs].join('\n');
  const chinesePng = await singleColumn(chinese, 'Noto Sans CJK SC 11');

  const gutter = pt(24);
  const columnWidth = Math.round((width - 2 * margin - gutter) / 2);
  const title = await block(twoColumns.title, 'DejaVu Sans 15', width - 2 * margin, true);
  const top = margin + title.info.height + pt(20);
  const left = await column(twoColumns.left, 'DejaVu Sans 9', margin, top, columnWidth);
  const right = await column(twoColumns.right, 'DejaVu Sans 9', margin + columnWidth + gutter, top, columnWidth);
  const twoColumnPng = await compose([{ input: title.data, left: margin, top: margin }, ...left.parts, ...right.parts]);

  return [
    { name: 'english', pdf: await imagePdf(englishPng), truth: englishTruth },
    { name: 'chinese', pdf: await imagePdf(chinesePng), truth: [chinese.title, ...chinese.paragraphs].join('\n') },
    {
      name: 'two-column',
      pdf: await imagePdf(twoColumnPng),
      truth: [twoColumns.title, ...twoColumns.left, ...twoColumns.right].join('\n'),
    },
    // The scan itself lies on its side (turned 90° clockwise): a landscape page whose text runs top to bottom.
    {
      name: 'english turned 90°',
      pdf: await imagePdf(await sharp(englishPng).rotate(90).png().toBuffer()),
      truth: englishTruth,
    },
    // Stored turned 90° counter-clockwise on a landscape MediaBox with /Rotate 90: upright when displayed.
    {
      name: 'english /Rotate 90',
      pdf: await imagePdf(await sharp(englishPng).rotate(270).png().toBuffer(), 90),
      truth: englishTruth,
    },
    { name: 'sample.pdf', pdf: new Uint8Array(await readFile(samplePdf)), truth: sampleTruth },
  ];
}
