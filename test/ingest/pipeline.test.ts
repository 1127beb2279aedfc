import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { createRepos, type Repos } from '../../src/db/repos/index.ts';
import type { SourceInput } from '../../src/db/repos/sources.ts';
import { openSqlite } from '../../src/db/sqlite.ts';
import { feedTtlMinutes, ingestSource, nextCheckAfterSuccess, withIdentityFallbacks, type IngestDeps, type IngestOptions } from '../../src/ingest/pipeline.ts';
import type { ParsedItem } from '../../src/core/types.ts';
import { rss, startUpstream, windows1256, type TestItem, type Upstream } from './upstream.ts';

const START = new Date('2024-08-20T06:00:00Z');
const MINUTE = 60_000;

let upstream: Upstream;
let clock: Date;
let database: Database;
let repos: Repos;
const now = () => new Date(clock);
const advance = (ms: number) => {
  clock = new Date(clock.getTime() + ms);
};

beforeAll(async () => {
  upstream = await startUpstream();
});
afterAll(() => upstream.close());
beforeEach(() => {
  clock = START;
  database = openSqlite(':memory:');
  repos = createRepos(database, now);
  upstream.seen.length = 0;
});
afterEach(() => database.close());

let paths = 0;
/** A fresh path per call, so tests never see each other's routes. */
const path = (name: string) => `/${name}-${++paths}`;

function deps(ingest: IngestOptions = {}): IngestDeps {
  return { repos, now, ingest: { allowPrivate: true, ...ingest } };
}

async function addSource(url: string, input: Partial<SourceInput> = {}) {
  return repos.sources.create({ url, ...input });
}

async function storedItems() {
  return repos.items.list([], { limit: 100 });
}

const TWO: TestItem[] = [
  { title: 'خبر اول', guid: 'g1', link: 'https://news.example/1', description: 'متن اول', pubDate: 'Tue, 20 Aug 2024 05:00:00 GMT' },
  { title: 'خبر دوم', guid: 'g2', link: 'https://news.example/2', description: 'متن دوم', pubDate: 'Tue, 20 Aug 2024 04:00:00 GMT' },
];

describe('a first fetch', () => {
  it('stores the items, fills the title and site from the feed and schedules the next check', async () => {
    const url = upstream.serve(path('feed'), 200, { 'content-type': 'application/rss+xml' }, rss(TWO, { title: 'خبرگزاری', link: 'https://news.example/' }));
    const source = await addSource(url);
    const result = await ingestSource(deps(), source.id);
    expect(result).toMatchObject({ status: 'ok', new: 2, updated: 0, unchanged: 0 });
    expect(result.error).toBeUndefined();
    const items = await storedItems();
    expect(items.map((i) => i.title).sort()).toEqual(['خبر اول', 'خبر دوم']);
    expect(items.every((i) => i.shortCode !== null)).toBe(true);
    const stored = (await repos.sources.byId(source.id))!;
    expect(stored).toMatchObject({ title: 'خبرگزاری', siteUrl: 'https://news.example/', state: 'active', lastStatus: 'ok', errorCount: 0, leaseUntil: null, leaseOwner: null });
    expect(stored.nextCheckAt).toEqual(new Date(START.getTime() + 60 * MINUTE));
    expect(stored.lastSuccessAt).toEqual(START);
  });

  it('keeps a title an admin gave', async () => {
    const url = upstream.serve(path('feed'), 200, {}, rss(TWO, { title: 'از فید' }));
    const source = await addSource(url, { title: 'نام من' });
    await ingestSource(deps(), source.id);
    expect((await repos.sources.byId(source.id))!.title).toBe('نام من');
  });

  // windows-1256 has no Persian Yeh: legacy Persian pages write the Arabic one (U+064A), as here.
  it('reads a windows-1256 feed that declares nothing, by the source charset, with Jalali dates in Tehran time', async () => {
    const body = windows1256(rss([{ title: 'گزارش ويژه کتاب', guid: 'w1', description: 'متن فارسي', pubDate: 'سه شنبه, 28 مرداد 1393 02:44' }], { title: 'خبرگزاري' }));
    const url = upstream.serve(path('cp1256'), 200, { 'content-type': 'application/xml' }, body);
    const source = await addSource(url, { charset: 'windows-1256' });
    expect(await ingestSource(deps(), source.id)).toMatchObject({ status: 'ok', new: 1 });
    const [item] = await storedItems();
    expect(item!.title).toBe('گزارش ويژه کتاب');
    expect(item!.summary).toContain('متن فارسي');
    expect(await repos.items.list([{ search: ['ویژه'] }], { limit: 10 })).toHaveLength(1);
    expect(item!.publishedAt.toISOString()).toBe('2014-08-18T22:14:00.000Z');
  });

  it('reads a windows-1256 feed by its XML prolog, and a Jalali date in digits in the source zone', async () => {
    const body = windows1256(rss([{ title: 'خبر', guid: 'w2', pubDate: '1403/05/30 10:30' }], { encoding: 'windows-1256', title: 'خبرگزاري' }));
    const url = upstream.serve(path('prolog'), 200, { 'content-type': 'text/xml' }, body);
    const source = await addSource(url, { timeZone: 'UTC' });
    await ingestSource(deps(), source.id);
    const [item] = await storedItems();
    expect(item!.title).toBe('خبر');
    expect(item!.publishedAt.toISOString()).toBe('2024-08-20T10:30:00.000Z');
  });

  it('reads Jalali dates in Persian digits, in Tehran time by default', async () => {
    const url = upstream.serve(path('digits'), 200, {}, rss([{ title: 'خبر', guid: 'd1', pubDate: 'سه‌شنبه ۳۰ امرداد ۱۴۰۳ ساعت ۱۰:۳۰' }]));
    const source = await addSource(url);
    await ingestSource(deps(), source.id);
    expect((await storedItems())[0]!.publishedAt.toISOString()).toBe('2024-08-20T07:00:00.000Z');
  });

  it('dates an undated item when first seen and clamps a far-future date', async () => {
    const url = upstream.serve(path('dates'), 200, {}, rss([{ title: 'بی‌تاریخ', guid: 'u1' }, { title: 'آینده', guid: 'u2', pubDate: 'Mon, 01 Jan 2035 00:00:00 GMT' }]));
    const source = await addSource(url);
    await ingestSource(deps(), source.id);
    const items = await storedItems();
    expect(items.map((i) => i.publishedAt.toISOString())).toEqual([START.toISOString(), START.toISOString()]);
  });
});

