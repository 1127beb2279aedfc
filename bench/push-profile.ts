/**
 * Push ingest and parse, in process and on one core, for profiling the CPU they spend
 * (`npx tsx --cpu-prof bench/push-profile.ts …`). Not part of `npm run bench`: that one measures
 * over HTTP against a separate server.
 *
 *   npx tsx bench/push-profile.ts push [BATCHES]      POST /api/v1/items through the app (JSON, zod, pushItems, SQLite file)
 *   npx tsx bench/push-profile.ts direct [BATCHES]    pushItems alone on the same database
 *   npx tsx bench/push-profile.ts prepare [ITEMS]     prepareItem alone
 *   npx tsx bench/push-profile.ts parse [SECONDS]     bench/parse.ts's ratio on the 50-item feed the app renders
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashToken } from '../src/admin/auth.ts';
import { createApp } from '../src/app.ts';
import { createRepos } from '../src/db/repos/index.ts';
import { openSqlite } from '../src/db/sqlite.ts';
import { prepareItem } from '../src/ingest/prepare.ts';
import { pushItems } from '../src/ingest/push.ts';
import { jsonLogger } from '../src/http/observe.ts';
import { createTrafficRecorder } from '../src/shortlinks/traffic.ts';
import { benchItem, CATEGORIES } from './gen/persian.ts';
import { BATCH, FEEDS } from './lib/seed.ts';
import { parseThroughput } from './parse.ts';

const BASE = 'https://chapar.bench';
const TOKEN = 'bench-profile-token-0123456789';

async function freshApp(file: string) {
  const database = openSqlite(file);
  const repos = createRepos(database);
  await repos.tokens.ensure('bench', await hashToken(TOKEN));
  for (const category of CATEGORIES) await repos.categories.create(category);
  for (const feed of FEEDS) await repos.feeds.create({ ...feed, filter: 'filter' in feed ? { categories: [...feed.filter.categories] } : {} });
  const app = createApp({ repos, traffic: createTrafficRecorder(repos), config: { baseUrl: BASE, websubHubs: [], version: 'bench' }, log: jsonLogger((line) => console.error(line), 'error') });
  const post = (path: string, body: string) =>
    app.request(`${BASE}/api/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body });
  return { app, repos, database, post };
}

const batchOf = (n: number) => Array.from({ length: BATCH }, (_, i) => benchItem(n * BATCH + i));

async function push(batches: number, direct: boolean): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'chapar-push-profile-'));
  try {
    const { post, repos, database } = await freshApp(join(dir, 'push.db'));
    // Bodies are built before the clock starts: the figure is the app's, not the generator's.
    const lists = Array.from({ length: batches }, (_, n) => batchOf(n));
    const bodies = lists.map((list) => JSON.stringify(list));
    const started = performance.now();
    for (let n = 0; n < batches; n++) {
      if (direct) await pushItems(repos, lists[n]!, new Date());
      else {
        const res = await post('/items', bodies[n]!);
        if (res.status !== 201) throw new Error(`bench: push answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
        await res.arrayBuffer();
      }
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(`${direct ? 'pushItems' : 'POST /api/v1/items'}: ${batches * BATCH} items in ${seconds.toFixed(2)} s = ${((batches * BATCH) / seconds).toFixed(0)} items/s`);
    await database.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function prepare(count: number): void {
  const items = Array.from({ length: count }, (_, i) => benchItem(i));
  const now = new Date();
  const started = performance.now();
  for (const item of items) {
    prepareItem(
      { title: item.title, url: item.url, content: item.content, author: item.author ?? null, publishedAt: new Date(item.publishedAt) },
      { sourceId: null, categoryIds: [1], baseUrl: item.url, now },
    );
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`prepareItem: ${count} items in ${seconds.toFixed(2)} s = ${(count / seconds).toFixed(0)} items/s`);
}

async function parse(seconds: number): Promise<void> {
  const { app, post, database } = await freshApp(':memory:');
  const res = await post('/items', JSON.stringify(Array.from({ length: 50 }, (_, i) => benchItem(i))));
  if (res.status !== 201) throw new Error(`bench: seeding answered ${res.status}`);
  const feed = await app.request(`${BASE}/feeds/bench.rss`);
  const body = new Uint8Array(await feed.arrayBuffer());
  await database.close();
  const figure = await parseThroughput(body, `${BASE}/feeds/bench.rss`, { rounds: 6, seconds });
  console.log(
    `parse: ${figure.bytes} bytes, ${figure.items} items; Chapar ${figure.chaparMBps.toFixed(2)} MB/s, fast-xml-parser ${figure.fxpMBps.toFixed(2)} MB/s, ratio ${figure.ratio.toFixed(3)}`,
  );
}

const [stage = 'push', count] = process.argv.slice(2);
const n = count === undefined ? undefined : Number(count);
if (stage === 'push' || stage === 'direct') await push(n ?? 20, stage === 'direct');
else if (stage === 'prepare') prepare(n ?? 5000);
else if (stage === 'parse') await parse(n ?? 2);
else throw new Error(`bench: unknown stage "${stage}" (push, direct, prepare or parse)`);
