import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BASE_URL, testApp, type TestApp } from '../helpers/app.ts';
import { rss, startUpstream, type Upstream } from '../ingest/upstream.ts';

const NOW = new Date('2024-08-20T06:00:00Z');
let clock = NOW;
let upstream: Upstream;
let t: TestApp;
let n = 0;
const path = (name: string) => `/${name}-${++n}`;

beforeAll(async () => {
  upstream = await startUpstream();
});
afterAll(() => upstream.close());
beforeEach(async () => {
  clock = NOW;
  t = await testApp({ now: () => clock, config: { fetchAllowPrivate: true } });
  for (const body of [
    { slug: 'senfi', name: 'صنفی' },
    { slug: 'akhbar', name: 'اخبار' },
  ]) await t.api('/categories', { body });
});
afterEach(() => t.close());

const FEED = rss([
  { title: 'یک', guid: 'a', link: 'https://news.example/1', categories: ['اخبار'] },
  { title: 'دو', guid: 'b', link: 'https://news.example/2' },
]);

const sourceSchema = z.object({
  id: z.number().int(),
  url: z.string(),
  title: z.string().nullable(),
  siteUrl: z.string().nullable(),
  categories: z.array(z.string()),
  intervalMinutes: z.number().int(),
  charset: z.string().nullable(),
  timeZone: z.string().nullable(),
  state: z.enum(['active', 'gone', 'disabled']),
  lastStatus: z.string().nullable(),
  lastError: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
  errorCount: z.number().int(),
  nextCheckAt: z.string().nullable(),
});
const problemSchema = z.object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string().optional(), errors: z.array(z.object({ field: z.string(), message: z.string() })).optional() });

async function problem(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  return problemSchema.parse(await res.json());
}

async function created(body: unknown) {
  const res = await t.api('/sources', { body });
  expect(res.status, await res.clone().text()).toBe(201);
  return sourceSchema.parse(await res.json());
}

