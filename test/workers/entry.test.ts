/** The Worker entry inside workerd, one fresh D1 per test: bindings, bootstrap, origins. */
import { applyD1Migrations, createExecutionContext, env, reset, waitOnExecutionContext } from 'cloudflare:test';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConfigDocument } from '../../src/admin/config/sync.ts';
import { createWorker } from '../../src/runtime/worker.ts';

const TOKEN = 'entry-admin-token-0123456789';

async function send(worker: ReturnType<typeof createWorker>, workerEnv: object, url: string, init: RequestInit = {}) {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(url, init), workerEnv, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

const config = (title: string): ConfigDocument[] => [
  { file: 'site.json', data: { categories: [{ slug: 'news', name: 'اخبار' }], feeds: [{ slug: 'news', title, filter: { categories: ['news'] } }] } },
];

beforeEach(async () => {
  await reset();
  await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
});

describe('bindings', () => {
  // Each of these logs its failed start on purpose.
  beforeEach(() => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
  });

  it('answers 500 naming a missing D1 binding', async () => {
    const res = await send(createWorker({ config: [] }), { CHAPAR_BASE_URL: '' }, 'https://chapar.example/healthz');
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(((await res.json()) as { detail: string }).detail).toMatch(/binding DB .*\[\[d1_databases\]\]/);
  });

  it.each([
    ['CHAPAR_BASE_URL', 'feeds.example.org'],
    ['CHAPAR_ADMIN_TOKEN', 'short'],
    ['CHAPAR_FETCH_ALLOW_PRIVATE', 'yes'],
    ['CHAPAR_TICK_SOURCES', '0'],
  ])('answers 500 naming a bad %s, as the Node runtime words it', async (name, value) => {
    const res = await send(createWorker({ config: [] }), { ...env, [name]: value }, 'https://chapar.example/healthz');
    expect(res.status).toBe(500);
    expect(((await res.json()) as { detail: string }).detail).toMatch(new RegExp(`^chapar: ${name}=`));
  });

  it('answers 500 when WebSub hubs are set without CHAPAR_BASE_URL, which cron ticks need', async () => {
    const res = await send(createWorker({ config: [] }), { ...env, CHAPAR_WEBSUB_HUBS: 'https://hub.example/' }, 'https://chapar.example/healthz');
    expect(res.status).toBe(500);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/^chapar: CHAPAR_WEBSUB_HUBS needs CHAPAR_BASE_URL/);
  });

  it('uses CHAPAR_BASE_URL, when set, for every origin', async () => {
    const workerEnv = { ...env, CHAPAR_BASE_URL: 'https://feeds.example.org/' };
    const worker = createWorker({ config: config('News') });
    const xml = await (await send(worker, workerEnv, 'https://chapar.workers.dev/feeds/news.atom')).text();
    expect(xml).toContain('https://feeds.example.org/feeds/news.atom');
    expect(xml).not.toContain('workers.dev');
  });
});

describe('bootstrap', () => {
  const countCategories = async () => (await env.DB.prepare('SELECT count(*) AS n FROM categories').first<{ n: number }>())!.n;

  it('is applied once by isolates starting together, and again only when the config changes', async () => {
    const workerEnv = { ...env, CHAPAR_ADMIN_TOKEN: TOKEN };
    const isolates = [createWorker({ config: config('News') }), createWorker({ config: config('News') }), createWorker({ config: config('News') })];
    const answers = await Promise.all(isolates.map((worker) => send(worker, workerEnv, 'https://chapar.example/feeds/news.json')));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await countCategories()).toBe(1);

    const auth = { headers: { authorization: `Bearer ${TOKEN}` } };
    expect((await send(createWorker({ config: config('News') }), workerEnv, 'https://chapar.example/api/v1/categories', auth)).status).toBe(200);

    const renamed = createWorker({ config: config('Renamed') });
    const feed = (await (await send(renamed, workerEnv, 'https://chapar.example/feeds/news.json')).json()) as { title: string };
    expect(feed.title).toBe('Renamed');
  });

  it('lets isolates starting together apply the bundled feeds/, whose many objects they race for, and all answer', async () => {
    const isolates = [createWorker(), createWorker(), createWorker()];
    const answers = await Promise.all(isolates.map((worker) => send(worker, env, 'https://chapar.example/feeds/senfi.json')));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
  });
});

describe('serving', () => {
  const workerEnv = { ...env, CHAPAR_ADMIN_TOKEN: TOKEN };
  const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

  it('leaves compression to Cloudflare: the Worker answers identity bytes even to gzip clients', async () => {
    const worker = createWorker({ config: config('News') });
    const res = await send(worker, workerEnv, 'https://chapar.example/feeds/news.rss', { headers: { 'accept-encoding': 'gzip, br' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(await res.text()).toMatch(/^<\?xml/);
  });

  it('counts a click once the response is out, through ctx.waitUntil', async () => {
    const worker = createWorker({ config: [] });
    const pushed = await send(worker, workerEnv, 'https://chapar.example/api/v1/items', { method: 'POST', headers: auth, body: JSON.stringify({ title: 'خبر', url: 'https://news.example/1' }) });
    const { items } = (await pushed.json()) as { items: { shortCode: string }[] };
    const code = items[0]!.shortCode;
    const browser = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';
    expect((await send(worker, workerEnv, `https://chapar.example/s/${code}`, { headers: { 'user-agent': browser } })).status).toBe(302);
    const link = (await (await send(worker, workerEnv, `https://chapar.example/api/v1/links/${code}`, { headers: auth })).json()) as { clicks: number };
    expect(link.clicks).toBe(1);
  });
});
