// End to end, ocrkit against OCRmyPDF on the same scanned pages, in one run (issue #8's measure):
// pages per minute and the CER/WER of each output PDF's text (pdftotext) against what the page says,
// then a 100-page document for throughput and peak RSS. Both run as users run them: ocrkit's CLI with the
// local engine, `ocrmypdf -l eng+chi_sim` (Debian) with both cores.
// Run: pnpm build && node test/bench/pipeline.ts   (needs poppler-utils, qpdf, ocrmypdf, GNU time)
// Env: BENCH_PAGES  pages of the long document (default 100); BENCH_KEEP=1 keeps the documents and outputs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { has, pdftotext } from '../../packages/pdf/bench/readers.ts';
import { testPages } from '../../packages/pdf/bench/test-pages.ts';
import { cer, wer } from '../../packages/pdf/bench/text-metrics.ts';

// The command as installed (bin.js: the Node version check and the malloc setting, then cli.js).
const cli = new URL('../../packages/ocrkit/dist/bin.js', import.meta.url).pathname;
const sample = new URL('../../examples/sample.pdf', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'ocrkit-pipeline-'));
const bookPages = Number(process.env.BENCH_PAGES ?? 100);

interface Run {
  readonly seconds: number;
  readonly maxRssMiB: number;
  readonly ok: boolean;
  readonly detail: string;
}

/** Runs a command under GNU time: wall seconds and peak resident memory of the whole process tree's leader. */
function timed(command: string, args: string[]): Run {
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', 'MAXRSS %M', command, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const seconds = (performance.now() - started) / 1000;
  const rss = Number(/MAXRSS (\d+)/.exec(result.stderr)?.[1] ?? 0) / 1024;
  return {
    seconds,
    maxRssMiB: rss,
    ok: result.status === 0,
    detail: result.stderr.split('\n').slice(-3).join(' ').trim(),
  };
}

const tools = {
  ocrkit: (input: string, output: string) => timed(process.execPath, [cli, input, '-o', output, '--quiet']),
  OCRmyPDF: (input: string, output: string) =>
    timed('ocrmypdf', [
      '-l',
      'eng+chi_sim',
      '--jobs',
      '2',
      '--optimize',
      '0',
      '--output-type',
      'pdf',
      '--force-ocr',
      '-q',
      input,
      output,
    ]),
} as const;

for (const [tool, needs] of [
  ['pdftotext', ['-v']],
  ['qpdf', ['--version']],
  ['ocrmypdf', ['--version']],
] as const) {
  if (!has(tool, [...needs])) {
    console.log(`skipped: ${tool} is not installed (Debian poppler-utils, qpdf, ocrmypdf)`);
    process.exit(0);
  }
}

const pages = await testPages(sample);
console.log(`# ocrkit pipeline vs OCRmyPDF (node ${process.version}, 2 CPUs)\n`);
console.log('## Scanned pages, one document each (pdftotext of the output vs the page text, whitespace ignored)\n');
console.log('| page | tool | seconds | CER % | WER % |');
console.log('|---|---|---:|---:|---:|');
const totals: Record<string, { seconds: number; cer: number; wer: number }> = {};
for (const page of pages) {
  const input = join(dir, `${page.name.replace(/\W+/g, '-')}.pdf`);
  writeFileSync(input, page.pdf);
  for (const [tool, run] of Object.entries(tools)) {
    const output = `${input}.${tool}.pdf`;
    const result = run(input, output);
    const text = result.ok ? pdftotext(output) : '';
    const c = result.ok ? cer(text, page.truth) : 1;
    const w = result.ok ? wer(text, page.truth) : 1;
    const sum = totals[tool] ?? { seconds: 0, cer: 0, wer: 0 };
    totals[tool] = sum;
    sum.seconds += result.seconds;
    sum.cer += c;
    sum.wer += w;
    const note = result.ok ? '' : ` (failed: ${result.detail})`;
    console.log(
      `| ${page.name} | ${tool} | ${result.seconds.toFixed(1)} | ${(c * 100).toFixed(2)} | ${(w * 100).toFixed(2)}${note} |`,
    );
  }
}
console.log('\n| tool | pages/min | mean CER % | mean WER % |');
console.log('|---|---:|---:|---:|');
for (const [tool, sum] of Object.entries(totals)) {
  const n = pages.length;
  console.log(
    `| ${tool} | ${((60 * n) / sum.seconds).toFixed(1)} | ${((100 * sum.cer) / n).toFixed(2)} | ${((100 * sum.wer) / n).toFixed(2)} |`,
  );
}

// A long document: every page above in turn (qpdf joins them), the bundled sample's table and columns
// among them as the set asks (English, Chinese, two-column, table), for throughput and memory.
const singles = pages.map((p) => join(dir, `${p.name.replace(/\W+/g, '-')}.pdf`));
const list = Array.from({ length: bookPages }, (_, i) => singles[i % singles.length] as string);
const book = join(dir, 'book.pdf');
spawnSync('qpdf', ['--empty', '--pages', ...list, '--', book]);
console.log(`\n## A ${bookPages}-page document (${(readFileSync(book).length / 2 ** 20).toFixed(1)} MiB)\n`);
console.log('| tool | seconds | pages/min | peak RSS MiB |');
console.log('|---|---:|---:|---:|');
for (const [tool, run] of Object.entries(tools)) {
  const result = run(book, `${book}.${tool}.pdf`);
  const rate = result.ok ? ((60 * bookPages) / result.seconds).toFixed(1) : `failed: ${result.detail}`;
  console.log(`| ${tool} | ${result.seconds.toFixed(0)} | ${rate} | ${result.maxRssMiB.toFixed(0)} |`);
}
if (process.env.BENCH_KEEP) console.log(`\nDocuments and outputs kept in ${dir}`);
else rmSync(dir, { recursive: true, force: true });
