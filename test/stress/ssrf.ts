// Issue #9, URL-mode SSRF: the real server (`startServer` from @ocrkit/server, a recording recognizer in
// place of the engine) on 127.0.0.1 is asked for `{"url": ...}` images at internal addresses written every
// way a URL allows: loopback (dotted, short, hex, octal, decimal, full-width digits, trailing dot), private,
// CGNAT, link-local and metadata ranges, 0.0.0.0, IPv6 loopback, IPv4-mapped/-compatible, ULA, link-local,
// NAT64, DNS names that resolve to them, userinfo tricks and non-http schemes. Expected: every case
// refused with 400 ModelArts.4601 (or AIS.0101 where the URL does not parse), the recognizer never called,
// and the target (an HTTP server listening on every address of this host, `::` dual-stack, so 127.0.0.1,
// ::1, 192.0.2.2, fd00::2 all reach it) sees zero requests.
//
// Every case is also sent to a second server started with allowPrivateUrls: "reachable when allowed"
// shows the case would have reached the target had the guard let it through (so a zero can fail).
//
// DNS: names from /etc/hosts and this host's name resolve to loopback for real. For names resolving to
// private, metadata, ULA or mixed address lists there is no offline DNS; node:dns `lookup` is replaced in
// this process for `*.ssrf.test` only (module.syncBuiltinESMExports updates the binding the server's
// fetch imported), everything else goes to the system resolver.
//
// Redirects: the server has no option to make one origin count as public, and every address this
// sandbox can reach is internal, so redirect cases call `fetchImage` (the function the server's url mode
// calls) with a policy equal to the default `isInternalAddress` except that 127.0.0.3 (the redirecting
// origin) is public. The control runs the same redirects with a policy under which nothing is internal.
//
// Run: pnpm build && node test/stress/ssrf.ts   (about 30 s; no env settings)
import dns from 'node:dns';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { syncBuiltinESMExports } from 'node:module';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { fetchImage, isInternalAddress, startServer } from '../../packages/server/dist/index.js';
import { raw } from '../../packages/server/test/http.ts';
import { png } from '../support/images.ts';
import { printTable, since, verdict } from './table.ts';

const image = png(40, 20);
const cannedResult = { direction: -1, words_block_count: 0, words_block_list: [] };

// --- the fake zone for *.ssrf.test -------------------------------------------------------------------
type Address = { address: string; family: 4 | 6 };
const zone: Record<string, Address[]> = {
  'meta.ssrf.test': [{ address: '169.254.169.254', family: 4 }],
  'ten.ssrf.test': [{ address: '10.0.0.1', family: 4 }],
  'cgnat.ssrf.test': [{ address: '100.64.0.1', family: 4 }],
  'eth0.ssrf.test': [{ address: '192.0.2.2', family: 4 }],
  'ula.ssrf.test': [{ address: 'fd00::2', family: 6 }],
  'v6loop.ssrf.test': [{ address: '::1', family: 6 }],
  'mapped.ssrf.test': [{ address: '::ffff:127.0.0.1', family: 6 }],
  // One public and one internal address: the guard must refuse the name, whichever is first.
  'public-first.ssrf.test': [
    { address: '93.184.215.14', family: 4 },
    { address: '127.0.0.1', family: 4 },
  ],
  'loop-first.ssrf.test': [
    { address: '127.0.0.1', family: 4 },
    { address: '93.184.215.14', family: 4 },
  ],
};
const systemLookup = dns.lookup;
function zoneLookup(host: string, options: unknown, callback?: unknown): void {
  const done = (typeof options === 'function' ? options : callback) as (...args: unknown[]) => void;
  const entries = zone[host.toLowerCase()];
  if (!entries) {
    (systemLookup as (...args: unknown[]) => void)(host, options, callback);
    return;
  }
  const settings = (typeof options === 'object' && options !== null ? options : {}) as {
    all?: boolean;
    family?: number;
  };
  const family = typeof options === 'number' ? options : (settings.family ?? 0);
  const list = entries.filter((entry) => family === 0 || entry.family === family);
  process.nextTick(() => {
    if (list.length === 0) done(Object.assign(new Error(`ENOTFOUND ${host}`), { code: 'ENOTFOUND' }));
    else if (settings.all) done(null, list);
    else done(null, list[0]?.address, list[0]?.family);
  });
}
dns.lookup = zoneLookup as typeof dns.lookup;
syncBuiltinESMExports();

