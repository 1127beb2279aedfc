/**
 * The search index behind the items (migration 0003_search_behind): pushes store items without
 * touching FTS5, and this writes `items_search` after them, a step at a time, behind a watermark.
 */
import { sql } from 'drizzle-orm';
import type { Database, RawStatement } from '../database.ts';

/**
 * The search index's watermark: every item with an id at or below it is in `items_search` with
 * its current text (migration 0003_search_behind).
 */
const SEARCH_INDEXED = 'search_indexed_id';
const WATERMARK = `(SELECT CAST(value AS INTEGER) FROM settings WHERE key = '${SEARCH_INDEXED}')`;
/** Items indexed per transaction: ~25 ms of work, short enough to sit between requests. */
export const SEARCH_INDEX_STEP = 500;
/**
 * One step of the indexer: the next items by id, in index key order (FTS5 appends ascending
 * rowids to its segment cheaply: 45 µs an item against 77 µs descending), and the watermark
 * moved past them, all in one transaction, so two indexers (a request and the background, or
 * two processes) never index an item twice.
 */
const INDEX_STEP: RawStatement[] = [
  {
    sql: `INSERT INTO items_search (rowid, search_text)
      SELECT (max(0, min(4294967295, published_at / 1000)) << 31) | id, search_text FROM items
      WHERE id > ${WATERMARK} AND id <= ${WATERMARK} + ? ORDER BY 1`,
    params: [SEARCH_INDEX_STEP],
  },
  {
    sql: `UPDATE settings SET value = max(CAST(value AS INTEGER), min(CAST(value AS INTEGER) + ?, (SELECT coalesce(max(id), 0) FROM items))) WHERE key = ?`,
    params: [SEARCH_INDEX_STEP, SEARCH_INDEXED],
  },
];
/** Rows above the watermark: a count, since deletions leave gaps in the ids (for /metrics). */
const SEARCH_BACKLOG = `SELECT count(*) AS backlog FROM items WHERE id > coalesce(${WATERMARK}, 0)`;
/**
 * How far the watermark is behind the newest id: the backlog or more (deleted rows above the
 * watermark count too), 0 exactly when nothing is behind, and two index lookups however large.
 */
const SEARCH_BEHIND = `SELECT max(0, coalesce((SELECT max(id) FROM items), 0) - coalesce(${WATERMARK}, 0)) AS behind`;

export function searchIndex(database: Database) {
  const { db } = database;
  let behindNow: (() => unknown) | null = null;

  /**
   * Indexes items the search index is behind on, a step at a time, until none is left or
   * `until` says stop (it is asked after each step, so a call with a backlog always makes one);
   * returns how many ids it moved past (the items it indexed, and any deleted ones among them).
   */
  async function indexSearch(until: () => boolean = () => false): Promise<number> {
    let indexed = 0;
    for (;;) {
      const [row] = await db.all<{ behind: number }>(sql.raw(SEARCH_BEHIND));
      const behind = Number(row?.behind ?? 0);
      // A step over deleted rows indexes nothing but still moves the watermark, so this ends.
      if (behind <= 0) return indexed;
      await database.atomic(INDEX_STEP);
      indexed += Math.min(behind, SEARCH_INDEX_STEP);
      if (until()) return indexed;
    }
  }

  return {
    indexSearch,

    /** Items stored but not yet indexed: an exact count (for /metrics). */
    async backlog(): Promise<number> {
      const [row] = await db.all<{ backlog: number }>(sql.raw(SEARCH_BACKLOG));
      return Number(row?.backlog ?? 0);
    },

    /** SEARCH_BEHIND read synchronously where the driver can (better-sqlite3); undefined on D1. */
    behindNow(): number | undefined {
      if (!database.valueNow) return undefined;
      behindNow ??= database.valueNow(SEARCH_BEHIND);
      return Number(behindNow());
    },
  };
}
