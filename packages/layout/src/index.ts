export { toText } from './export-text.js';
export { HOCR_CAPABILITIES, HOCR_SYSTEM, type HocrOptions, toHocr } from './hocr.js';
export { type LayoutInput, type LayoutOptions, layout } from './layout.js';
export { toMarkdown } from './markdown.js';
export { joinWords, lineText } from './text.js';
export type { Baseline, Block, Box, Line, Page, Table, TableCell, Word } from './types.js';
