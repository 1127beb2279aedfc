/**
 * The Cron Trigger inside workerd: scheduled() runs the ingest tick against D1 with upstream
 * fetches stubbed (a Worker cannot reach a loopback test server), in ctx.waitUntil.
 */
import { applyD1Migrations, createExecutionContext, createScheduledController, env, reset, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConfigDocument } from '../../src/admin/config/sync.ts';
import deployed, { createWorker } from '../../src/runtime/worker.ts';

const TOKEN = 'cron-admin-token-0123456789';
const HUB = 'https://hub.example/';

const rss = (host: string) => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>${host}</title><link>https://${host}/</link>
<item><title>نشست صنفی ${host}</title><link>https://${host}/1</link><guid>${host}-1</guid><pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate><category>guild</category></item>
<item><title>خبر دیگر ${host}</title><link>https://${host}/2</link><guid>${host}-2</guid><pubDate>Tue, 02 Jan 2024 10:00:00 GMT</pubDate></item>
</channel></rss>`;

/** Every upstream is a feed; the hub takes pings. Nothing leaves the test. */
const upstream = vi.fn(async (input: RequestInfo | URL, _init?: RequestInit) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (url.href === HUB) return new Response(null, { status: 204 });
  return new Response(rss(url.hostname), { headers: { 'content-type': 'application/rss+xml; charset=utf-8' } });
});
const fetched = () => upstream.mock.calls.map(([input]) => String(input)).filter((url) => url !== HUB);

const config = (sources: number): ConfigDocument[] => [
  {
    file: 'site.json',
    data: {
      categories: [{ slug: 'senfi', name: 'صنفی', aliases: ['guild'] }],
      sources: Array.from({ length: sources }, (_, i) => ({ url: `https://news${i}.example/rss` })),
      feeds: [{ slug: 'senfi', title: 'صنفی', filter: { categories: ['senfi'] } }],
    },
  },
];

async function cron(worker: { scheduled: ReturnType<typeof createWorker>['scheduled'] }, workerEnv: object) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron: '*/5 * * * *' }), workerEnv, ctx);
  await waitOnExecutionContext(ctx);
}

async function titles(worker: ReturnType<typeof createWorker>, workerEnv: object, path: string) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`https://chapar.example${path}`), workerEnv, ctx);
  await waitOnExecutionContext(ctx);
  return ((await res.json()) as { items: { title: string }[] }).items.map((i) => i.title);
}

beforeEach(async () => {
  await reset();
  await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
  upstream.mockClear();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('scheduled()', () => {
  it('fetches the due sources, stores and categorises their items, and pings the hubs', async () => {
    const workerEnv = { ...env, CHAPAR_ADMIN_TOKEN: TOKEN, CHAPAR_BASE_URL: 'https://feeds.example.org', CHAPAR_WEBSUB_HUBS: HUB };
    const worker = createWorker({ config: config(1), fetchImpl: upstream });
    await cron(worker, workerEnv);
    expect(fetched()).toEqual(['https://news0.example/rss']);
    expect(await titles(worker, workerEnv, '/feeds/senfi.json')).toEqual(['نشست صنفی news0.example']);
    const pings = upstream.mock.calls.filter(([input]) => String(input) === HUB).map(([, init]) => String(init?.body));
    expect(pings).toContain(`hub.mode=publish&hub.url=${encodeURIComponent('https://feeds.example.org/feeds/senfi.rss')}`);
  });

  it('takes at most CHAPAR_TICK_SOURCES sources per invocation; the next tick takes the rest', async () => {
    const workerEnv = { ...env, CHAPAR_TICK_SOURCES: '2' };
    const worker = createWorker({ config: config(5), fetchImpl: upstream });
    await cron(worker, workerEnv);
    expect(fetched()).toHaveLength(2);
    await cron(worker, workerEnv);
    await cron(worker, workerEnv);
    expect(new Set(fetched()).size).toBe(5);
    upstream.mockClear();
    // Every source was fetched and is not due again for its interval.
    await cron(worker, workerEnv);
    expect(fetched()).toEqual([]);
  });

  it('is the deployed export: the global fetch, the bundled config, sources added through the API', async () => {
    vi.stubGlobal('fetch', upstream);
    const ctx = createExecutionContext();
    const added = await deployed.fetch(
      new Request('https://chapar.example/api/v1/sources', {
        method: 'POST',
        headers: { authorization: `Bearer ${env.CHAPAR_ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url: 'https://akhbar.example/rss', categories: ['senfi'] }),
      }),
      env,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(added.status).toBe(201);
    upstream.mockClear();
    await cron(deployed, env);
    expect(fetched()).toEqual(['https://akhbar.example/rss']);
    const feed = await (await deployed.fetch(new Request('https://chapar.example/feeds/senfi.json'), env, createExecutionContext())).text();
    expect(feed).toContain('خبر دیگر akhbar.example');
  });
});
