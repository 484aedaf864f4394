import { expect, test } from 'vitest';
import { type ProgressFormat, ProgressReporter } from '../src/progress.js';

/** A reporter over 4 pages writing into a string, its clock at `ms` (set by the test). */
function reporter(format: ProgressFormat) {
  let out = '';
  const clock = { ms: 0 };
  const progress = new ProgressReporter(4, {
    format,
    stream: { write: (text: string) => (out += text) },
    now: () => clock.ms,
  });
  return { progress, clock, output: () => out };
}

test('bar: redrawn in place with pages done, pages per minute and ETA; notes and failures above it', () => {
  const { progress, clock, output } = reporter('bar');
  clock.ms = 30_000;
  progress.page(1, 1);
  expect(output()).toBe('\r[######..................] 1/4 pages  2.0 pages/min  ETA 1:30\x1b[K');
  clock.ms = 60_000;
  progress.page(2, 2, { code: 'AIS.0105', message: 'the model failed' });
  expect(output().slice(output().indexOf('\x1b[K') + 3)).toBe(
    '\r\x1b[Kocrkit: page 2 failed: AIS.0105: the model failed\n' +
      '\r[############............] 2/4 pages  2.0 pages/min  ETA 1:00\x1b[K',
  );
  progress.done({ pages: 1, failed: 1, outputs: ['a.pdf', 'a.txt'], exitCode: 3 });
  expect(
    output().endsWith(
      '\r\x1b[Kocrkit: 1 page → a.pdf, a.txt\nocrkit: 1 page failed; see above (--resume retries only those).\n',
    ),
  ).toBe(true);
});

test('lines: one line per page, for logs', () => {
  const { progress, clock, output } = reporter('lines');
  clock.ms = 15_000;
  progress.page(3, 1);
  progress.skipped(4, 2);
  progress.done({ pages: 1, failed: 0, outputs: ['a.pdf'], exitCode: 0 });
  expect(output()).toBe(
    'ocrkit: page 3 done (1/4, 4.0 pages/min)\n' +
      'ocrkit: page 4 already has text: kept as it is (2/4; --force to OCR it)\n' +
      'ocrkit: 1 page → a.pdf\n',
  );
});

test('quiet: only failures and their summary', () => {
  const { progress, output } = reporter('quiet');
  progress.page(1, 1);
  progress.note('resuming');
  progress.page(2, 2, { code: 'PAGE_RENDER_FAILED', message: 'Page 2 failed to render' });
  progress.done({ pages: 1, failed: 1, outputs: ['a.pdf'], exitCode: 3 });
  expect(output()).toBe(
    'ocrkit: page 2 failed: PAGE_RENDER_FAILED: Page 2 failed to render\n' +
      'ocrkit: 1 page failed; see above (--resume retries only those).\n',
  );
});

test('json: one parseable event per line', () => {
  const { progress, clock, output } = reporter('json');
  clock.ms = 60_000;
  progress.note('resuming: 1 of 4 pages were done before');
  progress.page(2, 2);
  progress.page(3, 3, { code: 'AIS.0105', message: 'the model failed' });
  progress.skipped(4, 4);
  progress.done({ pages: 3, failed: 1, outputs: ['a.pdf'], exitCode: 3 });
  progress.interrupted(3, 'a.pdf.ocrkit-resume');
  expect(
    output()
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line)),
  ).toEqual([
    { event: 'note', message: 'resuming: 1 of 4 pages were done before' },
    { event: 'page', page: 2, done: 2, total: 4, pagesPerMinute: 2 },
    { event: 'page-failed', page: 3, code: 'AIS.0105', message: 'the model failed' },
    { event: 'page-skipped', page: 4, reason: 'has-text' },
    { event: 'done', pages: 3, failed: 1, outputs: ['a.pdf'], exitCode: 3 },
    { event: 'interrupted', kept: 3, state: 'a.pdf.ocrkit-resume' },
  ]);
});
