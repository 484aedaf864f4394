#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { UsageError } from './usage-error.js';

const help = `Usage: ocrkit <input.pdf|image> [options]     OCR into a searchable PDF (ocrkit <input> --help)
       ocrkit serve [options]                    serve the general-text API (ocrkit serve --help)
       ocrkit --version
`;

function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    process.stderr.write(help);
    return 2;
  }
  // Each command loads what it needs itself (the convert command starts the engine's models first).
  if (command === '-h' || command === '--help') {
    const { convertHelp } = await import('./convert-command.js');
    process.stdout.write(`${help}\n${convertHelp}`);
    return 0;
  }
  if (command === '-v' || command === '--version') {
    process.stdout.write(`ocrkit ${version()}\n`);
    return 0;
  }
  if (command === 'serve') {
    const { serveCommand } = await import('./serve-command.js');
    await serveCommand(rest, process.env);
    return 0;
  }
  const { convertCommand } = await import('./convert-command.js');
  return convertCommand(argv, process.env);
}

/** The error as a command-line user should read it: library wording that names options, in CLI terms. */
function cliMessage(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'PDF_PASSWORD_REQUIRED') return 'the PDF is encrypted: give its password with --password.';
  if (code === 'PDF_PASSWORD_WRONG')
    return '--password does not open the PDF (neither its user nor its owner password).';
  return (error as Error).message;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    const message = `${cliMessage(error)}${usage ? ' (see ocrkit --help)' : ''}`;
    process.exitCode = usage ? 2 : 1;
    if (process.argv.includes('--log-json')) {
      const code = (error as { code?: string }).code ?? null;
      process.stderr.write(`${JSON.stringify({ event: 'error', code, message, exitCode: process.exitCode })}\n`);
    } else {
      process.stderr.write(`ocrkit: ${message}\n`);
    }
  },
);
