import { and, asc, desc, eq, inArray, isNull, sql, type SQLWrapper } from 'drizzle-orm';
import type { ItemFilter } from '../../core/filter.ts';
import type { Enclosure, Item } from '../../core/types.ts';
import { chunk, type Database } from '../database.ts';
import { categories, itemCategories, items, links, settings } from '../schema.ts';
import { chooseDriver, filterConditions } from './item-filters.ts';
import { NEXT_NUMERIC_CODE, numericValue } from './links.ts';

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

/** The settings row the 0001_fts migration's triggers bump. */
const PUBLISH_VERSION = 'publish_version';

export const dedupKey = (sourceId: number | null, identity: string) => `${sourceId ?? 'push'}:${identity}`;

export function itemRepo(database: Database, now: () => Date) {
  const { db } = database;

  // Read on every feed request: prepared once (on first use, when the schema surely exists),
  // it costs a tenth of building the query each time.
  let versionQuery: { get(): Promise<{ value: string } | undefined> } | null = null;

  function writeStatements(input: ItemInput, existing: Row | undefined, at: Date): SQLWrapper[] {
    const key = dedupKey(input.sourceId, input.identity);
    const fields = {
      guid: input.guid,
      url: input.url,
      title: input.title,
      summary: input.summary,
      content: input.content,
      author: input.author,
      publishedAt: input.publishedAt,
      updatedAt: input.updatedAt,
      changedAt: at,
      contentHash: input.contentHash,
      labels: input.labels,
      enclosures: input.enclosures,
      searchText: input.searchText,
    };
    const itemId = sql`(SELECT id FROM items WHERE dedup_key = ${key})`;
    const statements: SQLWrapper[] = [];
    if (existing) {
      statements.push(db.update(items).set(fields).where(eq(items.dedupKey, key)));
      statements.push(sql`DELETE FROM item_categories WHERE item_id = ${itemId}`);
      statements.push(sql`UPDATE links SET url = ${input.url} WHERE item_id = ${itemId}`);
    } else {
      statements.push(
        db.insert(items).values({ ...fields, sourceId: input.sourceId, dedupKey: key, firstSeenAt: at }),
      );
      const ms = at.getTime();
      if (input.shortCode) {
        const num = numericValue(input.shortCode);
        statements.push(sql`INSERT INTO links (code, num, url, item_id, status, clicks, created_at)
          SELECT ${input.shortCode}, ${num}, ${input.url}, ${itemId}, 302, 0, ${ms}
          WHERE NOT EXISTS (SELECT 1 FROM links WHERE code = ${input.shortCode} OR num = ${num})`);
      }
      statements.push(sql`INSERT INTO links (code, num, url, item_id, status, clicks, created_at)
        SELECT CAST(n AS TEXT), n, ${input.url}, ${itemId}, 302, 0, ${ms}
        FROM ${NEXT_NUMERIC_CODE}
        WHERE NOT EXISTS (SELECT 1 FROM links WHERE item_id = ${itemId})`);
      statements.push(
        sql`UPDATE items SET short_code = (SELECT code FROM links WHERE item_id = items.id ORDER BY created_at, code LIMIT 1) WHERE dedup_key = ${key}`,
      );
    }
    for (const categoryId of new Set(input.categoryIds)) {
      statements.push(sql`INSERT OR IGNORE INTO item_categories (item_id, category_id) VALUES (${itemId}, ${categoryId})`);
    }
    return statements;
  }

  async function rowsByKeys(keys: string[]): Promise<Map<string, Row>> {
    const found = new Map<string, Row>();
    for (const part of chunk(keys)) {
      for (const row of await db.select().from(items).where(inArray(items.dedupKey, part))) found.set(row.dedupKey, row);
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
      const existing = await rowsByKeys(keys);
      const at = now();
      const outcomes: UpsertOutcome[] = [];
      const statements: SQLWrapper[] = [];
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
      const stored = await rowsByKeys(keys);
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
      const driver = await chooseDriver(db, filters, opts.limit);
      const order = after ? [asc(items.publishedAt), asc(items.id)] : [desc(items.publishedAt), desc(items.id)];
      // The page is picked by id first and its rows read after, so a sort never carries whole items.
      const page = db
        .select({ id: items.id })
        .from(items)
        .where(
          and(
            isNull(items.deletedAt),
            ...filterConditions(filters, driver),
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
     */
    async lastChange(filters: ItemFilter[]): Promise<Date | null> {
      const driver = await chooseDriver(db, filters, 1);
      const [item] = await db
        .select({ at: items.changedAt })
        .from(items)
        .where(and(...filterConditions(filters, driver)))
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