// --- the target: every address of this host, one port ------------------------------------------------
const hits: string[] = [];
const target = createServer((request, response) => {
  hits.push(`${request.socket.remoteAddress} ${request.url}`);
  response.writeHead(200, { 'content-type': 'image/png', 'content-length': image.byteLength }).end(image);
});
target.listen({ port: 0, host: '::', ipv6Only: false });
await once(target, 'listening');
const port = (target.address() as AddressInfo).port;

// Names /etc/hosts maps to loopback here (real resolution, no fake).
const hostsNames = new Set<string>(['localhost', 'LOCALHOST', hostname()]);
try {
  for (const line of readFileSync('/etc/hosts', 'utf8').split('\n')) {
    const [address, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (address && isInternalAddress(address))
      for (const name of names) if (/^[a-z0-9.-]+$/i.test(name)) hostsNames.add(name);
  }
} catch {
  // No /etc/hosts: localhost and the host name remain.
}

interface Case {
  readonly group: string;
  readonly name: string;
  readonly url: string;
  /** What the guarded server must answer. @default "ModelArts.4601" */
  readonly expect?: string;
}

const p = port;
const cases: Case[] = [
  // Loopback, every way the WHATWG URL parser reads as 127.0.0.1.
  { group: 'loopback', name: '127.0.0.1', url: `http://127.0.0.1:${p}/x.png` },
  { group: 'loopback', name: '127.1 (short form)', url: `http://127.1:${p}/x.png` },
  { group: 'loopback', name: '0x7f.1 (hex)', url: `http://0x7f.1:${p}/x.png` },
  { group: 'loopback', name: '017700000001 (octal)', url: `http://017700000001:${p}/x.png` },
  { group: 'loopback', name: '2130706433 (decimal)', url: `http://2130706433:${p}/x.png` },
  { group: 'loopback', name: '127.0.0.1. (trailing dot)', url: `http://127.0.0.1.:${p}/x.png` },
  { group: 'loopback', name: 'full-width digits', url: `http://１２７.０.０.１:${p}/x.png` },
  { group: 'loopback', name: 'circled digits', url: `http://①②⑦.0.0.1:${p}/x.png` },
  { group: 'loopback', name: 'tab inside the host', url: `http://127.0.0.\t1:${p}/x.png` },
  { group: 'loopback', name: '127.255.255.254 (end of 127/8)', url: `http://127.255.255.254:${p}/x.png` },
  { group: 'loopback', name: 'HTTP:// upper-case scheme', url: `HTTP://127.0.0.1:${p}/x.png` },
  ...[...hostsNames].map((name) => ({ group: 'dns (hosts file)', name, url: `http://${name}:${p}/x.png` })),
  // This host on its other interfaces.
  { group: 'this host', name: '0.0.0.0', url: `http://0.0.0.0:${p}/x.png` },
  { group: 'this host', name: '0 (→ 0.0.0.0)', url: `http://0:${p}/x.png` },
  { group: 'this host', name: '[::] (unspecified)', url: `http://[::]:${p}/x.png` },
  { group: 'this host', name: 'eth0 192.0.2.2', url: `http://192.0.2.2:${p}/x.png` },
  { group: 'this host', name: 'eth0 [fd00::2] (ULA)', url: `http://[fd00::2]:${p}/x.png` },
  // Private, shared and link-local ranges (RFC 1918, RFC 6598, RFC 3927).
  { group: 'private', name: '10.0.0.1', url: 'http://10.0.0.1/x.png' },
  { group: 'private', name: '10.255.255.254', url: 'http://10.255.255.254/x.png' },
  { group: 'private', name: '172.16.0.1', url: 'http://172.16.0.1/x.png' },
  { group: 'private', name: '172.31.255.254', url: 'http://172.31.255.254/x.png' },
  { group: 'private', name: '192.168.0.1', url: 'http://192.168.0.1/x.png' },
  { group: 'private', name: '100.64.0.1 (CGNAT)', url: 'http://100.64.0.1/x.png' },
  { group: 'private', name: '100.127.255.254 (CGNAT)', url: 'http://100.127.255.254/x.png' },
  { group: 'metadata', name: '169.254.169.254', url: 'http://169.254.169.254/latest/meta-data/' },
  { group: 'metadata', name: '169.254.170.2 (ECS task)', url: 'http://169.254.170.2/v2/credentials' },
  { group: 'metadata', name: '0xa9fea9fe (hex metadata)', url: 'http://0xa9fea9fe/latest/meta-data/' },
  // IPv6.
  { group: 'ipv6', name: '[::1]', url: `http://[::1]:${p}/x.png` },
  { group: 'ipv6', name: '[0:0:0:0:0:0:0:1]', url: `http://[0:0:0:0:0:0:0:1]:${p}/x.png` },
  { group: 'ipv6', name: '[::ffff:127.0.0.1] (mapped)', url: `http://[::ffff:127.0.0.1]:${p}/x.png` },
  { group: 'ipv6', name: '[::ffff:7f00:1] (mapped, hex)', url: `http://[::ffff:7f00:1]:${p}/x.png` },
  { group: 'ipv6', name: '[::127.0.0.1] (compatible)', url: `http://[::127.0.0.1]:${p}/x.png` },
  { group: 'ipv6', name: '[::ffff:169.254.169.254] (mapped metadata)', url: 'http://[::ffff:169.254.169.254]/' },
  { group: 'ipv6', name: '[::ffff:10.0.0.1] (mapped private)', url: 'http://[::ffff:10.0.0.1]/x.png' },
  { group: 'ipv6', name: '[fc00::1] (ULA)', url: 'http://[fc00::1]/x.png' },
  { group: 'ipv6', name: '[fe80::1] (link-local)', url: 'http://[fe80::1]/x.png' },
  { group: 'ipv6', name: '[64:ff9b::7f00:1] (NAT64 of loopback)', url: 'http://[64:ff9b::7f00:1]/x.png' },
  // RFC 8215 local-use NAT64 prefix: translates to private IPv4 by design; IANA: not globally reachable.
  { group: 'ipv6', name: '[64:ff9b:1::a00:1] (local-use NAT64 of 10.0.0.1)', url: 'http://[64:ff9b:1::a00:1]/x.png' },
  { group: 'ipv6', name: 'zone id [fe80::1%25eth0]', url: 'http://[fe80::1%25eth0]/x.png', expect: 'AIS.0101' },
  // Names resolving to internal addresses (the fake zone).
  ...Object.keys(zone).map((name) => ({
    group: 'dns (fake zone)',
    name: `${name} → ${zone[name]?.map((a) => a.address).join(', ')}`,
    url: `http://${name}:${p}/x.png`,
  })),
  // Userinfo and delimiter tricks: the host is what follows the last @ (or precedes # and \).
  { group: 'userinfo', name: 'public.example@127.0.0.1', url: `http://public.example@127.0.0.1:${p}/x.png` },
  { group: 'userinfo', name: 'public.example:80@127.0.0.1', url: `http://public.example:80@127.0.0.1:${p}/x.png` },
  { group: 'userinfo', name: '127.0.0.1#@public.example', url: `http://127.0.0.1:${p}#@public.example/x.png` },
  { group: 'userinfo', name: '127.0.0.1\\@public.example', url: `http://127.0.0.1:${p}\\@public.example/x.png` },
  { group: 'userinfo', name: 'user:pass@[::1]', url: `http://user:pass@[::1]:${p}/x.png` },
  // Schemes other than http(s).
  { group: 'scheme', name: 'file:', url: 'file:///etc/passwd' },
  { group: 'scheme', name: 'file: with host', url: 'file://localhost/etc/passwd' },
  { group: 'scheme', name: 'ftp:', url: `ftp://127.0.0.1:${p}/x.png` },
  { group: 'scheme', name: 'gopher:', url: `gopher://127.0.0.1:${p}/_GET%20/x.png` },
  { group: 'scheme', name: 'data:', url: `data:image/png;base64,${Buffer.from(image).toString('base64')}` },
  { group: 'scheme', name: 'javascript:', url: 'javascript:alert(1)' },
  { group: 'scheme', name: 'ws:', url: `ws://127.0.0.1:${p}/x.png` },
  { group: 'scheme', name: 'dict:', url: `dict://127.0.0.1:${p}/info` },
  { group: 'scheme', name: 'blob:', url: `blob:http://127.0.0.1:${p}/x` },
];

let guardedCalls = 0;
let controlCalls = 0;
const recognizer = (count: () => void) => ({
  async recognize() {
    count();
    return cannedResult;
  },
});
const guarded = await startServer({
  port: 0,
  log: false,
  urlTimeoutMs: 3000,
  recognizer: recognizer(() => guardedCalls++),
});
const control = await startServer({
  port: 0,
  log: false,
  allowPrivateUrls: true,
  urlTimeoutMs: 1500,
  recognizer: recognizer(() => controlCalls++),
});

async function ask(server: { url: string }, url: string): Promise<{ outcome: string; ms: number; hits: number }> {
  const before = hits.length;
  const started = performance.now();
  let outcome: string;
  try {
    const response = await raw(`${server.url}/v2/ssrf/ocr/general-text`, {
      headers: { 'Content-Type': 'application/json', 'X-Auth-Token': 'ssrf' },
      body: JSON.stringify({ url }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = JSON.parse(response.text) as { error_code?: string };
    outcome = response.status === 200 ? 'fetched' : `${response.status} ${body.error_code}`;
  } catch (error) {
    outcome = `error ${(error as Error).message}`;
  }
  return { outcome, ms: since(started), hits: hits.length - before };
}

const failures: string[] = [];
const rows: (string | number)[][] = [];
for (const item of cases) {
  const expected = `400 ${item.expect ?? 'ModelArts.4601'}`;
  const callsBefore = guardedCalls;
  const guardedRun = await ask(guarded, item.url);
  const recognized = guardedCalls - callsBefore;
  const controlRun = await ask(control, item.url);
  const ok = guardedRun.outcome === expected && guardedRun.hits === 0 && recognized === 0;
  if (!ok) {
    failures.push(
      `[${item.group}] ${item.name} (${JSON.stringify(item.url)}): got ${guardedRun.outcome}, ` +
        `target requests ${guardedRun.hits}, recognitions ${recognized}; expected ${expected}, none fetched`,
    );
  }
  rows.push([
    item.group,
    item.name,
    guardedRun.outcome,
    guardedRun.hits,
    `${guardedRun.ms} ms`,
    controlRun.hits > 0 ? 'yes (target hit)' : `no (${controlRun.outcome})`,
    ok ? 'refused' : 'FAIL',
  ]);
}
printTable(['group', 'case', 'answer', 'target requests', 'time', 'reachable when allowed', 'verdict'], rows);
const serverCases = cases.length;

// --- redirects from an origin the guard accepts ------------------------------------------------------
const originAddress = '127.0.0.3';
const originHits: string[] = [];
const origin = createServer((request, response) => {
  originHits.push(request.url ?? '');
  const query = new URL(request.url ?? '/', 'http://origin').searchParams;
  const hops = Number(query.get('hops') ?? 0);
  if (hops > 0) {
    query.set('hops', String(hops - 1));
    response.writeHead(302, { location: `/redirect?${query}` }).end();
    return;
  }
  response.writeHead(Number(query.get('status') ?? 302), { location: query.get('to') ?? '/' }).end();
});
origin.listen(0, originAddress);
await once(origin, 'listening');
const originUrl = `http://${originAddress}:${(origin.address() as AddressInfo).port}`;
const onlyOriginPublic = (address: string) => address !== originAddress && isInternalAddress(address);

interface Redirect {
  readonly name: string;
  readonly to: string;
  readonly status?: number;
  /** Redirects within the origin before the one to `to`. */
  readonly hops?: number;
}
const redirects: Redirect[] = [
  { name: '302 → 127.0.0.1', to: `http://127.0.0.1:${p}/x.png` },
  { name: '301 → localhost', to: `http://localhost:${p}/x.png`, status: 301 },
  { name: '303 → [::1]', to: `http://[::1]:${p}/x.png`, status: 303 },
  { name: '307 → [::ffff:127.0.0.1]', to: `http://[::ffff:127.0.0.1]:${p}/x.png`, status: 307 },
  { name: '308 → 2130706433', to: `http://2130706433:${p}/x.png`, status: 308 },
  { name: '302 → 0x7f.1', to: `http://0x7f.1:${p}/x.png` },
  { name: '302 → [::127.0.0.1]', to: `http://[::127.0.0.1]:${p}/x.png` },
  { name: '302 → 192.0.2.2 (eth0)', to: `http://192.0.2.2:${p}/x.png` },
  { name: '302 → [fd00::2] (eth0 ULA)', to: `http://[fd00::2]:${p}/x.png` },
  { name: '302 → 0.0.0.0', to: `http://0.0.0.0:${p}/x.png` },
  { name: '302 → 169.254.169.254', to: 'http://169.254.169.254/latest/meta-data/' },
  { name: '302 → 10.0.0.1', to: 'http://10.0.0.1/x.png' },
  { name: '302 → 100.64.0.1', to: 'http://100.64.0.1/x.png' },
  { name: `302 → ${hostname()} (hosts file)`, to: `http://${hostname()}:${p}/x.png` },
  { name: '302 → eth0.ssrf.test (→ 192.0.2.2)', to: `http://eth0.ssrf.test:${p}/x.png` },
  { name: '302 → public-first.ssrf.test', to: `http://public-first.ssrf.test:${p}/x.png` },
  { name: '302 → //127.0.0.1 (scheme-relative)', to: `//127.0.0.1:${p}/x.png` },
  { name: '302 → public.example@127.0.0.1', to: `http://public.example@127.0.0.1:${p}/x.png` },
  { name: '2 hops in the origin, then → 127.0.0.1', to: `http://127.0.0.1:${p}/x.png`, hops: 2 },
  { name: '4 hops in the origin, then → [::1] (5th redirect)', to: `http://[::1]:${p}/x.png`, hops: 4 },
  { name: '302 → file:///etc/passwd', to: 'file:///etc/passwd' },
  { name: '302 → gopher:', to: `gopher://127.0.0.1:${p}/_x` },
  { name: '302 → ftp:', to: `ftp://127.0.0.1:${p}/x.png` },
  { name: '302 → data:', to: `data:image/png;base64,${Buffer.from(image).toString('base64')}` },
  { name: '302 → javascript:', to: 'javascript:alert(1)' },
];

async function follow(
  item: Redirect,
  isInternal: (address: string) => boolean,
): Promise<{ outcome: string; ms: number; hits: number; originHits: number }> {
  const before = hits.length;
  const originBefore = originHits.length;
  const query = new URLSearchParams({ to: item.to, status: String(item.status ?? 302), hops: String(item.hops ?? 0) });
  const started = performance.now();
  let outcome: string;
  try {
    await fetchImage(new URL(`${originUrl}/redirect?${query}`), {
      allowPrivate: false,
      maxBytes: 1 << 20,
      timeoutMs: 1500,
      isInternal,
    });
    outcome = 'fetched';
  } catch (error) {
    outcome = (error as { code?: string }).code ?? `error ${(error as Error).message}`;
  }
  return { outcome, ms: since(started), hits: hits.length - before, originHits: originHits.length - originBefore };
}

// The origin itself is fetched under the policy (the control of the control: it is accepted).
const sanity = await follow({ name: 'origin → origin image', to: `${originUrl}/redirect?status=200` }, (address) =>
  onlyOriginPublic(address),
);
if (sanity.originHits < 1 || sanity.outcome === 'ModelArts.4601') {
  failures.push(
    `the redirecting origin ${originUrl} itself was refused (${sanity.outcome}): the redirect cases prove nothing`,
  );
}
const redirectRows: (string | number)[][] = [];
for (const item of redirects) {
  const run = await follow(item, onlyOriginPublic);
  const controlRun = await follow(item, () => false);
  const ok = run.outcome === 'ModelArts.4601' && run.hits === 0 && run.originHits === (item.hops ?? 0) + 1;
  if (!ok) {
    failures.push(
      `[redirect] ${item.name}: got ${run.outcome}, target requests ${run.hits}, origin requests ${run.originHits}; ` +
        `expected ModelArts.4601 after ${(item.hops ?? 0) + 1} origin request(s), none to the target`,
    );
  }
  redirectRows.push([
    item.name,
    run.originHits,
    run.outcome,
    run.hits,
    `${run.ms} ms`,
    controlRun.hits > 0 ? 'yes (target hit)' : `no (${controlRun.outcome})`,
    ok ? 'refused' : 'FAIL',
  ]);
}
printTable(
  [
    'redirect from the accepted origin',
    'origin requests',
    'outcome',
    'target requests',
    'time',
    'reachable when allowed',
    'verdict',
  ],
  redirectRows,
);

await guarded.close();
await control.close();
target.closeAllConnections();
origin.closeAllConnections();
target.close();
origin.close();

const reachable = rows.filter((row) => String(row[5]).startsWith('yes')).length;
console.log(
  `\n${serverCases} URL cases against the server (${reachable} would have reached the local target if allowed), ` +
    `${redirects.length} redirect cases through fetchImage; target requests while guarded: ` +
    `${rows.reduce((sum, row) => sum + Number(row[3]), 0) + redirectRows.reduce((sum, row) => sum + Number(row[3]), 0)}`,
);
verdict(failures, 'all refused: ModelArts.4601 (AIS.0101 where the URL does not parse), nothing fetched');
