import { sql } from 'drizzle-orm';
import type { Database } from '../database.ts';
import { categoryRepo } from './categories.ts';
import { feedRepo } from './feeds.ts';
import { itemRepo } from './items.ts';
import { linkRepo } from './links.ts';
import { sourceRepo } from './sources.ts';
import { statsRepo } from './stats.ts';
import { tokenRepo } from './tokens.ts';

const sqlOne = sql`SELECT 1`;

/** Every repository over one database; the only way code outside src/db touches data. */
export function createRepos(database: Database, now: () => Date = () => new Date()) {
  return {
    database,
    categories: categoryRepo(database, now),
    feeds: feedRepo(database, now),
    items: itemRepo(database, now),
    links: linkRepo(database, now),
    sources: sourceRepo(database, now),
    stats: statsRepo(database),
    tokens: tokenRepo(database, now),
    /** Cheap liveness probe for /healthz. */
    async ping(): Promise<void> {
      await database.db.get(sqlOne);
    },
  };
}

export type Repos = ReturnType<typeof createRepos>;
