import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/command.ts';
import { main } from '../../src/cli/main.ts';
import { createRepos } from '../../src/db/repos/index.ts';
import { openSqlite } from '../../src/db/sqlite.ts';

let dir: string;
let io: CliIo & { lines: string[]; errors: string[] };
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'chapar-stats-'));
  const lines: string[] = [];
  const errors: string[] = [];
  io = { out: (l) => lines.push(l), err: (l) => errors.push(l), env: { CHAPAR_DB: join(dir, 'c.db') }, cwd: dir, lines, errors };
  const database = openSqlite(join(dir, 'c.db'));
  const repos = createRepos(database);
  await repos.feeds.create({ slug: 'senfi', title: 'صنفی' });
  await repos.feeds.create({ slug: 'all', title: 'همه' });
  await database.close();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('chapar stats', () => {
  it('prints every feed, or one in detail, as text or JSON', async () => {
    expect(await main(['stats'], io)).toBe(0);
    expect(io.lines).toEqual(['senfi\t0 subscribers\t0 polls', 'all\t0 subscribers\t0 polls']);
    expect(await main(['stats', 'senfi', '--days', '3', '--json'], io)).toBe(0);
    const one = JSON.parse(io.lines.at(-1)!) as { feed: string; polls: { days: number; byDay: unknown[] } };
    expect(one.feed).toBe('senfi');
    expect(one.polls.days).toBe(3);
    expect(one.polls.byDay).toHaveLength(3);
  });

  it('exits 1 for an unknown feed and 2 for bad options', async () => {
    expect(await main(['stats', 'nope'], io)).toBe(1);
    expect(io.errors).toEqual(['chapar stats: no feed "nope"']);
    expect(await main(['stats', '--days', 'x'], io)).toBe(2);
    expect(await main(['stats', '--frob'], io)).toBe(2);
  });
});
