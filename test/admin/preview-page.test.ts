import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Browser } from '../helpers/admin-browser.ts';
import { testApp, type TestApp } from '../helpers/app.ts';
import { fixture, startSite, type Site } from '../ingest/html/site.ts';

let site: Site;
let t: TestApp;
let browser: Browser;

beforeAll(async () => {
  site = await startSite();
});
afterAll(() => site.close());

beforeEach(async () => {
  site.reset();
  const here = (html: string) => html.replaceAll('http://news.example.ir', site.origin);
  site.page('/index.php/k2-news', here(fixture('k2-listing.html')));
  for (const id of ['3643-meeting', '3642-data-center', '3641-e-gov']) site.page(`/index.php/k2-news/item/${id}`, here(fixture('k2-article.html')));
  t = await testApp({ config: { fetchAllowPrivate: true } });
  browser = new Browser(t.app);
  await browser.signIn();
  return () => t.close();
});

const listing = () => `${site.origin}/index.php/k2-news`;

describe('admin preview of an HTML source', () => {
  it('shows what a preset reads from the site, then adds it as an HTML source', async () => {
    expect((await browser.get('/admin/sources')).html).toContain('href="/admin/sources/preview"');
    const { res, html } = await browser.get(`/admin/sources/preview?url=${encodeURIComponent(listing())}&preset=k2`);
    expect(res.status).toBe(200);
    expect(html).toContain('نشست معاونان وزیر با فعالان ICT استان آذربایجان شرقی برگزار شد');
    expect(html).toContain('2014-08-18T22:14:00.000Z');
    expect(html).toContain('action="/admin/sources/preview/add"');
    expect(await t.repos.sources.list()).toEqual([]);

    const added = await browser.post('/admin/sources/preview/add', { url: listing(), preset: 'k2' });
    expect(added.res.status).toBe(303);
    const [source] = await t.repos.sources.list();
    expect(source).toMatchObject({ url: listing(), kind: 'html', options: { preset: 'k2' } });
    expect(added.res.headers.get('location')).toBe(`/admin/sources/${source!.id}?notice=created`);
  });

  it('re-renders with field errors for a bad URL or preset, and never adds on a bad post', async () => {
    const bad = await browser.get('/admin/sources/preview?url=notaurl&preset=k2');
    expect(bad.res.status).toBe(422);
    expect(bad.html).toContain('id="url-error"');
    const badPreset = await browser.get(`/admin/sources/preview?url=${encodeURIComponent(listing())}&preset=nope`);
    expect(badPreset.res.status).toBe(422);
    const forged = await browser.post('/admin/sources/preview/add', { url: 'javascript:alert(1)', preset: 'k2' });
    expect(forged.res.status).toBe(422);
    const noCsrf = await browser.post('/admin/sources/preview/add', { url: listing(), preset: 'k2' }, { csrf: null });
    expect(noCsrf.res.status).toBe(403);
    expect(await t.repos.sources.list()).toEqual([]);
  });
});
