import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, test } from 'vitest';

const run = promisify(execFile);
const home = mkdtempSync(join(tmpdir(), 'ocrkit-engine-home-'));
const scriptDir = mkdtempSync(join(tmpdir(), 'ocrkit-engine-script-'));
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
  rmSync(scriptDir, { recursive: true, force: true });
});

// ONNX Runtime as published keeps a device id and an event cache under ~/.cache and uploads them to
// Microsoft, except on machines it takes for CI. The engine is run here as on a user's machine: a
// fresh HOME, and no environment but PATH (no CI variables, no ORT_DISABLE_TELEMETRY of our own).
test('reading a page leaves nothing in the home directory (ONNX Runtime telemetry is off)', async () => {
  const script = join(scriptDir, 'read-page.mjs');
  writeFileSync(
    script,
    `
    import { readFileSync } from 'node:fs';
    import { createEngine } from ${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)};
    const engine = createEngine({ threads: 1 });
    const result = await engine.recognize(readFileSync(${JSON.stringify(new URL('./fixtures/page.png', import.meta.url).pathname)}));
    await engine.close();
    console.log(result.words_block_list.length);`,
  );
  const { stdout } = await run(process.execPath, [script], {
    env: { PATH: process.env.PATH ?? '', HOME: home },
  });
  expect(Number(stdout)).toBeGreaterThan(0);
  expect(readdirSync(home, { recursive: true })).toEqual([]);
}, 60_000);

// A worker thread cannot set the process's environment: loaded there, the engine says so.
test('loaded in a worker thread without ORT_DISABLE_TELEMETRY, the engine warns that it cannot switch telemetry off', async () => {
  const inWorker = join(scriptDir, 'in-worker.mjs');
  writeFileSync(inWorker, `import ${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)};`);
  const main = join(scriptDir, 'main.mjs');
  writeFileSync(
    main,
    `import { Worker } from 'node:worker_threads';
    const worker = new Worker(${JSON.stringify(inWorker)});
    worker.on('exit', (code) => console.log('exit', code));`,
  );
  const env = { PATH: process.env.PATH ?? '', HOME: home };
  const unset = await run(process.execPath, [main], { env });
  expect(unset.stdout).toBe('exit 0\n');
  expect(unset.stderr).toMatch(/OCRKIT_ORT_TELEMETRY.*set ORT_DISABLE_TELEMETRY=1 in the environment/s);
  const set = await run(process.execPath, [main], { env: { ...env, ORT_DISABLE_TELEMETRY: '1' } });
  expect(set.stderr).toBe('');
}, 60_000);
