import { describe, expect, it } from 'vitest';
import { hashToken } from '../../src/admin/auth.ts';
import { createApp } from '../../src/app.ts';
import { createRepos } from '../../src/db/repos/index.ts';
import { openSqlite } from '../../src/db/sqlite.ts';
import { Metrics } from '../../src/http/metrics.ts';
import { jsonLogger } from '../../src/http/observe.ts';

async function setup() {
  const lines: string[] = [];
  const database = openSqlite(':memory:');
  const repos = createRepos(database);
  await repos.tokens.ensure('t', await hashToken('observe-token-0123456789'));
  const metrics = new Metrics();
  const app = createApp({ repos, metrics, log: jsonLogger((l) => lines.push(l)), config: { baseUrl: 'https://chapar.test', websubHubs: [], version: 't' } });
  return { app, lines, database, repos };
}

describe('request ids and access logs', () => {
  it('gives every response an X-Request-Id and logs one JSON line with it', async () => {
    const { app, lines, database } = await setup();
    const res = await app.request('https://chapar.test/healthz');
    const id = res.headers.get('x-request-id')!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const entry = JSON.parse(lines.at(-1)!) as Record<string, unknown>;
    expect(entry).toMatchObject({ level: 'info', msg: 'request', id, method: 'GET', path: '/healthz', route: '/healthz', status: 200 });
    await database.close();
  });

  it('keeps a sane incoming id and replaces an unsafe one', async () => {
    const { app, database } = await setup();
    expect((await app.request('https://chapar.test/healthz', { headers: { 'x-request-id': 'abc-123' } })).headers.get('x-request-id')).toBe('abc-123');
    const unsafe = (await app.request('https://chapar.test/healthz', { headers: { 'x-request-id': 'a b"<script>' } })).headers.get('x-request-id');
    expect(unsafe).not.toContain(' ');
    expect(unsafe).toMatch(/^[0-9a-f-]{36}$/);
    await database.close();
  });

  it('never logs the bearer token', async () => {
    const { app, lines, database } = await setup();
    await app.request('https://chapar.test/api/v1/categories', { headers: { authorization: 'Bearer observe-token-0123456789' } });
    expect(lines.join('\n')).not.toContain('observe-token');
    await database.close();
  });
});

describe('/metrics', () => {
  it('counts requests by route pattern and status, and reports sources by state', async () => {
    const { app, database, repos } = await setup();
    await app.request('https://chapar.test/feeds/nope.rss');
    await app.request('https://chapar.test/feeds/other.rss');
    await app.request('https://chapar.test/no/such/path');
    await repos.sources.create({ url: 'https://example.org/feed' });
    const res = await app.request('https://chapar.test/metrics');
    expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const text = await res.text();
    expect(text).toContain('# TYPE chapar_http_requests_total counter');
    expect(text).toContain('chapar_http_requests_total{method="GET",route="/feeds/:file",status="404"} 2');
    expect(text).toContain('chapar_http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(text).toMatch(/chapar_sources\{outcome="never",state="active"\} 1/);
    expect(text).toMatch(/^chapar_traffic_pending \d+$/m);
    // Nothing stored yet, so nothing waits for the search index; then two pushed items do.
    expect(text).toMatch(/^chapar_search_backlog_items 0$/m);
    await repos.items.upsert(['a', 'b'].map((id) => ({
      sourceId: null, identity: id, guid: id, url: null, title: id, summary: null, content: null, author: null, publishedAt: new Date(0),
      updatedAt: null, labels: [], categoryIds: [], enclosures: [], shortCode: null, searchText: id, contentHash: id,
    })));
    expect(await (await app.request('https://chapar.test/metrics')).text()).toMatch(/^chapar_search_backlog_items 2$/m);
    await database.close();
  });

  it('reports the rendered-feed cache hit ratio', async () => {
    const { app, database, repos } = await setup();
    await repos.feeds.create({ slug: 'all', title: 'همه' });
    for (let i = 0; i < 3; i++) expect((await app.request('https://chapar.test/feeds/all.rss')).status).toBe(200);
    const text = await (await app.request('https://chapar.test/metrics')).text();
    expect(text).toContain('chapar_feed_cache_lookups_total{result="miss"} 1');
    expect(text).toContain('chapar_feed_cache_lookups_total{result="hit"} 2');
    expect(text).toMatch(/^chapar_feed_cache_bytes [1-9]\d*$/m);
    await database.close();
  });
});
