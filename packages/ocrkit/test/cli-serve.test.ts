import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { OcrClient } from '@ocrkit/client';
import { afterEach, expect, test } from 'vitest';

// The built CLI, run as users run it: a separate process on this Node.
const cli = new URL('../dist/cli.js', import.meta.url).pathname;
const line = readFileSync(new URL('../../engine/test/fixtures/english-line.png', import.meta.url));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

function run(...args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
}

/** Starts `ocrkit serve` and resolves to its URL, read from its start-up line. */
async function serve(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env },
  });
  children.push(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr?.on('data', (chunk: string) => {
      stderr += chunk;
      // Without tokens, the start-up ends with the line saying that any token is accepted.
      const match = /listening on (http:\/\/\S+)/.exec(stderr);
      const open = !args.includes('--token') && !env.OCRKIT_SERVER_TOKENS;
      if (match?.[1] && (!open || /any non-empty/.test(stderr))) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`ocrkit serve exited with ${code}: ${stderr}`)));
  });
  return { child, url, stderr: () => stderr };
}

test('--version prints the package version', () => {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  const result = run('--version');
  expect(result.status).toBe(0);
  expect(result.stdout).toBe(`ocrkit ${version}\n`);
});

test('a bad option is one line on stderr and exit code 2; a missing input file exit code 1', () => {
  const unknown = run('input.pdf', '--frobnicate');
  expect(unknown.status).toBe(2);
  expect(unknown.stderr).toMatch(/^ocrkit: Unknown option '--frobnicate'.*\(see ocrkit --help\)\n$/);
  const missing = run('no-such-file.pdf');
  expect(missing.status).toBe(1);
  expect(missing.stderr).toBe('ocrkit: cannot read no-such-file.pdf: ENOENT\n');
  const badPort = run('serve', '--port', '99999');
  expect(badPort.status).toBe(2);
  expect(badPort.stderr).toMatch(/^ocrkit: --port must be an integer from 0 to 65535, got "99999"/);
  const badLimits = run('serve', '--limits', 'huge');
  expect(badLimits.status).toBe(2);
});

test('serve answers the API with the engine, checks tokens, and stops cleanly on SIGTERM', async () => {
  const { child, url, stderr } = await serve(['--token', 'alpha', '--token', 'beta', '--quiet']);
  expect(stderr()).not.toMatch(/any non-empty/);
  const client = new OcrClient({ endpoint: url, projectId: 'p', credentials: { token: 'beta' } });
  const result = await client.recognize(line);
  expect(result.words_block_list.map((b) => b.words)).toEqual(['The quick brown fox jumps over the lazy dog 42']);
  const refused = await fetch(`${url}/v2/p/ocr/general-text`, {
    method: 'POST',
    headers: { 'x-auth-token': 'gamma' },
    body: '{}',
  });
  expect(refused.status).toBe(401);
  expect(((await refused.json()) as { error_code: string }).error_code).toBe('APIG.0301');
  await client.close();
  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  expect(code).toBe(0);
  expect(stderr()).toMatch(/SIGTERM: finishing requests in flight/);
});

test('serve without tokens says that it accepts any token', async () => {
  const open = await serve(['--quiet']);
  expect(open.stderr()).toMatch(/accepting any non-empty X-Auth-Token/);
  const health = await fetch(`${open.url}/health`);
  expect(health.status).toBe(200);
  expect(health.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
});

test('serve takes its tokens from OCRKIT_SERVER_TOKENS too', async () => {
  const { url, stderr } = await serve(['--quiet'], { OCRKIT_SERVER_TOKENS: 'delta, epsilon' });
  expect(stderr()).not.toMatch(/any non-empty/);
  const call = (token: string) =>
    fetch(`${url}/v2/p/ocr/general-text`, { method: 'POST', headers: { 'x-auth-token': token }, body: '{}' });
  // An accepted token gets as far as validation (AIS.0101 for the empty body); others stop at 401.
  expect((await call('epsilon')).status).toBe(400);
  expect((await call('zeta')).status).toBe(401);
});
