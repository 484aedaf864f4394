// Layout quality on born-digital PDFs, fed with ground-truth word boxes so OCR errors do not blur it.
// Input: `pdftotext -bbox-layout` words (poppler), one API block per word, at 144 dpi (2 px per point).
// Truth: pdftotext's own lines (for line F1 at IoU >= 0.5 and for reading order: the edit distance
// between our order of matched lines and poppler's, divided by their count; inside ICDAR table regions
// row by row by the ground truth's grid, see `expectedRanks`) and the ICDAR 2013 table
// competition's -str.xml cells (cell adjacency F1 after Göbel et al. 2012: each cell's next non-empty
// neighbour to the right and below, compared by content). hOCR of every page goes through our
// hocr-check equivalent and, when installed, `xmllint --noout`.
// Run: pnpm --filter @ocrkit/layout eval   (after pnpm build). Corpus: ../shared/corpora/icdar2013,
// or OCRKIT_CORPORA=/path/to/corpora; missing corpus or poppler: prints why and exits 0.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Box, layout, type Page, toHocr } from '@ocrkit/layout';
import type { GeneralTextWordsBlock, Quad } from '@ocrkit/protocol';
import RBush from 'rbush';
import { checkHocr } from '../test/hocr-check.ts';

const PX_PER_PT = 2;
const corpora = process.env.OCRKIT_CORPORA ?? fileURLToPath(new URL('../../../../shared/corpora', import.meta.url));
const dir = join(corpora, 'icdar2013', 'competition-dataset-eu');
const only = process.env.EVAL_ONLY;

function has(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).error === undefined;
}
if (!existsSync(dir)) {
  console.log(`skipped: no ICDAR 2013 corpus at ${dir} (set OCRKIT_CORPORA)`);
  process.exit(0);
}
if (!has('pdftotext', ['-v'])) {
  console.log('skipped: pdftotext (poppler-utils) is not installed');
  process.exit(0);
}
const xmllint = has('xmllint', ['--version']);

interface TruthLine {
  readonly box: Box;
  readonly text: string;
}
interface TruthPage {
  /** Page height in PDF points (ICDAR boxes have y up). */
  readonly heightPt: number;
  readonly width: number;
  readonly height: number;
  readonly words: GeneralTextWordsBlock[];
  readonly lines: TruthLine[];
}

const decode = (s: string) =>
  s.replace(
    /&(amp|lt|gt|quot|apos);/g,
    (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e] ?? '',
  );
const attr = (tag: string, name: string) => Number(new RegExp(`${name}=["']([^"']*)["']`).exec(tag)?.[1] ?? Number.NaN);
const px = (v: number) => Math.round(v * PX_PER_PT);

