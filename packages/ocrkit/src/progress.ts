/**
 * Progress on stderr: a bar redrawn in place on a terminal (pages done / total, pages per minute, ETA),
 * one plain line per page otherwise, nothing when quiet.
 */
export class ProgressReporter {
  readonly #total: number;
  readonly #tty: boolean;
  readonly #quiet: boolean;
  readonly #started = performance.now();
  #drawn = false;

  constructor(total: number, options: { tty: boolean; quiet: boolean }) {
    this.#total = total;
    this.#tty = options.tty;
    this.#quiet = options.quiet;
  }

  page(pageNumber: number, done: number, error?: { message: string; code?: string }): void {
    if (this.#quiet && !error) return;
    const minutes = (performance.now() - this.#started) / 60_000;
    const rate = done / minutes;
    if (error) {
      this.#clear();
      // OcrError messages already start with their code.
      const code = error.code && !error.message.startsWith(error.code) ? `${error.code}: ` : '';
      process.stderr.write(`ocrkit: page ${pageNumber} failed: ${code}${error.message}\n`);
    }
    if (this.#quiet) return;
    if (this.#tty) {
      const width = 24;
      const filled = Math.round((width * done) / Math.max(1, this.#total));
      const eta = rate > 0 ? ((this.#total - done) / rate) * 60 : 0;
      const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${this.#total} pages  ${rate.toFixed(1)} pages/min  ETA ${clock(eta)}`;
      process.stderr.write(`\r${bar}\x1b[K`);
      this.#drawn = true;
    } else if (!error) {
      process.stderr.write(`ocrkit: page ${pageNumber} done (${done}/${this.#total}, ${rate.toFixed(1)} pages/min)\n`);
    }
  }

  /** A line about the run, above the bar; not when quiet. */
  note(line: string): void {
    if (this.#quiet) return;
    this.#clear();
    process.stderr.write(`ocrkit: ${line}\n`);
  }

  end(): void {
    this.#clear();
  }

  #clear(): void {
    if (this.#drawn) process.stderr.write('\r\x1b[K');
    this.#drawn = false;
  }
}

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
