import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BASE_URL, seedCategoriesAndFeeds, testApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
  await seedCategoriesAndFeeds(t);
  const res = await t.api('/items', {
    body: [
      { guid: 'g-1', title: 'نشست صنفی', url: 'https://news.example/1', content: '<p>متن <b>اول</b></p>', publishedAt: '2024-01-01T10:00:00Z', categories: ['senfi'] },
      { guid: 'g-2', title: 'خبر سازمان & <script>alert(1)</script>', summary: 'خلاصه', publishedAt: '2024-01-02T10:00:00Z', categories: ['akhbar-sazman'] },
      { guid: 'g-3', title: 'خبر مشترک', publishedAt: 'سه شنبه, ۲۸ مرداد ۱۳۹۳ ۰۲:۴۴', categories: ['senfi', 'akhbar-sazman'] },
    ],
  });
  expect(res.status).toBe(201);
});
afterEach(() => t.close());

const browser = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

function expectSecureHtml(res: Response) {
  expect(res.headers.get('content-type')).toBe('text/html; charset=UTF-8');
  const csp = res.headers.get('content-security-policy')!;
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain('unsafe-inline');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
}

/** Nothing the CSP would block: no inline script, no style element or attribute. */
function expectNoInlineCode(html: string) {
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  expect(html).not.toMatch(/<style[\s>]/);
  expect(html).not.toMatch(/\sstyle=/);
  expect(html).not.toMatch(/\son[a-z]+=/);
}

describe('index page', () => {
  it('lists every feed, RTL, with autodiscovery and copyable subscribe URLs', async () => {
    const res = await t.get('/', browser);
    expect(res.status).toBe(200);
    expectSecureHtml(res);
    const html = await res.text();
    expectNoInlineCode(html);
    expect(html).toMatch(/^<!doctype html><html lang="fa" dir="rtl">/);
    for (const slug of ['senfi', 'akhbar-sazman', 'both', 'all']) {
      expect(html).toContain(`<a href="/feeds/${slug}">`);
      for (const [format, type] of [['rss', 'application/rss+xml'], ['atom', 'application/atom+xml'], ['json', 'application/feed+json']] as const) {
        const url = `${BASE_URL}/feeds/${slug}.${format}`;
        expect(html).toMatch(new RegExp(`<link rel="alternate" type="${type.replace('+', '\\+')}" title="[^"]+" href="${url.replace(/\./g, '\\.')}"/>`));
        expect(html).toContain(`<input type="text" readonly="" value="${url}"`);
        expect(html).toContain(`data-copy="${url}"`);
      }
    }
  });

  it('escapes feed text', async () => {
    await t.api('/feeds', { body: { slug: 'x', title: '<img src=x onerror=alert(1)> & co' } });
    const html = await (await t.get('/', browser)).text();
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; co');
    expect(html).not.toContain('<img src=x');
  });
});

describe('feed preview page', () => {
  it('shows the items with Jalali dates beside Gregorian, and a search box', async () => {
    const res = await t.get('/feeds/senfi', browser);
    expect(res.status).toBe(200);
    expectSecureHtml(res);
    expect(res.headers.get('vary')).toContain('Accept');
    const html = await res.text();
    expectNoInlineCode(html);
    expect(html).toContain('<h1>صنفی</h1>');
    expect(html).toContain('<time datetime="2014-08-18T22:14:00.000Z"><span class="jalali">۲۸ مرداد ۱۳۹۳، ۰۲:۴۴</span> · <span class="gregorian" dir="ltr" lang="en">19 Aug 2014, 02:44</span></time>');
    expect(html).toContain('<form class="search" role="search" method="get" action="/feeds/senfi">');
    expect(html).toContain('name="q"');
    expect([...html.matchAll(/<li class="card item">/g)]).toHaveLength(2);
    expect(html).toContain(`<a href="https://news.example/1">نشست صنفی</a>`);
  });

  it('q narrows the list, keeps the other parameters, and bad values explain themselves', async () => {
    const found = await (await t.get(`/feeds/all?category=senfi&q=${encodeURIComponent('مشترك')}`, browser)).text();
    expect([...found.matchAll(/<li class="card item">/g)]).toHaveLength(1);
    expect(found).toContain('<input type="hidden" name="category" value="senfi"/>');
    expect(found).toContain('value="مشترك"');
    // Subscribe links carry the search, so a reader can follow it.
    expect(found).toContain(`value="${BASE_URL}/feeds/all.rss?category=senfi&amp;q=`);
    const none = await (await t.get('/feeds/all?q=nothing-like-this', browser)).text();
    expect(none).toContain('Nothing found');
    const bad = await t.get('/feeds/all?limit=0', browser);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('<code>limit</code>');
  });

  it('pages with newer and older links', async () => {
    const first = await (await t.get('/feeds/all?limit=1', browser)).text();
    const older = /<a rel="next" href="([^"]+)"/.exec(first)![1]!.replace(/&amp;/g, '&');
    const second = await (await t.get(older, browser)).text();
    expect(second).toContain('نشست صنفی');
    const newer = /<a rel="prev" href="([^"]+)"/.exec(second)![1]!.replace(/&amp;/g, '&');
    expect(await (await t.get(newer, browser)).text()).toContain('خبر سازمان');
  });

  it('escapes item titles', async () => {
    const html = await (await t.get('/feeds/all', browser)).text();
    expect(html).toContain('خبر سازمان &amp; &lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('is a 404 problem for an unknown feed, and for clients that do not take HTML', async () => {
    expect((await t.get('/feeds/nope', browser)).status).toBe(404);
    expect((await t.get('/feeds/all.xml', browser)).status).toBe(404);
    for (const headers of [{}, { accept: 'application/json' }, { accept: 'text/html;q=0' }] as Record<string, string>[]) {
      const res = await t.get('/feeds/all', headers);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
  });
});

