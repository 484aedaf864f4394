import { describe, expect, test } from 'vitest';
import { joinWords, layout, type Page, toMarkdown, toText } from '../src/index.js';

function page(lines: [text: string, x: number, y: number][]): Page {
  return layout({
    width: 1000,
    height: 1000,
    result: {
      direction: -1,
      words_block_count: lines.length,
      words_block_list: lines.map(([words, x, y]) => ({
        words,
        location: [
          [x, y],
          [x + words.length * 10, y],
          [x + words.length * 10, y + 20],
          [x, y + 20],
        ],
      })),
    },
  });
}

describe('joinWords', () => {
  test.each([
    [['中', '文'], '中文'],
    [['OCR', '识', '别'], 'OCR 识别'],
    [['识', 'OCR'], '识 OCR'],
    [['「', '引', '」', 'ok'], '「引」 ok'],
    [['a', 'b'], 'a b'],
    [['カ', 'タ', 'カ', 'ナ'], 'カタカナ'],
    [['한국어', '텍스트'], '한국어 텍스트'],
  ])('%j -> %s', (words, text) => {
    expect(joinWords(words.map((w) => ({ text: w })))).toBe(text);
  });
});

describe('toMarkdown escaping', () => {
  test('inline markup characters and line-start markers are escaped', () => {
    const md = toMarkdown(
      page([
        ['# not a heading', 50, 50],
        ['1. not a list', 50, 150],
        ['a *b* _c_ `d` [e](f) <g>', 50, 250],
        ['- not a bullet', 50, 350],
      ]),
    );
    expect(md).toBe(
      '\\# not a heading\n\n1\\. not a list\n\na \\*b\\* \\_c\\_ \\`d\\` \\[e\\](f) \\<g\\>\n\n\\- not a bullet\n',
    );
  });

  test('an empty page is an empty string', () => {
    expect(toMarkdown(page([]))).toBe('');
    expect(toText(page([]))).toBe('');
  });
});
