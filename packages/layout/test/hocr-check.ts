// Our own equivalent of hocr-tools' `hocr-check` (github.com/ocropus/hocr-tools, Apache-2.0), whose
// ok-/notok- fixtures define its rules: the required meta tags, element nesting, plus what hOCR 1.2
// asks of property syntax, declared capabilities and unique ids. Also checks the XML is well-formed.
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface HocrNode {
  readonly tag: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly HocrNode[];
  /** Concatenated text of this node and its descendants. */
  readonly text: string;
}

type Parsed = { [key: string]: Parsed[] | string | Record<string, string> };

export function parseXhtml(xml: string): HocrNode {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    trimValues: false,
    parseTagValue: false,
    parseAttributeValue: false,
    processEntities: true,
    htmlEntities: false,
  });
  const convert = (node: Parsed): HocrNode | undefined => {
    const tag = Object.keys(node).find((k) => k !== ':@');
    if (tag === undefined) return undefined;
    if (tag === '#text') {
      return { tag, attributes: {}, children: [], text: String(node[tag]) };
    }
    if (tag.startsWith('?') || tag.startsWith('!')) return undefined;
    const children = ((node[tag] as Parsed[]) ?? []).map(convert).filter((n): n is HocrNode => n !== undefined);
    return {
      tag,
      attributes: (node[':@'] as Record<string, string> | undefined) ?? {},
      children,
      text: children.map((c) => c.text).join(''),
    };
  };
  const roots = (parser.parse(xml) as Parsed[]).map(convert).filter((n): n is HocrNode => n !== undefined);
  const html = roots.find((n) => n.tag === 'html');
  if (!html) throw new Error('no <html> root element');
  return html;
}

export function walk(node: HocrNode, visit: (node: HocrNode, ancestors: readonly HocrNode[]) => void): void {
  const go = (n: HocrNode, ancestors: HocrNode[]) => {
    visit(n, ancestors);
    for (const c of n.children) go(c, [...ancestors, n]);
  };
  go(node, []);
}

export function ocrClass(node: HocrNode): string | undefined {
  return node.attributes.class?.split(/\s+/).find((c) => /^ocrx?_/.test(c));
}

/** hOCR title properties: `name value...` separated by `;`. */
export function properties(node: HocrNode): Map<string, string> {
  const props = new Map<string, string>();
  // Split at semicolons outside double-quoted strings (an image path may hold one).
  for (const part of (node.attributes.title ?? '').match(/(?:[^;"]|"(?:[^"\\]|\\.)*")+/g) ?? []) {
    const m = /^\s*(\S+)\s*(.*?)\s*$/.exec(part);
    if (m?.[1]) props.set(m[1], m[2] ?? '');
  }
  return props;
}

// Required ancestors (hocr-check's "ancestor" rules, and the nesting of hOCR 1.2's typesetting model).
const PARENTS: Record<string, string> = {
  ocr_carea: 'ocr_page',
  ocr_par: 'ocr_carea',
  ocr_line: 'ocr_par',
  ocrx_word: 'ocr_line',
};
const PROPERTY_CAPABILITY: Record<string, string> = { x_wconf: 'ocrp_wconf', poly: 'ocrp_poly', x_font: 'ocrp_font' };
const UINT = /^\d+$/;

/** Every rule broken, as `rule: detail`; empty when the document passes. */
export function checkHocr(xml: string): string[] {
  const problems: string[] = [];
  if (!/^<\?xml [^>]*\?>\s*<!DOCTYPE html PUBLIC "-\/\/W3C\/\/DTD XHTML 1\.0/.test(xml)) {
    problems.push('doctype: no XML declaration followed by the XHTML 1.0 doctype');
  }
  let html: HocrNode;
  try {
    html = parseXhtml(xml);
  } catch (error) {
    return [...problems, `xml: ${(error as Error).message}`];
  }
  if (html.attributes.xmlns !== 'http://www.w3.org/1999/xhtml') problems.push('xhtml: html lacks the XHTML namespace');
  if (!html.attributes.lang || html.attributes.lang !== html.attributes['xml:lang']) {
    problems.push('xhtml: html needs matching lang and xml:lang');
  }
  const metas = new Map<string, string>();
  walk(html, (n) => {
    if (n.tag === 'meta' && n.attributes.name) metas.set(n.attributes.name, n.attributes.content ?? '');
  });
  if (!metas.get('ocr-system')) problems.push('meta: ocr-system missing');
  const capabilities = new Set((metas.get('ocr-capabilities') ?? '').split(/\s+/).filter(Boolean));
  if (capabilities.size === 0) problems.push('meta: ocr-capabilities missing');
  const ids = new Set<string>();
  let pages = 0;
  walk(html, (n, ancestors) => {
    const id = n.attributes.id;
    if (id !== undefined) {
      if (ids.has(id)) problems.push(`id: ${id} used twice`);
      ids.add(id);
    }
    const cls = ocrClass(n);
    if (!cls) return;
    if (!capabilities.has(cls)) problems.push(`capabilities: ${cls} used but not declared`);
    const parentClass = PARENTS[cls];
    const classes = ancestors.map(ocrClass);
    if (cls === 'ocr_page') {
      pages++;
      if (classes.some((c) => c !== undefined)) problems.push(`ancestor: ocr_page ${id} inside another hOCR element`);
    } else if (!classes.includes('ocr_page')) problems.push(`ancestor: ${cls} ${id} outside any ocr_page`);
    if (parentClass && classes.filter((c) => c !== undefined).at(-1) !== parentClass) {
      problems.push(`ancestor: ${cls} ${id} not directly inside ${parentClass}`);
    }
    const props = properties(n);
    for (const name of props.keys()) {
      const capability = PROPERTY_CAPABILITY[name];
      if (capability && !capabilities.has(capability))
        problems.push(`capabilities: ${name} used without ${capability}`);
    }
    const bbox = props.get('bbox');
    if (bbox === undefined) problems.push(`bbox: ${cls} ${id} has none`);
    else {
      const v = bbox.split(/\s+/);
      if (v.length !== 4 || !v.every((x) => UINT.test(x)))
        problems.push(`bbox: "${bbox}" is not four unsigned integers`);
      else if (Number(v[0]) > Number(v[2]) || Number(v[1]) > Number(v[3])) problems.push(`bbox: "${bbox}" is inverted`);
    }
    const baseline = props.get('baseline');
    if (baseline !== undefined && !/^-?\d+(\.\d+)? -?\d+$/.test(baseline))
      problems.push(`baseline: "${baseline}" is not "float int"`);
    const wconf = props.get('x_wconf');
    if (wconf !== undefined && !(Number(wconf) >= 0 && Number(wconf) <= 100))
      problems.push(`x_wconf: ${wconf} not in 0..100`);
    const angle = props.get('textangle');
    if (angle !== undefined && !Number.isFinite(Number(angle))) problems.push(`textangle: ${angle} is not a number`);
    const ppageno = props.get('ppageno');
    if (ppageno !== undefined && !UINT.test(ppageno)) problems.push(`ppageno: ${ppageno} is not an unsigned integer`);
    const image = props.get('image');
    if (image !== undefined && !/^"(?:[^"\\]|\\.)*"$/.test(image))
      problems.push(`image: ${image} is not a delimited string`);
  });
  if (pages === 0) problems.push('ocr_page: none');
  return problems;
}