describe('item page', () => {
  it('shows one item with both dates and secure headers', async () => {
    const feed = (await (await t.get('/feeds/all.json')).json()) as { items: { url: string; title: string }[] };
    const local = feed.items.find((i) => i.title === 'خبر مشترک')!;
    const res = await t.get(new URL(local.url).pathname, browser);
    expect(res.status).toBe(200);
    expectSecureHtml(res);
    const html = await res.text();
    expectNoInlineCode(html);
    expect(html).toContain('۲۸ مرداد ۱۳۹۳');
    expect(html).toContain('19 Aug 2014');
    expect((await t.get('/items/999999', browser)).status).toBe(404);
    expect((await t.get('/items/abc', browser)).status).toBe(404);
  });
});

describe('assets', () => {
  it('serves the icon, stylesheet and script the pages link, cacheable for a year at their versioned URL', async () => {
    const html = await (await t.get('/', browser)).text();
    for (const [, href] of html.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)) {
      const res = await t.get(href!.replace(/&amp;/g, '&'));
      expect(res.status, href).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('content-type')).toMatch(/^(text\/(css|javascript); charset=utf-8|image\/svg\+xml)$/);
      expect((await t.get(href!, { 'if-none-match': res.headers.get('etag')! })).status).toBe(304);
    }
    expect((await t.get('/assets/chapar.css')).headers.get('cache-control')).toBe('public, max-age=300');
    expect((await t.get('/assets/other.css')).status).toBe(404);
  });
});

describe('OPML', () => {
  it('lists every published feed as OPML 2.0', async () => {
    await t.api('/feeds', { body: { slug: 'amp', title: 'A & B <c>', description: 'خوراک "ویژه"', language: 'en' } });
    const res = await t.get('/opml');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/x-opml; charset=utf-8');
    const xml = await res.text();
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<opml version="2.0">/);
    expect(xml).toMatch(/<dateModified>[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT<\/dateModified>/);
    const outlines = [...xml.matchAll(/<outline ([^>]*)\/>/g)].map((m) => m[1]!);
    expect(outlines).toHaveLength(5);
    expect(outlines[0]).toBe(`type="rss" text="صنفی" title="صنفی" xmlUrl="${BASE_URL}/feeds/senfi.rss" htmlUrl="${BASE_URL}/feeds/senfi" language="fa"`);
    expect(outlines[4]).toBe(`type="rss" text="A &#x26; B &#x3C;c&#x3E;" title="A &#x26; B &#x3C;c&#x3E;" xmlUrl="${BASE_URL}/feeds/amp.rss" htmlUrl="${BASE_URL}/feeds/amp" language="en" description="خوراک &#x22;ویژه&#x22;"`);
    const again = await t.get('/opml', { 'if-none-match': res.headers.get('etag')! });
    expect(again.status).toBe(304);
    await t.api('/feeds/amp', { method: 'DELETE' });
    expect((await t.get('/opml', { 'if-none-match': res.headers.get('etag')! })).status).toBe(200);
  });
});
