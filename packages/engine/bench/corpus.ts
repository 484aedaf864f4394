// The benchmark's pages, each with the text it is known to hold: public corpora under OCRKIT_CORPORA, PDF pages
// rendered by poppler, and pages rendered here with Pango (through sharp) from text written for the purpose.
// Generated images go to `workDir`; nothing here is committed.
import { execFile } from 'node:child_process';
import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp, { type OverlayOptions, type Sharp } from 'sharp';
import { mulberry32 } from '../../../test/support/mulberry32.ts';

export interface Page {
  /** Unique within its set, e.g. "testocr.png" or "eu-004 p1". */
  readonly name: string;
  readonly path: string;
  /** The text the page holds; line breaks and spacing as the source gives them. */
  readonly truth: string;
  readonly widthPx: number;
  readonly heightPx: number;
}

export interface PageSet {
  readonly name: string;
  /** Where the pages and their text come from, one line. */
  readonly about: string;
  readonly pages: readonly Page[];
  /** Why the set, or some of its pages, could not be built. */
  readonly skipped: readonly string[];
}

const run = promisify(execFile);

/**
 * Every set whose name `include` accepts, in the order they are reported; a missing corpus or tool skips
 * its set, or some of its pages, with the reason.
 */
export async function buildPageSets(
  corporaDir: string,
  workDir: string,
  include: (name: string) => boolean = () => true,
): Promise<PageSet[]> {
  const builders: [string, () => Promise<PageSet>][] = [
    ['tesseractjs', () => tesseractjsSet(join(corporaDir, 'tesseractjs'))],
    ['ocrmypdf-linn', () => linnSet(join(corporaDir, 'ocrmypdf'), workDir)],
    ['icdar2013-eu', () => icdarSet(join(corporaDir, 'icdar2013', 'competition-dataset-eu'), workDir)],
    ['rendered-zh', () => chineseSet(workDir)],
    ['rendered-en', () => englishSet(workDir)],
    ['receipt', () => receiptSet(workDir)],
  ];
  const sets: PageSet[] = [];
  for (const [name, build] of builders) if (include(name)) sets.push(await build());
  return sets;
}

async function tesseractjsSet(dir: string): Promise<PageSet> {
  const name = 'tesseractjs';
  const about =
    'tesseract.js test images (one sentence in 6 formats and 3 rotations, 12 pt text, Chinese, a bank table)';
  const truthPath = join(dir, 'expected-text.json');
  if (!(await exists(truthPath))) return { name, about, pages: [], skipped: [`${truthPath} not found`] };
  const { images } = JSON.parse(await readFile(truthPath, 'utf8')) as { images: Record<string, string> };
  const pages: Page[] = [];
  const skipped: string[] = [];
  for (const [file, truth] of Object.entries(images)) {
    const path = join(dir, 'images', file);
    if (!(await exists(path))) skipped.push(`${file}: not found`);
    // PBM and BMP have no size here: sharp reads neither; the tools report for themselves what they decode.
    else pages.push({ name: file, path, truth, ...((await sizeOf(path)) ?? { widthPx: 0, heightPx: 0 }) });
  }
  return { name, about, pages, skipped };
}

/** linn.png, the same page skewed, and its copies turned by 90, 180 and 270 degrees (ocrmypdf's fixtures). */
async function linnSet(dir: string, workDir: string): Promise<PageSet> {
  const name = 'ocrmypdf-linn';
  const about =
    'LinnSequencer brochure, 300 dpi letter, two columns in the middle; linn.txt is approximate OCR-like text ' +
    '(bullets read as "0", tesseract\'s column order), which favours tesseract';
  const truthPath = join(dir, 'linn.txt');
  if (!(await exists(truthPath))) return { name, about, pages: [], skipped: [`${truthPath} not found`] };
  const truth = await readFile(truthPath, 'utf8');
  const pages: Page[] = [];
  const skipped: string[] = [];
  const png = join(dir, 'linn.png');
  if (await exists(png)) pages.push(await page('linn.png', png, truth));
  const renders = [
    ['skew.pdf', 1, 'skew.pdf (skewed)'],
    ['cardinal.pdf', 2, 'cardinal.pdf p2 (90°)'],
    ['cardinal.pdf', 3, 'cardinal.pdf p3 (180°)'],
    ['cardinal.pdf', 4, 'cardinal.pdf p4 (270°)'],
  ] as const;
  for (const [file, pageNumber, label] of renders) {
    const rendered = await renderPdfPage(join(dir, file), pageNumber, workDir);
    if (typeof rendered !== 'string') pages.push(await page(label, rendered.path, truth));
    else if (rendered.includes('not installed')) {
      skipped.push(`the PDF pages: ${rendered}`);
      break;
    } else skipped.push(`${label}: ${rendered}`);
  }
  return { name, about, pages, skipped };
}

