import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { createRepos, type Repos } from '../../src/db/repos/index.ts';
import { openSqlite } from '../../src/db/sqlite.ts';
import { exportOpml, importOpml, parseOpml, slugFor, writeOpml } from '../../src/ingest/opml.ts';

const NOW = new Date('2024-08-20T06:00:00Z');
let database: Database;
let repos: Repos;
beforeEach(() => {
  database = openSqlite(':memory:');
  repos = createRepos(database, () => NOW);
});
afterEach(() => database.close());

describe('parseOpml', () => {
  it('reads feed outlines with their folder and category attribute, at any depth', () => {
    const opml = `<?xml version="1.0" encoding="UTF-8"?>
      <opml version="2.0"><head><title>خوراک‌ها</title></head><body>
        <outline text="اخبار">
          <outline text="داخلی" title="داخلی">
            <outline type="rss" text="ایرنا" xmlUrl="https://irna.example/rss" htmlUrl="https://irna.example/"/>
          </outline>
          <outline type="rss" text="ایسنا &amp; شرکا" xmlUrl="https://isna.example/rss" category="/news/politics, /sport/"/>
        </outline>
        <outline type="rss" text="بی‌پوشه" xmlURL="https://loose.example/feed"/>
        <outline text="پوشه خالی"/>
      </body></opml>`;
    expect(parseOpml(opml).entries).toEqual([
      { url: 'https://irna.example/rss', title: 'ایرنا', siteUrl: 'https://irna.example/', labels: ['داخلی'] },
      { url: 'https://isna.example/rss', title: 'ایسنا & شرکا', siteUrl: null, labels: ['politics', 'sport'] },
      { url: 'https://loose.example/feed', title: 'بی‌پوشه', siteUrl: null, labels: [] },
    ]);
  });

  it('learns category names from folders that declare their slug', () => {
    const opml = `<opml version="2.0"><body>
      <outline text="صنفی" category="/senfi"><outline xmlUrl="https://a.example/feed"/></outline>
      <outline text="اخبار" category="/akhbar"/>
    </body></opml>`;
    const doc = parseOpml(opml);
    expect(doc.entries[0]!.labels).toEqual(['senfi']);
    expect([...doc.names]).toEqual([
      ['senfi', 'صنفی'],
      ['akhbar', 'اخبار'],
    ]);
  });

  it('never expands entities a DOCTYPE declares (no XXE, no billion laughs)', () => {
    const opml = `<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd"><!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
      <opml version="2.0"><body><outline text="&x;&b;" xmlUrl="https://a.example/feed"/></body></opml>`;
    const [entry] = parseOpml(opml).entries;
    expect(entry!.url).toBe('https://a.example/feed');
    expect(entry!.title ?? '').not.toContain('root:');
    expect((entry!.title ?? '').length).toBeLessThan(50);
  });

  it.each(['', 'not xml', '<rss version="2.0"><channel/></rss>'])('refuses %j as not OPML', (text) => {
    expect(() => parseOpml(text)).toThrow(/not an OPML document/);
  });
});

describe('slugFor', () => {
  it.each([
    ['senfi', 'senfi'],
    ['World News', 'world-news'],
    ['Café', 'cafe'],
    ['اخبار', expect.stringMatching(/^c-[0-9a-z]+$/)],
  ])('%s → %s', (label, slug) => {
    expect(slugFor(label)).toEqual(slug);
  });
  it('gives Persian spelling variants one slug', () => {
    expect(slugFor('کتاب')).toBe(slugFor('كتاب'));
  });
});

