#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { serveCommand } from './serve-command.js';
import { UsageError } from './usage-error.js';

const help = `Usage: ocrkit <command> [options]

Commands:
  serve          serve the general-text OCR API on the embedded engine (ocrkit serve --help)

Options:
  -h, --help     this help
  -v, --version  the version

Converting PDFs and images (ocrkit scan.pdf -o scan.ocr.pdf) is not in this version yet.
`;

function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help') {
    process.stdout.write(help);
    return command === undefined ? 2 : 0;
  }
  if (command === '-v' || command === '--version') {
    process.stdout.write(`ocrkit ${version()}\n`);
    return 0;
  }
  if (command === 'serve') {
    await serveCommand(rest, process.env);
    return 0;
  }
  throw new UsageError(`unknown command ${JSON.stringify(command)}.`);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`ocrkit: ${(error as Error).message}${usage ? ' (see ocrkit --help)' : ''}\n`);
    process.exitCode = usage ? 2 : 1;
  },
);
