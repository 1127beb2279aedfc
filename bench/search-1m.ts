/**
 * Search at 1M, in process: the feed page and Last-Modified a `q=` request loads on a cache miss
 * (src/publish/page.ts loadFeedPage, then items.lastChange, as src/publish/routes.ts runs them),
 * timed on an existing archive with the app's openSqlite and createRepos. Rendering and HTTP are
 * left out: they cost the same whatever the search.
 *
 *   node --import tsx bench/search-1m.ts --db /tmp/q1m/archive-1000000.db [--runs 50] [--no-migrate]
 *
 * Opening applies pending migrations to the file (the time is printed); copy the archive first.
 */
import { parseArgs } from 'node:util';
import { createRepos } from '../src/db/repos/index.ts';
import { openSqlite } from '../src/db/sqlite.ts';
import { loadFeedPage } from '../src/publish/page.ts';
import { parseFeedQuery } from '../src/publish/query.ts';
import { COMMON_WORD, SEARCH_WORD } from './gen/persian.ts';

const { values } = parseArgs({ options: { db: { type: 'string' }, runs: { type: 'string', default: '50' }, 'no-migrate': { type: 'boolean', default: false }, feed: { type: 'string', default: 'bench' } } });
if (!values.db) throw new Error('bench: --db <archive file> is required');
const runs = Number(values.runs);

const opened = performance.now();
const database = openSqlite(values.db, { migrate: !values['no-migrate'] });
console.log(`open (with pending migrations): ${((performance.now() - opened) / 1000).toFixed(1)} s`);
const repos = createRepos(database);
const feed = await repos.feeds.bySlug(values.feed);
if (!feed) throw new Error(`bench: no feed "${values.feed}" in ${values.db}`);

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

for (const [name, word] of [['rare', SEARCH_WORD], ['common', COMMON_WORD]] as const) {
  const parsed = parseFeedQuery({ q: [word] });
  if (!parsed.ok) throw new Error('bench: bad query');
  const once = async () => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const page = await loadFeedPage(repos, feed, parsed.query);
    const changed = await repos.items.lastChange([feed.filter, parsed.query.filter]);
    const used = process.cpuUsage(cpu);
    return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, page, changed };
  };
  for (let i = 0; i < 3; i++) await once();
  const times: number[] = [];
  const cpus: number[] = [];
  let last: Awaited<ReturnType<typeof once>> | null = null;
  for (let i = 0; i < runs; i++) {
    last = await once();
    times.push(last.ms);
    cpus.push(last.cpuMs);
  }
  times.sort((a, b) => a - b);
  cpus.sort((a, b) => a - b);
  const ids = last!.page.items.map((item) => item.id);
  console.log(
    `${name} (${word}): p50 ${quantile(times, 0.5).toFixed(2)} ms, p90 ${quantile(times, 0.9).toFixed(2)} ms, CPU p50 ${quantile(cpus, 0.5).toFixed(2)} ms over ${runs} runs; ` +
      `${ids.length} items, first ${ids.slice(0, 3).join(',')}, last ${ids.at(-1)}, older ${JSON.stringify(last!.page.older)}, Last-Modified ${last!.changed?.toISOString()}`,
  );
}
await database.close();