describe('importOpml', () => {
  it('matches labels to existing categories by slug, name or alias, creating the missing ones', async () => {
    const books = await repos.categories.create({ slug: 'ketab', name: 'کتاب', aliases: ['books'] });
    const opml = `<opml version="2.0"><body>
      <outline text="كتاب"><outline xmlUrl="https://a.example/feed" text="A"/></outline>
      <outline text="Books"><outline xmlUrl="https://b.example/feed" text="B"/></outline>
      <outline xmlUrl="https://c.example/feed" text="C" category="/ketab,/tech"/>
      <outline text="هنر"><outline xmlUrl="https://d.example/feed" text="D"/><outline xmlUrl="https://e.example/feed" text="E"/></outline>
    </body></opml>`;
    const progress: string[] = [];
    const report = await importOpml(repos, opml, { allowPrivate: false, onProgress: (done, total, line) => progress.push(`${done}/${total} ${line.status}`) });
    expect(report).toMatchObject({ created: 5, existing: 0, failed: 0 });
    expect(report.categoriesCreated).toEqual(['tech', slugFor('هنر')]);
    expect(progress).toEqual(['1/5 created', '2/5 created', '3/5 created', '4/5 created', '5/5 created']);
    const art = (await repos.categories.bySlug(slugFor('هنر')))!;
    expect(art.name).toBe('هنر');
    const byUrl = Object.fromEntries((await repos.sources.list()).map((s) => [s.url, s.categoryIds.sort()]));
    expect(byUrl).toEqual({
      'https://a.example/feed': [books.id],
      'https://b.example/feed': [books.id],
      'https://c.example/feed': [books.id, (await repos.categories.bySlug('tech'))!.id].sort(),
      'https://d.example/feed': [art.id],
      'https://e.example/feed': [art.id],
    });
  });

  it('skips sources it already has and reports bad or refused addresses without stopping', async () => {
    await repos.sources.create({ url: 'https://a.example/feed' });
    const opml = `<opml version="2.0"><body>
      <outline xmlUrl="https://a.example/feed"/>
      <outline xmlUrl="http://127.0.0.1/feed"/>
      <outline xmlUrl="file:///etc/passwd"/>
      <outline xmlUrl="relative/feed"/>
      <outline xmlUrl="https://b.example/feed"/>
      <outline xmlUrl="https://b.example/feed"/>
    </body></opml>`;
    const report = await importOpml(repos, opml, { allowPrivate: false });
    expect(report.sources.map((s) => s.status)).toEqual(['existing', 'failed', 'failed', 'failed', 'created', 'existing']);
    expect(report.sources[1]!.error).toMatch(/^fetch: refusing .*CHAPAR_FETCH_ALLOW_PRIVATE/);
    expect(report.sources[3]!.error).toMatch(/^opml: not an absolute URL/);
    expect(report).toMatchObject({ created: 1, existing: 2, failed: 3 });
  });
});

describe('round trip', () => {
  it('exports sources with their categories and imports them back into an empty database unchanged', async () => {
    const senfi = await repos.categories.create({ slug: 'senfi', name: 'صنفی' });
    const org = await repos.categories.create({ slug: 'akhbar-sazman', name: 'اخبار "سازمان" & <شرکا>' });
    await repos.sources.create({ url: 'https://a.example/feed?x=1&y=2', title: 'الف', siteUrl: 'https://a.example/', categoryIds: [senfi.id, org.id] });
    await repos.sources.create({ url: 'https://b.example/feed', categoryIds: [org.id] });
    await repos.sources.create({ url: 'https://c.example/feed', title: 'بی‌دسته' });
    const opml = await exportOpml(repos, { title: 'Chapar', now: NOW });
    expect(opml).toContain('<dateCreated>Tue, 20 Aug 2024 06:00:00 GMT</dateCreated>');
    expect(opml).toContain('category="/senfi,/akhbar-sazman"');
    expect(opml).toContain('<outline text="صنفی" title="صنفی" category="/senfi">');

    const other = openSqlite(':memory:');
    try {
      const fresh = createRepos(other, () => NOW);
      const report = await importOpml(fresh, opml, { allowPrivate: false });
      expect(report).toMatchObject({ created: 3, failed: 0, categoriesCreated: ['senfi', 'akhbar-sazman'] });
      const categories = (await fresh.categories.list()).map((c) => [c.slug, c.name]);
      expect(categories).toEqual([
        ['senfi', 'صنفی'],
        ['akhbar-sazman', 'اخبار "سازمان" & <شرکا>'],
      ]);
      const slugs = new Map((await fresh.categories.list()).map((c) => [c.id, c.slug]));
      const sources = (await fresh.sources.list()).map((s) => ({ url: s.url, title: s.title, siteUrl: s.siteUrl, categories: s.categoryIds.map((id) => slugs.get(id)).sort() }));
      expect(sources).toEqual([
        { url: 'https://a.example/feed?x=1&y=2', title: 'الف', siteUrl: 'https://a.example/', categories: ['akhbar-sazman', 'senfi'] },
        { url: 'https://b.example/feed', title: null, siteUrl: null, categories: ['akhbar-sazman'] },
        { url: 'https://c.example/feed', title: 'بی‌دسته', siteUrl: null, categories: [] },
      ]);
      expect(await exportOpml(fresh, { title: 'Chapar', now: NOW })).toBe(opml);
    } finally {
      await other.close();
    }
  });

  it('writeOpml escapes attribute text', () => {
    const text = writeOpml({ title: 'a & b', now: NOW }, [{ url: 'https://x.example/?a=1&b=2', title: 'line\nbreak "q"', siteUrl: null, categories: [] }]);
    expect(text).toContain('xmlUrl="https://x.example/?a=1&#38;b=2"');
    expect(text).toContain('text="line&#10;break &#34;q&#34;"');
    expect(parseOpml(text).entries[0]).toMatchObject({ url: 'https://x.example/?a=1&b=2', title: 'line break "q"' });
  });
});
