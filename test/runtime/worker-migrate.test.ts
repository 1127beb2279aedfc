/**
 * The migrations the Worker bundles (src/runtime/worker-migrate.ts) against src/db/migrations:
 * adding a migration without listing it there fails here. The module is built the way
 * wrangler builds it (esbuild, *.sql as text), since only a bundler can import .sql.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { unstable_splitSqlQuery } from 'wrangler';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Migration } from '../../src/runtime/worker-migrate.ts';

const migrationsDir = new URL('../../src/db/migrations/', import.meta.url);

let bundled: Migration[];
let statementsOf: (sql: string) => string[];

beforeAll(async () => {
  const result = await build({
    entryPoints: [new URL('../../src/runtime/worker-migrate.ts', import.meta.url).pathname],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    loader: { '.sql': 'text' },
  });
  const module = (await import(`data:text/javascript;base64,${Buffer.from(result.outputFiles[0]!.text).toString('base64')}`)) as typeof import('../../src/runtime/worker-migrate.ts');
  bundled = module.bundledMigrations;
  statementsOf = module.statementsOf;
});

describe('the migrations the Worker applies to an empty D1', () => {
  it('are the .sql files wrangler applies, in its order', () => {
    const files = readdirSync(migrationsDir).filter((name) => name.endsWith('.sql')).sort();
    expect(bundled.map((m) => m.name)).toEqual(files);
  });

  it("are drizzle's journal, in its order", () => {
    const journal = JSON.parse(readFileSync(new URL('meta/_journal.json', migrationsDir), 'utf8')) as { entries: { idx: number; tag: string }[] };
    const tags = [...journal.entries].sort((a, b) => a.idx - b.idx).map((entry) => `${entry.tag}.sql`);
    expect(bundled.map((m) => m.name)).toEqual(tags);
  });

  it('hold the files as they are', () => {
    for (const migration of bundled) expect(migration.sql, migration.name).toBe(readFileSync(new URL(migration.name, migrationsDir), 'utf8'));
  });

  it('split into one statement per breakpoint, as wrangler reads them', () => {
    // D1 prepares one statement at a time: a chunk holding two would lose the second.
    for (const migration of bundled) {
      const chunks = statementsOf(migration.sql);
      expect(chunks.length, migration.name).toBeGreaterThan(0);
      for (const chunk of chunks) expect(unstable_splitSqlQuery(chunk), `${migration.name}: ${chunk.slice(0, 80)}`).toHaveLength(1);
      expect(chunks, migration.name).toHaveLength(unstable_splitSqlQuery(migration.sql).length);
    }
  });
});
