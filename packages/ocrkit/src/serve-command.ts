import { parseArgs } from 'node:util';
import type { AccessKeyCredentials } from '@ocrkit/client';
import { type LimitsPreset, resolveLimits } from '@ocrkit/protocol';
import { startServer } from '@ocrkit/server';
import { UsageError } from './usage-error.js';

export const serveHelp = `Usage: ocrkit serve [options]

Serves the general-text API (POST /v2/{project_id}/ocr/general-text) on the embedded engine.

Options:
  --host HOST             address to listen on (default 127.0.0.1)
  --port N                port (default 8086; 0 picks a free one)
  --token T               accept this X-Auth-Token; repeat for more (also OCRKIT_SERVER_TOKENS=a,b).
                          With none, any non-empty token is accepted.
  --access-key AK:SK      accept requests signed with this key pair; repeat for more
                          (also OCRKIT_SERVER_ACCESS_KEYS=AK1:SK1,AK2:SK2)
  --limits seed|current   image limits (default seed: 4096 px, JPEG/PNG/BMP/TIFF)
  --allow-private-urls    let url mode fetch from loopback and private addresses
  --max-queue N           requests waiting before 429 APIG.0308 (default 16)
  --quiet                 no request log lines
  -h, --help              this help
`;

/** `ocrkit serve`: runs until SIGINT/SIGTERM, then shuts down gracefully. */
export async function serveCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8086' },
      token: { type: 'string', multiple: true, default: [] },
      'access-key': { type: 'string', multiple: true, default: [] },
      limits: { type: 'string', default: 'seed' },
      'allow-private-urls': { type: 'boolean', default: false },
      'max-queue': { type: 'string', default: '16' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(serveHelp);
    return;
  }
  const port = integer('--port', values.port, 0, 65535);
  const maxQueue = integer('--max-queue', values['max-queue'], 0, 100_000);
  if (values.limits !== 'seed' && values.limits !== 'current') {
    throw new UsageError(`--limits must be seed or current, got ${JSON.stringify(values.limits)}.`);
  }
  const tokens = [...values.token, ...list(env.OCRKIT_SERVER_TOKENS)];
  const accessKeys = [...values['access-key'], ...list(env.OCRKIT_SERVER_ACCESS_KEYS)].map(keyPair);

  const server = await startServer({
    host: values.host,
    port,
    tokens,
    accessKeys,
    limits: resolveLimits(values.limits as LimitsPreset),
    allowPrivateUrls: values['allow-private-urls'],
    maxQueue,
    ...(values.quiet ? { log: false as const } : {}),
  });
  const say = (line: string) => process.stderr.write(`ocrkit serve: ${line}\n`);
  say(`listening on ${server.url} (POST /v2/{project_id}/ocr/general-text, GET /health)`);
  if (tokens.length === 0 && accessKeys.length === 0) {
    say('accepting any non-empty X-Auth-Token: pass --token (or OCRKIT_SERVER_TOKENS) to restrict');
  }
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      say(`${signal}: finishing requests in flight`);
      server.close().then(resolve, resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

function integer(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}.`);
  }
  return value;
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function keyPair(text: string): AccessKeyCredentials {
  const at = text.indexOf(':');
  if (at <= 0 || at === text.length - 1) throw new UsageError(`--access-key takes AK:SK, got ${JSON.stringify(text)}.`);
  return { accessKey: text.slice(0, at), secretKey: text.slice(at + 1) };
}
