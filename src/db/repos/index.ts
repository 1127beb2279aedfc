import { sql } from 'drizzle-orm';
import type { Database } from '../database.ts';
import { audienceRepo } from './audience.ts';
import { categoryRepo } from './categories.ts';
import { feedRepo } from './feeds.ts';
import { itemRepo } from './items.ts';
import { linkRepo, withLinkChanges } from './links.ts';
import { ruleRepo } from './rules.ts';
import { sourceRepo } from './sources.ts';
import { statsRepo } from './stats.ts';
import { tokenRepo } from './tokens.ts';

const sqlOne = sql`SELECT 1`;

/** Every repository over one database; the only way code outside src/db touches data. */
export function createRepos(database: Database, now: () => Date = () => new Date()) {
  const links = linkRepo(database, now);
  return {
    database,
    audience: audienceRepo(database),
    categories: categoryRepo(database, now),
    feeds: feedRepo(database, now),
    items: withLinkChanges(itemRepo(database, now), links),
    links,
    rules: ruleRepo(database, now),
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