// First pages with running prose (004, 008, 013) and one of tables (001); all A4.
const icdarFiles = ['eu-001', 'eu-004', 'eu-008', 'eu-013'];

async function icdarSet(dir: string, workDir: string): Promise<PageSet> {
  const name = 'icdar2013-eu';
  const about =
    'ICDAR 2013 table competition, born-digital EU reports: page 1 at 300 dpi gray; truth from pdftotext -layout';
  if (!(await exists(dir))) return { name, about, pages: [], skipped: [`${dir} not found`] };
  const pages: Page[] = [];
  const skipped: string[] = [];
  for (const file of icdarFiles) {
    const pdf = join(dir, `${file}.pdf`);
    const rendered = await renderPdfPage(pdf, 1, workDir);
    if (typeof rendered === 'string') {
      skipped.push(`${file}: ${rendered}`);
      if (rendered.includes('not installed')) break;
      continue;
    }
    const { stdout } = await run('pdftotext', ['-f', '1', '-l', '1', '-layout', pdf, '-'], { maxBuffer: 1 << 24 });
    pages.push(await page(`${file} p1`, rendered.path, stdout));
  }
  return { name, about, pages, skipped };
}

/** `pdftoppm -r 300 -gray` of one page to PNG, or why it could not be made. */
async function renderPdfPage(pdf: string, pageNumber: number, workDir: string): Promise<{ path: string } | string> {
  if (!(await exists(pdf))) return `${pdf} not found`;
  const prefix = join(
    workDir,
    `${pdf
      .split('/')
      .at(-1)
      ?.replace(/\.pdf$/, '')}-p${pageNumber}`,
  );
  const args = ['-r', '300', '-gray', '-png', '-f', `${pageNumber}`, '-l', `${pageNumber}`, '-singlefile'];
  try {
    await run('pdftoppm', [...args, pdf, prefix]);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT'
      ? 'pdftoppm not installed (poppler-utils)'
      : `pdftoppm failed: ${(error as Error).message}`;
  }
  return { path: `${prefix}.png` };
}

// Ordinary Chinese prose written for this benchmark: a walk, a bookshop, a few words on OCR. Lines are
// the page's lines (no wrapping), 27 to 37 characters each.
const chineseText = `秋天的早晨，城市还没有完全醒来，街道两旁的梧桐树叶已经开始变黄。
我沿着河边慢慢地走，空气里有一点凉意，也有远处面包店飘来的香味。
几位老人在公园里打太极拳，动作缓慢而有力，好像时间在这里走得更慢。
不远处的小学门口，家长们牵着孩子的手，一边走一边叮嘱着什么。
卖早点的摊位前排起了队，豆浆和油条的热气在阳光下升起又散开。
我在一家旧书店门前停下脚步。书店不大，却整整齐齐地摆满了书。
店主是一位戴着眼镜的中年人，他说这家店已经开了将近三十年。
从前来买书的多是学生和老师，现在更多的是路过的游客和附近的居民。
他告诉我，印刷术的发明让知识第一次能够大量复制，传到更远的地方。
活字印刷出现以后，一本书不必再由人一笔一画地抄写，价格也便宜了许多。
今天我们用手机拍一张照片，电脑就能把图片里的文字识别出来。
这项技术叫做光学字符识别，它要先找到文字所在的位置，再逐行读出内容。
对于中文来说，常用的汉字有好几千个，相似的字形也很多，识别并不容易。
比如“末”和“未”，“己”和“已”，只差一笔，意思却完全不同。
扫描的质量、纸张的颜色和字体的大小，都会影响最后的结果。
好的识别程序不但要认得准，还要跑得快，占用的内存也不能太多。
离开书店的时候，我买了一本关于城市历史的小书，价格是二十八元。
回家的路上，天空变得更加明亮，河面上有几只白色的水鸟飞过。
我想，无论技术怎样变化，人们对文字和阅读的热爱大概不会改变。
明天如果天气好，我还想再来这里走一走，看看那些安静的旧书。
`;

