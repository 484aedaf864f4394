// Issue #9, rasterize fuzzing: a seeded mutator (byte flips, truncations, duplicated and deleted ranges,
// spliced tokens) over small valid PDFs from rasterize's fixtures, each case through `rasterize()` with a
// per-page timeout. Expected: pages within the limits or a RasterizeError / page failure with a stable
// code; no untyped error, no unhandled rejection, no hang, no crash. Counts by outcome and code, the slowest
// cases; exit code 1 on any failure. The case being run is kept in $TMPDIR/ocrkit-rasterize-fuzz-case.pdf,
// so a crash of the process leaves its input behind.
//
// Run: pnpm build && node test/stress/rasterize-fuzz.ts
// Env: STRESS_SEED               seed of the mutator (default 9)
//      STRESS_RASTERIZE_CASES    cases to run (default 3000)
//      STRESS_RASTERIZE_SECONDS  stop after this many seconds (default 300)
//      STRESS_PAGE_TIMEOUT_MS    rasterize's pageTimeoutMs (default 10000)
//      STRESS_DPI                render dpi (default 72: the fuzzing is about parsing, not pixels)
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkImage, seedLimits } from '../../packages/protocol/dist/index.js';
import { rasterize } from '../../packages/rasterize/dist/index.js';
import { mulberry32 } from '../support/mulberry32.ts';
import { verdict } from './table.ts';

const seed = Number(process.env.STRESS_SEED ?? 9);
const cases = Number(process.env.STRESS_RASTERIZE_CASES ?? 3000);
const budgetMs = Number(process.env.STRESS_RASTERIZE_SECONDS ?? 300) * 1000;
const pageTimeoutMs = Number(process.env.STRESS_PAGE_TIMEOUT_MS ?? 10_000);
const dpi = Number(process.env.STRESS_DPI ?? 72);
// A mutated page tree can claim thousands of pages; the first few say what the parser did.
const maxPages = 4;
// Opening counts against the first page's timeout; beyond every page's timeout and some, the case hangs.
const caseLimitMs = (maxPages + 1) * pageTimeoutMs + 15_000;
const lastCase = join(tmpdir(), 'ocrkit-rasterize-fuzz-case.pdf');
const stableCodes = new Set([
  'PDF_INVALID',
  'PDF_PASSWORD_REQUIRED',
  'PDF_PASSWORD_WRONG',
  'PAGE_OUT_OF_RANGE',
  'IMAGE_INVALID',
  'PAGE_TOO_LARGE',
  'PAGE_RENDER_FAILED',
  'PAGE_TIMEOUT',
]);

const fixtures = ['tiny.pdf', 'rotations.pdf', 'cropbox.pdf', 'formats.pdf'].map((name) => ({
  name,
  bytes: new Uint8Array(readFileSync(new URL(`../../packages/rasterize/test/fixtures/${name}`, import.meta.url))),
}));

const random = mulberry32(seed);
const int = (below: number) => Math.floor(random() * below);

// Tokens whose damage reaches deep into pdf.js: xref offsets, lengths, filters, page tree, numbers.
const tokens = [
  'obj',
  'endobj',
  'stream',
  'endstream',
  '/Length',
  '/Kids',
  '/Count',
  '/Filter',
  'xref',
  'R',
  '<<',
  '>>',
]
  .map((token) => new TextEncoder().encode(token))
  .concat(['99999999', '-1', '1e308', '/FlateDecode', '/DCTDecode', '0 0 R'].map((t) => new TextEncoder().encode(t)));

type Mutation = (bytes: Uint8Array) => { bytes: Uint8Array; describe: string };
const mutations: Mutation[] = [
  (bytes) => {
    const copy = bytes.slice();
    const flips = 1 + int(8);
    for (let i = 0; i < flips; i++) {
      const at = int(copy.length);
      copy[at] = (copy[at] ?? 0) ^ (1 << int(8));
    }
    return { bytes: copy, describe: `${flips} bit flips` };
  },
  (bytes) => {
    const copy = bytes.slice();
    const count = 1 + int(16);
    for (let i = 0; i < count; i++) copy[int(copy.length)] = int(256);
    return { bytes: copy, describe: `${count} random bytes` };
  },
  (bytes) => {
    const cut = int(bytes.length);
    return { bytes: bytes.slice(0, cut), describe: `truncated at ${cut}/${bytes.length}` };
  },
  (bytes) => {
    const start = int(bytes.length);
    const length = 1 + int(Math.min(512, bytes.length - start));
    const at = int(bytes.length);
    const range = bytes.slice(start, start + length);
    const out = new Uint8Array(bytes.length + range.length);
    out.set(bytes.subarray(0, at));
    out.set(range, at);
    out.set(bytes.subarray(at), at + range.length);
    return { bytes: out, describe: `duplicated ${start}+${range.length} at ${at}` };
  },
  (bytes) => {
    const start = int(bytes.length);
    const length = 1 + int(Math.min(256, bytes.length - start));
    const out = new Uint8Array(bytes.length - length);
    out.set(bytes.subarray(0, start));
    out.set(bytes.subarray(start + length), start);
    return { bytes: out, describe: `deleted ${start}+${length}` };
  },
  (bytes) => {
    const token = tokens[int(tokens.length)] as Uint8Array;
    const at = int(bytes.length);
    const copy = bytes.slice();
    copy.set(token.subarray(0, copy.length - at), at);
    return { bytes: copy, describe: `token "${new TextDecoder().decode(token)}" written at ${at}` };
  },
  (bytes) => {
    // Digits are offsets, lengths, counts and object numbers: change one to a nearby or absurd value.
    const digits: number[] = [];
    bytes.forEach((byte, index) => {
      if (byte >= 0x30 && byte <= 0x39) digits.push(index);
    });
    const copy = bytes.slice();
    const at = digits.length ? (digits[int(digits.length)] as number) : int(copy.length);
    copy[at] = 0x30 + int(10);
    return { bytes: copy, describe: `digit at ${at} changed` };
  },
];

