import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EnvError, readEnv } from '../../src/runtime/env.ts';
import { startServer } from '../../src/runtime/node.ts';

const root = new URL('../..', import.meta.url).pathname;
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'chapar-rt-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('environment', () => {
  it('has the contract defaults', () => {
    const env = readEnv({});
    expect(env).toMatchObject({ PORT: 8787, CHAPAR_DB: './data/chapar.db', CHAPAR_BASE_URL: 'http://localhost:8787', CHAPAR_CONFIG_DIR: './feeds', CHAPAR_FETCH_ALLOW_PRIVATE: false, CHAPAR_CRON: '*/5 * * * *', CHAPAR_WEBSUB_HUBS: [] });
  });

  it('reads every variable', () => {
    const env = readEnv({ PORT: '9000', CHAPAR_BASE_URL: 'https://feeds.example.org/', CHAPAR_FETCH_ALLOW_PRIVATE: 'true', CHAPAR_WEBSUB_HUBS: 'https://hub.a/, https://hub.b/' });
    expect(env).toMatchObject({ PORT: 9000, CHAPAR_BASE_URL: 'https://feeds.example.org', CHAPAR_FETCH_ALLOW_PRIVATE: true, CHAPAR_WEBSUB_HUBS: ['https://hub.a/', 'https://hub.b/'] });
  });

  it.each([
    [{ PORT: 'abc' }, /^chapar: PORT="abc" must be a port number/],
    [{ PORT: '70000' }, /^chapar: PORT="70000"/],
    [{ CHAPAR_BASE_URL: 'feeds.example.org' }, /^chapar: CHAPAR_BASE_URL=/],
    [{ CHAPAR_FETCH_ALLOW_PRIVATE: 'yes' }, /^chapar: CHAPAR_FETCH_ALLOW_PRIVATE="yes" must be true or false/],
    [{ CHAPAR_ADMIN_TOKEN: 'short' }, /^chapar: CHAPAR_ADMIN_TOKEN=/],
    [{ CHAPAR_WEBSUB_HUBS: 'not a url' }, /^chapar: CHAPAR_WEBSUB_HUBS=/],
  ])('refuses %o with one line naming the variable', (env, message) => {
    expect(() => readEnv(env)).toThrow(EnvError);
    expect(() => readEnv(env)).toThrow(message);
  });

  it('with PORT=0 and no CHAPAR_BASE_URL, links name the port actually bound', async () => {
    const dir = tempDir();
    const server = await startServer({ PORT: '0', CHAPAR_DB: join(dir, 'chapar.db'), CHAPAR_CONFIG_DIR: join(root, 'feeds'), CHAPAR_CRON: 'off', CHAPAR_LOG_LEVEL: 'silent' }, () => {});
    try {
      expect(server.port).toBeGreaterThan(0);
      const feed = await (await fetch(`${server.url}/feeds/senfi.rss`)).text();
      expect(feed).toContain(`<atom:link href="http://localhost:${server.port}/feeds/senfi.rss" rel="self"`);
      expect(feed).not.toContain('localhost:0');
    } finally {
      await server.close();
    }
  });

  it("reports the process's memory on /metrics, under prom-client's names", async () => {
    const dir = tempDir();
    const server = await startServer({ PORT: '0', CHAPAR_DB: join(dir, 'chapar.db'), CHAPAR_CONFIG_DIR: join(root, 'feeds'), CHAPAR_CRON: 'off', CHAPAR_LOG_LEVEL: 'silent' }, () => {});
    try {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      const value = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1]);
      const rss = value('process_resident_memory_bytes');
      // This test runs in the server's process: the figures are this process's own.
      expect(rss).toBeGreaterThan(10 * 1024 * 1024);
      expect(rss).toBeLessThan(process.memoryUsage().rss * 2);
      expect(value('nodejs_heap_size_used_bytes')).toBeGreaterThan(1024 * 1024);
      expect(value('nodejs_heap_size_used_bytes')).toBeLessThanOrEqual(value('nodejs_heap_size_total_bytes'));
      expect(value('nodejs_external_memory_bytes')).toBeGreaterThan(0);
      expect(text).toContain('# TYPE process_resident_memory_bytes gauge');
    } finally {
      await server.close();
    }
  });

  it('an unopenable CHAPAR_DB stops the start with one line naming it', async () => {
    const dir = tempDir();
    const blocker = join(dir, 'file');
    writeFileSync(blocker, 'not a directory');
    await expect(startServer({ PORT: '0', CHAPAR_DB: join(blocker, 'chapar.db'), CHAPAR_CONFIG_DIR: dir }, () => {})).rejects.toThrow(/^chapar: CHAPAR_DB=".*" cannot be opened/);
  });
});

/** Runs `chapar <args>` as a real process, as `npm start` would. */
function runCli(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [join(root, 'bin/chapar.mjs'), ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

describe('the served process', () => {
  it('serves the demo feeds, then on SIGTERM finishes and closes the database', async () => {
    const dir = tempDir();
    const db = join(dir, 'chapar.db');
    const proc = runCli(['serve'], { PORT: '0', CHAPAR_DB: db, CHAPAR_CONFIG_DIR: join(root, 'feeds'), CHAPAR_CRON: 'off' });
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setInterval(() => {
        const m = /"port":(\d+)/.exec(proc.out());
        if (m) {
          clearInterval(timer);
          resolve(Number(m[1]));
        }
      }, 50);
      void proc.exited.then((code) => reject(new Error(`exited ${code}: ${proc.err()}`)));
    });
    const feed = await fetch(`http://127.0.0.1:${port}/feeds/senfi.rss`);
    expect(feed.status).toBe(200);
    expect(await feed.text()).toContain('نشست معاونان وزیر');
    // While the server runs, WAL mode keeps a -wal file beside the database.
    expect(existsSync(`${db}-wal`)).toBe(true);
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    // A clean close checkpoints the WAL and removes it: proof the database was closed, not abandoned.
    expect(existsSync(`${db}-wal`)).toBe(false);
  });

  it('exits 1 with one line for a bad PORT', async () => {
    const proc = runCli(['serve'], { PORT: 'abc' });
    expect(await proc.exited).toBe(1);
    expect(proc.err().trim()).toBe('chapar: PORT="abc" must be a port number from 0 to 65535');
  });

  it('exits 1 naming the file and field of a malformed config file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ feeds: [{ slug: 'ok', title: '' }] }));
    const proc = runCli(['serve'], { PORT: '0', CHAPAR_DB: ':memory:', CHAPAR_CONFIG_DIR: dir });
    expect(await proc.exited).toBe(1);
    expect(proc.err()).toMatch(/^config: bad\.json: feeds\.0\.title/);
  });
});