// A notice written for this benchmark: mixed case, digits, punctuation, a price, a phone number.
const englishText = `The Riverside Public Library will close for renovation on Monday,
3 March 2025, and is expected to reopen in the first week of June.
During the closure, books may be returned to the drop box beside the
north entrance, which will be emptied twice a day. Borrowing periods
for all items have been extended by six weeks, and no late fees will
be charged until the library reopens. Members who need a quiet place
to study can use the reading room at the Hillcrest branch, 14 Oak
Street, from 9:00 a.m. to 7:30 p.m. on weekdays.

The work will replace the roof, the heating system and the old
lighting, which uses about 40% more electricity than modern fittings.
A new lift will make the second floor accessible to wheelchair users
for the first time since the building opened in 1962. The children's
section will move to the ground floor, next to the garden, and the
local history collection will get its own room with proper climate
control. The total cost is estimated at $2.4 million, of which the
city council has agreed to pay two thirds; the rest comes from a
state grant and from donations collected over the past three years.

Staff will use the closure to check every item in the catalogue.
Around 85,000 books, maps and recordings will be cleaned, labelled
and scanned, so that the online search shows exactly what is on the
shelves. Damaged books will be repaired where possible; copies that
are beyond repair will be replaced or, for rare titles, digitised.
Volunteers are welcome to help with the sorting: please write to
the head librarian, Ms. Helen Park, or call (555) 013-2749 between
10 a.m. and noon. Updates on the progress of the work will be posted
every Friday on the notice board outside the main door and on the
library's website. We thank all our readers for their patience and
look forward to welcoming you back to a brighter, warmer building.
`;

// A4 at 300 dpi: 210 x 297 mm.
const a4 = { widthPx: 2480, heightPx: 3508 };
// 2 cm margins.
const marginPx = 236;

async function chineseSet(workDir: string): Promise<PageSet> {
  const path = join(workDir, 'zh-noto-sans-12pt.png');
  await writeFile(path, await renderTextPage(chineseText, 'Noto Sans CJK SC 12'));
  return {
    name: 'rendered-zh',
    about: 'simplified Chinese prose, 20 lines, Noto Sans CJK SC 12 pt (50 px em), A4 at 300 dpi, rendered here',
    pages: [await page('zh Noto Sans 12pt', path, chineseText)],
    skipped: [],
  };
}

async function englishSet(workDir: string): Promise<PageSet> {
  const pages: Page[] = [];
  for (const [font, label] of [
    ['DejaVu Sans 12', 'en DejaVu Sans 12pt'],
    ['DejaVu Serif 10', 'en DejaVu Serif 10pt'],
  ] as const) {
    const path = join(workDir, `${label.replaceAll(' ', '-')}.png`);
    await writeFile(path, await renderTextPage(englishText, font));
    pages.push(await page(label, path, englishText));
  }
  return {
    name: 'rendered-en',
    about: 'English notice, 29 lines, DejaVu Sans 12 pt and DejaVu Serif 10 pt, A4 at 300 dpi, rendered here',
    pages,
    skipped: [],
  };
}

