import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BASE_URL, seedCategoriesAndFeeds, testApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});
afterEach(() => t.close());

describe('bearer auth', () => {
  it.each([
    ['no header', {}],
    ['a wrong token', { authorization: 'Bearer not-the-token' }],
    ['another scheme', { authorization: 'Basic dXNlcjpwYXNz' }],
    ['an empty bearer', { authorization: 'Bearer ' }],
  ])('refuses %s with 401, WWW-Authenticate and a problem document', async (_, headers) => {
    const res = await t.app.request(`${BASE_URL}/api/v1/categories`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{"slug":"x","name":"x"}' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="chapar"');
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await t.repos.categories.list()).toEqual([]);
  });

  it('refuses every call when no token exists at all', async () => {
    await t.database.db.run(`DELETE FROM tokens` as never);
    const res = await t.api('/categories');
    expect(res.status).toBe(401);
  });
});

describe('categories', () => {
  it('creates, reads, lists, changes and removes', async () => {
    const created = await t.api('/categories', { body: { slug: 'senfi', name: 'صنفی', aliases: ['guild'] } });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ slug: 'senfi', name: 'صنفی', aliases: ['guild'], description: null });
    expect(await (await t.api('/categories/senfi')).json()).toMatchObject({ slug: 'senfi' });
    const patched = await t.api('/categories/senfi', { method: 'PATCH', body: { description: 'اخبار صنفی' } });
    expect(await patched.json()).toMatchObject({ description: 'اخبار صنفی', name: 'صنفی' });
    const list = (await (await t.api('/categories')).json()) as { items: unknown[]; next: string | null };
    expect(list.items).toHaveLength(1);
    expect(list.next).toBeNull();
    expect((await t.api('/categories/senfi', { method: 'DELETE' })).status).toBe(204);
    expect((await t.api('/categories/senfi')).status).toBe(404);
  });

  it('pages lists with limit and cursor', async () => {
    for (const slug of ['a', 'b', 'c']) await t.api('/categories', { body: { slug, name: slug } });
    const first = (await (await t.api('/categories?limit=2')).json()) as { items: { slug: string }[]; next: string };
    expect(first.items.map((c) => c.slug)).toEqual(['a', 'b']);
    const second = (await (await t.api(`/categories?limit=2&cursor=${first.next}`)).json()) as { items: { slug: string }[]; next: null };
    expect(second.items.map((c) => c.slug)).toEqual(['c']);
    expect(second.next).toBeNull();
    expect((await t.api('/categories?limit=0')).status).toBe(422);
  });

  it('answers 409 on a slug clash', async () => {
    await t.api('/categories', { body: { slug: 'senfi', name: 'صنفی' } });
    const res = await t.api('/categories', { body: { slug: 'senfi', name: 'دیگر' } });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it('answers 422 naming each bad field, and 400 for a body that is not JSON', async () => {
    const res = await t.api('/categories', { body: { slug: 'Bad Slug', name: '', extra: 1 } });
    expect(res.status).toBe(422);
    const problem = (await res.json()) as { errors: { field: string }[] };
    expect(problem.errors.map((e) => e.field).sort()).toEqual(['(body)', 'name', 'slug']);
    const malformed = await t.api('/categories', { body: '{"slug":' });
    expect(malformed.status).toBe(400);
  });
});

describe('published feeds', () => {
  it('creates a feed with its URLs, and 422 for a bad filter or language', async () => {
    await t.api('/categories', { body: { slug: 'senfi', name: 'صنفی' } });
    const res = await t.api('/feeds', { body: { slug: 'senfi', title: 'صنفی', language: 'fa', filter: { categories: ['senfi'] } } });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ slug: 'senfi', limit: 50, links: 'original', urls: { rss: `${BASE_URL}/feeds/senfi.rss` } });
    const bad = await t.api('/feeds', { body: { slug: 'x', title: 'x', language: 'not a language', filter: { match: 'most' } } });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual(['filter.match', 'language']);
  });
});

