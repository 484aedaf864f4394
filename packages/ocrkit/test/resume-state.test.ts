import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import type { PageResult } from '../src/convert.js';
import { ResumeState } from '../src/resume-state.js';

const dir = await mkdtemp(join(tmpdir(), 'ocrkit-resume-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

const input = new TextEncoder().encode('%PDF-1.7 the document');
const settings = { dpi: 300 };
const page = (pageNumber: number) =>
  ({
    pageNumber,
    image: { width: 10, height: 20, dpi: 300, transform: [1, 0, 0, 1, 0, 0], data: new Uint8Array([pageNumber]) },
    result: { direction: -1, words_block_count: 0, words_block_list: [] },
    page: { width: 10, height: 20, angle: 0, blocks: [], tables: [] },
  }) as unknown as PageResult;

test('pages recorded by one run come back to a resumed run, their image bytes included', async () => {
  const path = join(dir, 'plain.ocrkit-resume');
  const { state } = await ResumeState.open(path, input, settings, false);
  await state.add(page(1));
  await state.add(page(2));
  const { finished } = await ResumeState.open(path, input, settings, true);
  expect(finished.map((p) => [p.pageNumber, [...(p.image.data ?? [])]])).toEqual([
    [1, [1]],
    [2, [2]],
  ]);
});

test('a line cut short by a kill costs only its own page, also for the pages added after resuming', async () => {
  const path = join(dir, 'torn.ocrkit-resume');
  const { state } = await ResumeState.open(path, input, settings, false);
  await state.add(page(1));
  await state.add(page(2));
  await appendFile(path, '{"pageNumber":3,"image":{"wid');
  const resumed = await ResumeState.open(path, input, settings, true);
  expect(resumed.finished.map((p) => p.pageNumber)).toEqual([1, 2]);
  await resumed.state.add(page(3));
  await resumed.state.add(page(4));
  const again = await ResumeState.open(path, input, settings, true);
  expect(again.finished.map((p) => p.pageNumber)).toEqual([1, 2, 3, 4]);
});

test('a state file for other input or settings, or a run without --resume, starts afresh', async () => {
  const path = join(dir, 'other.ocrkit-resume');
  const { state } = await ResumeState.open(path, input, settings, false);
  await state.add(page(1));
  expect((await ResumeState.open(path, input, { dpi: 150 }, true)).finished).toEqual([]);
  const { state: second } = await ResumeState.open(path, input, settings, false);
  await second.add(page(1));
  expect((await ResumeState.open(path, new Uint8Array([1]), settings, true)).finished).toEqual([]);
  expect((await ResumeState.open(path, input, settings, false)).finished).toEqual([]);
  expect((await readFile(path, 'utf8')).trim().split('\n')).toHaveLength(1);
});
