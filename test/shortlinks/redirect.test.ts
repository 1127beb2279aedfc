import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BASE_URL, testApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});
afterEach(() => t.close());

describe('GET /s/:code', () => {
  it('redirects an item code to the stored article URL', async () => {
    const { items } = (await (await t.api('/items', { body: { title: 'خبر', url: 'https://news.example/fa/خبر?id=1', shortCode: '3643' } })).json()) as { items: { shortCode: string }[] };
    expect(items[0]!.shortCode).toBe('3643');
    const res = await t.get('/s/3643');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://news.example/fa/%D8%AE%D8%A8%D8%B1?id=1');
  });

  it('redirects an item without an upstream URL to its own page', async () => {
    const { items } = (await (await t.api('/items', { body: { title: 'بی‌نشانی' } })).json()) as { items: { id: number; shortCode: string }[] };
    const res = await t.get(`/s/${items[0]!.shortCode}`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`${BASE_URL}/items/${items[0]!.id}`);
    const page = await t.get(`/items/${items[0]!.id}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('بی‌نشانی');
  });

  it('answers HEAD like GET, without a body', async () => {
    await t.repos.links.create({ url: 'https://example.org/a', code: 'abc' });
    const res = await t.app.request(`${BASE_URL}/s/abc`, { method: 'HEAD' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://example.org/a');
  });

  it.each(['nope', '99999', 'a%2Fb', '.x', 'x'.repeat(65), '%00'])('404 for unknown or malformed code %s', async (code) => {
    const res = await t.get(`/s/${code}`);
    expect(res.status).toBe(404);
    expect(res.headers.get('location')).toBeNull();
  });

  it('a deleted item code no longer redirects', async () => {
    const { items } = (await (await t.api('/items', { body: { title: 'x', url: 'https://news.example/x' } })).json()) as { items: { id: number; shortCode: string }[] };
    await t.api(`/items/${items[0]!.id}`, { method: 'DELETE' });
    expect((await t.get(`/s/${items[0]!.shortCode}`)).status).toBe(404);
  });
});

describe('GET /s/:code targets', () => {
  it.each([
    ['https://example.org', 'https://example.org'],
    ['https://example.org/a?b=1&c=%2F#frag', 'https://example.org/a?b=1&c=%2F#frag'],
    ['https://news.example/fa/خبر?q=سلام', 'https://news.example/fa/%D8%AE%D8%A8%D8%B1?q=%D8%B3%D9%84%D8%A7%D9%85'],
    ['https://news.example/a%20b/خبر', 'https://news.example/a%20b/%D8%AE%D8%A8%D8%B1'],
    ['https://مثال.ایران/', 'https://xn--mgbh0fb.xn--mgba3a4f16a/'],
  ])('sends the stored %s as Location %s', async (url, location) => {
    await t.repos.links.create({ url, code: 'abc' });
    const res = await t.get('/s/abc');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(location);
  });

  it('never redirects to a stored target that is not http(s)', async () => {
    // Rows written around the API (an old import, a hand edit) still cannot become a redirect.
    for (const [code, url] of [['js', 'javascript:alert(1)'], ['data', 'data:text/html,x'], ['rel', '/admin']] as const) {
      await t.database.atomic([sql`INSERT INTO links (code, url, status, clicks, created_at) VALUES (${code}, ${url}, 302, 0, 0)`]);
      const res = await t.get(`/s/${code}`);
      expect(res.status).toBe(404);
      expect(res.headers.get('location')).toBeNull();
    }
  });

  it('a URL with CR/LF stored around the API cannot inject a header', async () => {
    await t.database.atomic([sql`INSERT INTO links (code, url, status, clicks, created_at) VALUES ('crlf', ${'https://example.org/\r\nSet-Cookie: a=b'}, 302, 0, 0)`]);
    const res = await t.get('/s/crlf');
    expect(res.status).toBe(404);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(res.headers.get('location')).toBeNull();
  });

  it('answers 404 as a problem document', async () => {
    const res = await t.get('/s/nope');
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(((await res.json()) as { status: number }).status).toBe(404);
  });
});

describe('the redirect cache', () => {
  it('serves a cached target without the database, and sees an item tombstone at once', async () => {
    const { items } = (await (await t.api('/items', { body: { title: 'x', url: 'https://news.example/x' } })).json()) as { items: { id: number; shortCode: string }[] };
    const code = items[0]!.shortCode;
    expect((await t.get(`/s/${code}`)).status).toBe(302);
    // Cached now: a change behind the repositories' back is not seen…
    await t.database.atomic([sql`UPDATE links SET url = 'https://elsewhere.example/' WHERE code = ${code}`]);
    expect((await t.get(`/s/${code}`)).headers.get('location')).toBe('https://news.example/x');
    // …but deleting the item through the API is.
    expect((await t.api(`/items/${items[0]!.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await t.get(`/s/${code}`)).status).toBe(404);
  });

  it('follows an upstream URL change of an item', async () => {
    const push = (url: string) => t.api('/items', { body: { title: 'x', guid: 'g-1', url, content: url } });
    const { items } = (await (await push('https://news.example/old')).json()) as { items: { shortCode: string }[] };
    const code = items[0]!.shortCode;
    expect((await t.get(`/s/${code}`)).headers.get('location')).toBe('https://news.example/old');
    await push('https://news.example/new');
    expect((await t.get(`/s/${code}`)).headers.get('location')).toBe('https://news.example/new');
  });

  it('a code looked up before it existed redirects as soon as it is made', async () => {
    expect((await t.get('/s/later')).status).toBe(404);
    await t.api('/links', { body: { url: 'https://example.org/later', code: 'later' } });
    expect((await t.get('/s/later')).headers.get('location')).toBe('https://example.org/later');
  });

  it("a code looked up before an item took it redirects as soon as the item is stored", async () => {
    expect((await t.get('/s/5000')).status).toBe(404);
    await t.api('/items', { body: { title: 'x', url: 'https://news.example/5000', shortCode: '5000' } });
    expect((await t.get('/s/5000')).headers.get('location')).toBe('https://news.example/5000');
  });

  it('forgets entries after a while, so changes by another process are seen', async () => {
    let now = 0;
    const { createResolver } = await import('../../src/shortlinks/resolve.ts');
    await t.repos.links.create({ url: 'https://example.org/a', code: 'abc' });
    const resolve = createResolver(t.repos.links, { baseUrl: BASE_URL, ttlMs: 1000, missTtlMs: 100, now: () => now });
    expect((await resolve('abc'))!.location).toBe('https://example.org/a');
    expect(await resolve('new')).toBeNull();
    await t.database.atomic([sql`UPDATE links SET url = 'https://example.org/b' WHERE code = 'abc'`, sql`INSERT INTO links (code, url, status, clicks, created_at) VALUES ('new', 'https://example.org/n', 302, 0, 0)`]);
    now = 500;
    expect((await resolve('abc'))!.location).toBe('https://example.org/a');
    expect((await resolve('new'))!.location).toBe('https://example.org/n');
    now = 1500;
    expect((await resolve('abc'))!.location).toBe('https://example.org/b');
  });
});
