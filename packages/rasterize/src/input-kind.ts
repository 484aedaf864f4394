/**
 * Whether `bytes` is a PDF: `%PDF-` within the first 1024 bytes, where viewers accept the header
 * (ISO 32000-2 section 7.5.2 puts it first; pdf.js and Acrobat search the first kilobyte).
 */
export function isPdf(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 1024);
  for (let i = head.indexOf(0x25); i !== -1 && i + 5 <= head.length; i = head.indexOf(0x25, i + 1)) {
    if (head[i + 1] === 0x50 && head[i + 2] === 0x44 && head[i + 3] === 0x46 && head[i + 4] === 0x2d) return true;
  }
  return false;
}
