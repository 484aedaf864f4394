import { UsageError } from './usage-error.js';

/** "1-3,7" → [1, 2, 3, 7]: 1-based, in order, without repeats. */
export function parsePageRanges(text: string): number[] {
  const pages: number[] = [];
  for (const part of text.split(',')) {
    const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    const first = Number(match?.[1]);
    const last = match?.[2] === undefined ? first : Number(match[2]);
    if (!match || first < 1 || last < first || last - first > 100_000) {
      throw new UsageError(`--pages takes ranges like 1-3,7; "${part.trim()}" is not one.`);
    }
    for (let page = first; page <= last; page++) if (!pages.includes(page)) pages.push(page);
  }
  return pages;
}
