import { asc, eq, gt } from 'drizzle-orm';
import { ConflictError, NotFoundError } from '../../core/errors.ts';
import type { FeedFilter, LinkMode, PublishedFeed } from '../../core/types.ts';
import type { Database } from '../database.ts';
import { isUniqueViolation } from '../errors.ts';
import { feeds, type Origin } from '../schema.ts';

export interface FeedInput {
  slug: string;
  title: string;
  description?: string | null;
  language?: string | null;
  filter?: FeedFilter;
  limit?: number;
  links?: LinkMode;
  maxAgeSeconds?: number;
}

type Row = typeof feeds.$inferSelect;

const toFeed = (row: Row): PublishedFeed => ({
  id: row.id,
  slug: row.slug,
  title: row.title,
  description: row.description,
  language: row.language,
  filter: row.filter,
  limit: row.limit,
  links: row.links,
  maxAgeSeconds: row.maxAgeSeconds,
  updatedAt: row.updatedAt,
});

export function feedRepo({ db }: Database, now: () => Date) {
  return {
    async list(opts: { limit?: number; afterId?: number } = {}): Promise<PublishedFeed[]> {
      const rows = await db
        .select()
        .from(feeds)
        .where(opts.afterId ? gt(feeds.id, opts.afterId) : undefined)
        .orderBy(asc(feeds.id))
        .limit(opts.limit ?? 1000);
      return rows.map(toFeed);
    },

    async bySlug(slug: string): Promise<PublishedFeed | null> {
      const [row] = await db.select().from(feeds).where(eq(feeds.slug, slug));
      return row ? toFeed(row) : null;
    },

    async bySlugWithOrigin(slug: string): Promise<{ value: PublishedFeed; origin: Origin } | null> {
      const [row] = await db.select().from(feeds).where(eq(feeds.slug, slug));
      return row ? { value: toFeed(row), origin: row.origin } : null;
    },

    async create(input: FeedInput, origin: Origin = 'api'): Promise<PublishedFeed> {
      const at = now();
      try {
        const [row] = await db
          .insert(feeds)
          .values({
            slug: input.slug,
            title: input.title,
            description: input.description ?? null,
            language: input.language ?? null,
            filter: input.filter ?? {},
            limit: input.limit ?? 50,
            links: input.links ?? 'original',
            maxAgeSeconds: input.maxAgeSeconds ?? 300,
            origin,
            createdAt: at,
            updatedAt: at,
          })
          .returning();
        return toFeed(row!);
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictError(`feed "${input.slug}" already exists`);
        throw error;
      }
    },

    async update(slug: string, patch: Partial<FeedInput>, origin?: Origin): Promise<PublishedFeed> {
      const values: Partial<Row> = { updatedAt: now() };
      for (const key of ['slug', 'title', 'description', 'language', 'filter', 'limit', 'links', 'maxAgeSeconds'] as const) {
        if (patch[key] !== undefined) Object.assign(values, { [key]: patch[key] });
      }
      if (origin) values.origin = origin;
      try {
        const [row] = await db.update(feeds).set(values).where(eq(feeds.slug, slug)).returning();
        if (!row) throw new NotFoundError(`no feed "${slug}"`);
        return toFeed(row);
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictError(`feed "${patch.slug}" already exists`);
        throw error;
      }
    },

    async remove(slug: string): Promise<void> {
      const deleted = await db.delete(feeds).where(eq(feeds.slug, slug)).returning({ id: feeds.id });
      if (deleted.length === 0) throw new NotFoundError(`no feed "${slug}"`);
    },
  };
}

export type FeedRepo = ReturnType<typeof feedRepo>;
