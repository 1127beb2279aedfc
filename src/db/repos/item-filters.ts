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
 *
 * A search leads differently: the index's rowids follow the timeline (SEARCH_KEY), so its
 * matches are read newest first and the walk stops after a page, however common the word.
 */
import { and, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { ItemFilter } from '../../core/filter.ts';
import { normaliseKey } from '../../core/persian.ts';
import type { Db } from '../database.ts';
import { expandableWords, ftsQuery, MAX_PREFIX_TERMS } from '../fts.ts';
import { items } from '../schema.ts';

/** The part of one filter whose candidate rows are read first; null walks the timeline. */
export type Driver = { filter: number; part: 'categories'; slugs: string[] } | { filter: number; part: 'search'; index: number } | null;

/** Each search text's MATCH expression, prefixes spelled out where the index allowed (see `searchMatches`). */
export type Matches = ReadonlyMap<string, string | null>;

/**
 * The search index's rowid is `second << 31 | items.id` (migration 0002_search_timeline): the
 * item's id is its low 31 bits, and a timestamp's second, as the migration clamps it, gives the
 * range of rowids published within it.
 */
const ID_BITS = sql.raw('2147483647');
const second = (ms: number) => sql`max(0, min(4294967295, CAST(${ms} AS INTEGER) / 1000))`;
const firstKeyOf = (ms: number) => sql`(${second(ms)} << 31)`;
const lastKeyOf = (ms: number) => sql`((${second(ms)} << 31) | ${ID_BITS})`;

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

const matchOf = (text: string, matches?: Matches) => (matches?.has(text) ? matches.get(text)! : ftsQuery(text));

function searchCondition(match: string | null, lead: boolean): SQL {
  // Text with nothing searchable in it matches nothing, as an empty search would in FTS5.
  if (match === null) return sql`0`;
  const ids = sql`(SELECT rowid & ${ID_BITS} FROM items_search WHERE items_search MATCH ${match})`;
  // The unary plus keeps SQLite from reading the search's candidates first.
  return lead ? sql`${items.id} IN ${ids}` : sql`+${items.id} IN ${ids}`;
}

/**
 * One filter as SQL; `driver` names the part that may lead, if it is in this filter. A leading
 * search is left out with `omitLead`, for the caller that joins the index itself (searchPage).
 */
export function filterCondition(filter: ItemFilter, index = -1, driver: Driver = null, matches?: Matches, omitLead = false): SQL | undefined {
  const parts: (SQL | undefined)[] = [];
  const slugs = [...new Set(filter.categories ?? [])];
  if (slugs.length > 0) parts.push(categoryCondition(filter, slugs, driver?.filter === index && driver.part === 'categories' ? driver.slugs : null));
  if (filter.sources?.length) parts.push(sql`${items.sourceId} IN ${filter.sources}`);
  const contains = (term: string) => sql`instr(${items.searchText}, ${normaliseKey(term)}) > 0`;
  const include = (filter.include ?? []).filter((t) => normaliseKey(t));
  if (include.length > 0) parts.push(or(...include.map(contains)));
  for (const term of filter.exclude ?? []) if (normaliseKey(term)) parts.push(sql`NOT (${contains(term)})`);
  (filter.search ?? []).forEach((text, k) => {
    const lead = driver?.filter === index && driver.part === 'search' && driver.index === k;
    if (!(lead && omitLead)) parts.push(searchCondition(matchOf(text, matches), lead));
  });
  if (filter.since) parts.push(sql`${items.publishedAt} >= ${filter.since.getTime()}`);
  if (filter.until) parts.push(sql`${items.publishedAt} <= ${filter.until.getTime()}`);
  return and(...parts);
}

export const filterConditions = (filters: ItemFilter[], driver: Driver, matches?: Matches, omitLead = false) =>
  filters.map((filter, i) => filterCondition(filter, i, driver, matches, omitLead));

/**
 * The MATCH expression of every search in the filters, each prefix word spelled out as the index
 * terms it covers (one statement for all of them; see ftsQuery). A word the index tokenizes
 * differently from its text, or one covering too many terms, stays a prefix query.
 */
export async function searchMatches(db: Db, filters: ItemFilter[]): Promise<Matches> {
  const texts = [...new Set(filters.flatMap((f) => f.search ?? []))];
  const words = [...new Set(texts.flatMap(expandableWords))];
  const longer = new Map<string, string[]>(words.map((w) => [w, []]));
  if (words.length > 0) {
    // One index seek per term: the vocabulary's next term at or after `term || char(1)` is the
    // next one after `term`, without reading its match list.
    const rows = await db.all<{ word: string; term: string }>(sql`
      WITH RECURSIVE found(word, term, n) AS (
        SELECT value, (SELECT term FROM items_search_terms WHERE term >= value || char(1) AND term < value || char(1114111) LIMIT 1), 1 FROM json_each(${JSON.stringify(words)})
        UNION ALL
        SELECT word, (SELECT term FROM items_search_terms WHERE term >= found.term || char(1) AND term < word || char(1114111) LIMIT 1), n + 1
        FROM found WHERE found.term IS NOT NULL AND n < ${MAX_PREFIX_TERMS}
      )
      SELECT word, term FROM found WHERE term IS NOT NULL`);
    for (const { word, term } of rows) longer.get(word)?.push(term);
  }
  return new Map(texts.map((text) => [text, ftsQuery(text, longer)]));
}

/** Cursor and date bounds on the timeline, as the search index's rowids see them. */
export interface Window {
  /** Only items strictly older than this (the page after a cursor). */
  before?: { publishedAt: number; id: number };
  /** Only items strictly newer than this (the page before a cursor), read oldest first. */
  after?: { publishedAt: number; id: number };
}

/**
 * The ids of the newest `limit` items (oldest first with `after`) the filters select, led by a
 * search: one statement. The index gives matches in rowid order, which is the timeline's except
 * within one second; so the inner walk finds the second of the `limit`-th match that passes every
 * filter, and the page is then sorted exactly from the matches at or after that second. Any
 * match from an earlier second has at least `limit` matches newer than it.
 */
export function searchPage(filters: ItemFilter[], driver: NonNullable<Driver> & { part: 'search' }, matches: Matches, limit: number, window: Window): SQL {
  const text = filters[driver.filter]!.search![driver.index]!;
  const match = matchOf(text, matches);
  if (match === null) return sql`SELECT ${items.id} FROM ${items} WHERE 0`;
  const ascending = window.after !== undefined;
  const conditions = and(
    isNull(items.deletedAt),
    ...filterConditions(filters, driver, matches, true),
    window.before ? sql`(${items.publishedAt}, ${items.id}) < (${window.before.publishedAt}, ${window.before.id})` : undefined,
    window.after ? sql`(${items.publishedAt}, ${items.id}) > (${window.after.publishedAt}, ${window.after.id})` : undefined,
  );
  // Rowid bounds the exact conditions imply, so the index seeks past what they exclude.
  const lows: SQL[] = [];
  const highs: SQL[] = [];
  for (const filter of filters) {
    if (filter.since) lows.push(firstKeyOf(filter.since.getTime()));
    if (filter.until) highs.push(lastKeyOf(filter.until.getTime()));
  }
  if (window.after) lows.push(firstKeyOf(window.after.publishedAt));
  if (window.before) highs.push(lastKeyOf(window.before.publishedAt));
  const bounds = [...lows.map((low) => sql`items_search.rowid >= ${low}`), ...highs.map((high) => sql`items_search.rowid <= ${high}`)];
  const nth = sql`(SELECT items_search.rowid >> 31 FROM items_search JOIN ${items} ON ${items.id} = (items_search.rowid & ${ID_BITS})
    WHERE items_search MATCH ${match} AND ${and(conditions, ...bounds)}
    ORDER BY items_search.rowid ${sql.raw(ascending ? 'ASC' : 'DESC')} LIMIT 1 OFFSET ${limit - 1})`;
  // Past the last match, the whole range: every match was walked and fewer than `limit` passed.
  const edge = ascending ? sql`items_search.rowid <= ((coalesce(${nth}, 4294967295) << 31) | ${ID_BITS})` : sql`items_search.rowid >= (coalesce(${nth}, 0) << 31)`;
  const ids = sql`SELECT items_search.rowid & ${ID_BITS} FROM items_search WHERE items_search MATCH ${match} AND ${and(edge, ...bounds)}`;
  const direction = sql.raw(ascending ? 'ASC' : 'DESC');
  return sql`SELECT ${items.id} FROM ${items} WHERE ${items.id} IN (${ids}) AND ${conditions}
    ORDER BY ${items.publishedAt} ${direction}, ${items.id} ${direction} LIMIT ${limit}`;
}

/**
 * The part to lead a query for the newest `limit` matches: a category with fewer candidates than
 * the walk would step over and than any search; else a search (its index walks the timeline over
 * matches only, never longer than the timeline walk); else null. Counting stops at that bound,
 * so a common category costs a few thousand index entries, not all of them.
 */
export async function chooseDriver(db: Db, filters: ItemFilter[], limit: number, matches?: Matches): Promise<Driver> {
  const categories: { driver: NonNullable<Driver>; rows: SQL }[] = [];
  const searches: { driver: NonNullable<Driver>; rows: SQL }[] = [];
  filters.forEach((filter, i) => {
    const slugs = [...new Set(filter.categories ?? [])];
    // All of several categories: the rarest one leads. Any of them: their union does.
    const groups = filter.match === 'all' ? slugs.map((slug) => [slug]) : slugs.length > 0 ? [slugs] : [];
    for (const group of groups) {
      categories.push({ driver: { filter: i, part: 'categories', slugs: group }, rows: categoryItems(group) });
    }
    (filter.search ?? []).forEach((text, k) => {
      const match = matchOf(text, matches);
      if (match !== null) searches.push({ driver: { filter: i, part: 'search', index: k }, rows: sql`SELECT 1 FROM items_search WHERE items_search MATCH ${match}` });
    });
  });
  // One search and nothing to weigh it against: no count needed (a prefix's count costs its whole list).
  if (categories.length === 0) return searches[0]?.driver ?? null;
  const candidates = [...categories, ...searches];
  const total = (await db.get<{ total: number | null }>(sql`SELECT max(id) AS total FROM items`))?.total ?? 0;
  const bound = Math.ceil(Math.sqrt((limit * total) / CANDIDATE_COST)) + 1;
  const counts = await db.get<Record<string, number>>(
    sql.join(
      [sql`SELECT`, sql.join(candidates.map((c, i) => sql`(SELECT count(*) FROM (${c.rows} LIMIT ${bound})) AS ${sql.identifier(`c${i}`)}`), sql`, `)],
      sql` `,
    ),
  );
  const counted = candidates.map((c, i) => ({ driver: c.driver, count: Number(counts?.[`c${i}`] ?? bound) }));
  const fewest = (list: typeof counted) => list.reduce<(typeof counted)[number] | null>((best, c) => (!best || c.count < best.count ? c : best), null);
  const category = fewest(counted.slice(0, categories.length).filter((c) => c.count < bound));
  const search = fewest(counted.slice(categories.length));
  if (category && (!search || category.count < search.count)) return category.driver;
  return search?.driver ?? null;
}
