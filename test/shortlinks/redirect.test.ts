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
