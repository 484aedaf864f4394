import { readFileSync } from 'node:fs';
import type { GeneralTextResponse } from '@ocrkit/protocol';
import { afterEach, describe, expect, test } from 'vitest';
import { base64, corruptPng } from '../../../test/support/images.ts';
import { raw as call, json } from './http.js';
import { apiUrl, clientOf, closeAll, imageServer, requestIdPattern, serve, servesImage, token } from './servers.js';

afterEach(closeAll);

// Rendered by the engine's test/fixtures/make-fixtures.ts; the expected text is what was rendered.
const englishLine = readFileSync(new URL('../../engine/test/fixtures/english-line.png', import.meta.url));
const englishText = 'The quick brown fox jumps over the lazy dog 42';

// No `recognizer` option: these servers run the embedded engine, as `ocrkit serve` does.
describe('a real recognition on the embedded engine', () => {
  test('OcrClient.recognize reads the English line', async () => {
    const server = await serve();

    const result = await clientOf(server).recognize(englishLine);

    expect(result.words_block_list.map((block) => block.words)).toEqual([englishText]);
    expect(result.words_block_count).toBe(1);
    expect(result.direction).toBe(-1);
    expect(result.words_block_list[0]?.confidence).toBeGreaterThan(0.9);
    for (const [x, y] of result.words_block_list[0]?.location ?? []) {
      expect(Number.isInteger(x) && Number.isInteger(y)).toBe(true);
    }
  });

  test('raw HTTP with detect_direction answers the upright angle 0 and the text', async () => {
    const server = await serve();

    const response = await call(apiUrl(server), {
      headers: { 'Content-Type': 'application/json', 'X-Auth-Token': token },
      body: JSON.stringify({ image: base64(englishLine), detect_direction: true }),
    });

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['x-request-id']).toMatch(requestIdPattern);
    const { result } = json(response) as GeneralTextResponse;
    expect(result.direction).toBe(0);
    expect(result.words_block_list.map((block) => block.words)).toEqual([englishText]);
  });

  test('url mode with allowPrivateUrls reads the line from a local image server', async () => {
    const images = await imageServer(servesImage(englishLine));
    const server = await serve({ allowPrivateUrls: true });

    const result = await clientOf(server).generalText({ url: `${images.url}/english-line.png` });

    expect(result.words_block_list.map((block) => block.words)).toEqual([englishText]);
    expect(images.paths).toEqual(['/english-line.png']);
  });

  test('a PNG whose header passes but whose pixels do not decode is 400 AIS.0102 from the engine', async () => {
    const server = await serve();

    const response = await call(apiUrl(server), {
      headers: { 'Content-Type': 'application/json', 'X-Auth-Token': token },
      body: JSON.stringify({ image: base64(corruptPng(100, 30)) }),
    });

    expect({ status: response.status, body: json(response) }).toEqual({
      status: 400,
      body: { error_code: 'AIS.0102', error_msg: expect.any(String) },
    });
  });
});
