// Layout quality on born-digital PDFs, fed with ground-truth word boxes so OCR errors do not blur it.
// Input: `pdftotext -bbox-layout` words (poppler), one API block per word, at 144 dpi (2 px per point).
// Truth: pdftotext's own lines (for line F1 at IoU >= 0.5 and for reading order: the edit distance
// between our order of matched lines and poppler's, divided by their count; inside ICDAR table regions
// row by row by the ground truth's grid, see `expectedRanks`) and the ICDAR 2013 table
// competition's -str.xml cells (cell adjacency F1 after Göbel et al. 2012: each cell's next non-empty
// neighbour to the right and below, compared by content). hOCR of every page goes through our
// hocr-check equivalent and, when installed, `xmllint --noout`.
// Charts: text inside a figure region (figures.ts: a cluster of non-text marks found by Ghostscript from
// the PDF's drawing, not an ICDAR table region, holding labels rather than running text) has no reading
// order in poppler's line order, so the order distance leaves it out; the summary also gives the order
// distance with it. Without Ghostscript no text is left out, and the output says so.
// Then the same metrics (metrics.ts) on pages built with a known reading order (constructed-eval.ts).
// Run: pnpm --filter @ocrkit/layout eval   (after pnpm build). Corpus: ../shared/corpora/icdar2013,
// or OCRKIT_CORPORA=/path/to/corpora; a missing corpus skips the ICDAR set, missing poppler both; each
// prints why. EVAL_ONLY=name keeps the ICDAR files and constructed pages whose name contains it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Box, layout, type Page, toHocr } from '@ocrkit/layout';
import { checkHocr } from '../test/hocr-check.ts';
import { evalConstructed } from './constructed-eval.ts';
import { figureRegions, hasGhostscript } from './figures.ts';
import {
  countMatches,
  editDistance,
  f1,
  type GridCell,
  isMarker,
  matchLines,
  norm,
  predictedRelations,
  relations,
} from './metrics.ts';
import { attr, decode, PX_PER_PT, px, readPdf, type TruthLine, type TruthPage } from './poppler-words.ts';

const corpora = process.env.OCRKIT_CORPORA ?? fileURLToPath(new URL('../../../../shared/corpora', import.meta.url));
const dir = join(corpora, 'icdar2013', 'competition-dataset-eu');
const only = process.env.EVAL_ONLY;

function has(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).error === undefined;
}
if (!has('pdftotext', ['-v'])) {
  console.log('skipped: pdftotext (poppler-utils) is not installed');
  process.exit(0);
}
const xmllint = has('xmllint', ['--version']);
const ghostscript = hasGhostscript();
/** Lines of a figure's text: labels, not running text (a boxed paragraph keeps its order truth; eu-011 p3). */
const MAX_FIGURE_WORDS = 4;

const centreIn = (b: Box, r: Box) => {
  const x = (b.minX + b.maxX) / 2;
  const y = (b.minY + b.maxY) / 2;
  return x >= r.minX && x <= r.maxX && y >= r.minY && y <= r.maxY;
};
const overlaps = (a: Box, b: Box) =>
  Math.min(a.maxX, b.maxX) > Math.max(a.minX, b.minX) && Math.min(a.maxY, b.maxY) > Math.max(a.minY, b.minY);

/**
 * The true lines of a page that are a figure's text: inside a figure region (pixels) that overlaps no
 * ICDAR table region and whose lines are labels (median words per line at most MAX_FIGURE_WORDS).
 */
function figureLines(lines: readonly TruthLine[], figures: readonly Box[], tables: readonly Box[]): Set<number> {
  const out = new Set<number>();
  for (const f of figures) {
    if (tables.some((t) => overlaps(f, t))) continue;
    const inside = lines.map((l, i) => ({ l, i })).filter(({ l }) => centreIn(l.box, f));
    const words = inside.map(({ l }) => l.text.split(/\s+/).length).sort((a, b) => a - b);
    if (words.length === 0 || (words[words.length >> 1] as number) > MAX_FIGURE_WORDS) continue;
    for (const { i } of inside) out.add(i);
  }
  return out;
}

