import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseKey } from '../../src/core/persian.ts';
import type { Database } from '../../src/db/database.ts';
import { createRepos, type Repos } from '../../src/db/repos/index.ts';
import { SEARCH_INDEX_STEP, type ItemInput } from '../../src/db/repos/items.ts';
import { migrationsFolder, openSqlite } from '../../src/db/sqlite.ts';
import { startSearchIndexer, type SearchIndexer, type SearchIndexerOptions } from '../../src/runtime/search-indexer.ts';

// Migration 0003 writes the search index behind the items: new rows are indexed in steps by the
// repository, and a search indexes whatever is behind before it reads. These tests hold the index
// to a brute-force search over the rows' current text, whatever mix of inserts, edits, deletions
// and partial indexing came before, and check that nothing is ever indexed twice.

const WORDS = ['کتاب', 'زلزله', 'اقتصاد', 'بودجه', 'نشست', 'budget', 'cafe'];
const silent = Object.assign(() => {}, { enabled: () => false }) as never;

function item(identity: string, words: string[], publishedAt: number, hash = words.join(' ')): ItemInput {
  const title = words.join(' ') || 'خبر';
  return {
    sourceId: null, identity, guid: identity, url: null, title, summary: null, content: null, author: null,
    publishedAt: new Date(publishedAt), updatedAt: null, labels: [], categoryIds: [], enclosures: [], shortCode: null,
    searchText: normaliseKey(title), contentHash: `${identity}:${hash}`,
  };
}

/** The index's own rowids for a word, straight from FTS5: duplicates would show here. */
async function indexedIds(database: Database, word: string): Promise<number[]> {
  const rows = await database.db.all<{ id: number }>(sql`SELECT rowid & 2147483647 AS id FROM items_search WHERE items_search MATCH ${`"${word}"`}`);
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

/** What a search must find: live or not, every row whose current text holds the word. */
async function bruteForce(database: Database, word: string): Promise<number[]> {
  const rows = await database.db.all<{ id: number; text: string }>(sql`SELECT id, search_text AS text FROM items`);
  return rows.filter((r) => r.text.split(' ').includes(normaliseKey(word))).map((r) => r.id).sort((a, b) => a - b);
}

async function searchIds(repos: Repos, word: string): Promise<number[]> {
  const found = await repos.items.list([{ search: [normaliseKey(word)] }], { limit: 1000 });
  return found.map((i) => i.id).sort((a, b) => a - b);
}

type Op =
  | { kind: 'push'; count: number; words: string[][] }
  | { kind: 'edit'; pick: number; words: string[]; shift: number }
  | { kind: 'delete'; pick: number }
  | { kind: 'index'; steps: number }
  | { kind: 'search'; word: string };

const words = fc.array(fc.constantFrom(...WORDS), { maxLength: 3 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('push' as const), count: fc.integer({ min: 1, max: 4 }), words: fc.array(words, { minLength: 4, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('edit' as const), pick: fc.nat(), words, shift: fc.integer({ min: -5, max: 5 }) }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('index' as const), steps: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ kind: fc.constant('search' as const), word: fc.constantFrom(...WORDS) }),
);

describe('the search index behind the items (migration 0003)', () => {
  it('finds exactly what a brute-force search finds, after any mix of pushes, edits, deletions and partial indexing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 25 }), async (ops) => {
        const database = openSqlite(':memory:');
        const repos = createRepos(database);
        const pushed: ItemInput[] = [];
        try {
          for (const o of ops) {
            if (o.kind === 'push') {
              const batch = o.words.slice(0, o.count).map((w, k) => item(`i${pushed.length + k}`, w, Date.UTC(2025, 0, 1) + (pushed.length + k) * 700));
              pushed.push(...batch);
              await repos.items.upsert(batch);
            } else if (o.kind === 'edit' && pushed.length > 0) {
              const before = pushed[o.pick % pushed.length]!;
              const edited = item(before.identity, o.words, before.publishedAt.getTime() + o.shift * 1000, `${o.words.join(' ')}@${o.shift}`);
              pushed[o.pick % pushed.length] = edited;
              await repos.items.upsert([edited]);
            } else if (o.kind === 'delete' && pushed.length > 0) {
              await database.db.run(sql`DELETE FROM items WHERE dedup_key = ${`push:${pushed[o.pick % pushed.length]!.identity}`}`);
            } else if (o.kind === 'index') {
              let steps = 0;
              await repos.items.indexSearch(() => steps++ >= o.steps);
            } else if (o.kind === 'search') {
              expect(await searchIds(repos, o.word)).toEqual(await bruteForce(database, o.word));
            }
          }
          await repos.items.indexSearch();
          expect(await repos.items.searchBacklog()).toBe(0);
          for (const word of WORDS) {
            const expected = await bruteForce(database, word);
            expect(await indexedIds(database, word)).toEqual(expected);
            expect(await searchIds(repos, word)).toEqual(expected);
          }
        } finally {
          await database.close();
        }
      }),
      { numRuns: 120 },
    );
  });

  it('a push leaves its items unindexed, and the first search indexes them in steps', async () => {
    const database = openSqlite(':memory:');
    const repos = createRepos(database);
    const count = SEARCH_INDEX_STEP * 2 + 7;
    await repos.items.upsert(Array.from({ length: count }, (_, i) => item(`b${i}`, i % 2 ? ['زلزله'] : ['بودجه'], Date.UTC(2025, 0, 1) + i * 1000)));
    expect(await repos.items.searchBacklog()).toBe(count);
    expect(repos.items.searchBehindNow()).toBe(count);
    expect(await indexedIds(database, 'زلزله')).toEqual([]);
    expect((await searchIds(repos, 'زلزله')).length).toBe(Math.floor(count / 2));
    expect(await repos.items.searchBacklog()).toBe(0);
    await database.close();
  });

  it('two connections indexing the same file never index an item twice', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'chapar-search-behind-')), 'two.db');
    const a = openSqlite(file);
    const b = openSqlite(file);
    const ra = createRepos(a);
    const rb = createRepos(b);
    const count = SEARCH_INDEX_STEP * 3 + 1;
    await ra.items.upsert(Array.from({ length: count }, (_, i) => item(`t${i}`, ['کتاب'], Date.UTC(2025, 0, 1) - i * 1000)));
    // Interleaved steps: each connection's step reads the watermark inside its own transaction.
    let n = 0;
    await Promise.all([ra.items.indexSearch(() => n++ > 10), rb.items.indexSearch(), ra.items.indexSearch()]);
    const ids = await indexedIds(a, 'کتاب');
    expect(ids.length).toBe(count);
    expect(new Set(ids).size).toBe(count);
    await a.close();
    await b.close();
  });

  it('a database migrated from 0002 starts with everything indexed, and pushes after it are indexed once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chapar-search-0002-'));
    // The migrations as they were before 0003: the same files, the journal cut after 0002.
    const before = join(dir, 'migrations');
    cpSync(migrationsFolder, before, { recursive: true });
    const journalPath = join(before, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
    journal.entries = journal.entries.filter((e) => e.tag < '0003');
    writeFileSync(journalPath, JSON.stringify(journal));
    const file = join(dir, 'old.db');
    const raw = new BetterSqlite3(file);
    migrate(drizzle({ client: raw }), { migrationsFolder: before });
    // An item stored by the 0002 triggers, which indexed it on insert.
    raw.prepare(`INSERT INTO items (dedup_key, guid, title, published_at, first_seen_at, changed_at, content_hash, search_text) VALUES ('push:old', 'old', 'زلزله', ?, ?, ?, 'h', 'زلزله')`).run(Date.UTC(2024, 5, 1), 1, 1);
    raw.close();

    const database = openSqlite(file);
    const repos = createRepos(database);
    expect(await repos.items.searchBacklog()).toBe(0);
    await repos.items.upsert([item('new', ['زلزله'], Date.UTC(2025, 0, 1))]);
    expect(await repos.items.searchBacklog()).toBe(1);
    expect((await searchIds(repos, 'زلزله')).length).toBe(2);
    expect(await indexedIds(database, 'زلزله')).toEqual(await bruteForce(database, 'زلزله'));
    await database.close();
  });
});

