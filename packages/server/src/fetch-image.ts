import { lookup } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { Agent, type Dispatcher, request } from 'undici';

/** Why a URL could not be fetched, as the API's code. */
export class FetchImageError extends Error {
  override readonly name = 'FetchImageError';
  constructor(
    readonly code: 'ModelArts.4601' | 'ModelArts.4603' | 'AIS.0103',
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }
}

export interface FetchImageOptions {
  /** Also fetch from loopback, private, link-local and other internal addresses. */
  readonly allowPrivate: boolean;
  readonly maxBytes: number;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
  /** Which addresses count as internal. @default isInternalAddress */
  readonly isInternal?: (address: string) => boolean;
}

const maxRedirects = 5;

// Addresses a server-side fetch must not reach unless told to (RFC 6890 special-purpose registries):
// this host, private networks, carrier-grade NAT, link-local (cloud metadata at 169.254.169.254),
// benchmarking, multicast and reserved ranges, and their IPv6 counterparts.
const internal = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  internal.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  // Local-use NAT64 (RFC 8215): translates to any IPv4 address, private ones included.
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  internal.addSubnet(network, prefix, 'ipv6');
}

/** Whether `address` (an IP literal) is internal; IPv4-mapped and -compatible IPv6 count as their IPv4. */
export function isInternalAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 4) return internal.check(bare, 'ipv4');
  if (family !== 6) return true;
  const v4 = embeddedIpv4(bare);
  if (v4 !== undefined) return internal.check(v4, 'ipv4');
  return internal.check(bare, 'ipv6');
}

/** The IPv4 address inside `::ffff:a.b.c.d`, `::ffff:7f00:1`, `::a.b.c.d` or `::7f00:1`, if any. */
function embeddedIpv4(v6: string): string | undefined {
  const lower = v6.toLowerCase();
  const dotted = /^(?:::ffff:|::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const hex = /^::(?:ffff:)?([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (!hex) return undefined;
  const high = Number.parseInt(hex[1] as string, 16);
  const low = Number.parseInt(hex[2] as string, 16);
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

class BlockedAddressError extends Error {}

/**
 * A DNS lookup that refuses internal addresses, used as the connection's own lookup: the address
 * checked is the address connected to, so a name that resolves differently on a second lookup (DNS
 * rebinding) cannot slip through.
 */
function guardedLookup(isInternal: (address: string) => boolean): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as { address: string; family: number }[];
      const bad = list.find((entry) => isInternal(entry.address));
      if (bad) return callback(new BlockedAddressError(`${hostname} resolves to ${bad.address}`), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: typeof list) => void)(null, list);
      const first = list[0];
      if (!first) return callback(new Error(`${hostname} has no address`), '', 0);
      callback(null, first.address, first.family);
    });
  };
}

const anyAddress = new Agent({});
const guardedAgents = new WeakMap<(address: string) => boolean, Agent>();

function agentFor(isInternal: (address: string) => boolean): Agent {
  let agent = guardedAgents.get(isInternal);
  if (!agent) {
    agent = new Agent({ connect: { lookup: guardedLookup(isInternal) } });
    guardedAgents.set(isInternal, agent);
  }
  return agent;
}

/**
 * Fetches an image for url mode: http(s) only, at most `maxBytes`, within `timeoutMs`, following up to
 * five redirects. Unless `allowPrivate`, every hop's host (literal or resolved) must be a public address:
 * `ModelArts.4601` otherwise. Other failures are `ModelArts.4603`; an image over `maxBytes` is `AIS.0103`.
 */
export async function fetchImage(url: URL, options: FetchImageOptions): Promise<Uint8Array> {
  const isInternal = options.isInternal ?? isInternalAddress;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  const onAbort = () => controller.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    let current = url;
    for (let hop = 0; ; hop++) {
      if (current.protocol !== 'http:' && current.protocol !== 'https:') {
        throw new FetchImageError('ModelArts.4601', `Only http and https URLs are fetched, not ${current.protocol}`);
      }
      const literal = current.hostname.replace(/^\[|\]$/g, '');
      if (!options.allowPrivate && isIP(literal) && isInternal(literal)) {
        throw new FetchImageError('ModelArts.4601', `${current.hostname} is an internal address.`);
      }
      const dispatcher: Dispatcher = options.allowPrivate ? anyAddress : agentFor(isInternal);
      const response = await send(current, dispatcher, controller.signal);
      if (response.statusCode >= 300 && response.statusCode < 400 && response.headers.location) {
        await response.body.dump();
        if (hop >= maxRedirects) throw new FetchImageError('ModelArts.4603', `More than ${maxRedirects} redirects.`);
        const location = Array.isArray(response.headers.location)
          ? response.headers.location[0]
          : response.headers.location;
        current = new URL(location ?? '', current);
        continue;
      }
      if (response.statusCode < 200 || response.statusCode > 299) {
        await response.body.dump();
        throw new FetchImageError('ModelArts.4603', `The URL answered HTTP ${response.statusCode}.`);
      }
      return await readCapped(response.body, options.maxBytes);
    }
  } catch (error) {
    if (error instanceof FetchImageError) throw error;
    if (hasCause(error, BlockedAddressError)) {
      throw new FetchImageError('ModelArts.4601', `The URL's host is an internal address.`, { cause: error });
    }
    const reason = controller.signal.aborted ? `no answer within ${options.timeoutMs} ms` : (error as Error).message;
    throw new FetchImageError('ModelArts.4603', `Could not fetch the URL: ${reason}.`, { cause: error });
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

async function send(url: URL, dispatcher: Dispatcher, signal: AbortSignal) {
  return request(url, { method: 'GET', dispatcher, signal, headers: { accept: 'image/*' } });
}

async function readCapped(
  body: AsyncIterable<Uint8Array> & { destroy(): void },
  maxBytes: number,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      body.destroy();
      throw new FetchImageError('AIS.0103', `The image at the URL is over ${maxBytes} bytes.`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

function hasCause(error: unknown, type: new (...args: never[]) => Error): boolean {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 8; depth++) {
    if (current instanceof type) return true;
    current = (current as Error).cause;
  }
  return false;
}
