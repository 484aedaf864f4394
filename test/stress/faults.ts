// Issue #9, faults, in three parts:
//  (a) OcrClient against a fault server on 127.0.0.1 (node:http, real sockets) that resets, stalls,
//      truncates, drips, throttles with Retry-After, answers 5xx, HTML and garbage: one scripted scenario
//      per row (attempts, outcome code, time against the retry rules in packages/client/README.md), then a
//      seeded chaos run of concurrent calls, each with its own random fault script, whose outcomes are
//      checked call by call against an oracle of those rules.
//  (b) convert() (package ocrkit) with a recognizer that fails some pages: typed errors, plain
//      rejections, synchronous throws, every page failing, and a page that hangs until the run is
//      aborted: the other pages complete in order, each failure is reported in its place with its code.
//  (c) the real CLI with --endpoint at the real server (@ocrkit/server) whose recognizer fails some
//      pages (a non-retryable AIS.0105 and a retryable ModelArts.4505): exit 3, the other pages written
//      (text and PDF, read back with pdftotext), failures named with their codes; --resume once the server
//      is healed retries only those and gives an uninterrupted run's output; a server that is down: exit
//      1 and no output file.
// Exit code 1 on any mismatch. The packages' own tests cover each client retry rule once; this suite runs
// them together, under concurrency and across the pipeline and CLI.
//
// Run: pnpm build && node test/stress/faults.ts   (about 60 s)
// Env: STRESS_SEED          seed of the chaos run (default 9)
//      STRESS_CHAOS_CALLS   calls in the chaos run (default 300)
import { execFile, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OcrClient } from '../../packages/client/dist/index.js';
import { convert, isFailure, isResult } from '../../packages/ocrkit/dist/index.js';
import { startServer } from '../../packages/server/dist/index.js';
import { mulberry32 } from '../support/mulberry32.ts';
import { documentDpi, type PageBehaviour, PageRecognizer, pagedPdf, pageOfImage, pageResult } from './documents.ts';
import { printTable, since, verdict } from './table.ts';

const seed = Number(process.env.STRESS_SEED ?? 9);
const chaosCalls = Number(process.env.STRESS_CHAOS_CALLS ?? 300);
const failures: string[] = [];
const unhandled: string[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(String((reason as Error)?.stack ?? reason)));

// ===================================================================================================
// (a) the client against a fault server
// ===================================================================================================
type Fault =
  | 'ok'
  | 'reset'
  | 'reset-mid-body'
  | 'truncated'
  | 'stall'
  | 'drip'
  | '429-ra-0'
  | '429-ra-1'
  | '429-ra-120'
  | '429-ra-date'
  | '500'
  | '503'
  | '502-html'
  | '504-empty'
  | 'garbage-200'
  | 'no-result-200'
  | '400-ais'
  | 'huge-200';

const success = JSON.stringify({ result: pageResult(1) });
const apiError = (status: number, code: string, headers: Record<string, string> = {}) => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify({ error_code: code, error_msg: `${code} from the fault server` }),
});

