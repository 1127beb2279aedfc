import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BASE_URL, testApp, type TestApp } from '../helpers/app.ts';

const stats = z.object({
  feed: z.string(),
  window: z.literal('7d'),
  subscribers: z.number().int(),
  readers: z.array(z.object({ name: z.string(), subscribers: z.number().int() })),
  polls: z.object({
    days: z.number().int(),
    total: z.number().int(),
    byDay: z.array(z.object({ day: z.string(), polls: z.number().int() })),
    byFormat: z.record(z.string(), z.number().int()),
  }),
});

const FEEDLY = (n: number) => `Feedly/1.0 (+http://www.feedly.com/fetcher.html; ${n} subscribers; )`;
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';

let t: TestApp;
let clock: Date;
beforeEach(async () => {
  clock = new Date('2025-03-20T10:00:00Z');
  // The test's stand-in for the runtime's socket address.
  t = await testApp({ now: () => clock, clientIp: (c) => c.req.header('x-test-ip') });
  expect((await t.api('/feeds', { body: { slug: 'news', title: 'News' } })).status).toBe(201);
  expect((await t.api('/feeds', { body: { slug: 'other', title: 'Other' } })).status).toBe(201);
});
afterEach(() => t.close());

const poll = (userAgent: string, opts: { ip?: string; format?: string; slug?: string; method?: string; headers?: Record<string, string> } = {}) =>
  t.app.request(`${BASE_URL}/feeds/${opts.slug ?? 'news'}.${opts.format ?? 'rss'}`, {
    method: opts.method ?? 'GET',
    headers: { 'user-agent': userAgent, 'x-test-ip': opts.ip ?? '192.0.2.1', ...opts.headers },
  });

const readStats = async (slug = 'news', query = '') => {
  const res = await t.api(`/feeds/${slug}/stats${query}`);
  expect(res.status).toBe(200);
  return stats.parse(await res.json());
};

