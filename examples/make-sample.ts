// Writes examples/sample.pdf: an A5 page "scanned" at 300 dpi (slightly turned, noisy, JPEG) with a
// full-width title, two columns of English and Chinese text and a ruled table. Text is rendered by
// sharp (Pango) with DejaVu Sans and Noto Sans CJK (Debian fonts-dejavu-core, fonts-noto-cjk).
// Run by hand after a change: pnpm exec node examples/make-sample.ts  (the PDF is committed)
import { writeFile } from 'node:fs/promises';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';

const dpi = 300;
const [width, height] = [1748, 2480]; // A5 at 300 dpi
const pt = (points: number) => Math.round((points * dpi) / 72);

async function text(markup: string, font: string, wrapWidth?: number) {
  const rendered = await sharp({
    text: { text: markup, font, dpi, ...(wrapWidth ? { width: wrapWidth } : {}), spacing: pt(4), wrap: 'word' },
  })
    // Pango draws white ink on black: exactly the "ink" space the page is composed in.
    .extractChannel(0)
    .png()
    .toBuffer({ resolveWithObject: true });
  return rendered;
}

const left = pt(40);
const columnWidth = Math.round((width - 2 * left - pt(24)) / 2);
const parts: { input: Buffer; left: number; top: number }[] = [];
let top = pt(40);

const title = await text('<b>Annual Report 2026 · 年度报告</b>', 'DejaVu Sans 16');
parts.push({ input: title.data, left, top });
top += title.info.height + pt(24);

const english = await text(
  'Our document scanning service processed more pages than ever this year. Customers in banking and ' +
    'logistics moved their archives to searchable PDFs, and the average time to find a contract fell ' +
    'from hours to seconds.',
  'DejaVu Sans 9',
  columnWidth,
);
const chinese = await text(
  '今年我们的文档扫描服务处理的页面数量创下新高。银行和物流行业的客户将档案转换为可搜索的文件，查找合同的平均时间从数小时缩短到几秒钟。',
  'Noto Sans CJK SC 9',
  columnWidth,
);
parts.push({ input: english.data, left, top });
parts.push({ input: chinese.data, left: left + columnWidth + pt(24), top });
top += Math.max(english.info.height, chinese.info.height) + pt(28);

// A ruled table: three columns, a header and three rows.
const rows = [
  ['Quarter 季度', 'Pages 页数', 'Growth 增长'],
  ['Q1', '1,204,500', '8%'],
  ['Q2', '1,377,020', '14%'],
  ['Q3', '1,542,310', '12%'],
];
const cellWidth = Math.round((width - 2 * left) / 3);
const rowHeight = pt(22);
const lines: string[] = [];
for (let r = 0; r <= rows.length; r++) {
  lines.push(
    `<line x1="0" y1="${r * rowHeight}" x2="${3 * cellWidth}" y2="${r * rowHeight}" stroke="black" stroke-width="3"/>`,
  );
}
for (let c = 0; c <= 3; c++) {
  lines.push(
    `<line x1="${c * cellWidth}" y1="0" x2="${c * cellWidth}" y2="${rows.length * rowHeight}" stroke="black" stroke-width="3"/>`,
  );
}
const grid = Buffer.from(
  `<svg xmlns="http://www.w3.org/2000/svg" width="${3 * cellWidth + 3}" height="${rows.length * rowHeight + 3}">${lines.join('')}</svg>`,
);
parts.push({
  input: await sharp(grid).flatten({ background: '#ffffff' }).negate().extractChannel(0).png().toBuffer(),
  left,
  top,
}); // black lines → white ink
for (const [r, row] of rows.entries()) {
  for (const [c, cell] of row.entries()) {
    const rendered = await text(r === 0 ? `<b>${cell}</b>` : cell, 'Noto Sans CJK SC 9');
    parts.push({ input: rendered.data, left: left + c * cellWidth + pt(6), top: top + r * rowHeight + pt(5) });
  }
}
top += rows.length * rowHeight + pt(24);

const footer = await text('Page 1 · Prepared with ocrkit test data', 'DejaVu Sans 8');
parts.push({ input: footer.data, left, top: height - pt(40) - footer.info.height });

// Ink on black, then negated: composite with "lighten" keeps overlapping strokes.
// (sharp runs composite after every other operation of a pipeline, so negate in a second one.)
const composed = await sharp({ create: { width, height, channels: 3, background: '#000000' } })
  .composite(parts.map((part) => ({ ...part, blend: 'lighten' as const })))
  .png()
  .toBuffer();
const ink = await sharp(composed).removeAlpha().negate({ alpha: false }).toColourspace('b-w').png().toBuffer();
// "Scanned": turned 0.6 degrees, a little blur and noise, grey paper, JPEG.
const noise = await sharp({
  create: { width, height, channels: 3, background: '#ffffff', noise: { type: 'gaussian', mean: 244, sigma: 8 } },
})
  .toColourspace('b-w')
  .png()
  .toBuffer();
const turned = await sharp(ink)
  .rotate(0.6, { background: '#ffffff' })
  .resize(width, height, { fit: 'cover' })
  .blur(0.7)
  .linear(0.92, 8)
  .png()
  .toBuffer();
const scan = await sharp(turned)
  .composite([{ input: noise, blend: 'multiply' }])
  .toColourspace('b-w')
  .jpeg({ quality: 60 })
  .toBuffer();

const doc = await PDFDocument.create();
const image = await doc.embedJpg(scan);
const page = doc.addPage([(width * 72) / dpi, (height * 72) / dpi]);
page.drawImage(image, { x: 0, y: 0, width: page.getWidth(), height: page.getHeight() });
doc.setTitle('ocrkit sample scan');
await writeFile(new URL('./sample.pdf', import.meta.url), await doc.save());
console.log(`sample.pdf: ${scan.length} bytes of JPEG`);