/** Black text at 300 dpi on a white A4 page, 2 cm from the top-left corner; lines as given, no wrapping. */
async function renderTextPage(text: string, font: string): Promise<Buffer> {
  const mask = await textMask(text, font);
  const { width = 0, height = 0 } = await sharp(mask).metadata();
  if (width > a4.widthPx - 2 * marginPx || height > a4.heightPx - 2 * marginPx) {
    throw new RangeError(`"${font}" text is ${width} x ${height} px: it does not fit A4 at 300 dpi; shorten it.`);
  }
  // Two pipelines: within one, sharp negates after extending, which would turn the white margin black.
  const black = await sharp(mask).negate().toColourspace('b-w').png().toBuffer();
  return sharp(black)
    .extend({
      top: marginPx,
      left: marginPx,
      right: a4.widthPx - marginPx - width,
      bottom: a4.heightPx - marginPx - height,
      background: '#ffffff',
    })
    .toColourspace('b-w')
    .png()
    .toBuffer();
}

/** Pango's rendering of `text` in `font` ("Family Size", points) at 300 dpi: white text on black. */
async function textMask(text: string, font: string): Promise<Buffer> {
  const markup = text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').trimEnd();
  return sharp({ text: { text: markup, font, dpi: 300 } })
    .toColourspace('b-w')
    .png()
    .toBuffer();
}

// A till receipt from a Johor Bahru grocery, written for this benchmark: 80 mm paper, monospace, upper case,
// space-aligned columns; the totals add up. Sections are separated by printed rules, not dashes, so that
// the score measures words rather than the count of dashes read.
const receiptSections = [
  `          KEDAI RUNCIT SERI MAJU
        SYARIKAT SERI MAJU SDN BHD
     NO 12 JALAN SAGU 18 TAMAN DAYA
         81100 JOHOR BAHRU JOHOR
             TEL: 07-355 1234`,
  `INVOICE NO: CS00123456    DATE: 12/03/2024
CASHIER: AMINAH           TIME: 18:42:07`,
  `ITEM                     QTY PRICE AMOUNT
MILO ACTIV-GO 1KG          1 17.90  17.90
GARDENIA WHITE BREAD       2  3.80   7.60
AYAM BRAND SARDINES        3  5.25  15.75
BERAS SUPER TEMPATAN 5KG   1 16.50  16.50
TELUR GRED A 30 BIJI       1 13.20  13.20
MINYAK MASAK BURUH 2KG     1 11.90  11.90`,
  `TOTAL ITEMS: 9
TOTAL                               82.85
ROUNDING                             0.00
CASH                               100.00
CHANGE                              17.15`,
  `       THANK YOU PLEASE COME AGAIN
      GOODS SOLD ARE NOT RETURNABLE`,
];

// 80 mm at 300 dpi.
const receiptWidthPx = 945;

async function receiptSet(workDir: string): Promise<PageSet> {
  const truth = `${receiptSections.join('\n')}\n`;
  const clean = await renderReceipt();
  const pages: Page[] = [];
  const scan = join(workDir, 'receipt-scan.jpg');
  await writeFile(scan, await degradeAsScan(clean, 1));
  pages.push(await page('receipt scan (blur, noise, JPEG 70)', scan, truth));
  const photo = join(workDir, 'receipt-photo.jpg');
  await writeFile(photo, await degradeAsPhoto(clean, 2));
  pages.push(await page('receipt photo (2° turn, shading, blur, noise, 75%, JPEG 60)', photo, truth));
  return {
    name: 'receipt',
    about:
      'till receipt rendered here in DejaVu Sans Mono 8 pt on 80 mm paper at 300 dpi, then degraded (seeded noise)',
    pages,
    skipped: [],
  };
}