describe('sources: happy path', () => {
  it('adds a feed, fetches it, and shows its state', async () => {
    const url = upstream.serve(path('feed'), 200, { 'content-type': 'application/rss+xml' }, FEED);
    const res = await t.api('/sources', { body: { url, categories: ['senfi'], intervalMinutes: 30, charset: 'windows-1256', timeZone: 'Asia/Tehran' } });
    expect(res.status).toBe(201);
    const source = sourceSchema.parse(await res.json());
    expect(res.headers.get('location')).toBe(`${BASE_URL}/api/v1/sources/${source.id}`);
    expect(source).toMatchObject({ url, categories: ['senfi'], intervalMinutes: 30, charset: 'windows-1256', timeZone: 'Asia/Tehran', state: 'active', lastStatus: null, errorCount: 0, nextCheckAt: NOW.toISOString() });

    const fetched = await t.api(`/sources/${source.id}/fetch`, { method: 'POST' });
    expect(fetched.status).toBe(200);
    expect(await fetched.json()).toEqual({ status: 'ok', new: 2, updated: 0, unchanged: 0, nextCheckAt: new Date(NOW.getTime() + 30 * 60_000).toISOString() });

    const again = await t.api(`/sources/${source.id}/fetch`, { method: 'POST' });
    expect(await again.json()).toMatchObject({ status: 'not-modified', new: 0, updated: 0, unchanged: 0 });

    const read = sourceSchema.parse(await (await t.api(`/sources/${source.id}`)).json());
    expect(read).toMatchObject({ title: 'خبرگزاری آزمایشی', siteUrl: 'https://news.example/', lastStatus: 'not-modified', lastError: null });

    const item = (await t.repos.items.list([], { limit: 10 })).find((i) => i.guid === 'a')!;
    expect(item.categories.map((c) => c.slug).sort()).toEqual(['akhbar', 'senfi']);
  });

  it('reports a failing upstream in the fetch answer and the source', async () => {
    const url = upstream.serve(path('down'), 503, { 'retry-after': '7200' });
    const source = await created({ url });
    const res = await t.api(`/sources/${source.id}/fetch`, { method: 'POST' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; error: string };
    expect(body).toMatchObject({ status: 'retry-later', new: 0, updated: 0, unchanged: 0 });
    expect(body.error).toMatch(new RegExp(`^ingest: source ${source.id} \\(.*\\) answered 503`));
    const read = sourceSchema.parse(await (await t.api(`/sources/${source.id}`)).json());
    expect(read).toMatchObject({ lastStatus: 'retry-later', lastError: body.error, lastErrorAt: NOW.toISOString(), errorCount: 1, nextCheckAt: new Date(NOW.getTime() + 7_200_000).toISOString() });
  });

  it('resolves a web page to the feed its <link rel="alternate"> names', async () => {
    const feed = upstream.serve(path('feed'), 200, {}, FEED);
    const page = upstream.serve(
      path('page'),
      200,
      { 'content-type': 'text/html; charset=utf-8' },
      `<!doctype html><html><head><title>خانه</title><link rel="stylesheet" href="/s.css"><link rel="alternate" type="application/rss+xml" title="خبرها" href="${new URL(feed).pathname}"></head><body></body></html>`,
    );
    const source = await created({ url: page });
    expect(source).toMatchObject({ url: feed, siteUrl: page });
  });

  it('lists sources in pages, changes and removes them', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push((await created({ url: upstream.serve(path('list'), 200, {}, FEED) })).id);
    const first = (await (await t.api('/sources?limit=2')).json()) as { items: unknown[]; next: string };
    expect(first.items.map((s) => sourceSchema.parse(s).id)).toEqual(ids.slice(0, 2));
    const second = (await (await t.api(`/sources?limit=2&cursor=${first.next}`)).json()) as { items: unknown[]; next: null };
    expect(second.items.map((s) => sourceSchema.parse(s).id)).toEqual(ids.slice(2));
    expect(second.next).toBeNull();

    const patched = await t.api(`/sources/${ids[0]}`, { method: 'PATCH', body: { title: 'تازه', categories: ['akhbar'], intervalMinutes: 15, charset: null } });
    expect(patched.status).toBe(200);
    expect(sourceSchema.parse(await patched.json())).toMatchObject({ title: 'تازه', categories: ['akhbar'], intervalMinutes: 15, charset: null });

    expect((await t.api(`/sources/${ids[0]}`, { method: 'DELETE' })).status).toBe(204);
    await problem(await t.api(`/sources/${ids[0]}`), 404);
    await problem(await t.api(`/sources/${ids[0]}`, { method: 'DELETE' }), 404);
  });

  it('re-enables a disabled source with {"state":"active"}, clearing its failures', async () => {
    const url = upstream.serve(path('broken'), 500);
    const source = await created({ url });
    await t.api(`/sources/${source.id}/fetch`, { method: 'POST' });
    const disabled = sourceSchema.parse(await (await t.api(`/sources/${source.id}`, { method: 'PATCH', body: { state: 'disabled' } })).json());
    expect(disabled).toMatchObject({ state: 'disabled', errorCount: 1 });
    const active = sourceSchema.parse(await (await t.api(`/sources/${source.id}`, { method: 'PATCH', body: { state: 'active' } })).json());
    expect(active).toMatchObject({ state: 'active', errorCount: 0, nextCheckAt: NOW.toISOString() });
  });

  it('answers 409 while the source is being fetched', async () => {
    const url = upstream.serve(path('held'), 200, {}, FEED);
    const source = await created({ url });
    await t.repos.sources.lease(source.id, 'someone-else', 60_000);
    await problem(await t.api(`/sources/${source.id}/fetch`, { method: 'POST' }), 409);
  });
});

