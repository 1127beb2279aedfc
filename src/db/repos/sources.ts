import { asc, eq, gt, sql } from 'drizzle-orm';
import { ConflictError, NotFoundError } from '../../core/errors.ts';
import type { Database } from '../database.ts';
import { isUniqueViolation } from '../errors.ts';
import { sourceCategories, sources, type Origin, type SourceKind } from '../schema.ts';

export type SourceRow = typeof sources.$inferSelect;
export type Source = SourceRow & { categoryIds: number[] };

export interface SourceInput {
  url: string;
  kind?: SourceKind;
  title?: string | null;
  intervalMinutes?: number;
  charset?: string | null;
  timeZone?: string | null;
  options?: Record<string, unknown>;
  categoryIds?: number[];
}

export function sourceRepo(database: Database, now: () => Date) {
  const { db } = database;

  async function attachCategories(rows: SourceRow[]): Promise<Source[]> {
    if (rows.length === 0) return [];
    const pairs = await db.select().from(sourceCategories);
    return rows.map((row) => ({
      ...row,
      categoryIds: pairs.filter((p) => p.sourceId === row.id).map((p) => p.categoryId),
    }));
  }

  function categoryStatements(sourceId: number, categoryIds: number[]) {
    return [
      sql`DELETE FROM source_categories WHERE source_id = ${sourceId}`,
      ...[...new Set(categoryIds)].map(
        (id) => sql`INSERT INTO source_categories (source_id, category_id) VALUES (${sourceId}, ${id})`,
      ),
    ];
  }

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
            intervalMinutes: input.intervalMinutes ?? 60,
            charset: input.charset ?? null,
            timeZone: input.timeZone ?? null,
            options: input.options ?? {},
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

    async update(id: number, patch: Partial<SourceInput>, origin?: Origin): Promise<Source> {
      const { categoryIds, ...fields } = patch;
      const values: Partial<SourceRow> = { ...fields, updatedAt: now() };
      if (origin) values.origin = origin;
      const [row] = await db.update(sources).set(values).where(eq(sources.id, id)).returning();
      if (!row) throw new NotFoundError(`no source ${id}`);
      if (categoryIds) await database.atomic(categoryStatements(id, categoryIds));
      return (await this.byId(id))!;
    },

    async remove(id: number): Promise<void> {
      const deleted = await db.delete(sources).where(eq(sources.id, id)).returning({ id: sources.id });
      if (deleted.length === 0) throw new NotFoundError(`no source ${id}`);
    },
  };
}

export type SourceRepo = ReturnType<typeof sourceRepo>;
