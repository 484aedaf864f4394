// A child process hosting one in-process OCR tool for bench/pages.ts: `node bench/ocr-worker.ts engine|gutenye`.
// Each tool gets a process of its own so that its peak RSS is its own, and so that @gutenye/ocr-node's sharp
// 0.33 (its own libvips) never shares a process with the engine's sharp 0.35.
//
// Protocol: one JSON request per line on stdin; one JSON reply per line on fd 3 (stdout is left to the
// libraries, which may log). After loading: {ready, loadMs} or {error}. Requests:
//   {path, runs}  → {texts, ms, stages?} or {error}; only recognition is timed, not reading the file
//   {exit: true}  → {maxRssKiB}, then the process exits
import { subscribe } from 'node:diagnostics_channel';
import { readFile } from 'node:fs/promises';
import { Socket } from 'node:net';
import { createInterface } from 'node:readline';
import type { RecognizeTimings } from '@ocrkit/engine';

/**
 * Where the engine's time went in one call, in ms, from the engine's `ocrkit:engine:recognize`
 * diagnostics channel (the models run in worker threads, so their runs cannot be timed from here).
 */
export interface Stages {
  /** Decoding the image into shared memory. */
  readonly decode: number;
  /** Scaling, the detection model and DB post-processing. */
  readonly detect: number;
  /** The 0/180 direction classifier. */
  readonly classify: number;
  /** Line crops, recognition and CTC decoding, spread over the workers. */
  readonly read: number;
  /** Everything else: waiting for the models to load, reading order, building the result. */
  readonly other: number;
}

export type WorkerReply =
  | { readonly ready: true; readonly loadMs: number; readonly version: string }
  | { readonly texts: string[]; readonly ms: number[]; readonly stages?: Stages[] }
  | { readonly maxRssKiB: number }
  | { readonly error: string };

interface Reader {
  readonly version: string;
  read(path: string, bytes: Uint8Array): Promise<string>;
}

const replies = new Socket({ fd: 3, readable: false });
const reply = (message: WorkerReply, then?: () => void) => replies.write(`${JSON.stringify(message)}\n`, then);

let lastTimings: RecognizeTimings | undefined;

function stagesOf(start: number, end: number): Stages {
  const t = lastTimings;
  if (!t) throw new Error('the engine published no timings on ocrkit:engine:recognize');
  const stages = { decode: t.decodeMs, detect: t.detectMs, classify: t.classifyMs, read: t.readMs };
  return { ...stages, other: end - start - Object.values(stages).reduce((sum, v) => sum + v, 0) };
}

async function engineReader(): Promise<Reader> {
  const { createEngine } = await import('@ocrkit/engine');
  const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  subscribe('ocrkit:engine:recognize', (timings) => {
    lastTimings = timings as RecognizeTimings;
  });
  // BENCH_ENGINE_OPTIONS: createEngine() options as JSON, to compare settings (e.g. {"detectMaxSidePx":1280}).
  const engine = createEngine(JSON.parse(process.env.BENCH_ENGINE_OPTIONS ?? '{}'));
  await engine.ready();
  return {
    version: `@ocrkit/engine ${version}`,
    async read(_path, bytes) {
      const result = await engine.recognize(bytes, { detect_direction: true });
      return result.words_block_list.map((block) => block.words).join('\n');
    },
  };
}

async function gutenyeReader(): Promise<Reader> {
  const { default: Ocr } = await import('@gutenye/ocr-node');
  // Its typings declare create() as Promise<any>; the instance is ocr-common's Ocr.
  const ocr = (await Ocr.create()) as { detect(path: string): Promise<{ text: string }[]> };
  // Its exports map hides package.json; the entry point is build/index.js.
  const manifest = new URL('../package.json', import.meta.resolve('@gutenye/ocr-node'));
  const { version } = JSON.parse(await readFile(manifest, 'utf8')) as { version: string };
  return {
    version: `@gutenye/ocr-node ${version}`,
    // It takes a path and decodes the file itself, so its time includes reading and decoding the file.
    async read(path) {
      const lines = await ocr.detect(path);
      return lines.map((line) => line.text).join('\n');
    },
  };
}

const tool = process.argv[2];
const started = performance.now();
const reader = await (tool === 'engine' ? engineReader() : tool === 'gutenye' ? gutenyeReader() : undefined)?.catch(
  (error: Error) => error,
);
if (!reader || reader instanceof Error) {
  reply({ error: reader?.message ?? `Unknown tool "${tool}": pass engine or gutenye.` }, () => process.exit(1));
} else {
  reply({ ready: true, loadMs: performance.now() - started, version: reader.version });
  await serve(reader);
}

async function serve(reader: Reader): Promise<void> {
  for await (const line of createInterface({ input: process.stdin })) {
    const request = JSON.parse(line) as { path: string; runs: number } | { exit: true };
    if ('exit' in request) {
      reply({ maxRssKiB: process.resourceUsage().maxRSS }, () => process.exit(0));
      return;
    }
    try {
      const bytes = new Uint8Array(await readFile(request.path));
      const texts: string[] = [];
      const ms: number[] = [];
      const stages: Stages[] = [];
      for (let i = 0; i < request.runs; i++) {
        lastTimings = undefined;
        const start = performance.now();
        texts.push(await reader.read(request.path, bytes));
        const end = performance.now();
        ms.push(end - start);
        if (tool === 'engine') stages.push(stagesOf(start, end));
      }
      reply(tool === 'engine' ? { texts, ms, stages } : { texts, ms });
    } catch (error) {
      const { code, message } = error as { code?: string; message: string };
      reply({ error: code ? `${code}: ${message}` : message });
    }
  }
}
