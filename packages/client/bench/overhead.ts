// What OcrClient adds to a bare undici request on loopback, and calls/s at concurrency 1, 8 and 64.
// Both sides send the same body to the same server process over keep-alive connections; rounds
// alternate between them so machine noise hits both alike. Figures are medians over rounds.
// Run: pnpm --filter @ocrkit/client bench   (after pnpm build)
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { OcrClient } from '@ocrkit/client';
import { Agent, request } from 'undici';

const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const callsPerRound = Number(process.env.BENCH_CALLS ?? 2000);

const server = spawn(process.execPath, [new URL('./stub-server.ts', import.meta.url).pathname], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const [firstLine] = (await once(server.stdout, 'data')) as [Buffer];
const endpoint = firstLine.toString().trim();
const projectId = '0123456789abcdef0123456789abcdef';
const url = `${endpoint}/v2/${projectId}/ocr/general-text`;

// A realistic small body: a 2 KB image as base64.
const body = { image: Buffer.alloc(2048, 7).toString('base64'), detect_direction: false };
const token = 'x'.repeat(12 * 1024); // IAM tokens are 10-16 KB

const agent = new Agent({ maxHeaderSize: 64 * 1024 });
async function bare(): Promise<unknown> {
  const response = await request(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Auth-Token': token },
    body: JSON.stringify(body),
    dispatcher: agent,
  });
  const json = (await response.body.json()) as { result: unknown };
  return json.result;
}

const tokenClient = new OcrClient({ endpoint, projectId, credentials: { token }, maxConcurrency: 64 });
const akskClient = new OcrClient({
  endpoint,
  projectId,
  credentials: { accessKey: 'AK', secretKey: 'SK' },
  maxConcurrency: 64,
});
const viaToken = () => tokenClient.generalText(body);
const viaAkSk = () => akskClient.generalText(body);

async function run(call: () => Promise<unknown>, calls: number, concurrency: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < calls) {
        next++;
        await call();
      }
    }),
  );
  return performance.now() - started;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

// Warm up connections and JIT on every path.
for (const call of [bare, viaToken, viaAkSk]) await run(call, 500, 8);

console.log(`ocrkit client overhead on loopback (node ${process.version})`);
// Sequential calls in small alternating batches, so drift and noise land on every path alike.
const batch = 200;
const perCall: Record<string, number[]> = { bare: [], token: [], aksk: [] };
const paths = [
  ['bare', bare],
  ['token', viaToken],
  ['aksk', viaAkSk],
] as const;
for (let round = 0; round < (rounds * callsPerRound) / batch; round++) {
  for (const [name, call] of paths) perCall[name]?.push(((await run(call, batch, 1)) * 1000) / batch);
}
const bareUs = median(perCall.bare ?? []);
console.log(`\nsequential calls, median of ${perCall.bare?.length} batches of ${batch}: microseconds per call`);
console.log('| path | us/call | vs bare undici |');
console.log('|---|---:|---:|');
for (const [name, values] of Object.entries(perCall)) {
  const us = median(values);
  const label = name === 'bare' ? 'bare undici request' : `OcrClient (${name === 'token' ? 'token' : 'AK/SK signed'})`;
  const delta = name === 'bare' ? '' : `${(((us - bareUs) / bareUs) * 100).toFixed(1)}%`;
  console.log(`| ${label} | ${us.toFixed(1)} | ${delta} |`);
}

console.log('\ncalls per second, median of rounds');
console.log('| concurrency | bare undici | OcrClient (token) | OcrClient (AK/SK) |');
console.log('|---:|---:|---:|---:|');
for (const concurrency of [1, 8, 64]) {
  const rates: Record<string, number[]> = { bare: [], token: [], aksk: [] };
  for (let round = 0; round < Math.max(3, rounds >> 1); round++) {
    for (const [name, call] of paths) {
      const ms = await run(call, callsPerRound, concurrency);
      rates[name]?.push((callsPerRound * 1000) / ms);
    }
  }
  const cell = (name: string) => median(rates[name] ?? []).toFixed(0);
  console.log(`| ${concurrency} | ${cell('bare')} | ${cell('token')} | ${cell('aksk')} |`);
}

await Promise.all([tokenClient.close(), akskClient.close(), agent.close()]);
server.kill();
