import { readFileSync } from 'node:fs';
import type { GeneralTextResult } from '@ocrkit/protocol';
import { describe, expect, test } from 'vitest';
import { HOCR_CAPABILITIES, HOCR_SYSTEM, layout, type Page, toHocr } from '../src/index.js';
import { loadFixtures } from './fixtures.js';
import { checkHocr, type HocrNode, ocrClass, parseXhtml, properties, walk } from './hocr-check.js';
import { turn } from './synthetic.js';

function result(blocks: [text: string, quad: [number, number][]][]): GeneralTextResult {
  return {
    direction: -1,
    words_block_count: blocks.length,
    words_block_list: blocks.map(([words, location]) => ({
      words,
      location: location as unknown as GeneralTextResult['words_block_list'][number]['location'],
      confidence: 0.876,
    })),
  };
}

function byClass(root: HocrNode, cls: string): HocrNode[] {
  const found: HocrNode[] = [];
  walk(root, (n) => {
    if (ocrClass(n) === cls) found.push(n);
  });
  return found;
}

const tricky = layout({
  width: 600,
  height: 200,
  result: result([
    [
      'a<b & "c" \'d\' ]]> x',
      [
        [20, 20],
        [400, 20],
        [400, 50],
        [20, 50],
      ],
    ],
    [
      'bell\u0007 ok',
      [
        [20, 80],
        [200, 80],
        [200, 110],
        [20, 110],
      ],
    ],
  ]),
});

