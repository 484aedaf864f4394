/**
 * Reads an image's format and pixel size from its first bytes, without decoding pixels.
 * Each reader follows its format's header layout; none allocates more than a view.
 */

export type RasterFormat = 'jpeg' | 'png' | 'bmp' | 'tiff' | 'gif' | 'webp' | 'pcx' | 'ico' | 'psd';
export type ImageFormat = RasterFormat | 'pdf';

export type ImageHeader =
  | { readonly format: RasterFormat; readonly width: number; readonly height: number }
  | { readonly format: 'pdf' };

/** MIME type of each format, for callers that label bytes. */
export const imageMimeTypes: Readonly<Record<ImageFormat, string>> = Object.freeze({
  jpeg: 'image/jpeg',
  png: 'image/png',
  bmp: 'image/bmp',
  tiff: 'image/tiff',
  gif: 'image/gif',
  webp: 'image/webp',
  pcx: 'image/x-pcx',
  ico: 'image/vnd.microsoft.icon',
  psd: 'image/vnd.adobe.photoshop',
  pdf: 'application/pdf',
});

/**
 * The format and size of `bytes`, or undefined when the bytes are no image this module knows or
 * the header is cut short before the size.
 */
export function readImageHeader(bytes: Uint8Array): ImageHeader | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    return readHeader(bytes, view);
  } catch (error) {
    // A DataView read past the end: the header is truncated.
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

function readHeader(b: Uint8Array, v: DataView): ImageHeader | undefined {
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return png(b, v);
  if (startsWith(b, [0xff, 0xd8, 0xff])) return jpeg(b, v);
  if (startsWith(b, [0x42, 0x4d])) return bmp(v);
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00])) return tiff(v, true, false);
  if (startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])) return tiff(v, false, false);
  if (startsWith(b, [0x49, 0x49, 0x2b, 0x00])) return tiff(v, true, true);
  if (startsWith(b, [0x4d, 0x4d, 0x00, 0x2b])) return tiff(v, false, true);
  if (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a') {
    return sized('gif', v.getUint16(6, true), v.getUint16(8, true));
  }
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return webp(b, v);
  if (ascii(b, 0, 4) === '8BPS') return sized('psd', v.getUint32(18), v.getUint32(14));
  if (startsWith(b, [0x00, 0x00, 0x01, 0x00])) return ico(b, v);
  if (ascii(b, 0, 5) === '%PDF-') return { format: 'pdf' };
  // PCX: manufacturer 0x0A, version 0/2/3/4/5, encoding 1 (ZSoft PCX technical reference).
  if (b[0] === 0x0a && [0, 2, 3, 4, 5].includes(b[1] ?? -1) && b[2] === 1 && b.length >= 128) {
    return sized(
      'pcx',
      v.getUint16(8, true) - v.getUint16(4, true) + 1,
      v.getUint16(10, true) - v.getUint16(6, true) + 1,
    );
  }
  return undefined;
}

function sized(format: RasterFormat, width: number, height: number): ImageHeader {
  return { format, width, height };
}

function png(b: Uint8Array, v: DataView): ImageHeader | undefined {
  if (ascii(b, 12, 4) !== 'IHDR') return undefined;
  return sized('png', v.getUint32(16), v.getUint32(20));
}

// Start-of-frame markers carry the size: C0..CF except DHT (C4), JPG (C8) and DAC (CC). ITU T.81 B.1.1.3.
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function jpeg(b: Uint8Array, v: DataView): ImageHeader | undefined {
  let offset = 2;
  while (offset + 4 <= b.length) {
    if (b[offset] !== 0xff) return undefined;
    const marker = b[offset + 1] ?? 0;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    offset += 2;
    // Markers without a length: TEM, RST0..7, SOI.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) continue;
    if (marker === 0xd9 || marker === 0xda) return undefined; // EOI or scan data before any frame header
    const length = v.getUint16(offset);
    if (isStartOfFrame(marker)) return sized('jpeg', v.getUint16(offset + 5), v.getUint16(offset + 3));
    offset += length;
  }
  return undefined;
}

function bmp(v: DataView): ImageHeader | undefined {
  const headerSize = v.getUint32(14, true);
  // BITMAPCOREHEADER (OS/2) has 16-bit sizes; every later header has signed 32-bit ones,
  // a negative height meaning a top-down bitmap.
  if (headerSize === 12) return sized('bmp', v.getUint16(18, true), v.getUint16(20, true));
  if (headerSize < 40) return undefined;
  return sized('bmp', Math.abs(v.getInt32(18, true)), Math.abs(v.getInt32(22, true)));
}

const TIFF_IMAGE_WIDTH = 256;
const TIFF_IMAGE_LENGTH = 257;

/** First IFD's ImageWidth and ImageLength (TIFF 6.0 section 2; BigTIFF uses 8-byte counts and offsets). */
function tiff(v: DataView, little: boolean, big: boolean): ImageHeader | undefined {
  const ifd = big ? Number(v.getBigUint64(8, little)) : v.getUint32(4, little);
  const count = big ? Number(v.getBigUint64(ifd, little)) : v.getUint16(ifd, little);
  const entrySize = big ? 20 : 12;
  const first = ifd + (big ? 8 : 2);
  let width: number | undefined;
  let height: number | undefined;
  for (let i = 0; i < count && (width === undefined || height === undefined); i++) {
    const entry = first + i * entrySize;
    const tag = v.getUint16(entry, little);
    if (tag !== TIFF_IMAGE_WIDTH && tag !== TIFF_IMAGE_LENGTH) continue;
    const type = v.getUint16(entry + 2, little);
    const valueAt = entry + (big ? 12 : 8);
    // SHORT (3) or LONG (4); BigTIFF adds LONG8 (16).
    let value: number;
    if (type === 3) value = v.getUint16(valueAt, little);
    else if (type === 4) value = v.getUint32(valueAt, little);
    else if (type === 16) value = Number(v.getBigUint64(valueAt, little));
    else return undefined;
    if (tag === TIFF_IMAGE_WIDTH) width = value;
    else height = value;
  }
  return width === undefined || height === undefined ? undefined : sized('tiff', width, height);
}

/** WebP container: lossy `VP8 `, lossless `VP8L` or extended `VP8X` first chunk (RFC 9649). */
function webp(b: Uint8Array, v: DataView): ImageHeader | undefined {
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8 ') {
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return undefined;
    return sized('webp', v.getUint16(26, true) & 0x3fff, v.getUint16(28, true) & 0x3fff);
  }
  if (chunk === 'VP8L') {
    if (b[20] !== 0x2f) return undefined;
    const bits = v.getUint32(21, true);
    return sized('webp', (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  if (chunk === 'VP8X') {
    const width = (v.getUint32(24, true) & 0xffffff) + 1;
    const height = (v.getUint32(27, true) & 0xffffff) + 1;
    return sized('webp', width, height);
  }
  return undefined;
}

/** The largest image in an ICO directory; a stored 0 means 256 px. */
function ico(b: Uint8Array, v: DataView): ImageHeader | undefined {
  const count = v.getUint16(4, true);
  if (count === 0) return undefined;
  let width = 0;
  let height = 0;
  for (let i = 0; i < count; i++) {
    const entry = 6 + i * 16;
    if (entry + 16 > b.length) return undefined;
    const w = b[entry] || 256;
    const h = b[entry + 1] || 256;
    if (w * h > width * height) {
      width = w;
      height = h;
    }
  }
  return sized('ico', width, height);
}

function startsWith(b: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((byte, i) => b[i] === byte);
}

function ascii(b: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...b.subarray(start, start + length));
}
