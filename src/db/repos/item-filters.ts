/**
 * Item filters as SQL, and which part of them leads the query. A feed page wants the newest 50
 * items of a filter; SQLite can get them two ways. Walking the timeline newest first and testing
 * each item stops after 50 matches: cheap when matches are common, a long walk when they are
 * rare. Reading the candidate rows of one part (a category, a search word) and sorting them is
 * cheap when the part is rare and sorts tens of thousands of rows when it is common. SQLite
 * cannot tell which without statistics, and always reads the candidates first; on 200,000 items
 * a category holding one item in eight took 650 ms that way against 1 ms walking the timeline
 * (bench/RESULTS.md). So the repository counts each part's candidates, capped where the walk
 * becomes the better plan, and writes the SQL so that only the chosen part can lead.
 */
import { and, or, sql, type SQL } from 'drizzle-orm';
import type { ItemFilter } from '../../core/filter.ts';
import { normaliseKey } from '../../core/persian.ts';
import type { Db } from '../database.ts';
import { ftsQuery } from '../fts.ts';
import { items } from '../schema.ts';

/** The part of one filter whose candidate rows are read first; null walks the timeline. */
export type Driver = { filter: number; part: 'categories'; slugs: string[] } | { filter: number; part: 'search'; index: number } | null;

/**
 * Reading and sorting one candidate costs about this many timeline steps (measured on the bench
 * archive: ~10 µs against ~2.2 µs).
 */
const CANDIDATE_COST = 4;

const categoryIds = (slugs: string[]) => sql`(SELECT id FROM categories WHERE slug IN ${slugs})`;
/** Written as a join: with `category_id IN (subquery)` SQLite may scan the whole table instead of its index. */
const categoryItems = (slugs: string[]) => sql`SELECT ic.item_id FROM categories c JOIN item_categories ic ON ic.category_id = c.id WHERE c.slug IN ${slugs}`;
const inCategories = (ids: SQL) => sql`EXISTS (SELECT 1 FROM item_categories ic WHERE ic.item_id = ${items.id} AND ic.category_id IN ${ids})`;

function categoryCondition(filter: ItemFilter, slugs: string[], lead: string[] | null): SQL | undefined {
  // A leading part is written as `items.id IN (candidates)`, which SQLite reads first;
  // every other part as EXISTS, which it can only test item by item.
  const leading = lead === null ? undefined : sql`${items.id} IN (${categoryItems(lead)})`;
  if (filter.match === 'all') return and(leading, ...slugs.filter((s) => !lead?.includes(s)).map((s) => inCategories(categoryIds([s]))));
  return leading ?? inCategories(categoryIds(slugs));
}

function searchCondition(text: string, lead: boolean): SQL {
  const match = ftsQuery(text);
  // Text with nothing searchable in it matches nothing, as an empty search would in FTS5.
  if (match === null) return sql`0`;
  const ids = sql`(SELECT rowid FROM items_fts WHERE items_fts MATCH ${match})`;
  // The unary plus keeps SQLite from reading the search's candidates first.
  return lead ? sql`${items.id} IN ${ids}` : sql`+${items.id} IN ${ids}`;
}

/** One filter as SQL; `driver` names the part that may lead, if it is in this filter. */
export function filterCondition(filter: ItemFilter, index = -1, driver: Driver = null): SQL | undefined {
  const parts: (SQL | undefined)[] = [];
  const slugs = [...new Set(filter.categories ?? [])];
  if (slugs.length > 0) parts.push(categoryCondition(filter, slugs, driver?.filter === index && driver.part === 'categories' ? driver.slugs : null));
  if (filter.sources?.length) parts.push(sql`${items.sourceId} IN ${filter.sources}`);
  const contains = (term: string) => sql`instr(${items.searchText}, ${normaliseKey(term)}) > 0`;
  const include = (filter.include ?? []).filter((t) => normaliseKey(t));
  if (include.length > 0) parts.push(or(...include.map(contains)));
  for (const term of filter.exclude ?? []) if (normaliseKey(term)) parts.push(sql`NOT (${contains(term)})`);
  (filter.search ?? []).forEach((text, k) => parts.push(searchCondition(text, driver?.filter === index && driver.part === 'search' && driver.index === k)));
  if (filter.since) parts.push(sql`${items.publishedAt} >= ${filter.since.getTime()}`);
  if (filter.until) parts.push(sql`${items.publishedAt} <= ${filter.until.getTime()}`);
  return and(...parts);
}

export const filterConditions = (filters: ItemFilter[], driver: Driver) => filters.map((filter, i) => filterCondition(filter, i, driver));

/**
 * The part to lead a query for the newest `limit` matches: the one with the fewest candidates,
 * when it has fewer than the walk would step over; else null. Counting stops at that bound, so
 * a common category costs a few thousand index entries, not all of them.
 */
export async function chooseDriver(db: Db, filters: ItemFilter[], limit: number): Promise<Driver> {
  const candidates: { driver: NonNullable<Driver>; rows: SQL }[] = [];
  filters.forEach((filter, i) => {
    const slugs = [...new Set(filter.categories ?? [])];
    // All of several categories: the rarest one leads. Any of them: their union does.
    const groups = filter.match === 'all' ? slugs.map((slug) => [slug]) : slugs.length > 0 ? [slugs] : [];
    for (const group of groups) {
      candidates.push({ driver: { filter: i, part: 'categories', slugs: group }, rows: categoryItems(group) });
    }
    (filter.search ?? []).forEach((text, k) => {
      const match = ftsQuery(text);
      if (match !== null) candidates.push({ driver: { filter: i, part: 'search', index: k }, rows: sql`SELECT 1 FROM items_fts WHERE items_fts MATCH ${match}` });
    });
  });
  if (candidates.length === 0) return null;
  const total = (await db.get<{ total: number | null }>(sql`SELECT max(id) AS total FROM items`))?.total ?? 0;
  const bound = Math.ceil(Math.sqrt((limit * total) / CANDIDATE_COST)) + 1;
  const counts = await db.get<Record<string, number>>(
    sql.join(
      [sql`SELECT`, sql.join(candidates.map((c, i) => sql`(SELECT count(*) FROM (${c.rows} LIMIT ${bound})) AS ${sql.identifier(`c${i}`)}`), sql`, `)],
      sql` `,
    ),
  );
  let best: { driver: NonNullable<Driver>; count: number } | null = null;
  candidates.forEach((c, i) => {
    const count = Number(counts?.[`c${i}`] ?? bound);
    if (count < bound && (!best || count < best.count)) best = { driver: c.driver, count };
  });
  return (best as { driver: NonNullable<Driver> } | null)?.driver ?? null;
}
