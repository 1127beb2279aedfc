/**
 * Gives an empty D1 database its schema at isolate start, so `npx wrangler dev` works from a
 * fresh clone, and records it exactly as `wrangler d1 migrations apply` would, so wrangler
 * later sees those migrations as applied. Any other database is wrangler's to migrate: a long
 * migration inside a request could outlast a Worker's limits.
 *
 * The SQL is src/db/migrations itself, bundled as text (wrangler's default module rules treat
 * *.sql as Text). test/runtime/worker-migrate.test.ts fails when this list and the folder or
 * drizzle's journal disagree.
 */
import type { D1Database } from '@cloudflare/workers-types';
import init from '../db/migrations/0000_init.sql';
import fts from '../db/migrations/0001_fts.sql';
import searchTimeline from '../db/migrations/0002_search_timeline.sql';
import searchBehind from '../db/migrations/0003_search_behind.sql';

export interface Migration {
  /** The file name, which is what wrangler records. */
  name: string;
  sql: string;
}

export const bundledMigrations: Migration[] = [
  { name: '0000_init.sql', sql: init },
  { name: '0001_fts.sql', sql: fts },
  { name: '0002_search_timeline.sql', sql: searchTimeline },
  { name: '0003_search_behind.sql', sql: searchBehind },
];

/** wrangler's default; wrangler.toml sets no migrations_table. */
const TABLE = 'd1_migrations';

/** wrangler's own statement (src/d1/migrations/helpers.ts), byte for byte, so the schema matches too. */
const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS ${TABLE}(
		id         INTEGER PRIMARY KEY AUTOINCREMENT,
		name       TEXT UNIQUE,
		applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
);`;

export class MigrationError extends Error {}

/** drizzle-kit separates statements this way; drizzle's Node migrator splits on the same marker. */
export function statementsOf(sql: string): string[] {
  return sql
    .split('--> statement-breakpoint')
    .map((statement) => statement.trim())
    .filter((statement) => statement !== '');
}

export type MigrateOutcome = 'up-to-date' | 'migrated' | 'migrated-elsewhere' | 'not-ours';

/**
 * One D1 read when the database is up to date. Throws a MigrationError naming the wrangler
 * command when some migrations are recorded and others are not.
 */
export async function migrateIfEmpty(db: D1Database, migrations: Migration[] = bundledMigrations): Promise<MigrateOutcome> {
  const applied = await appliedNames(db);
  if (applied && applied.size > 0) {
    assertNonePending(applied, migrations);
    return 'up-to-date';
  }
  // Empty means nothing to lose and nothing half done: no table, index, view or trigger but
  // wrangler's record table, which `wrangler d1 migrations list` creates and leaves empty.
  // Tables without records were made some other way; the bootstrap says if they are not Chapar's.
  if (!(await isEmpty(db))) return 'not-ours';

  // Every migration in one batch, which D1 runs as one transaction: peers never see a half
  // migrated database, and a failure leaves it empty for the next request to try again.
  const insert = db.prepare(`INSERT INTO ${TABLE} (name) VALUES (?)`);
  const statements = [db.prepare(CREATE_TABLE)];
  for (const migration of migrations) {
    statements.push(...statementsOf(migration.sql).map((sql) => db.prepare(sql)), insert.bind(migration.name));
  }
  try {
    await db.batch(statements);
    return 'migrated';
  } catch (error) {
    // Another isolate migrated first: our batch hit its tables (or the unique names) and rolled back.
    const now = await appliedNames(db);
    if (!now || now.size === 0) throw error;
    assertNonePending(now, migrations);
    return 'migrated-elsewhere';
  }
}

/** What wrangler has recorded, or null when it has no record table yet. */
async function appliedNames(db: D1Database): Promise<Set<string> | null> {
  try {
    const { results } = await db.prepare(`SELECT name FROM ${TABLE}`).all<{ name: string }>();
    return new Set(results.map((row) => row.name));
  } catch (error) {
    if (/no such table/.test(String((error as Error).message))) return null;
    throw error;
  }
}

async function isEmpty(db: D1Database): Promise<boolean> {
  // sqlite_* are SQLite's own (sequences, autoindexes); _cf_* are D1's.
  const { results } = await db
    .prepare(`SELECT name FROM sqlite_master WHERE name <> ? AND name NOT GLOB 'sqlite_*' AND name NOT GLOB '_cf_*' LIMIT 1`)
    .bind(TABLE)
    .all();
  return results.length === 0;
}

function assertNonePending(applied: Set<string>, migrations: Migration[]): void {
  const pending = migrations.filter((migration) => !applied.has(migration.name)).map((migration) => migration.name);
  if (pending.length === 0) return;
  throw new MigrationError(
    `chapar: the D1 database DB lacks ${pending.length === 1 ? 'migration' : 'migrations'} ${pending.join(', ')}: ` +
      'run `npx wrangler d1 migrations apply DB --remote` (or `npx wrangler d1 migrations apply DB --local` for wrangler dev), then retry',
  );
}