/** Answers one request as `fault` says. */
function act(fault: Fault, request: IncomingMessage, response: ServerResponse): void {
  const socket = request.socket;
  const plain = (status: number, headers: Record<string, string>, body: string) =>
    response.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) }).end(body);
  switch (fault) {
    case 'ok':
      plain(200, { 'content-type': 'application/json' }, success);
      return;
    case 'reset':
      socket.resetAndDestroy();
      return;
    case 'reset-mid-body':
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': success.length });
      response.write(success.slice(0, 20));
      setTimeout(() => socket.resetAndDestroy(), 20);
      return;
    case 'truncated':
      // Content-Length promises twice what comes; then the connection ends cleanly (FIN, not RST).
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': success.length * 2 });
      response.write(success);
      setTimeout(() => socket.end(), 20);
      return;
    case 'stall':
      return;
    case 'drip': {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': success.length });
      let sent = 0;
      const pump = setInterval(() => {
        if (socket.destroyed || sent >= success.length) return clearInterval(pump);
        response.write(success[sent++]);
      }, 100);
      return;
    }
    case '429-ra-0':
    case '429-ra-1':
    case '429-ra-120': {
      const { status, headers, body } = apiError(429, 'APIG.0308', { 'retry-after': fault.slice(7) });
      plain(status, headers, body);
      return;
    }
    case '429-ra-date': {
      // An HTTP date two seconds ahead (second resolution: the wait is 1-2 s).
      const at = new Date(Date.now() + 2000).toUTCString();
      const { status, headers, body } = apiError(429, 'APIG.0308', { 'retry-after': at });
      plain(status, headers, body);
      return;
    }
    case '500': {
      const { status, headers, body } = apiError(500, 'ModelArts.4505');
      plain(status, headers, body);
      return;
    }
    case '503': {
      const { status, headers, body } = apiError(503, 'ModelArts.4403');
      plain(status, headers, body);
      return;
    }
    case '502-html':
      plain(502, { 'content-type': 'text/html' }, '<html><body><h1>502 Bad Gateway</h1></body></html>');
      return;
    case '504-empty':
      plain(504, {}, '');
      return;
    case 'garbage-200':
      plain(200, { 'content-type': 'application/json' }, success.slice(0, success.length >> 1));
      return;
    case 'no-result-200':
      plain(200, { 'content-type': 'application/json' }, '{"status":"ok","results":[]}');
      return;
    case '400-ais': {
      const { status, headers, body } = apiError(400, 'AIS.0105');
      plain(status, headers, body);
      return;
    }
    case 'huge-200': {
      // 64 MiB that is not JSON: the client reads it whole (it has no response size cap) and must still
      // answer with a typed error.
      const chunk = Buffer.alloc(1 << 20, 0x78);
      const total = 64;
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': chunk.length * total });
      let sent = 0;
      const more = () => {
        while (sent < total && !socket.destroyed) {
          sent++;
          if (!response.write(chunk)) return response.once('drain', more);
        }
        response.end();
      };
      more();
      return;
    }
  }
}

// Each call names its script by the url it asks for (`http://fault.test/<key>`); attempt n of a call
// gets script[n - 1], or the script's last entry after that.
const scripts = new Map<string, readonly Fault[]>();
const attempts = new Map<string, number>();
const openSockets = new Set<Socket>();
const faultServer = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    let key = '';
    try {
      key = new URL((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { url: string }).url).pathname.slice(1);
    } catch {
      // Not one of ours: answered with the script-less default below.
    }
    const attempt = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, attempt);
    const script = scripts.get(key) ?? ['400-ais'];
    act(script[Math.min(attempt, script.length) - 1] as Fault, request, response);
  });
});
faultServer.on('connection', (socket: Socket) => {
  openSockets.add(socket);
  socket.on('close', () => openSockets.delete(socket));
});
faultServer.listen(0, '127.0.0.1');
await once(faultServer, 'listening');
const faultUrl = `http://127.0.0.1:${(faultServer.address() as AddressInfo).port}`;

interface RetryRules {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly timeoutMs: number;
}
const fast: RetryRules = { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 3000, timeoutMs: 400 };

function clientFor(rules: RetryRules, maxConcurrency = 8): OcrClient {
  const { timeoutMs, ...retry } = rules;
  return new OcrClient({
    endpoint: faultUrl,
    projectId: 'faults',
    credentials: { token: 'fault-token' },
    retry,
    timeoutMs,
    maxConcurrency,
  });
}

async function call(client: OcrClient, key: string): Promise<{ outcome: string; retryAfterMs?: number }> {
  try {
    await client.generalText({ url: `http://fault.test/${key}` });
    return { outcome: 'ok' };
  } catch (error) {
    const { code, retryAfterMs } = error as { code?: string; retryAfterMs?: number };
    return { outcome: code ?? `untyped ${(error as Error).message}`, ...(retryAfterMs ? { retryAfterMs } : {}) };
  }
}

