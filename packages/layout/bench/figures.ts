// Figure regions of a born-digital PDF, found from its drawing alone (not from the text, not from our
// layout): Ghostscript renders each page with its text filtered out (-dFILTERTEXT), and every connected
// cluster of marks at least MIN_SIDE_PT on both sides is a region: a chart's frame, axes, gridlines and
// bars, an image, a shaded box. Charts are where poppler's line order, the ICDAR set's order truth, is
// no reading order at all (tick labels read column by column or bottom to top, legends between them;
// eu-011 p2, eu-017 p1), so the evaluation reports the order distance both with and without the text
// inside such regions. Ruled tables are regions too; the evaluation leaves the ICDAR table regions to
// their own rule (`expectedRanks` in eval.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Box } from '@ocrkit/layout';

/** Render resolution: half a pixel per point, enough for clusters of marks. */
const DPI = 36;
/** Marks this close (points) are one cluster: a chart's bars and labels' ticks stay with its axes. */
const JOIN_PT = 4;
/** A region is at least this big both ways (points): a chart or an image, not a rule, a bullet or a logo line. */
const MIN_SIDE_PT = 72;
/** Pixels darker than this (0..255) are marks; lighter ones are paper or a faint tint. */
const INK = 250;

export function hasGhostscript(): boolean {
  return spawnSync('gs', ['--version'], { stdio: 'ignore' }).error === undefined;
}

/** Per page, the figure regions in PDF points, origin top-left, y down (poppler's frame). */
export function figureRegions(pdf: string): Box[][] {
  const dir = mkdtempSync(join(tmpdir(), 'ocrkit-figures-'));
  try {
    const run = spawnSync(
      'gs',
      [
        '-q',
        '-dNOPAUSE',
        '-dBATCH',
        '-dSAFER',
        '-dFILTERTEXT',
        '-sDEVICE=pgmraw',
        `-r${DPI}`,
        `-sOutputFile=${join(dir, 'p%04d.pgm')}`,
        pdf,
      ],
      { stdio: 'ignore' },
    );
    if (run.status !== 0) throw new Error(`gs could not render ${pdf} (exit ${run.status}): check the file`);
    return readdirSync(dir)
      .filter((f) => f.endsWith('.pgm'))
      .sort()
      .map((f) => regionsOf(readFileSync(join(dir, f))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Connected clusters of marks of a binary PGM (P5), grown by JOIN_PT, as boxes in points. */
function regionsOf(pgm: Buffer): Box[] {
  // Header: "P5", width, height, maxval, each after whitespace or comment lines.
  const fields: string[] = [];
  let at = 0;
  while (fields.length < 4) {
    while (/\s/.test(String.fromCharCode(pgm[at] as number))) at++;
    if (pgm[at] === 0x23) {
      while (pgm[at] !== 0x0a) at++;
      continue;
    }
    let s = '';
    while (!/\s/.test(String.fromCharCode(pgm[at] as number))) s += String.fromCharCode(pgm[at++] as number);
    fields.push(s);
  }
  at++;
  const w = Number(fields[1]);
  const h = Number(fields[2]);
  const pixels = pgm.subarray(at, at + w * h);
  const scale = 72 / DPI;
  const grow = Math.round(JOIN_PT / scale);
  // Marks grown by `grow` pixels (a square), then 4-connected components.
  const ink = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if ((pixels[y * w + x] as number) >= INK) continue;
      for (let yy = Math.max(0, y - grow); yy <= Math.min(h - 1, y + grow); yy++) {
        ink.fill(1, yy * w + Math.max(0, x - grow), yy * w + Math.min(w - 1, x + grow) + 1);
      }
    }
  }
  const seen = new Uint8Array(w * h);
  const boxes: Box[] = [];
  const stack: number[] = [];
  for (let start = 0; start < w * h; start++) {
    if (!ink[start] || seen[start]) continue;
    let minX = w;
    let minY = h;
    let maxX = 0;
    let maxY = 0;
    seen[start] = 1;
    stack.push(start);
    while (stack.length > 0) {
      const p = stack.pop() as number;
      const x = p % w;
      const y = (p - x) / w;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      for (const q of [x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, y > 0 ? p - w : -1, y < h - 1 ? p + w : -1]) {
        if (q >= 0 && ink[q] && !seen[q]) {
          seen[q] = 1;
          stack.push(q);
        }
      }
    }
    // Back to the marks' own extent (the growth taken off), in points.
    const box = {
      minX: (minX + grow) * scale,
      minY: (minY + grow) * scale,
      maxX: (maxX - grow + 1) * scale,
      maxY: (maxY - grow + 1) * scale,
    };
    if (box.maxX - box.minX >= MIN_SIDE_PT && box.maxY - box.minY >= MIN_SIDE_PT) boxes.push(box);
  }
  return boxes;
}
