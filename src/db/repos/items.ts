import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { ItemFilter } from '../../core/filter.ts';
import type { Enclosure, Item } from '../../core/types.ts';
import { chunk, type Database, type RawStatement } from '../database.ts';
import { categories, itemCategories, items, links, settings } from '../schema.ts';
import { chooseDriver, filterConditions, searchMatches, searchPage } from './item-filters.ts';
import { BUMP_PUBLISH_VERSION, dedupKey, itemWriteStatements, PUBLISH_VERSION } from './item-writes.ts';
import { searchIndex } from './search-index.ts';

export { dedupKey } from './item-writes.ts';
export { SEARCH_INDEX_STEP } from './search-index.ts';

/** An item ready to store: identity, categories and hashes already worked out by the caller. */
export interface ItemInput {
  sourceId: number | null;
  /** Identity within its source: the guid, else the link, else a hash of title and date. */
  identity: string;
  guid: string;
  url: string | null;
  title: string;
  summary: string | null;
  content: string | null;
  author: string | null;
  publishedAt: Date;
  updatedAt: Date | null;
  labels: string[];
  categoryIds: number[];
  enclosures: Enclosure[];
  /** The short code the upstream uses, kept when it is free. */
  shortCode: string | null;
  searchText: string;
  contentHash: string;
}

export type UpsertOutcome = 'new' | 'updated' | 'unchanged' | 'deleted';

export interface UpsertResult {
  outcome: UpsertOutcome;
  id: number;
  guid: string;
  shortCode: string | null;
}

/** Position in the newest-first order, for paging back through history. */
export interface ItemCursor {
  publishedAt: number;
  id: number;
}

type Row = typeof items.$inferSelect;
/** What a push answers of an item. */
interface Stored {
  id: number;
  guid: string;
  shortCode: string | null;
}
interface Existing extends Stored {
  dedupKey: string;
  contentHash: string;
  deletedAt: number | null;
}

/** Only what upsert needs of stored rows: never the bodies. One statement for a whole push. */
const EXISTING = 'SELECT id, dedup_key AS dedupKey, guid, content_hash AS contentHash, deleted_at AS deletedAt, short_code AS shortCode FROM items WHERE dedup_key IN (SELECT value FROM json_each';

const searches = (filters: ItemFilter[]) => filters.some((filter) => (filter.search?.length ?? 0) > 0);

