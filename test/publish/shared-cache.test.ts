/** The rendered-feed cache's shared tier (the Cache API on Workers) behind the in-memory LRU. */
import { describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../src/http/observe.ts';
import { FeedCache, type RenderedFeed, type SharedFeedStore } from '../../src/publish/cache.ts';
import { seedCategoriesAndFeeds, testApp } from '../helpers/app.ts';

const encoder = new TextEncoder();

function rendered(body: string): RenderedFeed {
  return {
    hash: `h-${body}`,
    lastModified: new Date('2024-03-01T10:00:00Z'),
    contentType: 'application/rss+xml; charset=utf-8',
    maxAgeSeconds: 300,
    links: ['<https://chapar.test/feeds/news.rss>; rel="self"'],
    identity: encoder.encode(body),
    coded: {},
  };
}

/** A shared store in a Map, keyed the way a real one must be: by version and key. */
function memoryStore() {
  const entries = new Map<string, RenderedFeed>();
  const store = {
    entries,
    get: vi.fn(async (key: string, version: number) => entries.get(`${version}\n${key}`)),
    put: vi.fn(async (key: string, version: number, feed: RenderedFeed) => {
      entries.set(`${version}\n${key}`, feed);
    }),
  } satisfies SharedFeedStore & { entries: unknown };
  return store;
}

const newCache = (shared?: SharedFeedStore, log?: Logger) => new FeedCache({ maxBytes: 1 << 20, compressor: {}, ...(shared ? { shared } : {}), ...(log ? { log } : {}) });

/** Lets the unawaited put run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('FeedCache with a shared store', () => {
  it('offers what it renders to the store, filed under the version', async () => {
    const store = memoryStore();
    const feed = await newCache(store).get('news.rss', 7, async () => rendered('a'));
    await settle();
    expect(store.put).toHaveBeenCalledTimes(1);
    expect(store.put).toHaveBeenCalledWith('news.rss', 7, feed);
  });

  it('serves a feed another isolate rendered without rendering it again, then from memory', async () => {
    const store = memoryStore();
    await newCache(store).get('news.rss', 7, async () => rendered('first isolate'));
    await settle();
    const second = newCache(store);
    const render = vi.fn(async () => rendered('second isolate'));
    const feed = await second.get('news.rss', 7, render);
    expect(render).not.toHaveBeenCalled();
    expect(new TextDecoder().decode(feed.identity)).toBe('first isolate');
    await second.get('news.rss', 7, render);
    expect(store.get).toHaveBeenCalledTimes(2); // once per isolate: the memory tier stays in front
    expect(store.put).toHaveBeenCalledTimes(1); // a feed read from the store is not written back
  });

  it('never serves an entry of another version', async () => {
    const store = memoryStore();
    await newCache(store).get('news.rss', 7, async () => rendered('v7'));
    await settle();
    const feed = await newCache(store).get('news.rss', 8, async () => rendered('v8'));
    expect(new TextDecoder().decode(feed.identity)).toBe('v8');
    expect(store.get).toHaveBeenLastCalledWith('news.rss', 8);
    await settle();
    expect(store.put).toHaveBeenLastCalledWith('news.rss', 8, feed);
  });

  it('asks the store and renders once for requests that arrive together', async () => {
    const store = memoryStore();
    const cache = newCache(store);
    const render = vi.fn(async () => rendered('a'));
    const feeds = await Promise.all([1, 2, 3].map(() => cache.get('news.rss', 1, render)));
    expect(render).toHaveBeenCalledTimes(1);
    expect(store.get).toHaveBeenCalledTimes(1);
    expect(new Set(feeds).size).toBe(1);
  });

  it('answers without waiting for the store to finish writing', async () => {
    const store = memoryStore();
    store.put.mockImplementation(() => new Promise(() => {}));
    const feed = await newCache(store).get('news.rss', 1, async () => rendered('a'));
    expect(new TextDecoder().decode(feed.identity)).toBe('a');
  });

  it.each([
    ['rejects', () => Promise.reject(new Error('cache down'))],
    ['throws', () => {
      throw new Error('cache down');
    }],
  ])('renders and logs when the store %s on read and on write', async (_, fail) => {
    const store = memoryStore();
    store.get.mockImplementation(fail as never);
    store.put.mockImplementation(fail as never);
    const log = vi.fn();
    const feed = await newCache(store, log).get('news.rss', 1, async () => rendered('a'));
    await settle();
    expect(new TextDecoder().decode(feed.identity)).toBe('a');
    expect(log).toHaveBeenCalledWith('warn', expect.stringMatching(/^publish: shared feed cache read failed/), expect.objectContaining({ key: 'news.rss', version: 1 }));
    expect(log).toHaveBeenCalledWith('warn', expect.stringMatching(/^publish: shared feed cache write failed/), expect.objectContaining({ key: 'news.rss', version: 1 }));
  });
});

describe('the feed routes with a shared store', () => {
  it("a second app on the same store serves the first one's bytes and validators without rendering", async () => {
    const store = memoryStore();
    const first = await testApp({ deps: { publish: { sharedCache: store } } });
    const second = await testApp({ deps: { publish: { sharedCache: store } } });
    await seedCategoriesAndFeeds(first);
    await seedCategoriesAndFeeds(second);
    // A change only a rendering would show: the version is set back to the first app's.
    const version = await first.repos.items.publishVersion();
    await second.database.db.run(`UPDATE feeds SET title = 'renamed behind the cache' WHERE slug = 'senfi'` as never);
    await second.database.db.run(`UPDATE settings SET value = '${version}' WHERE key = 'publish_version'` as never);
    expect(await second.repos.items.publishVersion()).toBe(version);

    const res1 = await first.get('/feeds/senfi.rss?_=junk');
    expect(res1.status).toBe(200);
    await settle();
    expect(store.put).toHaveBeenCalledWith('senfi.rss', version, expect.objectContaining({ hash: expect.any(String) }));

    const res2 = await second.get('/feeds/senfi.rss');
    expect(res2.status).toBe(200);
    expect(store.get).toHaveBeenLastCalledWith('senfi.rss', version);
    expect(res2.headers.get('etag')).toBe(res1.headers.get('etag'));
    expect(res2.headers.get('last-modified')).toBe(res1.headers.get('last-modified'));
    expect(res2.headers.get('link')).toBe(res1.headers.get('link'));
    const body = await res2.text();
    expect(body).toBe(await res1.text());
    expect(body).not.toContain('renamed behind the cache');
    await first.close();
    await second.close();
  });

  it('answers 404 for an unknown feed whatever the store holds for other keys', async () => {
    const store = memoryStore();
    const t = await testApp({ deps: { publish: { sharedCache: store } } });
    const res = await t.get('/feeds/nothing.rss');
    expect(res.status).toBe(404);
    await settle();
    expect(store.put).not.toHaveBeenCalled();
    await t.close();
  });
});
