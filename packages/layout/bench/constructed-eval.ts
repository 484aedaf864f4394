// Layout quality on pages whose reading order is known by construction (constructed-pages.ts), next to the
// ICDAR set, whose order truth is poppler's own and arbitrary inside charts.
// Input: the same path as ICDAR: each page is written to a temporary PDF and read back with
// `pdftotext -bbox-layout` (readPdf), one API block per word.
// Truth lines: the constructed lines, each with the pdftotext words whose centre falls in the box it was
// drawn in (so the geometry is poppler's, as for ICDAR), checked against the text drawn ("text ok").
// Truth order: construction order. Tables: the constructed grid. Metrics: metrics.ts, as for ICDAR.
// Reference columns: poppler's own lines, matched to the constructed lines by text, and the order
// distance of poppler's line order against the construction (what the ICDAR order truth carries).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Box, layout, lineText, type Page, toHocr } from '@ocrkit/layout';
import RBush from 'rbush';
import { checkHocr } from '../test/hocr-check.ts';
import { type ConstructedLine, type ConstructedPage, constructedPages } from './constructed-pages.ts';
import {
  countMatches,
  editDistance,
  f1,
  isMarker,
  matchLines,
  norm,
  predictedRelations,
  relations,
} from './metrics.ts';
import { PX_PER_PT, readPdf, type TruthLine } from './poppler-words.ts';

/** How many of the worst pages get a per-line diagnosis. */
const WORST_PAGES = 5;
const EXAMPLES = 4;

interface PageResult {
  readonly name: string;
  readonly features: string;
  readonly row: string[];
  /** 0 for a perfect page; the sum of the shortfalls in line F1, order and cell adjacency. */
  readonly badness: number;
  readonly notes: string[];
  /** Line hits, found, true; order edits, ordered; cell relation hits, found, true; poppler edits, ordered. */
  readonly totals: readonly number[];
}

const box = (quad: readonly (readonly [number, number])[]): Box => ({
  minX: Math.min(...quad.map((p) => p[0])),
  minY: Math.min(...quad.map((p) => p[1])),
  maxX: Math.max(...quad.map((p) => p[0])),
  maxY: Math.max(...quad.map((p) => p[1])),
});
const clip = (s: string, n = 48) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Indices into `seq` of a longest increasing subsequence; the rest are the lines read out of order. */
function increasing(seq: readonly number[]): Set<number> {
  const tails: number[] = [];
  const prev: number[] = [];
  seq.forEach((v, i) => {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((seq[tails[mid] as number] as number) < v) lo = mid + 1;
      else hi = mid;
    }
    prev[i] = lo > 0 ? (tails[lo - 1] as number) : -1;
    tails[lo] = i;
  });
  const keep = new Set<number>();
  for (let i = tails.at(-1) ?? -1; i >= 0; i = prev[i] as number) keep.add(i);
  return keep;
}

/** The constructed lines as truth lines: each with the pdftotext words drawn in its box. */
function truthLines(constructed: readonly ConstructedLine[], words: readonly Box[], texts: readonly string[]) {
  const tree = new RBush<Box & { index: number }>();
  // Grown by 1 pt sideways: pdftotext's word boxes round, the drawn box is exact.
  tree.load(
    constructed.map((l, index) => ({
      minX: (l.minX - 1) * PX_PER_PT,
      maxX: (l.maxX + 1) * PX_PER_PT,
      minY: l.minY * PX_PER_PT,
      maxY: l.maxY * PX_PER_PT,
      index,
    })),
  );
  const members = constructed.map(() => [] as number[]);
  let stray = 0;
  words.forEach((w, k) => {
    const x = (w.minX + w.maxX) / 2;
    const y = (w.minY + w.maxY) / 2;
    const hit = tree.search({ minX: x, maxX: x, minY: y, maxY: y })[0];
    if (hit) members[hit.index]?.push(k);
    else stray++;
  });
  const lines: (TruthLine & { order: number })[] = [];
  let textOk = 0;
  members.forEach((m, i) => {
    if (m.length === 0) return;
    const c = constructed[i] as ConstructedLine;
    const b = m.map((k) => words[k] as Box);
    lines.push({
      text: c.text,
      order: c.order,
      box: {
        minX: Math.min(...b.map((x) => x.minX)),
        minY: Math.min(...b.map((x) => x.minY)),
        maxX: Math.max(...b.map((x) => x.maxX)),
        maxY: Math.max(...b.map((x) => x.maxY)),
      },
    });
    const read = m
      .slice()
      .sort((a, z) => (words[a] as Box).minX - (words[z] as Box).minX)
      .map((k) => texts[k])
      .join('');
    if (norm(read) === norm(c.text)) textOk++;
  });
  return { lines, stray, textOk, lost: constructed.length - lines.length };
}

