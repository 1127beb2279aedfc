/**
 * The bundle `npm start` builds (scripts/build.mjs) must serve what the TypeScript sources serve:
 * migrations found beside it, JSX pages rendered, the demo feeds published.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
// Inside the project, so the bundle's bare imports resolve to its node_modules as dist/'s do.
mkdirSync(join(root, 'node_modules/.cache'), { recursive: true });
const outdir = mkdtempSync(join(root, 'node_modules/.cache/chapar-bundle-'));
const dataDir = mkdtempSync(join(outdir, 'data-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('the bundled server', () => {
  it('builds, then serves the demo feeds, the index and the admin sign-in, and stops on SIGTERM', async () => {
    const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--outdir', outdir], { encoding: 'utf8' });
    expect(build.stderr).toBe('');
    expect(existsSync(join(outdir, 'chapar.mjs'))).toBe(true);
    expect(existsSync(join(outdir, 'migrations/meta/_journal.json'))).toBe(true);

    const script = `const { main } = await import(${JSON.stringify(join(outdir, 'chapar.mjs'))}); process.exitCode = await main(['serve']);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: root,
      env: { ...process.env, PORT: '0', CHAPAR_DB: join(dataDir, 'chapar.db'), CHAPAR_CONFIG_DIR: join(root, 'feeds'), CHAPAR_CRON: 'off' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setInterval(() => {
          const m = /"port":(\d+)/.exec(stdout);
          if (m) {
            clearInterval(timer);
            resolve(Number(m[1]));
          }
        }, 50);
        void exited.then((code) => reject(new Error(`exited ${code}: ${stderr}`)));
      });
      const base = `http://127.0.0.1:${port}`;
      const feed = await fetch(`${base}/feeds/senfi.rss`);
      expect(feed.status).toBe(200);
      expect(await feed.text()).toContain('نشست معاونان وزیر');
      const index = await fetch(`${base}/`);
      expect(await index.text()).toMatch(/^<!doctype html><html lang="fa" dir="rtl">/);
      expect((await fetch(`${base}/admin/login`)).status).toBe(200);
      expect((await fetch(`${base}/s/3643`, { redirect: 'manual' })).status).toBe(302);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
  });
});
