import { asc, eq, gt } from 'drizzle-orm';
import { NotFoundError } from '../../core/errors.ts';
import type { Rule, RuleField, RuleOp } from '../../core/rules.ts';
import type { Database } from '../database.ts';
import { categories, rules, type Origin } from '../schema.ts';

export interface StoredRule extends Rule {
  id: number;
  /** The category's slug, as the API speaks it. */
  category: string;
  createdAt: Date;
}

export interface RuleInput {
  categoryId: number;
  field: RuleField;
  op: RuleOp;
  value: string;
}

const columns = {
  id: rules.id,
  categoryId: rules.categoryId,
  category: categories.slug,
  field: rules.field,
  op: rules.op,
  value: rules.value,
  createdAt: rules.createdAt,
};

export function ruleRepo({ db }: Database, now: () => Date) {
  const select = () => db.select(columns).from(rules).innerJoin(categories, eq(categories.id, rules.categoryId));

  return {
    async list(opts: { limit?: number; afterId?: number } = {}): Promise<StoredRule[]> {
      return select()
        .where(opts.afterId ? gt(rules.id, opts.afterId) : undefined)
        .orderBy(asc(rules.id))
        .limit(opts.limit ?? 1000);
    },

    /** Every rule, for one ingest run: rules are few, so they are read once and compiled. */
    async all(): Promise<StoredRule[]> {
      return select().orderBy(asc(rules.id));
    },

    async byId(id: number): Promise<StoredRule | null> {
      const [row] = await select().where(eq(rules.id, id));
      return row ?? null;
    },

    async create(input: RuleInput, origin: Origin = 'api'): Promise<StoredRule> {
      const [row] = await db
        .insert(rules)
        .values({ ...input, origin, createdAt: now() })
        .returning({ id: rules.id });
      return (await this.byId(row!.id))!;
    },

    async update(id: number, patch: Partial<RuleInput>): Promise<StoredRule> {
      if (Object.keys(patch).length > 0) {
        const done = await db.update(rules).set(patch).where(eq(rules.id, id)).returning({ id: rules.id });
        if (done.length === 0) throw new NotFoundError(`no rule ${id}`);
      }
      const rule = await this.byId(id);
      if (!rule) throw new NotFoundError(`no rule ${id}`);
      return rule;
    },

    async remove(id: number): Promise<void> {
      const deleted = await db.delete(rules).where(eq(rules.id, id)).returning({ id: rules.id });
      if (deleted.length === 0) throw new NotFoundError(`no rule ${id}`);
    },
  };
}

export type RuleRepo = ReturnType<typeof ruleRepo>;