/** The clean receipt: gray raw pixels, sections stacked with a printed rule between them. */
async function renderReceipt(): Promise<Gray> {
  const padPx = 40;
  const gapPx = 28;
  const ruleHeightPx = 3;
  const parts: OverlayOptions[] = [];
  let top = padPx;
  for (const [i, section] of receiptSections.entries()) {
    const mask = await sharp(await textMask(section, 'DejaVu Sans Mono 8'))
      .negate()
      .png()
      .toBuffer();
    const { width = 0, height = 0 } = await sharp(mask).metadata();
    if (width > receiptWidthPx - 2 * padPx) throw new RangeError(`receipt section ${i} is ${width} px wide.`);
    parts.push({ input: mask, top, left: padPx });
    top += height + gapPx;
    if (i < receiptSections.length - 1) {
      const rule = {
        width: receiptWidthPx - 2 * padPx,
        height: ruleHeightPx,
        channels: 3 as const,
        background: '#000',
      };
      parts.push({ input: { create: rule }, top, left: padPx });
      top += ruleHeightPx + gapPx;
    }
  }
  return toGray(
    sharp({ create: { width: receiptWidthPx, height: top + padPx, channels: 3, background: '#ffffff' } }).composite(
      parts.map((part) => ({ ...part, blend: 'multiply' as const })),
    ),
  );
}

type Gray = { data: Buffer; width: number; height: number };

/** A flatbed scan: slight blur, sensor noise, JPEG at quality 70. */
async function degradeAsScan(clean: Gray, seed: number): Promise<Buffer> {
  const blurred = await toGray(fromGray(clean).blur(0.8));
  return fromGray({ ...blurred, data: addNoise(blurred.data, 8, mulberry32(seed)) })
    .toColourspace('b-w')
    .jpeg({ quality: 70 })
    .toBuffer();
}

/**
 * A phone photo: the off-white paper turned 2° on a grey table, light falling off across the frame, focus
 * blur, noise, scaled to 75% (about 225 dpi), JPEG at quality 60.
 */
async function degradeAsPhoto(clean: Gray, seed: number): Promise<Buffer> {
  const paper = Buffer.from(clean.data);
  for (let i = 0; i < paper.length; i++) paper[i] = Math.round(((paper[i] as number) * 242) / 255);
  const table = { r: 150, g: 150, b: 150 };
  const turned = await toGray(
    fromGray({ ...clean, data: paper })
      .extend({ top: 80, bottom: 80, left: 80, right: 80, background: table })
      .rotate(2, { background: table }),
  );
  const { width, height } = turned;
  const shaded = Buffer.from(turned.data);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Light from the top-left: 100% there, 72% at the far corner.
      const light = 1 - 0.28 * ((x / width + y / height) / 2);
      const i = y * width + x;
      shaded[i] = Math.round((shaded[i] as number) * light);
    }
  }
  const blurred = await toGray(fromGray({ width, height, data: shaded }).blur(1.1));
  return fromGray({ ...blurred, data: addNoise(blurred.data, 12, mulberry32(seed)) })
    .resize(Math.round(width * 0.75))
    .toColourspace('b-w')
    .jpeg({ quality: 60 })
    .toBuffer();
}

function fromGray(image: Gray): Sharp {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 1 } });
}

/** The pipeline's output as one 8-bit grey channel (sharp turns single-channel input into sRGB on the way). */
async function toGray(pipeline: Sharp): Promise<Gray> {
  const { data, info } = await pipeline.toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 1) throw new Error(`expected one grey channel, got ${info.channels}`);
  return { data, width: info.width, height: info.height };
}

/** Gaussian noise of standard deviation `sigma` grey levels (Box–Muller), clamped to 0..255. */
function addNoise(pixels: Buffer, sigma: number, random: () => number): Buffer {
  const out = Buffer.from(pixels);
  for (let i = 0; i < out.length; i++) {
    const gaussian = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    out[i] = Math.max(0, Math.min(255, Math.round((out[i] as number) + sigma * gaussian)));
  }
  return out;
}

async function page(name: string, path: string, truth: string): Promise<Page> {
  const size = await sizeOf(path);
  if (!size) throw new Error(`${path} does not decode: the benchmark made or expected a readable image there.`);
  return { name, path, truth, ...size };
}

async function sizeOf(path: string): Promise<{ widthPx: number; heightPx: number } | undefined> {
  try {
    const { width, height } = await sharp(path).metadata();
    return width && height ? { widthPx: width, heightPx: height } : undefined;
  } catch {
    return undefined;
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
