// Issue #9, server fuzzing: the real server (`startServer`, the default local engine) on 127.0.0.1 against a
// few thousand seeded-random malformed requests over raw HTTP: malformed JSON, wrong types, huge numbers,
// truncated and mislabelled images, a decompression-bomb PNG header, base64 with whitespace and `data:`
// prefixes, 10 MB+ bodies, wrong paths and methods, huge headers, garbage that is not HTTP. Expected: only
// the API's documented statuses and error codes (@ocrkit/protocol's errorCodes), never a 5xx, never a hang
// (per-request timeout), RSS flat. A table per case kind; exit code 1 on any violation.
//
// Run: pnpm build && node test/stress/server-fuzz.ts
// Env: STRESS_SEED              seed of the generator (default 9)
//      STRESS_SERVER_REQUESTS   requests to send (default 3000)
//      STRESS_SERVER_SECONDS    stop sending after this many seconds (default 240)
//      STRESS_REQUEST_TIMEOUT_MS  a request unanswered after this long is a hang (default 30000)
import { request } from 'node:http';
import { connect } from 'node:net';
import { deflateSync, crc32 as zlibCrc32 } from 'node:zlib';
import { errorCodes } from '../../packages/protocol/dist/index.js';
import { startServer } from '../../packages/server/dist/index.js';
import { mulberry32 } from '../support/mulberry32.ts';

const seed = Number(process.env.STRESS_SEED ?? 9);
const total = Number(process.env.STRESS_SERVER_REQUESTS ?? 3000);
const budgetMs = Number(process.env.STRESS_SERVER_SECONDS ?? 240) * 1000;
const timeoutMs = Number(process.env.STRESS_REQUEST_TIMEOUT_MS ?? 30_000);
const inFlight = 4;
const token = 'fuzz-token';
const apiPath = '/v2/fuzz-project/ocr/general-text';

const random = mulberry32(seed);
const int = (below: number) => Math.floor(random() * below);
const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;

// PNG per the PNG spec (ISO/IEC 15948): signature, IHDR, IDAT (zlib), IEND; chunk CRC over type + data.
function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlibCrc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}
function png(width: number, height: number, idat: Buffer): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit gray, deflate, adaptive filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
/** A 64x32 gray PNG: a white page with a dark bar, valid and small. */
function validPng(): Buffer {
  const rows: number[] = [];
  for (let y = 0; y < 32; y++) {
    rows.push(0);
    for (let x = 0; x < 64; x++) rows.push(y > 12 && y < 20 && x > 8 && x < 56 ? 20 : 255);
  }
  return png(64, 32, deflateSync(Buffer.from(rows)));
}
const goodPng = validPng();
// The header claims 100000 x 100000 (10^10 pixels); the IDAT is a few bytes of a stream that would inflate
// to 10 GB. The size check must refuse it from the header, before anything is decoded.
const bombPng = png(100_000, 100_000, deflateSync(Buffer.alloc(64 * 1024)));

