import { describe, expect, test } from 'vitest';
import { type PlanRequest, planPage } from '../src/plan.js';
import plans from './fixtures/plans.json' with { type: 'json' };

describe('planPage', () => {
  for (const spec of plans.cases) {
    test(spec.name, () => {
      const [widthPt, heightPt] = spec.page as [number, number];
      const request: PlanRequest = { ...plans.defaults, ...spec, widthPt, heightPt };
      const plan = planPage(request);
      if (spec.expect === null) {
        expect(plan).toBeUndefined();
        return;
      }
      if (!plan) throw new Error('no plan');
      const { dpi, ...size } = spec.expect;
      expect(plan.dpi).toBeCloseTo(dpi, 2);
      expect({ width: plan.width, height: plan.height, columns: plan.columns, rows: plan.rows }).toEqual(size);
      expect(plan.tiles.length).toBe(plan.columns * plan.rows);
      expect(plan.tiles.length).toBeLessThanOrEqual(request.maxTiles);
      // Every tile within the caps; together they cover the page, neighbours overlapping.
      for (const tile of plan.tiles) {
        expect(Math.max(tile.width, tile.height)).toBeLessThanOrEqual(request.maxSidePx);
        expect(tile.width * tile.height).toBeLessThanOrEqual(request.maxPixels);
        expect(tile.left + tile.width).toBeLessThanOrEqual(plan.width);
        expect(tile.top + tile.height).toBeLessThanOrEqual(plan.height);
      }
      const lefts = [...new Set(plan.tiles.map((tile) => tile.left))];
      const width = plan.tiles[0]?.width ?? 0;
      expect(lefts[0]).toBe(0);
      expect((lefts.at(-1) ?? 0) + width).toBe(plan.width);
      for (let i = 1; i < lefts.length; i++) {
        expect((lefts[i - 1] ?? 0) + width - (lefts[i] ?? 0)).toBeGreaterThanOrEqual(
          Math.min(Math.round(plan.dpi), 1024),
        );
      }
      const tops = [...new Set(plan.tiles.map((tile) => tile.top))];
      const height = plan.tiles[0]?.height ?? 0;
      expect((tops.at(-1) ?? 0) + height).toBe(plan.height);
    });
  }
});
