import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { beforeAll, expect, test } from 'vitest';

// The built CLI on the bundled sample (examples/make-sample.ts): an A5 page scanned at 300 dpi with a
// title, two columns (English, Chinese) and a ruled table.
const cli = new URL('../dist/cli.js', import.meta.url).pathname;
const sample = new URL('../../../examples/sample.pdf', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'ocrkit-cli-'));
const ocrkit = (...args: string[]) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 120_000 });

async function pdfText(path: string): Promise<string> {
  const task = getDocument({ data: new Uint8Array(readFileSync(path)), verbosity: 0 });
  const doc = await task.promise;
  const page = await doc.getPage(1);
  const content = await page.getTextContent();
  const text = content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join('');
  await task.destroy();
  return text;
}

let run: ReturnType<typeof ocrkit>;
beforeAll(() => {
  run = ocrkit(
    sample,
    '-o',
    join(dir, 'sample.ocr.pdf'),
    '--text',
    join(dir, 'sample.txt'),
    '--markdown',
    join(dir, 'sample.md'),
    '--hocr',
    join(dir, 'sample.hocr'),
    '--json',
    join(dir, 'sample.json'),
  );
}, 120_000);

test('converts the sample: exit 0, progress on stderr, every output written', () => {
  expect(run.stderr).toMatch(/page 1 done \(1\/1/);
  expect(run.status).toBe(0);
  for (const name of ['sample.ocr.pdf', 'sample.txt', 'sample.md', 'sample.hocr', 'sample.json']) {
    expect(existsSync(join(dir, name))).toBe(true);
  }
  // Written atomically: no temporary files left beside the outputs.
  expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
});

test('the text output has both columns and the table rows', () => {
  const text = readFileSync(join(dir, 'sample.txt'), 'utf8');
  expect(text).toContain('Annual Report 2026');
  expect(text).toContain('今年我们的文档扫描服务处理的页面数');
  expect(text).toContain('from hours to seconds.');
  expect(text).toContain('Q1\t1,204,500\t8%');
  expect(text).toContain('Q3\t1,542,310\t12%');
  // Reading order: the English column before the Chinese one, both before the table.
  expect(text.indexOf('from hours to seconds.')).toBeLessThan(text.indexOf('今年我们'));
  expect(text.indexOf('平均时间')).toBeLessThan(text.indexOf('Q1\t'));
});

test('the Markdown output has the table as a table', () => {
  const markdown = readFileSync(join(dir, 'sample.md'), 'utf8');
  expect(markdown).toMatch(/\|\s*Q2\s*\|\s*1,377,020\s*\|\s*14%\s*\|/);
});

test('the searchable PDF keeps the scan and adds its text', async () => {
  const text = await pdfText(join(dir, 'sample.ocr.pdf'));
  expect(text).toContain('1,204,500');
  expect(text).toContain('年度报告');
  expect(text).toContain('查找合同的');
  const original = readFileSync(sample);
  const output = readFileSync(join(dir, 'sample.ocr.pdf'));
  // The text layer is small next to the scan.
  expect(output.length - original.length).toBeLessThan(20_000);
});

test('the JSON output has the API result and the layout of the page', () => {
  const json = JSON.parse(readFileSync(join(dir, 'sample.json'), 'utf8'));
  expect(json.pages).toHaveLength(1);
  expect(json.pages[0].pageNumber).toBe(1);
  expect(json.pages[0].result.words_block_count).toBeGreaterThan(10);
  expect(json.pages[0].page.tables).toHaveLength(1);
});

test('with only an input, writes <input>.ocr.pdf beside it', () => {
  const image = join(dir, 'line.png');
  copyFileSync(new URL('../../engine/test/fixtures/english-line.png', import.meta.url), image);
  const result = ocrkit(image, '--quiet');
  expect(result.status).toBe(0);
  expect(result.stderr).toBe('');
  expect(existsSync(join(dir, 'line.ocr.pdf'))).toBe(true);
});

test('a broken input fails with one line, exit code 1, and leaves no output', () => {
  const broken = join(dir, 'broken.pdf');
  writeFileSync(broken, '%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage');
  const result = ocrkit(broken, '-o', join(dir, 'broken.ocr.pdf'));
  expect(result.status).toBe(1);
  expect(result.stderr.trim().split('\n').at(-1)).toMatch(/^ocrkit: /);
  expect(existsSync(join(dir, 'broken.ocr.pdf'))).toBe(false);
});

test('pages outside the document are refused in one line and nothing is written', () => {
  const result = ocrkit(sample, '--pages', '5', '-o', join(dir, 'none.pdf'));
  expect(result.status).toBe(1);
  expect(result.stderr).toBe('ocrkit: Page 5 was asked for, but the PDF has 1 page; ask for pages 1..1.\n');
  expect(existsSync(join(dir, 'none.pdf'))).toBe(false);
});

test('bad usage is exit code 2 with a pointer to --help', () => {
  const result = ocrkit(sample, '--pages', '3-1');
  expect(result.status).toBe(2);
  expect(result.stderr).toMatch(/--pages takes ranges like 1-3,7.*see ocrkit --help/);
});

test('a second run keeps pages that already have text; --force replaces the earlier layer', async () => {
  const first = join(dir, 'sample.ocr.pdf');
  const again = ocrkit(first, '-o', join(dir, 'again.pdf'));
  expect(again.status).toBe(0);
  expect(again.stderr).toMatch(/page 1 already has text: kept as it is \(1\/1; --force to OCR it\)/);
  expect(again.stderr).toMatch(/every page of .* already has text; nothing written/);
  expect(existsSync(join(dir, 'again.pdf'))).toBe(false);
  const forced = ocrkit(first, '-o', join(dir, 'forced.pdf'), '--force', '--quiet');
  expect(forced.status).toBe(0);
  const text = await pdfText(join(dir, 'forced.pdf'));
  // One layer: the earlier one was replaced, not doubled.
  expect(text.match(/1,204,500/g)).toHaveLength(1);
});

test('an encrypted PDF is refused before any OCR when a PDF output is asked for, with the way out', () => {
  const encrypted = new URL('../../pdf/test/fixtures/encrypted.pdf', import.meta.url).pathname;
  const result = ocrkit(encrypted, '-o', join(dir, 'encrypted.ocr.pdf'));
  expect(result.status).toBe(1);
  expect(result.stderr).toBe(
    `ocrkit: ${encrypted} is encrypted: a searchable PDF needs a decrypted copy (qpdf --decrypt --password=... in.pdf out.pdf); text, Markdown, hOCR and JSON outputs work with --password.\n`,
  );
  const noPassword = ocrkit(encrypted, '--text', join(dir, 'encrypted.txt'));
  expect(noPassword.stderr).toBe('ocrkit: the PDF is encrypted: give its password with --password.\n');
  const wrong = ocrkit(encrypted, '--text', join(dir, 'encrypted.txt'), '--password', 'nope');
  expect(wrong.stderr).toBe('ocrkit: --password does not open the PDF (neither its user nor its owner password).\n');
});

test('an image input becomes a one-page searchable PDF of itself, and text', async () => {
  const image = new URL('../../engine/test/fixtures/page.png', import.meta.url).pathname;
  const result = ocrkit(image, '-o', join(dir, 'page.pdf'), '--text', join(dir, 'page.txt'));
  expect(result.status).toBe(0);
  expect(readFileSync(join(dir, 'page.txt'), 'utf8')).toContain('driven by strong demand for document scanning.');
  const text = await pdfText(join(dir, 'page.pdf'));
  expect(text).toContain('Quarterly Report 2026');
  expect(text).toContain('本季度收入增长百分之十二');
});

// rasterize's fixture: page 2's /Kids entry points to a missing object; pdf.js fails that page alone.
test('a broken page among good ones is reported by number and reason, the others written, exit code 3', async () => {
  const damaged = new URL('../../rasterize/test/fixtures/damaged-page.pdf', import.meta.url).pathname;
  const result = ocrkit(damaged, '--force', '-o', join(dir, 'damaged.pdf'), '--text', join(dir, 'damaged.txt'));
  expect(result.status).toBe(3);
  expect(result.stderr).toMatch(/page 2 failed: PAGE_RENDER_FAILED: Page 2 failed to render/);
  expect(result.stderr).toMatch(/1 page failed; see above \(--resume retries only those\)/);
  expect(readFileSync(join(dir, 'damaged.txt'), 'utf8')).toBe('Page 1\n');
  // The PDF is written with every page the original has; page 1 has its own text and the OCR layer.
  const task = getDocument({ data: new Uint8Array(readFileSync(join(dir, 'damaged.pdf'))), verbosity: 0 });
  expect((await task.promise).numPages).toBe(2);
  await task.destroy();
  expect((await pdfText(join(dir, 'damaged.pdf'))).match(/Page 1/g)).toHaveLength(2);
});

// The command's entry point refuses an old Node.js in one line instead of failing inside a dependency.
const systemNode = '/usr/bin/node';
const systemMajor = existsSync(systemNode)
  ? Number(spawnSync(systemNode, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.split('.')[0])
  : undefined;
test.skipIf(systemMajor === undefined || systemMajor >= 22)('on Node.js 20 the command says what it needs', () => {
  const bin = new URL('../dist/bin.js', import.meta.url).pathname;
  const result = spawnSync(systemNode, [bin, '--version'], { encoding: 'utf8' });
  expect(result.status).toBe(1);
  expect(result.stderr).toMatch(/^ocrkit needs Node.js 22.19 or later; this is v\d+/);
});

test('--log-json reports progress and the outcome as JSON lines, errors included', () => {
  const damaged = new URL('../../rasterize/test/fixtures/damaged-page.pdf', import.meta.url).pathname;
  const result = ocrkit(damaged, '--force', '--log-json', '--text', join(dir, 'logged.txt'));
  expect(result.status).toBe(3);
  const events = result.stderr
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as { event: string });
  expect(events.map((e) => e.event)).toEqual(['page', 'page-failed', 'done']);
  expect(events[1]).toMatchObject({ page: 2, code: 'PAGE_RENDER_FAILED' });
  expect(events[2]).toEqual({ event: 'done', pages: 1, failed: 1, outputs: [join(dir, 'logged.txt')], exitCode: 3 });
  const refused = ocrkit(sample, '--pages', '5', '--log-json', '-o', join(dir, 'none.pdf'));
  expect(refused.status).toBe(1);
  expect(JSON.parse(refused.stderr)).toEqual({
    event: 'error',
    code: 'PAGE_OUT_OF_RANGE',
    message: 'Page 5 was asked for, but the PDF has 1 page; ask for pages 1..1.',
    exitCode: 1,
  });
});
