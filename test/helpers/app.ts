import { hashToken } from '../../src/admin/auth.ts';
import { createChapar, type AppConfig, type AppDeps } from '../../src/app.ts';
import { createRepos } from '../../src/db/repos/index.ts';
import { openSqlite } from '../../src/db/sqlite.ts';
import { createTrafficRecorder, type TrafficOptions } from '../../src/shortlinks/traffic.ts';

export const BASE_URL = 'https://chapar.test';
export const TOKEN = 'test-admin-token-0123456789';

/** A fresh app over a fresh in-memory database, with one admin token. */
export async function testApp(opts: { now?: () => Date; hubs?: string[]; clientIp?: AppDeps['clientIp']; traffic?: Omit<TrafficOptions, 'now'>; deps?: Partial<Omit<AppDeps, 'repos' | 'config'>>; config?: Partial<Pick<AppConfig, 'fetchAllowPrivate' | 'ingest'>>; baseUrl?: string } = {}) {
  const database = openSqlite(':memory:');
  const repos = createRepos(database, opts.now);
  await repos.tokens.ensure('test', await hashToken(TOKEN));
  // Clicks and polls stay buffered until a test calls `traffic.flush()`, as the runtime's timer would.
  const traffic = createTrafficRecorder(repos, { ...opts.traffic, ...(opts.now ? { now: opts.now } : {}) });
  const { app, front } = createChapar({
    repos,
    traffic,
    config: { baseUrl: opts.baseUrl ?? BASE_URL, websubHubs: opts.hubs ?? [], version: 'test', ...opts.config },
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.clientIp ? { clientIp: opts.clientIp } : {}),
    ...opts.deps,
  });
  const auth = { authorization: `Bearer ${TOKEN}` };
  const api = (path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
    app.request(`${BASE_URL}/api/v1${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { ...auth, 'content-type': 'application/json', ...init.headers },
      ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
    });
  const get = (path: string, headers: Record<string, string> = {}) => app.request(`${BASE_URL}${path}`, { headers });
  return { app, front, repos, database, traffic, api, get, close: () => database.close() };
}

export type TestApp = Awaited<ReturnType<typeof testApp>>;

/** Two categories and three feeds, the shape of the demo config. */
export async function seedCategoriesAndFeeds(t: TestApp) {
  for (const body of [
    { slug: 'senfi', name: 'صنفی', aliases: ['guild'] },
    { slug: 'akhbar-sazman', name: 'اخبار سازمان' },
  ]) {
    const res = await t.api('/categories', { body });
    if (res.status !== 201) throw new Error(`seed category: ${res.status} ${await res.text()}`);
  }
  for (const body of [
    { slug: 'senfi', title: 'صنفی', language: 'fa', filter: { categories: ['senfi'] } },
    { slug: 'akhbar-sazman', title: 'اخبار سازمان', language: 'fa', filter: { categories: ['akhbar-sazman'] } },
    { slug: 'both', title: 'هر دو', language: 'fa', filter: { categories: ['senfi', 'akhbar-sazman'], match: 'all' } },
    { slug: 'all', title: 'همه', language: 'fa' },
  ]) {
    const res = await t.api('/feeds', { body });
    if (res.status !== 201) throw new Error(`seed feed: ${res.status} ${await res.text()}`);
  }
}
