import type { Quad } from '@ocrkit/protocol';
import { describe, expect, test } from 'vitest';
import { quadAngle, quadHeight, quadLength } from '../src/angle.js';
import { layout, lineText, type Page, toMarkdown, toText } from '../src/index.js';
import { loadFixtures } from './fixtures.js';
import { turn } from './synthetic.js';

const fixtures = loadFixtures();
// Every geometry fixture at the four quarter turns, each also skewed by 3 degrees.
const poses = [0, 90, 180, 270].flatMap((rotation) => [
  { rotation, skew: 0 },
  { rotation, skew: 3 },
]);

function angleOff(a: number, b: number): number {
  const d = Math.abs(a - b) % 360;
  return Math.min(d, 360 - d);
}

describe.each(fixtures)('$name', (fixture) => {
  describe.each(poses)('turned $rotation°, skewed $skew°', ({ rotation, skew }) => {
    const turned = turn(fixture, rotation, skew);
    const page: Page = layout(turned);

    test('page angle is the text angle', () => {
      expect(angleOff(page.angle, rotation + skew)).toBeLessThan(0.5);
      expect(page.width).toBe(turned.width);
      expect(page.height).toBe(turned.height);
    });

    test('lines come out whole and in reading order', () => {
      expect(page.blocks.flatMap((b) => b.lines.map(lineText))).toEqual(fixture.expected.lines);
    });

    test('lines group into the expected blocks', () => {
      expect(page.blocks.map((b) => b.lines.map(lineText))).toEqual(fixture.expected.blocks);
    });

    test('tables are found with their cells, and nothing else is a table', () => {
      expect(
        page.tables.map((t) => ({
          rows: t.rows,
          cols: t.cols,
          cells: t.cells.map((c) => [c.row, c.col, c.rowSpan, c.colSpan, c.text]),
        })),
      ).toEqual(fixture.expected.tables);
      const tableBlocks = page.blocks.filter((b) => b.table !== undefined);
      expect(tableBlocks.map((b) => b.table)).toEqual(page.tables.map((_, k) => k));
    });

    test('toText', () => {
      expect(toText(page)).toBe(fixture.expected.text);
    });

    const { markdown, words } = fixture.expected;
    if (markdown !== undefined) {
      test('toMarkdown', () => {
        expect(toMarkdown(page)).toBe(markdown);
      });
    }

    if (words !== undefined) {
      test('words split at spaces and around every CJK character', () => {
        expect(page.blocks.flatMap((b) => b.lines.map((l) => l.words.map((w) => w.text)))).toEqual(words);
      });
    }

    // Integer API corners make the angle of a short quad uncertain by atan(1 / length): only quads at
    // least three text heights long are held to 2 degrees.
    const longEnough = (quad: Quad) => quadLength(quad) >= 3 * quadHeight(quad);

    test('line and word quads turn with the text, baselines run along the bottom edge', () => {
      for (const line of page.blocks.flatMap((b) => b.lines)) {
        if (longEnough(line.quad)) expect(angleOff(quadAngle(line.quad), rotation + skew)).toBeLessThan(2);
        expect(line.baseline.start).toEqual(line.quad[3]);
        expect(line.baseline.end).toEqual(line.quad[2]);
        for (const word of line.words) {
          if (longEnough(word.quad)) expect(angleOff(quadAngle(word.quad), rotation + skew)).toBeLessThan(2);
          for (const [x, y] of word.quad) {
            expect(x).toBeGreaterThanOrEqual(word.box.minX);
            expect(x).toBeLessThanOrEqual(word.box.maxX);
            expect(y).toBeGreaterThanOrEqual(word.box.minY);
            expect(y).toBeLessThanOrEqual(word.box.maxY);
          }
        }
      }
    });

    test('the page is plain JSON data', () => {
      expect(JSON.parse(JSON.stringify(page))).toEqual(page);
    });
  });
});
