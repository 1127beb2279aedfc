import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readConfigDir } from '../../src/admin/config/files.ts';
import { configJsonSchema } from '../../src/admin/config/schema.ts';
import { ConfigError, syncConfig, type ConfigDocument } from '../../src/admin/config/sync.ts';
import { BASE_URL, testApp, type TestApp } from '../helpers/app.ts';

const NOW = new Date('2026-11-28T12:00:00Z');
let t: TestApp;
let demo: ConfigDocument[];
beforeEach(async () => {
  t = await testApp();
  demo = await readConfigDir(new URL('../../feeds', import.meta.url).pathname);
});
afterEach(() => t.close());

const counts = async () => ({
  categories: (await t.repos.categories.list()).length,
  feeds: (await t.repos.feeds.list()).length,
  items: (await t.repos.items.list([], { limit: 100 })).length,
});

describe('the demo config in feeds/', () => {
  it('declares the guild, organisation-news and all-items feeds', async () => {
    await syncConfig(t.repos, demo, NOW);
    expect((await t.repos.feeds.list()).map((f) => f.slug)).toEqual(expect.arrayContaining(['senfi', 'akhbar-sazman', 'all']));
    expect((await t.repos.categories.list()).map((c) => c.name)).toEqual(expect.arrayContaining(['صنفی', 'اخبار سازمان']));
  });

  it('holds the seed article under both categories, dated 2014-08-18T22:14Z, with short code 3643', async () => {
    await syncConfig(t.repos, demo, NOW);
    const items = await t.repos.items.list([{ search: ['نشست معاونان وزیر'] }], { limit: 10 });
    expect(items).toHaveLength(1);
    const seed = items[0]!;
    expect(seed.title).toBe('نشست معاونان وزیر با فعالان ICT استان آذربایجان شرقی برگزار شد');
    expect(seed.publishedAt.toISOString()).toBe('2014-08-18T22:14:00.000Z');
    expect(seed.shortCode).toBe('3643');
    expect(seed.categories.map((c) => c.name).sort()).toEqual(['اخبار سازمان', 'صنفی'].sort());
    const redirect = await t.get('/s/3643');
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe(`${BASE_URL}/items/${seed.id}`);
  });

  it('is applied idempotently: a second sync duplicates nothing', async () => {
    const first = await syncConfig(t.repos, demo, NOW);
    const after = await counts();
    const second = await syncConfig(t.repos, demo, new Date(NOW.getTime() + 3600e3));
    expect(await counts()).toEqual(after);
    expect(second.created).toBe(0);
    expect(second.updated).toBe(0);
    expect(second.items.new).toBe(0);
    expect(second.items.unchanged).toBe(first.items.new);
  });

  it('has a JSON schema in feeds/ that matches the code', () => {
    const committed = JSON.parse(readFileSync(new URL('../../feeds/chapar.schema.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(configJsonSchema())));
  });
});

describe('config files', () => {
  const doc = (data: unknown, file = 'x.json'): ConfigDocument => ({ file, data });

  it('updates objects the files own when the file changes', async () => {
    await syncConfig(t.repos, [doc({ categories: [{ slug: 'a', name: 'الف' }] })], NOW);
    const report = await syncConfig(t.repos, [doc({ categories: [{ slug: 'a', name: 'الف', description: 'تازه' }] })], NOW);
    expect(report.updated).toBe(1);
    expect((await t.repos.categories.bySlug('a'))!.description).toBe('تازه');
  });

  it('reports a conflict with an API change and does not overwrite it', async () => {
    await syncConfig(t.repos, [doc({ categories: [{ slug: 'a', name: 'الف' }] })], NOW);
    await t.api('/categories/a', { method: 'PATCH', body: { name: 'تغییر از API' } });
    const report = await syncConfig(t.repos, [doc({ categories: [{ slug: 'a', name: 'الف' }] })], NOW);
    expect(report.conflicts).toEqual([expect.stringContaining('category "a"')]);
    expect((await t.repos.categories.bySlug('a'))!.name).toBe('تغییر از API');
  });

  it('names the file and the field of a malformed entry, and applies nothing', async () => {
    const good = doc({ categories: [{ slug: 'ok', name: 'خوب' }] }, '00-good.json');
    const bad = doc({ feeds: [{ slug: 'f', title: 'F', filter: { categories: ['missing'] } }, { slug: 'BAD', title: '' }] }, '10-bad.json');
    const error = await syncConfig(t.repos, [good, bad], NOW).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.map((p) => p.field);
    expect(problems).toEqual(expect.arrayContaining(['10-bad.json: feeds.1.slug', '10-bad.json: feeds.1.title']));
    expect((error as Error).message).toMatch(/^config: 10-bad\.json: feeds\.1\./);
    expect(await counts()).toEqual({ categories: 0, feeds: 0, items: 0 });
  });

  it('refuses a reference to a category no file or database has', async () => {
    const error = await syncConfig(t.repos, [doc({ feeds: [{ slug: 'f', title: 'F', filter: { categories: ['missing'] } }] })], NOW).catch((e: unknown) => e);
    expect((error as ConfigError).problems).toEqual([{ field: 'x.json: feeds.0.filter.categories', message: 'no category "missing"' }]);
  });

  it('refuses unknown keys, so typos do not pass silently', async () => {
    const error = await syncConfig(t.repos, [doc({ categorys: [] })], NOW).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('x.json');
  });
});

describe('sources in config files', () => {
  const doc = (data: unknown, file = 's.json'): ConfigDocument => ({ file, data });

  it('takes the sources API shape, HTML sources with presets included, and applies it idempotently', async () => {
    const config = doc({
      categories: [{ slug: 'senfi', name: 'صنفی' }],
      sources: [
        { url: 'https://news.example/rss', categories: ['senfi'], charset: 'windows-1256', intervalMinutes: 30 },
        { url: 'https://news.example/fa/news', kind: 'html', options: { preset: 'k2' }, categories: ['senfi'] },
      ],
    });
    await syncConfig(t.repos, [config], NOW);
    const sources = await t.repos.sources.list();
    expect(sources.map((s) => [s.url, s.kind])).toEqual([
      ['https://news.example/rss', 'feed'],
      ['https://news.example/fa/news', 'html'],
    ]);
    const again = await syncConfig(t.repos, [config], NOW);
    expect(again.created).toBe(0);
    expect(again.updated).toBe(0);
  });

  it('names a bad HTML option by file and field', async () => {
    const error = await syncConfig(t.repos, [doc({ sources: [{ url: 'https://news.example/x', kind: 'html', options: { preset: 'nope' } }] })], NOW).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems[0]!.field).toMatch(/^s\.json: sources\.0\.options/);
  });
});