interface Scenario {
  readonly name: string;
  readonly script: readonly Fault[];
  readonly expect: string;
  readonly attempts: number;
  readonly rules?: RetryRules;
  /** Bounds of the call's time. */
  readonly minMs?: number;
  readonly maxMs: number;
  readonly retryAfterMs?: number;
}
const scenarios: Scenario[] = [
  {
    name: 'reset before the response, every attempt',
    script: ['reset'],
    expect: 'OCRKIT_NETWORK',
    attempts: 4,
    maxMs: 2000,
  },
  { name: 'reset once, then ok', script: ['reset', 'ok'], expect: 'ok', attempts: 2, maxMs: 1000 },
  { name: 'reset mid-body, then ok', script: ['reset-mid-body', 'ok'], expect: 'ok', attempts: 2, maxMs: 1000 },
  {
    name: 'truncated body (FIN), every attempt',
    script: ['truncated'],
    expect: 'OCRKIT_NETWORK',
    attempts: 4,
    maxMs: 2000,
  },
  { name: 'truncated body once, then ok', script: ['truncated', 'ok'], expect: 'ok', attempts: 2, maxMs: 1000 },
  {
    name: 'stall, every attempt (timeoutMs 400)',
    script: ['stall'],
    expect: 'OCRKIT_TIMEOUT',
    attempts: 4,
    minMs: 1600,
    maxMs: 3500,
  },
  { name: 'stall once, then ok', script: ['stall', 'ok'], expect: 'ok', attempts: 2, minMs: 400, maxMs: 1500 },
  {
    name: 'body drips slower than timeoutMs',
    script: ['drip'],
    expect: 'OCRKIT_TIMEOUT',
    attempts: 4,
    minMs: 1600,
    maxMs: 3500,
  },
  {
    name: '429 APIG.0308 Retry-After: 1, then ok',
    script: ['429-ra-1', 'ok'],
    expect: 'ok',
    attempts: 2,
    minMs: 1000,
    maxMs: 2000,
  },
  {
    name: '429 APIG.0308 Retry-After: 1, every attempt',
    script: ['429-ra-1'],
    expect: 'APIG.0308',
    attempts: 4,
    minMs: 3000,
    maxMs: 4500,
  },
  {
    name: '429 Retry-After: 120 (over maxDelayMs): no retry',
    script: ['429-ra-120'],
    expect: 'APIG.0308',
    attempts: 1,
    maxMs: 500,
    retryAfterMs: 120_000,
  },
  {
    name: '429 Retry-After as an HTTP date, then ok',
    script: ['429-ra-date', 'ok'],
    expect: 'ok',
    attempts: 2,
    minMs: 900,
    maxMs: 3000,
  },
  { name: '500 ModelArts.4505, then ok', script: ['500', 'ok'], expect: 'ok', attempts: 2, maxMs: 1000 },
  { name: '503 ModelArts.4403, every attempt', script: ['503'], expect: 'ModelArts.4403', attempts: 4, maxMs: 2000 },
  { name: "502 proxy's HTML page, then ok", script: ['502-html', 'ok'], expect: 'ok', attempts: 2, maxMs: 1000 },
  {
    name: '504 with an empty body, every attempt',
    script: ['504-empty'],
    expect: 'OCRKIT_BAD_RESPONSE',
    attempts: 4,
    maxMs: 2000,
  },
  {
    name: '200 with cut-off JSON: no retry',
    script: ['garbage-200'],
    expect: 'OCRKIT_BAD_RESPONSE',
    attempts: 1,
    maxMs: 500,
  },
  {
    name: '200 JSON without a result: no retry',
    script: ['no-result-200'],
    expect: 'OCRKIT_BAD_RESPONSE',
    attempts: 1,
    maxMs: 500,
  },
  { name: '400 AIS.0105: no retry', script: ['400-ais', 'ok'], expect: 'AIS.0105', attempts: 1, maxMs: 500 },
  {
    name: 'reset, stall, truncated, 503, 429 RA 0, then ok (5 attempts)',
    script: ['reset', 'stall', 'truncated', '503', '429-ra-0', 'ok'],
    expect: 'ok',
    attempts: 6,
    rules: { ...fast, maxAttempts: 6 },
    minMs: 400,
    maxMs: 3000,
  },
  {
    name: '200 with a 64 MiB body that is not JSON',
    script: ['huge-200'],
    expect: 'OCRKIT_BAD_RESPONSE',
    attempts: 1,
    maxMs: 10_000,
    rules: { ...fast, timeoutMs: 10_000 },
  },
];

