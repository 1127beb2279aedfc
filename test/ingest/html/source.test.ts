import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { matchLabels } from '../../../src/core/categorise.ts';
import type { FetchOptions } from '../../../src/ingest/fetch.ts';
import type { Politeness } from '../../../src/ingest/html/polite.ts';
import { fetchHtmlItems, HostGate, RobotsCache, storedArticleUrls, type HtmlSource } from '../../../src/ingest/html/source.ts';
import { prepareItem } from '../../../src/ingest/prepare.ts';
import { seedCategoriesAndFeeds, testApp } from '../../helpers/app.ts';
import { asWindows1256Reads, encodeWindows1256, fixture, startSite, type Site } from './site.ts';

const NOW = new Date('2025-01-01T00:00:00Z');
const LISTING = '/index.php/k2-news';
const item = (id: string) => `/index.php/k2-news/item/${id}`;
const TITLE_1256 = 'افتتاح مرکز داده استان با حضور مدیران ارشد';

let site: Site;
const local: FetchOptions = { allowPrivate: true, now: () => NOW };

beforeAll(async () => {
  site = await startSite();
});
afterAll(() => site.close());

/** The seed's K2 site: a listing of three articles, one in windows-1256, one closed by robots.txt. */
function serveK2Site(opts: { robots?: string; etag?: string } = {}) {
  const here = (html: string) => html.replaceAll('http://news.example.ir', site.origin);
  const listing = here(fixture('k2-listing.html'));
  site.route(LISTING, (req, res) => {
    if (opts.etag && req.headers['if-none-match'] === opts.etag) return void res.writeHead(304, { etag: opts.etag }).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...(opts.etag ? { etag: opts.etag } : {}) }).end(listing);
  });
  const article = here(fixture('k2-article.html'));
  site.page(item('3643-meeting'), article);
  // An older article, as an older Joomla would serve it: windows-1256 bytes, charset only in <meta>.
  const legacy = article
    .replace('<meta http-equiv="content-type" content="text/html; charset=utf-8" />', '<meta http-equiv="Content-Type" content="text/html; charset=windows-1256" />')
    .replaceAll('نشست معاونان وزیر با فعالان ICT استان آذربایجان شرقی برگزار شد', TITLE_1256)
    .replace('سه شنبه, ۲۸ مرداد ۱۳۹۳ ۰۲:۴۴', 'دوشنبه, ۲۷ مرداد ۱۳۹۳ ۱۱:۱۰')
    .replace('<span class="itemExtraFieldsValue">3643</span>', '<span class="itemExtraFieldsValue">3642</span>');
  site.page(item('3642-data-center'), encodeWindows1256(legacy), { 'content-type': 'text/html' });
  site.page(item('3641-e-gov'), article.replaceAll('نشست معاونان', 'همایش'));
  site.page('/robots.txt', opts.robots ?? `User-agent: *\nDisallow: ${item('3641')}\n`, { 'content-type': 'text/plain' });
}

/** A gate that notes when it lets each request go, and with what politeness. */
class WatchedGate extends HostGate {
  starts: { url: string; at: number; delayMs: number; concurrency: number }[] = [];
  override run<T>(url: string, politeness: Politeness, task: () => Promise<T>): Promise<T> {
    return super.run(url, politeness, () => {
      this.starts.push({ url, at: performance.now(), ...politeness });
      return task();
    });
  }
}

const source = (over: Partial<HtmlSource> = {}): HtmlSource => ({ url: `${site.origin}${LISTING}`, options: { preset: 'k2', delayMs: 20 }, ...over });
const paths = () => site.requests.map((r) => r.path);

beforeEach(() => site.reset());

