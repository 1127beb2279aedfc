import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ftsQuery, searchWords } from '../../src/db/fts.ts';
import { seedCategoriesAndFeeds, testApp, type TestApp } from '../helpers/app.ts';

describe('ftsQuery', () => {
  it('quotes every word, so FTS5 operators are only text', () => {
    expect(ftsQuery('NEAR(a b) OR title:x*')).toBe('"near(a"* "b)" "or" "title:x*"*');
    expect(ftsQuery('say "hi"')).toBe('"say"* """hi"""*');
  });

  it('normalises as the index does: Arabic letters, digits, joiners', () => {
    expect(ftsQuery('مشترك')).toBe('"مشترک"*');
    expect(ftsQuery('۱۴۰۳')).toBe('"1403"*');
    expect(searchWords('می‌شود')).toEqual(['می', 'شود']);
  });

  it('drops words with no letter or digit and caps the count', () => {
    expect(ftsQuery('!!! ... ---')).toBeNull();
    expect(ftsQuery('a !!! b')).toBe('"a" "b"');
    expect(searchWords(Array.from({ length: 40 }, (_, i) => `w${i}`).join(' '))).toHaveLength(16);
  });
});

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
  await seedCategoriesAndFeeds(t);
  const res = await t.api('/items', {
    body: [
      { guid: 's-1', title: 'کتاب‌های تازه', content: '<p>فهرست <b>کتابها</b> در سال ۱۴۰۳</p>', publishedAt: '2024-03-01T00:00:00Z', categories: ['senfi'] },
      { guid: 's-2', title: 'Budget meeting', summary: 'The café opens', publishedAt: '2024-03-02T00:00:00Z', categories: ['akhbar-sazman'] },
      { guid: 's-3', title: 'نشست هیئت مدیره', content: 'مسئول جلسه', publishedAt: '2024-03-03T00:00:00Z', categories: ['senfi'] },
    ],
  });
  expect(res.status).toBe(201);
});
afterEach(() => t.close());

const titles = async (query: string, feed = 'all') => {
  const res = await t.get(`/feeds/${feed}.json?${query}`);
  expect(res.status, query).toBe(200);
  return ((await res.json()) as { items: { title: string }[] }).items.map((i) => i.title);
};

describe('q through FTS5', () => {
  it('finds words in title, summary and content, with prefixes and Persian variants', async () => {
    expect(await titles(`q=${encodeURIComponent('كتاب')}`)).toEqual(['کتاب‌های تازه']);
    expect(await titles('q=1403')).toEqual(['کتاب‌های تازه']);
    expect(await titles(`q=${encodeURIComponent('هيئت')}`)).toEqual(['نشست هیئت مدیره']);
    expect(await titles('q=cafe')).toEqual(['Budget meeting']);
    expect(await titles('q=BUDG')).toEqual(['Budget meeting']);
  });

  it('needs every word', async () => {
    expect(await titles(`q=${encodeURIComponent('نشست مدیره')}`)).toEqual(['نشست هیئت مدیره']);
    expect(await titles(`q=${encodeURIComponent('نشست budget')}`)).toEqual([]);
  });

  it('combines with the saved filter and other parameters', async () => {
    expect(await titles(`q=${encodeURIComponent('نشست')}`, 'akhbar-sazman')).toEqual([]);
    expect(await titles(`q=${encodeURIComponent('نشست')}&category=senfi`)).toEqual(['نشست هیئت مدیره']);
    expect(await titles(`q=${encodeURIComponent('نشست')}&exclude=${encodeURIComponent('جلسه')}`)).toEqual([]);
  });

  it.each(['"', '""', 'a"b', 'OR', 'AND', 'NOT x', 'NEAR(a b)', 'title:x', 'x*', '*', '^x', '-x', '(x', 'x)', '{a b}: x', "'", '\\', '%', '_'])(
    'q=%s is answered without a server error',
    async (q) => {
      const res = await t.get(`/feeds/all.rss?q=${encodeURIComponent(q)}`);
      expect([200, 400]).toContain(res.status);
    },
  );

  it('a q with no letter or digit is a 400 naming q', async () => {
    const res = await t.get('/feeds/all.json?q=!!!');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['q']);
  });

  it('the index follows edits and deletions', async () => {
    await t.api('/items', { body: { guid: 's-2', title: 'Annual report', publishedAt: '2024-03-02T00:00:00Z' } });
    expect(await titles('q=budget')).toEqual([]);
    expect(await titles('q=annual')).toEqual(['Annual report']);
    const id = (await t.repos.items.list([{ search: ['annual'] }], { limit: 1 }))[0]!.id;
    expect((await t.api(`/items/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await titles('q=annual')).toEqual([]);
  });
});
