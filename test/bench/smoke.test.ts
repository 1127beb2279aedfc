/**
 * Keeps the benchmark harness working: a tiny run of every stage (real server, baseline,
 * pushes, tiers, parse, upstreams, archive generator, query plans, load and soak) must finish
 * and produce well-formed results. Nothing here times anything or judges a speed.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseWrk } from '../../bench/lib/load.ts';
import type { RunResults } from '../../bench/lib/results.ts';
import { renderRun } from '../../bench/report.ts';

const root = new URL('../..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'chapar-bench-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const finite = (n: unknown) => typeof n === 'number' && Number.isFinite(n);

describe('bench harness', () => {
  it('reads wrk --latency output', () => {
    const out = `Running 5s test @ http://127.0.0.1:1/feeds/bench.rss
  1 threads and 50 connections
  Latency Distribution
     50%  812.00us
     75%    1.20ms
     90%    2.00ms
     99%    1.05s
  9121 requests in 5.04s, 536.08MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:   1808.61
`;
    expect(parseWrk(out)).toEqual({ requests: 9121, seconds: 5.04, rps: 9121 / 5.04, p50Ms: 0.812, p99Ms: 1050, errors: 3, badStatus: 4 });
  });

  it('runs every stage end to end and writes well-formed results', async () => {
    const out = join(dir, 'results.json');
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--smoke', '--out', out], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code, stderr).toBe(0);

    const r = JSON.parse(readFileSync(out, 'utf8')) as RunResults;
    expect(r.mode).toBe('smoke');
    expect(r.comparisons.map((c) => c.id)).toEqual(['feed', 'not-modified', 'redirect']);
    for (const c of r.comparisons) {
      for (const side of [c.chapar, c.baseline]) expect([side.rps, side.p50Ms, side.p99Ms].every(finite), c.id).toBe(true);
      expect(c.roundRatios.length).toBeGreaterThan(0);
    }
    expect(r.tiers.length).toBeGreaterThanOrEqual(3);
    for (const t of r.tiers) expect([t.feed.p50Ms, t.categoryFeed.p50Ms, t.searchRare.p50Ms, t.searchCommon.p50Ms, t.cachedFeed.p50Ms].every(finite)).toBe(true);
    expect(finite(r.ingest?.itemsPerSecond)).toBe(true);
    expect([r.ingest?.floor?.insertsPerSecond, r.ingest?.floor?.preparedPerSecond].every(finite)).toBe(true);
    expect(r.ingest?.floor?.items).toBe(2000);
    expect(finite(r.parse?.ratio)).toBe(true);
    expect(r.clicks?.counted).toBeGreaterThan(0);
    expect(r.plans.length).toBe(4);
    for (const plan of r.plans) expect(plan.statements.every((s) => s.plan.length > 0)).toBe(true);
    expect(r.load?.requests).toBeGreaterThan(0);
    expect(r.soak?.rss.length).toBeGreaterThan(1);

    const ids = r.figures.map((f) => f.id);
    expect(ids).toEqual(expect.arrayContaining(['cached-feed', 'not-modified', 'redirect', 'ingest', 'parse', 'upstreams', 'load-errors', 'soak']));
    for (const f of r.figures) {
      expect(typeof f.actual).toBe('string');
      expect([true, false, null]).toContain(f.pass);
    }
    const markdown = renderRun(r);
    expect(markdown).toContain('| figure | goal | actual | result | note |');
    expect(markdown).not.toMatch(/NaN|undefined/);
  }, 240_000);
});