describe('sources: bad input is a problem document', () => {
  it.each([
    ['no url', {}, 'url'],
    ['a relative url', { url: '/feed' }, 'url'],
    ['an ftp url', { url: 'ftp://example.org/feed' }, 'url'],
    ['an unknown field', { url: 'https://example.org/feed', colour: 'red' }, '(body)'],
    ['interval 0', { url: 'https://example.org/feed', intervalMinutes: 0 }, 'intervalMinutes'],
    ['a fractional interval', { url: 'https://example.org/feed', intervalMinutes: 1.5 }, 'intervalMinutes'],
    ['an unknown charset', { url: 'https://example.org/feed', charset: 'klingon-8' }, 'charset'],
    ['an unknown time zone', { url: 'https://example.org/feed', timeZone: 'Mars/Olympus' }, 'timeZone'],
    ['a bad category slug', { url: 'https://example.org/feed', categories: ['Not A Slug'] }, 'categories.0'],
    ['an unknown category', { url: 'https://example.org/feed', categories: ['senfi', 'nope'] }, 'categories.1'],
    ['an empty title', { url: 'https://example.org/feed', title: '  ' }, 'title'],
  ])('POST with %s → 422 naming the field', async (_, body, field) => {
    const doc = await problem(await t.api('/sources', { body }), 422);
    expect(doc.errors!.map((e) => e.field)).toContain(field);
    expect(await t.repos.sources.list()).toEqual([]);
  });

  it('POST with a body that is not JSON → 400', async () => {
    await problem(await t.api('/sources', { body: '{"url":' }), 400);
  });

  it('POST a web page without feed links → 422', async () => {
    const page = upstream.serve(path('nofeed'), 200, { 'content-type': 'text/html' }, '<html><head><title>x</title></head></html>');
    const doc = await problem(await t.api('/sources', { body: { url: page } }), 422);
    expect(doc.errors).toEqual([{ field: 'url', message: expect.stringMatching(/links no feed/) }]);
  });

  it('POST the same feed twice → 409', async () => {
    const url = upstream.serve(path('twice'), 200, {}, FEED);
    await created({ url });
    await problem(await t.api('/sources', { body: { url } }), 409);
  });

  it.each([
    ['a state the API cannot set', { state: 'gone' }, 'state'],
    ['an unknown field', { etag: 'x' }, '(body)'],
    ['a bad url', { url: 'javascript:alert(1)' }, 'url'],
    ['an unknown category', { categories: ['nope'] }, 'categories.0'],
  ])('PATCH with %s → 422', async (_, body, field) => {
    const source = await created({ url: upstream.serve(path('patch'), 200, {}, FEED) });
    const doc = await problem(await t.api(`/sources/${source.id}`, { method: 'PATCH', body }), 422);
    expect(doc.errors!.map((e) => e.field)).toContain(field);
  });

  it.each(['999', 'abc', '0', '-1', '1e3'])('unknown id %s → 404 on read, change, delete and fetch', async (id) => {
    await problem(await t.api(`/sources/${id}`), 404);
    await problem(await t.api(`/sources/${id}`, { method: 'PATCH', body: { title: 'x' } }), 404);
    await problem(await t.api(`/sources/${id}`, { method: 'DELETE' }), 404);
    await problem(await t.api(`/sources/${id}/fetch`, { method: 'POST' }), 404);
  });

  it('bad paging → 422', async () => {
    await problem(await t.api('/sources?limit=0'), 422);
    await problem(await t.api('/sources?cursor=x'), 422);
  });

  it('refuses every call without a token', async () => {
    const res = await t.app.request(`${BASE_URL}/api/v1/sources`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"url":"https://example.org/"}' });
    await problem(res, 401);
  });
});

describe('sources: HTML sources', () => {
  it('takes a listing page as given, with its selector options, and checks them', async () => {
    const page = upstream.serve(path('listing'), 200, { 'content-type': 'text/html' }, '<html><head><link rel="alternate" type="application/rss+xml" href="/elsewhere"></head></html>');
    const res = await t.api('/sources', { body: { url: page, kind: 'html', options: { preset: 'k2', delayMs: 0 } } });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: number; url: string; kind: string; options: unknown };
    expect(body).toMatchObject({ url: page, kind: 'html', options: { preset: 'k2', delayMs: 0 } });
    const patched = await t.api(`/sources/${body.id}`, { method: 'PATCH', body: { options: { preset: 'k2', delayMs: -1 } } });
    expect((await problem(patched, 422)).errors!.map((e) => e.field)).toEqual(['options.delayMs']);
    const ok = await t.api(`/sources/${body.id}`, { method: 'PATCH', body: { options: { preset: 'k2', maxNewArticles: 5 } } });
    expect(((await ok.json()) as { options: unknown }).options).toEqual({ preset: 'k2', maxNewArticles: 5 });
  });

  it.each([
    ['no selectors', { kind: 'html' }, 'options.selectors.item'],
    ['an unknown preset', { kind: 'html', options: { preset: 'drupal-9000' } }, 'options.preset'],
    ['options on a feed', { options: { preset: 'k2' } }, 'options'],
    ['an unknown kind', { kind: 'pdf' }, 'kind'],
  ])('POST with %s → 422', async (_, extra, field) => {
    const doc = await problem(await t.api('/sources', { body: { url: 'https://news.example/list', ...extra } }), 422);
    expect(doc.errors!.map((e) => e.field)).toContain(field);
  });
});

