import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildReport } from './rasterize-child.ts';

const child = fileURLToPath(new URL('./rasterize-child.ts', import.meta.url));

export type ChildOutcome =
  /** `seconds`: the child process's wall time, Node's start-up and imports included. */
  | { readonly ok: true; readonly report: ChildReport; readonly seconds: number }
  | { readonly ok: false; readonly reason: string; readonly seconds: number };

/** Runs rasterize-child.ts on `args`; a crash, a non-zero exit or `killAfterMs` passing is the outcome. */
export function runChild(args: readonly string[], killAfterMs: number): Promise<ChildOutcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [child, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
    });
    proc.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => proc.kill('SIGKILL'), killAfterMs);
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      const seconds = (performance.now() - started) / 1000;
      const line = stdout.trim().split('\n').at(-1) ?? '';
      if (code === 0 && line.startsWith('{')) {
        resolve({ ok: true, report: JSON.parse(line) as ChildReport, seconds });
        return;
      }
      const why =
        signal === 'SIGKILL' && seconds * 1000 >= killAfterMs
          ? `HANG (killed after ${killAfterMs} ms)`
          : `CRASH (exit ${code ?? signal})`;
      const detail = stderr.trim().split('\n').filter(Boolean).slice(-2).join(' | ').slice(0, 200);
      resolve({ ok: false, reason: `${why} ${detail}`, seconds });
    });
  });
}
