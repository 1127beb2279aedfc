import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BASE_URL, seedCategoriesAndFeeds, testApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
  await seedCategoriesAndFeeds(t);
  const res = await t.api('/items', {
    body: [
      { guid: 'g-1', title: 'نشست صنفی', url: 'https://news.example/1', content: '<p>متن <b>اول</b></p>', publishedAt: '2024-01-01T10:00:00Z', categories: ['senfi'] },
      { guid: 'g-2', title: 'خبر سازمان & <همه>', url: 'https://news.example/2', summary: 'خلاصه', publishedAt: '2024-01-02T10:00:00Z', categories: ['akhbar-sazman'] },
      { guid: 'g-3', title: 'خبر مشترک', publishedAt: 'سه شنبه, ۲۸ مرداد ۱۳۹۳ ۰۲:۴۴', categories: ['senfi', 'akhbar-sazman'] },
    ],
  });
  expect(res.status).toBe(201);
});
afterEach(() => t.close());

/** Decodes the five XML entities and numeric references: what any XML parser would hand a reader. */
const xmlText = (s: string) =>
  s
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#([0-9]+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&(lt|gt|quot|apos|amp);/g, (_, n: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[n]!);

const titlesIn = (xml: string, tag: 'item' | 'entry') =>
  [...xml.matchAll(new RegExp(`<${tag}>[\\s\\S]*?<title[^>]*>([^<]*)</title>`, 'g'))].map((m) => xmlText(m[1]!));

describe('published feeds in three formats', () => {
  it('serves RSS 2.0 with the contract content type, newest first, escaped titles', async () => {
    const res = await t.get('/feeds/all.rss');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    const xml = await res.text();
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>/);
    expect(xml).toContain('<rss version="2.0"');
    expect(titlesIn(xml, 'item')).toEqual(['خبر سازمان & <همه>', 'نشست صنفی', 'خبر مشترک']);
    expect(xml).not.toContain('& <همه>');
    expect(xml).toContain(`<atom:link href="${BASE_URL}/feeds/all.rss" rel="self" type="application/rss+xml"/>`);
    expect(xml).toContain('<pubDate>Mon, 18 Aug 2014 22:14:00 GMT</pubDate>');
  });

  it('serves Atom 1.0 with xml:lang and category term and label', async () => {
    const res = await t.get('/feeds/all.atom');
    expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const xml = await res.text();
    expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fa"');
    expect(titlesIn(xml, 'entry')).toHaveLength(3);
    expect(xml).toContain('<category term="senfi" label="صنفی"/>');
    expect(xml).toContain('<published>2014-08-18T22:14:00Z</published>');
  });

  it('serves JSON Feed 1.1 with string ids, authors arrays and categories as tags', async () => {
    const res = await t.get('/feeds/all.json');
    expect(res.headers.get('content-type')).toBe('application/feed+json; charset=utf-8');
    const feed = (await res.json()) as { version: string; feed_url: string; items: { id: string; url: string; title: string; tags?: string[]; date_published: string }[] };
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.feed_url).toBe(`${BASE_URL}/feeds/all.json`);
    expect(feed.items.map((i) => i.title)).toEqual(['خبر سازمان & <همه>', 'نشست صنفی', 'خبر مشترک']);
    const shared = feed.items[2]!;
    expect(shared.date_published).toBe('2014-08-18T22:14:00Z');
    expect(shared.tags).toEqual(['صنفی', 'اخبار سازمان']);
    expect(shared.url).toMatch(new RegExp(`^${BASE_URL}/items/\\d+$`));
    expect(feed.items.every((i) => typeof i.id === 'string' && i.id.length > 0)).toBe(true);
  });

  it('keeps guids stable across formats and requests', async () => {
    const a = (await (await t.get('/feeds/all.json')).json()) as { items: { id: string }[] };
    const b = (await (await t.get('/feeds/all.json')).json()) as { items: { id: string }[] };
    expect(a.items.map((i) => i.id)).toEqual(b.items.map((i) => i.id));
    const rss = await (await t.get('/feeds/all.rss')).text();
    expect(rss).toContain('isPermaLink="false"');
  });
});