describe('sources: SSRF', () => {
  it('refuses loopback and private sources unless CHAPAR_FETCH_ALLOW_PRIVATE is set, before any connection', async () => {
    const strict = await testApp({ now: () => clock });
    try {
      const url = upstream.serve(path('private'), 200, {}, FEED);
      for (const target of [url, 'http://[::ffff:7f00:1]/feed', 'http://2130706433/feed', 'http://0x7f.1/feed', 'http://10.0.0.1/feed', 'http://localhost/feed', 'http://169.254.169.254/latest']) {
        const res = await strict.api('/sources', { body: { url: target } });
        const doc = await problem(res, 422);
        expect(doc.errors![0]).toMatchObject({ field: 'url', message: expect.stringMatching(/^fetch: refusing /) });
      }
      expect(upstream.seen.filter((s) => s.path.startsWith('/private'))).toEqual([]);
      const stored = await strict.repos.sources.create({ url });
      const patched = await strict.api(`/sources/${stored.id}`, { method: 'PATCH', body: { url: 'http://127.0.0.2/feed' } });
      await problem(patched, 422);
      const fetched = (await (await strict.api(`/sources/${stored.id}/fetch`, { method: 'POST' })).json()) as { status: string; error: string };
      expect(fetched.status).toBe('error');
      expect(fetched.error).toMatch(/CHAPAR_FETCH_ALLOW_PRIVATE/);
    } finally {
      await strict.close();
    }
  });
});

describe('sources: OPML', () => {
  it('imports an OPML body and exports it back', async () => {
    const a = upstream.serve(path('opml'), 200, {}, FEED);
    const b = upstream.serve(path('opml'), 200, {}, FEED);
    const opml = `<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
      <outline text="صنفی"><outline type="rss" text="الف" xmlUrl="${a}"/></outline>
      <outline type="rss" text="ب" xmlUrl="${b}" category="/akhbar,/tazeh"/>
      <outline type="rss" text="بد" xmlUrl="not a url"/>
    </body></opml>`;
    const res = await t.api('/sources/import', { body: opml, headers: { 'content-type': 'text/x-opml' } });
    expect(res.status).toBe(200);
    const report = (await res.json()) as { created: number; failed: number; categoriesCreated: string[] };
    expect(report).toMatchObject({ created: 2, existing: 0, failed: 1, categoriesCreated: ['tazeh'] });
    const list = (await (await t.api('/sources')).json()) as { items: { url: string; title: string; categories: string[] }[] };
    expect(list.items.map((s) => [s.url, s.title, s.categories])).toEqual([
      [a, 'الف', ['senfi']],
      [b, 'ب', expect.arrayContaining(['akhbar', 'tazeh'])],
    ]);

    const exported = await t.api('/sources/export');
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toBe('text/x-opml; charset=utf-8');
    const text = await exported.text();
    expect(text).toContain(`xmlUrl="${a}"`);
    expect(text).toContain('<outline text="صنفی" title="صنفی" category="/senfi">');
  });

  it.each([
    ['not XML at all', 'hello'],
    ['an RSS feed', FEED],
    ['an empty OPML', '<opml version="2.0"><body></body></opml>'],
    ['nothing', ''],
  ])('import of %s → 422', async (_, body) => {
    await problem(await t.api('/sources/import', { body, headers: { 'content-type': 'text/x-opml' } }), 422);
  });
});
