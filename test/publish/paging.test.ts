import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BASE_URL, seedCategoriesAndFeeds, testApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
  await seedCategoriesAndFeeds(t);
  // Seven items; two pairs share a publication time, so the cursor must break ties by id.
  const dates = ['2024-01-01', '2024-01-02', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-04', '2024-01-05'];
  const res = await t.api('/items', { body: dates.map((d, i) => ({ guid: `p-${i}`, title: `item ${i}`, publishedAt: `${d}T00:00:00Z`, categories: ['senfi'] })) });
  expect(res.status).toBe(201);
});
afterEach(() => t.close());

interface JsonPage {
  next_url?: string;
  items: { title: string }[];
}

const links = (res: Response) =>
  Object.fromEntries([...(res.headers.get('link') ?? '').matchAll(/<([^>]+)>; rel="([^"]+)"/g)].map((m) => [m[2]!, m[1]!]));

const PAGING_RELS = ['self', 'first', 'previous', 'next'];
const onlyPaging = (rels: Record<string, string>) => Object.fromEntries(Object.entries(rels).filter(([rel]) => PAGING_RELS.includes(rel)));

// htmlEntities makes the parser decode character references too: the renderers write "&" as "&#x26;".
const xmlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  htmlEntities: true,
  isArray: (name) => name === 'link' || name === 'atom:link',
});

/** The feed-level links of an Atom or RSS body (rel → href, entities decoded), after checking it is well-formed XML. */
function bodyLinks(xml: string): Record<string, string> {
  expect(XMLValidator.validate(xml)).toBe(true);
  const document = xmlParser.parse(xml) as {
    feed?: { link: { rel: string; href: string }[] };
    rss?: { channel: { 'atom:link': { rel: string; href: string }[] } };
  };
  const elements = document.feed?.link ?? document.rss?.channel['atom:link'] ?? [];
  return Object.fromEntries(elements.map((link) => [link.rel, link.href]));
}

const path = (url: string) => {
  expect(url.startsWith(BASE_URL)).toBe(true);
  return url.slice(BASE_URL.length);
};

