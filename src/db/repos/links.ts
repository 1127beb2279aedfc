import { eq, sql } from 'drizzle-orm';
import { ConflictError } from '../../core/errors.ts';
import type { Database } from '../database.ts';
import { isUniqueViolation } from '../errors.ts';
import { links } from '../schema.ts';

export interface StoredLink {
  code: string;
  /** Null for an item without an upstream URL: the redirect goes to the item's own page. */
  url: string | null;
  itemId: number | null;
  status: number;
  clicks: number;
  createdAt: Date;
}

/** The numeric value of a numeric code (kept in `num`, so the next code is max + 1). */
export const numericValue = (code: string) => (/^[1-9][0-9]{0,14}$/.test(code) ? Number(code) : null);

/**
 * The next free numeric code, as a one-row subquery `n`. Codes start above 1000 so they look
 * like the seed's «3643». A literal, not a bound number: better-sqlite3 binds JS numbers as REAL.
 */
export const NEXT_NUMERIC_CODE = sql.raw('(SELECT coalesce(max(num), 1000) + 1 AS n FROM links)');

export function linkRepo(database: Database, now: () => Date) {
  const { db } = database;
  return {
    async byCode(code: string): Promise<StoredLink | null> {
      const [row] = await db.select().from(links).where(eq(links.code, code));
      return row ? { code: row.code, url: row.url, itemId: row.itemId, status: row.status, clicks: row.clicks, createdAt: row.createdAt } : null;
    },

    /** Stores a link for any URL; a numeric code is allocated when none is asked for. */
    async create(input: { url: string; code?: string; status?: number }): Promise<StoredLink> {
      const at = now();
      const status = input.status ?? 302;
      try {
        if (input.code) {
          const [row] = await db
            .insert(links)
            .values({ code: input.code, num: numericValue(input.code), url: input.url, status, createdAt: at })
            .returning();
          return { ...row!, itemId: null };
        }
        const [row] = await db.all<{ code: string }>(sql`INSERT INTO links (code, num, url, status, clicks, created_at)
          SELECT CAST(n AS TEXT), n, ${input.url}, ${status}, 0, ${at.getTime()}
          FROM ${NEXT_NUMERIC_CODE} RETURNING code`);
        return { code: row!.code, url: input.url, itemId: null, status, clicks: 0, createdAt: at };
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictError(`short code "${input.code}" is taken`);
        throw error;
      }
    },
  };
}

export type LinkRepo = ReturnType<typeof linkRepo>;
