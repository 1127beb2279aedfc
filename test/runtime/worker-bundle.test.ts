/**
 * Builds the Worker the way `wrangler deploy` does (offline, --dry-run) and reads esbuild's
 * metafile: the Node-only code must not be in it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const outdir = mkdtempSync(join(tmpdir(), 'chapar-worker-'));

interface Metafile {
  inputs: Record<string, unknown>;
  outputs: Record<string, { imports: { path: string; external?: boolean }[] }>;
}

let meta: Metafile;
let bundle: string;

beforeAll(async () => {
  await promisify(execFile)(process.execPath, [join(root, 'node_modules/wrangler/bin/wrangler.js'), 'deploy', '--dry-run', '--outdir', outdir, '--metafile'], {
    cwd: root,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', WRANGLER_HIDE_BANNER: 'true', CLOUDFLARE_CF_FETCH_ENABLED: 'false', CI: 'true' },
  });
  meta = JSON.parse(readFileSync(join(outdir, 'bundle-meta.json'), 'utf8')) as Metafile;
  bundle = readFileSync(join(outdir, 'worker.js'), 'utf8');
}, 60_000);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('the Workers bundle', () => {
  it('has no better-sqlite3, node-cron, file system or Node runtime code', () => {
    const inputs = Object.keys(meta.inputs);
    expect(inputs.some((path) => path.includes('src/runtime/worker.ts'))).toBe(true);
    for (const banned of ['better-sqlite3', 'node-cron', '@hono/node-server', 'src/db/sqlite.ts', 'src/runtime/node.ts', 'src/admin/config/files.ts', 'unenv/dist/runtime/node/fs']) {
      expect(inputs.filter((path) => path.includes(banned)), banned).toEqual([]);
    }
    const externals = Object.values(meta.outputs).flatMap((output) => output.imports.filter((i) => i.external).map((i) => i.path));
    expect(externals.filter((path) => /^(node:)?fs(\/|$)/.test(path))).toEqual([]);
    // Module references only: comments may name these (esbuild keeps JSDoc).
    expect(bundle).not.toMatch(/(from |require\(|import\()\s*["'](better-sqlite3|node-cron|(node:)?fs(\/promises)?)["']/);
  });

  it('fits the Workers Free size limit (3 MB gzipped)', () => {
    expect(gzipSync(bundle).length).toBeLessThan(3 * 1024 * 1024);
  });
});
