/**
 * The outside contract (CONTRACT.md), written once and run on every runtime:
 * test/contract/node.test.ts (better-sqlite3) and test/workers/contract.test.ts (workerd + D1).
 * Only requests and responses cross this line, so a test here cannot lean on either runtime.
 *
 * To add a case, add an `it` below: set up state through the admin API (`api`, bearer TOKEN),
 * assert on status, headers and parsed bodies (`get`). No repositories, no database, no node:*
 * imports: the same file is loaded inside workerd. Each test gets a fresh, empty database.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

export const BASE_URL = 'https://chapar.test';
export const TOKEN = 'contract-admin-token-0123456789';

export interface ContractApp {
  fetch(request: Request): Promise<Response>;
  close(): Promise<void>;
}

/** A fresh app over an empty, migrated database whose one admin token is TOKEN, and no config. */
export type ContractTarget = () => Promise<ContractApp>;

interface Problem {
  status: number;
  title: string;
  errors?: { field: string }[];
}

export function contractSuite(target: ContractTarget) {
  let app: ContractApp;
  beforeEach(async () => {
    app = await target();
  });
  afterEach(() => app.close());

  const get = (path: string, headers: Record<string, string> = {}) => app.fetch(new Request(`${BASE_URL}${path}`, { headers }));
  const api = (path: string, body?: unknown, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) =>
    app.fetch(
      new Request(`${BASE_URL}/api/v1${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    );
  const created = async (path: string, body: unknown) => {
    const res = await api(path, body);
    expect(res.status, `POST ${path}: ${res.status}`).toBe(201);
    return res.json() as Promise<Record<string, unknown>>;
  };

  async function seed() {
    await created('/categories', { slug: 'senfi', name: 'صنفی', aliases: ['guild'] });
    await created('/categories', { slug: 'akhbar-sazman', name: 'اخبار سازمان' });
    await created('/feeds', { slug: 'senfi', title: 'صنفی', language: 'fa', filter: { categories: ['senfi'] } });
    await created('/feeds', { slug: 'all', title: 'همه', language: 'fa' });
    await created('/items', [
      { guid: 'g-1', title: 'نشست صنفی', url: 'https://news.example/1', publishedAt: '2024-01-01T10:00:00Z', categories: ['senfi'], shortCode: '3643' },
      { guid: 'g-2', title: 'خبر سازمان', url: 'https://news.example/2', publishedAt: '2024-01-02T10:00:00Z', categories: ['akhbar-sazman'] },
    ]);
  }

  describe('health', () => {
    it('GET /healthz answers 200 {"status":"ok"} once the database answers', async () => {
      const res = await get('/healthz');
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ok' });
    });
  });

  describe('admin API', () => {
    it.each([
      ['no Authorization header', {}],
      ['a wrong token', { authorization: 'Bearer not-the-admin-token' }],
    ])('answers 401 with a problem document to %s, and writes nothing', async (_, headers) => {
      const res = await api('/categories', { slug: 'x', name: 'x' }, headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      const list = (await (await api('/categories')).json()) as { items: unknown[] };
      expect(list.items).toEqual([]);
    });

    it('creates categories, feeds and items with a bearer token', async () => {
      await seed();
      const categories = (await (await api('/categories')).json()) as { items: { slug: string }[] };
      expect(categories.items.map((c) => c.slug)).toEqual(['senfi', 'akhbar-sazman']);
      const feed = (await (await api('/feeds/senfi')).json()) as { slug: string; filter: unknown };
      expect(feed).toMatchObject({ slug: 'senfi', filter: { categories: ['senfi'] } });
      const pushed = await created('/items', { title: 'تازه', url: 'https://news.example/3', categories: ['senfi'] });
      expect(pushed).toMatchObject({ items: [{ status: 'new', shortUrl: expect.stringMatching(`^${BASE_URL}/s/`) }] });
    });

    it('answers 409 on a slug clash and 422 naming a bad field', async () => {
      await created('/categories', { slug: 'senfi', name: 'صنفی' });
      expect((await api('/categories', { slug: 'senfi', name: 'دیگر' })).status).toBe(409);
      const bad = await api('/categories', { slug: 'Bad Slug', name: 'x' });
      expect(bad.status).toBe(422);
      expect(((await bad.json()) as Problem).errors?.map((e) => e.field)).toContain('slug');
    });
  });

  describe('published feeds', () => {
    beforeEach(seed);

    it.each([
      ['rss', 'application/rss+xml; charset=utf-8', /<rss version="2\.0"/],
      ['atom', 'application/atom+xml; charset=utf-8', /<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom"/],
      ['json', 'application/feed+json; charset=utf-8', /"version":\s*"https:\/\/jsonfeed\.org\/version\/1\.1"/],
    ])('serves /feeds/all.%s as %s, newest first, with a self link and an ETag', async (format, contentType, marker) => {
      const res = await get(`/feeds/all.${format}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(contentType);
      expect(res.headers.get('etag')).toBeTruthy();
      const body = await res.text();
      expect(body).toMatch(marker);
      expect(body.indexOf('خبر سازمان')).toBeLessThan(body.indexOf('نشست صنفی'));
      expect(body).toContain(`${BASE_URL}/feeds/all.${format}`);
    });

    it('a category feed holds only its category, and a query narrows it', async () => {
      const titles = async (path: string) => ((await (await get(path)).json()) as { items: { title: string }[] }).items.map((i) => i.title);
      expect(await titles('/feeds/senfi.json')).toEqual(['نشست صنفی']);
      expect(await titles('/feeds/all.json?category=akhbar-sazman')).toEqual(['خبر سازمان']);
      expect(await titles('/feeds/senfi.json?category=akhbar-sazman')).toEqual([]);
    });

    it('answers 304 to a matching If-None-Match', async () => {
      const etag = (await get('/feeds/all.atom')).headers.get('etag')!;
      expect((await get('/feeds/all.atom', { 'if-none-match': etag })).status).toBe(304);
    });

    it.each(['limit=0', 'limit=abc', 'since=yesterday', 'category=NOT%20A%20SLUG'])('answers ?%s with a 400 problem document', async (query) => {
      const res = await get(`/feeds/all.rss?${query}`);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(((await res.json()) as Problem).status).toBe(400);
    });

    it('answers an unknown feed with a 404 problem document', async () => {
      const res = await get('/feeds/nope.rss');
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    });
  });

  describe('short links', () => {
    beforeEach(seed);

    it('GET /s/:code redirects 302 to the stored URL', async () => {
      const res = await get('/s/3643');
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('https://news.example/1');
    });

    it('an unknown code is a 404 without Location', async () => {
      const res = await get('/s/99999');
      expect(res.status).toBe(404);
      expect(res.headers.get('location')).toBeNull();
    });
  });
}
