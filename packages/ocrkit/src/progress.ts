/** How progress is shown: a bar redrawn in place, one line per page, JSON lines, or only errors. */
export type ProgressFormat = 'bar' | 'lines' | 'json' | 'quiet';

export interface ProgressOptions {
  readonly format: ProgressFormat;
  /** Where it goes. @default process.stderr */
  readonly stream?: { write(text: string): unknown };
  /** Clock in ms, for tests. @default performance.now */
  readonly now?: () => number;
}

export interface RunSummary {
  readonly pages: number;
  readonly failed: number;
  readonly outputs: readonly string[];
  readonly exitCode: number;
}

/**
 * Progress of a conversion on stderr. `bar`: pages done / total, pages per minute and ETA, redrawn in
 * place (a terminal); `lines`: one line per page (a log file); `json`: one JSON object per event, for
 * machines (`event`: `page`, `page-failed`, `page-skipped`, `note`, `done`, `interrupted`, `error`);
 * `quiet`: only failures.
 */
export class ProgressReporter {
  readonly #total: number;
  readonly #format: ProgressFormat;
  readonly #stream: { write(text: string): unknown };
  readonly #now: () => number;
  readonly #started: number;
  #drawn = false;

  constructor(total: number, options: ProgressOptions) {
    this.#total = total;
    this.#format = options.format;
    this.#stream = options.stream ?? process.stderr;
    this.#now = options.now ?? (() => performance.now());
    this.#started = this.#now();
  }

  /** A page finished (`done` counts every page finished so far), or failed with `error`. */
  page(pageNumber: number, done: number, error?: { message: string; code?: string }): void {
    const rate = done / ((this.#now() - this.#started) / 60_000);
    const pagesPerMinute = Number.isFinite(rate) ? Math.round(rate * 10) / 10 : 0;
    if (this.#format === 'json') {
      const event = error
        ? { event: 'page-failed', page: pageNumber, code: error.code ?? null, message: error.message }
        : { event: 'page', page: pageNumber, done, total: this.#total, pagesPerMinute };
      this.#json(event);
      return;
    }
    if (error) {
      // OcrError messages already start with their code.
      const code = error.code && !error.message.startsWith(error.code) ? `${error.code}: ` : '';
      this.#line(`page ${pageNumber} failed: ${code}${error.message}`);
    }
    if (this.#format === 'bar') {
      const width = 24;
      const filled = Math.round((width * done) / Math.max(1, this.#total));
      const eta = pagesPerMinute > 0 ? ((this.#total - done) / pagesPerMinute) * 60 : 0;
      this.#stream.write(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${this.#total} pages  ` +
          `${pagesPerMinute.toFixed(1)} pages/min  ETA ${clock(eta)}\x1b[K`,
      );
      this.#drawn = true;
    } else if (this.#format === 'lines' && !error) {
      this.#line(`page ${pageNumber} done (${done}/${this.#total}, ${pagesPerMinute.toFixed(1)} pages/min)`);
    }
  }

  /** A page left as it was: it has text already. */
  skipped(pageNumber: number, done: number): void {
    if (this.#format === 'json') this.#json({ event: 'page-skipped', page: pageNumber, reason: 'has-text' });
    else if (this.#format === 'lines') {
      this.note(`page ${pageNumber} already has text: kept as it is (${done}/${this.#total}; --force to OCR it)`);
    } else {
      this.note(`page ${pageNumber} already has text: kept as it is (--force to OCR it)`);
      this.page(pageNumber, done);
    }
  }

  /** A line about the run, above the bar; not when quiet. */
  note(message: string): void {
    if (this.#format === 'quiet') return;
    if (this.#format === 'json') this.#json({ event: 'note', message });
    else this.#line(message);
  }

  /** The end of a run: what was written, what failed. */
  done(summary: RunSummary): void {
    this.#clear();
    if (this.#format === 'json') {
      this.#json({ event: 'done', ...summary });
      return;
    }
    const { pages, failed, outputs } = summary;
    if (this.#format !== 'quiet' && pages > 0) this.#line(`${plural(pages, 'page')} → ${outputs.join(', ')}`);
    if (failed > 0) this.#line(`${plural(failed, 'page')} failed; see above (--resume retries only those).`);
  }

  /** Ctrl-C or SIGTERM: the finished pages are kept for --resume. */
  interrupted(kept: number, statePath: string): void {
    this.#clear();
    if (this.#format === 'json') this.#json({ event: 'interrupted', kept, state: statePath });
    else
      this.#line(
        `interrupted; ${plural(kept, 'finished page')} kept in ${statePath}: run again with --resume to go on.`,
      );
  }

  /** Takes the bar off the screen before other output. */
  end(): void {
    this.#clear();
  }

  #line(text: string): void {
    this.#clear();
    this.#stream.write(`ocrkit: ${text}\n`);
  }

  #json(event: Readonly<Record<string, unknown>>): void {
    this.#stream.write(`${JSON.stringify(event)}\n`);
  }

  #clear(): void {
    if (this.#drawn) this.#stream.write('\r\x1b[K');
    this.#drawn = false;
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