describe('GET /api/v1/feeds/:slug/stats', () => {
  it('counts every feed request per day and format, 200 and 304 alike', async () => {
    expect((await poll(CHROME)).status).toBe(200);
    expect((await poll('curl/8', { format: 'atom' })).status).toBe(200);
    const first = await poll('curl/8', { format: 'json' });
    const etag = first.headers.get('etag')!;
    expect((await poll('curl/8', { format: 'json', headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await poll('curl/8', { method: 'HEAD' })).status).toBe(200);
    // Not feed requests: unknown feeds, other paths.
    expect((await poll('curl/8', { slug: 'missing' })).status).toBe(404);
    await t.traffic.flush();
    clock = new Date('2025-03-21T09:00:00Z');
    await poll('curl/8');
    await t.traffic.flush();

    const body = await readStats();
    expect(body.polls.total).toBe(6);
    expect(body.polls.byFormat).toEqual({ rss: 3, atom: 1, json: 2 });
    expect(body.polls.days).toBe(7);
    expect(body.polls.byDay).toHaveLength(7);
    expect(body.polls.byDay.slice(-2)).toEqual([
      { day: '2025-03-20', polls: 5 },
      { day: '2025-03-21', polls: 1 },
    ]);
    expect((await readStats('other')).polls.total).toBe(0);
  });

  it("estimates subscribers: hosted readers' reports, one per other distinct client, no browsers or crawlers", async () => {
    await poll(FEEDLY(100));
    await poll(FEEDLY(123), { ip: '198.51.100.7' });
    await poll('Mozilla/5.0 (compatible; inoreader.com; 45 subscribers)');
    await poll('NewsBlur Feed Fetcher - 12 subscribers - http://www.newsblur.com/site/123/news (Mozilla/5.0 (Macintosh; Intel Mac OS X 10_7_1) AppleWebKit/534.48.3 (KHTML, like Gecko) Version/5.1 Safari/534.48.3)');
    await poll('Feedbin feed-id:1234 - 56 subscribers');
    await poll('Feedbin feed-id:99 - 4 subscribers');
    await poll('Mozilla/5.0 (compatible; theoldreader.com; 7 subscribers; feed-id=abc123)');
    await poll('Mozilla/5.0 (compatible; BazQux/2.4; +https://bazqux.com/fetcher; 3 subscribers)');
    // Other clients: one each per (IP, User-Agent), however often they poll.
    await poll('NetNewsWire (RSS Reader; https://netnewswire.com/)', { ip: '203.0.113.1' });
    await poll('NetNewsWire (RSS Reader; https://netnewswire.com/)', { ip: '203.0.113.1', format: 'atom' });
    await poll('NetNewsWire (RSS Reader; https://netnewswire.com/)', { ip: '203.0.113.2' });
    await poll('Mozilla/5.0 (compatible; Miniflux/2.1.0; +https://miniflux.app)', { ip: '203.0.113.1' });
    // Not subscribers.
    await poll(CHROME, { ip: '203.0.113.9' });
    await poll('Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)');
    await t.traffic.flush();
    await poll(FEEDLY(130));
    await t.traffic.flush();

    const body = await readStats();
    expect(body.readers).toEqual([
      { name: 'Feedly', subscribers: 130 },
      { name: 'Feedbin', subscribers: 60 },
      { name: 'Inoreader', subscribers: 45 },
      { name: 'NewsBlur', subscribers: 12 },
      { name: 'The Old Reader', subscribers: 7 },
      { name: 'BazQux', subscribers: 3 },
      { name: 'NetNewsWire', subscribers: 2 },
      { name: 'Miniflux', subscribers: 1 },
    ]);
    expect(body.subscribers).toBe(130 + 60 + 45 + 12 + 7 + 3 + 2 + 1);
    expect(body.window).toBe('7d');
    // Readers are per feed.
    expect((await readStats('other')).subscribers).toBe(0);
  });

  it('keeps the last reported count when a hosted reader polls without one', async () => {
    await poll(FEEDLY(50));
    await t.traffic.flush();
    clock = new Date('2025-03-20T11:00:00Z');
    await poll('Feedly/1.0 (+http://www.feedly.com/fetcher.html; like FeedFetcher-Google)');
    await t.traffic.flush();
    expect((await readStats()).readers).toEqual([{ name: 'Feedly', subscribers: 50 }]);
  });

  it('counts over a rolling 7 days', async () => {
    await poll(FEEDLY(10));
    await poll('curl/8', { ip: '203.0.113.1' });
    await t.traffic.flush();
    clock = new Date('2025-03-24T10:00:00Z');
    await poll('curl/8', { ip: '203.0.113.2' });
    await t.traffic.flush();
    expect((await readStats()).subscribers).toBe(12);

    // Seven days after the first polls, only the later client is still in the window.
    clock = new Date('2025-03-27T10:00:01Z');
    expect((await readStats()).subscribers).toBe(1);
    expect((await readStats()).readers).toEqual([{ name: 'curl', subscribers: 1 }]);

    // A reader seen again comes back with its new report, counted once.
    await poll(FEEDLY(11));
    await poll('curl/8', { ip: '203.0.113.1' });
    await t.traffic.flush();
    expect((await readStats()).subscribers).toBe(13);

    clock = new Date('2025-04-10T00:00:00Z');
    expect((await readStats()).subscribers).toBe(0);
  });

  it('without a client address, clients are told apart by User-Agent alone', async () => {
    const plain = await testApp();
    try {
      await plain.api('/feeds', { body: { slug: 'news', title: 'News' } });
      for (const ua of ['curl/8', 'curl/8', 'Wget/1.21']) await plain.get('/feeds/news.rss', { 'user-agent': ua });
      await plain.traffic.flush();
      const body = stats.parse(await (await plain.api('/feeds/news/stats')).json());
      expect(body.subscribers).toBe(2);
    } finally {
      await plain.close();
    }
  });

  it('stores no raw IP anywhere', async () => {
    await poll('curl/8', { ip: '203.0.113.77' });
    await poll(FEEDLY(3), { ip: '203.0.113.78' });
    await t.traffic.flush();
    const rows = await t.database.db.all(sql`SELECT * FROM feed_readers UNION ALL SELECT key, value, NULL, NULL, NULL FROM settings`);
    expect(rows.length).toBeGreaterThan(2);
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain('203.0.113.7');
  });

  it('takes ?days= for polls, and refuses bad values', async () => {
    expect((await readStats('news', '?days=30')).polls.byDay).toHaveLength(30);
    expect((await t.api('/feeds/news/stats?days=0')).status).toBe(422);
    expect((await t.api('/feeds/news/stats?days=abc')).status).toBe(422);
  });

  it('404 for an unknown feed, 401 without a token', async () => {
    expect((await t.api('/feeds/missing/stats')).status).toBe(404);
    expect((await t.app.request(`${BASE_URL}/api/v1/feeds/news/stats`)).status).toBe(401);
  });
});