const scenarioRows: (string | number)[][] = [];
for (const [index, scenario] of scenarios.entries()) {
  const key = `scenario-${index}`;
  scripts.set(key, scenario.script);
  const client = clientFor(scenario.rules ?? fast);
  const rssBefore = process.memoryUsage.rss();
  const started = performance.now();
  const result = await call(client, key);
  const ms = since(started);
  const rssGrowthMiB = Math.round((process.memoryUsage.rss() - rssBefore) / 1048576);
  await client.close();
  const made = attempts.get(key) ?? 0;
  const problems = [
    result.outcome === scenario.expect ? '' : `outcome ${result.outcome} (expected ${scenario.expect})`,
    made === scenario.attempts ? '' : `${made} attempts (expected ${scenario.attempts})`,
    ms >= (scenario.minMs ?? 0) && ms <= scenario.maxMs
      ? ''
      : `${ms} ms (expected ${scenario.minMs ?? 0}-${scenario.maxMs})`,
    scenario.retryAfterMs === undefined || result.retryAfterMs === scenario.retryAfterMs
      ? ''
      : `retryAfterMs ${result.retryAfterMs} (expected ${scenario.retryAfterMs})`,
  ].filter(Boolean);
  if (problems.length > 0) failures.push(`[client] ${scenario.name}: ${problems.join('; ')}`);
  scenarioRows.push([
    scenario.name,
    made,
    result.outcome + (result.retryAfterMs ? ` (retryAfterMs ${result.retryAfterMs})` : ''),
    `${ms} ms`,
    scenario.script[0] === 'huge-200' ? `RSS +${rssGrowthMiB} MiB` : '',
    problems.length === 0 ? 'ok' : 'FAIL',
  ]);
}
printTable(['(a) client scenario', 'attempts', 'outcome', 'time', 'note', 'verdict'], scenarioRows);

// --- chaos: concurrent calls, each its own random script, outcomes checked against the rules ---------
const random = mulberry32(seed);
const chaosFaults: readonly Fault[] = [
  'ok',
  'reset',
  'reset-mid-body',
  'truncated',
  'stall',
  '429-ra-0',
  '500',
  '503',
  '502-html',
  'garbage-200',
  '400-ais',
];
const codeOf: Record<string, string> = {
  reset: 'OCRKIT_NETWORK',
  'reset-mid-body': 'OCRKIT_NETWORK',
  truncated: 'OCRKIT_NETWORK',
  stall: 'OCRKIT_TIMEOUT',
  '429-ra-0': 'APIG.0308',
  '500': 'ModelArts.4505',
  '503': 'ModelArts.4403',
  '502-html': 'OCRKIT_BAD_RESPONSE',
  'garbage-200': 'OCRKIT_BAD_RESPONSE',
  '400-ais': 'AIS.0105',
};
const notRetried = new Set<Fault>(['garbage-200', '400-ais']);
const chaosRules: RetryRules = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 200, timeoutMs: 300 };

/** What the README's retry rules say a call with `script` ends with, and after how many attempts. */
function oracle(script: readonly Fault[]): { outcome: string; attempts: number } {
  for (let attempt = 1; ; attempt++) {
    const fault = script[Math.min(attempt, script.length) - 1] as Fault;
    if (fault === 'ok') return { outcome: 'ok', attempts: attempt };
    if (notRetried.has(fault) || attempt === chaosRules.maxAttempts) {
      return { outcome: codeOf[fault] as string, attempts: attempt };
    }
  }
}

