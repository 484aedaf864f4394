import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { expect, test } from 'vitest';

const cli = new URL('../dist/cli.js', import.meta.url).pathname;
const fixture = (name: string) => readFileSync(new URL(`../../engine/test/fixtures/${name}`, import.meta.url));

/** A PDF of the given PNGs, each a page drawn at 144 dpi. */
async function pdfOf(pngs: Buffer[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (const png of pngs) {
    const image = await doc.embedPng(png);
    doc
      .addPage([image.width / 2, image.height / 2])
      .drawImage(image, { x: 0, y: 0, width: image.width / 2, height: image.height / 2 });
  }
  return doc.save();
}

test('a run killed mid-document resumes from its finished pages; the result equals an uninterrupted run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ocrkit-resume-'));
  const input = join(dir, 'doc.pdf');
  const names = ['page.png', 'english-line.png', 'chinese-line.png', 'page.png', 'mixed-line.png', 'page.png'];
  writeFileSync(input, await pdfOf(names.map(fixture)));

  const whole = spawnSync(process.execPath, [cli, input, '--text', join(dir, 'whole.txt'), '--quiet'], {
    encoding: 'utf8',
  });
  expect(whole.status).toBe(0);

  // Kill the second run once its state file holds a finished page.
  const state = join(dir, 'resumed.txt.ocrkit-resume');
  const killed = spawn(process.execPath, [cli, input, '--text', join(dir, 'resumed.txt'), '--quiet']);
  for (let i = 0; i < 600; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (existsSync(state) && readFileSync(state, 'utf8').split('\n').length >= 3) break;
  }
  killed.kill('SIGKILL');
  await once(killed, 'exit');
  expect(existsSync(join(dir, 'resumed.txt'))).toBe(false);
  const keptLines = readFileSync(state, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{"pageNumber"')).length;
  expect(keptLines).toBeGreaterThanOrEqual(1);
  expect(keptLines).toBeLessThan(names.length);

  const resumed = spawnSync(process.execPath, [cli, input, '--text', join(dir, 'resumed.txt'), '--resume'], {
    encoding: 'utf8',
  });
  expect(resumed.status).toBe(0);
  expect(resumed.stderr).toMatch(new RegExp(`resuming: ${keptLines} of ${names.length} pages were done before`));
  // Only the rest was read again.
  expect(resumed.stderr.match(/page \d+ done/g)).toHaveLength(names.length - keptLines);
  expect(readFileSync(join(dir, 'resumed.txt'), 'utf8')).toBe(readFileSync(join(dir, 'whole.txt'), 'utf8'));
  expect(existsSync(state)).toBe(false);
}, 180_000);

test('without --resume a new run starts over, whatever an earlier one left', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ocrkit-resume-'));
  const input = join(dir, 'doc.pdf');
  writeFileSync(input, await pdfOf([fixture('english-line.png')]));
  writeFileSync(join(dir, 'out.txt.ocrkit-resume'), '{"ocrkit":1,"input":"something else"}\n{"pageNumber":1}\n');
  // At the 144 dpi the page was drawn at, the engine sees the fixture's own pixels.
  const run = spawnSync(process.execPath, [cli, input, '--text', join(dir, 'out.txt'), '--dpi', '144'], {
    encoding: 'utf8',
  });
  expect(run.status).toBe(0);
  expect(run.stderr).not.toMatch(/resuming/);
  expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe('The quick brown fox jumps over the lazy dog 42\n');
  expect(existsSync(join(dir, 'out.txt.ocrkit-resume'))).toBe(false);
}, 60_000);

test('--pages converts only the pages asked for, in that order', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ocrkit-pages-'));
  const input = join(dir, 'doc.pdf');
  writeFileSync(input, await pdfOf([fixture('english-line.png'), fixture('page.png'), fixture('chinese-line.png')]));
  const json = join(dir, 'out.json');
  const run = spawnSync(process.execPath, [cli, input, '--pages', '3,1', '--json', json, '--dpi', '144', '--quiet'], {
    encoding: 'utf8',
  });
  expect(run.status).toBe(0);
  const { pages } = JSON.parse(readFileSync(json, 'utf8')) as {
    pages: { pageNumber: number; result: { words_block_list: { words: string }[] } }[];
  };
  expect(pages.map((p) => p.pageNumber)).toEqual([3, 1]);
  expect(pages.map((p) => p.result.words_block_list.map((b) => b.words))).toEqual([
    ['通用文字识别服务支持扫描文件'],
    ['The quick brown fox jumps over the lazy dog 42'],
  ]);
}, 60_000);
