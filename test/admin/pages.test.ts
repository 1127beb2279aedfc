import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/admin/auth.ts';
import { sessionSigner } from '../../src/admin/pages/session.ts';
import { failureThrottle } from '../../src/admin/throttle.ts';
import { createApp } from '../../src/app.ts';
import { createRepos } from '../../src/db/repos/index.ts';
import { openSqlite } from '../../src/db/sqlite.ts';
import { Browser } from '../helpers/admin-browser.ts';
import { BASE_URL, TOKEN, testApp, type TestApp } from '../helpers/app.ts';
import { rss, startUpstream, type Upstream } from '../ingest/upstream.ts';

describe('session signer and throttle (pure)', () => {
  const at = new Date('2025-01-01T00:00:00Z');

  it('verifies its own sessions only, until they expire', async () => {
    const signer = await sessionSigner('k'.repeat(43));
    const { value, session } = await signer.issue(7, at);
    expect(await signer.verify(value, at)).toEqual(session);
    expect(await signer.verify(value, new Date(session.expiresAt))).toBeNull();
    expect(await (await sessionSigner('other-key')).verify(value, at)).toBeNull();
  });

  it('keeps CSRF tokens apart by purpose and nonce', async () => {
    const signer = await sessionSigner('k');
    const token = await signer.csrfToken('session', 'nonce-one-nonce-one');
    expect(await signer.checkCsrf('session', 'nonce-one-nonce-one', token)).toBe(true);
    expect(await signer.checkCsrf('login', 'nonce-one-nonce-one', token)).toBe(false);
    expect(await signer.checkCsrf('session', 'nonce-two-nonce-two', token)).toBe(false);
    expect(await signer.checkCsrf('session', 'nonce-one-nonce-one', undefined)).toBe(false);
    expect(await signer.checkCsrf('session', 'nonce-one-nonce-one', '!!')).toBe(false);
  });

  it('throttles after the limit inside the window and forgets on success', () => {
    const throttle = failureThrottle({ limit: 3, windowMs: 1000 });
    for (const ms of [0, 10, 20]) throttle.fail('a', ms);
    expect(throttle.waitFor('a', 30)).toBe(970);
    expect(throttle.waitFor('b', 30)).toBe(0);
    expect(throttle.waitFor('a', 1001)).toBe(0);
    throttle.succeed('a');
    expect(throttle.waitFor('a', 30)).toBe(0);
  });
});

let t: TestApp;
let browser: Browser;
beforeEach(async () => {
  t = await testApp();
  browser = new Browser(t.app);
});
afterEach(() => t.close());