interface Case {
  readonly kind: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  /** Sent as is; `chunked` sends it without Content-Length. */
  readonly body?: Buffer;
  readonly chunked?: boolean;
  /** Bytes written on a raw socket instead of an HTTP request. */
  readonly raw?: Buffer;
  readonly describe: string;
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const base = (kind: string, body: Buffer, describe: string, extra: Record<string, string> = {}): Case => ({
  kind,
  method: 'POST',
  path: apiPath,
  headers: { 'content-type': 'application/json', 'x-auth-token': token, ...extra },
  body,
  describe,
});
const b64 = (bytes: Buffer) => bytes.toString('base64');
const randomBytes = (length: number) => Buffer.from(Array.from({ length }, () => int(256)));

const kinds: Record<string, () => Case> = {
  'malformed-json': () => {
    const good = JSON.stringify({ image: b64(goodPng) });
    const variants: [string, () => Buffer][] = [
      ['truncated JSON', () => Buffer.from(good.slice(0, int(good.length)))],
      ['random bytes', () => randomBytes(1 + int(200))],
      [
        'invalid UTF-8',
        () => Buffer.concat([Buffer.from('{"image":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]),
      ],
      ['empty body', () => Buffer.alloc(0)],
      ['trailing garbage', () => Buffer.from(`${good}}}`)],
      ['single quotes', () => Buffer.from(`{'image':'${b64(goodPng)}'}`)],
      ['deep nesting', () => Buffer.from(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)],
      ['BOM + JSON', () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"image":1}')])],
    ];
    const [describe, make] = pick(variants);
    return base('malformed-json', make(), describe);
  },
  'wrong-types': () => {
    const image = b64(goodPng).slice(0, 40);
    const variants: [string, unknown][] = [
      ['image: number', { image: 12345 }],
      ['image: array', { image: [image] }],
      ['image: object', { image: { data: image } }],
      ['image: null', { image: null }],
      ['url: number', { url: 42 }],
      ['image and url', { image, url: 'http://example.com/a.png' }],
      ['neither image nor url', { detect_direction: true }],
      ['detect_direction: string', { image: 'AAAA', detect_direction: 'yes' }],
      ['quick_mode: number', { image: 'AAAA', quick_mode: 5 }],
      ['top-level array', [{ image }]],
      ['top-level string', 'image'],
      ['top-level null', null],
      ['__proto__ key', JSON.parse('{"__proto__":{"image":"AAAA"}}')],
      ['empty image', { image: '' }],
    ];
    const [describe, value] = pick(variants);
    return base('wrong-types', json(value), describe);
  },
  'huge-numbers': () => {
    const variants: [string, string][] = [
      ['image: 1e308', '{"image":1e308}'],
      ['image: 1e400 (Infinity)', '{"image":1e400}'],
      ['detect_direction: 1e400', '{"image":"AAAA","detect_direction":1e400}'],
      ['quick_mode: -9007199254740993', '{"image":"AAAA","quick_mode":-9007199254740993}'],
      ['char_info: 1e-400', '{"image":"AAAA","character_mode":1e-400}'],
      ['number with 10k digits', `{"image":${'9'.repeat(10_000)}}`],
    ];
    const [describe, body] = pick(variants);
    return base('huge-numbers', Buffer.from(body), describe);
  },
  'truncated-image': () => {
    const cut = 1 + int(goodPng.length - 1);
    return base(
      'truncated-image',
      json({ image: b64(goodPng.subarray(0, cut)) }),
      `PNG cut at ${cut}/${goodPng.length}`,
    );
  },
  'mislabelled-image': () => {
    const variants: [string, () => Buffer][] = [
      ['JPEG magic + PNG body', () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), goodPng.subarray(4)])],
      ['GIF magic + junk', () => Buffer.concat([Buffer.from('GIF89a'), randomBytes(64)])],
      ['BMP magic + junk', () => Buffer.concat([Buffer.from('BM'), randomBytes(64)])],
      ['TIFF magic + junk', () => Buffer.concat([Buffer.from([0x49, 0x49, 0x2a, 0]), randomBytes(64)])],
      ['a PDF', () => Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF')],
      ['random bytes', () => randomBytes(16 + int(512))],
      [
        'PNG with bytes flipped',
        () => {
          const copy = Buffer.from(goodPng);
          for (let i = 0; i < 4; i++) copy[8 + int(copy.length - 8)] = int(256);
          return copy;
        },
      ],
      ['PNG 10x10 (under 15 px)', () => png(10, 10, deflateSync(Buffer.alloc(110, 255)))],
    ];
    const [describe, make] = pick(variants);
    return base('mislabelled-image', json({ image: b64(make()) }), describe);
  },
  'bomb-png': () => base('bomb-png', json({ image: b64(bombPng) }), 'PNG header 100000x100000'),
  'base64-variants': () => {
    const clean = b64(goodPng);
    const variants: [string, () => string][] = [
      ['data: prefix', () => `data:image/png;base64,${clean}`],
      ['spaces inside', () => clean.replace(/(.{8})/g, '$1 ')],
      ['newlines every 76', () => clean.replace(/(.{76})/g, '$1\n')],
      ['CRLF + tabs', () => clean.replace(/(.{10})/g, '$1\r\n\t')],
      ['url-safe alphabet', () => clean.replace(/\+/g, '-').replace(/\//g, '_')],
      ['padding removed', () => clean.replace(/=+$/, '')],
      ['extra padding', () => `${clean}====`],
      ['invalid characters', () => `${clean.slice(0, 20)}!*&^${clean.slice(20)}`],
      ['only whitespace', () => ' \n\t '],
    ];
    const [describe, make] = pick(variants);
    return base('base64-variants', json({ image: make() }), describe);
  },
  'big-body': () => {
    const size = 10 * 1024 * 1024 + int(2 * 1024 * 1024);
    const body = Buffer.concat([Buffer.from('{"image":"'), Buffer.alloc(size, 'A'), Buffer.from('"}')]);
    const chunked = random() < 0.5;
    return {
      ...base('big-body', body, `${(size / 1048576).toFixed(1)} MB ${chunked ? 'chunked' : 'with length'}`),
      chunked,
    };
  },
  'wrong-path-method': () => {
    const variants: [string, string][] = [
      ['GET', apiPath],
      ['PUT', apiPath],
      ['DELETE', apiPath],
      ['PATCH', apiPath],
      ['POST', '/v1/x/ocr/general-text'],
      ['POST', '/v2//ocr/general-text'],
      ['POST', '/v2/x/ocr/general-table'],
      ['POST', '/v2/x/ocr/general-text/../../health'],
      ['POST', `${apiPath}?x=${'y'.repeat(2000)}`],
      ['POST', `/${'a/'.repeat(2000)}`],
      ['POST', '/health'],
      ['GET', '/'],
      ['OPTIONS', '*'],
    ];
    const [method, path] = pick(variants);
    return { ...base('wrong-path-method', json({ image: 'AAAA' }), `${method} ${path.slice(0, 50)}`), method, path };
  },
  'huge-headers': () => {
    const variants: [string, () => Record<string, string>][] = [
      ['20 KB header', () => ({ 'x-big': 'a'.repeat(20_000) })],
      ['100 KB header', () => ({ 'x-big': 'a'.repeat(100_000) })],
      ['1000 headers', () => Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`x-h${i}`, 'v']))],
      ['huge token', () => ({ 'x-auth-token': 't'.repeat(12_000) })],
    ];
    const [describe, make] = pick(variants);
    return base('huge-headers', json({ image: 'AAAA' }), describe, make());
  },
  auth: () => {
    const variants: [string, Record<string, string>][] = [
      ['no token', { 'x-auth-token': '' }],
      ['wrong token', { 'x-auth-token': 'nope' }],
      [
        'bad signature',
        { 'x-auth-token': '', authorization: 'SDK-HMAC-SHA256 Access=x, Signature=y', 'x-sdk-date': 'z' },
      ],
    ];
    const [describe, headers] = pick(variants);
    const made = base('auth', json({ image: 'AAAA' }), describe, headers);
    const cleaned = Object.fromEntries(Object.entries(made.headers).filter(([, value]) => value !== ''));
    return { ...made, headers: cleaned };
  },
  'not-http': () => {
    const variants: [string, () => Buffer][] = [
      ['random bytes', () => randomBytes(1 + int(300))],
      ['bad request line', () => Buffer.from('POST\r\n\r\n')],
      ['bad Content-Length', () => Buffer.from(`POST ${apiPath} HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n`)],
      [
        'two Content-Lengths',
        () => Buffer.from(`POST ${apiPath} HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n{}`),
      ],
      [
        'bad chunk size',
        () => Buffer.from(`POST ${apiPath} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`),
      ],
    ];
    const [describe, make] = pick(variants);
    return { kind: 'not-http', method: '', path: '', headers: {}, raw: make(), describe };
  },
};
// How often each kind comes up: the 10 MB bodies are few, they cost the most.
const weights: [string, number][] = [
  ['malformed-json', 14],
  ['wrong-types', 14],
  ['huge-numbers', 8],
  ['truncated-image', 12],
  ['mislabelled-image', 12],
  ['bomb-png', 4],
  ['base64-variants', 12],
  ['big-body', 2],
  ['wrong-path-method', 8],
  ['huge-headers', 4],
  ['auth', 5],
  ['not-http', 5],
];
const weightTotal = weights.reduce((sum, [, weight]) => sum + weight, 0);
function nextCase(): Case {
  let roll = random() * weightTotal;
  for (const [kind, weight] of weights) {
    roll -= weight;
    if (roll < 0) return (kinds[kind] as () => Case)();
  }
  return (kinds['malformed-json'] as () => Case)();
}

interface Outcome {
  readonly status?: number | undefined;
  readonly code?: string | undefined;
  readonly error?: string | undefined;
  readonly timedOut?: boolean;
  /** A 200 whose body has `result` (or `status`, for /health). */
  readonly ok?: boolean;
  readonly ms: number;
}

function send(base: URL, item: Case): Promise<Outcome> {
  const started = performance.now();
  const ms = () => performance.now() - started;
  if (item.raw) return sendRaw(base, item.raw, started);
  return new Promise((done) => {
    let settled = false;
    const finish = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      done(outcome);
    };
    const headers: Record<string, string> = { ...item.headers };
    if (item.body && !item.chunked) headers['content-length'] = String(item.body.length);
    const req = request(base, { method: item.method, path: item.path, headers, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('error', () => finish({ status: res.statusCode, error: 'response aborted', ms: ms() }));
      res.on('end', () => {
        let code: string | undefined;
        let ok = false;
        try {
          const body = JSON.parse(Buffer.concat(parts).toString('utf8')) as Record<string, unknown>;
          code = typeof body.error_code === 'string' ? body.error_code : undefined;
          ok = 'result' in body || 'status' in body;
        } catch {}
        finish({ status: res.statusCode, code, ok, ms: ms() });
      });
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish({ timedOut: true, ms: ms() });
    }, timeoutMs);
    // The server may answer 413 and close before the body is in: a reset then is the documented behaviour.
    req.on('error', (error: NodeJS.ErrnoException) => finish({ error: error.code ?? error.message, ms: ms() }));
    if (item.body) req.end(item.body);
    else req.end();
  });
}