const chaosClient = clientFor(chaosRules, 16);
const expected = new Map<string, { outcome: string; attempts: number }>();
const chaosStarted = performance.now();
let slowestCallMs = 0;
const outcomes = await Promise.all(
  Array.from({ length: chaosCalls }, async (_, index) => {
    const key = `chaos-${index}`;
    // Faults with weight: about one attempt in three succeeds.
    const script = Array.from({ length: 4 }, () =>
      random() < 0.35 ? 'ok' : (chaosFaults[1 + Math.floor(random() * (chaosFaults.length - 1))] as Fault),
    );
    scripts.set(key, script);
    expected.set(key, oracle(script));
    const started = performance.now();
    const result = await call(chaosClient, key);
    slowestCallMs = Math.max(slowestCallMs, since(started));
    return { key, ...result };
  }),
);
const chaosMs = since(chaosStarted);
await chaosClient.close();
const byOutcome = new Map<string, { calls: number; attempts: number; mismatches: number }>();
for (const { key, outcome } of outcomes) {
  const want = expected.get(key) as { outcome: string; attempts: number };
  const made = attempts.get(key) ?? 0;
  const row = byOutcome.get(want.outcome) ?? { calls: 0, attempts: 0, mismatches: 0 };
  row.calls++;
  row.attempts += made;
  if (outcome !== want.outcome || made !== want.attempts) {
    row.mismatches++;
    if (failures.length < 40) {
      failures.push(
        `[chaos] ${key} script ${scripts.get(key)?.join(',')}: ${outcome} after ${made} attempts; ` +
          `expected ${want.outcome} after ${want.attempts}`,
      );
    }
  }
  byOutcome.set(want.outcome, row);
}
printTable(
  ['(a) chaos: expected outcome', 'calls', 'attempts', 'mismatches'],
  [...byOutcome]
    .sort((a, b) => b[1].calls - a[1].calls)
    .map(([outcome, row]) => [outcome, row.calls, row.attempts, row.mismatches]),
);
// Every connection the client opened is closed by client.close(); stalled ones by the client's timeout.
await new Promise((resolve) => setTimeout(resolve, 200));
console.log(
  `chaos: seed ${seed}, ${chaosCalls} calls (maxConcurrency 16, ${chaosRules.maxAttempts} attempts, timeoutMs ` +
    `${chaosRules.timeoutMs}) in ${chaosMs} ms, slowest call ${slowestCallMs} ms; server sockets still open: ${openSockets.size}`,
);
if (openSockets.size > 0) failures.push(`[chaos] ${openSockets.size} sockets still open after client.close()`);
const callBoundMs = chaosRules.maxAttempts * (chaosRules.timeoutMs + chaosRules.maxDelayMs) + 2000;
if (slowestCallMs > callBoundMs) failures.push(`[chaos] a call took ${slowestCallMs} ms (bound ${callBoundMs} ms)`);
for (const socket of openSockets) socket.destroy();
faultServer.close();

// ===================================================================================================
// (b) convert() with a recognizer that fails some pages
// ===================================================================================================
const pageCount = 8;
const pdf = await pagedPdf(pageCount);
const error = (code: string): PageBehaviour => ({ kind: 'throw', code });

