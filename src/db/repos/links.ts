import { and, desc, eq, gte, lt, or, sql, type SQLWrapper } from 'drizzle-orm';
import { ConflictError } from '../../core/errors.ts';
import { chunk, type Database } from '../database.ts';
import { isUniqueViolation } from '../errors.ts';
import { linkClicks, links } from '../schema.ts';
import type { ItemRepo } from './items.ts';

export interface StoredLink {
  code: string;
  /** Null for an item without an upstream URL: the redirect goes to the item's own page. */
  url: string | null;
  itemId: number | null;
  status: number;
  clicks: number;
  createdAt: Date;
}

/** Human clicks on one link, one day, from one referring host ('' for none), as buffered. */
export interface ClickCount {
  code: string;
  day: string;
  referrerHost: string;
  count: number;
}

export interface ClickStats {
  byDay: { day: string; clicks: number }[];
  referrers: { host: string; clicks: number }[];
}

/** Position in the newest-first listing. */
export interface LinkCursor {
  createdAt: number;
  code: string;
}

/** Told the code whose target changed, or null when any may have (the redirect cache listens). */
export type LinkChangeListener = (code: string | null) => void;

/** The numeric value of a numeric code (kept in `num`, so the next code is max + 1). */
export const numericValue = (code: string) => (/^[1-9][0-9]{0,14}$/.test(code) ? Number(code) : null);

/**
 * The next free numeric code, as a one-row subquery `n`. Codes start above 1000 so they look
 * like the seed's «3643», even after a custom code such as "7". A literal, not a bound number:
 * better-sqlite3 binds JS numbers as REAL.
 */
export const NEXT_CODE_SQL = '(SELECT max(coalesce(max(num), 0), 1000) + 1 AS n FROM links)';
export const NEXT_NUMERIC_CODE = sql.raw(NEXT_CODE_SQL);

/** Statements per `atomic` call when flushing clicks, well inside D1's batch limits. */
const BATCH = 200;

type Row = typeof links.$inferSelect;

const toLink = (row: Row): StoredLink => ({ code: row.code, url: row.url, itemId: row.itemId, status: row.status, clicks: row.clicks, createdAt: row.createdAt });

export function linkRepo(database: Database, now: () => Date) {
  const { db } = database;
  const listeners = new Set<LinkChangeListener>();
  const changed = (code: string | null) => {
    for (const listener of listeners) listener(code);
  };

  async function byCode(code: string): Promise<StoredLink | null> {
    const [row] = await db.select().from(links).where(eq(links.code, code));
    return row ? toLink(row) : null;
  }

  return {
    /** Subscribes to target changes; returns the unsubscribe function. */
    onChange(listener: LinkChangeListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** For writers outside this repository (items) that move or remove link rows. */
    changed,

    byCode,

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
          changed(input.code);
          return toLink(row!);
        }
        const [row] = await db.all<{ code: string }>(sql`INSERT INTO links (code, num, url, status, clicks, created_at)
          SELECT CAST(n AS TEXT), n, ${input.url}, ${status}, 0, ${at.getTime()}
          FROM ${NEXT_NUMERIC_CODE} RETURNING code`);
        changed(row!.code);
        return { code: row!.code, url: input.url, itemId: null, status, clicks: 0, createdAt: at };
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictError(`short code "${input.code}" is taken`);
        throw error;
      }
    },

    /** Newest first. */
    async list(opts: { limit: number; before?: LinkCursor }): Promise<StoredLink[]> {
      const { before } = opts;
      const rows = await db
        .select()
        .from(links)
        .where(
          before
            ? or(lt(links.createdAt, new Date(before.createdAt)), and(eq(links.createdAt, new Date(before.createdAt)), lt(links.code, before.code)))
            : undefined,
        )
        .orderBy(desc(links.createdAt), desc(links.code))
        .limit(opts.limit);
      return rows.map(toLink);
    },

    async update(code: string, patch: { url?: string; status?: number }): Promise<StoredLink | null> {
      const values: Partial<Row> = {};
      if (patch.url !== undefined) values.url = patch.url;
      if (patch.status !== undefined) values.status = patch.status;
      if (Object.keys(values).length === 0) return byCode(code);
      const [row] = await db.update(links).set(values).where(eq(links.code, code)).returning();
      changed(code);
      return row ? toLink(row) : null;
    },

    /** Removes the link and its click counts; null when there was none. */
    async remove(code: string): Promise<StoredLink | null> {
      const [row] = await db.delete(links).where(eq(links.code, code)).returning();
      changed(code);
      return row ? toLink(row) : null;
    },

    /** Adds buffered clicks; clicks on links deleted meanwhile are dropped. */
    async addClicks(counts: ClickCount[]): Promise<void> {
      const statements: SQLWrapper[] = [];
      const totals = new Map<string, number>();
      for (const { code, day, referrerHost, count } of counts) {
        statements.push(sql`INSERT INTO link_clicks (code, day, referrer_host, count)
          SELECT code, ${day}, ${referrerHost}, ${count} FROM links WHERE code = ${code}
          ON CONFLICT (code, day, referrer_host) DO UPDATE SET count = count + excluded.count`);
        totals.set(code, (totals.get(code) ?? 0) + count);
      }
      for (const [code, count] of totals) statements.push(sql`UPDATE links SET clicks = clicks + ${count} WHERE code = ${code}`);
      for (const part of chunk(statements, BATCH)) await database.atomic(part);
    },

    /** Clicks per day (oldest first) since `sinceDay`, and the top referring hosts of all time. */
    async clickStats(code: string, opts: { sinceDay: string; referrers: number }): Promise<ClickStats> {
      const byDay = await db
        .select({ day: linkClicks.day, clicks: sql<number>`sum(${linkClicks.count})` })
        .from(linkClicks)
        .where(and(eq(linkClicks.code, code), gte(linkClicks.day, opts.sinceDay)))
        .groupBy(linkClicks.day)
        .orderBy(linkClicks.day);
      const referrers = await db
        .select({ host: linkClicks.referrerHost, clicks: sql<number>`sum(${linkClicks.count})` })
        .from(linkClicks)
        .where(eq(linkClicks.code, code))
        .groupBy(linkClicks.referrerHost)
        .orderBy(desc(sql`2`), linkClicks.referrerHost)
        .limit(opts.referrers);
      return {
        byDay: byDay.map((r) => ({ day: r.day, clicks: Number(r.clicks) })),
        referrers: referrers.map((r) => ({ host: r.host, clicks: Number(r.clicks) })),
      };
    },
  };
}

export type LinkRepo = ReturnType<typeof linkRepo>;

/**
 * The item repository, telling the link cache when items.ts moves or removes link rows
 * itself (an upstream URL edit, a tombstone), so a deleted item's code stops redirecting at once.
 */
export function withLinkChanges(items: ItemRepo, links: Pick<LinkRepo, 'changed'>): ItemRepo {
  return {
    ...items,
    async upsert(inputs) {
      const results = await items.upsert(inputs);
      for (const { outcome, shortCode } of results) {
        // A new item's code may be cached as missing; an updated one's target may have moved.
        if (outcome === 'updated' || (outcome === 'new' && shortCode !== null)) links.changed(shortCode);
      }
      return results;
    },
    async tombstone(id) {
      const done = await items.tombstone(id);
      if (done) links.changed(null);
      return done;
    },
  };
}