function readPdf(pdf: string): TruthPage[] {
  const html = execFileSync('pdftotext', ['-bbox-layout', pdf, '-'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return html
    .split('<page ')
    .slice(1)
    .map((chunk) => {
      const words: GeneralTextWordsBlock[] = [];
      const lines: TruthLine[] = [];
      for (const line of chunk.matchAll(/<line ([^>]*)>([\s\S]*?)<\/line>/g)) {
        const texts: string[] = [];
        const [lx0, ly0, lx1, ly1] = ['xMin', 'yMin', 'xMax', 'yMax'].map((n) => attr(line[1] ?? '', n)) as [
          number,
          number,
          number,
          number,
        ];
        const lineText = [...(line[2] ?? '').matchAll(/<word [^>]*>([^<]*)<\/word>/g)].map((w) => decode(w[1] ?? ''));
        // poppler gives boxes, not the text's direction: a line of two or more characters at least twice
        // as tall as wide is set bottom to top (axis titles, rotated headers; eu-005 p1), and the API
        // would return its words' quads turned 90 degrees, so that is what layout gets. The line decides,
        // not the word: a narrow word in a horizontal line ("it", eu-008) is not turned, and every word
        // of a turned line is, short ones too ("of", "EU" in eu-005 p1's axis title).
        const upward = [...lineText.join(' ')].length >= 2 && ly1 - ly0 >= 2 * (lx1 - lx0);
        for (const w of (line[2] ?? '').matchAll(/<word ([^>]*)>([^<]*)<\/word>/g)) {
          const [x0, y0, x1, y1] = ['xMin', 'yMin', 'xMax', 'yMax'].map((n) => px(attr(w[1] ?? '', n)));
          const text = decode(w[2] ?? '');
          texts.push(text);
          if (x1 === undefined || y1 === undefined || x0 === undefined || y0 === undefined) continue;
          const right = Math.max(x1, x0 + 1);
          const bottom = Math.max(y1, y0 + 1);
          const location: Quad = upward
            ? [
                [x0, bottom],
                [x0, y0],
                [right, y0],
                [right, bottom],
              ]
            : [
                [x0, y0],
                [right, y0],
                [right, bottom],
                [x0, bottom],
              ];
          words.push({ words: text, location, confidence: 1 });
        }
        const [minX, minY, maxX, maxY] = ['xMin', 'yMin', 'xMax', 'yMax'].map((n) => px(attr(line[1] ?? '', n))) as [
          number,
          number,
          number,
          number,
        ];
        lines.push({ box: { minX, minY, maxX, maxY }, text: texts.join(' ') });
      }
      return {
        heightPt: attr(chunk, 'height'),
        width: px(attr(chunk, 'width')),
        height: px(attr(chunk, 'height')),
        words,
        lines,
      };
    });
}

/** One-to-one matches of predicted to true lines with IoU >= 0.5, best IoU first. */
function matchLines(predicted: readonly Box[], truth: readonly TruthLine[]): Map<number, number> {
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

function iou(a: Box, b: Box): number {
  const w = Math.min(a.maxX, b.maxX) - Math.max(a.minX, b.minX);
  const h = Math.min(a.maxY, b.maxY) - Math.max(a.minY, b.minY);
  if (w <= 0 || h <= 0) return 0;
  const area = (x: Box) => (x.maxX - x.minX) * (x.maxY - x.minY);
  return (w * h) / (area(a) + area(b) - w * h);
}

function editDistance(a: readonly number[], b: readonly number[]): number {
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

interface GridCell {
  /** In PDF points, y up (truth cells only). */
  readonly box?: Box;
  readonly r0: number;
  readonly r1: number;
  readonly c0: number;
  readonly c1: number;
  readonly text: string;
}

/** Adjacency relations of a grid: each cell with its next non-empty cell rightwards and downwards. */
function relations(cells: readonly GridCell[]): string[] {
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
const norm = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').toLowerCase();

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

function predictedRelations(page: Page): string[] {
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

function countMatches(predicted: readonly string[], truth: readonly string[]): number {
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

const isMarker = (text: string) => /^[\p{P}\p{S}]{1,2}$/u.test(text.trim());

const f1 = (hits: number, predicted: number, truth: number) =>
  predicted + truth === 0 ? 1 : (2 * hits) / (predicted + truth);

const rows: string[][] = [];
const total = {
  textEdits: 0,
  textOrdered: 0,
  hits: 0,
  predicted: 0,
  truth: 0,
  edits: 0,
  ordered: 0,
  relHits: 0,
  relPred: 0,
  relTruth: 0,
  pages: 0,
  words: 0,
  ms: 0,
  hocr: 0,
  xmllint: 0,
  tablesTrue: 0,
  tablesFound: 0,
};
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.pdf') && (!only || f.includes(only)))
  .sort();
for (const file of files) {
  const pages = readPdf(join(dir, file));
  const strXml = join(dir, file.replace(/\.pdf$/, '-str.xml'));
  const truth = existsSync(strXml) ? truthTables(readFileSync(strXml, 'utf8')) : [];
  const doc = {
    textEdits: 0,
    textOrdered: 0,
    hits: 0,
    predicted: 0,
    truth: 0,
    edits: 0,
    ordered: 0,
    relHits: 0,
    relPred: 0,
    relTruth: 0,
    words: 0,
    ms: 0,
    hocr: 0,
    xmllint: 0,
    tablesFound: 0,
  };
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
    const ours = lines
      .map((_, i) => match.get(i))
      .filter((t): t is number => t !== undefined && !isMarker((p.lines[t] as TruthLine).text));
    const regions = truth
      .filter((r) => r.page === k + 1)
      .map((r) => ({ box: toPx(r.box, p.heightPt, 2), cells: r.cells }));
    const regionOf = (b: Box) => {
      const x = (b.minX + b.maxX) / 2;
      const y = (b.minY + b.maxY) / 2;
      return regions.findIndex(({ box: r }) => x >= r.minX && x <= r.maxX && y >= r.minY && y <= r.maxY);
    };
    const rank = expectedRanks(p, regions, regionOf);
    doc.edits += editDistance(
      ours,
      [...ours].sort((a, b) => (rank[a] as number) - (rank[b] as number)),
    );
    doc.ordered += ours.length;
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
    `${truth.length}/${doc.tablesFound}`,
    f1(doc.relHits, doc.relPred, doc.relTruth).toFixed(3),
    String(doc.hocr),
    xmllint ? String(doc.xmllint) : '-',
    (doc.ms / pages.length).toFixed(1),
  ]);
  total.hits += doc.hits;
  total.predicted += doc.predicted;
  total.truth += doc.truth;
  total.edits += doc.edits;
  total.textEdits += doc.textEdits;
  total.textOrdered += doc.textOrdered;
  total.ordered += doc.ordered;
  total.relHits += doc.relHits;
  total.relPred += doc.relPred;
  total.relTruth += doc.relTruth;
  total.pages += pages.length;
  total.words += doc.words;
  total.ms += doc.ms;
  total.hocr += doc.hocr;
  total.xmllint += doc.xmllint;
  total.tablesTrue += truth.length;
  total.tablesFound += doc.tablesFound;
}
const head = [
  'file',
  'pages',
  'words',
  'line F1',
  'order dist',
  'order dist outside tables',
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
  `| **all** | ${total.pages} | ${total.words} | ${f1(total.hits, total.predicted, total.truth).toFixed(3)} | ${(total.edits / Math.max(total.ordered, 1)).toFixed(3)} | ${(total.textEdits / Math.max(total.textOrdered, 1)).toFixed(3)} | ${total.tablesTrue}/${total.tablesFound} | ${f1(total.relHits, total.relPred, total.relTruth).toFixed(3)} | ${total.hocr} | ${xmllint ? total.xmllint : '-'} | ${(total.ms / Math.max(total.pages, 1)).toFixed(1)} |`,
);
console.log(
  `\nlines: ${total.hits} matched of ${total.predicted} found / ${total.truth} true; cell adjacency: ${total.relHits} matched of ${total.relPred} found / ${total.relTruth} true. Targets: line F1 >= 0.98, order <= 0.05, cell adjacency F1 >= 0.85.`,
);
