import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/runtime/node.ts';
import { rss, startUpstream, type Upstream } from './upstream.ts';

const TOKEN = 'cron-test-token-0123456789';
let upstream: Upstream;
let configDir: string;

beforeAll(async () => {
  upstream = await startUpstream();
  configDir = mkdtempSync(join(tmpdir(), 'chapar-cron-'));
});
afterAll(async () => {
  await upstream.close();
  rmSync(configDir, { recursive: true, force: true });
});

const env = (cron: string) => ({ PORT: '0', CHAPAR_DB: ':memory:', CHAPAR_CONFIG_DIR: configDir, CHAPAR_ADMIN_TOKEN: TOKEN, CHAPAR_FETCH_ALLOW_PRIVATE: 'true', CHAPAR_CRON: cron, CHAPAR_LOG_LEVEL: 'silent' });
const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

describe('the Node runtime scheduler', () => {
  it('fetches due sources on CHAPAR_CRON and stops with the server', async () => {
    const url = upstream.serve('/cron-feed', 200, {}, rss([{ title: 'یک', guid: '1' }]));
    const server = await startServer(env('* * * * * *'), () => {});
    try {
      const created = await fetch(`${server.url}/api/v1/sources`, { method: 'POST', headers: auth, body: JSON.stringify({ url }) });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: number };
      let status: string | null = null;
      for (let i = 0; i < 40 && status === null; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        ({ lastStatus: status } = (await (await fetch(`${server.url}/api/v1/sources/${id}`, { headers: auth })).json()) as { lastStatus: string | null });
      }
      expect(status).toBe('ok');
    } finally {
      await server.close();
    }
  });

  it('runs no tick when CHAPAR_CRON is off', async () => {
    const url = upstream.serve('/cron-off', 200, {}, rss([]));
    const server = await startServer(env('off'), () => {});
    try {
      await fetch(`${server.url}/api/v1/sources`, { method: 'POST', headers: auth, body: JSON.stringify({ url }) });
      const before = upstream.seen.filter((s) => s.path === '/cron-off').length;
      await new Promise((resolve) => setTimeout(resolve, 1200));
      expect(upstream.seen.filter((s) => s.path === '/cron-off')).toHaveLength(before);
    } finally {
      await server.close();
    }
  });

  it('refuses to start on a CHAPAR_CRON that is not a cron expression', async () => {
    await expect(startServer(env('every five minutes'), () => {})).rejects.toThrow(/^chapar: CHAPAR_CRON="every five minutes" is not a cron expression/);
  });
});
