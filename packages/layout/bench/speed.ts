// layout() speed on seeded synthetic pages (bench/random-page.ts): the median over runs for pages of
// 2,000 to 100,000 words, and how time grows against the 2,000-word page. On a busy machine the
// minimum is the steadier figure.
// Run: pnpm --filter @ocrkit/layout bench   (after pnpm build)
import { layout } from '@ocrkit/layout';
import { randomPage } from './random-page.ts';

const sizes = (process.env.BENCH_WORDS ?? '2000,20000,100000').split(',').map(Number);
const seed = Number(process.env.BENCH_SEED ?? 1);

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

const rows: string[][] = [];
let base = 0;
for (const words of sizes) {
  const page = randomPage(words, seed);
  const runs = words <= 2000 ? 51 : words <= 20000 ? 11 : 5;
  for (let i = 0; i < 3; i++) layout(page); // warm-up: JIT and caches
  const times: number[] = [];
  let out = layout(page);
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    out = layout(page);
    times.push(performance.now() - started);
  }
  const ms = median(times);
  if (base === 0) base = ms / words;
  const lines = out.blocks.reduce((n, b) => n + b.lines.length, 0);
  rows.push([
    String(words),
    String(page.result.words_block_count),
    String(lines),
    String(out.tables.length),
    String(runs),
    ms.toFixed(2),
    Math.min(...times).toFixed(2),
    ((ms / words) * 1000).toFixed(2),
    (ms / words / base).toFixed(2),
  ]);
}

const head = [
  'words',
  'API blocks',
  'lines',
  'tables',
  'runs',
  'median ms',
  'min ms',
  'ms / 1k words',
  'per-word vs first',
];
console.log(`layout() on seeded random pages (seed ${seed}), Node ${process.version}\n`);
console.log(`| ${head.join(' | ')} |`);
console.log(`|${head.map(() => ' ---').join(' |')} |`);
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
