// Where the public corpora are and which PDFs they hold, for the benchmark and the sweep.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const corporaDir = process.env.OCRKIT_CORPORA
  ? resolve(process.env.OCRKIT_CORPORA)
  : fileURLToPath(new URL('../../../../shared/corpora', import.meta.url));

export interface CorpusPdf {
  /** `folder/name.pdf`, for reports. */
  readonly name: string;
  readonly path: string;
  readonly password: string | undefined;
}

/** Every PDF of `folder` (pdfjs keeps them under pdfs/), with pdf.js's test passwords; [] when absent. */
export function corpusPdfs(folder: string): CorpusPdf[] {
  const root = join(corporaDir, folder);
  const dir = existsSync(join(root, 'pdfs')) ? join(root, 'pdfs') : root;
  if (!existsSync(dir)) return [];
  const passwords = manifestPasswords(join(root, 'test_manifest.json'));
  return readdirSync(dir)
    .filter((name) => name.toLowerCase().endsWith('.pdf'))
    .sort()
    .map((name) => ({ name: `${folder}/${name}`, path: join(dir, name), password: passwords.get(name) }));
}

/** pdf.js's test manifest: `{ file: "pdfs/x.pdf", password: "..." }` entries. */
function manifestPasswords(path: string): Map<string, string> {
  const passwords = new Map<string, string>();
  if (!existsSync(path)) return passwords;
  const entries = JSON.parse(readFileSync(path, 'utf8')) as { file?: string; password?: string }[];
  for (const entry of entries) {
    if (entry.file && typeof entry.password === 'string') passwords.set(basename(entry.file), entry.password);
  }
  return passwords;
}