describe('hocr-check equivalent', () => {
  test.each([
    [
      'no ocr-system',
      '<meta name="ocr-capabilities" content="ocr_page"/>',
      '<div class="ocr_page" title="bbox 0 0 1 1"></div>',
      'meta: ocr-system',
    ],
    [
      'a typo in ocr-capabilities',
      '<meta name="ocr-system" content="x"/><meta name="ocr-capabilites" content="ocr_page"/>',
      '<div class="ocr_page" title="bbox 0 0 1 1"></div>',
      'meta: ocr-capabilities',
    ],
    [
      'a line outside any page',
      '<meta name="ocr-system" content="x"/><meta name="ocr-capabilities" content="ocr_page ocr_line"/>',
      '<div class="ocr_page" title="bbox 0 0 1 1"></div><span class="ocr_line" title="bbox 0 0 1 1">x</span>',
      'ancestor: ocr_line',
    ],
    [
      'a carea outside any page',
      '<meta name="ocr-system" content="x"/><meta name="ocr-capabilities" content="ocr_page ocr_carea"/>',
      '<div class="ocr_page" title="bbox 0 0 1 1"></div><div class="ocr_carea" title="bbox 0 0 1 1"></div>',
      'ancestor: ocr_carea',
    ],
    [
      'an undeclared class',
      '<meta name="ocr-system" content="x"/><meta name="ocr-capabilities" content="ocr_page"/>',
      '<div class="ocr_page" title="bbox 0 0 1 1"><div class="ocr_carea" title="bbox 0 0 1 1"></div></div>',
      'capabilities: ocr_carea',
    ],
    [
      'a negative bbox',
      '<meta name="ocr-system" content="x"/><meta name="ocr-capabilities" content="ocr_page"/>',
      '<div class="ocr_page" title="bbox 0 -1 1 1"></div>',
      'bbox:',
    ],
  ])('rejects %s', (_name, head, body, rule) => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "x">\n<html xmlns="http://www.w3.org/1999/xhtml" lang="en" xml:lang="en"><head><title></title>${head}</head><body>${body}</body></html>`;
    expect(checkHocr(xml).some((p) => p.startsWith(rule))).toBe(true);
  });

  test('rejects XML that is not well-formed', () => {
    expect(checkHocr('<?xml version="1.0"?><html><body><p>a & b</p></body></html>')[1]).toMatch(/^xml:/);
  });
});

describe('toHocr', () => {
  const fixtures = loadFixtures();
  const pages: Page[] = fixtures.flatMap((f) => [0, 90].map((r) => layout(turn(f, r, 3))));

  test('every fixture page passes the checks, as one multi-page document', () => {
    expect(checkHocr(toHocr(pages, { title: 'All fixtures', images: pages.map((_, k) => `page-${k}.png`) }))).toEqual(
      [],
    );
  });

  test('pages, areas, paragraphs, lines and words mirror the Page, in reading order', () => {
    const html = parseXhtml(toHocr(pages));
    const pageNodes = byClass(html, 'ocr_page');
    expect(pageNodes).toHaveLength(pages.length);
    pageNodes.forEach((node, k) => {
      const page = pages[k] as Page;
      expect(properties(node).get('ppageno')).toBe(String(k));
      expect(properties(node).get('bbox')).toBe(`0 0 ${page.width} ${page.height}`);
      expect(byClass(node, 'ocr_carea')).toHaveLength(page.blocks.length);
      const words = byClass(node, 'ocrx_word').map((w) => w.text);
      expect(words).toEqual(page.blocks.flatMap((b) => b.lines.flatMap((l) => l.words.map((w) => w.text))));
      expect(byClass(node, 'ocr_line')).toHaveLength(page.blocks.reduce((n, b) => n + b.lines.length, 0));
    });
  });

  test('a table block has one paragraph per cell', () => {
    const tablePage = pages.find((p) => p.tables.length > 0) as Page;
    const html = parseXhtml(toHocr([tablePage]));
    const block = tablePage.blocks.findIndex((b) => b.table !== undefined);
    const area = byClass(html, 'ocr_carea')[block] as HocrNode;
    expect(byClass(area, 'ocr_par')).toHaveLength(tablePage.tables[0]?.cells.length ?? -1);
  });

  test('meta declares the system and every class and property capability used', () => {
    const xml = toHocr(pages);
    expect(xml).toContain(`<meta name="ocr-system" content="${HOCR_SYSTEM}">`);
    const used = new Set<string>();
    walk(parseXhtml(xml), (n) => {
      const cls = ocrClass(n);
      if (cls) used.add(cls);
      if (properties(n).has('x_wconf')) used.add('ocrp_wconf');
    });
    expect([...used].sort()).toEqual(HOCR_CAPABILITIES.split(' ').sort());
  });

  test('ocr-system names this package at its version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(HOCR_SYSTEM).toBe(`ocrkit-layout ${pkg.version}`);
  });

  test('text and attributes are escaped, and characters XML forbids are dropped', () => {
    const xml = toHocr([tricky], { title: 'R&D <draft> "1"', images: ['dir/a "b" & c.png'] });
    expect(xml).toContain('a&lt;b');
    expect(xml).toContain('&amp;');
    expect(xml).not.toContain('\u0007');
    expect(checkHocr(xml)).toEqual([]);
    const html = parseXhtml(xml);
    const words = byClass(html, 'ocrx_word').map((w) => w.text);
    expect(words).toEqual(['a<b', '&', '"c"', "'d'", ']]>', 'x', 'bell', 'ok']);
    let title = '';
    walk(html, (n) => {
      if (n.tag === 'title') title = n.text;
    });
    expect(title).toBe('R&D <draft> "1"');
    expect(properties(byClass(html, 'ocr_page')[0] as HocrNode).get('image')).toBe('"dir/a \\"b\\" & c.png"');
  });

  test('x_wconf is the confidence in percent; upright lines have no textangle and a flat baseline', () => {
    const html = parseXhtml(toHocr([tricky]));
    expect(properties(byClass(html, 'ocrx_word')[0] as HocrNode).get('x_wconf')).toBe('88');
    const line = properties(byClass(html, 'ocr_line')[0] as HocrNode);
    expect(line.get('bbox')).toBe('20 20 400 50');
    expect(line.get('baseline')).toBe('0 0');
    expect(line.has('textangle')).toBe(false);
  });

  test.each([90, 180, 270])('lines of a page turned %i° carry that textangle', (rotation) => {
    const page = layout(turn(fixtures[0] as Parameters<typeof turn>[0], rotation));
    for (const line of byClass(parseXhtml(toHocr([page])), 'ocr_line')) {
      expect(properties(line).get('textangle')).toBe(String(rotation));
      expect(properties(line).get('baseline')).toBe('0 0');
    }
  });

  test('a 3° skew shows in the baseline slope', () => {
    const page = layout(turn(fixtures[0] as Parameters<typeof turn>[0], 0, 3));
    const slopes = byClass(parseXhtml(toHocr([page])), 'ocr_line').map((l) =>
      Number(properties(l).get('baseline')?.split(' ')[0]),
    );
    for (const slope of slopes) expect(slope).toBeCloseTo(-Math.tan((3 * Math.PI) / 180), 1);
  });

  test('an empty document is still valid hOCR', () => {
    const empty = layout({ width: 10, height: 10, result: result([]) });
    expect(checkHocr(toHocr([empty]))).toEqual([]);
  });

  test('rejects a lang that is not a language tag', () => {
    expect(() => toHocr([], { lang: 'en" onload="x' })).toThrow(RangeError);
  });
});