describe('RFC 5005 paging', () => {
  it('follows next links to the oldest item and previous links back to the newest', async () => {
    const forward: string[][] = [];
    let url: string | undefined = `${BASE_URL}/feeds/senfi.json?limit=2`;
    let last: Response | null = null;
    while (url) {
      const res = await t.get(path(url));
      expect(res.status).toBe(200);
      const page = (await res.clone().json()) as JsonPage;
      forward.push(page.items.map((i) => i.title));
      expect(links(res).next).toBe(page.next_url);
      url = page.next_url;
      last = res;
      expect(forward.length).toBeLessThan(10);
    }
    expect(forward).toEqual([['item 6', 'item 5'], ['item 4', 'item 3'], ['item 2', 'item 1'], ['item 0']]);
    expect(links(last!).first).toBe(`${BASE_URL}/feeds/senfi.json?limit=2`);

    const backward: string[][] = [];
    let back: string | undefined = links(last!).previous;
    while (back) {
      const res = await t.get(path(back));
      expect(res.status).toBe(200);
      backward.push(((await res.json()) as JsonPage).items.map((i) => i.title));
      back = links(res).previous;
      expect(backward.length).toBeLessThan(10);
    }
    expect(backward).toEqual([['item 2', 'item 1'], ['item 4', 'item 3'], ['item 6', 'item 5']]);
  });

  it('the first page has next but no previous; a page keeps the other parameters', async () => {
    const res = await t.get('/feeds/all.atom?limit=3&category=senfi');
    const rel = links(res);
    expect(rel.previous).toBeUndefined();
    expect(rel.next).toMatch(new RegExp(`^${BASE_URL}/feeds/all\\.atom\\?limit=3&category=senfi&before=[0-9a-z.-]+$`));
    const next = /<link rel="next"[^>]* href="([^"]+)"/.exec(await res.text())?.[1];
    expect(next?.replace(/&#x26;|&amp;/g, '&')).toBe(rel.next);
  });

  it.each(['atom', 'rss'])('%s bodies carry first, previous and next exactly as the Link header does', async (format) => {
    const firstUrl = `${BASE_URL}/feeds/all.${format}?limit=3`;
    const pages: { items: number; rels: string[] }[] = [];
    let oldest: Record<string, string> = {};
    let url: string | undefined = firstUrl;
    while (url) {
      const res = await t.get(path(url));
      expect(res.status).toBe(200);
      const xml = await res.text();
      const body = bodyLinks(xml);
      expect(onlyPaging(body)).toEqual(onlyPaging(links(res)));
      expect(body.self).toBe(url);
      pages.push({ items: (xml.match(/<(entry|item)>/g) ?? []).length, rels: Object.keys(onlyPaging(body)).filter((rel) => rel !== 'self').sort() });
      oldest = body;
      url = body.next;
      expect(pages.length).toBeLessThan(10);
    }
    // As in the Link header, the newest page names a first page too: the feed has pages at all.
    expect(pages).toEqual([
      { items: 3, rels: ['first', 'next'] },
      { items: 3, rels: ['first', 'next', 'previous'] },
      { items: 1, rels: ['first', 'previous'] },
    ]);
    expect(oldest.first).toBe(firstUrl);

    // A reader with only the bodies gets back to the newest page.
    let back = oldest.previous;
    let steps = 0;
    let newest: Record<string, string> = {};
    while (back) {
      newest = bodyLinks(await (await t.get(path(back))).text());
      back = newest.previous;
      expect(++steps).toBeLessThan(10);
    }
    expect(steps).toBe(2);
    expect(newest.first).toBe(firstUrl);
  });

  it('a feed that fits on one page has neither first, previous nor next, in body or header', async () => {
    for (const format of ['atom', 'rss'] as const) {
      const res = await t.get(`/feeds/all.${format}?limit=50`);
      expect(onlyPaging(bodyLinks(await res.text()))).toEqual({ self: `${BASE_URL}/feeds/all.${format}?limit=50` });
      expect(onlyPaging(links(res))).toEqual({ self: `${BASE_URL}/feeds/all.${format}?limit=50` });
    }
  });

  it('RSS carries the next page as atom:link, and the whole archive is reachable', async () => {
    let url: string | null = `${BASE_URL}/feeds/all.rss?limit=3`;
    let seen = 0;
    while (url) {
      const xml: string = await (await t.get(path(url))).text();
      seen += (xml.match(/<item>/g) ?? []).length;
      const next: string | undefined = /<atom:link href="([^"]+)" rel="next"/.exec(xml)?.[1];
      url = next ? next.replace(/&#x26;|&amp;/g, '&') : null;
      expect(seen).toBeLessThanOrEqual(7);
    }
    expect(seen).toBe(7);
  });

  it('a feed limit caps the page size; the query can only lower it', async () => {
    await t.api('/feeds/senfi', { method: 'PATCH', body: { limit: 3 } });
    expect(((await (await t.get('/feeds/senfi.json?limit=50')).json()) as JsonPage).items).toHaveLength(3);
    expect(((await (await t.get('/feeds/senfi.json?limit=1')).json()) as JsonPage).items).toHaveLength(1);
  });

  it.each(['before=abc', 'before=1.2.3', 'after=zz', 'before=zzzzzzzzzzzz.1', 'after=1.zzzzzzzzzzzz', 'before=1.1&after=1.1', 'before=1.1&before=2.2'])(
    '?%s is a 400 naming the cursor',
    async (query) => {
      const res = await t.get(`/feeds/all.json?${query}`);
      expect(res.status).toBe(400);
      const fields = ((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field);
      expect(fields.some((f) => f === 'before' || f === 'after')).toBe(true);
    },
  );

  it('items dated before 1970 still page', async () => {
    await t.api('/items', { body: [{ guid: 'old-1', title: 'old 1', publishedAt: '1960-01-01T00:00:00Z' }, { guid: 'old-2', title: 'old 2', publishedAt: '1950-01-01T00:00:00Z' }] });
    const first = (await (await t.get('/feeds/all.json?limit=8')).json()) as JsonPage;
    expect(first.next_url).toMatch(/before=-/);
    const second = (await (await t.get(path(first.next_url!))).json()) as JsonPage;
    expect(second.items.map((i) => i.title)).toEqual(['old 2']);
  });
});
