import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../../src/db/sqlite.ts';
import { startServer } from '../../src/runtime/node.ts';

const TOKEN = 'shutdown-test-token-0123456789';
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the Node server writes buffered clicks and polls at shutdown', () => {
  it('clicks made just before close are in the database after it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chapar-clicks-'));
    dirs.push(dir);
    const db = join(dir, 'chapar.db');
    const server = await startServer({ PORT: '0', CHAPAR_DB: db, CHAPAR_CONFIG_DIR: dir, CHAPAR_ADMIN_TOKEN: TOKEN, CHAPAR_CRON: 'off', CHAPAR_LOG_LEVEL: 'silent' }, () => {});
    const api = (path: string, body: unknown) =>
      fetch(`${server.url}/api/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    try {
      expect((await api('/links', { url: 'https://example.org/a', code: 'abc' })).status).toBe(201);
      expect((await api('/feeds', { slug: 'news', title: 'News' })).status).toBe(201);
      for (let i = 0; i < 5; i++) {
        const res = await fetch(`${server.url}/s/abc`, { redirect: 'manual', headers: { 'user-agent': BROWSER, referer: 'https://t.me/x' } });
        expect(res.status).toBe(302);
        await res.arrayBuffer();
      }
      const head = await fetch(`${server.url}/s/abc`, { method: 'HEAD', redirect: 'manual', headers: { 'user-agent': BROWSER } });
      expect(head.status).toBe(302);
      const bot = await fetch(`${server.url}/s/abc`, { redirect: 'manual', headers: { 'user-agent': 'Twitterbot/1.0' } });
      await bot.arrayBuffer();
      const feed = await fetch(`${server.url}/feeds/news.rss`, { headers: { 'user-agent': 'curl/8.5.0' } });
      expect(feed.status).toBe(200);
      await feed.arrayBuffer();
    } finally {
      // Well inside the one-second timer: what is written now, the shutdown wrote.
      await server.close();
    }

    const database = openSqlite(db);
    try {
      const [link] = await database.db.all<{ clicks: number }>(sql`SELECT clicks FROM links WHERE code = 'abc'`);
      expect(link!.clicks).toBe(5);
      const byReferrer = await database.db.all<{ referrer_host: string; count: number }>(sql`SELECT referrer_host, count FROM link_clicks WHERE code = 'abc'`);
      expect(byReferrer).toEqual([{ referrer_host: 't.me', count: 5 }]);
      const [polls] = await database.db.all<{ n: number }>(sql`SELECT sum(count) AS n FROM feed_polls`);
      expect(polls!.n).toBe(1);
      const readers = await database.db.all<{ reader_key: string; name: string }>(sql`SELECT reader_key, name FROM feed_readers`);
      expect(readers).toEqual([{ reader_key: expect.stringMatching(/^client:[0-9a-f]{32}$/), name: 'curl' }]);
    } finally {
      await database.close();
    }
  });
});
