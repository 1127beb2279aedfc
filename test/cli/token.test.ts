import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/admin/auth.ts';
import type { CliIo } from '../../src/cli/command.ts';
import { main } from '../../src/cli/main.ts';
import { createRepos } from '../../src/db/repos/index.ts';
import { openSqlite } from '../../src/db/sqlite.ts';

let dir: string;
let io: CliIo & { lines: string[]; errors: string[] };
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'chapar-cli-'));
  const lines: string[] = [];
  const errors: string[] = [];
  io = { out: (l) => lines.push(l), err: (l) => errors.push(l), env: { CHAPAR_DB: join(dir, 'c.db') }, cwd: dir, lines, errors };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('chapar token', () => {
  it('creates a token that the database knows by hash, lists and revokes it', async () => {
    expect(await main(['token', 'create', 'ops'], io)).toBe(0);
    const token = io.lines[0]!;
    expect(token).toMatch(/^chp_/);
    const database = openSqlite(join(dir, 'c.db'));
    const repos = createRepos(database);
    const info = await repos.tokens.byHash(await hashToken(token));
    expect(info?.name).toBe('ops');
    await database.close();

    expect(await main(['token', 'list', '--json'], io)).toBe(0);
    expect(JSON.parse(io.lines[1]!)).toEqual([expect.objectContaining({ id: info!.id, name: 'ops' })]);
    expect(await main(['token', 'revoke', String(info!.id)], io)).toBe(0);
    expect(await main(['token', 'revoke', String(info!.id)], io)).toBe(1);
    expect(io.errors.at(-1)).toBe(`chapar token: no live token ${info!.id}`);
  });

  it.each([
    [['token'], /expected create NAME, list or revoke ID/],
    [['token', 'create'], /needs a NAME/],
    [['token', 'revoke', 'abc'], /needs a token ID/],
  ])('%j is a usage error (exit 2) with one line', async (args, message) => {
    expect(await main(args, io)).toBe(2);
    expect(io.errors).toHaveLength(1);
    expect(io.errors[0]).toMatch(message);
  });

  it('prints help for the command', async () => {
    expect(await main(['token', '--help'], io)).toBe(0);
    expect(io.lines.join('\n')).toContain('chapar token create NAME');
  });
});

describe('chapar', () => {
  it('lists its commands with --help and refuses an unknown one', async () => {
    expect(await main(['--help'], io)).toBe(0);
    for (const name of ['serve', 'migrate', 'sync', 'token', 'parse']) expect(io.lines.join('\n')).toContain(`  ${name}`);
    expect(await main(['frobnicate'], io)).toBe(2);
    expect(io.errors[0]).toMatch(/^chapar: unknown command "frobnicate"/);
  });

  it('sync applies the config dir and is idempotent', async () => {
    io.env.CHAPAR_CONFIG_DIR = new URL('../../feeds', import.meta.url).pathname;
    expect(await main(['sync', '--json'], io)).toBe(0);
    expect(await main(['sync', '--json'], io)).toBe(0);
    const [first, second] = io.lines.map((l) => JSON.parse(l) as { created: number; items: { new: number; unchanged: number } });
    expect(first!.created).toBeGreaterThan(0);
    expect(second!.created).toBe(0);
    expect(second!.items.new).toBe(0);
    expect(second!.items.unchanged).toBe(first!.items.new);
  });
});
