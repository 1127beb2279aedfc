/**
 * An empty D1 gets its schema from the Worker on the first request, recorded as wrangler
 * records it; any other database is left to `wrangler d1 migrations apply`. reset() empties
 * this file's D1 (setup.ts migrated it) before each test.
 */
import { applyD1Migrations, createExecutionContext, env, reset, waitOnExecutionContext } from 'cloudflare:test';
import type { D1Database } from '@cloudflare/workers-types';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createWorker } from '../../src/runtime/worker.ts';
import { bundledMigrations, migrateIfEmpty } from '../../src/runtime/worker-migrate.ts';

const ORIGIN = 'https://chapar.example';

async function send(worker: ReturnType<typeof createWorker>, path: string) {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(ORIGIN + path), env, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

const detailOf = async (response: Response) => ((await response.json()) as { detail: string }).detail;

/** Everything a migration leaves: the schema (d1_migrations aside, see below) and the records. */
async function snapshot(db: D1Database) {
  const schema = await db.prepare(`SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name <> 'd1_migrations' AND name NOT GLOB '_cf_*' ORDER BY name`).all();
  const columns = await db.prepare(`SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info('d1_migrations') ORDER BY cid`).all();
  const records = await db.prepare('SELECT id, name, applied_at FROM d1_migrations ORDER BY id').all<{ id: number; name: string; applied_at: string }>();
  return { schema: schema.results, columns: columns.results, records: records.results };
}

const objectCount = async () => (await env.DB.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name NOT GLOB '_cf_*'`).first<{ n: number }>())!.n;

beforeEach(async () => {
  await reset();
});

describe('an empty database', () => {
  it('is truly empty after reset()', async () => {
    expect(await objectCount()).toBe(0);
  });

  it('is migrated on the first request, then serves /healthz and the bundled demo feed', async () => {
    const worker = createWorker();
    const health = await send(worker, '/healthz');
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', database: 'd1' });
    const feed = await send(worker, '/feeds/senfi.rss');
    expect(feed.status).toBe(200);
    expect(await feed.text()).toContain('نشست معاونان وزیر');
  });

  it('is recorded as applyD1Migrations (wrangler) records the same folder', async () => {
    expect(env.TEST_MIGRATIONS.map((m) => m.name)).toEqual(bundledMigrations.map((m) => m.name));
    expect(await migrateIfEmpty(env.DB)).toBe('migrated');
    const byWorker = await snapshot(env.DB);

    await reset();
    await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
    const byWrangler = await snapshot(env.DB);

    expect(byWorker.schema).toEqual(byWrangler.schema);
    expect(byWorker.columns).toEqual(byWrangler.columns);
    const rows = (s: typeof byWorker) => s.records.map(({ id, name }) => ({ id, name }));
    expect(rows(byWorker)).toEqual(rows(byWrangler));
    expect(rows(byWorker)).toEqual(bundledMigrations.map((m, i) => ({ id: i + 1, name: m.name })));
    for (const { applied_at } of byWorker.records) expect(applied_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    // wrangler's own check finds nothing left to apply.
    await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
    expect((await snapshot(env.DB)).records).toEqual(byWrangler.records);
  });

  it('counts as empty with only the record table `wrangler d1 migrations list` leaves behind', async () => {
    await env.DB.prepare('CREATE TABLE IF NOT EXISTS d1_migrations(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)').run();
    expect((await send(createWorker({ config: [] }), '/healthz')).status).toBe(200);
    expect((await snapshot(env.DB)).records.map((r) => r.name)).toEqual(bundledMigrations.map((m) => m.name));
  });

  it('is migrated once when two isolates start on it together, and both answer', async () => {
    const isolates = [createWorker(), createWorker()];
    const answers = await Promise.all(isolates.map((worker) => send(worker, '/feeds/senfi.json')));
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    expect((await snapshot(env.DB)).records.map((r) => r.name)).toEqual(bundledMigrations.map((m) => m.name));
  });

  it('lets the isolate that loses the race re-check and go on', async () => {
    // A peer commits its migration between this isolate's emptiness check and its batch.
    const racing = new Proxy(env.DB, {
      get(target, key) {
        if (key === 'batch') {
          return async (statements: Parameters<D1Database['batch']>[0]) => {
            await applyD1Migrations(target, env.TEST_MIGRATIONS);
            return target.batch(statements);
          };
        }
        const value = Reflect.get(target, key) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    expect(await migrateIfEmpty(racing)).toBe('migrated-elsewhere');
    expect((await snapshot(env.DB)).records.map((r) => r.name)).toEqual(bundledMigrations.map((m) => m.name));
  });
});

describe('a database that is not empty', () => {
  // Each of these logs its failed start on purpose.
  beforeEach(() => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
  });

  it('with migrations pending answers 500 naming the wrangler command, and recovers once they are applied', async () => {
    await applyD1Migrations(env.DB, env.TEST_MIGRATIONS.slice(0, -1));
    const worker = createWorker({ config: [] });
    const res = await send(worker, '/healthz');
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const detail = await detailOf(res);
    expect(detail).toContain(`lacks migration ${bundledMigrations.at(-1)!.name}:`);
    expect(detail).toContain('`npx wrangler d1 migrations apply DB --remote`');
    expect(detail).toContain('`npx wrangler d1 migrations apply DB --local`');
    // Nothing was applied by the Worker.
    expect((await snapshot(env.DB)).records).toHaveLength(bundledMigrations.length - 1);

    await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
    expect((await send(worker, '/healthz')).status).toBe(200);
  });

  it('with tables but no migration records is left alone, and the 500 says why', async () => {
    await env.DB.prepare('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)').run();
    const res = await send(createWorker({ config: [] }), '/healthz');
    expect(res.status).toBe(500);
    expect(await detailOf(res)).toMatch(/^chapar: the D1 database DB has tables, but not Chapar's.*wrangler d1 migrations apply DB --remote/);
    expect(await objectCount()).toBe(1);
  });
});
