// Line, reading-order and table metrics shared by the evaluation sets (ICDAR 2013 and the constructed
// pages), so both report the same figures.
import type { Box, Page } from '@ocrkit/layout';
import RBush from 'rbush';
import type { TruthLine } from './poppler-words.ts';

/** One-to-one matches of predicted to true lines with IoU >= 0.5, best IoU first. */
export function matchLines(predicted: readonly Box[], truth: readonly TruthLine[]): Map<number, number> {
  const tree = new RBush<Box & { index: number }>();
  tree.load(truth.map((t, index) => ({ ...t.box, index })));
  const pairs: [number, number, number][] = [];
  predicted.forEach((p, i) => {
    for (const t of tree.search(p)) {
      const v = iou(p, t);
      if (v >= 0.5) pairs.push([v, i, t.index]);
    }
  });
  pairs.sort((a, b) => b[0] - a[0]);
  const match = new Map<number, number>();
  const used = new Set<number>();
  for (const [, i, t] of pairs) {
    if (match.has(i) || used.has(t)) continue;
    match.set(i, t);
    used.add(t);
  }
  return match;
}

export function iou(a: Box, b: Box): number {
  const w = Math.min(a.maxX, b.maxX) - Math.max(a.minX, b.minX);
  const h = Math.min(a.maxY, b.maxY) - Math.max(a.minY, b.minY);
  if (w <= 0 || h <= 0) return 0;
  const area = (x: Box) => (x.maxX - x.minX) * (x.maxY - x.minY);
  return (w * h) / (area(a) + area(b) - w * h);
}

export function editDistance(a: readonly number[], b: readonly number[]): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = row;
  }
  return prev[b.length] as number;
}

export interface GridCell {
  /** In PDF points, y up (truth cells only). */
  readonly box?: Box;
  readonly r0: number;
  readonly r1: number;
  readonly c0: number;
  readonly c1: number;
  readonly text: string;
}

/** Adjacency relations of a grid: each cell with its next non-empty cell rightwards and downwards. */
export function relations(cells: readonly GridCell[]): string[] {
  const at = new Map<string, number>();
  cells.forEach((c, k) => {
    for (let r = c.r0; r <= c.r1; r++) for (let col = c.c0; col <= c.c1; col++) at.set(`${r},${col}`, k);
  });
  const maxCol = Math.max(...cells.map((c) => c.c1));
  const maxRow = Math.max(...cells.map((c) => c.r1));
  const found = new Set<string>();
  cells.forEach((c, k) => {
    if (!c.text) return;
    for (let r = c.r0; r <= c.r1; r++) {
      for (let col = c.c1 + 1; col <= maxCol; col++) {
        const other = at.get(`${r},${col}`);
        if (other === undefined || other === k || !cells[other]?.text) continue;
        found.add(`${c.text}\u0000${cells[other]?.text}\u0000h`);
        break;
      }
    }
    for (let col = c.c0; col <= c.c1; col++) {
      for (let r = c.r1 + 1; r <= maxRow; r++) {
        const other = at.get(`${r},${col}`);
        if (other === undefined || other === k || !cells[other]?.text) continue;
        found.add(`${c.text}\u0000${cells[other]?.text}\u0000v`);
        break;
      }
    }
  });
  return [...found];
}

// Case-folded: the -str.xml contents were typed by hand and some differ from the PDF's text in case only
// (eu-016 "domestic(%)" for "Domestic (%)"); this measures structure, not transcription.
export const norm = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').toLowerCase();

export function predictedRelations(page: Page): string[] {
  return page.tables.flatMap((t) =>
    relations(
      t.cells.map((c) => ({
        r0: c.row,
        r1: c.row + c.rowSpan - 1,
        c0: c.col,
        c1: c.col + c.colSpan - 1,
        text: norm(c.text),
      })),
    ),
  );
}

export function countMatches(predicted: readonly string[], truth: readonly string[]): number {
  const left = new Map<string, number>();
  for (const t of truth) left.set(t, (left.get(t) ?? 0) + 1);
  let hits = 0;
  for (const p of predicted) {
    const n = left.get(p) ?? 0;
    if (n > 0) {
      hits++;
      left.set(p, n - 1);
    }
  }
  return hits;
}

export const isMarker = (text: string) => /^[\p{P}\p{S}]{1,2}$/u.test(text.trim());

export const f1 = (hits: number, predicted: number, truth: number) =>
  predicted + truth === 0 ? 1 : (2 * hits) / (predicted + truth);