interface Region {
  readonly page: number;
  readonly cells: GridCell[];
  /** Union of the cells' boxes in PDF points, y up. */
  readonly box: Box;
}

function truthTables(xml: string): Region[] {
  const regions: Region[] = [];
  for (const region of xml.matchAll(/<region ([^>]*)>([\s\S]*?)<\/region>/g)) {
    const cells: GridCell[] = [];
    const box = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
    for (const cell of (region[2] ?? '').matchAll(/<cell ([^>]*)>([\s\S]*?)<\/cell>/g)) {
      const a = cell[1] ?? '';
      const bb = /<bounding-box ([^>]*)>/.exec(cell[2] ?? '')?.[1] ?? '';
      box.minX = Math.min(box.minX, attr(bb, 'x1'));
      box.maxX = Math.max(box.maxX, attr(bb, 'x2'));
      box.minY = Math.min(box.minY, attr(bb, 'y1'));
      box.maxY = Math.max(box.maxY, attr(bb, 'y2'));
      const r0 = attr(a, 'start-row');
      const c0 = attr(a, 'start-col');
      const r1 = attr(a, 'end-row');
      const c1 = attr(a, 'end-col');
      const content = /<content>([\s\S]*?)<\/content>/.exec(cell[2] ?? '')?.[1] ?? '';
      cells.push({
        box: { minX: attr(bb, 'x1'), minY: attr(bb, 'y1'), maxX: attr(bb, 'x2'), maxY: attr(bb, 'y2') },
        r0,
        c0,
        r1: Number.isNaN(r1) ? r0 : r1,
        c1: Number.isNaN(c1) ? c0 : c1,
        text: norm(decode(content)),
      });
    }
    regions.push({ page: attr(region[1] ?? '', 'page'), cells, box });
  }
  return regions;
}

/** A box in PDF points with y up (ICDAR) as pixels with y down, grown by `marginPt` on each side. */
function toPx(b: Box, heightPt: number, marginPt: number): Box {
  return {
    minX: px(b.minX - marginPt),
    maxX: px(b.maxX + marginPt),
    minY: px(heightPt - b.maxY - marginPt),
    maxY: px(heightPt - b.minY + marginPt),
  };
}

/**
 * Each true line's rank in the order a reader takes. Outside tables that is poppler's order. Inside an
 * ICDAR table region poppler's order is not a reading order: it reads a table by its own text blocks,
 * mostly column by column (eu-001: all the pollutant names, then all the thresholds), while a table
 * is read row by row, cell by cell (what `Block.lines` promises). So a table counts as one block of
 * the page's order, placed where poppler reaches its first line, and inside it the lines go by the
 * ground truth's grid: by the row and column of the cell they fall in (the cell they overlap most, or
 * the nearest), then in poppler's order within a cell (the lines of a wrapped cell, top to bottom).
 */
function expectedRanks(
  p: TruthPage,
  regions: readonly { box: Box; cells: readonly GridCell[] }[],
  regionOf: (b: Box) => number,
): number[] {
  const units: { anchor: number; lines: number[] }[] = [];
  const tables = regions.map(() => ({ anchor: Infinity, lines: [] as { line: number; key: [number, number] }[] }));
  p.lines.forEach((line, i) => {
    const r = regionOf(line.box);
    if (r < 0) {
      units.push({ anchor: i, lines: [i] });
      return;
    }
    const table = tables[r] as (typeof tables)[number];
    table.anchor = Math.min(table.anchor, i);
    let best: GridCell | undefined;
    let bestScore = -Infinity;
    for (const c of (regions[r] as { cells: readonly GridCell[] }).cells) {
      if (!c.box) continue;
      const b = toPx(c.box, p.heightPt, 0);
      const w = Math.min(b.maxX, line.box.maxX) - Math.max(b.minX, line.box.minX);
      const h = Math.min(b.maxY, line.box.maxY) - Math.max(b.minY, line.box.minY);
      // Overlap area when there is one, else minus the distance between centres.
      const score =
        w > 0 && h > 0
          ? w * h
          : -Math.hypot(
              (b.minX + b.maxX - line.box.minX - line.box.maxX) / 2,
              (b.minY + b.maxY - line.box.minY - line.box.maxY) / 2,
            );
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    table.lines.push({ line: i, key: [best?.r0 ?? 0, best?.c0 ?? 0] });
  });
  for (const t of tables) {
    if (t.lines.length === 0) continue;
    t.lines.sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.line - b.line);
    units.push({ anchor: t.anchor, lines: t.lines.map((l) => l.line) });
  }
  units.sort((a, b) => a.anchor - b.anchor);
  const rank: number[] = [];
  let n = 0;
  for (const u of units) for (const line of u.lines) rank[line] = n++;
  return rank;
}