interface PipelineScenario {
  readonly name: string;
  readonly behaviour: (page: number) => PageBehaviour;
  readonly concurrency: number;
  /** Page → expected code ('ok' for a read page, '(no code)' for a failure without one). */
  readonly expect: (page: number) => string;
  /** Abort the run after this long; the run must then end with an ABORTED error. */
  readonly abortAfterMs?: number;
  /** Pages that must come out before the abort ends the run. */
  readonly beforeAbort?: number;
  /** A recognizer that throws synchronously instead of rejecting. */
  readonly synchronous?: boolean;
}
const pipelineScenarios: PipelineScenario[] = [
  {
    name: 'pages 3, 6 throw AIS.0104 / APIG.0308 (4 in flight)',
    behaviour: (n) => (n === 3 ? error('AIS.0104') : n === 6 ? error('APIG.0308') : { kind: 'ok', delayMs: 30 }),
    concurrency: 4,
    expect: (n) => (n === 3 ? 'AIS.0104' : n === 6 ? 'APIG.0308' : 'ok'),
  },
  {
    name: 'same, one at a time',
    behaviour: (n) => (n === 3 ? error('AIS.0104') : n === 6 ? error('APIG.0308') : { kind: 'ok' }),
    concurrency: 1,
    expect: (n) => (n === 3 ? 'AIS.0104' : n === 6 ? 'APIG.0308' : 'ok'),
  },
  {
    name: 'page 1 and the last reject with OcrError-like codes',
    behaviour: (n) => (n === 1 ? error('OCRKIT_TIMEOUT') : n === pageCount ? error('OCRKIT_NETWORK') : { kind: 'ok' }),
    concurrency: 3,
    expect: (n) => (n === 1 ? 'OCRKIT_TIMEOUT' : n === pageCount ? 'OCRKIT_NETWORK' : 'ok'),
  },
  {
    name: 'page 2 rejects with a plain Error (no code)',
    behaviour: (n) => (n === 2 ? { kind: 'reject-plain', message: 'model crashed' } : { kind: 'ok' }),
    concurrency: 4,
    expect: (n) => (n === 2 ? '(no code)' : 'ok'),
  },
  {
    name: 'page 5 throws synchronously (not async)',
    behaviour: (n) => (n === 5 ? error('AIS.0105') : { kind: 'ok' }),
    concurrency: 2,
    expect: (n) => (n === 5 ? 'AIS.0105' : 'ok'),
    synchronous: true,
  },
  {
    name: 'every page fails',
    behaviour: () => error('ModelArts.4505'),
    concurrency: 4,
    expect: () => 'ModelArts.4505',
  },
  {
    name: 'page 5 hangs; the run is aborted after 1.5 s',
    behaviour: (n) => (n === 5 ? { kind: 'hang' } : { kind: 'ok', delayMs: 20 }),
    concurrency: 4,
    expect: (n) => (n < 5 ? 'ok' : 'aborted'),
    abortAfterMs: 1500,
    beforeAbort: 4,
  },
  {
    // What Ctrl-C does to `ocrkit --endpoint` (--jobs 4): every request in flight is aborted and they
    // settle in any order; here the oldest (the one convert() awaits) settles last.
    name: 'aborted with pages 3-6 in flight; page 3 settles last',
    behaviour: (n) => (n <= 2 ? { kind: 'ok' } : { kind: 'hang', rejectAfterAbortMs: n === 3 ? 100 : 0 }),
    concurrency: 4,
    expect: (n) => (n <= 2 ? 'ok' : 'aborted'),
    abortAfterMs: 1000,
    beforeAbort: 2,
  },
];

