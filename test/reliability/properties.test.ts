import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDate, parseQueryDate } from '../../src/core/dates.ts';
import { normaliseKey } from '../../src/core/persian.ts';
import { seedCategoriesAndFeeds, testApp, type TestApp } from '../helpers/app.ts';

/** Text that looks like what reaches Chapar: Persian, Arabic variants, digits, markup, controls. */
const persianish = fc.string({
  unit: fc.constantFrom(...'آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیيكىة۰۱۲۳۴۵۶۷۸۹٠١٢0123456789 \u200c\u200f\u064bـ:/-,.&<>"\'%#?=+'.split('')),
  maxLength: 40,
});
const anyText = fc.oneof(persianish, fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }));

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
  await seedCategoriesAndFeeds(t);
  await t.api('/items', { body: [{ title: 'خبر نمونه', categories: ['senfi'], publishedAt: '1403/07/03 10:30' }] });
});
afterAll(() => t.close());

describe('hostile input never causes a 5xx', () => {
  it('feed query strings', async () => {
    const key = fc.constantFrom('category', 'match', 'q', 'exclude', 'source', 'since', 'until', 'limit', 'before', 'x');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(key, anyText), { maxLength: 6 }), fc.constantFrom('rss', 'atom', 'json'), async (pairs, format) => {
        const query = new URLSearchParams(pairs).toString();
        const res = await t.get(`/feeds/all.${format}?${query}`);
        expect([200, 400]).toContain(res.status);
        if (res.status === 400) expect(res.headers.get('content-type')).toBe('application/problem+json');
      }),
      { numRuns: 150 },
    );
  });

  it('admin API bodies', async () => {
    const path = fc.constantFrom('/categories', '/feeds', '/items', '/tokens');
    const body = fc.oneof(
      fc.json({ maxDepth: 3 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.record({ slug: anyText, name: anyText, title: anyText, url: anyText, publishedAt: anyText, categories: fc.array(anyText, { maxLength: 3 }) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 30 }),
    );
    await fc.assert(
      fc.asyncProperty(path, body, async (p, b) => {
        const res = await t.api(p, { body: b });
        expect([201, 400, 404, 409, 422]).toContain(res.status);
        if (res.status !== 201) expect(res.headers.get('content-type')).toBe('application/problem+json');
      }),
      { numRuns: 150 },
    );
  });

  it('short codes and item ids in paths', async () => {
    await fc.assert(
      fc.asyncProperty(anyText, async (s) => {
        for (const prefix of ['/s/', '/items/', '/feeds/']) {
          const res = await t.get(prefix + encodeURIComponent(s));
          expect(res.status).toBeLessThan(500);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('pure functions over arbitrary text', () => {
  it('normaliseKey is total and idempotent', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const key = normaliseKey(s);
        expect(normaliseKey(key)).toBe(key);
      }),
      { numRuns: 2000 },
    );
  });

  it('parseDate and parseQueryDate never throw and return a valid Date or null', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        for (const d of [parseDate(s), parseQueryDate(s, 'start'), parseQueryDate(s, 'end')]) {
          if (d !== null) expect(Number.isNaN(d.getTime())).toBe(false);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