describe('conditional fetches', () => {
  it('sends the stored validators and counts a 304 as not modified', async () => {
    let calls = 0;
    const url = upstream.route(path('conditional'), (req, res) => {
      calls++;
      if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304, { etag: '"v1"' }).end();
      res.writeHead(200, { etag: '"v1"', 'last-modified': 'Tue, 20 Aug 2024 05:00:00 GMT' }).end(rss(TWO));
    });
    const source = await addSource(url);
    await ingestSource(deps(), source.id);
    advance(61 * MINUTE);
    const second = await ingestSource(deps(), source.id);
    expect(second).toMatchObject({ status: 'not-modified', new: 0, updated: 0, unchanged: 0 });
    expect(calls).toBe(2);
    const request = upstream.seen.at(-1)!;
    expect(request.headers['if-none-match']).toBe('"v1"');
    expect(request.headers['if-modified-since']).toBe('Tue, 20 Aug 2024 05:00:00 GMT');
    const stored = (await repos.sources.byId(source.id))!;
    expect(stored).toMatchObject({ lastStatus: 'not-modified', etag: '"v1"', errorCount: 0 });
    expect(await storedItems()).toHaveLength(2);
  });

  it('fetches unconditionally once a day has passed', async () => {
    const url = upstream.serve(path('daily'), 200, { etag: '"v1"' }, rss(TWO));
    const source = await addSource(url);
    await ingestSource(deps(), source.id);
    advance(2 * 60 * MINUTE);
    await ingestSource(deps(), source.id);
    expect(upstream.seen.at(-1)!.headers['if-none-match']).toBe('"v1"');
    advance(24 * 60 * MINUTE);
    await ingestSource(deps(), source.id);
    expect(upstream.seen.at(-1)!.headers['if-none-match']).toBeUndefined();
  });

  it('skips the parse of a 200 whose body only changed in volatile channel fields', async () => {
    let build = 'Tue, 20 Aug 2024 05:00:00 GMT';
    const url = upstream.route(path('volatile'), (_req, res) => void res.writeHead(200).end(rss(TWO, { lastBuildDate: build })));
    const source = await addSource(url);
    await ingestSource(deps(), source.id);
    build = 'Tue, 20 Aug 2024 07:00:00 GMT';
    expect(await ingestSource(deps(), source.id)).toMatchObject({ status: 'not-modified', new: 0, updated: 0, unchanged: 0 });
  });

  it('counts edits as updated, repeats as unchanged and new items as new', async () => {
    let items: TestItem[] = TWO;
    const url = upstream.route(path('changing'), (_req, res) => void res.writeHead(200).end(rss(items)));
    const source = await addSource(url);
    await ingestSource(deps(), source.id);
    items = [{ title: 'خبر سوم', guid: 'g3', link: 'https://news.example/3' }, { ...TWO[0]!, description: 'متن اول، ویرایش شده' }, TWO[1]!];
    expect(await ingestSource(deps(), source.id)).toMatchObject({ status: 'ok', new: 1, updated: 1, unchanged: 1 });
    const stored = await storedItems();
    expect(stored).toHaveLength(3);
    expect(stored.find((i) => i.guid === 'g1')!.summary).toContain('ویرایش شده');
  });

  it('stretches the interval by the feed <ttl> and by Cache-Control, never shortens it, and caps it at a day', async () => {
    const ttl = upstream.serve(path('ttl'), 200, {}, rss(TWO, { ttl: 180 }));
    const a = await addSource(ttl);
    expect((await ingestSource(deps(), a.id)).nextCheckAt).toEqual(new Date(START.getTime() + 180 * MINUTE));
    const cached = upstream.serve(path('maxage'), 200, { 'cache-control': 'public, max-age=7200' }, rss(TWO));
    const b = await addSource(cached);
    expect((await ingestSource(deps(), b.id)).nextCheckAt).toEqual(new Date(START.getTime() + 120 * MINUTE));
    expect(nextCheckAfterSuccess(60, START, 60)).toEqual(new Date(START.getTime() + 60 * MINUTE));
    expect(nextCheckAfterSuccess(60, START, 30 * 24 * 3600)).toEqual(new Date(START.getTime() + 24 * 60 * MINUTE));
    expect(feedTtlMinutes('<rss><channel><ttl> 45 </ttl><item><ttl>1</ttl></item>')).toBe(45);
    expect(feedTtlMinutes('<rss><channel><item><ttl>1</ttl></item>')).toBeNull();
  });
});

