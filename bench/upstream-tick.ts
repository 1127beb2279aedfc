/**
 * The ingest side of the upstream benchmark, run as its own process on the server's core:
 * creates the sources, then refreshes them all with the app's scheduler (`runIngestTick`),
 * twice: a first pass that stores every feed, and the measured pass where most answer 304.
 * A last tick with the options the Node runtime passes (NODE_TICK) shows how many sources one
 * scheduled tick takes. Prints one JSON line per pass.
 *
 *   node --import tsx bench/upstream-tick.ts DB UPSTREAM_PORT SOURCES HOSTS
 */
import { createRepos } from '../src/db/repos/index.ts';
import { openSqlite } from '../src/db/sqlite.ts';

const [file, port, count, hostCount] = process.argv.slice(2);
if (!file || !port || !count || !hostCount) {
  console.error('usage: node --import tsx bench/upstream-tick.ts DB UPSTREAM_PORT SOURCES HOSTS');
  process.exit(2);
}
const sources = Number(count);
const hosts = Number(hostCount);

/** Source n lives on loopback address 127.x.y.z (any of 127/8 reaches the fake upstream), `sources/hosts` per host. */
function sourceUrl(n: number, hosts: number, port: string): string {
  const h = (n % hosts) + 1;
  return `http://127.${(h >> 16) & 255}.${(h >> 8) & 255}.${h & 255}:${port}/feed/${n}.xml`;
}

const { runIngestTick } = await import('../src/ingest/scheduler.ts');
const database = openSqlite(file);
const repos = createRepos(database);
for (let n = 0; n < sources; n++) await repos.sources.create({ url: sourceUrl(n, hosts, port) });

const deps = { repos, ingest: { allowPrivate: true, timeoutMs: 20_000 } };
for (const pass of ['first', 'measured']) {
  // Tell the upstream to change its 5% before the measured pass, and wait for its nod.
  if (pass === 'measured') {
    process.stdout.write('{"msg":"advance"}\n');
    await new Promise((resolve) => process.stdin.once('data', resolve));
  }
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const report = await runIngestTick(deps, { maxSources: sources, ignoreSchedule: true });
  const seconds = (performance.now() - started) / 1000;
  const { user, system } = process.cpuUsage(cpuBefore);
  const statuses: Record<string, number> = {};
  for (const r of report.results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  const errors = report.results.filter((r) => r.error).slice(0, 3).map((r) => r.error);
  process.stdout.write(`${JSON.stringify({ msg: 'pass', pass, picked: report.picked, seconds, cpuSeconds: (user + system) / 1e6, statuses, errors })}\n`);
}
// Every source counts as due, as after a long outage: what does one scheduled tick take?
const { NODE_TICK } = await import('../src/runtime/node.ts');
const runtime = await runIngestTick(deps, { ...NODE_TICK, ignoreSchedule: true });
process.stdout.write(`${JSON.stringify({ msg: 'runtime', picked: runtime.picked })}\n`);
await database.close();
process.exit(0);
