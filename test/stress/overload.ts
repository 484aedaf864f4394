// Issue #9, load: the server under bounded overload, its recovery, and graceful shutdown under load.
//  (a) `startServer` in this process with concurrency 1 and maxQueue 4 (capacity 5) and a recognizer
//      that takes STRESS_RECOGNIZE_MS per image, hit by 4x its capacity of concurrent lanes (fresh
//      connections) for STRESS_OVERLOAD_SECONDS. Expected: only 200 and 429; every 429 is APIG.0308 with
//      Retry-After and a request id; every 200 carries the result of its own image (no cross-talk);
//      /health never shows more than 1 running and 4 waiting; no reset, no hang. Then recovery: the queue
//      drains, a burst of exactly the capacity and a run of sequential requests all succeed, and OcrClient
//      calls at 4x capacity with retries (honouring Retry-After) all succeed. RSS after a full GC before
//      and after (run with --expose-gc, as run.ts does). The server's own log lines are counted too: as
//      many 200s logged as received.
//  (b) `ocrkit serve` spawned (the real CLI, the real engine, --max-queue 8) under 24 concurrent lanes
//      of one-line images, sent SIGTERM mid-load, once with fresh connections and once with keep-alive
//      connections. Expected: every request gets 200, 429 or a refused connection (after the listener
//      closed); none is reset or left unanswered; requests in flight at the SIGTERM are answered 200;
//      the process exits 0.
//
// Run: pnpm build && node --expose-gc test/stress/overload.ts   (about 60 s)
// Env: STRESS_OVERLOAD_SECONDS  length of the overload in (a) (default 10)
//      STRESS_RECOGNIZE_MS      time per recognition in (a) (default 20)
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { OcrClient } from '../../packages/client/dist/index.js';
import type { GeneralTextResult } from '../../packages/protocol/dist/index.js';
import { readImageHeader } from '../../packages/protocol/dist/index.js';
import { type RequestLog, startServer } from '../../packages/server/dist/index.js';
import { base64, png } from '../support/images.ts';
import { printTable, since, verdict } from './table.ts';

const overloadMs = Number(process.env.STRESS_OVERLOAD_SECONDS ?? 10) * 1000;
const recognizeMs = Number(process.env.STRESS_RECOGNIZE_MS ?? 20);
const maxQueue = 4;
const capacity = 1 + maxQueue;
const lanes = 4 * capacity;
const failures: string[] = [];
const apiPath = '/v2/overload/ocr/general-text';

interface Outcome {
  readonly status: number | undefined;
  readonly code?: string;
  readonly retryAfter?: string;
  readonly requestId?: string;
  readonly connection?: string;
  readonly body?: unknown;
  readonly error?: string;
  readonly ms: number;
}

/** One POST of `body`; `agent` false: a fresh connection. Never rejects. */
function post(base: string, body: string, agent: Agent | false, timeoutMs = 30_000): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const outgoing = request(`${base}${apiPath}`, {
      method: 'POST',
      agent,
      headers: {
        'Content-Type': 'application/json',
        'X-Auth-Token': 'overload',
        'Content-Length': Buffer.byteLength(body),
      },
      signal: AbortSignal.timeout(timeoutMs),
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ status: undefined, error: error.code ?? error.name, ms: since(started) }),
    );
    outgoing.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', (error: NodeJS.ErrnoException) =>
        resolve({ status: undefined, error: error.code ?? error.name, ms: since(started) }),
      );
      response.on('end', () => {
        let parsed: { error_code?: string } | undefined;
        try {
          parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          parsed = undefined;
        }
        resolve({
          status: response.statusCode,
          ...(parsed?.error_code ? { code: parsed.error_code } : {}),
          ...(response.headers['retry-after'] ? { retryAfter: String(response.headers['retry-after']) } : {}),
          ...(response.headers['x-request-id'] ? { requestId: String(response.headers['x-request-id']) } : {}),
          ...(response.headers.connection ? { connection: String(response.headers.connection) } : {}),
          body: parsed,
          ms: since(started),
        });
      });
    });
    outgoing.end(body);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const gc = (globalThis as { gc?: () => void }).gc;
