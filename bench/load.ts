/**
 * Load and soak (issue 10): many connections of mixed traffic against one Chapar on loopback
 * (feeds in three formats and with queries, conditional requests, short-link redirects from
 * browsers and bots, and pushes of new items that make every cached feed stale), counting
 * errors and latency; the soak samples the server's resident memory as it goes.
 */
import autocannon from 'autocannon';
import { benchItem } from './gen/persian.ts';
import { get } from './lib/probe.ts';
import { memoryMiB } from './lib/proc.ts';
import type { LoadReport, SoakReport } from './lib/results.ts';
import { ADMIN_TOKEN, type Running } from './lib/servers.ts';
import { BROWSER_UA } from './tiers.ts';

export interface MixOptions {
  seconds: number;
  connections: number;
  /** One request in this many is a push of `pushSize` new items. */
  pushEvery: number;
  pushSize: number;
  codes: string[];
}

/**
 * Pushed items count down from -1: newer than every seeded item (item 0 is the newest), so each
 * push changes the feeds' first page, as a real push does. Shared by the load and the soak.
 */
let nextItem = -1;

type RequestSpec = Parameters<typeof autocannon>[0]['requests'] extends (infer R)[] | undefined ? R : never;

const BOT_UA = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const READER_UA = 'Feedly/1.0 (+http://www.feedly.com/fetcher.html; 42 subscribers)';

/** Runs the mix once; `onSample` is called every `sampleMs` while it runs. */
async function mixedLoad(server: Running, opts: MixOptions, sample?: { everyMs: number; each: (secondsIn: number) => void }): Promise<LoadReport> {
  let etag = '';
  let pushes = 0;
  let itemsPushed = 0;
  const code = () => opts.codes[Math.floor(Math.random() * opts.codes.length)]!;
  // A search among them: it indexes whatever the pushes left behind before it reads (migration 0003).
  const search = `/feeds/bench.rss?q=${encodeURIComponent('زلزله')}`;
  const feeds = ['/feeds/bench.rss', '/feeds/bench.atom', '/feeds/bench.json', '/feeds/bench-eqtesad.rss', '/feeds/bench.rss?limit=20', '/feeds/bench.rss?category=siasat', search];
  const get = (path: () => string, headers: () => Record<string, string> = () => ({})): RequestSpec => ({
    method: 'GET',
    setupRequest: (request) => ({ ...request, method: 'GET', path: path(), headers: headers(), body: '' }),
  });
  const kinds: RequestSpec[] = [
    {
      method: 'GET',
      setupRequest: (request) => ({ ...request, method: 'GET', path: '/feeds/bench.rss', headers: { 'user-agent': READER_UA, 'accept-encoding': 'gzip' }, body: '' }),
      onResponse: (status, _body, _context, headers) => {
        const tag = Object.entries(headers).find(([name]) => name.toLowerCase() === 'etag')?.[1];
        if (status === 200 && tag) etag = tag;
      },
    },
    get(() => feeds[Math.floor(Math.random() * feeds.length)]!, () => ({ 'user-agent': READER_UA })),
    get(() => '/feeds/bench.rss', () => ({ 'if-none-match': etag, 'accept-encoding': 'gzip', 'user-agent': READER_UA })),
    get(() => '/feeds/bench.rss', () => ({ 'if-none-match': etag, 'accept-encoding': 'gzip', 'user-agent': READER_UA })),
    get(() => `/s/${code()}`, () => ({ 'user-agent': BROWSER_UA })),
    get(() => `/s/${code()}`, () => ({ 'user-agent': BROWSER_UA, referer: 'https://t.me/some_channel' })),
    get(() => `/s/${code()}`, () => ({ 'user-agent': BOT_UA })),
  ];
  const cycle: RequestSpec[] = [];
  for (let i = 0; i < opts.pushEvery - 1; i++) cycle.push(kinds[i % kinds.length]!);
  cycle.push({
    method: 'POST',
    setupRequest: (request) => {
      const items = Array.from({ length: opts.pushSize }, () => benchItem(nextItem--));
      return {
        ...request,
        method: 'POST',
        path: '/api/v1/items',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(items),
      };
    },
    onResponse: (status) => {
      if (status === 201) {
        pushes++;
        itemsPushed += opts.pushSize;
      }
    },
  });

  const started = performance.now();
  const timer = sample ? setInterval(() => sample.each((performance.now() - started) / 1000), sample.everyMs) : null;
  const result = await autocannon({ url: server.url, connections: opts.connections, duration: opts.seconds, timeout: 30, requests: cycle });
  if (timer) clearInterval(timer);
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([k, v]) => [k, Number(v.count)]));
  const bad = Object.entries(statuses)
    .filter(([status]) => Number(status) >= 400)
    .reduce((n, [, count]) => n + count, 0);
  return {
    seconds: result.duration,
    connections: opts.connections,
    mix: `${cycle.length}-request cycle per connection: 2 of 7 feed GETs (rss/atom/json, queries, a q= search, gzip), 2 of 7 If-None-Match, 3 of 7 redirects (browser, browser with referrer, bot); 1 push of ${opts.pushSize} items in every ${opts.pushEvery}`,
    requests: result.requests.total,
    rps: result.requests.total / result.duration,
    errors: result.errors + result.timeouts + bad,
    statuses,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    pushes,
    itemsPushed,
  };
}

export function loadTest(server: Running, opts: MixOptions): Promise<LoadReport> {
  return mixedLoad(server, opts);
}

export async function soakTest(server: Running, opts: MixOptions & { sampleSeconds: number }): Promise<SoakReport> {
  const rss: [number, number][] = [];
  const heap: [number, number, number][] = [];
  const pending: Promise<void>[] = [];
  const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
  const take = (at: number) => {
    const m = memoryMiB(server.pid);
    if (m) rss.push([Math.round(at), Math.round(m.rss * 10) / 10]);
    // The server's own split of its memory (/metrics), to tell V8's heap from the rest of a change in RSS.
    pending.push(
      get(`${server.url}/metrics`).then(({ body }) => {
        const value = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(body.toString())?.[1] ?? NaN);
        heap.push([Math.round(at), mib(value('nodejs_heap_size_used_bytes')), mib(value('nodejs_external_memory_bytes'))]);
      }),
    );
  };
  take(0);
  const report = await mixedLoad(server, opts, { everyMs: opts.sampleSeconds * 1000, each: take });
  take(report.seconds);
  await Promise.all(pending);
  heap.sort((a, b) => a[0] - b[0]);
  const minute = Math.min(60, opts.seconds / 5);
  const mean = (from: number, to: number) => {
    const values = rss.filter(([t]) => t >= from && t <= to).map(([, v]) => v);
    return values.reduce((a, b) => a + b, 0) / values.length;
  };
  const early = mean(minute, 2 * minute);
  const late = mean(opts.seconds - minute, opts.seconds);
  return { ...report, rss, heap, growthMiB: late - early, growthShare: (late - early) / early };
}
