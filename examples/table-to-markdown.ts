// Rebuild the tables of a scanned page as Markdown.   node examples/table-to-markdown.ts [scan.pdf|image]
import { readFile } from 'node:fs/promises';
import { toMarkdown } from '@ocrkit/layout';
import { convert, isResult } from 'ocrkit';

const input = process.argv[2] ?? new URL('./sample.pdf', import.meta.url).pathname;
for await (const page of convert(new Uint8Array(await readFile(input)))) {
  if (!isResult(page)) continue;
  console.log(`page ${page.pageNumber}: ${page.page.tables.length} table(s)`);
  // The whole page as Markdown has paragraphs too; keep the table rows.
  console.log(
    toMarkdown(page.page)
      .split('\n')
      .filter((line) => line.startsWith('|'))
      .join('\n'),
  );
}