describe('failures never touch stored items', () => {
  async function withStoredItems(name: string) {
    let answer: { status: number; headers?: Record<string, string>; body: string } = { status: 200, body: rss(TWO) };
    const url = upstream.route(path(name), (_req, res) => void res.writeHead(answer.status, answer.headers ?? {}).end(answer.body));
    const source = await addSource(url);
    await ingestSource(deps(), source.id);
    const before = await storedItems();
    return { source, before, answer: (a: typeof answer) => (answer = a) };
  }

  it.each([
    ['an HTML page', '<!doctype html><html><body>خطا</body></html>'],
    ['XML that is not a feed', '<?xml version="1.0"?><note><to>x</to></note>'],
    ['broken JSON', '{"version": "https://jsonfeed.org/version/1.1", "items": [ {'],
    ['an empty body', ''],
  ])('a malformed feed (%s) is an error and leaves every item as it was', async (_, body) => {
    const { source, before, answer } = await withStoredItems('malformed');
    answer({ status: 200, body });
    advance(61 * MINUTE);
    const result = await ingestSource(deps(), source.id);
    expect(result.status).toBe('error');
    expect(result.error).toMatch(/^ingest: source \d+ sent nothing Chapar can read as a feed \(parse: .*\); will retry at /);
    expect(await storedItems()).toEqual(before);
    const stored = (await repos.sources.byId(source.id))!;
    expect(stored).toMatchObject({ state: 'active', lastStatus: 'error', errorCount: 1, lastError: result.error, lastErrorAt: clock });
    expect(stored.bodyHash).not.toBeNull();
  });

  it('a truncated feed stores what it holds and drops nothing', async () => {
    const { source, before, answer } = await withStoredItems('truncated');
    answer({ status: 200, body: rss(TWO).slice(0, rss(TWO).indexOf('<item>') + 20) });
    await ingestSource(deps(), source.id);
    const after = await storedItems();
    for (const item of before) expect(after).toContainEqual(item);
  });

  it('backs off exponentially on errors, keeps items, and says when it retries', async () => {
    const { source, before, answer } = await withStoredItems('failing');
    answer({ status: 500, body: 'oops' });
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      const result = await ingestSource(deps(), source.id);
      expect(result.status).toBe('error');
      expect(result.error).toMatch(/^ingest: source \d+: fetch: .* answered 500; will retry at \d{4}-/);
      delays.push((result.nextCheckAt!.getTime() - clock.getTime()) / MINUTE);
    }
    expect(delays).toEqual([120, 240, 480]);
    expect(await storedItems()).toEqual(before);
    expect((await repos.sources.byId(source.id))!.errorCount).toBe(3);
  });

  it('an unreachable upstream is an error too', async () => {
    const source = await addSource('http://127.0.0.1:9/feed');
    const result = await ingestSource(deps(), source.id);
    expect(result.status).toBe('error');
    expect(result.error).toMatch(/could not be reached/);
  });

  it('refuses a private address unless allowed', async () => {
    const url = upstream.serve(path('private'), 200, {}, rss(TWO));
    const source = await addSource(url);
    const result = await ingestSource(deps({ allowPrivate: false }), source.id);
    expect(result.status).toBe('error');
    expect(result.error).toMatch(/refusing .*CHAPAR_FETCH_ALLOW_PRIVATE/);
    expect(upstream.seen).toHaveLength(0);
  });

  it('disables a source after the configured number of failures in a row, and a success clears the count', async () => {
    const { source, answer } = await withStoredItems('disabling');
    answer({ status: 502, body: '' });
    for (let i = 1; i <= 3; i++) await ingestSource(deps({ maxErrors: 3 }), source.id);
    let stored = (await repos.sources.byId(source.id))!;
    expect(stored).toMatchObject({ state: 'disabled', errorCount: 3, nextCheckAt: null });
    expect(stored.lastError).toMatch(/disabled after 3 failures in a row, PATCH it with \{"state":"active"\}/);
    advance(48 * 60 * MINUTE);
    expect(await repos.sources.due(10)).toEqual([]);
    await repos.sources.update(source.id, { state: 'active' });
    expect((await repos.sources.byId(source.id))!.errorCount).toBe(0);
    answer({ status: 200, body: rss(TWO) });
    expect((await ingestSource(deps({ maxErrors: 3 }), source.id)).status).toBe('not-modified');
    stored = (await repos.sources.byId(source.id))!;
    expect(stored).toMatchObject({ state: 'active', errorCount: 0, lastStatus: 'not-modified' });
  });

  it('honours Retry-After on 429, never polling sooner than the interval', async () => {
    const { source, before, answer } = await withStoredItems('limited');
    answer({ status: 429, headers: { 'retry-after': '7200' }, body: '' });
    const late = await ingestSource(deps(), source.id);
    expect(late).toMatchObject({ status: 'retry-later', new: 0 });
    expect(late.nextCheckAt).toEqual(new Date(clock.getTime() + 120 * MINUTE));
    expect(late.error).toMatch(/^ingest: source \d+ \(.*\) answered 429 and asked to come back after .*; will retry at /);
    answer({ status: 503, headers: { 'retry-after': '30' }, body: '' });
    const soon = await ingestSource(deps(), source.id);
    expect(soon.status).toBe('retry-later');
    expect(soon.nextCheckAt).toEqual(new Date(clock.getTime() + 60 * MINUTE));
    expect(await storedItems()).toEqual(before);
  });

  it('marks a source gone on 410 and stops polling it', async () => {
    const { source, before, answer } = await withStoredItems('gone');
    answer({ status: 410, body: '' });
    const result = await ingestSource(deps(), source.id);
    expect(result.status).toBe('gone');
    expect(result.error).toMatch(/answered 410 Gone/);
    expect((await repos.sources.byId(source.id))!).toMatchObject({ state: 'gone', nextCheckAt: null, lastStatus: 'gone' });
    advance(7 * 24 * 60 * MINUTE);
    expect(await repos.sources.due(10)).toEqual([]);
    expect(await storedItems()).toEqual(before);
  });
});