function sendRaw(base: URL, bytes: Buffer, started: number): Promise<Outcome> {
  return new Promise((done) => {
    const socket = connect(Number(base.port), base.hostname);
    const parts: Buffer[] = [];
    let settled = false;
    const finish = (outcome: Omit<Outcome, 'ms'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      done({ ...outcome, ms: performance.now() - started });
    };
    const timer = setTimeout(() => finish({ timedOut: true }), timeoutMs);
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (part: Buffer) => parts.push(part));
    socket.on('error', (error: NodeJS.ErrnoException) => finish({ error: error.code ?? error.message }));
    socket.on('close', () => {
      const text = Buffer.concat(parts).toString('utf8');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text);
      const code = /"error_code":"([^"]+)"/.exec(text);
      if (!status) finish({ error: text ? 'not an HTTP answer' : 'closed without answer' });
      else finish({ status: Number(status[1]), code: code?.[1] });
    });
  });
}

interface Row {
  requests: number;
  statuses: Map<string, number>;
  codes: Map<string, number>;
  fiveXx: number;
  timeouts: number;
  maxMs: number;
}
const rows = new Map<string, Row>();
const violations: string[] = [];
const documented = errorCodes as Record<string, { status: number }>;

function check(item: Case, outcome: Outcome): string | undefined {
  if (outcome.timedOut) return `no answer within ${timeoutMs} ms`;
  if (outcome.status === undefined) {
    // A reset without an answer: only for the 10 MB bodies (answered 413 and closed while we still write)
    // and bytes that are not HTTP; anything else must be answered.
    if (item.kind === 'big-body' || item.kind === 'not-http') return undefined;
    return `no HTTP answer: ${outcome.error}`;
  }
  if (outcome.status >= 500) return `status ${outcome.status} ${outcome.code ?? ''}`;
  if (outcome.status < 400) {
    // A mutation can leave a decodable image (a PNG cut in IEND, MIME line breaks, padding dropped): it is
    // recognized, 200 with a result. Requests without an image never are.
    const imageKinds = ['truncated-image', 'mislabelled-image', 'base64-variants', 'big-body'];
    if (outcome.status === 200 && (imageKinds.includes(item.kind) ? outcome.ok : item.path === '/health'))
      return undefined;
    return `status ${outcome.status}${outcome.ok ? '' : ' without a result'}`;
  }
  if (!outcome.code) return `status ${outcome.status} without error_code`;
  const info = documented[outcome.code];
  if (!info) return `undocumented error_code ${outcome.code}`;
  // Headers over Node's limit are answered before routing: 431 with ModelArts.4104 (the body-size code).
  if (outcome.status === 431 && outcome.code === 'ModelArts.4104') return undefined;
  if (info.status !== outcome.status) return `${outcome.code} with status ${outcome.status}, documented ${info.status}`;
  return undefined;
}

