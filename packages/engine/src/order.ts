import type { Quad } from '@ocrkit/protocol';
import { quadSize } from './lines.js';

/**
 * The counter-clockwise angle of the text from upright, in degrees [0, 360): the length-weighted
 * circular mean of each quad's reading direction (quad[0] → quad[1]). 0 without quads.
 */
export function textAngle(quads: readonly Quad[]): number {
  let x = 0;
  let y = 0;
  for (const [p0, p1] of quads) {
    const dx = p1[0] - p0[0];
    const dy = p1[1] - p0[1];
    // y points down, so a counter-clockwise turn of the text makes dy negative.
    x += dx;
    y -= dy;
  }
  if (x === 0 && y === 0) return 0;
  const degrees = (Math.atan2(y, x) * 180) / Math.PI;
  return degrees < 0 ? degrees + 360 : degrees;
}

/**
 * Groups items into rows and orders them top to bottom, left to right, in the frame of text turned by
 * `angleDegrees`: an item joins a row when its centre is within half a line height of the row's.
 */
export function readingOrder<T extends { readonly quad: Quad }>(items: readonly T[], angleDegrees: number): T[][] {
  const theta = (angleDegrees * Math.PI) / 180;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const placed = items.map((item) => {
    const cx = item.quad.reduce((sum, p) => sum + p[0], 0) / 4;
    const cy = item.quad.reduce((sum, p) => sum + p[1], 0) / 4;
    // Undo the text's counter-clockwise turn: upright coordinates, y still down.
    return { item, x: cx * cos - cy * sin, y: cx * sin + cy * cos, height: quadSize(item.quad).height };
  });
  placed.sort((a, b) => a.y - b.y);
  const rows: { y: number; height: number; members: typeof placed }[] = [];
  for (const p of placed) {
    const row = rows.at(-1);
    if (row && Math.abs(p.y - row.y) < Math.min(row.height, p.height) / 2) {
      row.members.push(p);
      row.y = row.members.reduce((sum, m) => sum + m.y, 0) / row.members.length;
    } else {
      rows.push({ y: p.y, height: p.height, members: [p] });
    }
  }
  return rows.map((row) => row.members.sort((a, b) => a.x - b.x).map((m) => m.item));
}