describe('the Node server’s background indexer', () => {
  /** An indexer that only looks when told to (tick), over a fresh database; sliceMs 0 is one step a look. */
  async function withIndexer(options: SearchIndexerOptions, run: (t: { database: Database; repos: Repos; indexer: SearchIndexer }) => Promise<void>) {
    const database = openSqlite(':memory:');
    const repos = createRepos(database);
    const indexer = startSearchIndexer(repos.items, silent, { intervalMs: 3_600_000, sliceMs: 0, ...options });
    try {
      await run({ database, repos, indexer });
    } finally {
      await indexer.stop();
      await database.close();
    }
  }

  it('waits while a burst of pushes grows the backlog, then catches up in slices', () =>
    withIndexer({ burstItems: 100 }, async ({ database, repos, indexer }) => {
      let next = 0;
      const push = (n: number) => repos.items.upsert(Array.from({ length: n }, () => item(`g${next++}`, ['نشست'], Date.UTC(2025, 0, 1) + next * 1000)));
      await push(SEARCH_INDEX_STEP * 2);
      await indexer.tick();
      // The backlog grew by a burst since the last look, so nothing was indexed.
      expect(await repos.items.searchBacklog()).toBe(SEARCH_INDEX_STEP * 2);
      await indexer.tick();
      // No longer growing: one slice (one step) was indexed.
      expect(await repos.items.searchBacklog()).toBe(SEARCH_INDEX_STEP);
      await push(100);
      await indexer.tick();
      expect(await repos.items.searchBacklog()).toBe(SEARCH_INDEX_STEP + 100);
      await indexer.tick();
      await indexer.tick();
      expect(await repos.items.searchBacklog()).toBe(0);
      expect(await indexedIds(database, 'نشست')).toEqual(await bruteForce(database, 'نشست'));
    }));

  it('indexes a trickle of writes at the next look, though the backlog grew', () =>
    withIndexer({ burstItems: 100 }, async ({ database, repos, indexer }) => {
      for (let round = 0; round < 3; round++) {
        await repos.items.upsert(Array.from({ length: 99 }, (_, i) => item(`t${round}-${i}`, ['باران'], Date.UTC(2025, 0, 1) + round * 1000 + i)));
        await indexer.tick();
        expect(await repos.items.searchBacklog()).toBe(0);
      }
      expect(await indexedIds(database, 'باران')).toEqual(await bruteForce(database, 'باران'));
    }));

  it('indexes a backlog past maxBacklog even while it grows', () =>
    withIndexer({ maxBacklog: 10 }, async ({ repos, indexer }) => {
      await repos.items.upsert(Array.from({ length: 11 }, (_, i) => item(`m${i}`, ['cafe'], Date.UTC(2025, 0, 1) + i)));
      await indexer.tick();
      expect(await repos.items.searchBacklog()).toBe(0);
    }));
});
