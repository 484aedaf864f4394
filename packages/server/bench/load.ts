// Load test of `ocrkit serve` on 127.0.0.1 with autocannon: req/s and p50/p99 latency for a one-line
// image in quick_mode and for a full page, at concurrency 1, 4 and 16, each bounded in requests and
// time; then the server's RSS before and after 1,000 requests. The server runs in its own process.
// Run: pnpm build && pnpm --filter @ocrkit/server bench
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import autocannon from 'autocannon';

const fixtures = new URL('../../engine/test/fixtures/', import.meta.url);
const line = (await readFile(new URL('english-line.png', fixtures))).toString('base64');
const page = (await readFile(new URL('page.png', fixtures))).toString('base64');
const bounds = {
  seconds: Number(process.env.BENCH_SECONDS ?? 20),
  requests: Number(process.env.BENCH_REQUESTS ?? 200),
};

const child = spawn(process.execPath, [new URL('./serve.ts', import.meta.url).pathname], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const [first] = (await once(child.stdout, 'data')) as [Buffer];
const base = first.toString().trim();
const url = `${base}/v2/bench/ocr/general-text`;

async function health(): Promise<{ rssBytes: number }> {
  return (await (await fetch(`${base}/health`)).json()) as { rssBytes: number };
}

async function load(body: string, connections: number, amount: number, duration: number) {
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-auth-token': 'bench' },
    body,
    connections,
    amount,
    duration,
    timeout: 120,
  });
  return result;
}

const scenarios = [
  ['one line, quick_mode', JSON.stringify({ image: line, quick_mode: true })],
  ['page (5 lines), detect_direction', JSON.stringify({ image: page, detect_direction: true })],
] as const;

// Warm up: models load on the first call.
await load(scenarios[0][1], 1, 5, 30);
await load(scenarios[1][1], 1, 3, 30);

console.log(
  `ocrkit server under load (node ${process.version}, ${bounds.requests} requests or ${bounds.seconds} s per row)`,
);
console.log('| request | concurrency | req/s | p50 ms | p99 ms | non-2xx | errors |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const [name, body] of scenarios) {
  for (const connections of [1, 4, 16]) {
    const r = await load(body, connections, bounds.requests, bounds.seconds);
    const seconds = (new Date(r.finish).getTime() - new Date(r.start).getTime()) / 1000;
    const rate = r.requests.total / seconds;
    console.log(
      `| ${name} | ${connections} | ${rate.toFixed(1)} | ${r.latency.p50} | ${r.latency.p99} | ${r.non2xx} | ${r.errors + r.timeouts} |`,
    );
  }
}

const before = await health();
const soak = await load(scenarios[0][1], 4, 1000, 600);
const after = await health();
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
console.log(
  `\nRSS before ${mb(before.rssBytes)} MiB, after ${soak.requests.total} more requests ${mb(after.rssBytes)} MiB (non-2xx ${soak.non2xx})`,
);

child.kill('SIGTERM');
await once(child, 'exit');
