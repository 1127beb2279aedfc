/**
 * The push's floor, beside the push figure as the bare Hono server is beside the serving ones:
 * the rows a push of the bench's items stores (bench/gen/rows.ts), written by plain prepared
 * INSERTs in one transaction per 1,000, on the same schema, pragmas and core as the server, with
 * no HTTP, JSON, validation, dedup lookup or short-code decision. Two alternating kinds of batch:
 * the INSERTs alone (items prepared before the clock starts), and the INSERTs with Chapar's
 * `prepareItem` (sanitise, normalise, hash) inside the clock. A push can be no faster than the
 * first; the gap between the second and the push is HTTP, JSON, zod and the repository.
 *
 *   npx tsx bench/push-floor.ts FILE ITEMS     prints one JSON line (a PushFloor)
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { ItemInput } from '../src/db/repos/items.ts';
import { prepareItem } from '../src/ingest/prepare.ts';
import { benchDatabase } from './gen/archive.ts';
import { benchItem, type BenchItem } from './gen/persian.ts';
import { FIRST_CODE, rowWriter } from './gen/rows.ts';
import { onCore } from './lib/proc.ts';
import { BATCH } from './lib/seed.ts';
import { ROOT } from './lib/servers.ts';

export interface PushFloor {
  /** Items written by each kind of batch. */
  items: number;
  /** The INSERTs alone. */
  insertsPerSecond: number;
  /** `prepareItem` and the INSERTs. */
  preparedPerSecond: number;
}

/** Runs the floor in a child process on `core` (the server's), over a new database in `work`. */
export function measurePushFloor(opts: { items: number; work: string; core: number | null }): PushFloor {
  const [command, args] = onCore(opts.core, process.execPath, ['--import', 'tsx', 'bench/push-floor.ts', join(opts.work, 'floor.db'), String(opts.items)]);
  const run = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`bench: the push floor failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as PushFloor;
}

async function floor(file: string, items: number): Promise<PushFloor> {
  const categoryIds = await benchDatabase(file);
  const raw = new BetterSqlite3(file);
  // The server's connection settings (src/db/sqlite.ts, openSqlite).
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('busy_timeout = 5000');
  raw.pragma('foreign_keys = ON');
  const write = rowWriter(raw);
  const now = new Date();
  // As pushItems prepares a pushed item (src/ingest/push.ts).
  const prepare = (item: BenchItem): ItemInput =>
    prepareItem(
      { title: item.title, url: item.url, content: item.content, author: item.author ?? null, publishedAt: new Date(item.publishedAt) },
      { sourceId: null, categoryIds: item.categories.map((slug) => categoryIds.get(slug)!), baseUrl: item.url, now },
    );
  // The generator's own work stays outside the clock.
  const generate = (first: number) => Array.from({ length: BATCH }, (_, i) => benchItem(first + i));
  let code = FIRST_CODE;
  const store = raw.transaction((inputs: ItemInput[]) => {
    for (const input of inputs) write(input, code++, now.getTime());
  });
  const batches = Math.max(1, Math.round(items / BATCH));
  const seconds = { inserts: 0, prepared: 0 };
  // A warm-up batch of each kind first, then both kinds in every round, in turns first (a commit
  // may pay for a WAL checkpoint the batch before it filled), each batch on items of its own.
  let next = 0;
  for (let round = -1; round < batches; round++) {
    for (const kind of round % 2 === 0 ? (['inserts', 'prepared'] as const) : (['prepared', 'inserts'] as const)) {
      const pushed = generate(next);
      next += BATCH;
      const ready = kind === 'inserts' ? pushed.map(prepare) : null;
      const started = performance.now();
      store(ready ?? pushed.map(prepare));
      if (round >= 0) seconds[kind] += (performance.now() - started) / 1000;
    }
  }
  raw.close();
  const written = batches * BATCH;
  return { items: written, insertsPerSecond: written / seconds.inserts, preparedPerSecond: written / seconds.prepared };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, items] = process.argv.slice(2);
  if (!file || !items || !/^\d+$/.test(items)) {
    console.error('usage: npx tsx bench/push-floor.ts FILE ITEMS');
    process.exit(2);
  }
  console.log(JSON.stringify(await floor(file, Number(items))));
}
