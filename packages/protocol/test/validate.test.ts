import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  checkImage,
  currentLimits,
  decodeBase64,
  type Limits,
  parseGeneralTextRequest,
  seedLimits,
  validateGeneralTextRequest,
} from '../src/index.js';

const image = (name: string) => readFileSync(new URL(`./fixtures/images/${name}`, import.meta.url));
const png = image('red-37x21.png').toString('base64');

function codeOf(body: unknown, limits?: Limits) {
  const checked = validateGeneralTextRequest(body, limits);
  return checked.ok ? 'ok' : checked.error.error_code;
}

describe('validateGeneralTextRequest', () => {
  test('accepts an image and returns its decoded bytes and header', () => {
    const checked = validateGeneralTextRequest({ image: png, detect_direction: true });
    expect(checked.ok).toBe(true);
    if (!checked.ok || !('image' in checked.value)) throw new Error('expected an image request');
    expect(Buffer.from(checked.value.image).equals(image('red-37x21.png'))).toBe(true);
    expect(checked.value.header).toEqual({ format: 'png', width: 37, height: 21 });
    expect(checked.value.request.detect_direction).toBe(true);
  });

  test('accepts a url and returns it parsed', () => {
    const checked = validateGeneralTextRequest({ url: 'https://example.com/a.jpg', quick_mode: false });
    expect(checked.ok && 'url' in checked.value && checked.value.url.hostname).toBe('example.com');
  });

  test.each([
    ['both image and url', { image: png, url: 'https://example.com/a.jpg' }],
    ['neither image nor url', { detect_direction: true }],
    ['an array body', [png]],
    ['a string body', png],
    ['null', null],
    ['image as a number', { image: 12 }],
    ['image as an empty string', { image: '' }],
    ['url as an object', { url: { href: 'https://example.com' } }],
    ['url that does not parse', { url: 'not a url' }],
    ['detect_direction as a string', { image: png, detect_direction: 'true' }],
    ['quick_mode as a number', { image: png, quick_mode: 1 }],
    ['character_mode as null', { image: png, character_mode: null }],
    ['language as a number', { image: png, language: 1 }],
    ['pdf_page_number 0', { image: png, pdf_page_number: 0 }],
    ['pdf_page_number 1.5', { image: png, pdf_page_number: 1.5 }],
    ['pdf_page_number 1e300', { image: png, pdf_page_number: 1e300 }],
  ])('%s is AIS.0101', (_, body) => {
    expect(codeOf(body)).toBe('AIS.0101');
  });

  test.each([
    ['a data: URL', `data:image/png;base64,${png}`],
    ['URL-safe base64', `${png.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}-_`],
    ['spaces inside', `${png.slice(0, 8)} ${png.slice(8)}`],
    ['a stray character', `${png.slice(0, 8)}*${png.slice(8)}`],
    ['length 1 mod 4', `${png.replace(/=+$/, '')}A`.slice(0, 4 * 10 + 1)],
    ['three padding characters', 'QUJD==='],
    ['base64 of text', Buffer.from('hello, this is not an image').toString('base64')],
    ['a GIF under seed limits', image('red-37x21.gif').toString('base64')],
    ['a truncated PNG header', image('red-37x21.png').subarray(0, 20).toString('base64')],
  ])('%s is AIS.0102', (_, value) => {
    expect(codeOf({ image: value })).toBe('AIS.0102');
  });

  test('base64 wrapped at 76 characters (MIME) is accepted', () => {
    const wrapped = png.replace(/.{76}/g, '$&\r\n');
    expect(wrapped).toContain('\r\n');
    expect(codeOf({ image: wrapped })).toBe('ok');
  });

  test('unpadded base64 is accepted', () => {
    const padded = image('red-37x21.jpg').toString('base64');
    const unpadded = padded.replace(/=+$/, '');
    expect(unpadded.length % 4).not.toBe(0);
    expect(codeOf({ image: unpadded })).toBe('ok');
  });

  test.each([
    ['a side over 4096 px', 'wide-4097x15.png'],
    ['a side under 15 px', 'thin-100x14.png'],
  ])('%s is AIS.0103', (_, name) => {
    expect(codeOf({ image: image(name).toString('base64') })).toBe('AIS.0103');
  });

  test('a base64 string over the size limit is AIS.0103 before it is decoded', () => {
    const limits = { ...seedLimits, maxBase64Bytes: 100 };
    expect(codeOf({ image: '#'.repeat(101) }, limits)).toBe('AIS.0103');
  });

  test('more pixels than the limit is AIS.0103', () => {
    expect(codeOf({ image: png }, { ...seedLimits, maxPixels: 37 * 21 - 1 })).toBe('AIS.0103');
    expect(codeOf({ image: png }, { ...seedLimits, maxPixels: 37 * 21 })).toBe('ok');
  });

  test('the current limits accept GIF, WEBP, PDF and a 4097 px side', () => {
    for (const name of ['red-37x21.gif', 'red-37x21-lossy.webp', 'one-page.pdf', 'wide-4097x15.png']) {
      expect(codeOf({ image: image(name).toString('base64') }, currentLimits)).toBe('ok');
    }
  });

  test.each(['file:///etc/passwd', 'ftp://example.com/a.png', 'gopher://x', 'javascript:alert(1)'])(
    'url %s is ModelArts.4601',
    (url) => {
      expect(codeOf({ url })).toBe('ModelArts.4601');
    },
  );

  test('errors carry the status and a message naming the value', () => {
    const checked = validateGeneralTextRequest({ image: png, quick_mode: 'yes' });
    expect(checked).toEqual({
      ok: false,
      error: {
        status: 400,
        error_code: 'AIS.0101',
        error_msg: 'The input parameter is invalid. quick_mode must be a boolean, got the string "yes".',
      },
    });
  });
});

describe('parseGeneralTextRequest', () => {
  test.each(['{', '{"image": }', '', 'nul', '{"image":"x",}'])('%j is ModelArts.4105', (text) => {
    const checked = parseGeneralTextRequest(text);
    expect(checked.ok ? 'ok' : checked.error.error_code).toBe('ModelArts.4105');
  });

  test('invalid UTF-8 is ModelArts.4105', () => {
    const checked = parseGeneralTextRequest(new Uint8Array([0x7b, 0xff, 0x7d]));
    expect(checked.ok ? 'ok' : checked.error.error_code).toBe('ModelArts.4105');
  });

  test('valid JSON goes on to validation', () => {
    const checked = parseGeneralTextRequest(new TextEncoder().encode(JSON.stringify({ image: png })));
    expect(checked.ok).toBe(true);
    const wrongShape = parseGeneralTextRequest('[]');
    expect(wrongShape.ok ? 'ok' : wrongShape.error.error_code).toBe('AIS.0101');
  });
});

describe('decodeBase64 and checkImage', () => {
  test('decodeBase64 round-trips bytes', () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 251, 252, 253]);
    const checked = decodeBase64(Buffer.from(bytes).toString('base64'));
    expect(checked.ok && [...checked.value]).toEqual([...bytes]);
  });

  test('checkImage rejects an image whose base64 form would be over the limit', () => {
    const bytes = image('red-37x21.png');
    const limits = { ...seedLimits, maxBase64Bytes: Math.ceil(bytes.length / 3) * 4 - 1 };
    const checked = checkImage(bytes, limits);
    expect(checked.ok ? 'ok' : checked.error.error_code).toBe('AIS.0103');
  });
});
