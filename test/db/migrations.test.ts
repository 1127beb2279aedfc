import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../../src/db/sqlite.ts';

const dirs: string[] = [];
const tempDb = () => {
  const dir = mkdtempSync(join(tmpdir(), 'chapar-db-'));
  dirs.push(dir);
  return join(dir, 'nested', 'chapar.db');
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('migrations', () => {
  it('create every table on a fresh database, with WAL and foreign keys on', async () => {
    const path = tempDb();
    const database = openSqlite(path);
    await database.close();
    const raw = new BetterSqlite3(path, { readonly: true });
    const tables = raw
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' ORDER BY name`)
      .pluck()
      .all();
    expect(tables).toEqual(expect.arrayContaining([
      'categories', 'feed_polls', 'feed_readers', 'feeds', 'item_categories', 'items', 'link_clicks', 'links',
      'rules', 'settings', 'source_categories', 'sources', 'tokens',
    ]));
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('are applied once: reopening changes nothing and keeps data', async () => {
    const path = tempDb();
    const first = openSqlite(path);
    await first.db.run('INSERT INTO settings (key, value) VALUES (\'k\', \'v\')' as never);
    await first.close();
    const second = openSqlite(path);
    const rows = await second.db.all('SELECT key, value FROM settings ORDER BY key' as never);
    // The search index's watermark (0003_search_behind) starts at the newest item: none.
    expect(rows).toEqual([{ key: 'k', value: 'v' }, { key: 'search_indexed_id', value: '0' }]);
    await second.close();
  });

  it('enforce foreign keys (a category link to a missing item fails)', async () => {
    const database = openSqlite(':memory:');
    await expect((async () => database.db.run('INSERT INTO item_categories (item_id, category_id) VALUES (99, 99)' as never))()).rejects.toSatisfy((e: Error) => /FOREIGN KEY/.test(String((e.cause as Error | undefined)?.message ?? e.message)));
    await database.close();
  });

  it('roll back a failed atomic write entirely', async () => {
    const database = openSqlite(':memory:');
    const { sql } = await import('drizzle-orm');
    await expect(
      database.atomic([sql`INSERT INTO settings (key, value) VALUES ('a', '1')`, sql`INSERT INTO settings (key, value) VALUES ('a', '2')`]),
    ).rejects.toThrow();
    expect(await database.db.all(sql`SELECT * FROM settings WHERE key = 'a'`)).toEqual([]);
    await database.close();
  });
});
