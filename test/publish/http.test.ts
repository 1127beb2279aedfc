import fc from 'fast-check';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { FeedCache, type RenderedFeed } from '../../src/publish/cache.ts';
import { etagMatches, isNotModified, negotiateEncoding } from '../../src/publish/conditional.ts';
import { ByteLru } from '../../src/publish/lru.ts';
import { nodeCompressor } from '../../src/runtime/compress.ts';
import { seedCategoriesAndFeeds, testApp, type TestApp } from '../helpers/app.ts';

describe('negotiateEncoding', () => {
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip', 'gzip'],
    ['gzip, deflate, br', 'br'],
    ['br;q=0.5, gzip', 'gzip'],
    ['br;q=0, gzip;q=0', 'identity'],
    ['*', 'br'],
    ['*;q=0, gzip', 'gzip'],
    ['identity', 'identity'],
    ['gzip;q=0.5, identity', 'identity'],
    ['x-gzip', 'gzip'],
    ['GZIP;Q=1.0', 'gzip'],
    ['br;q=abc', 'identity'],
  ])('%s → %s', (header, expected) => {
    expect(negotiateEncoding(header, ['br', 'gzip'])).toBe(expected);
  });

  it('never picks a coding it does not offer', () => {
    expect(negotiateEncoding('br', ['gzip'])).toBe('identity');
    expect(negotiateEncoding('br, gzip', [])).toBe('identity');
  });
});

describe('validators', () => {
  it('If-None-Match compares weakly, in lists and with *', () => {
    expect(etagMatches('"a"', '"a"')).toBe(true);
    expect(etagMatches('W/"a"', '"a"')).toBe(true);
    expect(etagMatches('"x", "a"', '"a"')).toBe(true);
    expect(etagMatches('*', '"a"')).toBe(true);
    expect(etagMatches('"a-gzip"', '"a"')).toBe(false);
  });

  it('If-None-Match wins over If-Modified-Since; dates compare at whole seconds', () => {
    const at = new Date('2024-01-01T10:00:00.750Z');
    expect(isNotModified({ ifNoneMatch: '"b"', ifModifiedSince: at.toUTCString() }, '"a"', at)).toBe(false);
    expect(isNotModified({ ifModifiedSince: at.toUTCString() }, '"a"', at)).toBe(true);
    expect(isNotModified({ ifModifiedSince: 'Mon, 01 Jan 2024 09:59:59 GMT' }, '"a"', at)).toBe(false);
    expect(isNotModified({ ifModifiedSince: 'not a date' }, '"a"', at)).toBe(false);
  });
});

