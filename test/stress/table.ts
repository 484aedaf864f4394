/** Prints a Markdown table (the suites' summaries go into issue notes as they are). */
export function printTable(head: readonly string[], rows: readonly (readonly (string | number)[])[]): void {
  const cell = (value: string | number) => String(value).replaceAll('|', '\\|').replaceAll('\n', ' ');
  console.log(`\n| ${head.map(cell).join(' | ')} |`);
  console.log(`|${head.map(() => '---').join('|')}|`);
  for (const row of rows) console.log(`| ${row.map(cell).join(' | ')} |`);
}

/** Milliseconds since `started` (a `performance.now()`), rounded. */
export function since(started: number): number {
  return Math.round(performance.now() - started);
}

/**
 * The suite's verdict, last in its output: every failure, one a line, and exit code 1; or `allClear`.
 * Returns whether the suite passed.
 */
export function verdict(failures: readonly string[], allClear: string): boolean {
  if (failures.length > 0) {
    console.log(`\nFAILURES (${failures.length}):\n${failures.map((line) => `  ${line}`).join('\n')}`);
    process.exitCode = 1;
    return false;
  }
  console.log(`\n${allClear}`);
  return true;
}
