import { and, asc, eq, gt, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { ConflictError, NotFoundError } from '../../core/errors.ts';
import { chunk, type Database } from '../database.ts';
import { isUniqueViolation } from '../errors.ts';
import { sourceCategories, sources, type Origin, type SourceKind, type SourceState } from '../schema.ts';

export type SourceRow = typeof sources.$inferSelect;
export type Source = SourceRow & { categoryIds: number[] };

export interface SourceInput {
  url: string;
  kind?: SourceKind;
  title?: string | null;
  siteUrl?: string | null;
  intervalMinutes?: number;
  charset?: string | null;
  timeZone?: string | null;
  options?: Record<string, unknown>;
  categoryIds?: number[];
  state?: SourceState;
}

/** What one fetch leaves behind on its source: validators, outcome, next check, state. */
export type FetchState = Partial<
  Pick<
    SourceRow,
    | 'title'
    | 'siteUrl'
    | 'state'
    | 'etag'
    | 'lastModified'
    | 'bodyHash'
    | 'lastFetchedAt'
    | 'lastSuccessAt'
    | 'lastUnconditionalAt'
    | 'lastStatus'
    | 'lastError'
    | 'lastErrorAt'
    | 'errorCount'
    | 'nextCheckAt'
  >
>;

export function sourceRepo(database: Database, now: () => Date) {
  const { db } = database;

  async function attachCategories(rows: SourceRow[]): Promise<Source[]> {
    if (rows.length === 0) return [];
    const bySource = new Map<number, number[]>();
    for (const part of chunk(rows.map((r) => r.id))) {
      for (const pair of await db.select().from(sourceCategories).where(inArray(sourceCategories.sourceId, part))) {
        bySource.set(pair.sourceId, [...(bySource.get(pair.sourceId) ?? []), pair.categoryId]);
      }
    }
    return rows.map((row) => ({ ...row, categoryIds: bySource.get(row.id) ?? [] }));
  }

  function categoryStatements(sourceId: number, categoryIds: number[]) {
    return [
      sql`DELETE FROM source_categories WHERE source_id = ${sourceId}`,
      ...[...new Set(categoryIds)].map(
        (id) => sql`INSERT INTO source_categories (source_id, category_id) VALUES (${sourceId}, ${id})`,
      ),
    ];
  }

  /** Lease is free: never taken, or its holder ran past it (crashed, or hung). */
  const leaseFree = (at: Date) => or(isNull(sources.leaseUntil), lt(sources.leaseUntil, at));

  return {
    async list(opts: { limit?: number; afterId?: number } = {}): Promise<Source[]> {
      const rows = await db
        .select()
        .from(sources)
        .where(opts.afterId ? gt(sources.id, opts.afterId) : undefined)
        .orderBy(asc(sources.id))
        .limit(opts.limit ?? 1000);
      return attachCategories(rows);
    },

    async byId(id: number): Promise<Source | null> {
      const rows = await db.select().from(sources).where(eq(sources.id, id));
      return (await attachCategories(rows))[0] ?? null;
    },

    async byUrl(url: string): Promise<Source | null> {
      const rows = await db.select().from(sources).where(eq(sources.url, url));
      return (await attachCategories(rows))[0] ?? null;
    },

    async create(input: SourceInput, origin: Origin = 'api'): Promise<Source> {
      const at = now();
      let row: SourceRow | undefined;
      try {
        [row] = await db
          .insert(sources)
          .values({
            url: input.url,
            kind: input.kind ?? 'feed',
            title: input.title ?? null,
            siteUrl: input.siteUrl ?? null,
            intervalMinutes: input.intervalMinutes ?? 60,
            charset: input.charset ?? null,
            timeZone: input.timeZone ?? null,
            options: input.options ?? {},
            state: input.state ?? 'active',
            nextCheckAt: at,
            origin,
            createdAt: at,
            updatedAt: at,
          })
          .returning();
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictError(`source ${input.url} already exists`);
        throw error;
      }
      if (input.categoryIds?.length) await database.atomic(categoryStatements(row!.id, input.categoryIds));
      return { ...row!, categoryIds: [...new Set(input.categoryIds ?? [])] };
    },

    /**
     * Changes settings. A new URL forgets the old one's validators and body hash; turning a
     * source back on clears its failure count and makes it due now.
     */
    async update(id: number, patch: Partial<SourceInput>, origin?: Origin): Promise<Source> {
      const { categoryIds, ...fields } = patch;
      const at = now();
      const values: Partial<SourceRow> = { ...fields, updatedAt: at };
      if (origin) values.origin = origin;
      const [current] = await db.select({ url: sources.url }).from(sources).where(eq(sources.id, id));
      if (!current) throw new NotFoundError(`no source ${id}`);
      if (fields.url !== undefined && fields.url !== current.url) {
        Object.assign(values, { etag: null, lastModified: null, bodyHash: null, lastUnconditionalAt: null, nextCheckAt: at });
      }
      if (fields.state === 'active') Object.assign(values, { errorCount: 0, nextCheckAt: at });
      // What the stored items were made with changed: the next fetch must not skip an identical body.
      if (categoryIds || fields.charset !== undefined || fields.timeZone !== undefined) values.bodyHash = null;
      let row: SourceRow | undefined;
      try {
        [row] = await db.update(sources).set(values).where(eq(sources.id, id)).returning();
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictError(`source ${fields.url} already exists`);
        throw error;
      }
      if (!row) throw new NotFoundError(`no source ${id}`);
      if (categoryIds) await database.atomic(categoryStatements(id, categoryIds));
      return (await this.byId(id))!;
    },

    async remove(id: number): Promise<void> {
      const deleted = await db.delete(sources).where(eq(sources.id, id)).returning({ id: sources.id });
      if (deleted.length === 0) throw new NotFoundError(`no source ${id}`);
    },

    /**
     * Takes the source's lease for `ttlMs` in one conditional UPDATE, so of two ticks or two
     * processes racing for it exactly one gets the row back. Null when someone holds it (or
     * there is no such source).
     */
    async lease(id: number, owner: string, ttlMs: number, at: Date = now()): Promise<Source | null> {
      const rows = await db
        .update(sources)
        .set({ leaseUntil: new Date(at.getTime() + ttlMs), leaseOwner: owner })
        .where(and(eq(sources.id, id), leaseFree(at)))
        .returning();
      return (await attachCategories(rows))[0] ?? null;
    },

    /** Stores what a fetch found and gives the lease back; false when the lease was lost meanwhile. */
    async finishFetch(id: number, owner: string, state: FetchState): Promise<boolean> {
      const done = await db
        .update(sources)
        .set({ ...state, leaseUntil: null, leaseOwner: null })
        .where(and(eq(sources.id, id), eq(sources.leaseOwner, owner)))
        .returning({ id: sources.id });
      return done.length > 0;
    },

    /**
     * Active sources whose next check has come (every active one with `ignoreSchedule`) and
     * that nobody is fetching, longest waiting first.
     */
    async due(limit: number, at: Date = now(), opts: { ignoreSchedule?: boolean } = {}): Promise<Source[]> {
      const scheduled = opts.ignoreSchedule ? undefined : or(isNull(sources.nextCheckAt), lte(sources.nextCheckAt, at));
      const rows = await db
        .select()
        .from(sources)
        .where(and(eq(sources.state, 'active'), scheduled, leaseFree(at)))
        .orderBy(asc(sources.nextCheckAt), asc(sources.id))
        .limit(limit);
      return attachCategories(rows);
    },
  };
}

export type SourceRepo = ReturnType<typeof sourceRepo>;
