import { afterEach, describe, expect, test } from 'vitest';
import { png } from '../../../test/support/images.ts';
import { FetchImageError, type FetchImageOptions, fetchImage, isInternalAddress } from '../src/index.js';
import { closeAll, imageServer, servesImage } from './servers.js';

afterEach(closeAll);

const image = png(40, 20);
const options: FetchImageOptions = { allowPrivate: false, maxBytes: 1024 * 1024, timeoutMs: 2000 };

/** The FetchImageError `promise` rejects with; fails the test when it resolves or rejects with anything else. */
async function fetchFailure(promise: Promise<unknown>): Promise<FetchImageError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof FetchImageError)) {
    throw new Error(`Expected a FetchImageError, got ${outcome === undefined ? 'the image' : String(outcome)}`);
  }
  return outcome;
}

describe('isInternalAddress', () => {
  test.each([
    ['8.8.8.8'],
    ['1.1.1.1'],
    ['93.184.215.14'],
    ['2606:4700::1111'],
    ['2001:4860:4860::8888'],
    ['::ffff:8.8.8.8'],
    ['::ffff:808:808'],
  ])('%s is public', (address) => {
    expect(isInternalAddress(address)).toBe(false);
  });

  test.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['0.0.0.0', 'this host'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'IPv6 loopback'],
    ['[::1]', 'IPv6 loopback in brackets'],
    ['::', 'IPv6 unspecified'],
    ['fe80::1', 'IPv6 link-local'],
    ['fe80::1%eth0', 'IPv6 link-local with a zone'],
    ['fc00::1', 'unique local'],
    ['fd12:3456:789a::1', 'unique local'],
    ['ff02::1', 'IPv6 multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback in hex (as the URL parser writes it)'],
    ['::FFFF:10.0.0.1', 'IPv4-mapped private, upper case'],
    ['0:0:0:0:0:ffff:a9fe:a9fe', 'IPv4-mapped metadata address, uncompressed'],
    ['::127.0.0.1', 'IPv4-compatible loopback'],
    ['::7f00:1', 'IPv4-compatible loopback in hex (as the URL parser writes [::127.0.0.1])'],
    ['::a9fe:a9fe', 'IPv4-compatible metadata address in hex'],
    ['64:ff9b::7f00:1', 'NAT64 of loopback'],
    ['64:ff9b:1::a00:1', 'local-use NAT64 (RFC 8215)'],
    ['localhost', 'not an IP literal'],
    ['', 'empty'],
  ])('%s is internal (%s)', (address) => {
    expect(isInternalAddress(address)).toBe(true);
  });
});

describe('fetchImage', () => {
  test('returns the bytes from a server allowed by allowPrivate', async () => {
    const images = await imageServer(servesImage(image));

    const bytes = await fetchImage(new URL(`${images.url}/x.png`), { ...options, allowPrivate: true });

    expect(Buffer.from(bytes)).toEqual(Buffer.from(image));
  });

  describe('with a policy where 127.0.0.1 is public and 127.0.0.2 internal', () => {
    const isInternal = (address: string) => address === '127.0.0.2';

    test('a redirect into 127.0.0.2 is ModelArts.4601 and the target is never asked', async () => {
      const target = await imageServer(servesImage(image), '127.0.0.2');
      const first = await imageServer((_request, response) => {
        response.writeHead(302, { location: `${target.url}/x.png` }).end();
      });

      const error = await fetchFailure(fetchImage(new URL(`${first.url}/start`), { ...options, isInternal }));

      expect({ name: error.name, code: error.code }).toEqual({ name: 'FetchImageError', code: 'ModelArts.4601' });
      expect(error.message).toContain('127.0.0.2');
      expect(first.paths).toEqual(['/start']);
      expect(target.paths).toEqual([]);
    });

    test('the same redirect is followed when 127.0.0.2 is public too (the control)', async () => {
      const target = await imageServer(servesImage(image), '127.0.0.2');
      const first = await imageServer((_request, response) => {
        response.writeHead(302, { location: `${target.url}/x.png` }).end();
      });

      const bytes = await fetchImage(new URL(`${first.url}/start`), { ...options, isInternal: () => false });

      expect(Buffer.from(bytes)).toEqual(Buffer.from(image));
      expect(target.paths).toEqual(['/x.png']);
    });
  });

  test('a redirect to a DNS name that resolves to an internal address is ModelArts.4601', async () => {
    // Under this policy 127.0.0.2 is public and 127.0.0.1 (where localhost resolves) internal.
    const isInternal = (address: string) => address === '127.0.0.1' || address === '::1';
    const target = await imageServer(servesImage(image));
    const first = await imageServer((_request, response) => {
      response.writeHead(301, { location: `http://localhost:${target.port}/x.png` }).end();
    }, '127.0.0.2');

    const error = await fetchFailure(fetchImage(new URL(`${first.url}/start`), { ...options, isInternal }));

    expect(error.code).toBe('ModelArts.4601');
    expect(first.paths).toEqual(['/start']);
    expect(target.paths).toEqual([]);
  });

  test('a redirect to a non-http scheme is ModelArts.4601', async () => {
    const first = await imageServer((_request, response) => {
      response.writeHead(302, { location: 'file:///etc/passwd' }).end();
    });

    const error = await fetchFailure(fetchImage(new URL(`${first.url}/start`), { ...options, allowPrivate: true }));

    expect(error.code).toBe('ModelArts.4601');
  });

  test('a body over maxBytes is AIS.0103', async () => {
    const images = await imageServer(servesImage(new Uint8Array(5000)));

    const error = await fetchFailure(
      fetchImage(new URL(`${images.url}/big`), { ...options, allowPrivate: true, maxBytes: 4999 }),
    );

    expect(error.code).toBe('AIS.0103');
  });

  test('a body of exactly maxBytes is returned', async () => {
    const images = await imageServer(servesImage(new Uint8Array(5000).fill(7)));

    const bytes = await fetchImage(new URL(`${images.url}/exact`), { ...options, allowPrivate: true, maxBytes: 5000 });

    expect(bytes.byteLength).toBe(5000);
  });

  test("aborting the caller's signal ends a stalled fetch with ModelArts.4603", async () => {
    const images = await imageServer(() => {
      // Never answers.
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);

    const started = performance.now();
    const error = await fetchFailure(
      fetchImage(new URL(`${images.url}/slow`), {
        ...options,
        allowPrivate: true,
        timeoutMs: 10_000,
        signal: controller.signal,
      }),
    );

    expect(error.code).toBe('ModelArts.4603');
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
