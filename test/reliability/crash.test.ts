import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/command.ts';
import { main } from '../../src/cli/main.ts';

const root = new URL('../..', import.meta.url).pathname;
const TOKEN = 'crash-test-token-0123456789';
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function startChild(db: string, configDir: string) {
  const child = spawn(process.execPath, [join(root, 'bin/chapar.mjs'), 'serve'], {
    cwd: root,
    env: { ...process.env, PORT: '0', CHAPAR_DB: db, CHAPAR_CONFIG_DIR: configDir, CHAPAR_CRON: 'off', CHAPAR_ADMIN_TOKEN: TOKEN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  // Listen from the start: the exit can come while the test is busy elsewhere.
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', () => {
      const m = /"port":(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return { child, exited, url: `http://127.0.0.1:${port}` };
}

describe('crash safety', () => {
  it('kill -9 during concurrent batch pushes loses no acknowledged item and leaves an intact database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chapar-crash-'));
    dirs.push(dir);
    const db = join(dir, 'chapar.db');
    const { child, exited, url } = await startChild(db, dir);
    const acknowledged: string[] = [];
    let stop = false;
    let batch = 0;
    const worker = async (w: number) => {
      while (!stop) {
        const guids = Array.from({ length: 50 }, (_, i) => `w${w}-b${batch}-i${i}`);
        batch++;
        try {
          const res = await fetch(`${url}/api/v1/items`, {
            method: 'POST',
            headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
            body: JSON.stringify(guids.map((guid) => ({ guid, title: `خبر ${guid}`, content: '<p>متن</p>' }))),
          });
          if (res.status === 201) acknowledged.push(...guids);
        } catch {
          return; // the server is gone
        }
      }
    };
    const workers = [0, 1, 2, 3].map(worker);
    // Let a good number of batches land before the crash (bounded, so a stuck server fails the test).
    const deadline = Date.now() + 45_000;
    while (acknowledged.length < 600 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    await exited;

    const raw = new BetterSqlite3(db);
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    const stored = new Set(raw.prepare('SELECT guid FROM items').pluck().all() as string[]);
    raw.close();
    const lost = acknowledged.filter((g) => !stored.has(g));
    expect(acknowledged.length).toBeGreaterThanOrEqual(600);
    expect(lost).toEqual([]);
  }, 90_000);

  it('chapar backup copies a consistent database while the server writes to it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chapar-backup-'));
    dirs.push(dir);
    const db = join(dir, 'chapar.db');
    const { child, exited, url } = await startChild(db, dir);
    let stop = false;
    const writer = (async () => {
      for (let b = 0; !stop; b++) {
        await fetch(`${url}/api/v1/items`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify(Array.from({ length: 20 }, (_, i) => ({ guid: `b${b}-${i}`, title: `t ${b} ${i}` }))),
        });
      }
    })();
    await new Promise((r) => setTimeout(r, 300));
    const lines: string[] = [];
    const io: CliIo = { out: (l) => lines.push(l), err: (l) => lines.push(l), env: { CHAPAR_DB: db }, cwd: dir };
    expect(await main(['backup', join(dir, 'copy.db')], io)).toBe(0);
    expect(await main(['backup', join(dir, 'copy.db')], io)).toBe(1);
    stop = true;
    await writer;
    child.kill('SIGTERM');
    await exited;
    const copy = new BetterSqlite3(join(dir, 'copy.db'), { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(copy.prepare('SELECT count(*) FROM items').pluck().get()).toBeGreaterThan(0);
    copy.close();
  }, 60_000);
});
