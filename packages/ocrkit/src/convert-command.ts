import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parseArgs } from 'node:util';
import type { OcrClient } from '@ocrkit/client';
import { createEngine } from '@ocrkit/engine';
import type { TextRecognizer } from '@ocrkit/protocol';
import type { PageResult } from './convert.js';
import { isPdf } from './input-kind.js';
import type { OutputPaths } from './outputs.js';
import { parsePageRanges } from './page-ranges.js';
import { type ProgressFormat, ProgressReporter } from './progress.js';
import { ResumeState } from './resume-state.js';
import { UsageError } from './usage-error.js';

export const convertHelp = `Usage: ocrkit <input.pdf|image> [options]

OCRs a PDF or an image with the embedded engine (or the cloud service) and writes a searchable PDF.
With no output option it writes <input>.ocr.pdf beside the input.

Outputs:
  -o, --output F        searchable PDF
  --text F              plain text in reading order
  --markdown F          Markdown (tables as tables)
  --hocr F              hOCR 1.2
  --json F              the API's result and the layout of every page

Options:
  --pages 1-3,7         pages to convert (default all)
  --dpi N               rendering resolution for PDF pages (default 300)
  --jobs N              pages recognized at once (default 2 locally, 4 with --cloud/--endpoint)
  --password P          password of an encrypted PDF (text outputs only: the PDF output needs a decrypted file)
  --force               also OCR pages that already have text (replacing a layer ocrkit added before);
                        by default they are kept as they are
  --resume              continue an interrupted run from its finished pages (kept in <output>.ocrkit-resume)
  --cloud               use the Huawei Cloud service: OCRKIT_TOKEN or HUAWEICLOUD_SDK_AK/SK,
                        OCRKIT_REGION, OCRKIT_PROJECT_ID
  --endpoint URL        use any server speaking the API (e.g. ocrkit serve)
  --quiet               no progress, only errors
  --log-json            progress as JSON lines on stderr, for machines (events: page, page-failed,
                        page-skipped, note, done, interrupted, error)
  -h, --help            this help

Exit codes: 0 done; 1 failed; 2 bad usage; 3 some pages failed (the others were written).
`;