describe('pushing items', () => {
  beforeEach(() => seedCategoriesAndFeeds(t));

  it('stores one item and gives it a numeric short code', async () => {
    const res = await t.api('/items', { body: { title: 'خبر', url: 'https://news.example/a?utm_source=x&id=1', categories: ['senfi'] } });
    expect(res.status).toBe(201);
    const { items } = (await res.json()) as { items: { id: number; status: string; shortCode: string; shortUrl: string }[] };
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ status: 'new', shortCode: '1001', shortUrl: `${BASE_URL}/s/1001` });
    const item = (await (await t.api(`/items/${items[0]!.id}`)).json()) as { url: string; categories: { slug: string }[] };
    expect(item.url).toBe('https://news.example/a?id=1');
    expect(item.categories.map((c) => c.slug)).toEqual(['senfi']);
  });

  it('keeps an asked-for short code when free, and allocates another when taken', async () => {
    const one = (await (await t.api('/items', { body: { title: 'الف', shortCode: '3643' } })).json()) as { items: { shortCode: string }[] };
    expect(one.items[0]!.shortCode).toBe('3643');
    const two = (await (await t.api('/items', { body: { title: 'ب', shortCode: '3643' } })).json()) as { items: { shortCode: string }[] };
    expect(two.items[0]!.shortCode).toBe('3644');
  });

  it('dedups by guid, then url: a repeat is unchanged and an edit is updated', async () => {
    const body = { guid: 'x-1', title: 'عنوان', content: '<p>یک</p>' };
    const push = async (b: object) => ((await (await t.api('/items', { body: b })).json()) as { items: { id: number; status: string }[] }).items[0]!;
    const first = await push(body);
    expect(first.status).toBe('new');
    expect(await push(body)).toEqual({ ...first, status: 'unchanged' });
    expect(await push({ ...body, content: '<p>دو</p>' })).toMatchObject({ id: first.id, status: 'updated' });
    const byUrl = await push({ title: 'با نشانی', url: 'https://news.example/u' });
    expect(await push({ title: 'با نشانی', url: 'https://news.example/u' })).toMatchObject({ id: byUrl.id, status: 'unchanged' });
  });

  it('is all or nothing, naming the index and field of each bad item', async () => {
    const res = await t.api('/items', {
      body: [
        { title: 'خوب' },
        { title: 'بد', url: 'javascript:alert(1)' },
        { title: 'بدتر', categories: ['nope'] },
        { title: 'تاریخ', publishedAt: 'نه تاریخ' },
      ],
    });
    expect(res.status).toBe(422);
    const fields = ((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field);
    expect(fields).toContain('1.url');
    const again = await t.api('/items', { body: [{ title: 'خوب' }, { title: 'بدتر', categories: ['nope'] }, { title: 'تاریخ', publishedAt: 'نه تاریخ' }] });
    expect(((await again.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['1.categories', '2.publishedAt']);
    const feed = (await (await t.get('/feeds/all.json')).json()) as { items: unknown[] };
    expect(feed.items).toEqual([]);
  });

  it('sanitises content: no script, no event handlers, no javascript: links', async () => {
    const res = await t.api('/items', { body: { title: 't', content: '<p onclick="x()">ok<script>alert(1)</script><a href="javascript:alert(1)">l</a><img src="/i.png" onerror="x()"></p>', url: 'https://news.example/p/1' } });
    const { items } = (await res.json()) as { items: { id: number }[] };
    const item = (await (await t.api(`/items/${items[0]!.id}`)).json()) as { content: string };
    expect(item.content).not.toMatch(/script|onclick|onerror|javascript:/i);
    expect(item.content).toContain('src="https://news.example/i.png"');
  });

  it('refuses more than 1000 items in one push', async () => {
    const res = await t.api('/items', { body: Array.from({ length: 1001 }, (_, i) => ({ title: `t${i}` })) });
    expect(res.status).toBe(422);
  });

  it('deletes an item into a tombstone that a repeat push cannot revive', async () => {
    const { items } = (await (await t.api('/items', { body: { guid: 'dead', title: 'حذف' } })).json()) as { items: { id: number }[] };
    expect((await t.api(`/items/${items[0]!.id}`, { method: 'DELETE' })).status).toBe(204);
    const again = (await (await t.api('/items', { body: { guid: 'dead', title: 'حذف' } })).json()) as { items: { status: string }[] };
    expect(again.items[0]!.status).toBe('deleted');
    expect((await t.api(`/items/${items[0]!.id}`)).status).toBe(404);
  });
});

describe('request size', () => {
  it('answers 413 with a problem document for a body over 1 MiB, and stores nothing', async () => {
    const res = await t.api('/items', { body: [{ title: 'x', content: 'ب'.repeat(600_000) }] });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await t.repos.items.list([], { limit: 10 })).toEqual([]);
  });
});