const rssMiB = () => {
  gc?.();
  return Math.round(process.memoryUsage().rss / 1048576);
};
/**
 * JS heap plus external memory after a full GC, MiB: growth here is retained objects. RSS also counts
 * pages the allocator keeps after 10,000 connections (it rises to a plateau: +136 MiB after 10k
 * requests, +146 MiB after 31k in one measurement), so it is reported, and the leak check is on this.
 */
const heapMiB = () => {
  gc?.();
  const { heapUsed, external } = process.memoryUsage();
  return Math.round((heapUsed + external) / 1048576);
};

// ===================================================================================================
// (a) overload and recovery, in process
// ===================================================================================================
// Image i is (40 + i) px wide; the recognizer answers with the width it saw, so a response proves whose
// image it read.
const images = Array.from({ length: 64 }, (_, i) => base64(png(40 + i, 24)));
const resultFor = (width: number): GeneralTextResult =>
  ({
    direction: 0,
    words_block_count: 1,
    words_block_list: [
      {
        words: `width ${width}`,
        location: [
          [1, 1],
          [9, 1],
          [9, 9],
          [1, 9],
        ],
        confidence: 1,
      },
    ],
  }) as GeneralTextResult;
const logged = new Map<number, number>();
const server = await startServer({
  port: 0,
  concurrency: 1,
  maxQueue,
  log: (line: RequestLog) => {
    if (line.path !== '/health') logged.set(line.status, (logged.get(line.status) ?? 0) + 1);
  },
  recognizer: {
    async recognize(image, options) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, recognizeMs);
        options?.signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(Object.assign(new Error('aborted'), { code: 'OCRKIT_ABORTED' }));
        });
      });
      const header = readImageHeader(image);
      return resultFor(header && header.format !== 'pdf' ? header.width : 0);
    },
  },
});

async function health(): Promise<{ running: number; waiting: number }> {
  const response = await fetch(`${server.url}/health`);
  return (await response.json()) as { running: number; waiting: number };
}

interface Tally {
  requests: number;
  ok: number;
  throttled: number;
  other: Map<string, number>;
  slowestMs: number;
}
const newTally = (): Tally => ({ requests: 0, ok: 0, throttled: 0, other: new Map(), slowestMs: 0 });
const clientSeen200 = { count: 0 };

/** Sends image `i` and checks the answer against the overload contract; counts it in `tally`. */
async function sendChecked(i: number, tally: Tally, phase: string): Promise<Outcome> {
  const outcome = await post(server.url, JSON.stringify({ image: images[i % images.length] }), false);
  tally.requests++;
  tally.slowestMs = Math.max(tally.slowestMs, outcome.ms);
  const other = (what: string) => {
    tally.other.set(what, (tally.other.get(what) ?? 0) + 1);
    if (failures.length < 30) failures.push(`[${phase}] image ${i}: ${what}`);
  };
  if (outcome.status === 200) {
    clientSeen200.count++;
    const words = (outcome.body as { result?: GeneralTextResult })?.result?.words_block_list[0]?.words;
    if (words === `width ${40 + (i % images.length)}`) tally.ok++;
    else other(`200 with another image's result: ${words}`);
  } else if (outcome.status === 429) {
    if (outcome.code !== 'APIG.0308') other(`429 with ${outcome.code}`);
    else if (!outcome.retryAfter || !/^\d+$/.test(outcome.retryAfter))
      other(`429 without a Retry-After (${outcome.retryAfter})`);
    else if (!outcome.requestId) other('429 without X-Request-Id');
    else tally.throttled++;
  } else {
    other(outcome.status === undefined ? `error ${outcome.error}` : `HTTP ${outcome.status} ${outcome.code ?? ''}`);
  }
  return outcome;
}

// Warm-up (buffers, JIT) before the RSS baseline.
for (let i = 0; i < 200; i++) await sendChecked(i, newTally(), 'warm-up');
const rssBefore = rssMiB();
const heapBefore = heapMiB();

