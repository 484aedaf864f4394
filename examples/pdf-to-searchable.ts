// PDF to searchable PDF with the embedded engine, from code: convert() streams the pages,
// writeOutputs() writes the files.   node examples/pdf-to-searchable.ts [in.pdf] [out.pdf]
import { readFile } from 'node:fs/promises';
import { convert, isFailure, isResult, type PageResult, writeOutputs } from 'ocrkit';

const input = process.argv[2] ?? new URL('./sample.pdf', import.meta.url).pathname;
const output = process.argv[3] ?? input.replace(/\.pdf$/i, '.ocr.pdf');
const bytes = new Uint8Array(await readFile(input));
const pages: PageResult[] = [];
for await (const page of convert(bytes, { onProgress: ({ done }) => console.error(`page ${done} done`) })) {
  if (isResult(page)) pages.push(page);
  else if (isFailure(page)) console.error(`page ${page.pageNumber} failed: ${page.error.code ?? page.error.message}`);
  else console.error(`page ${page.pageNumber} already has text`);
}
await writeOutputs(bytes, pages, { pdf: output });
console.log(
  `${output}: ${pages.length} page(s), ${pages.reduce((n, p) => n + p.result.words_block_count, 0)} text blocks`,
);
