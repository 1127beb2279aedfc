/**
 * An item's writes as positional SQL (RawStatement): the hot path of every push and fetch, kept
 * beside the items repository that runs them (src/db/repos/items.ts, upsert).
 */
import type { RawStatement } from '../database.ts';
import type { ItemInput } from './items.ts';
import { NEXT_CODE_SQL, numericValue } from './links.ts';

/** An item's key among all items: its source (or "push") and its identity there. */
export const dedupKey = (sourceId: number | null, identity: string) => `${sourceId ?? 'push'}:${identity}`;

/** The id of the item a statement's first `?` names by dedup key. */
const ITEM_ID = '(SELECT id FROM items WHERE dedup_key = ?)';
/** The columns a write sets from the item, in the order of `visibleValues`. */
export const VISIBLE_COLUMNS = ['guid', 'url', 'title', 'summary', 'content', 'author', 'published_at', 'updated_at', 'changed_at', 'content_hash', 'labels', 'enclosures', 'search_text'];
/** What a write answers of its item, so a push needs no read after it. */
const STORED = 'RETURNING id, guid, short_code AS shortCode';
const UPDATE_ITEM = `UPDATE items SET ${VISIBLE_COLUMNS.map((c) => `${c} = ?`).join(', ')} WHERE dedup_key = ? ${STORED}`;

/**
 * A new item with its short code decided in the same statement: the upstream's code when no
 * link holds it (its text or its number), else the next numeric one. The LIMIT keeps SQLite
 * from pushing a WHERE into the max(num) subquery, where it turns the index's one-row lookup
 * into a scan of every link (0.9 ms at 20,000 links, 0.01 ms with the LIMIT).
 */
const INSERT_ITEM = `INSERT INTO items (source_id, dedup_key, ${VISIBLE_COLUMNS.join(', ')}, first_seen_at, short_code)
  VALUES (${Array(VISIBLE_COLUMNS.length + 3).fill('?').join(', ')},
    CASE WHEN ? IS NOT NULL AND NOT EXISTS (SELECT 1 FROM links WHERE code = ? OR num = ?) THEN ?
    ELSE (SELECT CAST(n AS TEXT) FROM (SELECT n FROM ${NEXT_CODE_SQL} LIMIT 1)) END) ${STORED}`;
/** The link a new item's short code names; `num` is the code's number (null for a code with letters). */
const INSERT_LINK = `INSERT INTO links (code, num, url, item_id, status, clicks, created_at)
  SELECT short_code, CASE WHEN short_code = ? THEN ? ELSE CAST(short_code AS INTEGER) END, url, id, 302, 0, ? FROM items WHERE dedup_key = ?`;
const INSERT_CATEGORIES = `INSERT OR IGNORE INTO item_categories (item_id, category_id) SELECT ${ITEM_ID}, value FROM json_each(?)`;

/** The settings row that grows with every change a reader could see (migrations 0001 and 0003). */
export const PUBLISH_VERSION = 'publish_version';
/** One bump per write that inserts items: a row trigger did it once per item (0003_search_behind). */
export const BUMP_PUBLISH_VERSION: RawStatement = {
  sql: "INSERT INTO settings (key, value) VALUES (?, '1') ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
  params: [PUBLISH_VERSION],
};

/**
 * One item's write as positional statements (see RawStatement): the hot path of every push and
 * fetch. The first, the item's INSERT or UPDATE, answers its Stored row.
 */
/** The values of VISIBLE_COLUMNS for an item changed at `changedAt` (ms). */
export function visibleValues(input: ItemInput, changedAt: number): unknown[] {
  return [
    input.guid,
    input.url,
    input.title,
    input.summary,
    input.content,
    input.author,
    input.publishedAt.getTime(),
    input.updatedAt?.getTime() ?? null,
    changedAt,
    input.contentHash,
    JSON.stringify(input.labels),
    JSON.stringify(input.enclosures),
    input.searchText,
  ];
}

/**
 * One item's write, as an INSERT of a new item or an UPDATE of the stored one (`stored`), and its
 * link and categories. The first statement answers the item's id, guid and short code (RETURNING).
 */
export function itemWriteStatements(input: ItemInput, stored: boolean, at: Date): RawStatement[] {
  const key = dedupKey(input.sourceId, input.identity);
  const ms = at.getTime();
  const visible = visibleValues(input, ms);
  const categories = { sql: INSERT_CATEGORIES, params: [key, JSON.stringify([...new Set(input.categoryIds)])] };
  if (stored) {
    return [
      { sql: UPDATE_ITEM, params: [...visible, key] },
      { sql: `DELETE FROM item_categories WHERE item_id = ${ITEM_ID}`, params: [key] },
      { sql: `UPDATE links SET url = ? WHERE item_id = ${ITEM_ID}`, params: [input.url, key] },
      categories,
    ];
  }
  const code = input.shortCode;
  const num = code === null ? null : numericValue(code);
  return [
    { sql: INSERT_ITEM, params: [input.sourceId, key, ...visible, ms, code, code, num, code] },
    { sql: INSERT_LINK, params: [code, num, ms, key] },
    categories,
  ];
}