describe('sign-in', () => {
  it('sends a visitor without a session to the sign-in page, keeping where they were going', async () => {
    const { res } = await browser.get('/admin/feeds?x=1');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/login?next=%2Fadmin%2Ffeeds%3Fx%3D1');
  });

  it('signs in with the admin token and sets a hardened session cookie that is not the token', async () => {
    const { res } = await browser.signIn(TOKEN, '/admin/feeds');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/feeds');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('chapar_session='))!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; Path=\/admin/);
    expect(cookie).not.toContain(TOKEN);
    const dashboard = await browser.get('/admin');
    expect(dashboard.res.status).toBe(200);
    expect(dashboard.html).toContain('داشبورد');
    expect((await t.repos.tokens.list())[0]!.lastUsedAt).not.toBeNull();
  });

  it('re-renders the form with an error for a wrong or empty token, and sets no session', async () => {
    const wrong = await browser.signIn('not-the-token');
    expect(wrong.res.status).toBe(401);
    expect(wrong.html).toContain('Unknown or revoked token');
    expect(wrong.html).toContain('aria-invalid="true"');
    expect(browser.cookies.has('chapar_session')).toBe(false);
    const empty = await browser.post('/admin/login', { token: '' });
    expect(empty.res.status).toBe(422);
    expect((await browser.get('/admin')).res.status).toBe(303);
  });

  it('never sends the admin off-site after sign-in', async () => {
    for (const next of ['https://evil.example/', '//evil.example/admin', '/admin@evil', '/other', '/admin/logout']) {
      const fresh = new Browser(t.app);
      const { res } = await fresh.signIn(TOKEN, next);
      expect(res.headers.get('location'), next).toBe('/admin');
    }
  });

  it('refuses a sign-in post without the sign-in form token (login CSRF)', async () => {
    const res = await browser.post('/admin/login', { token: TOKEN }, { csrf: null });
    expect(res.res.status).toBe(403);
    expect(browser.cookies.has('chapar_session')).toBe(false);
  });

  it('marks the cookie Secure only when the admin is reached over https', async () => {
    const database = openSqlite(':memory:');
    const repos = createRepos(database);
    await repos.tokens.ensure('test', await hashToken(TOKEN));
    const app = createApp({ repos, config: { baseUrl: 'http://localhost:8787', websubHubs: [], version: 'test' } });
    const plain = new Browser(app, 'http://localhost:8787');
    const { res } = await plain.signIn();
    expect(res.headers.getSetCookie().find((c) => c.startsWith('chapar_session='))).not.toMatch(/Secure/);
    const tls = new Browser(app, 'https://localhost:8787');
    const secure = await tls.signIn();
    expect(secure.res.headers.getSetCookie().find((c) => c.startsWith('chapar_session='))).toMatch(/; Secure/);
    await database.close();
  });

  it('slows down a client after repeated failed sign-ins', async () => {
    const database = openSqlite(':memory:');
    const repos = createRepos(database);
    await repos.tokens.ensure('test', await hashToken(TOKEN));
    let ip = '203.0.113.9';
    const app = createApp({ repos, config: { baseUrl: BASE_URL, websubHubs: [], version: 'test' }, clientIp: () => ip });
    const guesser = new Browser(app);
    for (let i = 0; i < 10; i++) expect((await guesser.signIn(`guess-${i}`)).res.status).toBe(401);
    const blocked = await guesser.signIn();
    expect(blocked.res.status).toBe(429);
    expect(Number(blocked.res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(guesser.cookies.has('chapar_session')).toBe(false);
    ip = '198.51.100.7';
    expect((await new Browser(app).signIn()).res.status).toBe(303);
    await database.close();
  });

  it('refuses a forged, tampered or expired session cookie', async () => {
    await browser.signIn();
    const good = browser.cookies.get('chapar_session')!;
    const [id, expires, nonce, mac] = good.split('.');
    for (const forged of [`${id}.${expires}.${nonce}.${'A'.repeat(43)}`, `2.${expires}.${nonce}.${mac}`, `${id}.zzzzzzzz.${nonce}.${mac}`, 'garbage', '']) {
      browser.cookies.set('chapar_session', forged);
      expect((await browser.get('/admin')).res.status, forged).toBe(303);
    }
    let later = new Date(Date.now() + 13 * 60 * 60 * 1000);
    const clocked = await testApp({ now: () => later });
    const b = new Browser(clocked.app);
    later = new Date();
    await b.signIn();
    later = new Date(Date.now() + 13 * 60 * 60 * 1000);
    expect((await b.get('/admin')).res.status).toBe(303);
    clocked.close();
  });

  it('ends the session when its token is revoked', async () => {
    await browser.signIn();
    expect((await browser.get('/admin')).res.status).toBe(200);
    await t.repos.tokens.revoke((await t.repos.tokens.list())[0]!.id);
    expect((await browser.get('/admin')).res.status).toBe(303);
  });

  it('signs out: the cookie is cleared and protected pages send back to sign-in', async () => {
    await browser.signIn();
    await browser.get('/admin');
    const out = await browser.post('/admin/logout', {});
    expect(out.res.status).toBe(303);
    expect(out.res.headers.get('location')).toBe('/admin/login?notice=signed-out');
    expect(out.res.headers.getSetCookie().some((c) => /^chapar_session=;.*Max-Age=0/.test(c))).toBe(true);
    expect((await browser.get('/admin/categories')).res.status).toBe(303);
    expect((await browser.get('/admin/login?notice=signed-out')).html).toContain('Signed out');
  });

  it('signing out voids a copied session cookie too, and a new sign-in works', async () => {
    await browser.signIn();
    await browser.get('/admin');
    const copy = new Browser(t.app);
    copy.cookies = new Map(browser.cookies);
    expect((await copy.get('/admin')).res.status).toBe(200);
    await browser.post('/admin/logout', {});
    expect((await copy.get('/admin')).res.status).toBe(303);
    await new Promise((r) => setTimeout(r, 5));
    await browser.signIn();
    expect((await browser.get('/admin')).res.status).toBe(200);
  });
});

describe('CSRF', () => {
  beforeEach(async () => {
    await browser.signIn();
    await browser.get('/admin/categories');
  });

  it('accepts a form with the session token and a same-origin Origin', async () => {
    const { res } = await browser.post('/admin/categories', { slug: 'senfi', name: 'صنفی' });
    expect(res.status).toBe(303);
    expect(await t.repos.categories.bySlug('senfi')).not.toBeNull();
  });

  it.each([
    ['no token', { csrf: null }],
    ['a wrong token', { csrf: 'A'.repeat(43) }],
    ['a cross-site Origin', { origin: 'https://evil.example' }],
    ['no Origin at all', { origin: null }],
  ])('refuses a post with %s and changes nothing', async (_, opts) => {
    const { res, html } = await browser.post('/admin/categories', { slug: 'senfi', name: 'صنفی' }, opts);
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(html).toContain('Forbidden');
    expect(await t.repos.categories.list()).toEqual([]);
  });

  it("refuses another session's token", async () => {
    const other = new Browser(t.app);
    await other.signIn();
    await other.get('/admin/categories');
    expect(other.csrf).not.toBe(browser.csrf);
    const { res } = await browser.post('/admin/categories', { slug: 'senfi', name: 'صنفی' }, { csrf: other.csrf });
    expect(res.status).toBe(403);
  });

  it('refuses sign-out without the token, so a third party cannot sign the admin out', async () => {
    expect((await browser.post('/admin/logout', {}, { csrf: null })).res.status).toBe(403);
    expect((await browser.get('/admin')).res.status).toBe(200);
  });
});

describe('pages', () => {
  beforeEach(async () => {
    await browser.signIn();
  });

  it('sends security headers: a CSP without inline script, no caching, no framing', async () => {
    const { res, html } = await browser.get('/admin');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).toMatch(/<html lang="fa" dir="rtl">/);
    const js = /<script src="([^"]+)"/.exec(html)![1]!;
    const asset = await t.app.request(`${BASE_URL}${js}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
  });

  it('escapes what admins type', async () => {
    await browser.get('/admin/categories');
    await browser.post('/admin/categories', { slug: 'x', name: '<script>alert(1)</script>', aliases: '"><img src=x onerror=alert(1)>' });
    const { html } = await browser.get('/admin/categories');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<img src=x');
  });

  it('creates, edits and deletes a category', async () => {
    await browser.get('/admin/categories');
    const created = await browser.post('/admin/categories', { slug: 'senfi', name: 'صنفی', aliases: 'guild\nصنف، union', description: 'اخبار صنفی' });
    expect(created.res.headers.get('location')).toBe('/admin/categories?notice=created');
    expect(await t.repos.categories.bySlug('senfi')).toMatchObject({ name: 'صنفی', aliases: ['guild', 'صنف', 'union'], description: 'اخبار صنفی' });
    const edit = await browser.get('/admin/categories/senfi');
    expect(edit.html).toContain('value="senfi"');
    const saved = await browser.post('/admin/categories/senfi', { slug: 'senfi', name: 'صنفی‌ها', aliases: '', description: '' });
    expect(saved.res.headers.get('location')).toBe('/admin/categories/senfi?notice=saved');
    expect(await t.repos.categories.bySlug('senfi')).toMatchObject({ name: 'صنفی‌ها', aliases: [], description: null });
    await browser.post('/admin/categories/senfi/delete', {});
    expect(await t.repos.categories.bySlug('senfi')).toBeNull();
  });

  it('re-renders the category form with field errors for bad input and a taken slug', async () => {
    await browser.get('/admin/categories');
    const bad = await browser.post('/admin/categories', { slug: 'Bad Slug!', name: '' });
    expect(bad.res.status).toBe(422);
    expect(bad.html).toContain('value="Bad Slug!"');
    expect(bad.html).toMatch(/id="slug-error">must be 1-64 of a-z/);
    expect(bad.html).toMatch(/id="name-error">/);
    await browser.post('/admin/categories', { slug: 'senfi', name: 'صنفی' });
    await browser.get('/admin/categories');
    const taken = await browser.post('/admin/categories', { slug: 'senfi', name: 'دیگر' });
    expect(taken.res.status).toBe(409);
    expect(taken.html).toContain('This slug is taken');
    expect((await browser.get('/admin/categories/nope')).res.status).toBe(404);
  });

  describe('published feeds', () => {
    beforeEach(async () => {
      await t.api('/categories', { body: { slug: 'senfi', name: 'صنفی' } });
      await t.api('/categories', { body: { slug: 'akhbar', name: 'اخبار' } });
      await t.api('/items', {
        body: [
          { title: 'نشست صنفی معلمان', guid: 'a', publishedAt: '2024-01-02T00:00:00Z', categories: ['senfi'] },
          { title: 'خبر سازمان', guid: 'b', publishedAt: '2024-01-03T00:00:00Z', categories: ['akhbar'] },
          { title: 'آگهی صنفی', guid: 'c', publishedAt: '2024-01-04T00:00:00Z', categories: ['senfi'] },
        ],
      });
    });

    it('creates a feed from the filter builder and shows its preview', async () => {
      await browser.get('/admin/feeds/new');
      const created = await browser.post('/admin/feeds', {
        intent: 'save',
        title: 'صنفی',
        slug: 'senfi',
        language: 'fa',
        limit: '۲۰',
        links: 'short',
        categories: ['senfi'],
        match: 'any',
        include: '',
        exclude: 'آگهی',
      });
      expect(created.res.status).toBe(303);
      expect(created.res.headers.get('location')).toBe('/admin/feeds/senfi/edit?notice=created');
      expect(await t.repos.feeds.bySlug('senfi')).toMatchObject({ title: 'صنفی', limit: 20, links: 'short', filter: { categories: ['senfi'], match: 'any', exclude: ['آگهی'] } });
      const edit = await browser.get('/admin/feeds/senfi/edit');
      expect(edit.html).toContain('نشست صنفی معلمان');
      expect(edit.html).not.toContain('آگهی صنفی</a>');
      expect(edit.html).not.toContain('خبر سازمان');
      expect(edit.html).toContain(`${BASE_URL}/feeds/senfi.rss`);
      expect((await browser.get('/admin/feeds')).html).toContain('/feeds/senfi.rss');
    });

    it('previews a filter from the query, from the Preview button and as a fragment, without saving', async () => {
      const query = await browser.get('/admin/feeds/new?categories=akhbar');
      expect(query.html).toContain('خبر سازمان');
      expect(query.html).not.toContain('نشست صنفی معلمان');
      const button = await browser.post('/admin/feeds', { intent: 'preview', title: '', slug: '', categories: ['senfi'], include: 'نشست' });
      expect(button.res.status).toBe(200);
      expect(button.html).toContain('نشست صنفی معلمان');
      expect(button.html).not.toContain('آگهی صنفی');
      expect(button.html).not.toContain('field-error');
      const fragment = await browser.get('/admin/feeds/preview?categories=senfi&categories=akhbar&match=all');
      expect(fragment.res.status).toBe(200);
      expect(fragment.html).not.toContain('<html');
      expect(fragment.html).toContain('No items match');
      expect(await t.repos.feeds.list()).toEqual([]);
    });

    it('re-renders the feed form with field errors, never a 500', async () => {
      await browser.get('/admin/feeds/new');
      const bad = await browser.post('/admin/feeds', { intent: 'save', title: ' ', slug: 'ok', language: 'not a tag', limit: 'abc', links: 'long', categories: ['NOPE!'], sources: ['x'] });
      expect(bad.res.status).toBe(422);
      for (const field of ['title', 'language', 'limit', 'links', 'categories', 'sources']) expect(bad.html, field).toContain(`id="${field}-error"`);
      expect(bad.html).toContain('value="abc"');
      const tooMany = await browser.post('/admin/feeds', { intent: 'save', title: 't', slug: 'ok', limit: '1000' });
      expect(tooMany.res.status).toBe(422);
      expect(tooMany.html).toContain('id="limit-error"');
      await t.api('/feeds', { body: { slug: 'taken', title: 'x' } });
      const taken = await browser.post('/admin/feeds', { intent: 'save', title: 't', slug: 'taken' });
      expect(taken.res.status).toBe(409);
      expect(taken.html).toContain('This slug is taken');
    });

    it('edits and deletes a feed', async () => {
      await t.api('/feeds', { body: { slug: 'f', title: 'F', filter: { categories: ['senfi'] } } });
      await browser.get('/admin/feeds/f/edit');
      const saved = await browser.post('/admin/feeds/f/edit', { intent: 'save', title: 'F2', slug: 'f', categories: ['senfi', 'akhbar'], match: 'all', limit: '10', links: 'original' });
      expect(saved.res.headers.get('location')).toBe('/admin/feeds/f/edit?notice=saved');
      expect(await t.repos.feeds.bySlug('f')).toMatchObject({ title: 'F2', limit: 10, filter: { categories: ['senfi', 'akhbar'], match: 'all' } });
      await browser.post('/admin/feeds/f/delete', {});
      expect(await t.repos.feeds.bySlug('f')).toBeNull();
      expect((await browser.get('/admin/feeds/f/edit')).res.status).toBe(404);
    });
  });

  describe('items', () => {
    beforeEach(async () => {
      await t.api('/categories', { body: { slug: 'senfi', name: 'صنفی' } });
      await t.api('/items', {
        body: [
          { title: 'نشست صنفي معلمان', guid: 'a', publishedAt: '2024-01-02T00:00:00Z', categories: ['senfi'] },
          { title: 'خبر سازمان', guid: 'b', publishedAt: '2024-01-03T00:00:00Z' },
        ],
      });
    });

    it('searches with q, Persian letter variants matching', async () => {
      const { html } = await browser.get('/admin/items?q=' + encodeURIComponent('صنفی'));
      expect(html).toContain('نشست صنفي معلمان');
      expect(html).not.toContain('خبر سازمان');
      const all = await browser.get('/admin/items');
      expect(all.html).toContain('خبر سازمان');
      const bad = await browser.get('/admin/items?before=nonsense&category=nope');
      expect(bad.res.status).toBe(200);
      expect(bad.html).toContain('id="category-error"');
    });

    it('recategorises an item from the list and returns to the same search', async () => {
      await t.api('/categories', { body: { slug: 'sazman', name: 'سازمان' } });
      const [item] = await t.repos.items.list([{ search: ['سازمان'] }], { limit: 1 });
      const page = await browser.get('/admin/items?q=x');
      expect(page.res.status).toBe(200);
      const { res } = await browser.post(`/admin/items/${item!.id}/categories?back=${encodeURIComponent('/admin/items?q=x')}`, { category: ['sazman', 'senfi'] });
      expect(res.headers.get('location')).toBe('/admin/items?q=x&notice=saved');
      expect((await t.repos.items.byId(item!.id))!.categories.map((c) => c.slug).sort()).toEqual(['sazman', 'senfi']);
      const none = await browser.post(`/admin/items/${item!.id}/categories`, {});
      expect(none.res.status).toBe(303);
      expect((await t.repos.items.byId(item!.id))!.categories).toEqual([]);
      const forged = await browser.post(`/admin/items/${item!.id}/categories`, { category: 'nope' });
      expect(forged.res.status).toBe(422);
      const noCsrf = await browser.post(`/admin/items/${item!.id}/categories`, { category: 'senfi' }, { csrf: null });
      expect(noCsrf.res.status).toBe(403);
      expect((await t.repos.items.byId(item!.id))!.categories).toEqual([]);
    });

    it('deletes an item as a tombstone and returns to the same search', async () => {
      const [item] = await t.repos.items.list([{ search: ['سازمان'] }], { limit: 1 });
      await browser.get('/admin/items?q=x');
      const { res } = await browser.post(`/admin/items/${item!.id}/delete?back=${encodeURIComponent('/admin/items?q=x')}`, {});
      expect(res.headers.get('location')).toBe('/admin/items?q=x&notice=deleted');
      expect(await t.repos.items.byId(item!.id)).toBeNull();
      const again = await browser.post(`/admin/items/${item!.id}/delete?back=${encodeURIComponent('https://evil.example/')}`, {});
      expect(again.res.status).toBe(404);
    });
  });

  describe('sources', () => {
    let upstream: Upstream;
    let admin: Browser;
    beforeAll(async () => {
      upstream = await startUpstream();
    });
    afterAll(() => upstream.close());
    beforeEach(async () => {
      // The same database, served by an app that may fetch from the loopback upstream.
      const app = createApp({ repos: t.repos, config: { baseUrl: BASE_URL, websubHubs: [], version: 'test', fetchAllowPrivate: true } });
      admin = new Browser(app);
      await admin.signIn();
      await t.api('/categories', { body: { slug: 'senfi', name: 'صنفی' } });
      await admin.get('/admin/sources');
    });

    const FEED = rss([
      { title: 'یک', guid: 'a', link: 'https://news.example/1' },
      { title: 'دو', guid: 'b', link: 'https://news.example/2' },
    ]);

    it('adds a feed by URL with categories, fetches it now, edits and deletes it', async () => {
      const url = upstream.serve('/feed.xml', 200, { 'content-type': 'application/rss+xml' }, FEED);
      const added = await admin.post('/admin/sources', { url, title: '', categories: ['senfi'], intervalMinutes: '30', charset: 'windows-1256', timeZone: 'Asia/Tehran' });
      expect(added.res.status, added.html).toBe(303);
      const [source] = await t.repos.sources.list();
      expect(source).toMatchObject({ url, title: null, intervalMinutes: 30, charset: 'windows-1256', timeZone: 'Asia/Tehran' });
      expect(source!.categoryIds).toHaveLength(1);
      expect(added.res.headers.get('location')).toBe(`/admin/sources/${source!.id}?notice=created`);

      const detail = await admin.get(`/admin/sources/${source!.id}`);
      expect(detail.html).toMatch(/<input type="checkbox" name="categories" value="senfi" checked/);
      const fetched = await admin.post(`/admin/sources/${source!.id}/fetch`, {});
      expect(fetched.res.headers.get('location')).toBe(`/admin/sources/${source!.id}?fetched=ok.2.0`);
      expect((await admin.get(`/admin/sources/${source!.id}?fetched=ok.2.0`)).html).toContain('Fetched: <code>ok</code>');
      expect((await t.repos.items.list([{ sources: [source!.id] }], { limit: 10 })).map((i) => i.title).sort()).toEqual(['دو', 'یک']);

      const saved = await admin.post(`/admin/sources/${source!.id}`, { url, title: 'خبرها', intervalMinutes: '120', charset: '', timeZone: '', state: 'disabled' });
      expect(saved.res.status, saved.html).toBe(303);
      expect(await t.repos.sources.byId(source!.id)).toMatchObject({ title: 'خبرها', intervalMinutes: 120, charset: null, timeZone: null, state: 'disabled', categoryIds: [] });
      await admin.post(`/admin/sources/${source!.id}/delete`, {});
      expect(await t.repos.sources.list()).toEqual([]);
    });

    it("finds a web page's feed, and shows a failing source's error, escaped", async () => {
      const feed = upstream.serve('/found.xml', 200, { 'content-type': 'application/rss+xml' }, FEED);
      const page = upstream.serve('/site', 200, { 'content-type': 'text/html' }, `<html><head><link rel="alternate" type="application/rss+xml" href="${feed}"></head></html>`);
      await admin.post('/admin/sources', { url: page });
      expect(await t.repos.sources.byUrl(feed)).toMatchObject({ siteUrl: page });

      const down = upstream.serve('/down.xml', 500, { 'content-type': 'text/plain' }, '<b>boom</b>');
      await admin.post('/admin/sources', { url: down });
      const source = (await t.repos.sources.byUrl(down))!;
      const fetched = await admin.post(`/admin/sources/${source.id}/fetch`, {});
      expect(fetched.res.headers.get('location')).toBe(`/admin/sources/${source.id}?fetched=error.0.0`);
      const detail = await admin.get(`/admin/sources/${source.id}?fetched=error.0.0`);
      expect(detail.html).toContain('notice bad');
      expect(detail.html).toContain((await t.repos.sources.byId(source.id))!.lastError!.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'));
      expect((await admin.get('/admin')).html).toContain(`/admin/sources/${source.id}`);
    });

    it('re-renders the source form for bad input, a page without a feed, a refused address and a duplicate', async () => {
      const bad = await admin.post('/admin/sources', { url: 'ftp://x', intervalMinutes: '0', charset: 'klingon', timeZone: 'Mars/Olympus' });
      expect(bad.res.status).toBe(422);
      for (const field of ['url', 'intervalMinutes', 'charset', 'timeZone']) expect(bad.html, field).toContain(`id="${field}-error"`);
      const ghost = await admin.post('/admin/sources', { url: 'https://a.example/feed', categories: ['ghost'] });
      expect(ghost.res.status).toBe(422);
      expect(ghost.html).toContain('no category &quot;ghost&quot;');
      const bare = upstream.serve('/bare', 200, { 'content-type': 'text/html' }, '<html><head></head><body>no feed here</body></html>');
      const noFeed = await admin.post('/admin/sources', { url: bare });
      expect(noFeed.res.status).toBe(422);
      expect(noFeed.html).toContain('id="url-error"');
      // The default app refuses loopback sources (CHAPAR_FETCH_ALLOW_PRIVATE is off).
      await browser.get('/admin/sources');
      const refused = await browser.post('/admin/sources', { url: upstream.serve('/x.xml', 200, {}, FEED) });
      expect(refused.res.status).toBe(422);
      expect(refused.html).toContain('id="url-error"');
      const url = upstream.serve('/dup.xml', 200, { 'content-type': 'application/rss+xml' }, FEED);
      await admin.post('/admin/sources', { url });
      const dup = await admin.post('/admin/sources', { url });
      expect(dup.res.status).toBe(409);
      expect(dup.html).toContain('This source already exists');
      expect((await admin.get('/admin/sources/999')).res.status).toBe(404);
      expect((await admin.get('/admin/sources/abc')).res.status).toBe(404);
    });
  });

  describe('rules', () => {
    it('adds, edits and deletes a rule, and refuses a costly pattern with a field error', async () => {
      await t.api('/categories', { body: { slug: 'senfi', name: 'صنفی' } });
      await browser.get('/admin/rules');
      const added = await browser.post('/admin/rules', { field: 'title', op: 'contains', value: 'معلمان', category: 'senfi' });
      expect(added.res.status).toBe(303);
      const [rule] = await t.repos.rules.list();
      expect(rule).toMatchObject({ category: 'senfi', field: 'title', op: 'contains', value: 'معلمان' });
      expect((await browser.get('/admin/rules')).html).toContain('معلمان');
      const costly = await browser.post(`/admin/rules/${rule!.id}`, { field: 'text', op: 'regex', value: '(a+)+$', category: 'senfi' });
      expect(costly.res.status).toBe(422);
      expect(costly.html).toContain('id="value-error"');
      expect(costly.html).toContain('value="(a+)+$"');
      const saved = await browser.post(`/admin/rules/${rule!.id}`, { field: 'text', op: 'regex', value: 'نشست\\s+صنفی', category: 'senfi' });
      expect(saved.res.status).toBe(303);
      expect(await t.repos.rules.byId(rule!.id)).toMatchObject({ field: 'text', op: 'regex' });
      const bad = await browser.post('/admin/rules', { field: 'nope', op: 'contains', value: '', category: '' });
      expect(bad.res.status).toBe(422);
      for (const field of ['field', 'value', 'category']) expect(bad.html, field).toContain(`id="${field}-error"`);
      await browser.post(`/admin/rules/${rule!.id}/delete`, {});
      expect(await t.repos.rules.list()).toEqual([]);
      expect((await browser.get(`/admin/rules/${rule!.id}`)).res.status).toBe(404);
    });
  });

  describe('short links', () => {
    it('creates a link, shows its clicks, changes and deletes it', async () => {
      await browser.get('/admin/links');
      const created = await browser.post('/admin/links', { url: 'https://example.org/a?x=1', code: 'promo', status: '301' });
      expect(created.res.headers.get('location')).toBe('/admin/links/promo?notice=created');
      expect(await t.repos.links.byCode('promo')).toMatchObject({ url: 'https://example.org/a?x=1', status: 301 });
      await t.repos.links.addClicks([{ code: 'promo', day: new Date().toISOString().slice(0, 10), referrerHost: 'news.example', count: 7 }]);
      const detail = await browser.get('/admin/links/promo');
      expect(detail.html).toContain('<svg class="chart"');
      expect(detail.html).toContain('news.example');
      expect(detail.html).toContain(`${BASE_URL}/s/promo`);
      const saved = await browser.post('/admin/links/promo', { url: 'https://example.org/b', status: '302' });
      expect(saved.res.status).toBe(303);
      expect(await t.repos.links.byCode('promo')).toMatchObject({ url: 'https://example.org/b', status: 302 });
      expect((await browser.get('/admin/links')).html).toContain('promo');
      await browser.post('/admin/links/promo/delete', {});
      expect(await t.repos.links.byCode('promo')).toBeNull();
    });

    it('re-renders the link form for a bad URL, a bad code or a taken code', async () => {
      await browser.get('/admin/links');
      const bad = await browser.post('/admin/links', { url: 'javascript:alert(1)', code: 'no spaces', status: '307' });
      expect(bad.res.status).toBe(422);
      for (const field of ['url', 'code', 'status']) expect(bad.html, field).toContain(`id="${field}-error"`);
      await browser.post('/admin/links', { url: 'https://example.org/', code: 'taken' });
      const taken = await browser.post('/admin/links', { url: 'https://example.org/', code: 'taken' });
      expect(taken.res.status).toBe(409);
      expect(taken.html).toContain('This code is taken');
      expect((await browser.get('/admin/links/nope')).res.status).toBe(404);
    });

    it("will not delete an item's own short link", async () => {
      await t.api('/items', { body: { title: 'x', url: 'https://example.org/x', shortCode: 'item1' } });
      await browser.get('/admin/links/item1');
      const { res } = await browser.post('/admin/links/item1/delete', {});
      expect(res.status).toBe(409);
      expect(await t.repos.links.byCode('item1')).not.toBeNull();
    });
  });

  it('draws the dashboard: source health, feed polls and subscribers, top links', async () => {
    await t.api('/feeds', { body: { slug: 'senfi', title: 'خوراک صنفی' } });
    const day = new Date().toISOString().slice(0, 10);
    await t.repos.audience.addPolls([{ slug: 'senfi', day, format: 'rss', count: 42 }]);
    await t.repos.audience.touchReaders([{ slug: 'senfi', key: 'hosted:Feedly', name: 'Feedly', subscribers: 17, seenAt: new Date() }]);
    await t.repos.links.create({ url: 'https://example.org/top', code: 'top' });
    await t.repos.links.addClicks([{ code: 'top', day, referrerHost: '', count: 5 }]);
    const source = await t.repos.sources.create({ url: 'https://broken.example/feed.xml', title: 'منبع خراب' });
    await t.database.db.run(`UPDATE sources SET error_count = 3, last_error = 'ingest: answered 503', last_fetched_at = 1700000000000 WHERE id = ${source.id}` as never);
    const { res, html } = await browser.get('/admin');
    expect(res.status).toBe(200);
    expect(html.match(/<svg class="chart"/g)!.length).toBeGreaterThanOrEqual(4);
    expect(html).toContain('<title>خوراک صنفی: 42</title>');
    expect(html).toContain('<title>خوراک صنفی: 17</title>');
    expect(html).toContain('<title>top · example.org: 5</title>');
    expect(html).toContain('ingest: answered 503');
    expect(html).toContain('<title>منبع خراب: 3</title>');
  });

  it('answers an unknown admin page with an HTML 404', async () => {
    const { res, html } = await browser.get('/admin/nope');
    expect(res.status).toBe(404);
    expect(html).toContain('Not found');
  });
});
