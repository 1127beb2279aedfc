/**
 * The rendered-feed cache's second tier inside workerd: the Cache API store, on its own and
 * behind FeedCache, and wired into the Worker entry. Each test uses its own origin, so none
 * finds another's entries (a reset D1 counts publish versions from 0 again).
 */
import type { ExecutionContext } from '@cloudflare/workers-types';
import { applyD1Migrations, createExecutionContext, env, reset, waitOnExecutionContext } from 'cloudflare:test';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConfigDocument } from '../../src/admin/config/sync.ts';
import { FeedCache, type RenderedFeed } from '../../src/publish/cache.ts';
import { createWorker } from '../../src/runtime/worker.ts';
import { CacheApiFeedStore, type FeedCacheApi } from '../../src/runtime/worker-cache.ts';

const uniqueOrigin = () => `https://${crypto.randomUUID()}.chapar.example`;

function sample(): RenderedFeed {
  // Every byte value, then Persian text: the body must come back exactly, not as re-encoded text.
  const bytes = new Uint8Array([...Array.from({ length: 256 }, (_, i) => i), ...new TextEncoder().encode('<title>اخبار صنفی</title>')]);
  return {
    hash: 'a1b2c3d4e5f6',
    lastModified: new Date(Date.UTC(2024, 2, 1, 10, 0, 0, 123)),
    contentType: 'application/atom+xml; charset=utf-8',
    maxAgeSeconds: 900,
    links: ['<https://hub.example/>; rel="hub"', '<https://chapar.example/feeds/news.atom?category=a,b&q=%D8%A7>; rel="self"', '<https://chapar.example/feeds/فارسی>; rel="next"'],
    identity: bytes,
    coded: {},
  };
}

describe('CacheApiFeedStore', () => {
  it('round-trips a rendered feed byte for byte, with its validators and links', async () => {
    const store = new CacheApiFeedStore({ release: 'test' }).forOrigin(uniqueOrigin());
    const feed = sample();
    await store.put('news.atom?category=a%2Cb', 3, feed);
    const back = await store.get('news.atom?category=a%2Cb', 3);
    expect(back).toBeDefined();
    expect(back!.identity).toBeInstanceOf(Uint8Array);
    expect([...back!.identity]).toEqual([...feed.identity]);
    expect(back!.lastModified.getTime()).toBe(feed.lastModified.getTime());
    expect({ ...back!, identity: null, lastModified: null }).toEqual({ ...feed, identity: null, lastModified: null });
  });

  it('files entries by publish version, key, origin and release', async () => {
    const origin = uniqueOrigin();
    const store = new CacheApiFeedStore({ release: 'test' });
    await store.forOrigin(origin).put('news.rss', 3, sample());
    expect(await store.forOrigin(origin).get('news.rss', 3)).toBeDefined();
    expect(await store.forOrigin(origin).get('news.rss', 4)).toBeUndefined();
    expect(await store.forOrigin(origin).get('news.atom', 3)).toBeUndefined();
    expect(await store.forOrigin(uniqueOrigin()).get('news.rss', 3)).toBeUndefined();
    expect(await new CacheApiFeedStore({ release: 'next' }).forOrigin(origin).get('news.rss', 3)).toBeUndefined();
  });

  it('counts its puts under way until they end', async () => {
    const store = new CacheApiFeedStore({ release: 'test' });
    const put = store.forOrigin(uniqueOrigin()).put('news.rss', 1, sample());
    expect(store.pending).toBe(1);
    await store.settled();
    await put;
    expect(store.pending).toBe(0);
  });

  it('lets a second isolate (fresh memory, fresh store) serve what the first rendered, without rendering', async () => {
    const origin = uniqueOrigin();
    const first = new CacheApiFeedStore({ release: 'test' });
    const rendered = await new FeedCache({ maxBytes: 1 << 20, compressor: {}, shared: first.forOrigin(origin) }).get('news.rss', 5, async () => sample());
    expect(first.pending).toBe(1);
    await first.settled();

    const render = vi.fn(async () => ({ ...sample(), identity: new TextEncoder().encode('rendered again') }));
    const served = await new FeedCache({ maxBytes: 1 << 20, compressor: {}, shared: new CacheApiFeedStore({ release: 'test' }).forOrigin(origin) }).get('news.rss', 5, render);
    expect(render).not.toHaveBeenCalled();
    expect([...served.identity]).toEqual([...rendered.identity]);
    expect(served.hash).toBe(rendered.hash);
  });
});

