/** The goals of issues 9 and 10, judged against one run's measurements. */
import type { Comparison, Figure, ProbeStats, RunResults, Tier } from './lib/results.ts';

const MILLION = 1_000_000;
const WINDOW_SECONDS = 300;
/** "Bounded p99" under load, as this harness reads it: well under a reader's patience. */
const LOAD_P99_BOUND_MS = 1000;
const SOAK_GROWTH_BOUND = 0.05;

const n0 = (n: number) => Math.round(n).toLocaleString('en-US');
const cpu = (s: ProbeStats) => (s.cpuMs === null ? '' : `, ${s.cpuMs.toFixed(2)} ms server CPU`);

function ratioFigure(c: Comparison | undefined, id: string, name: string, goal: number): Figure | null {
  if (!c) return null;
  const cpu = c.cpuRatio === null ? '' : `; CPU per request ratio ${c.cpuRatio.toFixed(2)}`;
  return {
    id,
    name,
    goal: `≥ ${goal.toFixed(2)}`,
    actual: `${c.ratio.toFixed(2)} (${n0(c.chapar.rps)} vs ${n0(c.baseline.rps)} req/s; p50 ${c.chapar.p50Ms.toFixed(2)} vs ${c.baseline.p50Ms.toFixed(2)} ms, p99 ${c.chapar.p99Ms.toFixed(2)} vs ${c.baseline.p99Ms.toFixed(2)} ms${cpu})`,
    pass: c.ratio >= goal,
  };
}

function sizeNote(t: Tier): string | undefined {
  return t.items >= MILLION ? undefined : `at ${n0(t.items)} items; the goal names 1M (run with --items 1000000)`;
}

function upstreamNote(sources: number, runtimePicks: number | null): string {
  const notes: string[] = [];
  if (sources < 10_000) notes.push(`at ${n0(sources)} sources; the goal names 10,000`);
  if (runtimePicks !== null && runtimePicks < sources) {
    notes.push(
      `the pass above is one tick over all sources (maxSources = all); a tick as the Node runtime schedules it (runIngestTick(deps, NODE_TICK)) took ${n0(runtimePicks)} of ${n0(sources)} due sources, so one ${WINDOW_SECONDS / 60}-minute window refreshes ${n0(runtimePicks)}`,
    );
  }
  return notes.join('; ');
}