export function itemRepo(database: Database, now: () => Date) {
  const { db } = database;
  const { indexSearch, backlog: searchBacklog, behindNow: searchBehindNow } = searchIndex(database);

  // Read on every feed request: prepared once (on first use, when the schema surely exists),
  // it costs a tenth of building the query each time.
  let versionQuery: { get(): Promise<{ value: string } | undefined> } | null = null;
  let versionNow: ((...params: unknown[]) => unknown) | null = null;
  let versionSeen: { value: number; changes: number; at: number } | null = null;

  /** Only what upsert needs of stored rows: never the bodies. */
  async function existingByKeys(keys: string[]): Promise<Map<string, Existing>> {
    const found = new Map<string, Existing>();
    // One bound parameter for any number of keys, so D1's 100-parameter cap never splits a push.
    for (const row of await db.all<Existing>(sql`${sql.raw(EXISTING)}(${JSON.stringify(keys)}))`)) found.set(row.dedupKey, row);
    return found;
  }

  async function withCategories(rows: Row[]): Promise<Item[]> {
    const byItem = new Map<number, { slug: string; name: string }[]>();
    for (const part of chunk(rows.map((r) => r.id))) {
      const pairs = await db
        .select({ itemId: itemCategories.itemId, slug: categories.slug, name: categories.name })
        .from(itemCategories)
        .innerJoin(categories, eq(categories.id, itemCategories.categoryId))
        .where(inArray(itemCategories.itemId, part))
        .orderBy(categories.id);
      for (const { itemId, slug, name } of pairs) {
        const list = byItem.get(itemId) ?? [];
        list.push({ slug, name });
        byItem.set(itemId, list);
      }
    }
    return rows.map((row) => ({
      id: row.id,
      sourceId: row.sourceId,
      guid: row.guid,
      url: row.url,
      title: row.title,
      summary: row.summary,
      content: row.content,
      author: row.author,
      publishedAt: row.publishedAt,
      updatedAt: row.updatedAt,
      changedAt: row.changedAt,
      labels: row.labels,
      categories: byItem.get(row.id) ?? [],
      enclosures: row.enclosures,
      shortCode: row.shortCode,
    }));
  }

  return {
    /** Stores new items, updates edited ones in place, skips unchanged ones and tombstones; all or nothing. */
    async upsert(inputs: ItemInput[]): Promise<UpsertResult[]> {
      const keys = inputs.map((i) => dedupKey(i.sourceId, i.identity));
      const existing = await existingByKeys(keys);
      const at = now();
      const outcomes: UpsertOutcome[] = [];
      const statements: RawStatement[] = [];
      /** Where each written key's item statement stands in `statements`. */
      const written = new Map<string, number>();
      inputs.forEach((input, i) => {
        const key = keys[i]!;
        const row = existing.get(key);
        if (row?.deletedAt) return outcomes.push('deleted');
        if (written.has(key) || (row && row.contentHash === input.contentHash)) return outcomes.push('unchanged');
        written.set(key, statements.length);
        outcomes.push(row ? 'updated' : 'new');
        statements.push(...itemWriteStatements(input, row !== undefined, at));
      });
      if (outcomes.includes('new')) statements.push(BUMP_PUBLISH_VERSION);
      const answers = statements.length > 0 ? await database.atomic(statements) : [];
      return keys.map((key, i) => {
        const index = written.get(key);
        const row = index === undefined ? existing.get(key)! : (answers[index]![0] as unknown as Stored);
        return { outcome: outcomes[i]!, id: row.id, guid: row.guid, shortCode: row.shortCode };
      });
    },

    /**
     * How many items the search index is behind on (stored, not yet searchable by words). A
     * search catches up first, so this is work waiting, never a stale answer.
     */
    searchBacklog,

    /**
     * How many ids the search index is behind the newest item (the backlog, deleted rows above
     * the watermark included), read synchronously where the driver can (better-sqlite3): two
     * index lookups, for a background timer. Undefined on D1.
     */
    searchBehindNow,

    /** Brings the search index up to date, in steps of SEARCH_INDEX_STEP items (see `indexSearch`). */
    indexSearch,

    async byId(id: number): Promise<Item | null> {
      const rows = await db
        .select()
        .from(items)
        .where(and(eq(items.id, id), isNull(items.deletedAt)));
      return (await withCategories(rows))[0] ?? null;
    },

    /**
     * Newest first; every filter must hold. `before` gives the items older than the cursor,
     * `after` the `limit` items just newer than it (still returned newest first).
     */
    async list(filters: ItemFilter[], opts: { limit: number; before?: ItemCursor; after?: ItemCursor }): Promise<Item[]> {
      const { before, after } = opts;
      if (searches(filters)) await indexSearch();
      const matches = await searchMatches(db, filters);
      const driver = await chooseDriver(db, filters, opts.limit, matches);
      const order = after ? [asc(items.publishedAt), asc(items.id)] : [desc(items.publishedAt), desc(items.id)];
      // The page is picked by id first and its rows read after, so a sort never carries whole items.
      const page =
        driver?.part === 'search'
          ? sql`(${searchPage(filters, driver, matches, opts.limit, { ...(before ? { before } : {}), ...(after ? { after } : {}) })})`
          : db
              .select({ id: items.id })
              .from(items)
              .where(
                and(
                  isNull(items.deletedAt),
                  ...filterConditions(filters, driver, matches),
                  // Row values, so SQLite walks the index from the cursor (an OR of two ranges collected every older row).
                  before ? sql`(${items.publishedAt}, ${items.id}) < (${before.publishedAt}, ${before.id})` : undefined,
                  after ? sql`(${items.publishedAt}, ${items.id}) > (${after.publishedAt}, ${after.id})` : undefined,
                ),
              )
              .orderBy(...order)
              .limit(opts.limit);
      const rows = await db.select().from(items).where(inArray(items.id, page)).orderBy(...order);
      if (after) rows.reverse();
      return withCategories(rows);
    },

    /**
     * Newest change to anything the filters select, deleted items included (a deletion changes a
     * feed too), or to any category name; null when nothing matches. Drives Last-Modified.
     * Searches are left out: finding a common word's newest change means reading all its matches
     * (50 ms at 1M items), and the newest change to the feed without the search is never earlier,
     * so If-Modified-Since still sees every change, at worst a few it did not need to.
     */
    async lastChange(filters: ItemFilter[]): Promise<Date | null> {
      const unsearched = filters.map(({ search: _search, ...rest }) => rest);
      const driver = await chooseDriver(db, unsearched, 1);
      const [item] = await db
        .select({ at: items.changedAt })
        .from(items)
        .where(and(...filterConditions(unsearched, driver)))
        .orderBy(desc(items.changedAt))
        .limit(1);
      const [category] = await db.select({ at: sql<number | null>`max(${categories.updatedAt})` }).from(categories);
      const newest = Math.max(item?.at.getTime() ?? -Infinity, category?.at ?? -Infinity);
      return Number.isFinite(newest) ? new Date(newest) : null;
    },

    /** Which of these items (deleted ones included) every filter selects. */
    async matching(filters: ItemFilter[], ids: number[]): Promise<number[]> {
      if (searches(filters)) await indexSearch();
      const found: number[] = [];
      // Small chunks: the filters bind parameters of their own, and D1 allows 100 per statement.
      for (const part of chunk([...new Set(ids)], 40)) {
        const rows = await db
          .select({ id: items.id })
          .from(items)
          .where(and(inArray(items.id, part), ...filterConditions(filters, null)));
        found.push(...rows.map((r) => r.id));
      }
      return found;
    },

    /**
     * A number that grows with every change a reader could see (items, their categories,
     * category names, published feeds); database triggers keep it, whichever process writes.
     */
    async publishVersion(): Promise<number> {
      versionQuery ??= db.select({ value: settings.value }).from(settings).where(eq(settings.key, PUBLISH_VERSION)).prepare();
      const row = await versionQuery.get();
      return row ? Number(row.value) : 0;
    },

    /**
     * The publish version read synchronously, where the driver can (better-sqlite3); undefined
     * on D1. For the front, which must not wait. A read starts a WAL read transaction (about a
     * fifth of a 304's CPU), so the number is reused while this connection has written nothing
     * and it is younger than `maxAgeMs`: this process's writes show at once, another process's
     * (a CLI fetch) within `maxAgeMs`.
     */
    publishVersionNow(maxAgeMs = 0): number | undefined {
      if (!database.valueNow || !database.changesNow) return undefined;
      const changes = database.changesNow();
      const at = now().getTime();
      if (versionSeen && versionSeen.changes === changes && at >= versionSeen.at && at - versionSeen.at < maxAgeMs) return versionSeen.value;
      versionNow ??= database.valueNow('SELECT "value" FROM "settings" WHERE "key" = ?');
      const read = versionNow(PUBLISH_VERSION);
      const value = read === undefined ? 0 : Number(read);
      versionSeen = { value, changes, at };
      return value;
    },

    /**
     * Files a live item under exactly these categories (an admin's correction). A later upstream
     * edit of the item recomputes its categories from the source, labels and rules.
     */
    async setCategories(id: number, categoryIds: number[]): Promise<boolean> {
      const [row] = await db.select({ id: items.id }).from(items).where(and(eq(items.id, id), isNull(items.deletedAt)));
      if (!row) return false;
      await database.atomic([
        sql`DELETE FROM item_categories WHERE item_id = ${id}`,
        ...[...new Set(categoryIds)].map((categoryId) => sql`INSERT INTO item_categories (item_id, category_id) VALUES (${id}, ${categoryId})`),
        sql`UPDATE items SET changed_at = ${now().getTime()} WHERE id = ${id}`,
      ]);
      return true;
    },

    /** Marks the item deleted; the row stays so a later fetch cannot bring it back. */
    async tombstone(id: number): Promise<boolean> {
      const at = now();
      const done = await db
        .update(items)
        .set({ deletedAt: at, changedAt: at })
        .where(and(eq(items.id, id), isNull(items.deletedAt)))
        .returning({ id: items.id });
      if (done.length > 0) await db.delete(links).where(eq(links.itemId, id));
      return done.length > 0;
    },
  };
}

export type ItemRepo = ReturnType<typeof itemRepo>;
