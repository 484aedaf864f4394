/**
 * Levenshtein distance with unit costs, O(n·m) time in two rows of O(m) memory: the texts the benches
 * compare are a few thousand characters, so 10⁷ cells at most, a few tens of milliseconds.
 */
export function levenshtein<T>(a: readonly T[], b: readonly T[]): number {
  if (a.length < b.length) [a, b] = [b, a];
  let previous = Int32Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Int32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    const ai = a[i - 1];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j - 1] as number) + (ai === b[j - 1] ? 0 : 1),
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
      );
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length] as number;
}
