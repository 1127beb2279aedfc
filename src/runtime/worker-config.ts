/**
 * What `prepare()` does at a Node start, for a Worker: the admin token from its secret and the
 * feeds/ config, applied to D1. A Worker has no disk, so feeds/*.json are bundled at build time
 * (test/runtime/worker-config.test.ts fails when a file there is missing from this list).
 */
import { sql } from 'drizzle-orm';
import demo from '../../feeds/demo.json';
import { hashToken } from '../admin/auth.ts';
import { syncConfig, type ConfigDocument, type SyncReport } from '../admin/config/sync.ts';
import { ConflictError } from '../core/errors.ts';
import type { Repos } from '../db/repos/index.ts';

export const bundledConfig: ConfigDocument[] = [{ file: 'demo.json', data: demo }];

/** Sync passes one start may take while a peer isolate applies the same config. */
const MAX_SYNC_PASSES = 10;

/** The settings row remembering what the last bootstrap applied. */
const BOOTSTRAP_KEY = 'workers.bootstrap';

export class BootstrapError extends Error {}

/**
 * Applies the token and config unless this exact pair was applied before: a cold isolate then
 * costs one D1 read, not a full sync. Safe when several isolates start at once: a create that
 * loses the race is retried as an update.
 */
export async function bootstrap(repos: Repos, adminToken: string | null, documents: ConfigDocument[], now: Date): Promise<void> {
  const { db } = repos.database;
  const tokenHash = adminToken ? await hashToken(adminToken) : null;
  // SHA-256 of what would be applied; hashToken is just the project's SHA-256 helper.
  const fingerprint = await hashToken(JSON.stringify({ tokenHash, documents }));
  let applied: { value: string } | undefined;
  try {
    applied = await db.get<{ value: string }>(sql`SELECT value FROM settings WHERE key = ${BOOTSTRAP_KEY}`);
  } catch (error) {
    if (/no such table/.test(String((error as Error).cause ?? error))) {
      // Only a database that was not empty reaches here without tables: worker-migrate.ts migrates an empty one.
      throw new BootstrapError(
        "chapar: the D1 database DB has tables, but not Chapar's, and no migrations recorded: bind DB to an empty database (the Worker migrates it) or run `npx wrangler d1 migrations apply DB --remote` (or --local for wrangler dev)",
      );
    }
    throw error;
  }
  if (applied?.value === fingerprint) return;

  if (tokenHash) await repos.tokens.ensure('bootstrap (CHAPAR_ADMIN_TOKEN)', tokenHash);
  const report = await syncRacing(repos, documents, now);
  for (const conflict of report.conflicts) console.warn(JSON.stringify({ level: 'warn', msg: 'config conflict', detail: conflict }));
  await db.run(sql`INSERT INTO settings (key, value) VALUES (${BOOTSTRAP_KEY}, ${fingerprint})
    ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
}

/**
 * A peer syncing the same documents makes our creates fail where it got there first; the next
 * pass reads what it made and goes on. Each lost race means the peer is further along, so the
 * passes end once we catch up; the bound is for a peer that never finishes.
 */
async function syncRacing(repos: Repos, documents: ConfigDocument[], now: Date): Promise<SyncReport> {
  for (let pass = 1; ; pass++) {
    try {
      return await syncConfig(repos, documents, now);
    } catch (error) {
      if (!(error instanceof ConflictError) || pass >= MAX_SYNC_PASSES) throw error;
    }
  }
}
