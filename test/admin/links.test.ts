import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BASE_URL, testApp, type TestApp } from '../helpers/app.ts';

const link = z.object({
  code: z.string(),
  shortUrl: z.string(),
  url: z.string().nullable(),
  status: z.union([z.literal(301), z.literal(302)]),
  clicks: z.number().int(),
  itemId: z.number().int().nullable(),
  createdAt: z.string(),
});
const detail = link.extend({
  clicksByDay: z.array(z.object({ day: z.string(), clicks: z.number().int() })),
  referrers: z.array(z.object({ host: z.string().nullable(), clicks: z.number().int() })),
});
const problem = z.object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string().optional(), errors: z.array(z.object({ field: z.string(), message: z.string() })).optional() });

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0';

let t: TestApp;
let clock: Date;
beforeEach(async () => {
  clock = new Date('2025-03-20T10:00:00Z');
  t = await testApp({ now: () => clock });
});
afterEach(() => t.close());

const create = async (body: unknown) => {
  const res = await t.api('/links', { body });
  return { res, body: (await res.json()) as unknown };
};

describe('POST /api/v1/links', () => {
  it('allocates a numeric code above 1000 and answers 201 with the short URL', async () => {
    const { res, body } = await create({ url: 'https://example.org/a' });
    expect(res.status).toBe(201);
    const created = link.parse(body);
    expect(created).toMatchObject({ code: '1001', shortUrl: `${BASE_URL}/s/1001`, url: 'https://example.org/a', status: 302, clicks: 0, itemId: null, createdAt: '2025-03-20T10:00:00.000Z' });
    expect(res.headers.get('location')).toBe(`${BASE_URL}/api/v1/links/1001`);
    const second = link.parse((await create({ url: 'https://example.org/b' })).body);
    expect(second.code).toBe('1002');
  });

  it('allocates past item codes and past custom numeric codes, never colliding', async () => {
    await t.api('/items', { body: { title: 'x', url: 'https://news.example/x', shortCode: '3643' } });
    expect(link.parse((await create({ url: 'https://example.org/a' })).body).code).toBe('3644');
    expect(link.parse((await create({ url: 'https://example.org/b', code: '5000' })).body).code).toBe('5000');
    expect(link.parse((await create({ url: 'https://example.org/c' })).body).code).toBe('5001');
    const { items } = (await (await t.api('/items', { body: { title: 'y', url: 'https://news.example/y' } })).json()) as { items: { shortCode: string }[] };
    expect(items[0]!.shortCode).toBe('5002');
  });

  it('a small custom numeric code does not pull the numbering below 1001', async () => {
    expect(link.parse((await create({ url: 'https://example.org/a', code: '7' })).body).code).toBe('7');
    expect(link.parse((await create({ url: 'https://example.org/b' })).body).code).toBe('1001');
  });

  it('takes a custom code and a 301 status', async () => {
    const { res, body } = await create({ url: 'https://example.org/a', code: 'Nowruz-1404_fa', status: 301 });
    expect(res.status).toBe(201);
    expect(link.parse(body)).toMatchObject({ code: 'Nowruz-1404_fa', status: 301 });
    const redirect = await t.get('/s/Nowruz-1404_fa');
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('https://example.org/a');
  });

  it('409 when the code is taken, by a link or an item', async () => {
    await create({ url: 'https://example.org/a', code: 'taken' });
    const again = await create({ url: 'https://example.org/b', code: 'taken' });
    expect(again.res.status).toBe(409);
    expect(again.res.headers.get('content-type')).toBe('application/problem+json');
    expect(problem.parse(again.body).detail).toMatch(/taken/);
    await t.api('/items', { body: { title: 'x', url: 'https://news.example/x', shortCode: '3643' } });
    expect((await create({ url: 'https://example.org/c', code: '3643' })).res.status).toBe(409);
    // Codes are case-sensitive: another case is another code.
    expect((await create({ url: 'https://example.org/d', code: 'TAKEN' })).res.status).toBe(201);
  });

  it.each([
    ['javascript:alert(1)', 'url'],
    ['data:text/html,<script>alert(1)</script>', 'url'],
    ['ftp://example.org/file', 'url'],
    ['https://example.org/a b', 'url'],
    ['https://example.org/a\r\nSet-Cookie: x=y', 'url'],
    ['https://example.org/\n', 'url'],
    ['https://example.org/\t', 'url'],
    ['https://example.org/\u0000', 'url'],
    [' https://example.org/', 'url'],
    ['//example.org/', 'url'],
    ['/relative', 'url'],
    ['https://bank.example@evil.example/', 'url'],
    [`https://example.org/${'a'.repeat(2030)}`, 'url'],
    ['', 'url'],
  ])('422 for the target %j', async (url, field) => {
    const { res, body } = await create({ url });
    expect(res.status).toBe(422);
    expect(problem.parse(body).errors!.map((e) => e.field)).toEqual([field]);
    expect((await t.api('/links')).status).toBe(200);
    expect(((await (await t.api('/links')).json()) as { items: unknown[] }).items).toEqual([]);
  });

  it.each(['api', 'Admin', 'FEEDS', 'items', 's', 'healthz', 'opml', 'metrics', 'static', 'a b', 'a/b', 'a.b', 'خبر', '', 'x'.repeat(65), 'a\nb'])('422 for the code %j', async (code) => {
    const { res, body } = await create({ url: 'https://example.org/', code });
    expect(res.status).toBe(422);
    expect(problem.parse(body).errors!.map((e) => e.field)).toEqual(['code']);
  });

  it.each([
    [{ url: 'https://example.org/', status: 307 }, ['status']],
    [{ url: 'https://example.org/', extra: 1 }, ['(body)']],
    [{ url: 42 }, ['url']],
    [{}, ['url']],
  ])('422 for the body %j', async (input, fields) => {
    const { res, body } = await create(input);
    expect(res.status).toBe(422);
    expect(problem.parse(body).errors!.map((e) => e.field)).toEqual(fields);
  });

  it('400 for a body that is not JSON', async () => {
    const res = await t.api('/links', { body: '{"url": ' });
    expect(res.status).toBe(400);
    expect(problem.parse(await res.json()).status).toBe(400);
  });

  it('401 without a token', async () => {
    const res = await t.app.request(`${BASE_URL}/api/v1/links`, { method: 'POST', body: JSON.stringify({ url: 'https://example.org/' }), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(401);
  });
});

describe('GET /api/v1/links', () => {
  it('pages newest first with an opaque cursor', async () => {
    for (let i = 0; i < 5; i++) {
      clock = new Date(Date.UTC(2025, 2, 20, 10, 0, i));
      await create({ url: `https://example.org/${i}`, code: `c${i}` });
    }
    // Two made in the same millisecond still page apart.
    await create({ url: 'https://example.org/same', code: 'c5' });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.api(`/links?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      const page = z.object({ items: z.array(link), next: z.string().nullable() }).parse(await res.json());
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((l) => l.code));
      cursor = page.next;
    } while (cursor);
    expect(seen).toEqual(['c5', 'c4', 'c3', 'c2', 'c1', 'c0']);
  });

  it.each(['limit=0', 'limit=201', 'limit=x', 'cursor=nope', 'cursor=1.a%20b'])('422 for %s', async (query) => {
    expect((await t.api(`/links?${query}`)).status).toBe(422);
  });
});

describe('GET /api/v1/links/:code', () => {
  it('answers with human clicks, clicks per day and referring hosts', async () => {
    await create({ url: 'https://example.org/a', code: 'abc' });
    const hit = (headers: Record<string, string>) => t.get('/s/abc', { 'user-agent': BROWSER, ...headers });
    await hit({ referer: 'https://t.me/chapar/1' });
    await hit({ referer: 'https://t.me/chapar/2' });
    await hit({});
    await hit({ 'user-agent': 'Twitterbot/1.0' });
    await t.app.request(`${BASE_URL}/s/abc`, { method: 'HEAD', headers: { 'user-agent': BROWSER } });
    await t.traffic.flush();
    clock = new Date('2025-03-21T08:00:00Z');
    await hit({ referer: 'https://news.example/page' });
    await t.traffic.flush();

    const res = await t.api('/links/abc');
    expect(res.status).toBe(200);
    const body = detail.parse(await res.json());
    expect(body).toMatchObject({ code: 'abc', url: 'https://example.org/a', clicks: 4, itemId: null });
    expect(body.clicksByDay).toEqual([
      { day: '2025-03-20', clicks: 3 },
      { day: '2025-03-21', clicks: 1 },
    ]);
    expect(body.referrers).toEqual([
      { host: 't.me', clicks: 2 },
      { host: null, clicks: 1 },
      { host: 'news.example', clicks: 1 },
    ]);
  });

  it("an item's link shows the item, and its own page when it has no URL", async () => {
    const { items } = (await (await t.api('/items', { body: { title: 'بی‌نشانی' } })).json()) as { items: { id: number; shortCode: string }[] };
    const body = detail.parse(await (await t.api(`/links/${items[0]!.shortCode}`)).json());
    expect(body).toMatchObject({ itemId: items[0]!.id, url: `${BASE_URL}/items/${items[0]!.id}`, clicksByDay: [], referrers: [] });
  });

  it.each(['nope', 'a.b', 'x'.repeat(65)])('404 problem for %s', async (code) => {
    const res = await t.api(`/links/${code}`);
    expect(res.status).toBe(404);
    expect(problem.parse(await res.json()).status).toBe(404);
  });
});

describe('PATCH and DELETE /api/v1/links/:code', () => {
  it('PATCH changes the target and status, and the redirect follows at once', async () => {
    await create({ url: 'https://example.org/old', code: 'abc' });
    expect((await t.get('/s/abc')).headers.get('location')).toBe('https://example.org/old');
    const res = await t.api('/links/abc', { method: 'PATCH', body: { url: 'https://example.org/new', status: 301 } });
    expect(res.status).toBe(200);
    expect(link.parse(await res.json())).toMatchObject({ url: 'https://example.org/new', status: 301 });
    const redirect = await t.get('/s/abc');
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('https://example.org/new');
  });

  it('PATCH validates like POST', async () => {
    await create({ url: 'https://example.org/old', code: 'abc' });
    expect((await t.api('/links/abc', { method: 'PATCH', body: { url: 'javascript:alert(1)' } })).status).toBe(422);
    expect((await t.api('/links/abc', { method: 'PATCH', body: { code: 'other' } })).status).toBe(422);
    expect((await t.api('/links/nope', { method: 'PATCH', body: { status: 301 } })).status).toBe(404);
    expect((await t.get('/s/abc')).headers.get('location')).toBe('https://example.org/old');
  });

  it('DELETE removes the link, its clicks, and the redirect at once', async () => {
    await create({ url: 'https://example.org/a', code: 'abc' });
    await t.get('/s/abc', { 'user-agent': BROWSER });
    await t.traffic.flush();
    expect((await t.api('/links/abc', { method: 'DELETE' })).status).toBe(204);
    expect((await t.get('/s/abc')).status).toBe(404);
    expect((await t.api('/links/abc')).status).toBe(404);
    expect((await t.api('/links/abc', { method: 'DELETE' })).status).toBe(404);
    // The code is free again.
    expect((await create({ url: 'https://example.org/b', code: 'abc' })).res.status).toBe(201);
    expect(detail.parse(await (await t.api('/links/abc')).json())).toMatchObject({ clicks: 0, clicksByDay: [], referrers: [] });
  });

  it("refuses to delete an item's own link: 409, delete the item instead", async () => {
    const { items } = (await (await t.api('/items', { body: { title: 'x', url: 'https://news.example/x' } })).json()) as { items: { shortCode: string }[] };
    const res = await t.api(`/links/${items[0]!.shortCode}`, { method: 'DELETE' });
    expect(res.status).toBe(409);
    expect(problem.parse(await res.json()).detail).toMatch(/delete the item/);
  });
});