/** poppler's lines matched to truth lines by text (nearest first when a text repeats). */
function popplerByText(poppler: readonly TruthLine[], truth: readonly TruthLine[]): number[] {
  const byText = new Map<string, number[]>();
  truth.forEach((t, i) => {
    const key = norm(t.text);
    byText.set(key, [...(byText.get(key) ?? []), i]);
  });
  const used = new Set<number>();
  const out: number[] = [];
  for (const p of poppler) {
    const candidates = (byText.get(norm(p.text)) ?? []).filter((i) => !used.has(i));
    const dist = (i: number) => Math.abs((truth[i] as TruthLine).box.minY - p.box.minY);
    const best = candidates.sort((a, b) => dist(a) - dist(b))[0];
    if (best === undefined) continue;
    used.add(best);
    out.push(best);
  }
  return out;
}

function evaluatePage(c: ConstructedPage, file: string, xmllint: boolean): PageResult {
  const { name, features, lines: constructed, tables } = c;
  const p = readPdf(file)[0];
  if (!p) throw new Error(`pdftotext returned no page for ${file}: check that poppler reads the generated PDF`);
  const wordBoxes = p.words.map((w) => box(w.location));
  const truth = truthLines(
    constructed,
    wordBoxes,
    p.words.map((w) => w.words),
  );
  const page: Page = layout({
    width: p.width,
    height: p.height,
    result: { direction: -1, words_block_count: p.words.length, words_block_list: p.words },
  });
  const lines = page.blocks.flatMap((b) => b.lines);
  const match = matchLines(
    lines.map((l) => l.box),
    truth.lines,
  );
  // Truth lines are in construction order, so a truth index is its rank.
  const ours = lines
    .map((_, i) => match.get(i))
    .filter((t): t is number => t !== undefined && !isMarker((truth.lines[t] as TruthLine).text));
  const edits = editDistance(
    ours,
    [...ours].sort((a, b) => a - b),
  );
  const poppler = popplerByText(p.lines, truth.lines);
  const popplerEdits = editDistance(
    poppler,
    [...poppler].sort((a, b) => a - b),
  );
  const relTruth = tables.flatMap((cells) => relations(cells.map((c) => ({ ...c, text: norm(c.text) }))));
  const relPred = predictedRelations(page);
  const relHits = countMatches(relPred, relTruth);
  const hocr = toHocr([page], { title: name });
  const hocrProblems = checkHocr(hocr).length;
  const xmlBad = xmllint && spawnSync('xmllint', ['--noout', '--nonet', '-'], { input: hocr }).status !== 0;

  const lineF1 = f1(match.size, lines.length, truth.lines.length);
  const order = ours.length ? edits / ours.length : 0;
  const cellF1 = tables.length ? f1(relHits, relPred.length, relTruth.length) : undefined;

  const notes: string[] = [];
  const matched = new Set(match.values());
  const missed = truth.lines.map((_, i) => i).filter((i) => !matched.has(i));
  for (const i of missed.slice(0, EXAMPLES)) {
    const t = truth.lines[i] as TruthLine;
    // The lines of ours that overlap the missed one say whether it was split, merged or cut short.
    const over = lines.filter(
      (l) => l.box.minX < t.box.maxX && l.box.maxX > t.box.minX && l.box.minY < t.box.maxY && l.box.maxY > t.box.minY,
    );
    notes.push(`missed #${i} "${clip(t.text)}"; ours there: ${over.map((l) => `"${clip(lineText(l))}"`).join(', ')}`);
  }
  if (missed.length > EXAMPLES) notes.push(`… and ${missed.length - EXAMPLES} more missed lines`);
  const extra = lines.filter((_, i) => !match.has(i));
  for (const l of extra.slice(0, EXAMPLES)) {
    const under = truth.lines.findIndex(
      (t) => l.box.minX < t.box.maxX && l.box.maxX > t.box.minX && l.box.minY < t.box.maxY && l.box.maxY > t.box.minY,
    );
    notes.push(
      `extra line "${clip(lineText(l))}"${under < 0 ? '' : ` inside #${under} "${clip((truth.lines[under] as TruthLine).text)}"`}`,
    );
  }
  if (extra.length > EXAMPLES) notes.push(`… and ${extra.length - EXAMPLES} more extra lines`);
  const keep = increasing(ours);
  const moved = ours.map((t, k) => ({ t, k })).filter(({ k }) => !keep.has(k));
  for (const { t, k } of moved.slice(0, EXAMPLES)) {
    const before = ours[k - 1];
    notes.push(
      `out of order #${t} "${clip((truth.lines[t] as TruthLine).text)}" read after #${before ?? '-'} "${before === undefined ? '' : clip((truth.lines[before] as TruthLine).text, 30)}"`,
    );
  }
  if (moved.length > EXAMPLES) notes.push(`… and ${moved.length - EXAMPLES} more lines out of order`);
  if (tables.length !== page.tables.length)
    notes.push(`tables: ${tables.length} constructed, ${page.tables.length} found`);
  if (cellF1 !== undefined && cellF1 < 1) {
    const found = new Set(relPred);
    const lost = relTruth.filter((r) => !found.has(r)).slice(0, 3);
    notes.push(`cell relations missed: ${lost.map((r) => r.split('\u0000').join(' → ')).join('; ')}`);
  }

  return {
    name,
    features,
    badness:
      1 - lineF1 + order + (cellF1 === undefined ? 0 : 1 - cellF1) + (tables.length === 0 ? page.tables.length : 0),
    notes,
    row: [
      name,
      String(p.words.length),
      `${truth.lines.length}/${constructed.length}`,
      `${truth.textOk}${truth.stray ? ` (+${truth.stray} stray)` : ''}`,
      lineF1.toFixed(3),
      order.toFixed(3),
      `${poppler.length}`,
      (poppler.length ? popplerEdits / poppler.length : 0).toFixed(3),
      `${tables.length}/${page.tables.length}`,
      cellF1 === undefined ? '-' : cellF1.toFixed(3),
      String(hocrProblems),
      xmllint ? (xmlBad ? '1' : '0') : '-',
    ],
    totals: [
      match.size,
      lines.length,
      truth.lines.length,
      edits,
      ours.length,
      relHits,
      relPred.length,
      relTruth.length,
      popplerEdits,
      poppler.length,
    ],
  };
}

