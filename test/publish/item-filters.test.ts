import { and, desc, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemFilter } from '../../src/core/filter.ts';
import { chooseDriver, filterConditions, type Driver } from '../../src/db/repos/item-filters.ts';
import { items } from '../../src/db/schema.ts';
import { seedCategoriesAndFeeds, testApp, type TestApp } from '../helpers/app.ts';

// 300 items: «senfi» holds most of them, «akhbar-sazman» a few; two search words, one common, one rare.
let t: TestApp;
beforeAll(async () => {
  t = await testApp();
  await seedCategoriesAndFeeds(t);
  const body = Array.from({ length: 300 }, (_, i) => ({
    guid: `f-${i}`,
    title: `${i % 3 === 0 ? 'بودجه' : 'خبر'} ${i % 50 === 0 ? 'زلزله' : 'روز'} ${i}`,
    publishedAt: new Date(Date.UTC(2024, 0, 1) + Math.floor(i / 2) * 3_600_000).toISOString(),
    categories: [...(i % 10 !== 0 ? ['senfi'] : []), ...(i % 40 === 0 ? ['akhbar-sazman'] : [])],
  }));
  expect((await t.api('/items', { body })).status).toBe(201);
}, 30_000);
afterAll(() => t.close());

const page = async (filters: ItemFilter[], driver: Driver, limit = 20) =>
  (
    await t.database.db
      .select({ id: items.id })
      .from(items)
      .where(and(isNull(items.deletedAt), ...filterConditions(filters, driver)))
      .orderBy(desc(items.publishedAt), desc(items.id))
      .limit(limit)
  ).map((r) => r.id);

const cases: [string, ItemFilter[]][] = [
  ['dense category', [{ categories: ['senfi'] }]],
  ['rare category', [{ categories: ['akhbar-sazman'] }]],
  ['any of two', [{ categories: ['senfi', 'akhbar-sazman'] }]],
  ['all of two', [{ categories: ['senfi', 'akhbar-sazman'], match: 'all' }]],
  ['saved filter and query', [{ categories: ['senfi'] }, { categories: ['akhbar-sazman'] }]],
  ['category and rare word', [{ categories: ['senfi'] }, { search: ['زلزله'] }]],
  ['category and common word', [{ categories: ['senfi'] }, { search: ['بودجه'] }]],
  ['unknown category', [{ categories: ['nope'] }]],
  ['all with an unknown category', [{ categories: ['senfi', 'nope'], match: 'all' }]],
];

/** Every part that could lead, as chooseDriver would name it. */
function drivers(filters: ItemFilter[]): Driver[] {
  const out: Driver[] = [null];
  filters.forEach((f, i) => {
    const slugs = f.categories ?? [];
    if (f.match === 'all') for (const slug of slugs) out.push({ filter: i, part: 'categories', slugs: [slug] });
    else if (slugs.length > 0) out.push({ filter: i, part: 'categories', slugs });
    (f.search ?? []).forEach((_, k) => out.push({ filter: i, part: 'search', index: k }));
  });
  return out;
}

describe('query plans', () => {
  it.each(cases)('%s: every choice of leading part gives the same page', async (_, filters) => {
    const expected = await page(filters, null);
    for (const driver of drivers(filters)) expect(await page(filters, driver), JSON.stringify(driver)).toEqual(expected);
    const listed = await t.repos.items.list(filters, { limit: 20 });
    expect(listed.map((i) => i.id)).toEqual(expected);
  });

  it('walks the timeline for a common category and leads with a rare one', async () => {
    expect(await chooseDriver(t.database.db, [{ categories: ['senfi'] }], 20)).toBeNull();
    expect(await chooseDriver(t.database.db, [{ categories: ['akhbar-sazman'] }], 20)).toEqual({ filter: 0, part: 'categories', slugs: ['akhbar-sazman'] });
    expect(await chooseDriver(t.database.db, [{ categories: ['senfi', 'akhbar-sazman'], match: 'all' }], 20)).toEqual({ filter: 0, part: 'categories', slugs: ['akhbar-sazman'] });
    expect(await chooseDriver(t.database.db, [{ categories: ['senfi'] }, { search: ['زلزله'] }], 20)).toEqual({ filter: 1, part: 'search', index: 0 });
    expect(await chooseDriver(t.database.db, [{}], 20)).toBeNull();
  });
});