describe('identity', () => {
  it('falls back from a missing or repeated guid to the link, then to a hash of title and date', async () => {
    let edit = '';
    const url = upstream.route(path('identity'), (_req, res) =>
      void res.writeHead(200).end(
        rss([
          { title: 'بی‌شناسه', link: 'https://news.example/a' },
          { title: 'تکراری یک', guid: 'same', link: 'https://news.example/b' },
          { title: 'تکراری دو', guid: 'same', link: 'https://news.example/c' },
          { title: 'بی‌نشانی', description: `بدون پیوند${edit}`, pubDate: 'Tue, 20 Aug 2024 01:00:00 GMT' },
          { title: 'پیوند مشترک یک', guid: 'shared', link: 'https://news.example/d?utm_source=x' },
          { title: 'پیوند مشترک دو', guid: 'shared', link: 'https://news.example/d' },
        ]),
      ),
    );
    const source = await addSource(url);
    expect(await ingestSource(deps(), source.id)).toMatchObject({ new: 6 });
    const guids = (await storedItems()).map((i) => i.guid).sort();
    expect(guids.slice(0, 3)).toEqual(['https://news.example/a', 'https://news.example/b', 'https://news.example/c']);
    expect(guids.slice(3).every((g) => g.startsWith('urn:chapar:'))).toBe(true);
    edit = ' (ویرایش)';
    expect(await ingestSource(deps(), source.id)).toMatchObject({ status: 'ok', new: 0, updated: 1, unchanged: 5 });
    expect(await storedItems()).toHaveLength(6);
  });

  it('withIdentityFallbacks keeps unique guids as they are', () => {
    const item = (guid: string | null, url: string | null): ParsedItem => ({ guid, url, title: 't', summary: null, content: null, author: null, categories: [], publishedAt: null, updatedAt: null });
    const out = withIdentityFallbacks([item('a', 'u1'), item('b', 'u1'), item(null, null)]);
    expect(out.map((i) => i.guid)).toEqual(['a', 'b', null]);
  });

  it('never brings back a deleted item', async () => {
    let extra = '';
    const url = upstream.route(path('tombstone'), (_req, res) => void res.writeHead(200).end(rss([TWO[0]!, { ...TWO[1]!, description: `متن دوم${extra}` }])));
    const source = await addSource(url);
    await ingestSource(deps(), source.id);
    const first = (await storedItems()).find((i) => i.guid === 'g1')!;
    expect(await repos.items.tombstone(first.id)).toBe(true);
    extra = '!';
    expect(await ingestSource(deps(), source.id)).toMatchObject({ status: 'ok', new: 0, updated: 1 });
    expect((await storedItems()).map((i) => i.guid)).toEqual(['g2']);
    expect(await repos.items.byId(first.id)).toBeNull();
  });
});