/** The counts one ICDAR document adds up; the totals are the same counts over every document. */
function tally() {
  return {
    textEdits: 0,
    textOrdered: 0,
    hits: 0,
    predicted: 0,
    truth: 0,
    edits: 0,
    ordered: 0,
    allEdits: 0,
    allOrdered: 0,
    figureLines: 0,
    relHits: 0,
    relPred: 0,
    relTruth: 0,
    words: 0,
    ms: 0,
    hocr: 0,
    xmllint: 0,
    tablesFound: 0,
  };
}

function evalIcdar(): void {
  const rows: string[][] = [];
  const total = { ...tally(), pages: 0, tablesTrue: 0 };
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.pdf') && (!only || f.includes(only)))
    .sort();
  for (const file of files) {
    const pages = readPdf(join(dir, file));
    const strXml = join(dir, file.replace(/\.pdf$/, '-str.xml'));
    const truth = existsSync(strXml) ? truthTables(readFileSync(strXml, 'utf8')) : [];
    const figures = ghostscript ? figureRegions(join(dir, file)) : [];
    const doc = tally();
    const laidOut: Page[] = [];
    pages.forEach((p, k) => {
      const started = performance.now();
      const page = layout({
        width: p.width,
        height: p.height,
        result: { direction: -1, words_block_count: p.words.length, words_block_list: p.words },
      });
      doc.ms += performance.now() - started;
      laidOut.push(page);
      doc.words += p.words.length;
      const lines = page.blocks.flatMap((b) => b.lines);
      const match = matchLines(
        lines.map((l) => l.box),
        p.lines,
      );
      doc.hits += match.size;
      doc.predicted += lines.length;
      doc.truth += p.lines.length;
      // List markers alone on a line ("•", "–") are left out of the order: poppler reads a list's markers
      // as a column of their own before the items (eu-013 p7), which is no reading order to match.
      const matched = lines
        .map((_, i) => match.get(i))
        .filter((t): t is number => t !== undefined && !isMarker((p.lines[t] as TruthLine).text));
      const regions = truth
        .filter((r) => r.page === k + 1)
        .map((r) => ({ box: toPx(r.box, p.heightPt, 2), cells: r.cells }));
      const regionOf = (b: Box) => regions.findIndex(({ box: r }) => centreIn(b, r));
      const inFigure = figureLines(
        p.lines,
        (figures[k] ?? []).map((f) => ({
          minX: px(f.minX),
          minY: px(f.minY),
          maxX: px(f.maxX),
          maxY: px(f.maxY),
        })),
        regions.map((r) => r.box),
      );
      doc.figureLines += inFigure.size;
      const ours = matched.filter((t) => !inFigure.has(t));
      const rank = expectedRanks(p, regions, regionOf);
      const byRank = (seq: number[]) => [...seq].sort((a, b) => (rank[a] as number) - (rank[b] as number));
      doc.edits += editDistance(ours, byRank(ours));
      doc.ordered += ours.length;
      doc.allEdits += editDistance(matched, byRank(matched));
      doc.allOrdered += matched.length;
      // The same outside the ICDAR table regions, against poppler's order alone.
      const text = ours.filter((t) => regionOf((p.lines[t] as TruthLine).box) < 0);
      doc.textEdits += editDistance(
        text,
        [...text].sort((a, b) => a - b),
      );
      doc.textOrdered += text.length;
      const relPred = predictedRelations(page);
      const relTruth = truth.filter((r) => r.page === k + 1).flatMap((r) => relations(r.cells));
      doc.relHits += countMatches(relPred, relTruth);
      doc.relPred += relPred.length;
      doc.relTruth += relTruth.length;
      doc.tablesFound += page.tables.length;
      const hocr = toHocr([page], { title: `${basename(file)} page ${k + 1}` });
      doc.hocr += checkHocr(hocr).length;
      if (xmllint && spawnSync('xmllint', ['--noout', '--nonet', '-'], { input: hocr }).status !== 0) doc.xmllint++;
    });
    rows.push([
      file.replace(/\.pdf$/, ''),
      String(pages.length),
      String(doc.words),
      f1(doc.hits, doc.predicted, doc.truth).toFixed(3),
      (doc.ordered ? doc.edits / doc.ordered : 0).toFixed(3),
      (doc.textOrdered ? doc.textEdits / doc.textOrdered : 0).toFixed(3),
      String(doc.figureLines),
      `${truth.length}/${doc.tablesFound}`,
      f1(doc.relHits, doc.relPred, doc.relTruth).toFixed(3),
      String(doc.hocr),
      xmllint ? String(doc.xmllint) : '-',
      (doc.ms / pages.length).toFixed(1),
    ]);
    for (const key of Object.keys(doc) as (keyof typeof doc)[]) total[key] += doc[key];
    total.pages += pages.length;
    total.tablesTrue += truth.length;
  }
  const head = [
    'file',
    'pages',
    'words',
    'line F1',
    'order dist',
    'order dist outside tables',
    'figure lines left out',
    'tables true/found',
    'cell adj F1',
    'hocr problems',
    'xmllint errors',
    'ms/page',
  ];
  console.log(`ICDAR 2013 EU (${files.length} PDFs), pdftotext -bbox-layout words at ${PX_PER_PT} px/pt\n`);
  console.log(`| ${head.join(' | ')} |`);
  console.log(`|${head.map(() => ' ---').join(' |')} |`);
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  console.log(
    `| **all** | ${total.pages} | ${total.words} | ${f1(total.hits, total.predicted, total.truth).toFixed(3)} | ${(total.edits / Math.max(total.ordered, 1)).toFixed(3)} | ${(total.textEdits / Math.max(total.textOrdered, 1)).toFixed(3)} | ${total.figureLines} | ${total.tablesTrue}/${total.tablesFound} | ${f1(total.relHits, total.relPred, total.relTruth).toFixed(3)} | ${total.hocr} | ${xmllint ? total.xmllint : '-'} | ${(total.ms / Math.max(total.pages, 1)).toFixed(1)} |`,
  );
  console.log(
    ghostscript
      ? `\norder: ${total.figureLines} true lines inside figure regions (charts: clusters of non-text marks from Ghostscript, no ICDAR table, median line of at most ${MAX_FIGURE_WORDS} words) are left out of the order distances; with them the order distance is ${(total.allEdits / Math.max(total.allOrdered, 1)).toFixed(3)}.`
      : '\norder: Ghostscript (gs) is not installed, so no figure regions are found and chart text counts in the order distances.',
  );
  console.log(
    `lines: ${total.hits} matched of ${total.predicted} found / ${total.truth} true; cell adjacency: ${total.relHits} matched of ${total.relPred} found / ${total.relTruth} true. Targets: line F1 >= 0.98, order <= 0.05, cell adjacency F1 >= 0.85.`,
  );
}

if (existsSync(dir)) evalIcdar();
else console.log(`skipped ICDAR 2013: no corpus at ${dir} (set OCRKIT_CORPORA)`);
await evalConstructed({ only, xmllint });
