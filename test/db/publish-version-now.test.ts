/**
 * items.publishVersionNow: the front's synchronous version check. This process's writes must show
 * at once; another process's (a second connection to the same file) within `maxAgeMs`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { createRepos } from '../../src/db/repos/index.ts';
import { openSqlite } from '../../src/db/sqlite.ts';

const bump = { sql: `INSERT INTO settings (key, value) VALUES ('publish_version', '1') ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1`, params: [] };

let dir: string;
let server: Database;
let cli: Database;
let clock: number;
let repos: ReturnType<typeof createRepos>;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'chapar-version-'));
  server = openSqlite(join(dir, 'chapar.db'));
  cli = openSqlite(join(dir, 'chapar.db'));
  clock = Date.UTC(2026, 10, 28);
  repos = createRepos(server, () => new Date(clock));
});

afterEach(async () => {
  await server.close();
  await cli.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('publishVersionNow', () => {
  it('agrees with the asynchronous read', async () => {
    await server.atomic([bump, bump]);
    expect(repos.items.publishVersionNow(1000)).toBe(await repos.items.publishVersion());
    expect(repos.items.publishVersionNow(1000)).toBe(2);
  });

  it("sees this process's writes at once, however young the number it holds", async () => {
    expect(repos.items.publishVersionNow(60_000)).toBe(0);
    await server.atomic([bump]);
    expect(repos.items.publishVersionNow(60_000)).toBe(1);
    // A write through drizzle (what the repositories do) counts as much as a raw statement.
    await repos.categories.create({ slug: 'senfi', name: 'صنفی', aliases: [] });
    await repos.categories.update('senfi', { name: 'اخبار صنفی' });
    expect(await repos.items.publishVersion()).toBeGreaterThan(1);
    expect(repos.items.publishVersionNow(60_000)).toBe(await repos.items.publishVersion());
  });

  it("sees another process's writes within maxAgeMs, and at once with 0", async () => {
    expect(repos.items.publishVersionNow(1000)).toBe(0);
    await cli.atomic([bump]);
    expect(repos.items.publishVersionNow(1000)).toBe(0);
    clock += 999;
    expect(repos.items.publishVersionNow(1000)).toBe(0);
    clock += 1;
    expect(repos.items.publishVersionNow(1000)).toBe(1);
    await cli.atomic([bump]);
    expect(repos.items.publishVersionNow(0)).toBe(2);
  });

  it('re-reads when the clock goes back', async () => {
    expect(repos.items.publishVersionNow(1000)).toBe(0);
    await cli.atomic([bump]);
    clock -= 1;
    expect(repos.items.publishVersionNow(1000)).toBe(1);
  });
});

describe('publishVersion and item writes', () => {
  const input = (identity: string, title: string) => ({
    sourceId: null, identity, guid: identity, url: null, title, summary: null, content: null, author: null,
    publishedAt: new Date(clock), updatedAt: null, labels: [], categoryIds: [], enclosures: [], shortCode: null,
    searchText: title, contentHash: title,
  });

  it('moves once per push that stores new items (not once per item), on every edit, and not for a repeat', async () => {
    const start = await repos.items.publishVersion();
    await repos.items.upsert([input('a', 'one'), input('b', 'two'), input('c', 'three')]);
    expect(await repos.items.publishVersion()).toBe(start + 1);
    await repos.items.upsert([input('a', 'one'), input('b', 'two')]);
    expect(await repos.items.publishVersion()).toBe(start + 1);
    await repos.items.upsert([input('a', 'one, edited')]);
    expect(await repos.items.publishVersion()).toBeGreaterThan(start + 1);
  });
});