function parseCommand(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      output: { type: 'string', short: 'o' },
      text: { type: 'string' },
      markdown: { type: 'string' },
      hocr: { type: 'string' },
      json: { type: 'string' },
      pages: { type: 'string' },
      dpi: { type: 'string' },
      jobs: { type: 'string' },
      password: { type: 'string' },
      cloud: { type: 'boolean', default: false },
      endpoint: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      'log-json': { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      resume: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
}

/** `ocrkit <input>`: resolves to the exit code. */
export async function convertCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseCommand(argv);
  if (values.help) {
    process.stdout.write(convertHelp);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('give exactly one input file.');
  const input = positionals[0] as string;
  if (values.cloud && values.endpoint) throw new UsageError('use --cloud or --endpoint, not both.');
  const paths: OutputPaths = {
    ...(values.output !== undefined ? { pdf: values.output } : {}),
    ...(values.text !== undefined ? { text: values.text } : {}),
    ...(values.markdown !== undefined ? { markdown: values.markdown } : {}),
    ...(values.hocr !== undefined ? { hocr: values.hocr } : {}),
    ...(values.json !== undefined ? { json: values.json } : {}),
  };
  const outputs = Object.keys(paths).length > 0 ? paths : { pdf: defaultOutput(input) };
  const pages = values.pages === undefined ? undefined : parsePageRanges(values.pages);
  const dpi = values.dpi === undefined ? undefined : integer('--dpi', values.dpi, 20, 1200);
  const jobs = values.jobs === undefined ? undefined : integer('--jobs', values.jobs, 1, 64);

  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(input));
  } catch (error) {
    throw new Error(`cannot read ${input}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const password = values.password ? { password: values.password } : {};
  if (outputs.pdf !== undefined && isPdf(bytes)) {
    const { isEncrypted } = await import('@ocrkit/pdf');
    if (await isEncrypted(bytes)) {
      // Checked before any OCR: the searchable PDF could not be written at the end.
      throw new Error(
        `${input} is encrypted: a searchable PDF needs a decrypted copy (qpdf --decrypt --password=... in.pdf out.pdf); ` +
          'text, Markdown, hOCR and JSON outputs work with --password.',
      );
    }
  }
  const remote = await remoteRecognizer(values.cloud, values.endpoint, env);
  // pdf.js counts a PDF's pages and looks at the first ones for text (not with --force); rasterize counts
  // an image's, and reports with its typed error a document that cannot be opened.
  let probe: { numPages: number; withoutText: Set<number> } | undefined;
  if (isPdf(bytes)) {
    const { textLayerPages } = await import('./text-layer-pages.js');
    const looked = { ...(pages ? { pages } : {}), limit: values.force ? 0 : 3, ...password };
    probe = await textLayerPages(bytes, looked).catch(() => undefined);
  }
  const { pageCount } = await import('@ocrkit/rasterize');
  const requested = pages ?? range(probe?.numPages ?? (await pageCount(bytes, password)));
  const progress = new ProgressReporter(requested.length, { format: progressFormat(values) });
  // Finished pages go to a file beside the output as they come, so that a killed run loses nothing.
  const statePath = `${outputs.pdf ?? Object.values(outputs)[0]}.ocrkit-resume`;
  const settings = {
    dpi: dpi ?? 300,
    force: values.force,
    recognizer: values.cloud ? 'cloud' : (values.endpoint ?? 'local'),
  };
  const { state, finished } = await ResumeState.open(statePath, bytes, settings, values.resume);
  const kept = finished.filter((page) => requested.includes(page.pageNumber));
  const remaining = requested.filter((pageNumber) => !kept.some((page) => page.pageNumber === pageNumber));
  if (kept.length > 0) progress.note(`resuming: ${kept.length} of ${requested.length} pages were done before`);

  const engine = remote ? undefined : createEngine();
  // The embedded engine's models take about a second to load, on worker threads: they start now when a
  // page left to read needs them (an image; --force; a PDF whose first pages include one without text),
  // while this thread loads the rest of the pipeline (pdf-lib, the layout) and renders the first page;
  // otherwise convert() starts them once a page without text turns up.
  const needsModels = !isPdf(bytes) || (probe !== undefined && (values.force || probe.withoutText.size > 0));
  if (engine && remaining.length > 0 && needsModels) engine.ready().catch(() => {});
  const recognizer = remote ?? (engine as TextRecognizer);
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (recognizer as { close?: () => Promise<void> }).close?.() ?? Promise.resolve();
    return closing;
  };
  try {
    const [{ convert, isFailure, isSkipped }, { writeOutputs }] = await Promise.all([
      import('./convert.js'),
      import('./outputs.js'),
    ]);
    const controller = new AbortController();
    const onSignal = () => controller.abort(new Error('interrupted'));
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);

    const done: PageResult[] = [...kept];
    let failed = 0;
    let skipped = 0;
    try {
      const pending =
        remaining.length === 0
          ? []
          : convert(bytes, {
              signal: controller.signal,
              recognizer,
              pages: remaining,
              ...(dpi ? { dpi } : {}),
              ...(jobs ? { concurrency: jobs } : {}),
              ...(values.password ? { password: values.password } : {}),
              skipPagesWithText: !values.force,
            });
      for await (const page of pending) {
        if (isSkipped(page)) {
          skipped++;
          progress.skipped(page.pageNumber, done.length + failed + skipped);
        } else if (isFailure(page)) {
          failed++;
          progress.page(page.pageNumber, done.length + failed + skipped, page.error);
        } else {
          done.push(page);
          await state.add(page);
          progress.page(page.pageNumber, done.length + failed + skipped);
        }
      }
    } catch (error) {
      progress.end();
      if (controller.signal.aborted) {
        progress.interrupted(done.length, statePath);
        return 130;
      }
      throw error;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      // The engine's workers give their memory back before the outputs are written.
      await close();
    }
    progress.end();
    if (done.length === 0 && failed === 0) {
      await state.remove();
      progress.note(`every page of ${input} already has text; nothing written (--force to OCR them).`);
      progress.done({ pages: 0, failed: 0, outputs: [], exitCode: 0 });
      return 0;
    }
    if (done.length === 0) throw new Error(`no page of ${input} could be read (${failed} failed).`);
    done.sort((a, b) => requested.indexOf(a.pageNumber) - requested.indexOf(b.pageNumber));
    await writeOutputs(bytes, done, outputs, { title: basename(input), redo: values.force });
    // With failed pages the state stays: --resume then retries only those.
    if (failed === 0) await state.remove();
    const exitCode = failed > 0 ? 3 : 0;
    progress.done({ pages: done.length, failed, outputs: Object.values(outputs), exitCode });
    return exitCode;
  } finally {
    await close();
  }
}

function progressFormat(values: { quiet: boolean; 'log-json': boolean }): ProgressFormat {
  if (values['log-json']) return 'json';
  if (values.quiet) return 'quiet';
  return process.stderr.isTTY === true ? 'bar' : 'lines';
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i + 1);
}

/** scan.pdf → scan.ocr.pdf; photo.jpg → photo.ocr.pdf. */
export function defaultOutput(input: string): string {
  const extension = extname(input);
  return `${extension ? input.slice(0, -extension.length) : input}.ocr.pdf`;
}

async function remoteRecognizer(
  cloud: boolean,
  endpoint: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<OcrClient | undefined> {
  if (!cloud && endpoint === undefined) return undefined;
  const { connectionFromEnv, credentialsFromEnv, OcrClient } = await import('@ocrkit/client');
  if (cloud) return new OcrClient(connectionFromEnv(env));
  if (endpoint === undefined) return undefined;
  // ocrkit serve accepts any token unless told otherwise; a real service needs the environment's.
  const credentials = credentialsFromEnv(env) ?? { token: 'ocrkit' };
  return new OcrClient({ endpoint, projectId: env.OCRKIT_PROJECT_ID ?? 'ocrkit', credentials });
}

function integer(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}.`);
  }
  return value;
}
