import RBush from 'rbush';
import { centreY, type Item } from './item.js';

/**
 * Reading order where no cut separates the items, after Breuel (2003, "High performance document layout
 * analysis", section 5): `a` precedes `b` when they overlap horizontally and `a` is above, or when `a`
 * is entirely left of `b` and no item between them vertically overlaps both horizontally. The partial
 * order is completed top-first (then left-first); a cycle, which skewed overlaps can make, is broken
 * the same way. Candidate pairs come from an R-tree over the items.
 */
export function topologicalOrder<T extends Item>(items: readonly T[]): T[] {
  const n = items.length;
  const tree = new RBush<{ minX: number; minY: number; maxX: number; maxY: number; index: number }>();
  tree.load(
    items.map((item, index) => ({ minX: item.minX, minY: item.minY, maxX: item.maxX, maxY: item.maxY, index })),
  );
  const after: number[][] = Array.from({ length: n }, () => []);
  const indegree = new Int32Array(n);
  const edge = (a: number, b: number) => {
    (after[a] as number[]).push(b);
    indegree[b] = (indegree[b] ?? 0) + 1;
  };
  items.forEach((a, i) => {
    const ay = centreY(a);
    for (const hit of tree.search({ minX: a.minX, maxX: a.maxX, minY: -Infinity, maxY: Infinity })) {
      const b = items[hit.index] as T;
      if (hit.index === i || Math.min(a.maxX, b.maxX) <= Math.max(a.minX, b.minX)) continue;
      const by = centreY(b);
      if (ay < by || (ay === by && i < hit.index)) edge(i, hit.index);
    }
    for (const hit of tree.search({ minX: a.maxX, maxX: Infinity, minY: -Infinity, maxY: Infinity })) {
      const b = items[hit.index] as T;
      if (hit.index === i || b.minX < a.maxX) continue;
      const by = centreY(b);
      const between = tree.search({ minX: a.maxX, maxX: b.minX, minY: Math.min(ay, by), maxY: Math.max(ay, by) });
      const blocked = between.some((c) => {
        const cy = (c.minY + c.maxY) / 2;
        return (
          c.index !== i &&
          c.index !== hit.index &&
          c.minX < a.maxX &&
          c.maxX > b.minX &&
          cy > Math.min(ay, by) &&
          cy < Math.max(ay, by)
        );
      });
      if (!blocked) edge(i, hit.index);
    }
  });
  const done = new Uint8Array(n);
  const order: T[] = [];
  const before = (i: number, j: number) => {
    const a = items[i] as T;
    const b = items[j] as T;
    return a.minY < b.minY || (a.minY === b.minY && a.minX < b.minX);
  };
  for (let k = 0; k < n; k++) {
    let pick = -1;
    let fallback = -1;
    for (let i = 0; i < n; i++) {
      if (done[i]) continue;
      if (fallback < 0 || before(i, fallback)) fallback = i;
      if (indegree[i] === 0 && (pick < 0 || before(i, pick))) pick = i;
    }
    const chosen = pick >= 0 ? pick : fallback;
    done[chosen] = 1;
    order.push(items[chosen] as T);
    for (const b of after[chosen] as number[]) indegree[b] = (indegree[b] ?? 0) - 1;
  }
  return order;
}
