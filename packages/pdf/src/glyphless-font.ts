/**
 * A TrueType font with two empty glyphs (.notdef and one blank), every advance 500/1000 em, ascent 800
 * and descent -200: all the invisible text layer needs. Written here rather than shipped as a file so
 * that every number is visible; the same idea as Tesseract's GlyphLessFont (src/api/pdfrenderer.cpp).
 * Table layouts follow the OpenType specification (head, hhea, maxp, hmtx, loca, glyf, cmap, name, post).
 */

export const glyphless = {
  postScriptName: 'OcrKitGlyphless',
  unitsPerEm: 1000,
  advance: 500,
  ascent: 800,
  descent: -200,
} as const;

export function glyphlessFontProgram(): Uint8Array {
  const { unitsPerEm, advance, ascent, descent } = glyphless;
  const numGlyphs = 2;
  const tables: Record<string, Uint8Array> = {
    // format 4: U+0020 → glyph 1; the closing 0xFFFF segment maps to glyph 0.
    cmap: bytes((w) => {
      w.u16(0).u16(1).u16(3).u16(1).u32(12);
      w.u16(4).u16(32).u16(0).u16(4).u16(4).u16(1).u16(0);
      w.u16(0x0020).u16(0xffff).u16(0).u16(0x0020).u16(0xffff);
      w.u16((1 - 0x20) & 0xffff)
        .u16(1)
        .u16(0)
        .u16(0);
    }),
    // Glyph 0 is a simple glyph with no contours (a 10-byte header and no instructions); glyph 1 takes
    // no bytes at all. A zero-length glyf table is legal but pdf.js rejects it ("Required glyf table is
    // not found").
    glyf: bytes((w) => {
      w.i16(0).i16(0).i16(0).i16(0).i16(0).u16(0);
    }),
    head: bytes((w) => {
      w.u32(0x00010000).u32(0x00010000).u32(0).u32(0x5f0f3cf5).u16(0x000b).u16(unitsPerEm);
      w.u32(0).u32(0).u32(0).u32(0); // created, modified
      w.i16(0).i16(descent).i16(advance).i16(ascent);
      w.u16(0).u16(8).i16(2).i16(0).i16(0); // macStyle, lowestRecPPEM, direction hint, short loca, glyph format
    }),
    hhea: bytes((w) => {
      w.u32(0x00010000).i16(ascent).i16(descent).i16(0).u16(advance);
      w.i16(0).i16(0).i16(0).i16(1).i16(0).i16(0);
      w.i16(0).i16(0).i16(0).i16(0).i16(0).u16(numGlyphs);
    }),
    hmtx: bytes((w) => {
      for (let i = 0; i < numGlyphs; i++) w.u16(advance).i16(0);
    }),
    // Short offsets (offset / 2): glyph 0 spans bytes 0..12 of glyf, glyph 1 is empty.
    loca: bytes((w) => {
      w.u16(0).u16(6).u16(6);
    }),
    maxp: bytes((w) => {
      w.u32(0x00010000).u16(numGlyphs);
      for (let i = 0; i < 13; i++) w.u16(i === 4 ? 2 : 0); // maxZones = 2, everything else 0
    }),
    name: nameTable({ 1: 'OcrKit Glyphless', 2: 'Regular', 4: 'OcrKit Glyphless', 6: glyphless.postScriptName }),
    post: bytes((w) => {
      w.u32(0x00030000).u32(0).i16(-100).i16(50).u32(1).u32(0).u32(0).u32(0).u32(0);
    }),
  };
  return sfnt(tables);
}

function nameTable(names: Record<number, string>): Uint8Array {
  const entries = Object.entries(names).map(([id, text]) => {
    const utf16 = new Uint8Array(text.length * 2);
    for (let i = 0; i < text.length; i++) {
      utf16[2 * i] = text.charCodeAt(i) >> 8;
      utf16[2 * i + 1] = text.charCodeAt(i) & 0xff;
    }
    return { id: Number(id), utf16 };
  });
  const headerSize = 6 + entries.length * 12;
  return bytes((w) => {
    w.u16(0).u16(entries.length).u16(headerSize);
    let offset = 0;
    for (const { id, utf16 } of entries) {
      // Windows, Unicode BMP, US English.
      w.u16(3).u16(1).u16(0x409).u16(id).u16(utf16.length).u16(offset);
      offset += utf16.length;
    }
    for (const { utf16 } of entries) w.raw(utf16);
  });
}

/** The font file: table directory, then each table 4-byte aligned, with checksums and the head adjustment. */
function sfnt(tables: Record<string, Uint8Array>): Uint8Array {
  const tags = Object.keys(tables).sort();
  const count = tags.length;
  const entrySelector = Math.floor(Math.log2(count));
  const searchRange = 2 ** entrySelector * 16;
  let offset = 12 + count * 16;
  const layout = tags.map((tag) => {
    const data = tables[tag] as Uint8Array;
    const entry = { tag, data, offset };
    offset += Math.ceil(data.length / 4) * 4;
    return entry;
  });
  const font = new Uint8Array(offset);
  const view = new DataView(font.buffer);
  view.setUint32(0, 0x00010000);
  view.setUint16(4, count);
  view.setUint16(6, searchRange);
  view.setUint16(8, entrySelector);
  view.setUint16(10, count * 16 - searchRange);
  layout.forEach(({ tag, data, offset: at }, i) => {
    const record = 12 + i * 16;
    for (let c = 0; c < 4; c++) view.setUint8(record + c, tag.charCodeAt(c));
    font.set(data, at);
    view.setUint32(record + 4, checksum(font, at, data.length));
    view.setUint32(record + 8, at);
    view.setUint32(record + 12, data.length);
  });
  const head = layout.find((entry) => entry.tag === 'head');
  if (head) view.setUint32(head.offset + 8, (0xb1b0afba - checksum(font, 0, font.length)) >>> 0);
  return font;
}

function checksum(font: Uint8Array, start: number, length: number): number {
  const view = new DataView(font.buffer, font.byteOffset);
  let sum = 0;
  const end = start + Math.ceil(length / 4) * 4;
  for (let i = start; i < end; i += 4) sum = (sum + view.getUint32(i)) >>> 0;
  return sum;
}

interface Writer {
  u16(value: number): Writer;
  i16(value: number): Writer;
  u32(value: number): Writer;
  raw(data: Uint8Array): Writer;
}

function bytes(write: (w: Writer) => void): Uint8Array {
  const parts: number[] = [];
  const w: Writer = {
    u16: (v) => {
      parts.push((v >> 8) & 0xff, v & 0xff);
      return w;
    },
    i16: (v) => w.u16(v & 0xffff),
    u32: (v) => {
      parts.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
      return w;
    },
    raw: (data) => {
      parts.push(...data);
      return w;
    },
  };
  write(w);
  return Uint8Array.from(parts);
}
