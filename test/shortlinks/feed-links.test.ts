import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BASE_URL, testApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
  expect((await t.api('/feeds', { body: { slug: 'news', title: 'News', links: 'original' } })).status).toBe(201);
  const res = await t.api('/items', {
    body: [
      { title: 'با نشانی', url: 'https://news.example/fa/خبر-۱', guid: 'upstream-1', shortCode: '3643' },
      { title: 'بی‌نشانی', guid: 'https://news.example/?p=2' },
      { title: 'بی‌شناسه', url: 'https://news.example/3' },
    ],
  });
  expect(res.status).toBe(201);
});
afterEach(() => t.close());

const setMode = async (links: 'original' | 'short') => expect((await t.api('/feeds/news', { method: 'PATCH', body: { links } })).status).toBe(200);

async function jsonItems() {
  const res = await t.get('/feeds/news.json');
  expect(res.status).toBe(200);
  const feed = (await res.json()) as { items: { id: string; url?: string; title: string }[] };
  return feed.items;
}

async function rssItems() {
  const res = await t.get('/feeds/news.rss');
  expect(res.status).toBe(200);
  const xml = await res.text();
  return [...xml.matchAll(/<item>([\s\S]*?)<\/item>/g)].map(([, body]) => ({
    guid: /<guid[^>]*>([^<]*)<\/guid>/.exec(body!)?.[1],
    link: /<link>([^<]*)<\/link>/.exec(body!)?.[1],
  }));
}

describe('a feed with links: "short"', () => {
  it('links every item through its short link, and switching modes keeps every guid', async () => {
    const originalJson = await jsonItems();
    const originalRss = await rssItems();
    expect(originalJson).toHaveLength(3);
    expect(originalJson.map((i) => i.url)).not.toContainEqual(expect.stringContaining('/s/'));

    await setMode('short');
    const shortJson = await jsonItems();
    const shortRss = await rssItems();
    expect(shortJson.map((i) => i.id)).toEqual(originalJson.map((i) => i.id));
    expect(shortRss.map((i) => i.guid)).toEqual(originalRss.map((i) => i.guid));
    for (const item of [...shortJson.map((i) => i.url), ...shortRss.map((i) => i.link)]) expect(item).toMatch(new RegExp(`^${BASE_URL}/s/[A-Za-z0-9_-]+$`));
    expect(shortJson.find((i) => i.title === 'با نشانی')!.url).toBe(`${BASE_URL}/s/3643`);

    // Every short link leads where the original link did.
    for (const [i, item] of shortJson.entries()) {
      const res = await t.get(new URL(item.url!).pathname);
      expect(res.status).toBe(302);
      const original = originalJson[i]!.url!;
      expect(res.headers.get('location')).toBe(new URL(original).href);
    }

    await setMode('original');
    expect((await jsonItems()).map((i) => i.id)).toEqual(originalJson.map((i) => i.id));
    expect((await rssItems()).map((i) => i.guid)).toEqual(originalRss.map((i) => i.guid));
  });
});