describe('the Worker entry', () => {
  const TOKEN = 'feed-cache-admin-token-0123456789';
  const config: ConfigDocument[] = [{ file: 'site.json', data: { categories: [{ slug: 'news', name: 'اخبار' }], feeds: [{ slug: 'news', title: 'Original title', filter: { categories: ['news'] } }] } }];

  beforeEach(async () => {
    await reset();
    await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
  });

  async function send(worker: ReturnType<typeof createWorker>, url: string) {
    const ctx = createExecutionContext();
    const response = await worker.fetch(new Request(url), { ...env, CHAPAR_ADMIN_TOKEN: TOKEN }, ctx);
    const body = await response.text();
    // What the entry handed to ctx.waitUntil, the Cache API put among it, ends here.
    await waitOnExecutionContext(ctx);
    return { status: response.status, etag: response.headers.get('etag'), body };
  }

  it('serves a feed one isolate rendered from the Cache API in another, keyed by the publish version', async () => {
    const origin = uniqueOrigin();
    const first = await send(createWorker({ config }), `${origin}/feeds/news.rss`);
    expect(first.status).toBe(200);
    expect(first.body).toContain('Original title');

    // Change D1 behind the publish version's back: a rendering would show it, a cached feed not.
    const { value } = (await env.DB.prepare(`SELECT value FROM settings WHERE key = 'publish_version'`).first<{ value: string }>())!;
    await env.DB.prepare(`UPDATE feeds SET title = 'Renamed behind the cache' WHERE slug = 'news'`).run();
    await env.DB.prepare(`UPDATE settings SET value = ? WHERE key = 'publish_version'`).bind(value).run();

    const second = await send(createWorker({ config }), `${origin}/feeds/news.rss`);
    expect(second.status).toBe(200);
    expect(second.body).toBe(first.body);
    expect(second.etag).toBe(first.etag);

    // The control: another origin has no entry, so it renders and sees the change.
    const elsewhere = await send(createWorker({ config }), `${uniqueOrigin()}/feeds/news.rss`);
    expect(elsewhere.body).toContain('Renamed behind the cache');

    // A new publish version leaves the cached rendering behind.
    await env.DB.prepare(`UPDATE settings SET value = ? WHERE key = 'publish_version'`).bind(String(Number(value) + 1)).run();
    const later = await send(createWorker({ config }), `${origin}/feeds/news.rss`);
    expect(later.body).toContain('Renamed behind the cache');
  });

  it('answers before the Cache API put ends and hands the put to ctx.waitUntil', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const stored: string[] = [];
    const held: FeedCacheApi = {
      match: async () => undefined,
      put: async (url) => {
        await gate;
        stored.push(url);
      },
    };
    const waited: Promise<unknown>[] = [];
    const ctx = { waitUntil: (work: Promise<unknown>) => void waited.push(work), passThroughOnException() {}, props: {} } as unknown as ExecutionContext;
    const response = await createWorker({ config, feedCache: async () => held }).fetch(new Request(`${uniqueOrigin()}/feeds/news.rss`), { ...env, CHAPAR_ADMIN_TOKEN: TOKEN }, ctx);
    expect(response.status).toBe(200);
    expect(stored).toEqual([]);
    // The poll flush ends by itself; the held put keeps the waitUntil work open.
    const timedOut = Symbol('timed out');
    expect(await Promise.race([Promise.all(waited), new Promise((resolve) => setTimeout(() => resolve(timedOut), 300))])).toBe(timedOut);
    open();
    await Promise.all(waited);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatch(/\/news\.rss$/);
  });
});