function record(item: Case, outcome: Outcome): void {
  let row = rows.get(item.kind);
  if (!row) {
    row = { requests: 0, statuses: new Map(), codes: new Map(), fiveXx: 0, timeouts: 0, maxMs: 0 };
    rows.set(item.kind, row);
  }
  row.requests++;
  row.maxMs = Math.max(row.maxMs, outcome.ms);
  const status = outcome.status === undefined ? (outcome.error ?? 'timeout') : String(outcome.status);
  row.statuses.set(status, (row.statuses.get(status) ?? 0) + 1);
  if (outcome.code) row.codes.set(outcome.code, (row.codes.get(outcome.code) ?? 0) + 1);
  if ((outcome.status ?? 0) >= 500) row.fiveXx++;
  if (outcome.timedOut) row.timeouts++;
  const problem = check(item, outcome);
  if (problem && violations.length < 50) violations.push(`[${item.kind}] ${item.describe}: ${problem}`);
  else if (problem) violations.push('');
}

const unhandled: string[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(String((reason as Error)?.stack ?? reason)));
process.on('uncaughtException', (error) => unhandled.push(String(error.stack ?? error)));

const server = await startServer({ port: 0, tokens: [token], log: false });
const url = new URL(server.url);
// With --expose-gc (as run.ts starts it) RSS is read after a full collection, so it compares across runs.
const gc = (globalThis as { gc?: () => void }).gc;
const mib = () => {
  gc?.();
  return process.memoryUsage().rss / 1048576;
};
/** JavaScript heap plus external (Buffer) memory, after a collection: what a leak in our code grows. */
const heapMib = () => {
  gc?.();
  const { heapUsed, external } = process.memoryUsage();
  return (heapUsed + external) / 1048576;
};
console.log(
  `server-fuzz: seed ${seed}, up to ${total} requests within ${budgetMs / 1000} s, ${inFlight} in flight, ` +
    `per-request timeout ${timeoutMs} ms, against ${server.url} (local engine)`,
);

