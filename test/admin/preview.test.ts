import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { previewOutput } from '../../src/admin/api/preview.ts';
import { testApp, type TestApp } from '../helpers/app.ts';
import { fixture, startSite, type Site } from '../ingest/html/site.ts';

let site: Site;
let t: TestApp;
const NOW = new Date('2025-01-01T00:00:00Z');

beforeAll(async () => {
  site = await startSite();
});
afterAll(() => site.close());

beforeEach(async () => {
  site.reset();
  const here = (html: string) => html.replaceAll('http://news.example.ir', site.origin);
  site.page('/index.php/k2-news', here(fixture('k2-listing.html')));
  for (const id of ['3643-meeting', '3642-data-center', '3641-e-gov']) site.page(`/index.php/k2-news/item/${id}`, here(fixture('k2-article.html')));
  site.page('/robots.txt', 'User-agent: *\nDisallow: /administrator/\n', { 'content-type': 'text/plain' });
  t = await testApp({ now: () => NOW, config: { fetchAllowPrivate: true } });
  return () => t.close();
});

const preview = (body: unknown, app: TestApp = t) => app.api('/sources/preview', { body });
const listing = () => `${site.origin}/index.php/k2-news`;

describe('POST /api/v1/sources/preview', () => {
  it('shows the listing’s links and the first articles field by field, and saves nothing', async () => {
    const res = await preview({ url: listing(), preset: 'k2', articles: 2, delayMs: 0 });
    expect(res.status).toBe(200);
    const body = previewOutput.parse(await res.json());
    expect(body).toMatchObject({ ok: true, preset: 'k2', problems: [], outcome: { kind: 'ok', status: 200 } });
    expect(body.listing).toMatchObject({ links: 3, deferred: 1, articleLinks: [`${site.origin}/index.php/k2-news/item/3643-meeting`, expect.any(String), expect.any(String)] });
    expect(body.articles).toHaveLength(2);
    expect(body.articles[0]).toMatchObject({
      status: 'ok',
      item: {
        title: 'نشست معاونان وزیر با فعالان ICT استان آذربایجان شرقی برگزار شد',
        publishedAt: '2014-08-18T22:14:00.000Z',
        categories: ['صنفی', 'اخبار سازمان'],
        shortCode: '3643',
        image: `${site.origin}/media/k2/items/cache/6a1b2c_L.jpg`,
        excerpt: expect.stringMatching(/^نشست معاونان وزیر/),
      },
    });
    expect(body.articles[0]?.item?.content).not.toMatch(/<script/);
    expect(body.fields.find((f) => f.field === 'date')).toMatchObject({ status: 'ok', found: 2, pages: 2, from: 'preset', sample: '2014-08-18T22:14:00.000Z' });
    expect(body.fields.find((f) => f.field === 'author')).toMatchObject({ status: 'missing', message: expect.stringContaining('matched nothing') });

    expect(await t.repos.items.list([], { limit: 10 })).toEqual([]);
    expect(await t.repos.sources.list()).toEqual([]);
  });

  it('names the fields whose selectors found nothing', async () => {
    const res = await preview({ url: listing(), preset: 'k2', delayMs: 0, selectors: { title: 'h1.headline' } });
    expect(res.status).toBe(200);
    const body = previewOutput.parse(await res.json());
    expect(body.ok).toBe(false);
    expect(body.problems).toEqual([{ field: 'selectors.title', message: 'found on none of 3 articles: matched nothing ("h1.headline")' }]);
    expect(body.outcome).toMatchObject({ kind: 'error', message: expect.stringContaining('selectors.title') });
    expect(body.articles.every((a) => a.status === 'skipped' && a.item === null)).toBe(true);
    expect(body.fields.find((f) => f.field === 'title')).toMatchObject({ status: 'missing', from: 'explicit', selectors: ['h1.headline'] });
  });

  it('says so when the listing page cannot be read', async () => {
    const body = previewOutput.parse(await (await preview({ url: `${site.origin}/gone`, preset: 'wordpress', delayMs: 0 })).json());
    expect(body).toMatchObject({ ok: false, outcome: { kind: 'error', status: 404 }, listing: { status: 404, links: 0 }, articles: [] });
  });

  it('reads an explicit selector list with attributes, without a preset', async () => {
    const selectors = { item: '.catItemTitle a@href', title: 'h2.itemTitle', date: '.itemDateCreated', content: '.itemFullText', categories: ['.nope', '.itemTags li'], shortCode: '.itemExtraFieldsValue' };
    const body = previewOutput.parse(await (await preview({ url: listing(), selectors, articles: 1, delayMs: 0 })).json());
    expect(body.ok).toBe(true);
    expect(body.articles[0]?.item).toMatchObject({ shortCode: '3643', categories: ['صنفی', 'اخبار سازمان'] });
    expect(body.fields.find((f) => f.field === 'categories')?.matchedWith).toEqual(['.itemTags li']);
  });
});

describe('bad input', () => {
  it('answers 422 naming each bad field', async () => {
    const res = await preview({ url: 'ftp://site.ir/', preset: 'drupal', selectors: { title: 'h1[', item: ['a', ''] }, articles: 50 });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const problem = await res.json();
    const fields = problem.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['url', 'preset', 'selectors.item.1', 'articles']));
  });

  it('answers 422 for unreadable CSS and for required fields nothing covers', async () => {
    const res = await preview({ url: listing(), selectors: { item: 'a', title: 'h1[' } });
    expect(res.status).toBe(422);
    expect((await res.json()).errors).toEqual([
      { field: 'selectors.title', message: expect.stringMatching(/^is not a CSS selector/) },
      { field: 'selectors.date', message: expect.stringMatching(/^is required without a preset/) },
      { field: 'selectors.content', message: expect.stringMatching(/^is required without a preset/) },
      { field: 'selectors.categories', message: expect.stringMatching(/^is required without a preset/) },
    ]);
  });

  it('answers 422 for unknown fields and 400 for a body that is not JSON', async () => {
    const unknown = await preview({ url: listing(), preset: 'k2', selector: { title: 'h1' } });
    expect(unknown.status).toBe(422);
    expect((await t.api('/sources/preview', { body: '{"url":' })).status).toBe(400);
  });

  it('needs a token', async () => {
    const res = await t.app.request('https://chapar.test/api/v1/sources/preview', { method: 'POST', body: JSON.stringify({ url: listing(), preset: 'k2' }) });
    expect(res.status).toBe(401);
  });
});

describe('security', () => {
  it('refuses loopback and private addresses unless CHAPAR_FETCH_ALLOW_PRIVATE is set, before any request', async () => {
    const guarded = await testApp({ now: () => NOW });
    try {
      for (const url of [listing(), 'http://localhost/news', 'http://[::ffff:7f00:1]/', 'http://10.0.0.7/']) {
        const res = await preview({ url, preset: 'k2' }, guarded);
        expect(res.status, url).toBe(422);
        const problem = await res.json();
        expect(problem.errors, url).toEqual([{ field: 'url', message: expect.stringMatching(/private|local host name|reserved/) }]);
      }
      expect(site.requests).toEqual([]);
    } finally {
      await guarded.close();
    }
  });

  it('is in the OpenAPI document', async () => {
    const doc = await (await t.get('/api/v1/openapi.json')).json();
    expect(doc.paths['/sources/preview']?.post).toBeDefined();
  });
});