export async function evalConstructed(options: { only?: string | undefined; xmllint: boolean; seed?: number }) {
  const pages = await constructedPages({ seed: options.seed ?? 1, ...(options.only ? { only: options.only } : {}) });
  if (pages.length === 0) return;
  const dir = mkdtempSync(join(tmpdir(), 'ocrkit-layout-constructed-'));
  const results: PageResult[] = [];
  try {
    for (const c of pages) {
      const file = join(dir, `${c.name}.pdf`);
      writeFileSync(file, c.pdf);
      results.push(evaluatePage(c, file, options.xmllint));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const sum = (k: number) => results.reduce((s, r) => s + (r.totals[k] as number), 0);
  const head = [
    'page',
    'words',
    'truth lines/drawn',
    'text ok',
    'line F1',
    'order dist',
    'poppler lines = drawn',
    'poppler order dist',
    'tables drawn/found',
    'cell adj F1',
    'hocr problems',
    'xmllint errors',
  ];
  console.log(
    `\nConstructed pages (${pages.length}, seed ${options.seed ?? 1}; reading order known by construction), pdftotext -bbox-layout words at ${PX_PER_PT} px/pt\n`,
  );
  console.log(`| ${head.join(' | ')} |`);
  console.log(`|${head.map(() => ' ---').join(' |')} |`);
  for (const r of results) console.log(`| ${r.row.join(' | ')} |`);
  console.log(
    `| **all** | ${results.reduce((s, r) => s + Number(r.row[1]), 0)} | | | ${f1(sum(0), sum(1), sum(2)).toFixed(3)} | ${(sum(3) / Math.max(sum(4), 1)).toFixed(3)} | ${sum(9)} | ${(sum(8) / Math.max(sum(9), 1)).toFixed(3)} | | ${f1(sum(5), sum(6), sum(7)).toFixed(3)} | | |`,
  );
  console.log(
    `\nlines: ${sum(0)} matched of ${sum(1)} found / ${sum(2)} true; cell adjacency: ${sum(5)} matched of ${sum(6)} found / ${sum(7)} true (pages with a constructed table).`,
  );
  const worst = [...results].filter((r) => r.badness > 0).sort((a, b) => b.badness - a.badness);
  if (worst.length === 0) return;
  console.log(
    `\nWorst constructed pages (${Math.min(WORST_PAGES, worst.length)} of ${worst.length} with a shortfall):`,
  );
  for (const r of worst.slice(0, WORST_PAGES)) {
    console.log(`\n${r.name} (${r.features}): line F1 ${r.row[4]}, order ${r.row[5]}, cell adj ${r.row[9]}`);
    for (const n of r.notes) console.log(`  - ${n}`);
  }
}