describe('category filtering', () => {
  const jsonTitles = async (path: string) => ((await (await t.get(path)).json()) as { items: { title: string }[] }).items.map((i) => i.title);

  it('a category feed holds only its category', async () => {
    expect(await jsonTitles('/feeds/senfi.json')).toEqual(['نشست صنفی', 'خبر مشترک']);
    expect(await jsonTitles('/feeds/akhbar-sazman.json')).toEqual(['خبر سازمان & <همه>', 'خبر مشترک']);
  });

  it('match=all needs every category', async () => {
    expect(await jsonTitles('/feeds/both.json')).toEqual(['خبر مشترک']);
  });

  it('a query narrows a feed but never widens it', async () => {
    expect(await jsonTitles('/feeds/all.json?category=senfi')).toEqual(['نشست صنفی', 'خبر مشترک']);
    expect(await jsonTitles('/feeds/senfi.json?category=akhbar-sazman')).toEqual(['خبر مشترک']);
  });

  it('q matches Persian letter variants and exclude removes', async () => {
    // Arabic Kaf and Yeh in the query still find «مشترک».
    expect(await jsonTitles('/feeds/all.json?q=مشترك')).toEqual(['خبر مشترک']);
    expect(await jsonTitles('/feeds/all.json?exclude=مشترک')).toEqual(['خبر سازمان & <همه>', 'نشست صنفی']);
  });

  it('since, until and limit', async () => {
    expect(await jsonTitles('/feeds/all.json?since=2024-01-02')).toEqual(['خبر سازمان & <همه>']);
    expect(await jsonTitles('/feeds/all.json?until=2020-01-01')).toEqual(['خبر مشترک']);
    expect(await jsonTitles('/feeds/all.json?limit=1')).toEqual(['خبر سازمان & <همه>']);
  });
});

describe('bad feed requests', () => {
  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=abc', 'limit'],
    ['since=yesterday', 'since'],
    ['category=NOT%20A%20SLUG', 'category'],
    ['source=-1', 'source'],
    ['match=some', 'match'],
    ['q=a&q=b', 'q'],
  ])('?%s is a 400 problem naming %s', async (query, field) => {
    const res = await t.get(`/feeds/all.rss?${query}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await res.json()) as { status: number; errors: { field: string }[] };
    expect(problem.status).toBe(400);
    expect(problem.errors.map((e) => e.field)).toContain(field);
  });

  it('an unknown feed or format is a 404 problem', async () => {
    for (const path of ['/feeds/nope.rss', '/feeds/all.xml', '/feeds/all']) {
      const res = await t.get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
  });
});

describe('conditional GET', () => {
  it('answers 304 to a matching If-None-Match and 200 to a stale one', async () => {
    const first = await t.get('/feeds/all.atom');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-z]+"$/);
    expect(first.headers.get('cache-control')).toContain('max-age=300');
    expect(first.headers.get('vary')).toBe('Accept-Encoding');
    const again = await t.get('/feeds/all.atom', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect((await t.get('/feeds/all.atom', { 'if-none-match': `W/${etag}` })).status).toBe(304);
    expect((await t.get('/feeds/all.atom', { 'if-none-match': '"stale"' })).status).toBe(200);
  });

  it('answers 304 to If-Modified-Since at or after Last-Modified', async () => {
    const first = await t.get('/feeds/all.rss');
    const lastModified = first.headers.get('last-modified')!;
    expect((await t.get('/feeds/all.rss', { 'if-modified-since': lastModified })).status).toBe(304);
    expect((await t.get('/feeds/all.rss', { 'if-modified-since': 'Thu, 01 Jan 1970 00:00:00 GMT' })).status).toBe(200);
  });

  it('a new item changes the ETag', async () => {
    const before = (await t.get('/feeds/all.json')).headers.get('etag');
    await t.api('/items', { body: { title: 'تازه', publishedAt: '2025-01-01T00:00:00Z' } });
    const after = await t.get('/feeds/all.json', { 'if-none-match': before! });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(before);
  });
});

describe('feed-level elements', () => {
  it('carry the icon in Atom and JSON Feed, and leave it out of RSS (GIF, JPEG and PNG only)', async () => {
    expect(await (await t.get('/feeds/all.atom')).text()).toContain(`<icon>${BASE_URL}/assets/chapar.svg</icon>`);
    expect(((await (await t.get('/feeds/all.json')).json()) as { icon?: string }).icon).toBe(`${BASE_URL}/assets/chapar.svg`);
    expect(await (await t.get('/feeds/all.rss')).text()).not.toContain('<image>');
    expect((await t.get('/assets/chapar.svg')).headers.get('content-type')).toBe('image/svg+xml');
  });

  it('advertise self and, when paged, first and next in the Link header', async () => {
    const res = await t.get('/feeds/all.json?limit=2');
    expect(res.headers.get('link')).toBe(
      [`<${BASE_URL}/feeds/all.json?limit=2>; rel="self"`, `<${BASE_URL}/feeds/all.json?limit=2>; rel="first"`].join(', ') +
        `, <${((await res.json()) as { next_url: string }).next_url}>; rel="next"`,
    );
  });
});

describe('query canonicalisation', () => {
  it('drops unknown parameters from the self link and the cache key', async () => {
    const first = await t.get('/feeds/all.atom?limit=2&_=123');
    const xml = await first.text();
    expect(xml).toContain(`<link rel="self" type="application/atom+xml" href="${BASE_URL}/feeds/all.atom?limit=2"/>`);
    expect(xml).not.toContain('_=123');
    const other = await t.get('/feeds/all.atom?limit=2&_=456', { 'if-none-match': first.headers.get('etag')! });
    expect(other.status).toBe(304);
  });
});
