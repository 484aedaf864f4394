import { readdirSync, readFileSync } from 'node:fs';
import type { Fixture } from './synthetic.js';

export interface ExpectedTable {
  readonly rows: number;
  readonly cols: number;
  /** `[row, col, rowSpan, colSpan, text]` */
  readonly cells: readonly (readonly [number, number, number, number, string])[];
}

export interface PageFixture extends Fixture {
  readonly expected: {
    /** Line texts in reading order. */
    readonly lines: readonly string[];
    /** Line texts of each block, in order. */
    readonly blocks: readonly (readonly string[])[];
    readonly tables: readonly ExpectedTable[];
    readonly text: string;
    readonly markdown?: string;
    /** Word texts of each line, when the fixture checks word splitting. */
    readonly words?: readonly (readonly string[])[];
  };
}

const dir = new URL('./fixtures/', import.meta.url);

export function loadFixtures(): PageFixture[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as PageFixture);
}