const overload = newTally();
const peak = { running: 0, waiting: 0 };
let loading = true;
const watcher = (async () => {
  while (loading) {
    const now = await health();
    peak.running = Math.max(peak.running, now.running);
    peak.waiting = Math.max(peak.waiting, now.waiting);
    await sleep(20);
  }
})();
const overloadStarted = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: lanes }, async () => {
    while (performance.now() - overloadStarted < overloadMs) {
      const outcome = await sendChecked(next++, overload, 'overload');
      // Bounded: a refused lane pauses briefly instead of spinning (it does not wait the 2 s it is told).
      if (outcome.status === 429) await sleep(5 + (next % 10));
    }
  }),
);
loading = false;
await watcher;
const overloadSeconds = since(overloadStarted) / 1000;
const rssAfterOverload = rssMiB();
if (peak.running > 1 || peak.waiting > maxQueue) {
  failures.push(
    `[overload] /health showed ${peak.running} running and ${peak.waiting} waiting (bounds 1 and ${maxQueue})`,
  );
}
if (overload.throttled === 0) failures.push('[overload] no request was refused: the load did not overload the server');

// Recovery.
const drainStarted = performance.now();
let drained = await health();
while ((drained.running > 0 || drained.waiting > 0) && performance.now() - drainStarted < 5000) {
  await sleep(10);
  drained = await health();
}
const drainMs = since(drainStarted);
if (drained.running > 0 || drained.waiting > 0)
  failures.push(`[recovery] the queue did not drain in 5 s: ${JSON.stringify(drained)}`);
const burst = newTally();
await Promise.all(Array.from({ length: capacity }, (_, i) => sendChecked(i, burst, 'recovery burst')));
const sequential = newTally();
for (let i = 0; i < 100; i++) await sendChecked(i, sequential, 'recovery sequential');
for (const [name, tally] of [
  ['recovery burst', burst],
  ['recovery sequential', sequential],
] as const) {
  if (tally.ok !== tally.requests) failures.push(`[${name}] ${tally.ok} of ${tally.requests} succeeded, expected all`);
}

// Clients that retry as the 429 tells them: 4x capacity calls at once, all must get through.
const client = new OcrClient({
  endpoint: server.url,
  projectId: 'overload',
  credentials: { token: 'overload' },
  retry: { maxAttempts: 8, maxDelayMs: 5000 },
  maxConcurrency: lanes,
});
const retriedStarted = performance.now();
const logged429Before = logged.get(429) ?? 0;
const retried = await Promise.all(
  Array.from({ length: lanes }, (_, i) =>
    client.recognize(Buffer.from(images[i] as string, 'base64')).then(
      (result) => (result.words_block_list[0]?.words === `width ${40 + i}` ? 'ok' : 'wrong result'),
      (error: { code?: string }) => error.code ?? 'untyped error',
    ),
  ),
);
const retriedMs = since(retriedStarted);
const retried429 = (logged.get(429) ?? 0) - logged429Before;
await client.close();
const retriedOk = retried.filter((outcome) => outcome === 'ok').length;
if (retriedOk !== lanes)
  failures.push(
    `[recovery with retries] ${retriedOk} of ${lanes} OcrClient calls succeeded: ${[...new Set(retried)].join(', ')}`,
  );
const rssAfter = rssMiB();
const heapAfter = heapMiB();
await server.close();
if ((logged.get(200) ?? 0) !== clientSeen200.count + retriedOk) {
  failures.push(`[log] the server logged ${logged.get(200)} 200s, clients received ${clientSeen200.count + retriedOk}`);
}
// Small JSON bodies only: a retained request would show as heap growth of ~1 KiB each (10,000+ here).
const rssGrowth = rssAfter - rssBefore;
const heapGrowth = heapAfter - heapBefore;
if (!gc) failures.push('[memory] run with --expose-gc: memory after a full collection is not measurable without it');
else if (heapGrowth > 16) failures.push(`[memory] heap + external grew ${heapGrowth} MiB over the run (bound 16 MiB)`);

