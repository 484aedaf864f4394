import { blockLines, tableOf, tableRows } from './export-text.js';
import type { Page } from './types.js';

/**
 * The page as Markdown: blocks as paragraphs (their lines kept as soft line breaks), tables as GitHub
 * tables with the first row as header. Text is escaped so that it renders as written: inline markup
 * characters everywhere, block markers at a line's start, and `|` inside tables.
 */
export function toMarkdown(page: Page): string {
  const parts = page.blocks
    .map((block) => {
      const table = tableOf(page, block);
      if (!table) return blockLines(page, block, ' ', escapeLine);
      const rows = tableRows(table).map((row) => `| ${row.map(escapeCell).join(' | ')} |`);
      rows.splice(1, 0, `|${' --- |'.repeat(table.cols)}`);
      return rows.join('\n');
    })
    .filter((p) => p.length > 0);
  return parts.length > 0 ? `${parts.join('\n\n')}\n` : '';
}

/** CommonMark backslash escapes (spec 0.31, section 2.4) for what would start emphasis, code, links or HTML. */
function escapeInline(text: string): string {
  return text.replace(/[\\`*_[\]<>]/g, '\\$&');
}

/** A line starting like a heading, quote, list item or thematic break is escaped at its first character. */
function escapeLine(text: string): string {
  const escaped = escapeInline(text);
  return escaped.replace(/^(?:[#+\-=]|\d+(?=[.)]))/, (m) => (/\d/.test(m) ? `${m}\\` : `\\${m}`));
}

function escapeCell(text: string): string {
  return escapeInline(text).replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
}
