import { and, asc, desc, eq, inArray, isNull, sql, type SQLWrapper } from 'drizzle-orm';
import type { ItemFilter } from '../../core/filter.ts';
import type { Enclosure, Item } from '../../core/types.ts';
import { chunk, type Database, type RawStatement } from '../database.ts';
import { categories, itemCategories, items, links, settings } from '../schema.ts';
import { chooseDriver, filterConditions, searchMatches, searchPage } from './item-filters.ts';
import { NEXT_CODE_SQL, numericValue } from './links.ts';

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
type Existing = Pick<Row, 'id' | 'dedupKey' | 'guid' | 'contentHash' | 'deletedAt' | 'shortCode'>;

/** The id of the item a statement's first `?` names by dedup key. */
const ITEM_ID = '(SELECT id FROM items WHERE dedup_key = ?)';
const VISIBLE_COLUMNS = ['guid', 'url', 'title', 'summary', 'content', 'author', 'published_at', 'updated_at', 'changed_at', 'content_hash', 'labels', 'enclosures', 'search_text'];
const INSERT_ITEM = `INSERT INTO items (source_id, dedup_key, ${VISIBLE_COLUMNS.join(', ')}, first_seen_at) VALUES (${Array(VISIBLE_COLUMNS.length + 3).fill('?').join(', ')})`;
const UPDATE_ITEM = `UPDATE items SET ${VISIBLE_COLUMNS.map((c) => `${c} = ?`).join(', ')} WHERE dedup_key = ?`;

/** The settings row the 0001_fts migration's triggers bump. */
const PUBLISH_VERSION = 'publish_version';

export const dedupKey = (sourceId: number | null, identity: string) => `${sourceId ?? 'push'}:${identity}`;

export function itemRepo(database: Database, now: () => Date) {
  const { db } = database;

  // Read on every feed request: prepared once (on first use, when the schema surely exists),
  // it costs a tenth of building the query each time.
  let versionQuery: { get(): Promise<{ value: string } | undefined> } | null = null;
  let versionNow: ((...params: unknown[]) => unknown) | null = null;
  let versionSeen: { value: number; changes: number; at: number } | null = null;

  /** One item's write as positional statements (see RawStatement): the hot path of every push and fetch. */
  function writeStatements(input: ItemInput, existing: Existing | undefined, at: Date): RawStatement[] {
    const key = dedupKey(input.sourceId, input.identity);
    const ms = at.getTime();
    const visible = [
      input.guid,
      input.url,
      input.title,
      input.summary,
      input.content,
      input.author,
      input.publishedAt.getTime(),
      input.updatedAt?.getTime() ?? null,
      ms,
      input.contentHash,
      JSON.stringify(input.labels),
      JSON.stringify(input.enclosures),
      input.searchText,
    ];
    const statements: RawStatement[] = [];
    if (existing) {
      statements.push(
        { sql: UPDATE_ITEM, params: [...visible, key] },
        { sql: `DELETE FROM item_categories WHERE item_id = ${ITEM_ID}`, params: [key] },
        { sql: `UPDATE links SET url = ? WHERE item_id = ${ITEM_ID}`, params: [input.url, key] },
      );
    } else {
      statements.push({ sql: INSERT_ITEM, params: [input.sourceId, key, ...visible, ms] });
      if (input.shortCode) {
        const num = numericValue(input.shortCode);
        statements.push({
          sql: `INSERT INTO links (code, num, url, item_id, status, clicks, created_at)
            SELECT ?, ?, ?, ${ITEM_ID}, 302, 0, ? WHERE NOT EXISTS (SELECT 1 FROM links WHERE code = ? OR num = ?)`,
          params: [input.shortCode, num, input.url, key, ms, input.shortCode, num],
        });
      }
      statements.push(
        {
          // The LIMIT keeps SQLite from pushing the WHERE into the max(num) subquery, where it
          // turns the index's one-row lookup into a scan of every link, so pushes slowed as the
          // archive grew (the SELECT: 0.9 ms at 20,000 links, 0.01 ms with the LIMIT).
          sql: `INSERT INTO links (code, num, url, item_id, status, clicks, created_at)
            SELECT CAST(n AS TEXT), n, ?, ${ITEM_ID}, 302, 0, ? FROM (SELECT n FROM ${NEXT_CODE_SQL} LIMIT 1)
            WHERE NOT EXISTS (SELECT 1 FROM links WHERE item_id = ${ITEM_ID})`,
          params: [input.url, key, ms, key],
        },
        {
          sql: 'UPDATE items SET short_code = (SELECT code FROM links WHERE item_id = items.id ORDER BY created_at, code LIMIT 1) WHERE dedup_key = ?',
          params: [key],
        },
      );
    }
    for (const categoryId of new Set(input.categoryIds)) {
      statements.push({ sql: `INSERT OR IGNORE INTO item_categories (item_id, category_id) VALUES (${ITEM_ID}, ?)`, params: [key, categoryId] });
    }
    return statements;
  }

  /** Only what upsert needs of stored rows: never the bodies. */
  async function existingByKeys(keys: string[]): Promise<Map<string, Existing>> {
    const found = new Map<string, Existing>();
    for (const part of chunk(keys)) {
      const rows = await db
        .select({ id: items.id, dedupKey: items.dedupKey, guid: items.guid, contentHash: items.contentHash, deletedAt: items.deletedAt, shortCode: items.shortCode })
        .from(items)
        .where(inArray(items.dedupKey, part));
      for (const row of rows) found.set(row.dedupKey, row);
    }
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
      const seen = new Set<string>();
      inputs.forEach((input, i) => {
        const key = keys[i]!;
        const row = existing.get(key);
        if (row?.deletedAt) return outcomes.push('deleted');
        if (seen.has(key) || (row && row.contentHash === input.contentHash)) return outcomes.push('unchanged');
        seen.add(key);
        outcomes.push(row ? 'updated' : 'new');
        statements.push(...writeStatements(input, row, at));
      });
      if (statements.length > 0) await database.atomic(statements);
      const stored = await existingByKeys(keys);
      return keys.map((key, i) => {
        const row = stored.get(key)!;
        return { outcome: outcomes[i]!, id: row.id, guid: row.guid, shortCode: row.shortCode };
      });
    },

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
