import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemFilter } from '../../src/core/filter.ts';
import { normaliseKey } from '../../src/core/persian.ts';
import { expandableWords, searchWords } from '../../src/db/fts.ts';
import type { ItemCursor, ItemInput } from '../../src/db/repos/items.ts';
import { seedCategoriesAndFeeds, testApp, type TestApp } from '../helpers/app.ts';

// The search index keys its rows by publish second and id (migration 0002), and a search-led
// page is sorted from them; here every page of every search is checked against a brute-force
// filter over the same items, stored out of publish order, many within one second.
const WORDS = ['کتاب', 'کتابها', 'کتابخانه', 'کتب', 'زلزله', 'اقتصاد', 'اقتصادی', 'اقتصادیات', 'بودجه', 'بود', 'budget', 'budgets', 'cafe', 'نشست', 'می', 'شود'];

let t: TestApp;
const stored: { id: number; publishedAt: number; text: string; deleted: boolean; categories: number[] }[] = [];
let categoryIds: Record<string, number> = {};

function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), a | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

beforeAll(async () => {
  t = await testApp();
  await seedCategoriesAndFeeds(t);
  categoryIds = Object.fromEntries((await t.database.db.all<{ id: number; slug: string }>(sql`SELECT id, slug FROM categories`)).map((c) => [c.slug, c.id]));
  const next = random(9);
  const base = Date.UTC(2024, 0, 1);
  const inputs: ItemInput[] = Array.from({ length: 400 }, (_, i) => {
    // Few distinct seconds, ms apart inside them, and a few dates the key clamps (before 1970, after 2106).
    const publishedAt = i % 97 === 0 ? Date.UTC(1950, 0, 1) + i : i % 89 === 0 ? Date.UTC(2150, 0, 1) + i : base + Math.floor(next() * 40) * 1000 + Math.floor(next() * 1000) * (i % 3 === 0 ? 0 : 1);
    const title = Array.from({ length: 1 + Math.floor(next() * 4) }, () => WORDS[Math.floor(next() * WORDS.length)]).join(' ');
    const categories = [...(next() < 0.5 ? [categoryIds.senfi!] : []), ...(next() < 0.1 ? [categoryIds['akhbar-sazman']!] : [])];
    return {
      sourceId: null, identity: `s-${i}`, guid: `s-${i}`, url: null, title, summary: null, content: null, author: null,
      publishedAt: new Date(publishedAt), updatedAt: null, labels: [], categoryIds: categories, enclosures: [], shortCode: null,
      searchText: normaliseKey(title), contentHash: `h-${i}`,
    };
  });
  // Stored in a shuffled order, so ids follow neither the dates nor each other.
  const order = inputs.map((_, i) => i).sort(() => next() - 0.5);
  for (let k = 0; k < order.length; k += 50) await t.repos.items.upsert(order.slice(k, k + 50).map((i) => inputs[i]!));
  // Edits that move items in time and change their words, and deletions.
  const edits = inputs.filter((_, i) => i % 7 === 0).map((input, k) => ({ ...input, publishedAt: new Date(input.publishedAt.getTime() + (k % 2 ? 5_000 : -3_000_000)), title: `${input.title} کتابخانه`, searchText: normaliseKey(`${input.title} کتابخانه`), contentHash: `${input.contentHash}-e` }));
  await t.repos.items.upsert(edits);
  const rows = await t.database.db.all<{ id: number; published_at: number; search_text: string }>(sql`SELECT id, published_at, search_text FROM items`);
  for (const row of rows) if (row.id % 11 === 0) await t.repos.items.tombstone(row.id);
  const cats = await t.database.db.all<{ item_id: number; category_id: number }>(sql`SELECT item_id, category_id FROM item_categories`);
  const deleted = new Set((await t.database.db.all<{ id: number }>(sql`SELECT id FROM items WHERE deleted_at IS NOT NULL`)).map((r) => r.id));
  for (const row of rows) {
    stored.push({ id: row.id, publishedAt: row.published_at, text: row.search_text, deleted: deleted.has(row.id), categories: cats.filter((c) => c.item_id === row.id).map((c) => c.category_id) });
  }
}, 60_000);
afterAll(() => t.close());