// Warm up (engine loaded, buffers pooled) before the RSS baseline, as many in flight as the run itself:
// one at a time, the engine's second model worker never ran, and its first pages counted as growth.
const warm = Array.from({ length: 200 }, nextCase);
await Promise.all(
  Array.from({ length: inFlight }, async (_, lane) => {
    for (let i = lane; i < warm.length; i += inFlight) record(warm[i] as Case, await send(url, warm[i] as Case));
  }),
);
const rssBefore = mib();
const heapBefore = heapMib();
const started = performance.now();
let sent = warm.length;
async function lane(): Promise<void> {
  while (sent < total && performance.now() - started < budgetMs) {
    sent++;
    const item = nextCase();
    record(item, await send(url, item));
  }
}
await Promise.all(Array.from({ length: inFlight }, lane));
const seconds = (performance.now() - started) / 1000;
const rssAfter = mib();
const heapAfter = heapMib();
await server.close();

const list = (counts: Map<string, number>) =>
  [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([key, count]) => `${key} x${count}`)
    .join(', ');
console.log('\n| case kind | requests | statuses seen | codes seen | 5xx | timeouts | slowest |');
console.log('|---|---|---|---|---|---|---|');
for (const [kind, row] of [...rows].sort((a, b) => a[0].localeCompare(b[0]))) {
  console.log(
    `| ${kind} | ${row.requests} | ${list(row.statuses)} | ${list(row.codes)} | ${row.fiveXx} | ${row.timeouts} | ` +
      `${Math.round(row.maxMs)} ms |`,
  );
}
const growth = rssAfter - rssBefore;
const heapGrowth = heapAfter - heapBefore;
// Flat: the JavaScript heap and Buffers (what our code could leak) within a few 10 MB bodies of where they
// started. RSS is printed but not judged: glibc keeps freed memory in per-thread arenas (the engine's
// workers, ONNX Runtime, libvips), so it climbs for a while and levels off (+74 MiB over 3,000 requests,
// +149 over 12,000, +212 over 30,000, with the heap flat).
const rssFlat = heapGrowth < 50;
console.log(
  `\n${sent} requests in ${seconds.toFixed(1)} s; heap + external after warm-up ${Math.round(heapBefore)} MiB, ` +
    `after ${Math.round(heapAfter)} MiB (${heapGrowth >= 0 ? '+' : ''}${Math.round(heapGrowth)} MiB${rssFlat ? ', flat' : ', GROWING'}); ` +
    `RSS ${Math.round(rssBefore)} → ${Math.round(rssAfter)} MiB${gc ? ' (after gc)' : ' (no --expose-gc)'} (${growth >= 0 ? '+' : ''}${Math.round(growth)} MiB)`,
);
const shown = violations.filter((line) => line !== '');
if (shown.length > 0 || unhandled.length > 0 || !rssFlat) {
  console.log(`\nVIOLATIONS (${violations.length}):\n${shown.map((line) => `  ${line}`).join('\n')}`);
  for (const stack of unhandled) console.log(`  unhandled: ${stack}`);
  process.exitCode = 1;
} else {
  console.log('no violations: only documented statuses and codes, no 5xx, no hang');
}
