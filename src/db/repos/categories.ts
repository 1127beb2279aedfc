import { asc, eq, gt } from 'drizzle-orm';
import { ConflictError, NotFoundError } from '../../core/errors.ts';
import { normaliseKey } from '../../core/persian.ts';
import type { Category } from '../../core/types.ts';
import type { Database } from '../database.ts';
import { isUniqueViolation } from '../errors.ts';
import { categories, type Origin } from '../schema.ts';

export interface CategoryInput {
  slug: string;
  name: string;
  aliases?: string[];
  description?: string | null;
}

type Row = typeof categories.$inferSelect;

const toCategory = (row: Row): Category => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  aliases: row.aliases,
  description: row.description,
});

export function categoryRepo({ db }: Database, now: () => Date) {
  return {
    async list(opts: { limit?: number; afterId?: number } = {}): Promise<Category[]> {
      const rows = await db
        .select()
        .from(categories)
        .where(opts.afterId ? gt(categories.id, opts.afterId) : undefined)
        .orderBy(asc(categories.id))
        .limit(opts.limit ?? 1000);
      return rows.map(toCategory);
    },

    async bySlug(slug: string): Promise<Category | null> {
      const [row] = await db.select().from(categories).where(eq(categories.slug, slug));
      return row ? toCategory(row) : null;
    },

    async bySlugWithOrigin(slug: string): Promise<{ value: Category; origin: Origin } | null> {
      const [row] = await db.select().from(categories).where(eq(categories.slug, slug));
      return row ? { value: toCategory(row), origin: row.origin } : null;
    },

    async create(input: CategoryInput, origin: Origin = 'api'): Promise<Category> {
      const at = now();
      try {
        const [row] = await db
          .insert(categories)
          .values({
            slug: input.slug,
            name: input.name,
            nameKey: normaliseKey(input.name),
            aliases: input.aliases ?? [],
            description: input.description ?? null,
            origin,
            createdAt: at,
            updatedAt: at,
          })
          .returning();
        return toCategory(row!);
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictError(`category "${input.slug}" already exists`);
        throw error;
      }
    },

    async update(slug: string, patch: Partial<CategoryInput>, origin?: Origin): Promise<Category> {
      const values: Partial<Row> = { updatedAt: now() };
      if (patch.slug !== undefined) values.slug = patch.slug;
      if (patch.name !== undefined) Object.assign(values, { name: patch.name, nameKey: normaliseKey(patch.name) });
      if (patch.aliases !== undefined) values.aliases = patch.aliases;
      if (patch.description !== undefined) values.description = patch.description;
      if (origin) values.origin = origin;
      try {
        const [row] = await db.update(categories).set(values).where(eq(categories.slug, slug)).returning();
        if (!row) throw new NotFoundError(`no category "${slug}"`);
        return toCategory(row);
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictError(`category "${patch.slug}" already exists`);
        throw error;
      }
    },

    async remove(slug: string): Promise<void> {
      const deleted = await db.delete(categories).where(eq(categories.slug, slug)).returning({ id: categories.id });
      if (deleted.length === 0) throw new NotFoundError(`no category "${slug}"`);
    },

    async idsBySlugs(slugs: readonly string[]): Promise<Map<string, number>> {
      const all = await db.select({ id: categories.id, slug: categories.slug }).from(categories);
      const wanted = new Set(slugs);
      return new Map(all.filter((c) => wanted.has(c.slug)).map((c) => [c.slug, c.id]));
    },
  };
}

export type CategoryRepo = ReturnType<typeof categoryRepo>;