describe('fetching an HTML source', () => {
  it('reads the listing, follows new article links and extracts them with the K2 preset', async () => {
    serveK2Site();
    const result = await fetchHtmlItems(source(), { fetch: local });
    expect(result.outcome).toMatchObject({ kind: 'ok', status: 200 });
    expect(result.items.map((i) => i.url)).toEqual([`${site.origin}${item('3643-meeting')}`, `${site.origin}${item('3642-data-center')}`]);
    const [seed] = result.items;
    expect(seed).toMatchObject({ title: 'نشست معاونان وزیر با فعالان ICT استان آذربایجان شرقی برگزار شد', labels: ['صنفی', 'اخبار سازمان'], shortCode: '3643' });
    expect(seed?.publishedAt?.toISOString()).toBe('2014-08-18T22:14:00.000Z');
    expect(result.report).toMatchObject({ ok: true, problems: [], listing: { links: 3, known: 0, disallowed: 1, deferred: 0, status: 200 } });
  });

  it('decodes a windows-1256 article from its <meta charset>', async () => {
    serveK2Site();
    const legacy = (await fetchHtmlItems(source(), { fetch: local })).items[1];
    expect(legacy?.title).toBe(asWindows1256Reads(TITLE_1256));
    expect(legacy?.labels).toEqual([asWindows1256Reads('صنفی'), 'اخبار سازمان']);
    expect(legacy?.publishedAt?.toISOString()).toBe('2014-08-18T06:40:00.000Z');
    expect(legacy?.shortCode).toBe('3642');
  });

  it('honours robots.txt: a disallowed article is reported and never requested', async () => {
    serveK2Site();
    const result = await fetchHtmlItems(source(), { fetch: local });
    expect(result.report.articles.find((a) => a.status === 'disallowed')).toEqual({
      url: `${site.origin}${item('3641-e-gov')}`,
      status: 'disallowed',
      problems: ['robots.txt disallows /index.php/k2-news/item/3641-e-gov for Chapar'],
    });
    expect(paths()).not.toContain(item('3641-e-gov'));
    expect(paths().filter((p) => p === '/robots.txt')).toHaveLength(1);
  });

  it('refuses the whole source when robots.txt disallows its listing, and when robots.txt cannot be read', async () => {
    serveK2Site({ robots: 'User-agent: Chapar\nDisallow: /index.php\n\nUser-agent: *\nAllow: /\n' });
    const refused = await fetchHtmlItems(source(), { fetch: local });
    expect(refused.outcome).toMatchObject({ kind: 'error', message: 'html: robots.txt disallows /index.php/k2-news for Chapar' });
    expect(paths()).toEqual(['/robots.txt']);

    site.reset();
    serveK2Site();
    site.route('/robots.txt', (_req, res) => void res.writeHead(500).end());
    const unreadable = await fetchHtmlItems(source(), { fetch: local });
    expect(unreadable.outcome).toMatchObject({ kind: 'error', message: expect.stringMatching(/^html: robots.txt could not be read/) });
    expect(unreadable.items).toEqual([]);
  });

  it('reads everything when there is no robots.txt', async () => {
    serveK2Site();
    site.route('/robots.txt', (_req, res) => void res.writeHead(404).end());
    expect((await fetchHtmlItems(source(), { fetch: local })).items).toHaveLength(3);
  });

  it('is polite: one request at a time to the site, a pause between them', async () => {
    serveK2Site();
    const gate = new WatchedGate();
    await fetchHtmlItems(source({ options: { preset: 'k2', delayMs: 40 } }), { fetch: local, gate });
    expect(site.maxInFlight).toBe(1);
    // robots.txt, the listing, two articles: all through the gate, keyed by host.
    expect(gate.starts.map((s) => new URL(s.url).pathname)).toEqual([LISTING, LISTING, item('3643-meeting'), item('3642-data-center')]);
    expect(gate.starts.every((s) => s.delayMs === 40 && s.concurrency === 1)).toBe(true);
    // The gate reads a millisecond clock and timers may fire a little early; never a whole pause.
    for (let i = 1; i < gate.starts.length; i++) expect(gate.starts[i]!.at - gate.starts[i - 1]!.at).toBeGreaterThanOrEqual(35);
  });

  it('waits longer when robots.txt asks for a Crawl-delay', async () => {
    serveK2Site({ robots: 'User-agent: *\nCrawl-delay: 0.1\n' });
    const gate = new WatchedGate();
    await fetchHtmlItems(source({ options: { preset: 'k2', delayMs: 0, maxNewArticles: 1 } }), { fetch: local, gate });
    expect(gate.starts.slice(1).map((s) => s.delayMs)).toEqual([100, 100]);
  });

  it('shares one gate between sources on one site', async () => {
    serveK2Site();
    const gate = new HostGate();
    const robots = new RobotsCache();
    await Promise.all([fetchHtmlItems(source(), { fetch: local, gate, robots }), fetchHtmlItems(source(), { fetch: local, gate, robots })]);
    expect(site.maxInFlight).toBe(1);
    expect(paths().filter((p) => p === '/robots.txt')).toHaveLength(1);
  });

  it('reads only articles it has not stored, at most maxNewArticles, and then forgets the validators', async () => {
    serveK2Site({ etag: '"v1"' });
    const known = async (urls: string[]) => new Set(urls.filter((u) => u.endsWith('3643-meeting')));
    const capped = await fetchHtmlItems(source({ options: { preset: 'k2', delayMs: 0, maxNewArticles: 1 } }), { fetch: local, known });
    expect(capped.items.map((i) => i.shortCode)).toEqual(['3642']);
    expect(capped.report.listing).toMatchObject({ links: 3, known: 1, disallowed: 1, deferred: 0 });
    expect(paths()).not.toContain(item('3643-meeting'));
    expect(capped.validators).toEqual({ etag: '"v1"', lastModified: null });

    site.requests = [];
    const deferred = await fetchHtmlItems(source({ options: { preset: 'k2', delayMs: 0, maxNewArticles: 1 } }), { fetch: local, known: async () => new Set() });
    expect(deferred.items).toHaveLength(1);
    expect(deferred.report.listing.deferred).toBe(1);
    // The deferred article must not hide behind a 304 next time.
    expect(deferred.validators).toBeNull();
  });

  it('sends the listing’s validators and stops at a 304', async () => {
    serveK2Site({ etag: '"v1"' });
    const result = await fetchHtmlItems(source({ etag: '"v1"' }), { fetch: local });
    expect(result.outcome).toMatchObject({ kind: 'not-modified', status: 304 });
    expect(result.validators).toEqual({ etag: '"v1"', lastModified: null });
    expect(result.items).toEqual([]);
    expect(paths()).toEqual(['/robots.txt', LISTING]);
  });

  it('reports a listing that cannot be fetched like a feed fetch would', async () => {
    const result = await fetchHtmlItems(source(), { fetch: local });
    expect(result.outcome).toMatchObject({ kind: 'error', status: 404 });
    expect(result.report.listing.status).toBe(404);
  });
});

