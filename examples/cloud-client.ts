// Recognize one image with the API client: Huawei Cloud, or any server speaking the API.
//   OCRKIT_TOKEN=... OCRKIT_REGION=cn-north-4 OCRKIT_PROJECT_ID=... node examples/cloud-client.ts photo.jpg
//   (or HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK instead of OCRKIT_TOKEN; OCRKIT_ENDPOINT for another server)
import { readFile } from 'node:fs/promises';
import { connectionFromEnv, isOcrError, OcrClient } from '@ocrkit/client';

const image = process.argv[2] ?? new URL('../packages/engine/test/fixtures/english-line.png', import.meta.url).pathname;
const client = new OcrClient(connectionFromEnv());
try {
  const result = await client.recognize(await readFile(image), { detect_direction: true });
  console.log(`direction ${result.direction}, ${result.words_block_count} blocks`);
  for (const block of result.words_block_list) console.log(block.words);
} catch (error) {
  if (!isOcrError(error)) throw error;
  console.error(`${error.code} (HTTP ${error.status ?? '-'}, request ${error.requestId ?? '-'}): ${error.message}`);
  process.exitCode = 1;
} finally {
  await client.close();
}