const otherText = (tally: Tally) => [...tally.other].map(([what, count]) => `${what} x${count}`).join(', ') || '0';
printTable(
  ['(a) phase', 'requests', '200 (own result)', '429 APIG.0308 + Retry-After', 'anything else', 'slowest', 'note'],
  [
    [
      `overload: ${lanes} lanes = 4x capacity ${capacity}, ${overloadSeconds.toFixed(1)} s`,
      overload.requests,
      overload.ok,
      overload.throttled,
      otherText(overload),
      `${overload.slowestMs} ms`,
      `peak /health: ${peak.running} running, ${peak.waiting} waiting; ${(overload.ok / overloadSeconds).toFixed(0)} ok/s`,
    ],
    [
      'recovery: burst of capacity',
      burst.requests,
      burst.ok,
      burst.throttled,
      otherText(burst),
      `${burst.slowestMs} ms`,
      `queue drained in ${drainMs} ms`,
    ],
    [
      'recovery: sequential',
      sequential.requests,
      sequential.ok,
      sequential.throttled,
      otherText(sequential),
      `${sequential.slowestMs} ms`,
      '',
    ],
    [
      `recovery: ${lanes} OcrClient calls with retries`,
      lanes + retried429,
      retriedOk,
      retried429,
      String(lanes - retriedOk),
      `${retriedMs} ms (all)`,
      'Retry-After: 2 honoured',
    ],
  ],
);
console.log(
  `\nRSS after warm-up ${rssBefore} MiB, after the overload ${rssAfterOverload} MiB, at the end ${rssAfter} MiB` +
    `${gc ? ' (after gc)' : ' (no --expose-gc: not checked)'} (${rssGrowth >= 0 ? '+' : ''}${rssGrowth} MiB); ` +
    `heap + external ${heapBefore} → ${heapAfter} MiB (${heapGrowth >= 0 ? '+' : ''}${heapGrowth}); server log: ${[...logged].map(([status, count]) => `${status} x${count}`).join(', ')}`,
);

// ===================================================================================================
// (b) SIGTERM to `ocrkit serve` under load
// ===================================================================================================
const cli = new URL('../../packages/ocrkit/dist/cli.js', import.meta.url).pathname;
const line = base64(readFileSync(new URL('../../packages/engine/test/fixtures/english-line.png', import.meta.url)));
const shutdownRows: (string | number)[][] = [];