const pipelineRows: (string | number)[][] = [];
for (const scenario of pipelineScenarios) {
  const recognizer = new PageRecognizer(scenario.behaviour);
  const target = scenario.synchronous
    ? {
        // Not async: a failing page throws before any promise exists.
        recognize(image: Uint8Array, options?: object) {
          const behaviour = scenario.behaviour(pageOfImage(image) ?? 0);
          if (behaviour.kind === 'throw') {
            throw Object.assign(new Error('failed synchronously'), { code: behaviour.code });
          }
          return recognizer.recognize(image, options);
        },
      }
    : recognizer;
  const controller = new AbortController();
  const timer = scenario.abortAfterMs ? setTimeout(() => controller.abort(), scenario.abortAfterMs) : undefined;
  const seen: { page: number; outcome: string; text?: string }[] = [];
  const unhandledBefore = unhandled.length;
  const started = performance.now();
  let ended = 'completed';
  let endedAfterAbortMs: number | undefined;
  try {
    for await (const page of convert(pdf, {
      recognizer: target,
      dpi: documentDpi,
      concurrency: scenario.concurrency,
      signal: controller.signal,
    })) {
      if (isFailure(page)) seen.push({ page: page.pageNumber, outcome: page.error.code ?? '(no code)' });
      else if (isResult(page))
        seen.push({ page: page.pageNumber, outcome: 'ok', text: page.result.words_block_list[0]?.words ?? '' });
      else seen.push({ page: page.pageNumber, outcome: 'skipped' });
    }
  } catch (caught) {
    ended = `threw ${(caught as { code?: string }).code ?? (caught as Error).message}`;
    if (scenario.abortAfterMs) endedAfterAbortMs = since(started) - scenario.abortAfterMs;
  } finally {
    clearTimeout(timer);
  }
  const ms = since(started);
  const problems: string[] = [];
  // Rejections of the pages still in flight surface a tick or two after the run ends.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const leaked = unhandled.splice(unhandledBefore);
  if (leaked.length > 0) {
    problems.push(`${leaked.length} unhandled rejection(s) (a CLI dies of them): ${leaked[0]?.split('\n')[0]}`);
  }
  if (scenario.abortAfterMs) {
    if (!/^threw .*ABORTED/.test(ended)) problems.push(`ended "${ended}", expected an ABORTED error`);
    if ((endedAfterAbortMs ?? Number.POSITIVE_INFINITY) > 1000)
      problems.push(`ended ${endedAfterAbortMs} ms after the abort (bound 1000 ms)`);
    const want = Array.from({ length: scenario.beforeAbort ?? 0 }, (_, i) => `${i + 1}:ok`).join(' ');
    const got = seen.map((s) => `${s.page}:${s.outcome}`).join(' ');
    if (got !== want) problems.push(`pages before the abort ${got || '(none)'}, expected ${want}`);
  } else {
    if (ended !== 'completed') problems.push(`the run ${ended}`);
    const want = Array.from({ length: pageCount }, (_, i) => `${i + 1}:${scenario.expect(i + 1)}`).join(' ');
    const got = seen.map((s) => `${s.page}:${s.outcome}`).join(' ');
    if (got !== want) problems.push(`pages ${got}, expected ${want}`);
    for (const s of seen) {
      if (s.outcome === 'ok' && s.text !== pageResult(s.page).words_block_list[0]?.words) {
        problems.push(`page ${s.page} has another page's text: ${s.text}`);
      }
    }
  }
  if (problems.length > 0) failures.push(`[pipeline] ${scenario.name}: ${problems.join('; ')}`);
  const counts = (outcome: (o: string) => boolean) => seen.filter((s) => outcome(s.outcome)).length;
  pipelineRows.push([
    scenario.name,
    counts((o) => o === 'ok'),
    failedByCode(seen) || '-',
    ended,
    `${ms} ms`,
    problems.length === 0 ? 'ok' : 'FAIL',
  ]);
}
/** "AIS.0104: p3; APIG.0308: p6" */
function failedByCode(seen: readonly { page: number; outcome: string }[]): string {
  const byCode = new Map<string, number[]>();
  for (const s of seen) if (s.outcome !== 'ok') byCode.set(s.outcome, [...(byCode.get(s.outcome) ?? []), s.page]);
  return [...byCode].map(([code, pages]) => `${code}: p${pages.join(',')}`).join('; ');
}
printTable(['(b) convert() scenario', 'pages read', 'failed pages', 'run', 'time', 'verdict'], pipelineRows);

// ===================================================================================================
// (c) the CLI with --endpoint at a server that fails some pages
// ===================================================================================================
const cli = new URL('../../packages/ocrkit/dist/cli.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'ocrkit-faults-'));
const input = join(dir, 'doc.pdf');
writeFileSync(input, pdf);
let healed = false;
// Page 2: AIS.0105 (never retried); page 5: the same; page 7: ModelArts.4505 (retried 4 times, then failed).
const serverRecognizer = new PageRecognizer((n) =>
  healed ? { kind: 'ok' } : n === 2 || n === 5 ? error('AIS.0105') : n === 7 ? error('ModelArts.4505') : { kind: 'ok' },
);
const api = await startServer({ port: 0, log: false, recognizer: serverRecognizer, maxQueue: 64 });

function runCli(args: string[]): Promise<{ code: number; stderr: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, input, '--dpi', String(documentDpi), ...args],
      { encoding: 'utf8' },
      (err, _stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stderr, ms: since(started) }),
    );
  });
}
const pdftotext = (path: string) => spawnSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' }).stdout;
const pageTextOf = (n: number) => pageResult(n).words_block_list.map((b) => b.words);
const cliRows: (string | number)[][] = [];
const cliCheck = (name: string, run: { code: number; stderr: string; ms: number }, problems: string[]) => {
  if (problems.length > 0)
    failures.push(`[cli] ${name}: ${problems.join('; ')}\n    stderr: ${run.stderr.trim().split('\n').join('\n    ')}`);
  const failedLines = run.stderr.match(/page \d+ failed: [A-Za-z.0-9_]+/g) ?? [];
  cliRows.push([name, run.code, failedLines.join(', ') || '-', `${run.ms} ms`, problems.length === 0 ? 'ok' : 'FAIL']);
};

