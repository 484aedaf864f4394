// Run the general-text API server on the embedded engine and call it over plain HTTP.
//   node examples/server.ts     (or from a shell: pnpm exec ocrkit serve --port 8086)
import { readFile } from 'node:fs/promises';
import { startServer } from '@ocrkit/server';

const server = await startServer({ port: 0, tokens: ['demo-token'], log: false });
try {
  const image = await readFile(new URL('../packages/engine/test/fixtures/page.png', import.meta.url));
  const response = await fetch(`${server.url}/v2/any-project/ocr/general-text`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Auth-Token': 'demo-token' },
    body: JSON.stringify({ image: image.toString('base64'), detect_direction: true }),
  });
  console.log(`HTTP ${response.status}, X-Request-Id ${response.headers.get('x-request-id')}`);
  const { result } = (await response.json()) as { result: { words_block_list: { words: string }[] } };
  for (const block of result.words_block_list) console.log(block.words);
} finally {
  await server.close();
}