describe('categories', () => {
  it('maps labels to categories by name or alias across Persian spellings, and adds the source categories', async () => {
    const culture = await repos.categories.create({ slug: 'farhangi', name: 'فرهنگی' });
    const books = await repos.categories.create({ slug: 'ketab', name: 'کتاب و کتابخوانی', aliases: ['books'] });
    const org = await repos.categories.create({ slug: 'akhbar-sazman', name: 'اخبار سازمان' });
    const local = await repos.categories.create({ slug: 'local', name: 'محلی' });
    const url = upstream.serve(
      path('labels'),
      200,
      {},
      rss([
        { title: 'یک', guid: 'l1', categories: ['فرهنگي'] },
        { title: 'دو', guid: 'l2', categories: ['كتاب و كتابخواني', 'BOOKS'] },
        { title: 'سه', guid: 'l3', categories: ['اخبار\u200cسازمان', 'برچسب ناشناس'] },
      ]),
    );
    const source = await addSource(url, { categoryIds: [local.id] });
    await ingestSource(deps(), source.id);
    const bySlug = Object.fromEntries((await storedItems()).map((i) => [i.guid, i.categories.map((c) => c.slug).sort()]));
    expect(bySlug).toEqual({ l1: ['farhangi', 'local'], l2: ['ketab', 'local'], l3: ['akhbar-sazman', 'local'] });
    expect((await storedItems()).find((i) => i.guid === 'l3')!.labels).toEqual(['اخبار\u200cسازمان', 'برچسب ناشناس']);
    expect([culture.id, books.id, org.id]).toHaveLength(3);
  });

  it('applies rules on normalised text, and a new rule reaches items still in the feed at the next change', async () => {
    const politics = await repos.categories.create({ slug: 'siasi', name: 'سیاسی' });
    const sport = await repos.categories.create({ slug: 'varzeshi', name: 'ورزشی' });
    await repos.rules.create({ categoryId: politics.id, field: 'title', op: 'contains', value: 'مجلس ایران' });
    let bump = '';
    const url = upstream.route(path('rules'), (_req, res) =>
      void res.writeHead(200).end(
        rss([
          { title: 'جلسه مجلس ايران', guid: 'r1', link: 'https://news.example/politics/1' },
          { title: 'فوتبال', guid: 'r2', link: `https://news.example/%D9%88%D8%B1%D8%B2%D8%B4/2`, description: `گزارش${bump}` },
        ]),
      ),
    );
    const source = await addSource(url);
    await ingestSource(deps(), source.id);
    let cats = Object.fromEntries((await storedItems()).map((i) => [i.guid, i.categories.map((c) => c.slug)]));
    expect(cats).toEqual({ r1: ['siasi'], r2: [] });
    await repos.rules.create({ categoryId: sport.id, field: 'url', op: 'regex', value: '/ورزش/\\d+$' });
    bump = '.';
    expect(await ingestSource(deps(), source.id)).toMatchObject({ updated: 1, unchanged: 1 });
    cats = Object.fromEntries((await storedItems()).map((i) => [i.guid, i.categories.map((c) => c.slug)]));
    expect(cats).toEqual({ r1: ['siasi'], r2: ['varzeshi'] });
  });
});

