/**
 * The rows `items.upsert` writes for a new pushed item (the item, with the repository's own
 * column values; its category links; a numeric short link) by plain prepared INSERTs: what
 * bench/gen/archive.ts fills a large archive with, and the push floor (bench/push-floor.ts).
 */
import type BetterSqlite3 from 'better-sqlite3';
import { dedupKey, VISIBLE_COLUMNS, visibleValues } from '../../src/db/repos/item-writes.ts';
import type { ItemInput } from '../../src/db/repos/items.ts';

/** Numeric short codes start above 1000 (see NEXT_NUMERIC_CODE in src/db/repos/links.ts). */
export const FIRST_CODE = 1001;

/** Writes one prepared item with short code `code`, first seen at `seenAt` (ms); call inside a transaction. */
export type RowWriter = (input: ItemInput, code: number, seenAt: number) => void;

export function rowWriter(raw: BetterSqlite3.Database): RowWriter {
  const insertItem = raw.prepare(
    `INSERT INTO items (source_id, dedup_key, ${VISIBLE_COLUMNS.join(', ')}, first_seen_at, short_code) VALUES (NULL, ?, ${VISIBLE_COLUMNS.map(() => '?').join(', ')}, ?, ?)`,
  );
  const insertCategory = raw.prepare('INSERT OR IGNORE INTO item_categories (item_id, category_id) VALUES (?, ?)');
  const insertLink = raw.prepare('INSERT INTO links (code, num, url, item_id, status, clicks, created_at) VALUES (?, ?, ?, ?, 302, 0, ?)');
  return (input, num, seenAt) => {
    const code = String(num);
    const { lastInsertRowid } = insertItem.run(dedupKey(input.sourceId, input.identity), ...visibleValues(input, seenAt), seenAt, code);
    for (const categoryId of input.categoryIds) insertCategory.run(lastInsertRowid, categoryId);
    insertLink.run(code, num, input.url, lastInsertRowid, seenAt);
  };
}
