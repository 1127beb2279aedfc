import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedCategoriesAndFeeds, testApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
  await seedCategoriesAndFeeds(t);
  const res = await t.api('/items', {
    body: [
      { guid: 'f-1', title: 'اول صنفی', publishedAt: '2024-09-20T10:00:00Z', categories: ['senfi'] },
      { guid: 'f-2', title: 'دوم سازمان', publishedAt: '2024-09-24T10:00:00Z', categories: ['akhbar-sazman'] },
      { guid: 'f-3', title: 'سوم هر دو', publishedAt: '2024-09-28T10:00:00Z', categories: ['senfi', 'akhbar-sazman'] },
    ],
  });
  expect(res.status).toBe(201);
});
afterEach(() => t.close());

const titles = async (query: string) => {
  const res = await t.get(`/feeds/all.json?${query}`);
  expect(res.status, query).toBe(200);
  return ((await res.json()) as { items: { title: string }[] }).items.map((i) => i.title);
};

describe('each filter', () => {
  it('category is repeatable, with match=any (default) or all', async () => {
    expect(await titles('category=senfi&category=akhbar-sazman')).toEqual(['سوم هر دو', 'دوم سازمان', 'اول صنفی']);
    expect(await titles('category=senfi&category=akhbar-sazman&match=all')).toEqual(['سوم هر دو']);
    expect(await titles('category=unknown')).toEqual([]);
  });

  it('since and until take Jalali dates too (1403-07-03 is 2024-09-24)', async () => {
    expect(await titles('since=1403-07-03')).toEqual(['سوم هر دو', 'دوم سازمان']);
    expect(await titles('until=1403-07-03')).toEqual(['دوم سازمان', 'اول صنفی']);
    expect(await titles('since=2024-09-21T00:00:00Z&until=2024-09-27T00:00:00Z')).toEqual(['دوم سازمان']);
  });

  it('exclude is repeatable and every term removes', async () => {
    expect(await titles(`exclude=${encodeURIComponent('اول')}&exclude=${encodeURIComponent('دوم')}`)).toEqual(['سوم هر دو']);
  });

  it('source narrows to items of those sources (pushed items have none)', async () => {
    expect(await titles('source=1&source=2')).toEqual([]);
  });

  it('unknown parameters are ignored (utm_*, cache busters)', async () => {
    expect(await titles('utm_source=x&_=123')).toHaveLength(3);
  });
});

describe('each bad value is a 400 problem naming its parameter', () => {
  it.each([
    ['category=', 'category'],
    [`category=${'a'.repeat(65)}`, 'category'],
    [Array.from({ length: 21 }, () => 'category=senfi').join('&'), 'category'],
    ['match=', 'match'],
    ['match=ALL', 'match'],
    ['q=', 'q'],
    ['q=%20%20', 'q'],
    [`q=${'x'.repeat(201)}`, 'q'],
    ['exclude=', 'exclude'],
    ['source=0', 'source'],
    ['source=abc', 'source'],
    ['source=12345678901', 'source'],
    ['since=', 'since'],
    ['since=2024-13-01', 'since'],
    ['until=1403-13-01', 'until'],
    ['until=tomorrow', 'until'],
    ['limit=', 'limit'],
    ['limit=1.5', 'limit'],
    ['limit=-1', 'limit'],
    ['limit=1000', 'limit'],
    ['limit=1&limit=2', 'limit'],
    ['before=', 'before'],
    ['after=x', 'after'],
  ])('?%s → %s', async (query, field) => {
    for (const format of ['rss', 'atom', 'json']) {
      const res = await t.get(`/feeds/all.${format}?${query}`);
      expect(res.status, `${format}?${query}`).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      const problem = (await res.json()) as { title: string; status: number; errors: { field: string; message: string }[] };
      expect(problem.status).toBe(400);
      expect(problem.errors.map((e) => e.field)).toContain(field);
      expect(problem.errors.every((e) => e.message.length > 0)).toBe(true);
    }
  });

  it('a bad query on an unknown feed is still a 404', async () => {
    expect((await t.get('/feeds/nope.rss?limit=0')).status).toBe(404);
  });
});
