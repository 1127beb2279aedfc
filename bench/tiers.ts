/**
 * How a feed request costs at one archive size: sequential probes of uncached renders (a
 * cache-busting `_` parameter, which the feed ignores, makes every URL new), searches, the
 * cached feed, and resident memory at rest and while serving a mixed load.
 */
import autocannon from 'autocannon';
import { COMMON_WORD, documentShare, SEARCH_WORD } from './gen/persian.ts';
import { probe } from './lib/probe.ts';
import { cpuMs, memoryMiB } from './lib/proc.ts';
import type { ProbeStats, Tier } from './lib/results.ts';
import type { Running } from './lib/servers.ts';

/** A browser's User-Agent, so short-link clicks count as human. */
export const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

export interface TierOptions {
  /** Probe requests per kind at most, and seconds at most per kind. */
  probes: number;
  probeSeconds: number;
  /** Seconds of mixed load while RSS is sampled; 0 skips it. */
  servingSeconds: number;
  connections: number;
  /** Short codes to spread redirects over. */
  codes: string[];
}


/** Up to ~5% of the archive, so the share is exact for the sizes benchmarks use and quick for a million. */
const shareSample = (items: number) => Math.min(items, 50_000);

export async function measureTier(server: Running, items: number, how: string, opts: TierOptions, log: (line: string) => void): Promise<Tier> {
  const base = server.url;
  const bound = { max: opts.probes, seconds: opts.probeSeconds };
  /** A probe with the server's CPU time per request beside its latency. */
  const measured = async (urlOf: () => string, options = bound): Promise<ProbeStats> => {
    const before = cpuMs(server.pid);
    const { p50Ms, p99Ms, count } = await probe(urlOf, options);
    const after = cpuMs(server.pid);
    return { p50Ms, p99Ms, count, cpuMs: before === null || after === null ? null : (after - before) / count };
  };
  const rare = encodeURIComponent(SEARCH_WORD);
  const common = encodeURIComponent(COMMON_WORD);
  // The feed's cache key ignores unknown parameters (a `_=` buster would hit the cache), so each
  // probe varies a real one that filters nothing: `until` a distinct second after 2100.
  let salt = 0;
  const fresh = () => `until=${new Date(Date.UTC(2100, 0, 1) + 1000 * salt++).toISOString().replace('.000Z', 'Z')}`;
  const feed = await measured(() => `${base}/feeds/bench.rss?${fresh()}`);
  log(`  ${items} items: feed p50 ${feed.p50Ms.toFixed(2)} ms`);
  const categoryFeed = await measured(() => `${base}/feeds/bench-eqtesad.rss?${fresh()}`);
  log(`  ${items} items: category feed p50 ${categoryFeed.p50Ms.toFixed(2)} ms`);
  const searchRare = await measured(() => `${base}/feeds/bench.rss?q=${rare}&${fresh()}`);
  log(`  ${items} items: q=${SEARCH_WORD} p50 ${searchRare.p50Ms.toFixed(2)} ms`);
  const searchCommon = await measured(() => `${base}/feeds/bench.rss?q=${common}&${fresh()}`);
  log(`  ${items} items: q=${COMMON_WORD} p50 ${searchCommon.p50Ms.toFixed(2)} ms`);
  const cachedFeed = await measured(() => `${base}/feeds/bench.rss`, { max: 500, seconds: opts.probeSeconds });
  const rest = memoryMiB(server.pid);

  let servingRss: number | null = null;
  if (opts.servingSeconds > 0) {
    const sampler = setInterval(() => {
      const m = memoryMiB(server.pid);
      if (m) servingRss = Math.max(servingRss ?? 0, m.rss);
    }, 250);
    const paths = [
      () => '/feeds/bench.rss',
      () => '/feeds/bench.rss',
      () => `/feeds/bench.rss?${fresh()}`,
      () => `/feeds/bench-eqtesad.rss?${fresh()}`,
      () => `/feeds/bench.atom?q=${rare}&${fresh()}`,
      () => `/s/${opts.codes[Math.floor(Math.random() * opts.codes.length)]}`,
      () => `/s/${opts.codes[Math.floor(Math.random() * opts.codes.length)]}`,
    ];
    await autocannon({
      url: base,
      connections: opts.connections,
      duration: opts.servingSeconds,
      timeout: 30,
      headers: { 'user-agent': BROWSER_UA },
      requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: paths[Math.floor(Math.random() * paths.length)]!() }) }],
    });
    clearInterval(sampler);
  }
  const after = memoryMiB(server.pid);
  const sample = shareSample(items);
  return {
    items,
    how,
    feed,
    categoryFeed,
    searchRare,
    searchCommon,
    cachedFeed,
    searchShares: { rare: documentShare(SEARCH_WORD, sample), common: documentShare(COMMON_WORD, sample) },
    rssMiB: rest?.rss ?? null,
    servingRssMiB: servingRss,
    peakRssMiB: after?.peak ?? null,
  };
}
