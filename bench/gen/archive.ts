/**
 * A large archive written straight into a SQLite file, because pushing a million items through
 * the API takes longer than a benchmark should. The app's own code does the parts that decide
 * what is stored: `openSqlite` migrates, the repositories create categories and feeds, and
 * `prepareItem` sanitises, normalises the search text and hashes every item. Only the insert is
 * direct SQL: prepared statements in large transactions, writing the rows `items.upsert` would
 * write for a push (item, category links, a numeric short link, `short_code`); then the
 * repository's own indexer fills the search index, as the server does behind a push.
 *
 *   npx tsx bench/gen/archive.ts FILE COUNT
 */
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { createRepos } from '../../src/db/repos/index.ts';
import { openSqlite } from '../../src/db/sqlite.ts';
import { prepareItem } from '../../src/ingest/prepare.ts';
import { FEEDS } from '../lib/seed.ts';
import { benchItem, CATEGORIES } from './persian.ts';
import { FIRST_CODE, rowWriter } from './rows.ts';

const TRANSACTION = 10_000;
/** Bumped when what this generator writes changes, so an old file is not reused. */
const FORMAT = 1;

export interface ArchiveInfo {
  file: string;
  items: number;
  format: number;
  seconds: number;
  bytes: number;
  reused: boolean;
}

/**
 * A new database at `file` as the app makes it (`openSqlite` migrates it) with the bench's
 * categories and feeds, created through the repositories; their ids by slug.
 */
export async function benchDatabase(file: string): Promise<Map<string, number>> {
  const database = openSqlite(file);
  try {
    const repos = createRepos(database);
    const categoryIds = new Map<string, number>();
    for (const category of CATEGORIES) categoryIds.set(category.slug, (await repos.categories.create(category)).id);
    for (const feed of FEEDS) await repos.feeds.create({ ...feed, filter: 'filter' in feed ? { categories: [...feed.filter.categories] } : {} });
    return categoryIds;
  } finally {
    await database.close();
  }
}

function sidecar(file: string) {
  return `${file}.json`;
}

/** Writes `count` bench items (newest is item 0, inserted last) into a fresh database at `file`. */
export async function generateArchive(file: string, count: number, opts: { reuse?: boolean; log?: (line: string) => void } = {}): Promise<ArchiveInfo> {
  const log = opts.log ?? (() => {});
  if (opts.reuse && existsSync(file) && existsSync(sidecar(file))) {
    const info = JSON.parse(readFileSync(sidecar(file), 'utf8')) as ArchiveInfo;
    if (info.items === count && info.format === FORMAT) return { ...info, reused: true };
  }
  for (const suffix of ['', '-wal', '-shm', '.json']) rmSync(file + suffix, { force: true });
  const started = performance.now();

  const categoryIds = await benchDatabase(file);

  const raw = new BetterSqlite3(file);
  // A throwaway file being built: durability does not matter until the final checkpoint.
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = OFF');
  raw.pragma('cache_size = -262144');
  const write = rowWriter(raw);
  const insertMany = raw.transaction((from: number, to: number) => {
    for (let n = from; n < to; n++) {
      // Oldest first, as an archive accumulates: the newest item gets the highest id.
      const index = count - 1 - n;
      const item = benchItem(index);
      const publishedAt = new Date(item.publishedAt);
      const seenAt = publishedAt.getTime() + 60_000;
      const ids = item.categories.map((slug) => categoryIds.get(slug)!);
      const input = prepareItem(
        { title: item.title, url: item.url, content: item.content, author: item.author ?? null, publishedAt },
        { sourceId: null, categoryIds: ids, baseUrl: item.url, now: new Date(seenAt) },
      );
      write(input, FIRST_CODE + n, seenAt);
    }
  });
  for (let from = 0; from < count; from += TRANSACTION) {
    insertMany(from, Math.min(count, from + TRANSACTION));
    if ((from / TRANSACTION) % 10 === 9) log(`archive: ${from + TRANSACTION} of ${count} items`);
  }
  raw.pragma('wal_checkpoint(TRUNCATE)');
  raw.close();

  // The search index is written behind the items (migration 0003): index them all now, as the
  // server's background indexer would, so the archive's searches find a caught-up index.
  const indexing = openSqlite(file);
  const indexed = await createRepos(indexing).items.indexSearch();
  await indexing.close();
  log(`archive: ${indexed} items indexed for search`);

  await checkArchive(file, count);
  const info: ArchiveInfo = { file, items: count, format: FORMAT, seconds: (performance.now() - started) / 1000, bytes: statSync(file).size, reused: false };
  writeFileSync(sidecar(file), JSON.stringify(info));
  return info;
}

/** Reads the archive back through the app's repositories: the newest items, in order, with their categories and codes. */
async function checkArchive(file: string, count: number): Promise<void> {
  const database = openSqlite(file);
  try {
    const repos = createRepos(database);
    const newest = await repos.items.list([{}], { limit: 3 });
    const expected = Array.from({ length: Math.min(3, count) }, (_, i) => benchItem(i).url);
    const got = newest.map((item) => item.url);
    if (JSON.stringify(got) !== JSON.stringify(expected)) throw new Error(`bench: archive check: newest items ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
    if (newest.some((item) => item.categories.length === 0 || !item.shortCode)) throw new Error('bench: archive check: items lack categories or short codes');
  } finally {
    await database.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, count] = process.argv.slice(2);
  if (!file || !count || !/^\d+$/.test(count)) {
    console.error('usage: npx tsx bench/gen/archive.ts FILE COUNT');
    process.exit(2);
  }
  const info = await generateArchive(file, Number(count), { log: console.log });
  console.log(JSON.stringify(info));
}