export function judge(r: RunResults): Figure[] {
  const figures: (Figure | null)[] = [];
  const byId = (id: string) => r.comparisons.find((c) => c.id === id);
  figures.push(ratioFigure(byId('feed'), 'cached-feed', 'cached 50-item Persian feed, req/s vs baseline', 0.8));
  figures.push(ratioFigure(byId('not-modified'), 'not-modified', '304 on If-None-Match, req/s vs baseline', 0.85));
  figures.push(ratioFigure(byId('redirect'), 'redirect', 'short-link redirect with click counting, req/s vs baseline', 0.7));

  const small = r.tiers[0];
  const large = r.tiers.length > 1 ? r.tiers.reduce((a, b) => (b.items > a.items ? b : a)) : undefined;
  if (large) {
    const atMillion = large.items >= MILLION;
    const search = large.searchRare;
    figures.push({
      id: 'search-1m',
      name: `filtered uncached feed (\`q=\` a Persian word) p50 at ${n0(large.items)} items`,
      goal: '< 10 ms at 1M',
      actual: `${search.p50Ms.toFixed(2)} ms${cpu(search)} (rare word, in ${(large.searchShares.rare * 100).toFixed(1)}% of items); common word (${(large.searchShares.common * 100).toFixed(0)}%): ${large.searchCommon.p50Ms.toFixed(2)} ms${cpu(large.searchCommon)}`,
      pass: atMillion ? search.p50Ms < 10 : null,
      ...(sizeNote(large) ? { note: sizeNote(large) } : {}),
    });
    if (small) {
      const ratio = large.feed.p50Ms / small.feed.p50Ms;
      const category = large.categoryFeed.p50Ms / small.categoryFeed.p50Ms;
      const cpuRatio = large.feed.cpuMs !== null && small.feed.cpuMs ? `; server CPU per request ${(large.feed.cpuMs / small.feed.cpuMs).toFixed(2)}×` : '';
      figures.push({
        id: 'flat',
        name: `uncached feed p50 at ${n0(large.items)} items vs at ${n0(small.items)}`,
        goal: '≤ 1.5× (1M vs 1k)',
        actual: `${ratio.toFixed(2)}× (${large.feed.p50Ms.toFixed(2)} vs ${small.feed.p50Ms.toFixed(2)} ms${cpuRatio}); category feed ${category.toFixed(2)}× (${large.categoryFeed.p50Ms.toFixed(2)} vs ${small.categoryFeed.p50Ms.toFixed(2)} ms)`,
        pass: atMillion ? ratio <= 1.5 : null,
        ...(sizeNote(large) ? { note: sizeNote(large) } : {}),
      });
    }
    const rssMiB = Math.max(large.rssMiB ?? 0, large.servingRssMiB ?? 0);
    const mb = (rssMiB * 1024 * 1024) / 1e6;
    figures.push({
      id: 'memory',
      name: `resident memory while serving, ${n0(large.items)} items`,
      goal: '≤ 200 MB at 1M',
      actual: `${mb.toFixed(0)} MB (VmRSS, largest sample under mixed load); peak VmHWM ${large.peakRssMiB === null ? 'n/a' : `${((large.peakRssMiB * 1024 * 1024) / 1e6).toFixed(0)} MB`}`,
      pass: atMillion ? mb <= 200 : null,
      ...(sizeNote(large) ? { note: sizeNote(large) } : {}),
    });
  }
  if (r.ingest) {
    figures.push({
      id: 'ingest',
      name: 'bulk push ingest (batches of 1,000)',
      goal: '≥ 20,000 items/s',
      actual: `${n0(r.ingest.itemsPerSecond)} items/s${r.ingest.serverCpuSeconds === null ? '' : `; ${n0(r.ingest.items / r.ingest.serverCpuSeconds)} per second of server CPU`}${r.ingest.search ? `; search index caught up ${r.ingest.search.seconds.toFixed(1)} s after the last push` : ''}`,
      pass: r.ingest.itemsPerSecond >= 20_000,
      ...(r.ingest.floor
        ? { note: `floor on the same core (bench/push-floor.ts): the same rows by plain INSERTs ${n0(r.ingest.floor.insertsPerSecond)} items/s, with prepareItem ${n0(r.ingest.floor.preparedPerSecond)}` }
        : {}),
    });
  }
  if (r.parse) {
    figures.push({
      id: 'parse',
      name: "parse throughput vs fast-xml-parser's raw parse",
      goal: '≥ 0.50',
      actual: `${r.parse.ratio.toFixed(2)} (${r.parse.chaparMBps.toFixed(1)} vs ${r.parse.fxpMBps.toFixed(1)} MB/s)`,
      pass: r.parse.ratio >= 0.5,
    });
  }
  if (r.upstream) {
    const u = r.upstream;
    const measured = u.measuredPassSeconds;
    const refreshed = Object.entries(u.measuredPassStatuses)
      .filter(([status]) => status === 'ok' || status === 'not-modified')
      .reduce((n, [, count]) => n + count, 0);
    figures.push({
      id: 'upstreams',
      name: `${n0(u.sources)} upstream sources (loopback, mostly 304s) refreshed`,
      goal: `all inside one ${WINDOW_SECONDS / 60}-minute window`,
      actual:
        measured === null
          ? `not measured: ${u.reason ?? 'no result'}`
          : `${refreshed} of ${u.sources} refreshed in ${measured.toFixed(1)} s${u.measuredPassCpuSeconds === null ? '' : ` (${u.measuredPassCpuSeconds.toFixed(1)} s of ingest CPU)`} (upstream answered ${Object.entries(u.upstreamAnswers)
              .map(([code, count]) => `${code}: ${n0(count)}`)
              .join(', ')})`,
      pass: measured === null ? null : refreshed === u.sources && measured <= WINDOW_SECONDS && (u.runtimeTickPicks ?? 0) >= u.sources,
      ...(measured !== null ? { note: upstreamNote(u.sources, u.runtimeTickPicks) } : {}),
    });
  }
  if (r.load) {
    figures.push({
      id: 'load-errors',
      name: `load: ${r.load.connections} connections, ${n0(r.load.seconds)} s mixed traffic, errors`,
      goal: '0',
      actual: `${r.load.errors} of ${n0(r.load.requests)} requests`,
      pass: r.load.errors === 0,
    });
    figures.push({
      id: 'load-p99',
      name: 'load: p99 latency',
      goal: `bounded (< ${LOAD_P99_BOUND_MS} ms)`,
      actual: `${r.load.p99Ms.toFixed(0)} ms (p50 ${r.load.p50Ms.toFixed(1)} ms, max ${r.load.maxMs.toFixed(0)} ms)`,
      pass: r.load.p99Ms < LOAD_P99_BOUND_MS,
    });
  }
  if (r.soak) {
    figures.push({
      id: 'soak',
      name: `soak: resident memory over ${n0(r.soak.seconds)} s`,
      goal: `does not grow (last minute ≤ second minute + ${SOAK_GROWTH_BOUND * 100}%)`,
      actual: `${r.soak.growthMiB >= 0 ? '+' : ''}${r.soak.growthMiB.toFixed(1)} MiB (${(r.soak.growthShare * 100).toFixed(1)}%); errors ${r.soak.errors}`,
      pass: r.soak.growthShare <= SOAK_GROWTH_BOUND && r.soak.errors === 0,
    });
  }
  return figures.filter((f): f is Figure => f !== null);
}
