import { execFile, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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

test('a page the service fails is reported, the others are written (exit 3), and --resume retries only it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ocrkit-partial-'));
  const input = join(dir, 'doc.pdf');
  writeFileSync(
    input,
    await pdfOf([fixture('english-line.png'), fixture('english-line.png'), fixture('english-line.png')]),
  );
  // A scripted server speaking the API: the second request fails with a code that is never retried.
  let requests = 0;
  let failing = true;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      requests++;
      response.setHeader('Content-Type', 'application/json');
      if (failing && requests === 2) {
        response.writeHead(400).end(JSON.stringify({ error_code: 'AIS.0105', error_msg: 'Recognition failed.' }));
        return;
      }
      const block = {
        words: `request ${requests}`,
        location: [
          [10, 10],
          [300, 10],
          [300, 50],
          [10, 50],
        ],
        confidence: 0.9,
      };
      response
        .writeHead(200)
        .end(JSON.stringify({ result: { direction: 0, words_block_count: 1, words_block_list: [block] } }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const run = (...extra: string[]) =>
    execFileAsync(process.execPath, [
      cli,
      input,
      '--endpoint',
      `http://127.0.0.1:${port}`,
      '--text',
      join(dir, 'out.txt'),
      '--jobs',
      '1',
      ...extra,
    ]);
  try {
    const first = await run();
    expect(first.code).toBe(3);
    expect(first.stderr).toMatch(/page 2 failed: AIS\.0105: Recognition failed\. \(HTTP 400\)\n/);
    expect(first.stderr).toMatch(/1 page failed; see above \(--resume retries only those\)/);
    expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe('request 1\n\frequest 3\n');
    failing = false;
    const second = await run('--resume');
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/resuming: 2 of 3 pages were done before/);
    expect(second.stderr.match(/page \d+ done/g)).toEqual(['page 2 done']);
    expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe('request 1\n\frequest 4\n\frequest 3\n');
  } finally {
    server.close();
  }
}, 60_000);

function execFileAsync(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { encoding: 'utf8' }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}