describe('selectors that match nothing', () => {
  it('on the listing: a per-field report, an error outcome, nothing fetched or created', async () => {
    serveK2Site();
    const result = await fetchHtmlItems(source({ options: { preset: 'k2', delayMs: 0, selectors: { item: '.no-such-list a' } } }), { fetch: local });
    expect(result.items).toEqual([]);
    expect(result.report.problems).toEqual([{ field: 'selectors.item', message: 'matched nothing on the listing page (".no-such-list a")' }]);
    expect(result.outcome).toMatchObject({ kind: 'error', message: expect.stringContaining('selectors.item matched nothing on the listing page') });
    expect(result.report.fields.find((f) => f.field === 'item')).toMatchObject({ status: 'missing', from: 'explicit', found: 0, pages: 1 });
    expect(paths()).toEqual(['/robots.txt', LISTING]);
    expect(result.validators).toBeNull();
  });

  it('on the articles: every article read, none created, the field named', async () => {
    serveK2Site();
    const result = await fetchHtmlItems(source({ options: { preset: 'k2', delayMs: 0, selectors: { title: 'h1.headline' } } }), { fetch: local });
    expect(result.items).toEqual([]);
    expect(result.report.problems).toEqual([{ field: 'selectors.title', message: 'found on none of 2 articles: matched nothing ("h1.headline")' }]);
    expect(result.report.articles.filter((a) => a.status === 'skipped')).toHaveLength(2);
  });

  it('a written date selector that finds nothing stores nothing; a preset one that misses only warns', async () => {
    serveK2Site();
    const written = await fetchHtmlItems(source({ options: { preset: 'k2', delayMs: 0, selectors: { date: '.published' } } }), { fetch: local });
    expect(written.items).toEqual([]);
    expect(written.report.problems.map((p) => p.field)).toEqual(['selectors.date']);

    const preset = await fetchHtmlItems(source({ options: { preset: 'k2', delayMs: 0, selectors: { author: '.by' } } }), { fetch: local });
    expect(preset.items).toHaveLength(2);
    expect(preset.report.fields.find((f) => f.field === 'author')).toMatchObject({ status: 'missing', message: expect.stringContaining('found on none of 2 articles') });
  });

  it('invalid options: an error outcome naming them, nothing fetched', async () => {
    const result = await fetchHtmlItems(source({ options: { selectors: { title: 'h1' } } }), { fetch: local });
    expect(result.outcome).toMatchObject({ kind: 'error', message: expect.stringMatching(/^html: the source's options are invalid: options.selectors.item is required/) });
    expect(site.requests).toEqual([]);
  });
});

describe('malformed pages', () => {
  it('an article cut off before its body, or without a title, is skipped and reported; the rest are stored', async () => {
    serveK2Site();
    const article = fixture('k2-article.html').replaceAll('http://news.example.ir', site.origin);
    site.page(item('3643-meeting'), article.slice(0, article.indexOf('<div class="itemBody">') + 30));
    site.page(item('3642-data-center'), article.replace(/<h2 class="itemTitle">[\s\S]*?<\/h2>/, ''));
    site.route('/robots.txt', (_req, res) => void res.writeHead(404).end());
    const result = await fetchHtmlItems(source(), { fetch: local });
    expect(result.items.map((i) => i.url)).toEqual([`${site.origin}${item('3641-e-gov')}`]);
    expect(result.report.articles.slice(0, 2)).toEqual([
      { url: `${site.origin}${item('3643-meeting')}`, status: 'skipped', problems: ['content: matched only empty elements'] },
      { url: `${site.origin}${item('3642-data-center')}`, status: 'skipped', problems: ['title: matched nothing (".itemView .itemTitle" or "h2.itemTitle" or "h1.itemTitle")'] },
    ]);
    expect(result.outcome.kind).toBe('ok');
    expect(result.report.ok).toBe(false);
  });

  it('an article that fails to load is retried next time: no validators kept', async () => {
    serveK2Site({ etag: '"v1"' });
    site.route(item('3642-data-center'), (_req, res) => void res.writeHead(500).end());
    const result = await fetchHtmlItems(source(), { fetch: local });
    expect(result.items).toHaveLength(1);
    expect(result.report.articles[1]).toMatchObject({ status: 'failed', problems: [expect.stringContaining('answered 500')] });
    expect(result.validators).toBeNull();
  });
});

describe('into the store', () => {
  it('goes through prepare → categorise → store keyed on the article URL, keeping the upstream short code', async () => {
    serveK2Site();
    const t = await testApp({ now: () => NOW });
    try {
      await seedCategoriesAndFeeds(t);
      const stored = await t.repos.sources.create({ url: `${site.origin}${LISTING}`, kind: 'html', options: { preset: 'k2', delayMs: 0 } });
      const categories = await t.repos.categories.list({ limit: 100 });
      const deps = { fetch: local, known: storedArticleUrls(t.repos, stored.id), robots: new RobotsCache() };
      const store = async () => {
        const { items } = await fetchHtmlItems(stored, deps);
        const prepared = items.map((raw) => prepareItem(raw, { sourceId: stored.id, categoryIds: matchLabels(raw.labels ?? [], categories), baseUrl: raw.url ?? null, now: NOW }));
        return t.repos.items.upsert(prepared);
      };

      const first = await store();
      expect(first.map((r) => [r.outcome, r.shortCode])).toEqual([['new', '3643'], ['new', '3642']]);
      const seed = await t.repos.items.byId(first[0]!.id);
      expect(seed).toMatchObject({ guid: `${site.origin}${item('3643-meeting')}`, url: `${site.origin}${item('3643-meeting')}`, shortCode: '3643' });
      expect(seed?.categories.map((c) => c.slug).sort()).toEqual(['akhbar-sazman', 'senfi']);
      expect(seed?.publishedAt.toISOString()).toBe('2014-08-18T22:14:00.000Z');
      expect((await t.get('/s/3643')).headers.get('location')).toBe(`${site.origin}${item('3643-meeting')}`);

      site.requests = [];
      expect(await store()).toEqual([]);
      expect(paths()).toEqual([LISTING]);
    } finally {
      await t.close();
    }
  });
});
