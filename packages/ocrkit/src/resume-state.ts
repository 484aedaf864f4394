import { createHash } from 'node:crypto';
import { appendFile, readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { PageResult } from './convert.js';

/**
 * The finished pages of a run, kept in a file beside the output so that an interrupted run can pick up
 * where it stopped (`--resume`). One JSON line per finished page after a header naming the input (its
 * SHA-256) and the settings that shape the results; a line cut short by a kill is ignored.
 */
export class ResumeState {
  readonly path: string;
  readonly #header: string;

  private constructor(path: string, header: string) {
    this.path = path;
    this.#header = header;
  }

  /**
   * Opens the state file for a run. With `resume`, pages a run of the same input and settings finished
   * come back; otherwise (or when the file is for something else) the file starts afresh.
   */
  static async open(
    path: string,
    input: Uint8Array,
    settings: Readonly<Record<string, unknown>>,
    resume: boolean,
  ): Promise<{ state: ResumeState; finished: PageResult[] }> {
    const header = JSON.stringify({ ocrkit: 1, input: createHash('sha256').update(input).digest('hex'), settings });
    const state = new ResumeState(path, header);
    const { pages: finished, lines } = resume ? await state.#read() : { pages: [], lines: [] };
    // Rewritten even when resuming: appending after a line a kill cut short would glue the next page
    // onto it, and both would be lost on the next read. Through a rename, so a kill now loses nothing.
    await writeFile(`${path}.tmp`, [header, ...lines].map((line) => `${line}\n`).join(''));
    await rename(`${path}.tmp`, path);
    return { state, finished };
  }

  /** Records a finished page (appended, so a kill loses at most the page being written). */
  async add(page: PageResult): Promise<void> {
    const { image } = page;
    const data = image.data ? Buffer.from(image.data).toString('base64') : undefined;
    await appendFile(this.path, `${JSON.stringify({ ...page, image: { ...image, data } })}\n`);
  }

  /** Deletes the file: the run is complete. */
  async remove(): Promise<void> {
    await rm(this.path, { force: true });
  }

  /** The pages recorded for this input and settings, each with its line as written. */
  async #read(): Promise<{ pages: PageResult[]; lines: string[] }> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch {
      return { pages: [], lines: [] };
    }
    const [header, ...lines] = text.split('\n');
    if (header !== this.#header) return { pages: [], lines: [] };
    const pages = new Map<number, { page: PageResult; line: string }>();
    for (const line of lines) {
      try {
        const page = JSON.parse(line) as PageResult & { image: { data?: string } };
        const data = page.image.data === undefined ? undefined : new Uint8Array(Buffer.from(page.image.data, 'base64'));
        const result = { ...page, image: { ...page.image, ...(data ? { data } : {}) } } as PageResult;
        pages.set(page.pageNumber, { page: result, line });
      } catch {
        // The last line of a killed run may be cut short.
      }
    }
    const kept = [...pages.values()];
    return { pages: kept.map((k) => k.page), lines: kept.map((k) => k.line) };
  }
}