{
  const text = join(dir, 'partial.txt');
  const out = join(dir, 'partial.pdf');
  const run = await runCli(['--endpoint', api.url, '--text', text, '-o', out]);
  const problems: string[] = [];
  if (run.code !== 3) problems.push(`exit ${run.code}, expected 3`);
  for (const [page, code] of [
    [2, 'AIS.0105'],
    [5, 'AIS.0105'],
    [7, 'ModelArts.4505'],
  ] as const) {
    if ((run.stderr.match(new RegExp(`page ${page} failed: ${code.replace('.', '\\.')}`, 'g')) ?? []).length !== 1) {
      problems.push(`page ${page} not reported once with ${code}`);
    }
  }
  const good = [1, 3, 4, 6, 8];
  const wantText = `${good.map((n) => `${pageTextOf(n).join('\n')}\n`).join('\f')}`;
  const gotText = existsSync(text) ? readFileSync(text, 'utf8') : '(missing)';
  if (gotText !== wantText)
    problems.push(`text output ${JSON.stringify(gotText.slice(0, 200))}, expected the 5 good pages`);
  const pdfText = existsSync(out) ? pdftotext(out) : '';
  for (const n of good) if (!pdfText.includes(pageTextOf(n)[0] as string)) problems.push(`PDF lacks page ${n}'s text`);
  for (const n of [2, 5, 7])
    if (pdfText.includes(pageTextOf(n)[0] as string)) problems.push(`PDF has failed page ${n}'s text`);
  cliCheck('server fails pages 2, 5 (AIS.0105) and 7 (ModelArts.4505, retried)', run, problems);

  healed = true;
  const resumed = await runCli(['--endpoint', api.url, '--text', text, '-o', out, '--resume']);
  const whole = await runCli(['--endpoint', api.url, '--text', join(dir, 'whole.txt'), '-o', join(dir, 'whole.pdf')]);
  const resumeProblems: string[] = [];
  if (resumed.code !== 0) resumeProblems.push(`exit ${resumed.code}, expected 0`);
  const reread = (resumed.stderr.match(/page (\d+) done/g) ?? []).map((line) => line.replace(/\D/g, ''));
  if (reread.join(',') !== '2,5,7') resumeProblems.push(`re-read pages ${reread.join(',')}, expected 2,5,7`);
  if (whole.code !== 0) resumeProblems.push(`the uninterrupted run exited ${whole.code}`);
  if (readFileSync(text, 'utf8') !== readFileSync(join(dir, 'whole.txt'), 'utf8'))
    resumeProblems.push('resumed text differs from an uninterrupted run');
  if (pdftotext(out) !== pdftotext(join(dir, 'whole.pdf')))
    resumeProblems.push('resumed PDF text differs from an uninterrupted run');
  if (existsSync(`${out}.ocrkit-resume`)) resumeProblems.push('the resume state file is still there');
  cliCheck('--resume once the server is healed', resumed, resumeProblems);
}
{
  // A server that is down: every page fails after its retries; nothing may be written.
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const downUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
  probe.close();
  const text = join(dir, 'down.txt');
  const run = await runCli(['--endpoint', downUrl, '--text', text, '--pages', '1-3']);
  const problems: string[] = [];
  if (run.code !== 1) problems.push(`exit ${run.code}, expected 1`);
  if ((run.stderr.match(/page \d+ failed: OCRKIT_NETWORK/g) ?? []).length !== 3)
    problems.push('not every page reported OCRKIT_NETWORK');
  const left = readdirSync(dir).filter((name) => name.startsWith('down.txt') && !name.endsWith('.ocrkit-resume'));
  if (left.length > 0) problems.push(`left behind: ${left.join(', ')}`);
  cliCheck('server down (connection refused), pages 1-3', run, problems);
}
await api.close();
rmSync(dir, { recursive: true, force: true });
printTable(['(c) CLI --endpoint scenario', 'exit', 'pages reported failed', 'time', 'verdict'], cliRows);

if (unhandled.length > 0) failures.push(...unhandled.map((stack) => `unhandled rejection: ${stack}`));
verdict(
  failures,
  'no failures: every fault ended in the documented outcome, failed pages reported in place, the rest written',
);