/** FTS5's reading of `q` for plain words: every word a token, or a token's prefix from three letters on. */
function matches(text: string, q: string): boolean {
  const tokens = text.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  return searchWords(q).every((w) => tokens.some((token) => ([...w].length >= 3 ? token.startsWith(w) : token === w)));
}

function expected(q: string, category?: string): number[] {
  return stored
    .filter((s) => !s.deleted && matches(s.text, q) && (!category || s.categories.includes(categoryIds[category]!)))
    .sort((a, b) => b.publishedAt - a.publishedAt || b.id - a.id)
    .map((s) => s.id);
}

async function everyPage(filters: ItemFilter[], limit: number): Promise<number[]> {
  const ids: number[] = [];
  let before: ItemCursor | undefined;
  for (;;) {
    const page = await t.repos.items.list(filters, { limit, ...(before ? { before } : {}) });
    ids.push(...page.map((i) => i.id));
    if (page.length < limit) return ids;
    const last = page.at(-1)!;
    before = { publishedAt: last.publishedAt.getTime(), id: last.id };
  }
}

const QUERIES = ['کتاب', 'کتابخ', 'کتب', 'اقتصادی', 'اقت', 'زلزله', 'بود', 'budget', 'BUDG', 'كتاب', 'می', 'کتاب زلزله', 'نشست budget', 'هیچ'];

describe('search pages against brute force', () => {
  it.each(QUERIES)('q=%s: every page, newest first, as a filter over all items gives', async (q) => {
    const want = expected(q);
    for (const limit of [1, 3, 20, 500]) expect(await everyPage([{}, { search: [q] }], limit), `limit ${limit}`).toEqual(want);
  });

  it.each(QUERIES)('q=%s with a category, in the saved filter or the query', async (q) => {
    expect(await everyPage([{ categories: ['senfi'] }, { search: [q] }], 7)).toEqual(expected(q, 'senfi'));
    expect(await everyPage([{ categories: ['akhbar-sazman'], search: [q] }], 5)).toEqual(expected(q, 'akhbar-sazman'));
  });

  it('pages backwards with `after` give the same items, oldest page first', async () => {
    for (const q of ['کتاب', 'اقتصادی', 'budget']) {
      const want = expected(q);
      const from = want[Math.floor(want.length / 2)]!;
      const cursor = stored.find((s) => s.id === from)!;
      const newer = await t.repos.items.list([{ search: [q] }], { limit: 6, after: { publishedAt: cursor.publishedAt, id: cursor.id } });
      const at = want.indexOf(from);
      expect(newer.map((i) => i.id)).toEqual(want.slice(Math.max(0, at - 6), at));
    }
  });

  it('since and until narrow a search as they narrow the timeline', async () => {
    const since = new Date(Date.UTC(2024, 0, 1, 0, 0, 10));
    const until = new Date(Date.UTC(2024, 0, 1, 0, 0, 30, 500));
    const want = expected('کتاب').filter((id) => {
      const at = stored.find((s) => s.id === id)!.publishedAt;
      return at >= since.getTime() && at <= until.getTime();
    });
    expect(await everyPage([{ since }, { search: ['کتاب'], until }], 4)).toEqual(want);
  });
});

describe('prefix words spelled out as index terms', () => {
  it('the index keeps every character of a spelled-out word as it is', async () => {
    const chars: string[] = [];
    for (let c = 0x20; c <= 0x6ff; c++) {
      const ch = String.fromCodePoint(c);
      if (expandableWords(`ب${ch}ب`).length === 1 && expandableWords(`ب${ch}ب`)[0] === `ب${ch}ب`) chars.push(ch);
    }
    expect(chars.length).toBeGreaterThan(100);
    const raw = t.database.db;
    await raw.run(sql`CREATE VIRTUAL TABLE temp.probe USING fts5(t, content='', tokenize='unicode61 remove_diacritics 2')`);
    await raw.run(sql`CREATE VIRTUAL TABLE temp.probe_terms USING fts5vocab(temp, probe, row)`);
    for (const [i, ch] of chars.entries()) await raw.run(sql`INSERT INTO temp.probe (rowid, t) VALUES (${i + 1}, ${`ب${ch}ب`})`);
    const terms = (await raw.all<{ term: string }>(sql`SELECT term FROM temp.probe_terms`)).map((r) => r.term);
    expect(terms.sort()).toEqual(chars.map((ch) => `ب${ch}ب`).sort());
  });
});
