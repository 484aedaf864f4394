import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '@ocrkit/server';
import { expect, test } from 'vitest';

// Each example runs as a user runs it: its own process, on this Node.
/** Without blocking this process: the server the example calls runs in it. */
function exampleAsync(name: string, env: NodeJS.ProcessEnv) {
  const path = new URL(`./${name}`, import.meta.url).pathname;
  return new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [path],
      { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 },
      (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function example(name: string, args: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const path = new URL(`./${name}`, import.meta.url).pathname;
  return spawnSync(process.execPath, [path, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
}

test('cloud-client.ts recognizes an image through the API (here: ocrkit serve standing in for the cloud)', async () => {
  const server = await startServer({ port: 0, tokens: ['t0ken'], log: false });
  try {
    const run = await exampleAsync('cloud-client.ts', {
      OCRKIT_ENDPOINT: server.url,
      OCRKIT_TOKEN: 't0ken',
      OCRKIT_PROJECT_ID: 'demo',
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('direction 0, 1 blocks\nThe quick brown fox jumps over the lazy dog 42\n');
    const refused = await exampleAsync('cloud-client.ts', {
      OCRKIT_ENDPOINT: server.url,
      OCRKIT_TOKEN: 'wrong',
      OCRKIT_PROJECT_ID: 'demo',
    });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^APIG\.0301 \(HTTP 401, request [0-9a-f-]{36}\)/);
  } finally {
    await server.close();
  }
}, 120_000);

test('pdf-to-searchable.ts writes a searchable PDF of the sample', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'ocrkit-example-')), 'sample.ocr.pdf');
  const run = example('pdf-to-searchable.ts', [new URL('./sample.pdf', import.meta.url).pathname, out]);
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/sample\.ocr\.pdf: 1 page\(s\), \d+ text blocks/);
  expect(existsSync(out)).toBe(true);
}, 120_000);

test('table-to-markdown.ts prints the sample table', () => {
  const run = example('table-to-markdown.ts');
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/page 1: 1 table\(s\)/);
  expect(run.stdout).toMatch(/\|\s*Q3\s*\|\s*1,542,310\s*\|\s*12%\s*\|/);
}, 120_000);

test('server.ts serves the API and reads a page over HTTP', () => {
  const run = example('server.ts');
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/^HTTP 200, X-Request-Id [0-9a-f-]{36}\nQuarterly Report 2026\n/);
  expect(run.stdout).toContain('主要来自文档扫描的需求');
}, 120_000);