describe('ByteLru', () => {
  it('evicts the least recently used to stay within its bytes', () => {
    const lru = new ByteLru<string>(10);
    lru.set('a', 'A', 4);
    lru.set('b', 'B', 4);
    lru.get('a');
    lru.set('c', 'C', 4);
    expect([lru.get('a'), lru.get('b'), lru.get('c')]).toEqual(['A', undefined, 'C']);
    expect(lru.bytes).toBe(8);
  });

  it('keeps exactly the entries a plain LRU model keeps, whatever the order of uses', () => {
    type Op = { op: 'get' | 'set' | 'delete' | 'grow'; key: string; bytes: number };
    const op = fc.record({ op: fc.constantFrom('get', 'set', 'delete', 'grow'), key: fc.constantFrom('a', 'b', 'c', 'd', 'e'), bytes: fc.integer({ min: 1, max: 6 }) }) as fc.Arbitrary<Op>;
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const lru = new ByteLru<string>(12);
        // The model: keys least recently used first, with their sizes.
        let model: [string, number][] = [];
        const evict = () => {
          while (model.reduce((n, [, b]) => n + b, 0) > 12) model.shift();
        };
        for (const { op, key, bytes } of ops) {
          const at = model.findIndex(([k]) => k === key);
          if (op === 'get') {
            expect(lru.get(key)).toBe(at === -1 ? undefined : key);
            if (at !== -1) model.push(...model.splice(at, 1));
          } else if (op === 'set') {
            lru.set(key, key, bytes);
            if (at !== -1) model.splice(at, 1);
            model.push([key, bytes]);
            evict();
          } else if (op === 'delete') {
            lru.delete(key);
            if (at !== -1) model.splice(at, 1);
          } else {
            lru.grow(key, bytes);
            if (at !== -1) {
              model[at]![1] += bytes;
              if (model[at]![1] > 12) model.splice(at, 1);
              else evict();
            }
          }
          expect(lru.size).toBe(model.length);
          expect(lru.bytes).toBe(model.reduce((n, [, b]) => n + b, 0));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('refuses what alone exceeds the budget and charges later growth', () => {
    const lru = new ByteLru<string>(10);
    lru.set('big', 'X', 11);
    expect(lru.size).toBe(0);
    lru.set('a', 'A', 4);
    lru.set('b', 'B', 4);
    lru.grow('b', 4);
    expect(lru.get('a')).toBeUndefined();
    expect(lru.bytes).toBe(8);
    lru.grow('b', 10);
    expect(lru.size).toBe(0);
    expect(lru.bytes).toBe(0);
  });
});

let t: TestApp;
afterEach(() => t?.close());

async function seeded(opts: Parameters<typeof testApp>[0] = {}) {
  t = await testApp(opts);
  await seedCategoriesAndFeeds(t);
  const items = Array.from({ length: 30 }, (_, i) => ({
    guid: `h-${i}`,
    title: `خبر شماره ${i} & <b>`,
    content: `<p>${'متن فارسی برای فشرده‌سازی. '.repeat(20)}</p>`,
    publishedAt: new Date(Date.UTC(2024, 0, 1 + i)).toISOString(),
    categories: [i % 2 ? 'senfi' : 'akhbar-sazman'],
  }));
  expect((await t.api('/items', { body: items })).status).toBe(201);
  return t;
}

describe('conditional GET matrix', () => {
  it.each(['rss', 'atom', 'json'])('%s: ETag, Last-Modified and Cache-Control on 200 and 304', async (format) => {
    await seeded();
    const path = `/feeds/all.${format}`;
    const first = await t.get(path);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    expect(etag).toMatch(/^"[0-9a-z]+"$/);
    expect(new Date(lastModified).toUTCString()).toBe(lastModified);
    expect(first.headers.get('cache-control')).toBe('public, max-age=300, stale-while-revalidate=300, stale-if-error=86400');
    expect(first.headers.get('content-length')).toBe(String((await first.arrayBuffer()).byteLength));

    const cases: [Record<string, string>, number][] = [
      [{ 'if-none-match': etag }, 304],
      [{ 'if-none-match': `W/${etag}` }, 304],
      [{ 'if-none-match': `"other", ${etag}` }, 304],
      [{ 'if-none-match': '*' }, 304],
      [{ 'if-none-match': '"other"' }, 200],
      [{ 'if-modified-since': lastModified }, 304],
      [{ 'if-modified-since': new Date(Date.parse(lastModified) + 60_000).toUTCString() }, 304],
      [{ 'if-modified-since': new Date(Date.parse(lastModified) - 1000).toUTCString() }, 200],
      [{ 'if-modified-since': 'garbage' }, 200],
      // If-None-Match decides alone when both are sent.
      [{ 'if-none-match': '"other"', 'if-modified-since': lastModified }, 200],
      [{ 'if-none-match': etag, 'if-modified-since': 'Thu, 01 Jan 1970 00:00:00 GMT' }, 304],
    ];
    for (const [headers, status] of cases) {
      const res = await t.get(path, headers);
      expect(res.status, JSON.stringify(headers)).toBe(status);
      expect(res.headers.get('etag')).toBe(etag);
      expect(res.headers.get('vary')).toBe('Accept-Encoding');
      expect(res.headers.get('cache-control')).toContain('max-age=300');
      if (status === 304) {
        expect(await res.text()).toBe('');
        expect(res.headers.get('content-type')).toBeNull();
      }
    }
  });

  it('uses the feed’s own max-age', async () => {
    await seeded();
    expect((await t.api('/feeds/all', { method: 'PATCH', body: { maxAgeSeconds: 60 } })).status).toBe(200);
    expect((await t.get('/feeds/all.rss')).headers.get('cache-control')).toBe('public, max-age=60, stale-while-revalidate=60, stale-if-error=86400');
  });

  it('a deleted item moves Last-Modified forward, so If-Modified-Since alone sees the change', async () => {
    await seeded({ now: clock(Date.parse('2025-01-01T00:00:00Z')) });
    const first = await t.get('/feeds/all.json');
    const body = (await first.json()) as { items: { id: string; url: string }[] };
    tick(5_000);
    const id = Number(body.items[0]!.url.split('/').pop());
    expect((await t.api(`/items/${id}`, { method: 'DELETE' })).status).toBe(204);
    const again = await t.get('/feeds/all.json', { 'if-modified-since': first.headers.get('last-modified')! });
    expect(again.status).toBe(200);
    expect(Date.parse(again.headers.get('last-modified')!)).toBeGreaterThan(Date.parse(first.headers.get('last-modified')!));
  });

  it('HEAD answers the headers of GET without a body', async () => {
    await seeded();
    const get = await t.get('/feeds/all.rss');
    const head = await t.app.request('https://chapar.test/feeds/all.rss', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    for (const name of ['etag', 'last-modified', 'content-type', 'content-length', 'cache-control', 'link']) {
      expect(head.headers.get(name), name).toBe(get.headers.get(name));
    }
    const conditional = await t.app.request('https://chapar.test/feeds/all.rss', { method: 'HEAD', headers: { 'if-none-match': get.headers.get('etag')! } });
    expect(conditional.status).toBe(304);
  });
});

let now = 0;
const clock = (start: number) => {
  now = start;
  return () => new Date(now);
};
const tick = (ms: number) => {
  now += ms;
};

describe('compression', () => {
  it('gzips with the default, runtime-neutral compressor and tags the variant', async () => {
    await seeded();
    const plain = await t.get('/feeds/all.rss');
    const plainBytes = new Uint8Array(await plain.arrayBuffer());
    const res = await t.get('/feeds/all.rss', { 'accept-encoding': 'gzip, deflate, br' });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('vary')).toBe('Accept-Encoding');
    const etag = res.headers.get('etag')!;
    expect(etag).toBe(plain.headers.get('etag')!.replace(/"$/, '-gzip"'));
    const zipped = new Uint8Array(await res.arrayBuffer());
    expect(res.headers.get('content-length')).toBe(String(zipped.byteLength));
    expect(zipped.byteLength).toBeLessThan(plainBytes.byteLength / 3);
    expect(gunzipSync(zipped).equals(Buffer.from(plainBytes))).toBe(true);
    expect((await t.get('/feeds/all.rss', { 'accept-encoding': 'gzip', 'if-none-match': etag })).status).toBe(304);
    // The identity tag does not validate the gzip bytes, nor the other way round.
    expect((await t.get('/feeds/all.rss', { 'accept-encoding': 'gzip', 'if-none-match': plain.headers.get('etag')! })).status).toBe(200);
    expect((await t.get('/feeds/all.rss', { 'if-none-match': etag })).status).toBe(200);
  });

  it('serves brotli when the runtime supplies it, and identity when asked for nothing', async () => {
    await seeded({ deps: { compress: nodeCompressor() } });
    const plain = new Uint8Array(await (await t.get('/feeds/all.atom')).arrayBuffer());
    const br = await t.get('/feeds/all.atom', { 'accept-encoding': 'gzip, br' });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('etag')).toMatch(/-br"$/);
    expect(brotliDecompressSync(new Uint8Array(await br.arrayBuffer())).equals(Buffer.from(plain))).toBe(true);
    const gz = await t.get('/feeds/all.atom', { 'accept-encoding': 'gzip' });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(new Uint8Array(await gz.arrayBuffer())).equals(Buffer.from(plain))).toBe(true);
    const none = await t.get('/feeds/all.atom', { 'accept-encoding': 'identity' });
    expect(none.headers.get('content-encoding')).toBeNull();
  });
});

describe('rendered-bytes cache', () => {
  it('serves repeated requests from the cache, and re-renders after a push', async () => {
    let renders = 0;
    await seeded();
    const list = t.repos.items.list.bind(t.repos.items);
    t.repos.items.list = async (...args) => {
      renders++;
      return list(...args);
    };
    const a = await (await t.get('/feeds/senfi.json')).text();
    const b = await (await t.get('/feeds/senfi.json')).text();
    await t.get('/feeds/senfi.json', { 'accept-encoding': 'gzip' });
    expect(b).toBe(a);
    expect(renders).toBe(1);
    // Different query, different entry.
    await t.get('/feeds/senfi.json?limit=2');
    expect(renders).toBe(2);

    const etag = (await t.get('/feeds/senfi.json')).headers.get('etag')!;
    expect((await t.api('/items', { body: { guid: 'new-1', title: 'تازه‌ترین', publishedAt: '2025-06-01T00:00:00Z', categories: ['senfi'] } })).status).toBe(201);
    const after = await t.get('/feeds/senfi.json', { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(((await after.json()) as { items: { title: string }[] }).items[0]!.title).toBe('تازه‌ترین');
  });

  it('a change that does not touch a feed keeps its ETag (re-rendered to the same bytes)', async () => {
    await seeded();
    const etag = (await t.get('/feeds/senfi.rss')).headers.get('etag')!;
    await t.api('/items', { body: { guid: 'other', title: 'فقط سازمان', publishedAt: '2025-06-01T00:00:00Z', categories: ['akhbar-sazman'] } });
    expect((await t.get('/feeds/senfi.rss', { 'if-none-match': etag })).status).toBe(304);
    expect((await t.get('/feeds/all.rss', { 'if-none-match': etag })).status).toBe(200);
  });

  it('sees writes made by another process on the same database file', async () => {
    await seeded();
    const before = (await t.get('/feeds/all.json')).headers.get('etag')!;
    // Another process writes through its own connection: no in-process signal, only the triggers.
    await t.database.db.run((await import('drizzle-orm')).sql`UPDATE items SET title = 'عوض شد' WHERE id = (SELECT max(id) FROM items)`);
    const after = await t.get('/feeds/all.json', { 'if-none-match': before });
    expect(after.status).toBe(200);
    expect(((await after.json()) as { items: { title: string }[] }).items[0]!.title).toBe('عوض شد');
  });

  it('feed settings and category names invalidate too', async () => {
    await seeded();
    const etag = (await t.get('/feeds/senfi.atom')).headers.get('etag')!;
    expect((await t.api('/feeds/senfi', { method: 'PATCH', body: { title: 'عنوان نو' } })).status).toBe(200);
    const renamed = await t.get('/feeds/senfi.atom', { 'if-none-match': etag });
    expect(renamed.status).toBe(200);
    expect(await renamed.text()).toContain('عنوان نو');
    const etag2 = renamed.headers.get('etag')!;
    expect((await t.api('/categories/senfi', { method: 'PATCH', body: { name: 'صنفی‌ها' } })).status).toBe(200);
    const relabelled = await t.get('/feeds/senfi.atom', { 'if-none-match': etag2 });
    expect(relabelled.status).toBe(200);
    expect(await relabelled.text()).toContain('label="صنفی‌ها"');
  });

  it('a deleted feed is a 404 at once', async () => {
    await seeded();
    expect((await t.get('/feeds/senfi.rss')).status).toBe(200);
    expect((await t.api('/feeds/senfi', { method: 'DELETE' })).status).toBe(204);
    expect((await t.get('/feeds/senfi.rss')).status).toBe(404);
  });

  it('stays within its byte budget', async () => {
    await seeded({ deps: { publish: { cacheBytes: 20_000 } } });
    for (let limit = 1; limit <= 30; limit++) expect((await t.get(`/feeds/all.rss?limit=${limit}`)).status).toBe(200);
    expect((await t.get('/feeds/all.rss?limit=3')).status).toBe(200);
  });
});

describe('FeedCache', () => {
  const rendered = (size: number): RenderedFeed => ({
    hash: String(size),
    lastModified: new Date(0),
    contentType: 'text/plain',
    maxAgeSeconds: 60,
    links: [],
    identity: new Uint8Array(size),
    coded: {},
  });
  const gzipStub = { gzip: async (bytes: Uint8Array<ArrayBuffer>) => bytes.slice(0, bytes.byteLength / 2) };

  it('renders once for concurrent requests and counts compressed copies against the budget', async () => {
    const cache = new FeedCache({ maxBytes: 3000, compressor: gzipStub });
    let renders = 0;
    const render = async () => {
      renders++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return rendered(1000);
    };
    const [a, b] = await Promise.all([cache.get('k', 1, render), cache.get('k', 1, render)]);
    expect(a).toBe(b);
    expect(renders).toBe(1);
    await cache.coded('k', a, 'gzip');
    expect(cache.bytes).toBe(1500);
    await cache.get('k2', 1, async () => rendered(1000));
    await cache.get('k3', 1, async () => rendered(1000));
    expect(cache.bytes).toBeLessThanOrEqual(3000);
  });

  it('drops everything when the version moves, and keeps no render from an older version', async () => {
    const cache = new FeedCache({ maxBytes: 10_000, compressor: {} });
    let renders = 0;
    const render = async () => {
      renders++;
      return rendered(100);
    };
    await cache.get('k', 1, render);
    await cache.get('k', 1, render);
    await cache.get('k', 2, render);
    expect(renders).toBe(2);
    // A request that read an older version renders for itself but stores nothing.
    await cache.get('x', 1, render);
    await cache.get('x', 2, render);
    expect(renders).toBe(4);
  });
});
