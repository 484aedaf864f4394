import { RasterizeError } from './errors.js';

/** The pages to produce, 1-based, in order: `pages` checked against `count`, or all of them. */
export function selectPages(count: number, pages: readonly number[] | undefined, what: string): number[] {
  if (pages === undefined) return Array.from({ length: count }, (_, i) => i + 1);
  for (const page of pages) {
    if (page > count) {
      throw new RasterizeError(
        'PAGE_OUT_OF_RANGE',
        `Page ${page} was asked for, but the ${what} has ${count} page${count === 1 ? '' : 's'}; ask for pages 1..${count}.`,
        { pageNumber: page },
      );
    }
  }
  return [...pages];
}
