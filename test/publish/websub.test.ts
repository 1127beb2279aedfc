import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { notifyFeedsChanged, pingHub } from '../../src/publish/websub.ts';
import { BASE_URL, seedCategoriesAndFeeds, testApp, type TestApp } from '../helpers/app.ts';

interface Ping {
  contentType: string | undefined;
  mode: string | null;
  url: string | null;
}

/** A WebSub hub on loopback that answers each publish ping with the next status in `script` (then 204). */
async function loopbackHub(script: number[] = []) {
  const pings: Ping[] = [];
  const waiters: (() => void)[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      pings.push({ contentType: req.headers['content-type'], mode: form.get('hub.mode'), url: form.get('hub.url') });
      res.statusCode = script.shift() ?? 204;
      res.end();
      for (const wake of waiters.splice(0)) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hub`;
  /** Resolves once at least `count` pings arrived; rejects after a while. */
  const received = async (count: number, ms = 5000) => {
    const deadline = Date.now() + ms;
    while (pings.length < count) {
      if (Date.now() > deadline) throw new Error(`hub got ${pings.length} pings, expected ${count}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return pings;
  };
  return { url, pings, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

let hub: Awaited<ReturnType<typeof loopbackHub>>;
let t: TestApp;
const logs: string[] = [];
afterEach(async () => {
  t?.close();
  await hub?.close();
  logs.length = 0;
});

const fast = { delaysMs: [0, 10, 10], timeoutMs: 2000, log: (line: string) => logs.push(line) };

describe('WebSub', () => {
  beforeEach(async () => {
    hub = await loopbackHub();
    t = await testApp({ hubs: [hub.url], deps: { publish: { websub: fast } } });
    await seedCategoriesAndFeeds(t);
  });

  it('advertises the hub in the Link header and in the feed', async () => {
    const res = await t.get('/feeds/senfi.atom');
    expect(res.headers.get('link')).toContain(`<${hub.url}>; rel="hub"`);
    expect(res.headers.get('link')).toContain(`<${BASE_URL}/feeds/senfi.atom>; rel="self"`);
    expect(await res.text()).toContain(`href="${hub.url}"`);
    const rss = await (await t.get('/feeds/senfi.rss')).text();
    expect(rss).toContain(`<atom:link href="${hub.url}" rel="hub"/>`);
  });

  it('a push pings the hub once per format of each feed the items belong to', async () => {
    const res = await t.api('/items', { body: { guid: 'w-1', title: 'صنفی تازه', publishedAt: '2024-05-01T00:00:00Z', categories: ['senfi'] } });
    expect(res.status).toBe(201);
    const pings = await hub.received(6);
    expect(pings.every((p) => p.mode === 'publish' && p.contentType === 'application/x-www-form-urlencoded')).toBe(true);
    expect(pings.map((p) => p.url).sort()).toEqual(
      ['all', 'senfi'].flatMap((slug) => ['atom', 'json', 'rss'].map((format) => `${BASE_URL}/feeds/${slug}.${format}`)),
    );
    // Nothing more arrives: the other feeds did not change.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(hub.pings).toHaveLength(6);
  });

  it('deleting an item pings the feeds it was in', async () => {
    const res = await t.api('/items', { body: { guid: 'w-del', title: 'حذف‌شدنی', publishedAt: '2024-05-01T00:00:00Z', categories: ['akhbar-sazman'] } });
    const { items } = (await res.json()) as { items: { id: number }[] };
    await hub.received(6);
    hub.pings.length = 0;
    expect((await t.api(`/items/${items[0]!.id}`, { method: 'DELETE' })).status).toBe(204);
    const pings = await hub.received(6);
    expect(new Set(pings.map((p) => p.url))).toEqual(
      new Set(['akhbar-sazman', 'all'].flatMap((slug) => ['atom', 'json', 'rss'].map((format) => `${BASE_URL}/feeds/${slug}.${format}`))),
    );
  });

  it('an unchanged repeat pings nobody', async () => {
    const item = { guid: 'w-2', title: 'یک بار', publishedAt: '2024-05-01T00:00:00Z' };
    await t.api('/items', { body: item });
    await hub.received(3);
    await t.api('/items', { body: item });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(hub.pings).toHaveLength(3);
  });

  it("notifyFeedsChanged('all') pings every feed and reports each result", async () => {
    const results = await notifyFeedsChanged({ repos: t.repos, config: { baseUrl: BASE_URL, websubHubs: [hub.url] }, websub: fast }, 'all');
    expect(results).toHaveLength(4 * 3);
    expect(results.every((r) => r.ok && r.attempts === 1 && r.status === 204)).toBe(true);
  });
});

describe('WebSub failures never reach the publisher', () => {
  it('retries 5xx and 429 with backoff until the hub accepts', async () => {
    hub = await loopbackHub([503, 429]);
    const result = await pingHub(hub.url, `${BASE_URL}/feeds/all.rss`, fast);
    expect(result).toMatchObject({ ok: true, attempts: 3, status: 204 });
    expect(logs).toHaveLength(2);
    expect(logs[0]).toMatch(/^websub: hub http:\/\/127\.0\.0\.1:\d+\/hub answered 503 for .*; retry 1 of 2/);
  });

  it('gives up after the last attempt, and does not retry a 4xx refusal', async () => {
    hub = await loopbackHub([500, 500, 500, 400]);
    expect(await pingHub(hub.url, `${BASE_URL}/feeds/all.rss`, fast)).toMatchObject({ ok: false, attempts: 3, status: 500 });
    expect(logs.at(-1)).toMatch(/giving up after 3 attempts/);
    expect(await pingHub(hub.url, `${BASE_URL}/feeds/all.rss`, fast)).toMatchObject({ ok: false, attempts: 1, status: 400 });
  });

  it('a hub that is down or silent neither fails nor holds up a push', async () => {
    // A server that accepts connections and never answers, and a port with nothing behind it.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
    hub = await loopbackHub();
    const closedUrl = hub.url;
    await hub.close();
    t = await testApp({ hubs: [silentUrl, closedUrl], deps: { publish: { websub: { ...fast, timeoutMs: 300 } } } });
    await seedCategoriesAndFeeds(t);
    const started = Date.now();
    const res = await t.api('/items', { body: { guid: 'w-3', title: 'بی‌هاب', publishedAt: '2024-05-01T00:00:00Z' } });
    expect(res.status).toBe(201);
    expect(Date.now() - started).toBeLessThan(250);
    const results = await notifyFeedsChanged({ repos: t.repos, config: { baseUrl: BASE_URL, websubHubs: [silentUrl, closedUrl] }, websub: { ...fast, timeoutMs: 300 } }, [1]);
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((r) => !r.ok && r.status === null && r.attempts === 3)).toBe(true);
    silent.closeAllConnections();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });
});