async function shutdownUnderLoad(connections: 'fresh' | 'keep-alive'): Promise<void> {
  // Not --quiet: its one JSON line per request says which requests the server read and answered.
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--max-queue', '8'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  // When the server said it is shutting down: it writes that line (synchronously, a pipe on Linux) in
  // the same tick as it starts closing, so answers the client reads after it were written after it.
  let closingSeenAt: number | undefined;
  child.stderr.setEncoding('utf8');
  const listening = new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (text: string) => {
      stderr += text;
      if (closingSeenAt === undefined && /SIGTERM: finishing requests in flight/.test(stderr))
        closingSeenAt = performance.now();
      const found = /listening on (http:\/\/\S+)/.exec(stderr);
      if (found) resolve(found[1] as string);
    });
    child.once('exit', () => reject(new Error(`ocrkit serve exited before listening: ${stderr}`)));
  });
  const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
  const base = await listening;
  const body = JSON.stringify({ image: line, quick_mode: true });
  // The first recognition loads the models; the load starts after it.
  const first = await post(base, body, false, 60_000);
  if (first.status !== 200)
    failures.push(`[shutdown ${connections}] the warm-up request got ${first.status ?? first.error}`);

  const agent = connections === 'keep-alive' ? new Agent({ keepAlive: true, maxSockets: 24 }) : false;
  const outcomes: (Outcome & { sentBeforeTerm: boolean; endedAt: number })[] = [];
  let termAt: number | undefined;
  let stopped = false;
  const loadLanes = Array.from({ length: 24 }, async () => {
    while (!stopped) {
      const sentBeforeTerm = termAt === undefined;
      const outcome = await post(base, body, agent, 30_000);
      outcomes.push({ ...outcome, sentBeforeTerm, endedAt: performance.now() });
      if (outcome.error === 'ECONNREFUSED') return;
      if (outcome.status === 429) await sleep(20);
    }
  });
  await sleep(1500);
  termAt = performance.now();
  child.kill('SIGTERM');
  const [code, signal] = await Promise.race([
    exited,
    sleep(30_000).then(() => {
      child.kill('SIGKILL');
      return [null, 'timeout'] as [null, string];
    }),
  ]);
  const exitMs = since(termAt);
  stopped = true;
  await Promise.all(loadLanes);
  if (agent) agent.destroy();

  const count = (match: (o: (typeof outcomes)[number]) => boolean) => outcomes.filter(match).length;
  // In flight at the SIGTERM: sent before it, answered after it.
  const inFlightAtTerm = count((o) => o.sentBeforeTerm && o.endedAt > (termAt ?? 0));
  const atTerm = (match: (o: (typeof outcomes)[number]) => boolean) =>
    count((o) => o.sentBeforeTerm && o.endedAt > (termAt ?? 0) && match(o));
  const inFlightCell = `${atTerm((o) => o.status === 200)} x 200, ${atTerm((o) => o.status === 429)} x 429, ${atTerm((o) => o.status === undefined)} reset`;
  const lost = outcomes.filter((o) => o.status === undefined && o.error !== 'ECONNREFUSED');
  const unexpected = outcomes.filter((o) => o.status !== undefined && o.status !== 200 && o.status !== 429);
  const name = `shutdown ${connections}`;
  const logLines = stderr
    .split('\n')
    .filter((text) => text.startsWith('{'))
    .map((text) => JSON.parse(text) as { status: number; path: string })
    .filter((entry) => entry.path.endsWith('/general-text'));
  const served = (status: number) => logLines.filter((entry) => entry.status === status).length;
  // Requests the server read and answered that no client received: the ones a shutdown must not lose.
  const received200 = count((o) => o.status === 200) + (first.status === 200 ? 1 : 0);
  const received429 = count((o) => o.status === 429);
  if (served(200) !== received200 || served(429) !== received429 || logLines.length !== served(200) + served(429)) {
    failures.push(
      `[${name}] the server logged ${served(200)} x 200, ${served(429)} x 429 of ${logLines.length}; ` +
        `clients received ${received200} x 200, ${received429} x 429`,
    );
  }
  // RFC 9112 section 9.6: a server about to close a persistent connection says so (Connection: close);
  // a keep-alive answer during shutdown invites the next request onto a connection about to be closed.
  // Counted from the server's own word that it is closing, not from the kill: answers written between
  // the signal's sending and its handling are on their way already.
  const keptAlive = count(
    (o) => o.endedAt > (closingSeenAt ?? termAt ?? 0) && o.status !== undefined && o.connection !== 'close',
  );
  if (connections === 'keep-alive' && keptAlive > 0) {
    failures.push(`[${name}] ${keptAlive} answers after the SIGTERM said Connection: keep-alive, not close`);
  }
  if (code !== 0)
    failures.push(`[${name}] ocrkit serve ended ${signal ? `by ${signal}` : `with exit ${code}`}, expected exit 0`);
  if (!/SIGTERM: finishing requests in flight/.test(stderr))
    failures.push(`[${name}] no "finishing requests in flight" line`);
  // A reset the server never logged is a connection it had not accepted (the listen backlog at close, or
  // a keep-alive connection closed as idle while the next request was on its way); counted, and judged
  // by the log comparison above and the Connection check.
  if (unexpected.length > 0)
    failures.push(
      `[${name}] ${unexpected.length} answers other than 200/429: ${unexpected[0]?.status} ${unexpected[0]?.code}`,
    );
  if (inFlightAtTerm === 0) failures.push(`[${name}] no request was in flight at the SIGTERM: the case proves nothing`);
  shutdownRows.push([
    connections,
    outcomes.length,
    count((o) => o.status === 200),
    count((o) => o.status === 429),
    count((o) => o.error === 'ECONNREFUSED'),
    lost.length === 0 ? '0' : `${lost.length} (${[...new Set(lost.map((o) => o.error))].join(', ')})`,
    `${served(200)} / ${received200}`,
    `${inFlightAtTerm}: ${inFlightCell}`,
    connections === 'keep-alive' ? String(keptAlive) : '-',
    `${signal ? signal : `exit ${code}`} after ${exitMs} ms`,
  ]);
}

await shutdownUnderLoad('fresh');
await shutdownUnderLoad('keep-alive');
printTable(
  [
    '(b) SIGTERM under load, connections',
    'requests',
    '200',
    '429',
    'refused (after close)',
    'reset, never read by the server',
    '200 logged / received',
    'in flight at SIGTERM',
    'keep-alive answers after SIGTERM',
    'ocrkit serve',
  ],
  shutdownRows,
);

verdict(
  failures,
  'no failures: overload refused with 429 APIG.0308 + Retry-After, recovery complete, no accepted request lost',
);