describe('leases', () => {
  it('lets only one of two concurrent ingests of a source fetch it', async () => {
    const url = upstream.route(path('slow'), async (_req, res) => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      res.writeHead(200).end(rss(TWO));
    });
    const source = await addSource(url);
    const results = await Promise.all([ingestSource(deps(), source.id), ingestSource(deps(), source.id)]);
    expect(results.map((r) => r.status).sort()).toEqual(['busy', 'ok']);
    expect(upstream.seen.filter((s) => s.path.startsWith('/slow'))).toHaveLength(1);
    expect((await repos.sources.byId(source.id))!.leaseUntil).toBeNull();
  });

  it('takes over a lease its holder let expire', async () => {
    const url = upstream.serve(path('expired'), 200, {}, rss(TWO));
    const source = await addSource(url);
    expect(await repos.sources.lease(source.id, 'crashed', 5 * MINUTE)).not.toBeNull();
    expect((await ingestSource(deps(), source.id)).status).toBe('busy');
    advance(6 * MINUTE);
    expect((await ingestSource(deps(), source.id)).status).toBe('ok');
  });

  it('answers NotFoundError for an unknown source', async () => {
    await expect(ingestSource(deps(), 999)).rejects.toThrow('ingest: no source 999');
  });
});

describe('HTML sources', () => {
  it('go through the same store: new articles only, labels to categories, validators kept, failures recorded', async () => {
    const farhangi = await repos.categories.create({ slug: 'farhangi', name: 'فرهنگی' });
    const base = path('site');
    const article = (n: number) =>
      `<html><body><h1>مقاله ${n}</h1><span class="date">سه شنبه, ۲۸ مرداد ۱۳۹۳ ۰۲:۴۴</span><div class="body"><p>متن ${n}</p></div><a class="tag">فرهنگي</a></body></html>`;
    let links = [1];
    let listingStatus = 200;
    upstream.serve('/robots.txt', 404);
    const listing = upstream.route(`${base}/news`, (req, res) => {
      if (listingStatus !== 200) return void res.writeHead(listingStatus).end();
      if (req.headers['if-none-match'] === `"${links.join()}"`) return void res.writeHead(304).end();
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', etag: `"${links.join()}"` }).end(`<html><body>${links.map((n) => `<a class="item" href="${base}/news/${n}">${n}</a>`).join('')}</body></html>`);
    });
    for (const n of [1, 2]) upstream.serve(`${base}/news/${n}`, 200, { 'content-type': 'text/html; charset=utf-8' }, article(n));
    const source = await addSource(listing, {
      kind: 'html',
      options: { delayMs: 0, selectors: { item: 'a.item', title: 'h1', date: '.date', content: 'div.body', categories: 'a.tag' } },
    });

    expect(await ingestSource(deps(), source.id)).toMatchObject({ status: 'ok', new: 1 });
    const [first] = await storedItems();
    expect(first).toMatchObject({ title: 'مقاله 1', url: `${upstream.origin}${base}/news/1`, categories: [{ slug: farhangi.slug }] });
    expect(first!.publishedAt.toISOString()).toBe('2014-08-18T22:14:00.000Z');
    expect((await repos.sources.byId(source.id))!.etag).toBe('"1"');

    advance(61 * MINUTE);
    expect(await ingestSource(deps(), source.id)).toMatchObject({ status: 'not-modified' });
    links = [2, 1];
    advance(61 * MINUTE);
    expect(await ingestSource(deps(), source.id)).toMatchObject({ status: 'ok', new: 1, updated: 0 });
    expect((await storedItems()).map((i) => i.title).sort()).toEqual(['مقاله 1', 'مقاله 2']);

    listingStatus = 503;
    advance(61 * MINUTE);
    expect(await ingestSource(deps(), source.id)).toMatchObject({ status: 'retry-later' });
    expect(await storedItems()).toHaveLength(2);
  });
});