interface Result {
  readonly outcome: string;
  readonly failure?: string;
  readonly ms: number;
}

async function runCase(bytes: Uint8Array): Promise<Result> {
  const started = performance.now();
  const controller = new AbortController();
  const codes: string[] = [];
  let images = 0;
  const iterate = async (): Promise<string | undefined> => {
    try {
      let seen = 0;
      for await (const page of rasterize(bytes, { dpi, pageTimeoutMs, signal: controller.signal })) {
        if ('error' in page) {
          const code = (page.error as { code?: unknown }).code;
          if (typeof code !== 'string' || !stableCodes.has(code)) return `page failure with code ${String(code)}`;
          codes.push(code);
        } else {
          images++;
          const checked = checkImage(page.data, seedLimits);
          if (!checked.ok) return `page ${page.pageNumber} image outside the limits (${page.width}x${page.height})`;
        }
        if (++seen >= maxPages) break;
      }
      return undefined;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && stableCodes.has(code)) {
        codes.push(`thrown ${code}`);
        return undefined;
      }
      return `untyped ${String((error as Error)?.stack ?? error).slice(0, 600)}`;
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<string>((done) => {
    timer = setTimeout(() => done(`no end within ${caseLimitMs} ms`), caseLimitMs);
  });
  const failure = await Promise.race([iterate(), hang]);
  clearTimeout(timer);
  if (failure?.startsWith('no end')) controller.abort();
  const ms = performance.now() - started;
  if (failure) return { outcome: 'FAILURE', failure, ms };
  const thrown = codes.find((code) => code.startsWith('thrown '));
  if (thrown) return { outcome: thrown, ms };
  if (codes.length === 0) return { outcome: 'images', ms };
  return { outcome: `${images ? 'images + ' : ''}page failures ${[...new Set(codes)].sort().join('+')}`, ms };
}

const unhandled: string[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(String((reason as Error)?.stack ?? reason)));
process.on('uncaughtException', (error) => unhandled.push(String(error.stack ?? error)));

console.log(
  `rasterize-fuzz: seed ${seed}, up to ${cases} cases within ${budgetMs / 1000} s over ` +
    `${fixtures.map((f) => f.name).join(', ')}; ${dpi} dpi, pageTimeoutMs ${pageTimeoutMs}, first ${maxPages} pages`,
);
const counts = new Map<string, number>();
const slowest: { ms: number; describe: string; outcome: string }[] = [];
const failures: string[] = [];
const started = performance.now();
let ran = 0;
for (; ran < cases && performance.now() - started < budgetMs; ran++) {
  const fixture = fixtures[int(fixtures.length)] as (typeof fixtures)[number];
  // One to three mutations stacked: single flips mostly land in content streams pdf.js shrugs off.
  let bytes: Uint8Array = fixture.bytes;
  const steps: string[] = [];
  for (let n = 1 + int(3); n > 0; n--) {
    const mutated = (mutations[int(mutations.length)] as Mutation)(bytes);
    bytes = mutated.bytes;
    steps.push(mutated.describe);
  }
  const describe = `#${ran} ${fixture.name}: ${steps.join(', ')}`;
  writeFileSync(lastCase, bytes);
  const before = unhandled.length;
  const result = await runCase(bytes);
  const outcome = unhandled.length > before ? 'FAILURE' : result.outcome;
  counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  if (outcome === 'FAILURE') {
    const keep = join(tmpdir(), `ocrkit-rasterize-fuzz-failure-${ran}.pdf`);
    writeFileSync(keep, bytes);
    failures.push(`${describe}: ${result.failure ?? unhandled.slice(before).join(' / ')} (input: ${keep})`);
  }
  slowest.push({ ms: result.ms, describe, outcome });
  slowest.sort((a, b) => b.ms - a.ms);
  slowest.length = Math.min(slowest.length, 5);
  if ((ran + 1) % 500 === 0) console.log(`  ${ran + 1} cases, ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
const seconds = (performance.now() - started) / 1000;

console.log(`\n${ran} cases in ${seconds.toFixed(1)} s (${(ran / seconds).toFixed(1)}/s)`);
console.log('| outcome / code | cases |\n|---|---|');
for (const [outcome, count] of [...counts].sort((a, b) => b[1] - a[1])) console.log(`| ${outcome} | ${count} |`);
console.log('\nslowest cases:\n| ms | outcome | case |\n|---|---|---|');
for (const item of slowest) console.log(`| ${Math.round(item.ms)} | ${item.outcome} | ${item.describe} |`);
// An unhandled rejection during a case is that case's failure already; one outside every case is its own.
verdict(
  failures.length > 0 ? failures : unhandled.map((stack) => `unhandled rejection: ${stack}`),
  'no failures: every case gave images within the limits or a stable RasterizeError code',
);
