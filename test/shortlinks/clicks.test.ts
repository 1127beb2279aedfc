import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BASE_URL, testApp, type TestApp } from '../helpers/app.ts';

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0';

let t: TestApp;
let clock: Date;
beforeEach(async () => {
  clock = new Date('2025-03-20T10:00:00Z');
  t = await testApp({ now: () => clock });
  await t.repos.links.create({ url: 'https://example.org/a', code: 'abc' });
});
afterEach(() => t.close());

const click = (code: string, headers: Record<string, string> = {}, method = 'GET') =>
  t.app.request(`${BASE_URL}/s/${code}`, { method, headers: { 'user-agent': BROWSER, ...headers } });

const linkRow = async (code: string) => (await t.repos.links.byCode(code))!;

describe('click counting', () => {
  it('counts nothing on the request path: clicks wait in memory until a flush', async () => {
    for (let i = 0; i < 3; i++) expect((await click('abc')).status).toBe(302);
    expect((await linkRow('abc')).clicks).toBe(0);
    expect(t.traffic.pending).toBe(1);
    const report = await t.traffic.flush();
    expect(report).toMatchObject({ clicks: 3, failed: false });
    expect((await linkRow('abc')).clicks).toBe(3);
    expect(t.traffic.pending).toBe(0);
  });

  it('keeps totals, days and referring hosts', async () => {
    await click('abc', { referer: 'https://t.me/chapar/1' });
    await click('abc', { referer: 'https://T.me/other' });
    await click('abc');
    await t.traffic.flush();
    clock = new Date('2025-03-21T00:00:01Z');
    await click('abc', { referer: 'https://news.example/' });
    await t.traffic.flush();
    const stats = await t.repos.links.clickStats('abc', { sinceDay: '2025-01-01', referrers: 10 });
    expect(stats.byDay).toEqual([
      { day: '2025-03-20', clicks: 3 },
      { day: '2025-03-21', clicks: 1 },
    ]);
    expect(stats.referrers).toEqual([
      { host: 't.me', clicks: 2 },
      { host: '', clicks: 1 },
      { host: 'news.example', clicks: 1 },
    ]);
    expect((await linkRow('abc')).clicks).toBe(4);
  });

  it('does not count HEAD', async () => {
    expect((await click('abc', {}, 'HEAD')).status).toBe(302);
    await t.traffic.flush();
    expect((await linkRow('abc')).clicks).toBe(0);
  });

  it('does not count bots, link expanders or prefetches', async () => {
    for (const ua of ['Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)', 'Twitterbot/1.0', 'facebookexternalhit/1.1', 'TelegramBot (like TwitterBot)', 'WhatsApp/2.23.20.0 A', 'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', '']) {
      expect((await click('abc', { 'user-agent': ua })).status).toBe(302);
    }
    await click('abc', { 'sec-purpose': 'prefetch' });
    await click('abc', { purpose: 'prefetch' });
    await click('abc', { 'x-purpose': 'preview' });
    await t.traffic.flush();
    expect((await linkRow('abc')).clicks).toBe(0);
  });

  it('does not count a click on an unknown code', async () => {
    expect((await click('nope')).status).toBe(404);
    expect(t.traffic.pending).toBe(0);
  });

  it('drops clicks on a link deleted before the flush, and keeps the rest of the batch', async () => {
    await t.repos.links.create({ url: 'https://example.org/b', code: 'other' });
    await click('abc');
    await click('other');
    await t.repos.links.remove('abc');
    await t.traffic.flush();
    expect((await linkRow('other')).clicks).toBe(1);
    expect(await t.repos.links.byCode('abc')).toBeNull();
  });
});

describe('the click buffer is bounded', () => {
  it('past its bound, keeps the click but not its referrer, then drops', async () => {
    const small = await testApp({ traffic: { maxKeys: 4 } });
    try {
      await small.repos.links.create({ url: 'https://example.org/a', code: 'abc' });
      await small.repos.links.create({ url: 'https://example.org/b', code: 'def' });
      const hit = (code: string, host: string) => small.app.request(`${BASE_URL}/s/${code}`, { headers: { 'user-agent': BROWSER, referer: `https://${host}/` } });
      // Half full starts a flush at once; wait for it so the bound is what we test.
      await hit('abc', 'one.example');
      await hit('abc', 'two.example');
      await small.traffic.flush();
      for (let i = 0; i < 50; i++) await hit('abc', `h${i}.example`);
      expect(small.traffic.pending).toBeLessThanOrEqual(4);
      await small.traffic.flush();
      expect((await small.repos.links.byCode('abc'))!.clicks).toBe(52);
      expect(small.traffic.dropped).toBe(0);
    } finally {
      await small.close();
    }
  });
});

describe('an app given no recorder by its runtime', () => {
  it('writes each click right after its response', async () => {
    const { createApp } = await import('../../src/app.ts');
    const app = createApp({ repos: t.repos, config: { baseUrl: BASE_URL, websubHubs: [], version: 'test' }, now: () => clock });
    expect((await app.request(`${BASE_URL}/s/abc`, { headers: { 'user-agent': BROWSER } })).status).toBe(302);
    await vi.waitFor(async () => expect((await linkRow('abc')).clicks).toBe(1));
  });
});
