import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { createRepos, type Repos } from '../../src/db/repos/index.ts';
import type { Source } from '../../src/db/repos/sources.ts';
import { openSqlite } from '../../src/db/sqlite.ts';
import type { IngestDeps } from '../../src/ingest/pipeline.ts';
import { hostLanes, runIngestTick } from '../../src/ingest/scheduler.ts';
import { rss, startUpstream, type Upstream } from './upstream.ts';

const START = new Date('2024-08-20T06:00:00Z');
const MINUTE = 60_000;

let upstream: Upstream;
let clock: Date;
let database: Database;
let repos: Repos;
const now = () => new Date(clock);

beforeAll(async () => {
  upstream = await startUpstream();
});
afterAll(() => upstream.close());
beforeEach(() => {
  clock = START;
  database = openSqlite(':memory:');
  repos = createRepos(database, now);
  upstream.seen.length = 0;
});
afterEach(() => database.close());

const FEED = rss([{ title: 'یک', guid: '1' }]);

/**
 * Connects any `<name>.test` host to the loopback upstream and counts requests in flight per
 * host, so the per-host cap can be seen from the upstream's side.
 */
function countingFetch() {
  const inFlight = new Map<string, number>();
  const peak = new Map<string, number>();
  let total = 0;
  let peakTotal = 0;
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const host = url.hostname;
    inFlight.set(host, (inFlight.get(host) ?? 0) + 1);
    peak.set(host, Math.max(peak.get(host) ?? 0, inFlight.get(host)!));
    peakTotal = Math.max(peakTotal, ++total);
    try {
      await new Promise((resolve) => setTimeout(resolve, 30));
      return await fetch(`${upstream.origin}${url.pathname}`, init);
    } finally {
      inFlight.set(host, inFlight.get(host)! - 1);
      total--;
    }
  }) as typeof fetch;
  return { fetchImpl, peak, peakTotal: () => peakTotal };
}

describe('runIngestTick', () => {
  it('fetches only active sources that are due and not leased', async () => {
    const url = (name: string) => upstream.serve(`/${name}`, 200, {}, FEED);
    const due = await repos.sources.create({ url: url('due') });
    const later = await repos.sources.create({ url: url('later') });
    const disabled = await repos.sources.create({ url: url('disabled') });
    const gone = await repos.sources.create({ url: url('gone') });
    const leased = await repos.sources.create({ url: url('leased') });
    await repos.sources.lease(later.id, 'x', 1);
    await repos.sources.finishFetch(later.id, 'x', { nextCheckAt: new Date(START.getTime() + 10 * MINUTE) });
    await repos.sources.update(disabled.id, { state: 'disabled' });
    await repos.sources.lease(gone.id, 'x', 1);
    await repos.sources.finishFetch(gone.id, 'x', { state: 'gone' });
    await repos.sources.lease(leased.id, 'other-process', 30 * MINUTE);

    const deps: IngestDeps = { repos, now, ingest: { allowPrivate: true } };
    const report = await runIngestTick(deps, { now: clock });
    expect(report.picked).toBe(1);
    expect(report.results.map((r) => [r.sourceId, r.status])).toEqual([[due.id, 'ok']]);
    expect(upstream.seen.map((s) => s.path)).toEqual(['/due']);

    // The fetched source is not due again until its interval has passed; the later one is due then.
    clock = new Date(START.getTime() + 11 * MINUTE);
    const next = await runIngestTick(deps);
    expect(next.results.map((r) => r.sourceId)).toEqual([later.id]);
  });

  it('takes at most maxSources, longest waiting first', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      const s = await repos.sources.create({ url: upstream.serve(`/max-${i}`, 200, {}, FEED) });
      await repos.sources.lease(s.id, 'x', 1);
      await repos.sources.finishFetch(s.id, 'x', { nextCheckAt: new Date(START.getTime() - (i + 1) * MINUTE) });
      ids.push(s.id);
    }
    const report = await runIngestTick({ repos, now, ingest: { allowPrivate: true } }, { maxSources: 2, concurrency: 1 });
    expect(report.results.map((r) => r.sourceId)).toEqual([ids[4], ids[3]]);
  });

  it('holds the global concurrency limit and the per-host cap', async () => {
    for (let i = 0; i < 6; i++) await repos.sources.create({ url: `http://busy.test/feed-${i}` });
    for (let i = 0; i < 3; i++) await repos.sources.create({ url: `http://quiet-${i}.test/feed` });
    for (let i = 0; i < 6; i++) upstream.serve(`/feed-${i}`, 200, {}, FEED);
    upstream.serve('/feed', 200, {}, FEED);
    const counting = countingFetch();
    const report = await runIngestTick({ repos, now, ingest: { allowPrivate: true, fetchImpl: counting.fetchImpl } }, { concurrency: 3, perHost: 2 });
    expect(report.results).toHaveLength(9);
    expect(report.results.every((r) => r.status === 'ok')).toBe(true);
    expect(counting.peak.get('busy.test')).toBe(2);
    expect(counting.peakTotal()).toBe(3);
  });

  it('two overlapping ticks never fetch one source twice', async () => {
    for (let i = 0; i < 4; i++) await repos.sources.create({ url: `http://overlap.test/o-${i}` });
    for (let i = 0; i < 4; i++) upstream.serve(`/o-${i}`, 200, {}, FEED);
    const counting = countingFetch();
    const deps: IngestDeps = { repos, now, ingest: { allowPrivate: true, fetchImpl: counting.fetchImpl } };
    const [a, b] = await Promise.all([runIngestTick(deps, { perHost: 4 }), runIngestTick(deps, { perHost: 4 })]);
    const fetched = [...a.results, ...b.results].filter((r) => r.status === 'ok').map((r) => r.sourceId);
    expect(fetched.sort()).toEqual([1, 2, 3, 4]);
    expect(upstream.seen.filter((s) => s.path.startsWith('/o-'))).toHaveLength(4);
  });

  it('ignoreSchedule takes every active source, due or not', async () => {
    const s = await repos.sources.create({ url: upstream.serve('/any', 200, {}, FEED) });
    await repos.sources.lease(s.id, 'x', 1);
    await repos.sources.finishFetch(s.id, 'x', { nextCheckAt: new Date(START.getTime() + 60 * MINUTE) });
    expect((await runIngestTick({ repos, now, ingest: { allowPrivate: true } })).picked).toBe(0);
    expect((await runIngestTick({ repos, now, ingest: { allowPrivate: true } }, { ignoreSchedule: true })).picked).toBe(1);
  });
});

describe('hostLanes', () => {
  const source = (id: number, url: string) => ({ id, url }) as Source;
  it('gives a host at most perHost lanes, in the order sources fell due', () => {
    const lanes = hostLanes([source(1, 'https://a.example/1'), source(2, 'https://b.example/1'), source(3, 'https://A.example/2'), source(4, 'https://a.example/3'), source(5, 'not a url')], 2);
    expect(lanes.map((lane) => lane.map((s) => s.id))).toEqual([[1, 4], [2], [3], [5]]);
  });
});