describe('rules on pushed items', () => {
  it('files a pushed item under the category its rule names', async () => {
    await seedCategoriesAndFeeds(t);
    const rule = await t.api('/rules', { body: { category: 'senfi', field: 'title', op: 'contains', value: 'اتحادیه' } });
    expect(rule.status).toBe(201);
    // Arabic Yeh in the pushed title still matches the rule's Persian Yeh.
    const { items } = (await (await t.api('/items', { body: { title: 'نشست اتحاديه صنف' } })).json()) as { items: { id: number }[] };
    const item = (await (await t.api(`/items/${items[0]!.id}`)).json()) as { categories: { slug: string }[] };
    expect(item.categories.map((c) => c.slug)).toEqual(['senfi']);
  });
});

describe('listing and recategorising items', () => {
  beforeEach(() => seedCategoriesAndFeeds(t));

  it('lists items newest first in pages, with the feed query language', async () => {
    await t.api('/items', { body: [1, 2, 3].map((n) => ({ guid: `l-${n}`, title: `خبر ${n}`, publishedAt: `2024-01-0${n}T00:00:00Z`, categories: n === 2 ? ['senfi'] : [] })) });
    const first = (await (await t.api('/items?limit=2')).json()) as { items: { title: string }[]; next: string };
    expect(first.items.map((i) => i.title)).toEqual(['خبر 3', 'خبر 2']);
    const second = (await (await t.api(`/items?limit=2&cursor=${first.next}`)).json()) as { items: { title: string }[]; next: null };
    expect(second.items.map((i) => i.title)).toEqual(['خبر 1']);
    expect(second.next).toBeNull();
    const filtered = (await (await t.api('/items?category=senfi')).json()) as { items: { title: string }[] };
    expect(filtered.items.map((i) => i.title)).toEqual(['خبر 2']);
    expect((await t.api('/items?limit=0')).status).toBe(422);
  });

  it('recategorises an item, and the feeds follow', async () => {
    const { items } = (await (await t.api('/items', { body: { title: 'جابه‌جا', categories: ['senfi'] } })).json()) as { items: { id: number }[] };
    const id = items[0]!.id;
    const inFeed = async (slug: string) => ((await (await t.get(`/feeds/${slug}.json`)).json()) as { items: unknown[] }).items.length;
    expect(await inFeed('akhbar-sazman')).toBe(0);
    const res = await t.api(`/items/${id}`, { method: 'PATCH', body: { categories: ['akhbar-sazman'] } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { categories: { slug: string }[] }).categories.map((c) => c.slug)).toEqual(['akhbar-sazman']);
    expect(await inFeed('akhbar-sazman')).toBe(1);
    expect(await inFeed('senfi')).toBe(0);
  });

  it('422 for an unknown category and 404 for an unknown item', async () => {
    const { items } = (await (await t.api('/items', { body: { title: 'x' } })).json()) as { items: { id: number }[] };
    const bad = await t.api(`/items/${items[0]!.id}`, { method: 'PATCH', body: { categories: ['nope'] } });
    expect(bad.status).toBe(422);
    expect((await t.api('/items/99999', { method: 'PATCH', body: { categories: [] } })).status).toBe(404);
  });
});
