// What other readers make of a PDF: poppler's pdftotext (text and -bbox-layout word boxes), qpdf --check,
// and pdf.js's getTextContent (the legacy build, the one that runs in Node), as a browser viewer sees it.
import { spawnSync } from 'node:child_process';
import { readBack, textOf } from '../test/read-back.ts';

export interface Box {
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
}

/** A pdftotext word: its box in points on the displayed page (origin top-left, y down), and its line. */
export interface PopplerWord {
  readonly text: string;
  readonly box: Box;
  /** Index of the pdftotext line holding it (words of one line are joined by spaces in its text output). */
  readonly line: number;
}

export function has(command: string, args: readonly string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).error === undefined;
}

function run(command: string, args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** pdftotext's text, UTF-8: in poppler's reading order, or with `raw` in content stream order. */
export function pdftotext(file: string, options: { raw?: boolean } = {}): string {
  const mode = options.raw ? ['-raw'] : [];
  const { status, stdout, stderr } = run('pdftotext', [...mode, '-enc', 'UTF-8', file, '-']);
  if (status !== 0) throw new Error(`pdftotext ${file} failed (exit ${status}): ${stderr.trim()}`);
  return stdout;
}

const decode = (s: string) =>
  s.replace(
    /&(amp|lt|gt|quot|apos);/g,
    (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e] ?? '',
  );
const attr = (tag: string, name: string) => Number(new RegExp(`${name}="([^"]*)"`).exec(tag)?.[1] ?? Number.NaN);

/** The words of `pdftotext -bbox-layout`, in its reading order, with their lines. */
export function popplerWords(file: string): PopplerWord[] {
  const { status, stdout, stderr } = run('pdftotext', ['-enc', 'UTF-8', '-bbox-layout', file, '-']);
  if (status !== 0) throw new Error(`pdftotext -bbox-layout ${file} failed (exit ${status}): ${stderr.trim()}`);
  const words: PopplerWord[] = [];
  let line = 0;
  for (const match of stdout.matchAll(/<line [^>]*>([\s\S]*?)<\/line>/g)) {
    for (const w of (match[1] ?? '').matchAll(/<word ([^>]*)>([^<]*)<\/word>/g)) {
      const tag = w[1] ?? '';
      words.push({
        text: decode(w[2] ?? ''),
        box: { minX: attr(tag, 'xMin'), minY: attr(tag, 'yMin'), maxX: attr(tag, 'xMax'), maxY: attr(tag, 'yMax') },
        line,
      });
    }
    line++;
  }
  return words;
}

/** `qpdf --check`: clean only with exit 0 and no warning (exit 3 means warnings, 2 errors). */
export function qpdfCheck(file: string): { clean: boolean; summary: string; messages: string[] } {
  const { status, stdout, stderr } = run('qpdf', ['--check', file]);
  // qpdf prints warnings and errors on stderr, and on stdout only lines that start with WARNING (the
  // closing "No syntax or stream encoding errors found; the file may still contain errors..." is normal).
  const messages = [...stderr.split('\n'), ...stdout.split('\n').filter((l) => /^WARNING/i.test(l))]
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  const clean = status === 0 && messages.length === 0;
  return { clean, summary: clean ? 'clean' : `exit ${status}, ${messages.length} msg`, messages };
}

export interface PdfJsPage {
  /** Items joined as pdf.js's text layer shows them: a line break after each item that ends a line. */
  readonly text: string;
  /** User space → displayed page (points, origin top-left, y down), i.e. the scale-1 viewport. */
  readonly viewport: readonly number[];
  readonly rotate: number;
  /** pdf.js warnings printed while reading; a clean file has none. */
  readonly warnings: readonly string[];
}

/** Page 1 of `data` as pdf.js reads it (the test suite's read-back, the same options). */
export async function readWithPdfJs(data: Uint8Array): Promise<PdfJsPage> {
  const { pages, warnings } = await readBack(data);
  const page = pages[0];
  if (!page) throw new Error('pdf.js found no page');
  return { text: textOf(page), viewport: page.viewport, rotate: page.rotate, warnings };
}
