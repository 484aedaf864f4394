/**
 * Text as 2-byte codes for the glyphless font (Identity-H, code = CID). A BMP character is its own
 * code; a character beyond the BMP gets one of the surrogate codes D800-DFFF, which never stand for a
 * character themselves, and the ToUnicode map sends that code to the surrogate pair.
 */
export class TextEncoder16 {
  readonly #astral = new Map<string, number>();

  /** Hex string of the codes of `text`, for a `<...> Tj` operand. */
  hex(text: string): string {
    let out = '';
    for (const char of text) {
      const point = char.codePointAt(0) as number;
      let code: number;
      if (point > 0xffff) code = this.#slot(char);
      else if (point >= 0xd800 && point <= 0xdfff)
        code = 0xfffd; // a lone surrogate: not text
      else code = point;
      out += code.toString(16).padStart(4, '0');
    }
    return out;
  }

  #slot(char: string): number {
    let code = this.#astral.get(char);
    if (code === undefined) {
      // 2048 slots; past them, the replacement character (a document with 2048 distinct emoji...).
      code = this.#astral.size < 0x800 ? 0xd800 + this.#astral.size : 0xfffd;
      if (code !== 0xfffd) this.#astral.set(char, code);
    }
    return code;
  }

  /**
   * The ToUnicode CMap (PDF 32000-1 §9.10.3; CMap syntax from Adobe technote #5014/#5411): every BMP
   * code to itself in 256-code ranges (a bfrange may not cross its last byte), and each surrogate-slot
   * code to its character as a UTF-16BE pair.
   */
  toUnicodeCMap(): string {
    const ranges: string[] = [];
    for (let high = 0; high < 256; high++) {
      if (high >= 0xd8 && high <= 0xdf) continue;
      const h = high.toString(16).padStart(2, '0');
      ranges.push(`<${h}00> <${h}ff> <${h}00>`);
    }
    const chars = [...this.#astral].map(([char, code]) => {
      const pair = [...char].length === 1 ? char : '\ufffd';
      const hex = [pair.charCodeAt(0), pair.charCodeAt(1)].map((unit) => unit.toString(16).padStart(4, '0')).join('');
      return `<${code.toString(16).padStart(4, '0')}> <${hex}>`;
    });
    const sections: string[] = [];
    for (let i = 0; i < ranges.length; i += 100) {
      const part = ranges.slice(i, i + 100);
      sections.push(`${part.length} beginbfrange\n${part.join('\n')}\nendbfrange`);
    }
    for (let i = 0; i < chars.length; i += 100) {
      const part = chars.slice(i, i + 100);
      sections.push(`${part.length} beginbfchar\n${part.join('\n')}\nendbfchar`);
    }
    return [
      '/CIDInit /ProcSet findresource begin',
      '12 dict begin',
      'begincmap',
      '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
      '/CMapName /Adobe-Identity-UCS def',
      '/CMapType 2 def',
      '1 begincodespacerange',
      '<0000> <ffff>',
      'endcodespacerange',
      ...sections,
      'endcmap',
      'CMapName currentdict /CMap defineresource pop',
      'end',
      'end',
    ].join('\n');
  }
}
